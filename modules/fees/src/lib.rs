//! `fees` (`venice.fees.v1`): the one place that routes what the chain earns.
//!
//! - Tx fees are deducted to the fee collector by auth's ante handler, which
//!   first asks this module ([`Fees::check_tx_fee`]) whether the fee meets
//!   the consensus rules: only listed denoms, each listed denom's minimum
//!   gas price, the base fees of the tx's message types.
//! - At the start of every block (first in the begin-block order, before
//!   mint and distribution) the fee collector's balance — the previous
//!   block's tx fees — is split by `tx_fee_split` ([`Fees::route_tx_fees`]):
//!   the stakers' leg stays for distribution, the others go to the
//!   community pool, the ecosystem incentives pool and the burn.
//! - Inference fees (the inference module) are split by
//!   `inference_fee_split` with [`Fees::route_inference_fee`].
//!
//! The arithmetic is [`split::split`]: exact integers, the legs always sum
//! to the fee, every remainder (and a leg without a recipient) goes to one
//! sink, the community pool.

pub mod error;
pub mod events;
pub mod expected_keepers;
pub mod genesis;
pub mod handlers;
pub mod keeper;
pub mod module;
pub mod params;
pub mod query;
pub mod split;
pub mod state;

use std::sync::Arc;

use expected_keepers::{BankKeeper, CommunityPool};
use venice_sdk::Address;

pub use params::{GasPrice, Params, Split};
pub use split::{Leg, LegKind, Recipient};

pub const MODULE: &str = "fees";
/// The ecosystem incentives pool (created at genesis by the tokenomics builder).
pub const ECOSYSTEM_POOL: &str = "ecosystem_incentives";
/// auth's fee collector, where tx fees wait for the next block.
pub const FEE_COLLECTOR: &str = "fee_collector";

/// The ecosystem incentives pool account.
pub fn ecosystem_pool() -> Address {
    Address::module(ECOSYSTEM_POOL)
}

/// The fee collector account.
pub fn fee_collector() -> Address {
    Address::module(FEE_COLLECTOR)
}

/// The fees module's own account: it never holds coins (fees move straight
/// from the payer to each leg's recipient); an invariant checks that.
pub fn module_address() -> Address {
    Address::module(MODULE)
}

#[derive(Clone)]
pub struct Fees {
    pub bank: Arc<dyn BankKeeper>,
    pub community_pool: Arc<dyn CommunityPool>,
}

impl Fees {
    pub fn new(bank: Arc<dyn BankKeeper>, community_pool: Arc<dyn CommunityPool>) -> Self {
        Fees { bank, community_pool }
    }
}
