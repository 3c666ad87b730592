//! `bank`: balances and transfers of every denom, total supply, denom
//! metadata (VVV / uvvv) and per-denom send switches.

pub mod error;
pub mod events;
pub mod expected_keepers;
pub mod genesis;
pub mod handlers;
pub mod invariants;
pub mod keeper;
pub mod module;
pub mod params;
pub mod query;
pub mod state;

use expected_keepers::AccountKeeper;
use std::sync::Arc;

pub use params::Params;

pub const MODULE: &str = "bank";

/// The bank module; it creates accounts on first receipt through `auth`.
#[derive(Clone)]
pub struct Bank {
    pub accounts: Arc<dyn AccountKeeper>,
}

impl Bank {
    pub fn new(accounts: Arc<dyn AccountKeeper>) -> Self {
        Bank { accounts }
    }
}
