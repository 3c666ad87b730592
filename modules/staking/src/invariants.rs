//! staking's invariants, as the SDK's x/staking registers them with crisis:
//!
//! - `staking/module-accounts`: the bonded pool holds exactly the bonded
//!   validators' tokens; the not-bonded pool the unbonding and unbonded
//!   validators' tokens plus every unbonding entry's balance.
//! - `staking/nonnegative-power`: every power-index entry is the current
//!   entry of an existing, unjailed validator (tokens are unsigned, so the
//!   SDK's sign check holds by type).
//! - `staking/positive-delegation`: no delegation holds zero shares.
//! - `staking/delegator-shares`: each validator's `delegator_shares` is the
//!   sum of its delegations' shares.

use std::collections::BTreeMap;

use venice_sdk::{Address, Ctx, Error, Invariant, Result};
use venice_types::Dec;

use crate::types::BondStatus;
use crate::{MODULE, Staking, bonded_pool, not_bonded_pool, state};

fn invariant(name: &str, broken: Option<String>) -> Invariant {
    Invariant { route: format!("{MODULE}/{name}"), broken }
}

impl Staking {
    /// All four checks over the state in `ctx` (staking's scope).
    pub fn check_invariants(&self, ctx: &mut Ctx) -> Result<Vec<Invariant>> {
        let validators = state::validators(ctx, None, usize::MAX)?;
        let delegations = state::all_delegations(ctx)?;
        let ubds = state::all_ubds(ctx)?;

        // module-accounts
        let (mut bonded, mut not_bonded) = (0u128, 0u128);
        for v in &validators {
            let sum = if v.status == BondStatus::Bonded { &mut bonded } else { &mut not_bonded };
            *sum = sum.saturating_add(v.tokens);
        }
        for u in &ubds {
            for e in &u.entries {
                not_bonded = not_bonded.saturating_add(e.balance);
            }
        }
        let denom = state::params(ctx)?.bond_denom;
        let bonded_balance = self.bank.balance(ctx, &bonded_pool(), &denom)?;
        let not_bonded_balance = self.bank.balance(ctx, &not_bonded_pool(), &denom)?;
        let mut pools = Vec::new();
        if bonded_balance != bonded {
            pools.push(format!("bonded pool holds {bonded_balance}{denom}, bonded validators' tokens sum to {bonded}{denom}"));
        }
        if not_bonded_balance != not_bonded {
            pools.push(format!(
                "not-bonded pool holds {not_bonded_balance}{denom}, unbonding/unbonded validators' tokens and unbonding entries sum to {not_bonded}{denom}"
            ));
        }
        let pools = (!pools.is_empty()).then(|| pools.join("; "));

        // nonnegative-power: each power-index entry is the current one of an
        // existing, unjailed validator (a stale entry would misorder the set).
        let by_op: BTreeMap<&Address, &crate::Validator> = validators.iter().map(|v| (&v.operator, v)).collect();
        let mut stale = Vec::new();
        for (power, op) in state::power_index_entries(ctx)? {
            match by_op.get(&op) {
                None => stale.push(format!("{} is indexed but does not exist", op.to_valoper())),
                Some(v) if v.jailed => stale.push(format!("{} is jailed but indexed by power", op.to_valoper())),
                Some(v) if v.potential_power() != power => {
                    stale.push(format!("{} is indexed at power {power} but has power {}", op.to_valoper(), v.potential_power()))
                }
                Some(_) => {}
            }
        }
        let power = (!stale.is_empty()).then(|| stale.join("; "));

        // positive-delegation and delegator-shares
        let mut shares: BTreeMap<&Address, Dec> = BTreeMap::new();
        let mut zero = Vec::new();
        for (del, val, s) in &delegations {
            if s.is_zero() {
                zero.push(format!("{} -> {}", del, val.to_valoper()));
            }
            let total = shares.entry(val).or_insert(Dec::ZERO);
            *total = total.checked_add(*s).ok_or_else(|| Error::Internal("delegator shares overflow".into()))?;
        }
        let positive = (!zero.is_empty()).then(|| format!("delegations with zero shares: {}", zero.join(", ")));
        let mut mismatched = Vec::new();
        for v in &validators {
            let sum = shares.remove(&v.operator).unwrap_or(Dec::ZERO);
            if sum != v.delegator_shares {
                mismatched.push(format!(
                    "{}: delegator_shares {} but its delegations hold {}",
                    v.operator.to_valoper(),
                    v.delegator_shares.to_sdk_string(),
                    sum.to_sdk_string()
                ));
            }
        }
        for (op, sum) in shares {
            mismatched.push(format!("{} does not exist but delegations hold {} of its shares", op.to_valoper(), sum.to_sdk_string()));
        }
        let consistent = (!mismatched.is_empty()).then(|| mismatched.join("; "));

        Ok(vec![
            invariant("module-accounts", pools),
            invariant("nonnegative-power", power),
            invariant("positive-delegation", positive),
            invariant("delegator-shares", consistent),
        ])
    }
}
