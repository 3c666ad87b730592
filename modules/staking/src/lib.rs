//! `staking`: proof of stake as the Cosmos SDK's x/staking (v0.53) does it.
//! Validators created by `MsgCreateValidator`, delegations as shares of a
//! validator's tokens (exact 18-digit `Dec` arithmetic), unbonding and
//! redelegation entries maturing after the unbonding period, the bonded and
//! not-bonded pools (module accounts whose balances bank keeps, so supply
//! stays exact), and the validator set CometBFT runs: the `max_validators`
//! largest by power, whose changes end-block returns.
//!
//! - `state`: the only code that knows key layouts;
//! - `keeper`: delegate / unbond / redelegate / complete, the pool moves;
//! - `valset`: validator state transitions, the set update, the queues;
//! - `slash`: slashing by consensus address, jail / unjail (for slashing and evidence);
//! - `handlers`, `query`, `genesis`, `events`, `error`, `params`;
//! - `locks`: bonded stake locked by compute credits (inference);
//! - `invariants`: the crisis checks (pools, power index, shares);
//! - `hooks`: what distribution and slashing will hook into (the SDK's
//!   `StakingHooks`), called at the same points as the SDK calls them.

pub mod error;
pub mod events;
pub mod expected_keepers;
pub mod genesis;
pub mod handlers;
pub mod hooks;
pub mod invariants;
pub mod keeper;
pub mod locks;
pub mod module;
pub mod params;
pub mod query;
pub mod slash;
pub mod state;
#[cfg(feature = "testing")]
pub mod testing;
pub mod types;
pub mod valset;

use std::sync::Arc;

use expected_keepers::BankKeeper;
use hooks::{NoHooks, StakingHooks};
use venice_sdk::Address;

pub use error::StakingError;
pub use params::Params;
pub use types::{BondStatus, Validator};

pub const MODULE: &str = "staking";
/// Module account holding the tokens of bonded validators.
pub const BONDED_POOL: &str = "bonded_tokens_pool";
/// Module account holding unbonding and unbonded tokens.
pub const NOT_BONDED_POOL: &str = "not_bonded_tokens_pool";
/// Tokens per unit of consensus power: 1 VVV = 10^6 uvvv = 1 power.
pub const POWER_REDUCTION: u128 = 1_000_000;

pub fn bonded_pool() -> Address {
    Address::module(BONDED_POOL)
}

pub fn not_bonded_pool() -> Address {
    Address::module(NOT_BONDED_POOL)
}

/// The staking module: moves coins through bank, tells its hooks.
#[derive(Clone)]
pub struct Staking {
    pub bank: Arc<dyn BankKeeper>,
    pub hooks: Arc<dyn StakingHooks>,
}

impl Staking {
    pub fn new(bank: Arc<dyn BankKeeper>) -> Self {
        Staking { bank, hooks: Arc::new(NoHooks) }
    }

    /// Install the hooks of the modules that follow stake (distribution,
    /// slashing), as the SDK's `SetHooks`.
    pub fn with_hooks(mut self, hooks: Arc<dyn StakingHooks>) -> Self {
        self.hooks = hooks;
        self
    }
}
