//! Slashing a validator, as x/staking's `keeper/slash.go` does it: the
//! stake that was bonded to it at the infraction height pays, whether it is
//! still delegated, unbonding (entries created at or after that height) or
//! redelegated away since (the destination shares are unbonded and burned).
//! Burned tokens leave the bonded or not-bonded pool through bank, so the
//! supply falls by exactly what was burned.
//!
//! These are staking's entry points for slashing and evidence: each enters
//! staking's store scope itself, so another module's keeper may call them.

use venice_sdk::{Address, Coins, Ctx, Error, Result};
use venice_types::{Coin, Dec};

use crate::error::{StakingError, overflow};
use crate::keeper::now;
use crate::types::{BondStatus, Redelegation, UnbondingDelegation, Validator};
use crate::{POWER_REDUCTION, Staking, bonded_pool, not_bonded_pool, state};

impl Staking {
    /// The validator whose consensus address is `cons`, if any.
    pub fn validator_by_cons_addr(&self, ctx: &mut Ctx, cons: &Address) -> Result<Option<Validator>> {
        ctx.scoped(state::PREFIX, |ctx| match state::validator_by_cons(ctx, cons)? {
            Some(op) => state::validator(ctx, &op),
            None => Ok(None),
        })
    }

    /// The validator operated by `op`, if any (from outside staking).
    pub fn validator_of(&self, ctx: &mut Ctx, op: &Address) -> Result<Option<Validator>> {
        ctx.scoped(state::PREFIX, |ctx| state::validator(ctx, op))
    }

    /// The tokens `del`'s delegation to `val` is worth (truncated), if any.
    pub fn delegation_tokens(&self, ctx: &mut Ctx, del: &Address, val: &Address) -> Result<Option<u128>> {
        ctx.scoped(state::PREFIX, |ctx| {
            let (Some(shares), Some(v)) = (state::delegation(ctx, del, val)?, state::validator(ctx, val)?) else { return Ok(None) };
            Ok(Some(v.tokens_from_shares(shares)?.truncate_int()))
        })
    }

    /// The bond denomination (slash events show burned coins in it).
    pub fn bond_denom(&self, ctx: &mut Ctx) -> Result<String> {
        ctx.scoped(state::PREFIX, |ctx| Ok(state::params(ctx)?.bond_denom))
    }

    /// Jail the validator of consensus address `cons` (the SDK's `Jail`):
    /// it leaves CometBFT's set at the next end block.
    pub fn jail_by_cons(&self, ctx: &mut Ctx, cons: &Address) -> Result<()> {
        ctx.scoped(state::PREFIX, |ctx| {
            let mut v = self.validator_by_cons_addr(ctx, cons)?.ok_or(StakingError::NoValidatorFound)?;
            self.jail(ctx, &mut v)
        })
    }

    /// Unjail the validator of consensus address `cons` (the SDK's `Unjail`).
    pub fn unjail_by_cons(&self, ctx: &mut Ctx, cons: &Address) -> Result<()> {
        ctx.scoped(state::PREFIX, |ctx| {
            let mut v = self.validator_by_cons_addr(ctx, cons)?.ok_or(StakingError::NoValidatorFound)?;
            if !v.jailed {
                return Err(Error::Internal("cannot unjail already unjailed validator".into()));
            }
            self.unjail(ctx, &mut v)
        })
    }

    /// The SDK's `Slash(consAddr, infractionHeight, power, slashFactor)`:
    /// `fraction` of the tokens behind `power` (the power CometBFT saw at
    /// the infraction) is burned, first from unbonding and redelegated stake
    /// that began at or after `infraction_height`, the rest from the
    /// validator's own tokens. Returns the tokens burned from the validator
    /// (0 when it is gone: it may have unbonded and been removed).
    pub fn slash(&self, ctx: &mut Ctx, cons: &Address, infraction_height: i64, power: i64, fraction: Dec) -> Result<u128> {
        ctx.scoped(state::PREFIX, |ctx| self.slash_scoped(ctx, cons, infraction_height, power, fraction))
    }

