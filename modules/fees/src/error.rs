//! fees' own errors, in codespace `fees`. A fee below a minimum is the SDK's
//! `ErrInsufficientFee` (sdk 13), as wallets expect; a fee in a denom the
//! chain does not list is this module's code 2.

use venice_sdk::module::module_error;

use crate::MODULE;

#[derive(thiserror::Error, Debug, Clone, PartialEq, Eq)]
pub enum FeesError {
    #[error("fee denom {denom} is not accepted; accepted fee denoms: {accepted}")]
    DenomNotAccepted { denom: String, accepted: String },
    #[error("invalid fee params: {0}")]
    InvalidParams(String),
}

impl FeesError {
    pub fn code(&self) -> u32 {
        match self {
            FeesError::DenomNotAccepted { .. } => 2,
            FeesError::InvalidParams(_) => 3,
        }
    }
}

impl From<FeesError> for venice_sdk::Error {
    fn from(e: FeesError) -> Self {
        module_error(MODULE, e.code(), e)
    }
}
