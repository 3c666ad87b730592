//! What slashing needs of staking (the SDK's `x/slashing/types/expected_keepers.go`),
//! and staking's answer to it. Every call enters staking's store scope.

use venice_sdk::{Address, Ctx, Result};
use venice_staking::{Staking, Validator};
use venice_types::Dec;

pub trait StakingKeeper: Send + Sync {
    fn validator_by_cons(&self, ctx: &mut Ctx, cons: &Address) -> Result<Option<Validator>>;
    fn validator(&self, ctx: &mut Ctx, op: &Address) -> Result<Option<Validator>>;
    /// Tokens of `del`'s delegation to `val` (truncated), if any.
    fn delegation_tokens(&self, ctx: &mut Ctx, del: &Address, val: &Address) -> Result<Option<u128>>;
    /// Burn `fraction` of the stake behind `power` at `infraction_height`;
    /// the tokens burned from the validator itself.
    fn slash(&self, ctx: &mut Ctx, cons: &Address, infraction_height: i64, power: i64, fraction: Dec) -> Result<u128>;
    fn jail(&self, ctx: &mut Ctx, cons: &Address) -> Result<()>;
    fn unjail(&self, ctx: &mut Ctx, cons: &Address) -> Result<()>;
}

impl StakingKeeper for Staking {
    fn validator_by_cons(&self, ctx: &mut Ctx, cons: &Address) -> Result<Option<Validator>> {
        self.validator_by_cons_addr(ctx, cons)
    }
    fn validator(&self, ctx: &mut Ctx, op: &Address) -> Result<Option<Validator>> {
        self.validator_of(ctx, op)
    }
    fn delegation_tokens(&self, ctx: &mut Ctx, del: &Address, val: &Address) -> Result<Option<u128>> {
        Staking::delegation_tokens(self, ctx, del, val)
    }
    fn slash(&self, ctx: &mut Ctx, cons: &Address, infraction_height: i64, power: i64, fraction: Dec) -> Result<u128> {
        Staking::slash(self, ctx, cons, infraction_height, power, fraction)
    }
    fn jail(&self, ctx: &mut Ctx, cons: &Address) -> Result<()> {
        self.jail_by_cons(ctx, cons)
    }
    fn unjail(&self, ctx: &mut Ctx, cons: &Address) -> Result<()> {
        self.unjail_by_cons(ctx, cons)
    }
}
