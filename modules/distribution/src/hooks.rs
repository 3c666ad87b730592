//! distribution's side of staking's hooks (x/distribution's `hooks.go`):
//! validator records created and removed with the validator, rewards
//! withdrawn before a delegation's shares change and tracking restarted
//! after, and slashes recorded as period boundaries.

use venice_sdk::{Address, Ctx, Result};
use venice_staking::hooks::StakingHooks;
use venice_types::Dec;

use crate::Distribution;
use crate::error::DistributionError;

impl StakingHooks for Distribution {
    fn after_validator_created(&self, ctx: &mut Ctx, val: &Address) -> Result<()> {
        self.initialize_validator(ctx, val)
    }

    fn after_validator_removed(&self, ctx: &mut Ctx, _cons: &Address, val: &Address) -> Result<()> {
        self.remove_validator(ctx, val)
    }

    /// A new delegation starts a new period, so it earns nothing of the
    /// rewards accrued before it.
    fn before_delegation_created(&self, ctx: &mut Ctx, _del: &Address, val: &Address) -> Result<()> {
        let v = self.staking.validator(ctx, val)?.ok_or(DistributionError::NoValidatorExists)?;
        self.increment_validator_period(ctx, &v).map(|_| ())
    }

    /// Rewards are paid out at the old stake before it changes (the SDK's
    /// auto-withdrawal).
    fn before_delegation_shares_modified(&self, ctx: &mut Ctx, del: &Address, val: &Address) -> Result<()> {
        let v = self.staking.validator(ctx, val)?.ok_or(DistributionError::NoValidatorExists)?;
        let shares = self.staking.delegation(ctx, del, val)?.ok_or(DistributionError::NoDelegationExists)?;
        self.withdraw_delegation_rewards(ctx, &v, del, shares).map(|_| ())
    }

    fn after_delegation_modified(&self, ctx: &mut Ctx, del: &Address, val: &Address) -> Result<()> {
        self.initialize_delegation(ctx, val, del)
    }

    fn before_validator_slashed(&self, ctx: &mut Ctx, val: &Address, fraction: Dec) -> Result<()> {
        self.record_slash(ctx, val, fraction)
    }
}
