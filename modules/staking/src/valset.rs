//! The validator set: status transitions (bonded ↔ unbonding → unbonded),
//! the end-block update CometBFT receives (only the changes, as the SDK's
//! `ApplyAndReturnValidatorSetUpdates`), the maturity queues, and the
//! historical info kept from begin-block.

use cosmos_sdk_proto::cosmos::staking::v1beta1 as pb;
use prost::Message;
use venice_sdk::module::ValidatorUpdate;
use venice_sdk::{Address, Ctx, Result};

use crate::keeper::now;
use crate::types::{BondStatus, Validator};
use crate::{Staking, events, state};

/// The bonded, unjailed validators in power order (at most
/// `max_validators`), for modules outside staking (gov's tally, inference's
/// committees).
pub fn bonded_validators(ctx: &mut Ctx) -> Result<Vec<Validator>> {
    ctx.scoped(state::PREFIX, |ctx| {
        let max = state::params(ctx)?.max_validators as usize;
        let mut out = Vec::new();
        for op in state::by_power(ctx, max)? {
            if let Some(v) = state::validator(ctx, &op)?
                && v.is_bonded()
                && !v.jailed
            {
                out.push(v);
            }
        }
        Ok(out)
    })
}

impl Staking {
    /// Bond the `max_validators` largest validators (by power, ties to the
    /// lower operator address), unbond those that dropped out, move their
    /// tokens between the pools, and return CometBFT's updates: a validator
    /// whose power changed or that entered, and power 0 for each that left.
    pub fn apply_validator_set_updates(&self, ctx: &mut Ctx) -> Result<Vec<ValidatorUpdate>> {
        let params = state::params(ctx)?;
        let mut last: std::collections::BTreeMap<Address, i64> = state::last_powers(ctx)?.into_iter().collect();
        let mut updates = Vec::new();
        let (mut to_bonded, mut to_not_bonded) = (0u128, 0u128);
        let mut total: i64 = 0;
        for op in state::by_power(ctx, params.max_validators as usize)? {
            let mut v = self.get_validator(ctx, &op)?;
            if v.potential_power() == 0 {
                break;
            }
            match v.status {
                BondStatus::Unbonded | BondStatus::Unbonding => {
                    to_bonded += v.tokens;
                    self.bond_validator(ctx, &mut v)?;
                }
                BondStatus::Bonded => {}
            }
            let power = v.consensus_power();
            if last.get(&op) != Some(&power) {
                updates.push(v.abci_update(power));
                state::set_last_power(ctx, &op, power)?;
            }
            last.remove(&op);
            total = total.saturating_add(power);
        }
        // What is left of the last set is no longer bonded, in address order.
        for op in last.into_keys() {
            let mut v = self.get_validator(ctx, &op)?;
            self.begin_unbonding_validator(ctx, &mut v)?;
            to_not_bonded += v.tokens;
            state::delete_last_power(ctx, &op)?;
            updates.push(v.abci_update(0));
        }
        if to_bonded > to_not_bonded {
            self.not_bonded_to_bonded(ctx, to_bonded - to_not_bonded)?;
        } else {
            self.bonded_to_not_bonded(ctx, to_not_bonded - to_bonded)?;
        }
        if !updates.is_empty() {
            state::set_last_total_power(ctx, total)?;
        }
        Ok(updates)
    }

    fn bond_validator(&self, ctx: &mut Ctx, v: &mut Validator) -> Result<()> {
        state::delete_power_index(ctx, v)?;
        if v.status == BondStatus::Unbonding {
            state::remove_from_val_queue(ctx, v)?;
        }
        v.status = BondStatus::Bonded;
        state::set_validator(ctx, v)?;
        state::set_power_index(ctx, v)?;
        self.hooks.after_validator_bonded(ctx, &v.cons_address(), &v.operator)
    }

    fn begin_unbonding_validator(&self, ctx: &mut Ctx, v: &mut Validator) -> Result<()> {
        let params = state::params(ctx)?;
        v.status = BondStatus::Unbonding;
        v.unbonding_time = now(ctx).plus(params.unbonding_time);
        v.unbonding_height = ctx.info.height as i64;
        let id = state::next_unbonding_id(ctx)?;
        v.unbonding_ids.push(id);
        state::set_validator(ctx, v)?;
        state::push_val_queue(ctx, v)?;
        self.hooks.after_validator_begin_unbonding(ctx, &v.cons_address(), &v.operator)?;
        self.hooks.after_unbonding_initiated(ctx, id)
    }

    /// Validators whose unbonding period ended become unbonded (and are
    /// deleted when no delegation is left).
    fn unbond_mature_validators(&self, ctx: &mut Ctx) -> Result<()> {
        for op in state::pop_due_validators(ctx, now(ctx), ctx.info.height as i64)? {
            let Some(mut v) = state::validator(ctx, &op)? else { continue };
            if v.status != BondStatus::Unbonding || v.unbonding_on_hold_ref_count > 0 {
                continue;
            }
            v.status = BondStatus::Unbonded;
            v.unbonding_ids.clear();
            state::set_validator(ctx, &v)?;
            if v.delegator_shares.is_zero() {
                self.remove_validator(ctx, &v)?;
            }
        }
        Ok(())
    }

    /// staking's end block: the set update, then what matured.
    pub fn end_block(&self, ctx: &mut Ctx) -> Result<Vec<ValidatorUpdate>> {
        let updates = self.apply_validator_set_updates(ctx)?;
        self.unbond_mature_validators(ctx)?;
        let denom = state::params(ctx)?.bond_denom;
        for pair in state::pop_due_ubds(ctx, now(ctx))? {
            let [del, val] = pair.as_slice() else { continue };
            // Cancelled or already paid: nothing left to complete.
            let Ok(paid) = self.complete_unbonding(ctx, del, val) else { continue };
            ctx.emit(events::complete_unbonding(del, val, &coin_str(paid, &denom)));
        }
        for t in state::pop_due_reds(ctx, now(ctx))? {
            let [del, src, dst] = t.as_slice() else { continue };
            let Ok(moved) = self.complete_redelegation(ctx, del, src, dst) else { continue };
            ctx.emit(events::complete_redelegation(del, src, dst, &coin_str(moved, &denom)));
        }
        Ok(updates)
    }

    /// staking's begin block: remember this height's validator set (for
    /// IBC light clients), keeping `historical_entries` of them.
    pub fn track_historical_info(&self, ctx: &mut Ctx) -> Result<()> {
        let entries = state::params(ctx)?.historical_entries as i64;
        let height = ctx.info.height as i64;
        // Drop what fell out of the window (the SDK prunes going down until a gap).
        let mut h = height - entries;
        while h > 0 {
            if state::historical(ctx, h)?.is_none() {
                break;
            }
            state::delete_historical(ctx, h)?;
            h -= 1;
        }
        if entries == 0 {
            return Ok(());
        }
        let mut valset = Vec::new();
        for (op, _) in state::last_powers(ctx)? {
            valset.push(self.get_validator(ctx, &op)?.to_proto());
        }
        let header = tendermint_proto::types::Header {
            chain_id: ctx.info.chain_id.clone(),
            height,
            time: Some(crate::types::timestamp_pb(now(ctx))),
            ..Default::default()
        };
        state::set_historical(ctx, height, pb::HistoricalInfo { header: Some(header), valset }.encode_to_vec())
    }
}

pub(crate) fn coin_str(amount: u128, denom: &str) -> String {
    if amount == 0 { String::new() } else { format!("{amount}{denom}") }
}
