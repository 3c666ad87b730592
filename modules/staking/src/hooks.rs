//! The SDK's `StakingHooks`: points where distribution (reward accounting
//! per delegation) and slashing (signing info, evidence) follow stake. The
//! keeper calls them where x/staking does; an error fails the message.
//! Hooks run inside staking's store scope: an implementation enters its own
//! module's scope for its writes, as a keeper does.

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