    fn slash_scoped(&self, ctx: &mut Ctx, cons: &Address, infraction_height: i64, power: i64, fraction: Dec) -> Result<u128> {
        if fraction > Dec::ONE {
            return Err(Error::InvalidRequest(format!("slash fraction {} above one", fraction.to_sdk_string())));
        }
        let amount = u128::try_from(power.max(0)).unwrap_or(0).checked_mul(POWER_REDUCTION).ok_or_else(|| overflow("slash power"))?;
        let slash_amount = fraction.mul_int(amount).ok_or_else(|| overflow("slash amount"))?.truncate_int();
        let Some(op) = state::validator_by_cons(ctx, cons)? else { return Ok(0) };
        let mut v = self.get_validator(ctx, &op)?;
        if v.status == BondStatus::Unbonded {
            return Err(Error::Internal(format!("should not be slashing unbonded validator: {}", op.to_valoper())));
        }
        self.hooks.before_validator_modified(ctx, &op)?;
        let height = ctx.info.height as i64;
        let mut remaining = slash_amount;
        if infraction_height > height {
            return Err(Error::Internal(format!(
                "impossible attempt to slash future infraction at height {infraction_height} but we are at height {height}"
            )));
        }
        if infraction_height < height {
            for del in state::validator_ubd_delegators(ctx, &op, None, usize::MAX)? {
                let Some(ubd) = state::ubd(ctx, &del, &op)? else { continue };
                let slashed = self.slash_unbonding_delegation(ctx, ubd, infraction_height, fraction)?;
                remaining = remaining.saturating_sub(slashed);
            }
            for red in state::reds_from(ctx, &op)? {
                let slashed = self.slash_redelegation(ctx, red, infraction_height, fraction)?;
                remaining = remaining.saturating_sub(slashed);
            }
        }
        let burn = remaining.min(v.tokens);
        if burn == 0 {
            return Ok(0);
        }
        // What share of its tokens the validator loses (rounded up, at most
        // one): distribution scales its reward accounting by it.
        let effective = quo_round_up(burn, v.tokens)?.min(Dec::ONE);
        self.hooks.before_validator_slashed(ctx, &op, effective)?;
        state::delete_power_index(ctx, &v)?;
        v.tokens -= burn;
        state::set_validator(ctx, &v)?;
        state::set_power_index(ctx, &v)?;
        match v.status {
            BondStatus::Bonded => self.burn_from(ctx, &bonded_pool(), burn)?,
            BondStatus::Unbonding | BondStatus::Unbonded => self.burn_from(ctx, &not_bonded_pool(), burn)?,
        }
        Ok(burn)
    }

    /// Burn `fraction` of each entry of `ubd` created at or after the
    /// infraction and not yet mature; returns what should have been burned
    /// (by initial balance), as the SDK counts it against the slash.
    pub fn slash_unbonding_delegation(
        &self,
        ctx: &mut Ctx,
        mut ubd: UnbondingDelegation,
        infraction_height: i64,
        fraction: Dec,
    ) -> Result<u128> {
        let t = now(ctx);
        let (mut total, mut burned) = (0u128, 0u128);
        for e in ubd.entries.iter_mut() {
            if e.creation_height < infraction_height || (e.is_mature(t) && e.unbonding_on_hold_ref_count == 0) {
                continue;
            }
            let amount = fraction.mul_int(e.initial_balance).ok_or_else(|| overflow("unbonding slash"))?.truncate_int();
            total = total.checked_add(amount).ok_or_else(|| overflow("unbonding slash total"))?;
            let take = amount.min(e.balance);
            e.balance -= take;
            burned += take;
        }
        if burned > 0 {
            state::set_ubd(ctx, &ubd)?;
            self.burn_from(ctx, &not_bonded_pool(), burned)?;
        }
        Ok(total)
    }

