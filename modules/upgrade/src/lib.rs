//! `upgrade` (`cosmos.upgrade.v1beta1`, the Cosmos SDK's x/upgrade):
//! governance schedules a named software upgrade plan at a height
//! (`MsgSoftwareUpgrade`) or cancels it (`MsgCancelUpgrade`). In the block
//! at the plan's height, before anything else runs, a binary that has a
//! handler registered under the plan's name runs it once, records the plan
//! as applied and goes on; any other binary stops (see [`abci`]): the app
//! refuses to finalise that block, so a restart with the same binary stops
//! at the same height again, until the operator installs the new binary.

pub mod abci;
pub mod error;
pub mod handlers;
pub mod module;
pub mod query;
pub mod state;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

pub use abci::{Halt, is_halt};
pub use state::Plan;
use venice_sdk::{Ctx, Result};

pub const MODULE: &str = "upgrade";

/// A binary's migration for one named plan: it runs once, in the block at
/// the plan's height, before any other module's hook, with access to every
/// module's state. An error stops the node (the SDK panics there too).
pub type UpgradeHandler = Arc<dyn Fn(&mut Ctx, &Plan) -> Result<()> + Send + Sync>;

/// The plan names this binary knows how to apply (the SDK's
/// `SetUpgradeHandler` registry), name → handler.
#[derive(Clone, Default)]
pub struct UpgradeHandlers(BTreeMap<String, UpgradeHandler>);

impl UpgradeHandlers {
    pub fn new() -> Self {
        Self::default()
    }
    /// Register `handler` for the plan named `name` (a later one replaces it).
    pub fn with(mut self, name: impl Into<String>, handler: UpgradeHandler) -> Self {
        self.0.insert(name.into(), handler);
        self
    }
    /// A handler that changes no state: for a plan whose new binary only
    /// changes code paths (and for tests).
    pub fn with_noop(self, name: impl Into<String>) -> Self {
        self.with(name, Arc::new(|_: &mut Ctx, _: &Plan| Ok(())))
    }
    pub fn get(&self, name: &str) -> Option<&UpgradeHandler> {
        self.0.get(name)
    }
    pub fn contains(&self, name: &str) -> bool {
        self.0.contains_key(name)
    }
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.0.keys().map(String::as_str)
    }
}

pub struct Upgrade {
    pub handlers: UpgradeHandlers,
    /// Set after this process's first block checked that its binary can
    /// run the chain's last applied upgrade (the SDK's `downgradeVerified`).
    /// Node-local: it only decides whether this process may go on.
    pub(crate) downgrade_verified: AtomicBool,
}

impl Upgrade {
    pub fn new(handlers: UpgradeHandlers) -> Self {
        Upgrade { handlers, downgrade_verified: AtomicBool::new(false) }
    }
}
