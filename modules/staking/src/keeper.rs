//! The staking keeper: delegation arithmetic and the coin moves behind it,
//! as x/staking's `keeper/delegation.go` does them. Every coin move goes
//! through bank between an account and the pools, or between the pools, so
//! the pools always hold exactly the validators' tokens plus the unbonding
//! entries' balances.

use venice_sdk::{Address, Coins, Ctx, Error, Result};
use venice_types::time::Timestamp;
use venice_types::{Coin, Dec};

use crate::error::{StakingError, overflow};
use crate::types::{BondStatus, Redelegation, RedelegationEntry, UnbondingDelegation, UnbondingEntry, Validator};
use crate::{Staking, bonded_pool, not_bonded_pool, state};

pub fn now(ctx: &Ctx) -> Timestamp {
    Timestamp::new(ctx.info.time_secs, ctx.info.time_nanos)
}

impl Staking {
    pub fn get_validator(&self, ctx: &mut Ctx, op: &Address) -> Result<Validator> {
        state::validator(ctx, op)?.ok_or_else(|| StakingError::NoValidatorFound.into())
    }

    fn coins(&self, ctx: &mut Ctx, amount: u128) -> Result<Coins> {
        let denom = state::params(ctx)?.bond_denom;
        Ok(Coins::normalize([Coin::new(denom, amount)])?)
    }

    pub(crate) fn bonded_to_not_bonded(&self, ctx: &mut Ctx, amount: u128) -> Result<()> {
        if amount == 0 {
            return Ok(());
        }
        let coins = self.coins(ctx, amount)?;
        self.bank.send(ctx, &bonded_pool(), &not_bonded_pool(), &coins)
    }

    pub(crate) fn not_bonded_to_bonded(&self, ctx: &mut Ctx, amount: u128) -> Result<()> {
        if amount == 0 {
            return Ok(());
        }
        let coins = self.coins(ctx, amount)?;
        self.bank.send(ctx, &not_bonded_pool(), &bonded_pool(), &coins)
    }

    /// Change a validator's tokens and shares, keeping the power index in step.
    fn add_tokens_and_shares(&self, ctx: &mut Ctx, v: &mut Validator, amount: u128) -> Result<Dec> {
        state::delete_power_index(ctx, v)?;
        let issued = v.add_tokens_from_del(amount)?;
        state::set_validator(ctx, v)?;
        state::set_power_index(ctx, v)?;
        Ok(issued)
    }

    fn remove_tokens_and_shares(&self, ctx: &mut Ctx, v: &mut Validator, shares: Dec) -> Result<u128> {
        state::delete_power_index(ctx, v)?;
        let tokens = v.remove_del_shares(shares)?;
        state::set_validator(ctx, v)?;
        state::set_power_index(ctx, v)?;
        Ok(tokens)
    }

    /// Delegate `amount` to `v`: from the delegator's account when
    /// `from_account`, else from tokens already in the pool of `src`
    /// status (redelegation, cancelled unbonding). Returns the new shares.
    pub fn delegate(
        &self,
        ctx: &mut Ctx,
        del: &Address,
        amount: u128,
        src: BondStatus,
        v: &mut Validator,
        from_account: bool,
    ) -> Result<Dec> {
        if v.invalid_ex_rate() {
            return Err(StakingError::DelegatorShareExRateInvalid.into());
        }
        let existing = state::delegation(ctx, del, &v.operator)?;
        match existing {
            Some(_) => self.hooks.before_delegation_shares_modified(ctx, del, &v.operator)?,
            None => self.hooks.before_delegation_created(ctx, del, &v.operator)?,
        }
        if from_account {
            if src == BondStatus::Bonded {
                return Err(Error::Internal("delegation from an account cannot come from bonded tokens".into()));
            }
            let pool = if v.is_bonded() { bonded_pool() } else { not_bonded_pool() };
            let coins = self.coins(ctx, amount)?;
            self.bank.delegate_coins(ctx, del, &pool, &coins)?;
        } else {
            match (src == BondStatus::Bonded, v.is_bonded()) {
                (false, true) => self.not_bonded_to_bonded(ctx, amount)?,
                (true, false) => self.bonded_to_not_bonded(ctx, amount)?,
                _ => {}
            }
        }
        let issued = self.add_tokens_and_shares(ctx, v, amount)?;
        let shares = existing.unwrap_or(Dec::ZERO).checked_add(issued).ok_or_else(|| overflow("delegation shares"))?;
        state::set_delegation(ctx, del, &v.operator, shares)?;
        self.hooks.after_delegation_modified(ctx, del, &v.operator)?;
        Ok(issued)
    }

