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
use venice_sdk::Address;

pub use params::Params;

pub const MODULE: &str = "bank";

/// The bank module; it creates accounts on first receipt through `auth`.
#[derive(Clone)]
pub struct Bank {
    pub accounts: Arc<dyn AccountKeeper>,
    /// Addresses that `MsgSend`/`MsgMultiSend` (and contracts' bank sends)
    /// may not pay: the module accounts whose balances back their
    /// module's records (the SDK's `BlockedAddrs`).
    blocked: Arc<Vec<Address>>,
}

impl Bank {
    pub fn new(accounts: Arc<dyn AccountKeeper>) -> Self {
        Bank { accounts, blocked: Arc::new(Vec::new()) }
    }

    /// Refuse user sends to `addrs` (set once at wiring, as the SDK's app.go).
    pub fn with_blocked(mut self, addrs: impl IntoIterator<Item = Address>) -> Self {
        let mut list: Vec<Address> = self.blocked.to_vec();
        list.extend(addrs);
        list.sort();
        list.dedup();
        self.blocked = Arc::new(list);
        self
    }

    /// Err when `to` may not receive funds by a user's send.
    pub fn check_receiver(&self, to: &Address) -> venice_sdk::Result<()> {
        if self.blocked.binary_search(to).is_ok() {
            return Err(venice_sdk::Error::Unauthorized(format!("{to} is not allowed to receive funds")));
        }
        Ok(())
    }
}
