use cosmwasm_std::{Coin, StdError};
use thiserror::Error;
use venice_model_types::DescriptorError;

#[derive(Error, Debug, PartialEq)]
pub enum ContractError {
    #[error("{0}")]
    Std(#[from] StdError),

    #[error("{0}")]
    Payment(#[from] cw_utils::PaymentError),

    #[error("invalid model descriptor: {0}")]
    Descriptor(#[from] DescriptorError),

    #[error("sender may not act on this token")]
    Unauthorized {},

    #[error("only the admin may change the configuration")]
    NotAdmin {},

    #[error("token id {0:?} is already taken")]
    Claimed(String),

    #[error("a model with onnx_sha256 {0} is already registered as token {1:?}")]
    HashRegistered(String, String),

    #[error("token id must be 1..=128 printable characters")]
    BadTokenId {},

    #[error("model name must be 1..=128 bytes and a description at most 4096")]
    BadMetadata {},

    #[error("the model hash is immutable ({old} cannot become {new})")]
    HashImmutable { old: String, new: String },

    #[error("the quantisation rule is immutable")]
    RuleImmutable {},

    #[error("mint fee is {expected}, got {got:?}")]
    WrongMintFee { expected: Coin, got: Vec<Coin> },

    #[error("approval or operator expiry is already in the past")]
    Expired {},

    #[error("no approval for {0}")]
    ApprovalNotFound(String),
}
