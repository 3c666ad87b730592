//! The error of the types crate. The chain-side variants render exactly as
//! `venice_sdk::Error`'s variants of the same name (which convert from them),
//! so moving code here changed no log line or ABCI code.

use crate::address::AddressError;

#[derive(thiserror::Error, Debug, Clone, PartialEq, Eq)]
pub enum TypesError {
    /// A bech32 address the chain refuses (state-machine wording).
    #[error("invalid address: {0}")]
    InvalidAddress(String),
    /// A coin or denom the chain refuses (state-machine wording).
    #[error("invalid coins: {0}")]
    InvalidCoins(String),
    /// A command-line address argument: says which argument and why.
    #[error("invalid address {addr:?}: {source}")]
    BadAddress {
        addr: String,
        #[source]
        source: AddressError,
    },
    /// A command-line coin argument (`--fees`, `AMOUNT`, `--gas-prices`).
    #[error("invalid coin amount {input:?}: {reason}")]
    BadCoin { input: String, reason: String },
    /// A validator description, commission or consensus key the client
    /// refuses before signing (`tx staking create-validator`, gentx).
    #[error("invalid validator: {0}")]
    BadValidator(String),
}
