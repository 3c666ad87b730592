//! The software upgrades this binary knows how to apply (the SDK's
//! `app.UpgradeKeeper.SetUpgradeHandler` calls in `app.go`), and what the
//! node does when the upgrade module says stop.
//!
//! How a halt works: in the block at a scheduled plan's height the app asks
//! the upgrade module first (`Upgrade::pre_block`, before any other hook
//! or tx). A plan without a handler here makes `finalize_block` return the
//! typed halt error instead of a block result: nothing of that block is
//! staged or committed. The ABCI layer (`abci.rs`) then logs the SDK's line
//! (`UPGRADE "<name>" NEEDED at height: <h>: <info>`), writes
//! `data/upgrade-info.json` for cosmovisor-style tools, waits for the store's
//! last commit to be indexed and flushed, and exits with [`HALT_EXIT_CODE`]
//! after [`HALT_GRACE`] (peers behind it still get the halt height's commit).
//! CometBFT, losing its app connection, stops too; restarted with the same
//! binary, its handshake replays the block at that height and the node
//! stops again, at the same place.

use std::path::Path;

use venice_upgrade::{Halt, UpgradeHandlers};

/// The exit status of a node stopped by an upgrade plan (the SDK's panic
/// exits with 2 as well): not 0, so supervisors see that the node did not
/// stop on request; not 1, so it is not taken for a crash.
pub const HALT_EXIT_CODE: i32 = 2;

/// How long a halting node stays connected before it exits, so that peers
/// behind it can still reach the halt height.
pub const HALT_GRACE: std::time::Duration = std::time::Duration::from_secs(3);

/// Test networks only: plan names (comma-separated) that this process
/// treats as applied by a handler that changes no state, so a test can show
/// a node "with the new binary" going on past a plan's height.
pub const NOOP_HANDLERS_ENV: &str = "VENICE_UPGRADE_NOOP_HANDLERS";

/// This binary's upgrade handlers. Each release that answers a plan adds
/// its handler here, named as the plan (`.with("v2", Arc::new(migrate_v2))`).
pub fn handlers() -> UpgradeHandlers {
    let mut h = UpgradeHandlers::new();
    if let Ok(names) = std::env::var(NOOP_HANDLERS_ENV) {
        for name in names.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            tracing::warn!(name, "{NOOP_HANDLERS_ENV}: registering a no-op upgrade handler");
            h = h.with_noop(name);
        }
    }
    h
}

/// Write `<data>/upgrade-info.json` as the SDK's `DumpUpgradeInfoToDisk`
/// does, for a halt that needs a new binary.
pub fn write_upgrade_info(data_dir: &Path, halt: &Halt) -> std::io::Result<()> {
    let Some(plan) = halt.needed_plan() else { return Ok(()) };
    let json = serde_json::json!({ "name": plan.name, "height": plan.height, "info": plan.info });
    std::fs::write(data_dir.join("upgrade-info.json"), serde_json::to_vec(&json)?)
}
