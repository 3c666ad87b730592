//! `mint`: new VVV each block, as the Cosmos SDK's x/mint (v0.53) mints it.
//!
//! **The curve.** The SDK's bonded-ratio feedback: each block the annual
//! inflation rate moves toward `inflation_max` while less than
//! `goal_bonded` of the staking token is bonded, and toward `inflation_min`
//! while more is, by at most `inflation_rate_change` per year
//! (`(1 − bonded/goal) × rate_change / blocks_per_year` per block). Annual
//! provisions are `inflation × total supply`; each block mints
//! `annual_provisions / blocks_per_year` (truncated) into the mint module
//! account and sends it to the fee collector, where distribution's
//! begin block (right after mint's) hands it to the validators that signed
//! the previous block and their delegators.
//!
//! **Why this curve.** It is what every Cosmos wallet, explorer and staking
//! dashboard understands (`cosmos.mint.v1beta1` Inflation / AnnualProvisions),
//! and it pays stakers more exactly when security is short. VVV's own
//! history is a decaying emission cut step by step by governance; that is
//! this curve with its bounds lowered by a parameter change (setting
//! `inflation_min = inflation_max = r` pins the rate at `r`), so a decaying
//! schedule can later be enacted through governance without a new module.
//!
//! **VVV defaults** ([`params::Params::vvv`], used by the chain's default
//! genesis): inflation starts at 8% a year, bounded to 3%–10%, moving by at
//! most 5 points a year, targeting 60% of VVV bonded, with 6,311,520 blocks
//! a year (5-second blocks, the SDK's figure; chains with other block times
//! set it in genesis). See the README section "Emissions".

pub mod expected_keepers;
pub mod genesis;
pub mod handlers;
pub mod minter;
pub mod module;
pub mod params;
pub mod query;
pub mod state;

use std::sync::Arc;

use expected_keepers::{BankKeeper, StakingKeeper};
use venice_sdk::Address;

pub use minter::Minter;
pub use params::Params;

pub const MODULE: &str = "mint";
pub const FEE_COLLECTOR: &str = "fee_collector";

/// The mint module account (coins are created here, then sent on).
pub fn module_account() -> Address {
    Address::module(MODULE)
}

#[derive(Clone)]
pub struct Mint {
    pub staking: Arc<dyn StakingKeeper>,
    pub bank: Arc<dyn BankKeeper>,
}

impl Mint {
    pub fn new(staking: Arc<dyn StakingKeeper>, bank: Arc<dyn BankKeeper>) -> Self {
        Mint { staking, bank }
    }
}
