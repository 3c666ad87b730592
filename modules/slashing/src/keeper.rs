//! The slashing keeper: liveness from the last commit's votes (the SDK's
//! `HandleValidatorSignature`), unjailing, and what evidence uses to punish
//! a double sign (slash, jail, jail for good, tombstone). Public functions
//! enter slashing's store scope themselves, so hooks and the evidence
//! module may call them from their own scopes.

use venice_sdk::{Address, Ctx, Result};
use venice_types::Dec;
use venice_types::time::Timestamp;

use crate::error::SlashingError;
use crate::state::{self, SigningInfo};
use crate::{Slashing, VALIDATOR_UPDATE_DELAY, events};

pub fn now(ctx: &Ctx) -> Timestamp {
    Timestamp::new(ctx.info.time_secs, ctx.info.time_nanos)
}

impl Slashing {
    /// Begin-block: count each validator of the last commit as signed or missed.
    pub fn begin_block(&self, ctx: &mut Ctx) -> Result<()> {
        ctx.scoped(state::PREFIX, |ctx| {
            let params = state::params(ctx)?;
            let votes = ctx.info.comet.votes.clone();
            for v in votes {
                let cons = Address::from_bytes(&v.address)?;
                self.handle_validator_signature(ctx, &params, &cons, v.power, !v.absent)?;
            }
            Ok(())
        })
    }

    /// One vote of the last commit: flip the window's bit for this block,
    /// and jail and slash a validator that missed too many (once past its
    /// first full window since bonding).
    pub fn handle_validator_signature(
        &self,
        ctx: &mut Ctx,
        params: &crate::Params,
        cons: &Address,
        power: i64,
        signed: bool,
    ) -> Result<()> {
        let height = ctx.info.height as i64;
        // A jailed (or already removed) validator's record does not move.
        match self.staking.validator_by_cons(ctx, cons)? {
            Some(v) if !v.jailed => {}
            _ => return Ok(()),
        }
        // Every bonded validator has one (made when it bonded); without it
        // there is nothing to count against (the SDK would halt here).
        let Some(mut info) = state::signing_info(ctx, cons)? else { return Ok(()) };
        let window = params.signed_blocks_window;
        let index = info.index_offset % window;
        info.index_offset += 1;
        let previous = state::missed(ctx, cons, index)?;
        let missed = !signed;
        if !previous && missed {
            state::set_missed(ctx, cons, index, true)?;
            info.missed_blocks_counter += 1;
        } else if previous && !missed {
            state::set_missed(ctx, cons, index, false)?;
            info.missed_blocks_counter -= 1;
        }
        if missed {
            ctx.emit(events::liveness(cons, info.missed_blocks_counter, height));
        }
        let min_height = info.start_height + window;
        let max_missed = window - params.min_signed_per_window_int();
        if height > min_height && info.missed_blocks_counter > max_missed {
            let jailed = self.staking.validator_by_cons(ctx, cons)?.is_none_or(|v| v.jailed);
            if !jailed {
                // The stake that signed the block: this block's commit is
                // of height - 1, whose validators were set at height - 1 - delay.
                let distribution_height = height - VALIDATOR_UPDATE_DELAY - 1;
                let burned = self.staking.slash(ctx, cons, distribution_height, power, params.slash_fraction_downtime)?;
                ctx.emit(events::slash_downtime(cons, power, burned));
                self.staking.jail(ctx, cons)?;
                info.jailed_until = now(ctx).plus(params.downtime_jail_duration);
                // A fresh window after jail: not slashed again right away on rebonding.
                info.missed_blocks_counter = 0;
                info.index_offset = 0;
                state::clear_missed(ctx, cons)?;
            }
        }
        state::set_signing_info(ctx, &info)
    }

