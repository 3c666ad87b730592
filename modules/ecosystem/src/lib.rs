//! `ecosystem` (`venice.ecosystem.v1`): the ecosystem incentive pool, the
//! module account `ecosystem_incentives` that the tokenomics builder funds
//! at genesis (and the fee split's ecosystem leg tops up). It pays only
//! what governance votes: `MsgGrant` (gov authority) pays a recipient at
//! once, or, with a vesting schedule, creates the recipient's vesting
//! account (continuous, or delayed = a cliff at the end time) holding the
//! grant, as `MsgCreateVestingAccount` would. Like that message, a vesting
//! grant is refused when the recipient's account already exists (its
//! schedule could not be merged with what the account holds). The pool is
//! a bank-blocked address: users cannot send to it (donations go to the
//! community pool), modules can.

pub mod error;
pub mod expected_keepers;
pub mod handlers;
pub mod module;
pub mod query;
#[cfg(test)]
mod tests;

use std::sync::Arc;

use expected_keepers::{AccountKeeper, BankKeeper};
use venice_sdk::Address;
pub use venice_types::ecosystem as proto;

pub const MODULE: &str = "ecosystem";

/// The pool's module account.
pub fn pool_address() -> Address {
    Address::module(proto::POOL_ACCOUNT)
}

#[derive(Clone)]
pub struct Ecosystem {
    pub bank: Arc<dyn BankKeeper>,
    pub accounts: Arc<dyn AccountKeeper>,
}

impl Ecosystem {
    pub fn new(bank: Arc<dyn BankKeeper>, accounts: Arc<dyn AccountKeeper>) -> Self {
        Ecosystem { bank, accounts }
    }
}
