//! `gov`: on-chain governance as the Cosmos SDK's x/gov (v0.53) does it.
//! A proposal carries messages that run with the gov module account as
//! their authority when it passes (through the framework's message router,
//! all or nothing); deposits open its voting period, bonded stake votes on
//! it (delegators inherit their validator's vote unless they vote
//! themselves), and the end block settles it at block time.
//!
//! - `state`: the only code that knows key layouts;
//! - `keeper`: submit, deposit, vote, cancel, the deposit burns and refunds;
//! - `tally`: the SDK's tally over bonded validators and their delegators;
//! - `abci`: the end block's inactive and active proposal queues;
//! - `handlers` (v1 and v1beta1 messages), `query`, `genesis`, `events`,
//!   `error`, `params`, `types`; `expected_keepers`: what gov needs of
//!   staking and bank, implemented by the app.

pub mod abci;
pub mod error;
pub mod events;
pub mod expected_keepers;
pub mod genesis;
pub mod handlers;
pub mod keeper;
pub mod module;
pub mod params;
pub mod query;
pub mod state;
pub mod tally;
pub mod types;

#[cfg(test)]
mod tests;

use std::sync::Arc;

use expected_keepers::{BankKeeper, CommunityPool, StakingKeeper};
use venice_sdk::Address;

pub use error::GovError;
pub use params::Params;

pub const MODULE: &str = "gov";

/// The gov module account: holds deposits, and is the authority that
/// proposal messages (every module's `MsgUpdateParams`) must name.
pub fn authority() -> Address {
    venice_sdk::gov_authority()
}

/// The gov module: moves deposits through bank, reads stake from staking.
#[derive(Clone)]
pub struct Gov {
    pub bank: Arc<dyn BankKeeper>,
    pub staking: Arc<dyn StakingKeeper>,
    pub community_pool: Option<Arc<dyn CommunityPool>>,
}

impl Gov {
    pub fn new(bank: Arc<dyn BankKeeper>, staking: Arc<dyn StakingKeeper>) -> Self {
        Gov { bank, staking, community_pool: None }
    }

    /// Cancellation charges sent to the pool's account fund the pool.
    pub fn with_community_pool(mut self, pool: Arc<dyn CommunityPool>) -> Self {
        self.community_pool = Some(pool);
        self
    }
}
