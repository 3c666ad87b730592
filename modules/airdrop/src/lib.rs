//! `airdrop` (`venice.airdrop.v1`): genesis fixes a merkle root over
//! (address, amount) pairs, a total and a deadline; the `airdrop` module
//! account holds the tokens. `MsgClaim` with a proof pays an address once,
//! before the deadline; at the first block at or past it, what is left goes
//! to the community pool. The leaf and pair-hash rules are in [`merkle`].

pub mod error;
pub mod events;
pub mod expected_keepers;
pub mod genesis;
pub mod handlers;
pub mod merkle;
pub mod module;
pub mod proto;
pub mod query;
pub mod state;

use std::sync::Arc;

use expected_keepers::{BankKeeper, CommunityPool};
use venice_sdk::Address;

pub const MODULE: &str = "airdrop";

/// The module account holding the unclaimed tokens.
pub fn module_address() -> Address {
    Address::module(MODULE)
}

#[derive(Clone)]
pub struct Airdrop {
    pub bank: Arc<dyn BankKeeper>,
    pub community_pool: Arc<dyn CommunityPool>,
}

impl Airdrop {
    pub fn new(bank: Arc<dyn BankKeeper>, community_pool: Arc<dyn CommunityPool>) -> Self {
        Airdrop { bank, community_pool }
    }
}