    /// Shares to remove for `amount` tokens (the SDK's `ValidateUnbondAmount`):
    /// capped at the delegation, so the whole of it can always leave.
    pub fn validate_unbond_amount(&self, ctx: &mut Ctx, del: &Address, val: &Address, amount: u128) -> Result<Dec> {
        let v = self.get_validator(ctx, val)?;
        let del_shares = state::delegation(ctx, del, val)?.ok_or(StakingError::NoDelegation)?;
        // SharesFromTokens and SharesFromTokensTruncated are the same floor.
        let shares = v.shares_from_tokens(amount)?;
        if shares > del_shares {
            return Err(Error::InvalidRequest("invalid shares amount".into()));
        }
        Ok(shares)
    }

    /// Remove `shares` of a delegation; the tokens they were worth leave the
    /// validator (the caller moves them on). The operator's own delegation
    /// falling below its minimum self-delegation jails the validator.
    pub fn unbond(&self, ctx: &mut Ctx, del: &Address, val: &Address, shares: Dec) -> Result<u128> {
        let del_shares = state::delegation(ctx, del, val)?.ok_or(StakingError::NoDelegation)?;
        self.hooks.before_delegation_shares_modified(ctx, del, val)?;
        let remaining = del_shares.checked_sub(shares).ok_or(StakingError::NotEnoughDelegationShares)?;
        let mut v = self.get_validator(ctx, val)?;
        if del == val && !v.jailed && v.tokens_from_shares(remaining)?.truncate_int() < v.min_self_delegation {
            self.jail(ctx, &mut v)?;
        }
        if remaining.is_zero() {
            self.hooks.before_delegation_removed(ctx, del, val)?;
            state::remove_delegation(ctx, del, val)?;
        } else {
            state::set_delegation(ctx, del, val, remaining)?;
            self.hooks.after_delegation_modified(ctx, del, val)?;
        }
        let amount = self.remove_tokens_and_shares(ctx, &mut v, shares)?;
        if v.delegator_shares.is_zero() && v.status == BondStatus::Unbonded {
            self.remove_validator(ctx, &v)?;
        }
        Ok(amount)
    }

    /// Start unbonding `shares`: the tokens wait in the not-bonded pool
    /// until block time + unbonding_time. Returns (completion time, amount).
    pub fn undelegate(&self, ctx: &mut Ctx, del: &Address, val: &Address, shares: Dec) -> Result<(Timestamp, u128)> {
        let v = state::validator(ctx, val)?.ok_or(StakingError::NoDelegatorForAddress)?;
        let params = state::params(ctx)?;
        if state::ubd(ctx, del, val)?.is_some_and(|u| u.entries.len() >= params.max_entries as usize) {
            return Err(StakingError::MaxUnbondingDelegationEntries.into());
        }
        let amount = self.unbond(ctx, del, val, shares)?;
        if v.is_bonded() {
            self.bonded_to_not_bonded(ctx, amount)?;
        }
        let completion = now(ctx).plus(params.unbonding_time);
        let height = ctx.info.height as i64;
        let id = state::next_unbonding_id(ctx)?;
        let mut u =
            state::ubd(ctx, del, val)?.unwrap_or(UnbondingDelegation { delegator: del.clone(), validator: val.clone(), entries: vec![] });
        // Same height and completion: one entry, as the SDK's AddEntry merges them.
        match u.entries.iter_mut().find(|e| e.creation_height == height && e.completion_time == completion) {
            Some(e) => {
                e.balance = e.balance.checked_add(amount).ok_or_else(|| overflow("unbonding balance"))?;
                e.initial_balance = e.initial_balance.checked_add(amount).ok_or_else(|| overflow("unbonding balance"))?;
            }
            None => u.entries.push(UnbondingEntry {
                creation_height: height,
                completion_time: completion,
                initial_balance: amount,
                balance: amount,
                unbonding_id: id,
                unbonding_on_hold_ref_count: 0,
            }),
        }
        state::set_ubd(ctx, &u)?;
        state::push_ubd_queue(ctx, completion, del, val)?;
        self.hooks.after_unbonding_initiated(ctx, id)?;
        Ok((completion, amount))
    }

