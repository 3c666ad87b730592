//! `vesting`: the messages that create vesting accounts, as the Cosmos
//! SDK's x/auth/vesting module has them. The accounts (their schedules,
//! locked coins and delegation tracking) are auth's; bank refuses to send
//! locked coins; staking delegates them. This module only checks a
//! request, creates the account through auth and funds it through bank.

pub mod expected_keepers;
pub mod handlers;
pub mod module;

use std::sync::Arc;

use expected_keepers::{AccountKeeper, BankKeeper};

pub const MODULE: &str = "vesting";

#[derive(Clone)]
pub struct VestingModule {
    pub accounts: Arc<dyn AccountKeeper>,
    pub bank: Arc<dyn BankKeeper>,
}

impl VestingModule {
    pub fn new(accounts: Arc<dyn AccountKeeper>, bank: Arc<dyn BankKeeper>) -> Self {
        VestingModule { accounts, bank }
    }
}
