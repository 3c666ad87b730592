use cosmwasm_std::{Coin, StdError};
use thiserror::Error;

#[derive(Error, Debug, PartialEq)]
pub enum ContractError {
    #[error("{0}")]
    Std(#[from] StdError),

    #[error("{0}")]
    Payment(#[from] cw_utils::PaymentError),

    #[error("only the admin may do this")]
    NotAdmin {},

    #[error("only the dataset's issuer may do this")]
    NotIssuer {},

    #[error("only the credential's holder may do this")]
    NotHolder {},

    #[error("sender is not an authorised consumer of this dataset")]
    NotConsumer {},

    #[error("dataset {0} is not offered at the moment")]
    NotOffered(u64),

    #[error("price is {expected}, got {got:?}")]
    WrongPayment { expected: Coin, got: Vec<Coin> },

    #[error("credential {0} has expired")]
    Expired(u64),

    #[error("credential {0} was revoked by its issuer")]
    Revoked(u64),

    #[error("credential {id} has {remaining} uses left, {wanted} requested")]
    Exhausted { id: u64, remaining: u32, wanted: u32 },

    #[error("credential {0} is bound to its holder and cannot be transferred")]
    NotTransferable(u64),

    #[error("credential {id} belongs to {holder}, not to {claimed}")]
    WrongHolder { id: u64, holder: String, claimed: String },

    #[error("credential {0} is already revoked")]
    AlreadyRevoked(u64),

    #[error("invalid dataset: {0}")]
    InvalidDataset(&'static str),

    #[error("invalid offer: {0}")]
    InvalidOffer(&'static str),

    #[error("uses to consume or refund must be at least 1")]
    ZeroUses {},

    #[error("credential {0} cannot hold that many uses")]
    TooManyUses(u64),
}
