//! Venice compute credits: a cw20 token for prepaid inference and stable
//! payments.
//!
//! Every standard cw20 message and query is handled by `cw20-base` 2.0 itself
//! (linked as a library), so balances, allowances, marketing info and their
//! errors behave exactly like the reference implementation. On top sits a
//! minter policy: one minter address with an optional supply cap, both of
//! which an admin chosen at instantiation may change.

pub mod contract;
pub mod error;
pub mod msg;
pub mod state;

pub use crate::error::ContractError;