    /// Slash what `red` moved away after the infraction: its unbonding from
    /// the destination first (undelegated after redelegating), then the
    /// destination shares it still holds, unbonded and burned from the pool
    /// of the destination's status.
    pub fn slash_redelegation(&self, ctx: &mut Ctx, red: Redelegation, infraction_height: i64, fraction: Dec) -> Result<u128> {
        let t = now(ctx);
        let (del, dst) = (red.delegator.clone(), red.dst.clone());
        let (mut total, mut bonded_burn, mut not_bonded_burn) = (0u128, 0u128, 0u128);
        for entry in &red.entries {
            if entry.creation_height < infraction_height || (entry.is_mature(t) && entry.unbonding_on_hold_ref_count == 0) {
                continue;
            }
            let mut amount = fraction.mul_int(entry.initial_balance).ok_or_else(|| overflow("redelegation slash"))?.truncate_int();
            total = total.checked_add(amount).ok_or_else(|| overflow("redelegation slash total"))?;
            if let Some(mut ubd) = state::ubd(ctx, &del, &dst)? {
                let mut changed = false;
                for e in ubd.entries.iter_mut() {
                    let take = amount.min(e.balance);
                    if take == 0 || e.creation_height < infraction_height || (e.is_mature(t) && e.unbonding_on_hold_ref_count == 0) {
                        continue;
                    }
                    amount -= take;
                    not_bonded_burn += take;
                    e.balance -= take;
                    changed = true;
                }
                if changed {
                    state::set_ubd(ctx, &ubd)?;
                }
            }
            let shares = fraction.checked_mul(entry.shares_dst).ok_or_else(|| overflow("redelegation shares"))?;
            if shares.is_zero() || amount == 0 {
                continue;
            }
            let Some(held) = state::delegation(ctx, &del, &dst)? else { continue };
            let tokens = self.unbond(ctx, &del, &dst, shares.min(held))?;
            // The tokens live with the destination: its status says which pool.
            match state::validator(ctx, &dst)?.map(|v| v.status) {
                Some(BondStatus::Bonded) => bonded_burn += tokens,
                _ => not_bonded_burn += tokens,
            }
        }
        self.burn_from(ctx, &bonded_pool(), bonded_burn)?;
        self.burn_from(ctx, &not_bonded_pool(), not_bonded_burn)?;
        Ok(total)
    }

    fn burn_from(&self, ctx: &mut Ctx, pool: &Address, amount: u128) -> Result<()> {
        if amount == 0 {
            return Ok(());
        }
        let denom = state::params(ctx)?.bond_denom;
        let coins = Coins::normalize([Coin::new(denom, amount)])?;
        self.bank.burn(ctx, pool, &coins)
    }
}

/// `a / b` as a decimal rounded up (the SDK's `QuoRoundUp`), `b > 0`.
fn quo_round_up(a: u128, b: u128) -> Result<Dec> {
    let floor = Dec::ONE.mul_int_quo_int(a, b).ok_or_else(|| overflow("slash fraction"))?;
    // Exact when floor * b == a * 10^18; otherwise one atto more.
    let exact = match (floor.atto().checked_mul(b), a.checked_mul(venice_types::dec::DEC_SCALE)) {
        (Some(x), Some(y)) => x == y,
        _ => false,
    };
    if exact { Ok(floor) } else { Ok(Dec::from_atto(floor.atto() + 1)) }
}

#[cfg(test)]
mod tests {
    use super::quo_round_up;
    use venice_types::Dec;

    #[test]
    fn effective_fraction_rounds_up() {
        assert_eq!(quo_round_up(1, 2).unwrap(), Dec::parse("0.5").unwrap());
        assert_eq!(quo_round_up(1, 3).unwrap(), Dec::parse("0.333333333333333334").unwrap());
        assert_eq!(quo_round_up(5, 5).unwrap(), Dec::ONE);
    }
}
