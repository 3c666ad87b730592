//! airdrop's errors, in codespace `airdrop`.

use venice_sdk::module::module_error;

use crate::MODULE;

#[derive(thiserror::Error, Debug, Clone, PartialEq, Eq)]
pub enum AirdropError {
    #[error("no airdrop is configured")]
    NotConfigured,
    #[error("invalid merkle proof for {address} and amount {amount}")]
    InvalidProof { address: String, amount: u128 },
    #[error("{0} has already claimed its airdrop")]
    AlreadyClaimed(String),
    #[error("the airdrop ended at {0}")]
    DeadlinePassed(String),
    #[error("malformed proof: {0}")]
    MalformedProof(String),
}

impl AirdropError {
    pub fn code(&self) -> u32 {
        match self {
            AirdropError::NotConfigured => 2,
            AirdropError::InvalidProof { .. } => 3,
            AirdropError::AlreadyClaimed(_) => 4,
            AirdropError::DeadlinePassed(_) => 5,
            AirdropError::MalformedProof(_) => 6,
        }
    }
}

impl From<AirdropError> for venice_sdk::Error {
    fn from(e: AirdropError) -> Self {
        module_error(MODULE, e.code(), e)
    }
}