    /// `MsgUnjail`: the operator brings its validator back once its jail
    /// time has passed, if its self-delegation still meets its minimum and
    /// it never double-signed.
    pub fn unjail(&self, ctx: &mut Ctx, op: &Address) -> Result<()> {
        let v = self.staking.validator(ctx, op)?.ok_or(SlashingError::NoValidatorForAddress)?;
        let self_tokens = self.staking.delegation_tokens(ctx, op, op)?.ok_or(SlashingError::MissingSelfDelegation)?;
        if self_tokens < v.min_self_delegation {
            return Err(SlashingError::SelfDelegationTooLowToUnjail(format!("{self_tokens} less than {}", v.min_self_delegation)).into());
        }
        if !v.jailed {
            return Err(SlashingError::ValidatorNotJailed.into());
        }
        let cons = v.cons_address();
        // No signing info: never bonded, jailed for its self-delegation only.
        if let Some(info) = ctx.scoped(state::PREFIX, |ctx| state::signing_info(ctx, &cons))?
            && (info.tombstoned || now(ctx) < info.jailed_until)
        {
            return Err(SlashingError::ValidatorJailed.into());
        }
        self.staking.unjail(ctx, &cons)
    }

    // ---- for evidence ---------------------------------------------------------

    pub fn signing_info(&self, ctx: &mut Ctx, cons: &Address) -> Result<Option<SigningInfo>> {
        ctx.scoped(state::PREFIX, |ctx| state::signing_info(ctx, cons))
    }

    pub fn params(&self, ctx: &mut Ctx) -> Result<crate::Params> {
        ctx.scoped(state::PREFIX, state::params)
    }

    /// The slashing keeper's `SlashWithInfractionReason`: slash through
    /// staking and emit the `slash` event with what was burned.
    pub fn slash_with_reason(&self, ctx: &mut Ctx, cons: &Address, fraction: Dec, power: i64, height: i64, reason: &str) -> Result<u128> {
        let burned = self.staking.slash(ctx, cons, height, power, fraction)?;
        ctx.emit(events::slash(cons, power, reason, burned));
        Ok(burned)
    }

    /// A fault another module proves (an inference member past its
    /// reputation threshold): slash `fraction` of the stake at `height` and,
    /// unless already jailed, jail for the downtime jail duration (it may
    /// unjail after that, as after downtime). Unbonded validators and
    /// unknown addresses are left alone.
    pub fn slash_and_jail_for_fault(
        &self,
        ctx: &mut Ctx,
        cons: &Address,
        fraction: Dec,
        power: i64,
        height: i64,
        reason: &str,
    ) -> Result<()> {
        let Some(v) = self.staking.validator_by_cons(ctx, cons)? else { return Ok(()) };
        if v.status == venice_staking::BondStatus::Unbonded {
            return Ok(());
        }
        self.slash_with_reason(ctx, cons, fraction, power, height, reason)?;
        if !v.jailed {
            self.jail(ctx, cons)?;
            let until = now(ctx).plus(self.params(ctx)?.downtime_jail_duration);
            self.jail_until(ctx, cons, until)?;
        }
        Ok(())
    }

    /// The slashing keeper's `Jail` (with its event).
    pub fn jail(&self, ctx: &mut Ctx, cons: &Address) -> Result<()> {
        self.staking.jail(ctx, cons)?;
        ctx.emit(events::jail(cons));
        Ok(())
    }

    pub fn jail_until(&self, ctx: &mut Ctx, cons: &Address, until: Timestamp) -> Result<()> {
        self.update_info(ctx, cons, |i| i.jailed_until = until)
    }

    pub fn tombstone(&self, ctx: &mut Ctx, cons: &Address) -> Result<()> {
        ctx.scoped(state::PREFIX, |ctx| {
            let mut info = state::signing_info(ctx, cons)?.ok_or(SlashingError::NoSigningInfoFound)?;
            if info.tombstoned {
                return Err(SlashingError::ValidatorTombstoned.into());
            }
            info.tombstoned = true;
            state::set_signing_info(ctx, &info)
        })
    }

    fn update_info(&self, ctx: &mut Ctx, cons: &Address, f: impl FnOnce(&mut SigningInfo)) -> Result<()> {
        ctx.scoped(state::PREFIX, |ctx| {
            let mut info = state::signing_info(ctx, cons)?.ok_or(SlashingError::NoSigningInfoFound)?;
            f(&mut info);
            state::set_signing_info(ctx, &info)
        })
    }
}
