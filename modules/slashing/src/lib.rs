//! `slashing` and `evidence`, as the Cosmos SDK's x/slashing and x/evidence
//! (v0.53) do them.
//!
//! - liveness: each bonded validator's signing info and a missed-blocks
//!   bitmap over `signed_blocks_window`, filled from the last commit's votes
//!   in begin-block; missing more than allowed slashes by
//!   `slash_fraction_downtime` and jails until `downtime_jail_duration` has
//!   passed (`MsgUnjail` brings it back);
//! - double signs: the misbehaviour CometBFT reports (duplicate votes, light
//!   client attacks) slashes by `slash_fraction_double_sign` at the
//!   infraction height, jails for good and tombstones (the [`evidence`]
//!   module, which also keeps the evidence for `cosmos.evidence.v1beta1`).
//!
//! Staking does the slashing arithmetic (`venice_staking::slash`); this crate
//! decides when, through [`expected_keepers::StakingKeeper`].

pub mod error;
pub mod events;
pub mod evidence;
pub mod expected_keepers;
pub mod genesis;
pub mod handlers;
pub mod hooks;
pub mod keeper;
pub mod module;
pub mod params;
pub mod query;
pub mod state;

use std::sync::Arc;

use expected_keepers::StakingKeeper;

pub use error::SlashingError;
pub use params::Params;
pub use state::SigningInfo;

pub const MODULE: &str = "slashing";

/// CometBFT applies a validator update returned at height H from H+2: the
/// SDK's `ValidatorUpdateDelay` (1) is the extra block after the next.
pub const VALIDATOR_UPDATE_DELAY: i64 = 1;

/// The slashing keeper: signing info, liveness, jail and tombstone.
#[derive(Clone)]
pub struct Slashing {
    pub staking: Arc<dyn StakingKeeper>,
}

impl Slashing {
    pub fn new(staking: Arc<dyn StakingKeeper>) -> Self {
        Slashing { staking }
    }
}
