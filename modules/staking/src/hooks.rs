//! The SDK's `StakingHooks`: points where distribution (reward accounting
//! per delegation) and slashing (signing info, evidence) follow stake. The
//! keeper calls them where x/staking does; an error fails the message.
//! Hooks run inside staking's store scope: an implementation enters its own
//! module's scope for its writes, as a keeper does.

use std::sync::{Arc, OnceLock};

use venice_sdk::{Address, Ctx, Result};
use venice_types::Dec;

#[allow(unused_variables)]
pub trait StakingHooks: Send + Sync {
    fn after_validator_created(&self, ctx: &mut Ctx, val: &Address) -> Result<()> {
        Ok(())
    }
    fn before_validator_modified(&self, ctx: &mut Ctx, val: &Address) -> Result<()> {
        Ok(())
    }
    fn after_validator_removed(&self, ctx: &mut Ctx, cons: &Address, val: &Address) -> Result<()> {
        Ok(())
    }
    fn after_validator_bonded(&self, ctx: &mut Ctx, cons: &Address, val: &Address) -> Result<()> {
        Ok(())
    }
    fn after_validator_begin_unbonding(&self, ctx: &mut Ctx, cons: &Address, val: &Address) -> Result<()> {
        Ok(())
    }
    fn before_delegation_created(&self, ctx: &mut Ctx, del: &Address, val: &Address) -> Result<()> {
        Ok(())
    }
    fn before_delegation_shares_modified(&self, ctx: &mut Ctx, del: &Address, val: &Address) -> Result<()> {
        Ok(())
    }
    fn before_delegation_removed(&self, ctx: &mut Ctx, del: &Address, val: &Address) -> Result<()> {
        Ok(())
    }
    fn after_delegation_modified(&self, ctx: &mut Ctx, del: &Address, val: &Address) -> Result<()> {
        Ok(())
    }
    fn before_validator_slashed(&self, ctx: &mut Ctx, val: &Address, fraction: Dec) -> Result<()> {
        Ok(())
    }
    fn after_unbonding_initiated(&self, ctx: &mut Ctx, id: u64) -> Result<()> {
        Ok(())
    }
}

/// No module follows stake yet.
pub struct NoHooks;

impl StakingHooks for NoHooks {}

/// Several modules' hooks, called in order (the SDK's `MultiStakingHooks`).
/// Set once after the modules that follow stake are built: they hold a
/// staking keeper themselves, so staking is created first and told of them
/// after (the SDK's `SetHooks`).
#[derive(Default)]
pub struct MultiHooks(OnceLock<Vec<Arc<dyn StakingHooks>>>);

impl MultiHooks {
    /// Install the hooks; a second call is a wiring bug and is refused.
    pub fn set(&self, hooks: Vec<Arc<dyn StakingHooks>>) -> std::result::Result<(), &'static str> {
        self.0.set(hooks).map_err(|_| "staking hooks are already set")
    }

    fn each(&self, mut f: impl FnMut(&dyn StakingHooks) -> Result<()>) -> Result<()> {
        for h in self.0.get().map_or(&[][..], |v| v.as_slice()) {
            f(h.as_ref())?;
        }
        Ok(())
    }
}

impl StakingHooks for MultiHooks {
    fn after_validator_created(&self, ctx: &mut Ctx, val: &Address) -> Result<()> {
        self.each(|h| h.after_validator_created(ctx, val))
    }
    fn before_validator_modified(&self, ctx: &mut Ctx, val: &Address) -> Result<()> {
        self.each(|h| h.before_validator_modified(ctx, val))
    }
    fn after_validator_removed(&self, ctx: &mut Ctx, cons: &Address, val: &Address) -> Result<()> {
        self.each(|h| h.after_validator_removed(ctx, cons, val))
    }
    fn after_validator_bonded(&self, ctx: &mut Ctx, cons: &Address, val: &Address) -> Result<()> {
        self.each(|h| h.after_validator_bonded(ctx, cons, val))
    }
    fn after_validator_begin_unbonding(&self, ctx: &mut Ctx, cons: &Address, val: &Address) -> Result<()> {
        self.each(|h| h.after_validator_begin_unbonding(ctx, cons, val))
    }
    fn before_delegation_created(&self, ctx: &mut Ctx, del: &Address, val: &Address) -> Result<()> {
        self.each(|h| h.before_delegation_created(ctx, del, val))
    }
    fn before_delegation_shares_modified(&self, ctx: &mut Ctx, del: &Address, val: &Address) -> Result<()> {
        self.each(|h| h.before_delegation_shares_modified(ctx, del, val))
    }
    fn before_delegation_removed(&self, ctx: &mut Ctx, del: &Address, val: &Address) -> Result<()> {
        self.each(|h| h.before_delegation_removed(ctx, del, val))
    }
    fn after_delegation_modified(&self, ctx: &mut Ctx, del: &Address, val: &Address) -> Result<()> {
        self.each(|h| h.after_delegation_modified(ctx, del, val))
    }
    fn before_validator_slashed(&self, ctx: &mut Ctx, val: &Address, fraction: Dec) -> Result<()> {
        self.each(|h| h.before_validator_slashed(ctx, val, fraction))
    }
    fn after_unbonding_initiated(&self, ctx: &mut Ctx, id: u64) -> Result<()> {
        self.each(|h| h.after_unbonding_initiated(ctx, id))
    }
}
