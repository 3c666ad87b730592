//! `distribution`: fees and emissions to validators and their delegators as
//! the Cosmos SDK's x/distribution (v0.53) does it, with F1 lazy accounting:
//! no per-block loop over delegators. Each validator keeps a running
//! cumulative reward ratio per *period* (historical rewards, reference
//! counted); a delegation remembers the period it started in and its stake,
//! and its rewards are `stake × (ratio(end) − ratio(start))`, adjusted for
//! the slashes in between. Every amount is exact: what truncation leaves
//! over goes to the community pool, so nothing is created or lost.
//!
//! - `state`: the only code that knows key layouts;
//! - `keeper`: allocation, periods, reward calculation and withdrawals;
//! - `hooks`: staking's hooks (rewards auto-withdrawn when a delegation changes);
//! - `handlers`, `query`, `genesis`, `events`, `error`, `params`, `invariants`;
//! - `dec_coins`: the SDK's `DecCoins`.
//!
//! Allocation happens in BeginBlock from the fee collector's balance (fees
//! taken by the ante handler and what mint minted this block), to the
//! validators whose signature is in the previous block's commit, by power.

pub mod dec_coins;
pub mod error;
pub mod events;
pub mod expected_keepers;
pub mod genesis;
pub mod handlers;
pub mod hooks;
pub mod invariants;
pub mod keeper;
pub mod module;
pub mod params;
pub mod query;
pub mod state;

use std::sync::Arc;

use expected_keepers::{BankKeeper, StakingKeeper};
use venice_sdk::Address;

pub use dec_coins::DecCoins;
pub use error::DistributionError;
pub use params::Params;

pub const MODULE: &str = "distribution";
/// The fee collector module account (auth's), whose balance each block
/// allocates.
pub const FEE_COLLECTOR: &str = "fee_collector";

/// The module account holding outstanding rewards and the community pool.
pub fn module_account() -> Address {
    Address::module(MODULE)
}

pub fn fee_collector() -> Address {
    Address::module(FEE_COLLECTOR)
}

/// The distribution keeper: reads stake through staking, moves coins
/// through bank.
#[derive(Clone)]
pub struct Distribution {
    pub staking: Arc<dyn StakingKeeper>,
    pub bank: Arc<dyn BankKeeper>,
    /// Addresses that may not be a withdraw address (module accounts), as
    /// the SDK's `BlockedAddr`.
    pub blocked: Vec<Address>,
}

impl Distribution {
    pub fn new(staking: Arc<dyn StakingKeeper>, bank: Arc<dyn BankKeeper>) -> Self {
        Distribution { staking, bank, blocked: vec![module_account(), fee_collector()] }
    }

    /// Add the module accounts that may not receive rewards.
    pub fn with_blocked(mut self, blocked: impl IntoIterator<Item = Address>) -> Self {
        for a in blocked {
            if !self.blocked.contains(&a) {
                self.blocked.push(a);
            }
        }
        self
    }
}
