//! inference's errors, in codespace `inference`.

use venice_sdk::module::module_error;

use crate::MODULE;

#[derive(thiserror::Error, Debug, Clone, PartialEq, Eq)]
pub enum InferenceError {
    #[error("model {0} is not listed")]
    UnknownModel(String),
    #[error("model {0} is already listed")]
    ModelExists(String),
    #[error("{who} is not the owner of model NFT {token_id} of {contract}")]
    NotOwner { who: String, contract: String, token_id: String },
    #[error("model NFT {token_id} of {contract} not found")]
    UnknownNft { contract: String, token_id: String },
    #[error("invalid model listing: {0}")]
    InvalidListing(String),
    #[error("input of {size} bytes exceeds the limit of {max}")]
    InputTooLarge { size: u64, max: u64 },
    #[error("a task needs exactly one of an inline input or a data credential")]
    InvalidInput,
    #[error("max fee {max_fee} is below the fee {fee}")]
    InsufficientMaxFee { max_fee: String, fee: String },
    #[error("task needs {work} units of work, more than the block budget {budget}")]
    TaskTooLarge { work: u64, budget: u64 },
    #[error("task {0} not found")]
    UnknownTask(u64),
    #[error("task {0} has no agreed result")]
    NotFinal(u64),
    #[error("output does not hash to the agreed value of task {0}")]
    OutputMismatch(u64),
    #[error("output of {size} bytes exceeds the model's limit of {max}")]
    OutputTooLarge { size: u64, max: u64 },
    #[error("invalid vote extension: {0}")]
    InvalidExtension(String),
    #[error("invalid injected extended commit: {0}")]
    InvalidExtendedCommit(String),
    #[error("invalid credit amount: {0}")]
    InvalidCredits(String),
    #[error("minting needs {need} locked stake, above max_stake {max}")]
    StakeAboveMax { need: u128, max: u128 },
    #[error("{0} is not a validator")]
    UnknownValidator(String),
    #[error("invalid params: {0}")]
    InvalidParams(String),
    #[error("data credential {id} of {contract}: {reason}")]
    DataCredential { contract: String, id: u64, reason: String },
}

impl InferenceError {
    pub fn code(&self) -> u32 {
        use InferenceError::*;
        match self {
            UnknownModel(_) => 2,
            ModelExists(_) => 3,
            NotOwner { .. } => 4,
            UnknownNft { .. } => 5,
            InvalidListing(_) => 6,
            InputTooLarge { .. } => 7,
            InvalidInput => 8,
            InsufficientMaxFee { .. } => 9,
            TaskTooLarge { .. } => 10,
            UnknownTask(_) => 11,
            NotFinal(_) => 12,
            OutputMismatch(_) => 13,
            OutputTooLarge { .. } => 14,
            InvalidExtension(_) => 15,
            InvalidCredits(_) => 16,
            StakeAboveMax { .. } => 17,
            UnknownValidator(_) => 18,
            InvalidParams(_) => 19,
            InvalidExtendedCommit(_) => 20,
            DataCredential { .. } => 21,
        }
    }
}

impl From<InferenceError> for venice_sdk::Error {
    fn from(e: InferenceError) -> Self {
        module_error(MODULE, e.code(), e)
    }
}
