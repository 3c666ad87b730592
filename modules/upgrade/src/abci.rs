//! The upgrade module's pre-block decision (the SDK's x/upgrade
//! `PreBlocker`), called by the app before any other hook of a block:
//!
//! - a plan due at this height with a handler in this binary: the handler
//!   runs (in its own state layer, with every module's state in reach),
//!   the plan is recorded as applied at this height and cleared;
//! - a plan due without a handler: [`Halt::UpgradeNeeded`];
//! - a plan not yet due whose handler this binary already has:
//!   [`Halt::BinaryTooNew`] ("BINARY UPDATED BEFORE TRIGGER");
//! - on the first block this process runs, with no plan due: the last
//!   applied plan must have a handler here, else [`Halt::MissingHandler`]
//!   (an old binary started past an upgrade).
//!
//! A [`Halt`] is not a failed block: the app does not finalise the block,
//! logs the halt and stops the process (app/src/abci.rs), so nothing of the
//! block is committed and the same binary, restarted, halts at the same
//! height again.

use std::sync::atomic::Ordering;

use tracing::info;
use venice_sdk::manager::unwind_safe;
use venice_sdk::module::module_error;
use venice_sdk::{Ctx, Error, Event};

use crate::error::HALT_CODE;
use crate::state::{self, PREFIX, Plan};
use crate::{MODULE, Upgrade};

/// Why the node must stop at this block.
#[derive(thiserror::Error, Debug, Clone, PartialEq, Eq)]
pub enum Halt {
    /// The SDK's words, which tools (cosmovisor) parse.
    #[error("UPGRADE \"{name}\" NEEDED at height: {height}: {info}")]
    UpgradeNeeded { name: String, height: u64, info: String },
    #[error("BINARY UPDATED BEFORE TRIGGER! UPGRADE \"{name}\" - in binary but not executed on chain. Downgrade your binary")]
    BinaryTooNew { name: String },
    #[error("wrong binary: the upgrade handler is missing for the applied {name} upgrade plan")]
    MissingHandler { name: String },
    #[error("upgrade \"{name}\" at height {height}: its handler failed: {error}")]
    HandlerFailed { name: String, height: u64, error: String },
}

impl Halt {
    /// The plan to write to `upgrade-info.json` (only for a needed upgrade,
    /// as the SDK's `DumpUpgradeInfoToDisk`).
    pub fn needed_plan(&self) -> Option<Plan> {
        match self {
            Halt::UpgradeNeeded { name, height, info } => Some(Plan { name: name.clone(), height: *height, info: info.clone() }),
            _ => None,
        }
    }
}

impl From<Halt> for Error {
    fn from(h: Halt) -> Self {
        module_error(MODULE, HALT_CODE, h)
    }
}

/// Whether `e` is a [`Halt`] (the app's test for "stop the node").
pub fn is_halt(e: &Error) -> bool {
    matches!(e, Error::Module { codespace, code, .. } if *codespace == MODULE && *code == HALT_CODE)
}

impl Upgrade {
    /// Decide this block (see the module doc): `Ok(Some(halt))` means stop
    /// without finalising it. `ctx` is the block's context, at top level
    /// (no module scope). An `Err` is a store failure (fatal for the block
    /// too, but not a halt).
    pub fn decide(&self, ctx: &mut Ctx) -> Result<Option<Halt>, Error> {
        let height = ctx.info.height;
        let plan = ctx.scoped(PREFIX, state::plan)?;
        let due = plan.as_ref().is_some_and(|p| p.due_at(height));
        if !self.downgrade_verified.swap(true, Ordering::SeqCst)
            && !due
            && let Some((name, _)) = ctx.scoped(PREFIX, state::last_done)?
            && !self.handlers.contains(&name)
        {
            // Checked again by the next block: the check is not state.
            self.downgrade_verified.store(false, Ordering::SeqCst);
            return Ok(Some(Halt::MissingHandler { name }));
        }
        let Some(plan) = plan else { return Ok(None) };
        if !due {
            return Ok(self.handlers.contains(&plan.name).then_some(Halt::BinaryTooNew { name: plan.name }));
        }
        let Some(handler) = self.handlers.get(&plan.name).cloned() else {
            return Ok(Some(Halt::UpgradeNeeded { name: plan.name, height, info: plan.info }));
        };
        info!("applying upgrade \"{}\" at height: {height}", plan.name);
        ctx.push_layer();
        match unwind_safe(ctx, |ctx| handler(ctx, &plan)) {
            Ok(()) => ctx.commit_layer(),
            Err(e) => {
                ctx.discard_layer();
                return Ok(Some(Halt::HandlerFailed { name: plan.name, height, error: e.to_string() }));
            }
        }
        ctx.scoped(PREFIX, |ctx| {
            state::set_done(ctx, &plan.name, height)?;
            state::clear_plan(ctx)
        })?;
        ctx.emit(Event::new("upgrade").attr("name", plan.name).attr("height", height.to_string()).attr("module", MODULE));
        Ok(None)
    }

    /// [`Upgrade::decide`] with a halt as its typed error ([`is_halt`]).
    pub fn pre_block(&self, ctx: &mut Ctx) -> Result<(), Error> {
        match self.decide(ctx)? {
            Some(halt) => Err(halt.into()),
            None => Ok(()),
        }
    }
}