    /// Move `shares` of a delegation from `src` to `dst` at once; the
    /// redelegation entry only remembers it (for slashing) until it matures.
    pub fn begin_redelegation(&self, ctx: &mut Ctx, del: &Address, src: &Address, dst: &Address, shares: Dec) -> Result<(Timestamp, u128)> {
        if src == dst {
            return Err(StakingError::SelfRedelegation.into());
        }
        let mut dst_v = state::validator(ctx, dst)?.ok_or(StakingError::BadRedelegationDst)?;
        let src_v = state::validator(ctx, src)?.ok_or(StakingError::BadRedelegationDst)?;
        // No transitive redelegation: stake that arrived at `src` by a
        // redelegation still maturing cannot hop on (it could dodge a slash).
        if state::has_receiving_red(ctx, del, src)? {
            return Err(StakingError::TransitiveRedelegation.into());
        }
        let params = state::params(ctx)?;
        if state::red(ctx, del, src, dst)?.is_some_and(|r| r.entries.len() >= params.max_entries as usize) {
            return Err(StakingError::MaxRedelegationEntries.into());
        }
        let amount = self.unbond(ctx, del, src, shares)?;
        if amount == 0 {
            return Err(StakingError::TinyRedelegationAmount.into());
        }
        let shares_dst = self.delegate(ctx, del, amount, src_v.status, &mut dst_v, false)?;
        // When it completes: the source's own unbonding decides (the SDK's getBeginInfo).
        let (completion, height) = match state::validator(ctx, src)? {
            None => (now(ctx).plus(params.unbonding_time), ctx.info.height as i64),
            Some(v) if v.is_bonded() => (now(ctx).plus(params.unbonding_time), ctx.info.height as i64),
            Some(v) if v.status == BondStatus::Unbonded => return Ok((Timestamp::default(), amount)),
            Some(v) => (v.unbonding_time, v.unbonding_height),
        };
        let id = state::next_unbonding_id(ctx)?;
        let mut r = state::red(ctx, del, src, dst)?.unwrap_or(Redelegation {
            delegator: del.clone(),
            src: src.clone(),
            dst: dst.clone(),
            entries: vec![],
        });
        r.entries.push(RedelegationEntry {
            creation_height: height,
            completion_time: completion,
            initial_balance: amount,
            shares_dst,
            unbonding_id: id,
            unbonding_on_hold_ref_count: 0,
        });
        state::set_red(ctx, &r)?;
        state::push_red_queue(ctx, completion, del, src, dst)?;
        self.hooks.after_unbonding_initiated(ctx, id)?;
        Ok((completion, amount))
    }

    /// Pay out the mature entries of an unbonding delegation; the amount paid.
    pub fn complete_unbonding(&self, ctx: &mut Ctx, del: &Address, val: &Address) -> Result<u128> {
        let mut u = state::ubd(ctx, del, val)?.ok_or(StakingError::NoUnbondingDelegation)?;
        let t = now(ctx);
        let mut paid = 0u128;
        let mut kept = Vec::with_capacity(u.entries.len());
        for e in std::mem::take(&mut u.entries) {
            if e.is_mature(t) && e.unbonding_on_hold_ref_count == 0 {
                paid = paid.checked_add(e.balance).ok_or_else(|| overflow("unbonding payout"))?;
            } else {
                kept.push(e);
            }
        }
        u.entries = kept;
        if paid > 0 {
            let coins = self.coins(ctx, paid)?;
            self.bank.undelegate_coins(ctx, &not_bonded_pool(), del, &coins)?;
        }
        state::set_ubd(ctx, &u)?;
        Ok(paid)
    }

    /// Drop the mature entries of a redelegation; the tokens they had moved.
    pub fn complete_redelegation(&self, ctx: &mut Ctx, del: &Address, src: &Address, dst: &Address) -> Result<u128> {
        let mut r = state::red(ctx, del, src, dst)?.ok_or(StakingError::NoRedelegation)?;
        let t = now(ctx);
        let mut moved = 0u128;
        r.entries.retain(|e| {
            let done = e.is_mature(t) && e.unbonding_on_hold_ref_count == 0;
            if done {
                moved = moved.saturating_add(e.initial_balance);
            }
            !done
        });
        state::set_red(ctx, &r)?;
        Ok(moved)
    }

    /// Take a validator out of the power index (it leaves the set at the
    /// next end block); slashing calls this too.
    pub fn jail(&self, ctx: &mut Ctx, v: &mut Validator) -> Result<()> {
        if v.jailed {
            return Ok(());
        }
        state::delete_power_index(ctx, v)?;
        v.jailed = true;
        state::set_validator(ctx, v)
    }

    /// Put a jailed validator back in the power index.
    pub fn unjail(&self, ctx: &mut Ctx, v: &mut Validator) -> Result<()> {
        if !v.jailed {
            return Ok(());
        }
        v.jailed = false;
        state::set_validator(ctx, v)?;
        state::set_power_index(ctx, v)
    }

    /// Delete an unbonded validator with no shares left.
    pub fn remove_validator(&self, ctx: &mut Ctx, v: &Validator) -> Result<()> {
        if v.is_bonded() || v.tokens != 0 {
            return Err(Error::Internal(format!("cannot remove validator {}: bonded or holding tokens", v.operator.to_valoper())));
        }
        state::delete_power_index(ctx, v)?;
        state::remove_validator_record(ctx, v)?;
        self.hooks.after_validator_removed(ctx, &v.cons_address(), &v.operator)
    }
}
