//! ecosystem's errors, in codespace `ecosystem`.

use venice_sdk::module::module_error;

use crate::MODULE;

#[derive(thiserror::Error, Debug, Clone, PartialEq, Eq)]
pub enum EcosystemError {
    #[error("the ecosystem pool holds {have}, less than the grant of {want}")]
    InsufficientPool { have: String, want: String },
    #[error("invalid vesting schedule: {0}")]
    InvalidSchedule(String),
}

impl EcosystemError {
    pub fn code(&self) -> u32 {
        match self {
            EcosystemError::InsufficientPool { .. } => 2,
            EcosystemError::InvalidSchedule(_) => 3,
        }
    }
}

impl From<EcosystemError> for venice_sdk::Error {
    fn from(e: EcosystemError) -> Self {
        module_error(MODULE, e.code(), e)
    }
}
