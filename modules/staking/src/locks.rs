//! Bonded stake locked behind compute credits (the inference module's
//! `StakeLocker`): a per-delegator amount, not tied to a validator. A
//! delegator's bonded stake is what its delegations to bonded validators are
//! worth; an undelegation or redelegation that lowers it below the locked
//! amount is refused (`StakingError::StakeLocked`). Slashing may still take
//! it below: the lock is then simply larger than the stake behind it.

use venice_sdk::{Address, Ctx, Error, Result};

use crate::error::StakingError;
use crate::{Staking, state};

/// What `del`'s delegations to bonded validators are worth (truncated).
/// Call inside staking's scope.
pub(crate) fn bonded_stake_in(ctx: &mut Ctx, del: &Address) -> Result<u128> {
    let mut total = 0u128;
    for (val, shares) in state::delegator_delegations(ctx, del, None, usize::MAX)? {
        if let Some(v) = state::validator(ctx, &val)?
            && v.is_bonded()
        {
            total = total.saturating_add(v.tokens_from_shares(shares)?.truncate_int());
        }
    }
    Ok(total)
}

/// Refuse a move that lowered `del`'s bonded stake from `before` below its
/// lock (one that raises it, or leaves it, is always fine). Inside scope.
pub(crate) fn check_after_move(ctx: &mut Ctx, del: &Address, before: u128) -> Result<()> {
    let locked = state::locked_stake(ctx, del)?;
    if locked == 0 {
        return Ok(());
    }
    let after = bonded_stake_in(ctx, del)?;
    if after < before && after < locked {
        return Err(StakingError::StakeLocked { locked, left: after }.into());
    }
    Ok(())
}

impl Staking {
    /// `del`'s bonded stake (from outside staking).
    pub fn bonded_stake(&self, ctx: &mut Ctx, del: &Address) -> Result<u128> {
        ctx.scoped(state::PREFIX, |ctx| bonded_stake_in(ctx, del))
    }

    pub fn locked_stake(&self, ctx: &mut Ctx, del: &Address) -> Result<u128> {
        ctx.scoped(state::PREFIX, |ctx| state::locked_stake(ctx, del))
    }

    /// Bonded stake not locked yet.
    pub fn unlocked_stake(&self, ctx: &mut Ctx, del: &Address) -> Result<u128> {
        ctx.scoped(state::PREFIX, |ctx| Ok(bonded_stake_in(ctx, del)?.saturating_sub(state::locked_stake(ctx, del)?)))
    }

    /// Lock `amount` more of `del`'s bonded stake; it must be unlocked now.
    pub fn lock_stake(&self, ctx: &mut Ctx, del: &Address, amount: u128) -> Result<()> {
        ctx.scoped(state::PREFIX, |ctx| {
            let locked = state::locked_stake(ctx, del)?;
            let bonded = bonded_stake_in(ctx, del)?;
            let total = locked.checked_add(amount).ok_or_else(|| crate::error::overflow("locked stake"))?;
            if total > bonded {
                return Err(StakingError::StakeLocked { locked: total, left: bonded }.into());
            }
            state::set_locked_stake(ctx, del, total)
        })
    }

    /// Release `amount` of `del`'s lock; more than it holds is a bug of the caller.
    pub fn unlock_stake(&self, ctx: &mut Ctx, del: &Address, amount: u128) -> Result<()> {
        ctx.scoped(state::PREFIX, |ctx| {
            let locked = state::locked_stake(ctx, del)?;
            let left = locked
                .checked_sub(amount)
                .ok_or_else(|| Error::Internal(format!("unlocking {amount} of {} locked for {}", locked, del.to_bech32())))?;
            state::set_locked_stake(ctx, del, left)
        })
    }
}
