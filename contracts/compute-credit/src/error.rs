use cosmwasm_std::{StdError, Uint128};
use thiserror::Error;

#[derive(Error, Debug, PartialEq)]
pub enum ContractError {
    #[error("{0}")]
    Std(#[from] StdError),

    /// Errors of the standard cw20 messages, passed through unchanged so that
    /// clients see exactly what `cw20-base` reports.
    #[error("{0}")]
    Cw20(#[from] cw20_base::ContractError),

    #[error("only the admin may change the minter policy or the admin")]
    NotAdmin {},

    #[error("cap {cap} is below the current total supply {supply}")]
    CapBelowSupply { cap: Uint128, supply: Uint128 },

    #[error("a cap needs a minter: set a minter or leave the cap empty")]
    CapWithoutMinter {},
}
