//! The tally, as x/gov's `keeper/tally.go`: bonded validators vote with
//! their bonded tokens, less the shares of delegators who voted themselves;
//! those delegators vote with their own shares' worth. Jailed or unbonded
//! validators (absent from the bonded set) count for nothing.

use std::collections::BTreeMap;

use venice_sdk::{Address, Ctx, Result};
use venice_types::Dec;

use crate::types::{OPTION_ABSTAIN, OPTION_NO, OPTION_NO_WITH_VETO, OPTION_YES, Proposal, TallyResult};
use crate::{Gov, state};

/// What a tally decided.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    pub passes: bool,
    /// Deposits are burned (no quorum with `burn_vote_quorum`, or vetoed
    /// with `burn_vote_veto`).
    pub burn_deposits: bool,
    pub result: TallyResult,
}

struct ValidatorVote {
    tokens: u128,
    shares: Dec,
    deductions: Dec,
    options: Option<Vec<(i32, Dec)>>,
}

fn overflow() -> venice_sdk::Error {
    venice_sdk::Error::Internal("tally overflow".into())
}

/// `shares` of a validator as voting power: `shares * tokens / total shares`.
fn power(shares: Dec, tokens: u128, total_shares: Dec) -> Result<Dec> {
    if total_shares.is_zero() {
        return Ok(Dec::ZERO);
    }
    shares.mul_int_quo(tokens, total_shares).ok_or_else(overflow)
}

fn add_votes(results: &mut BTreeMap<i32, Dec>, options: &[(i32, Dec)], power: Dec) -> Result<()> {
    for (opt, weight) in options {
        let sub = power.checked_mul(*weight).ok_or_else(overflow)?;
        let slot = results.entry(*opt).or_insert(Dec::ZERO);
        *slot = slot.checked_add(sub).ok_or_else(overflow)?;
    }
    Ok(())
}

impl Gov {
    /// Count the votes on `p`. With `remove_votes` (the end block) each
    /// vote is deleted once counted, as the SDK does.
    pub fn tally(&self, ctx: &mut Ctx, p: &Proposal, remove_votes: bool) -> Result<Outcome> {
        let mut validators: BTreeMap<Address, ValidatorVote> = self
            .staking
            .bonded_validators(ctx)?
            .into_iter()
            .map(|v| (v.operator, ValidatorVote { tokens: v.tokens, shares: v.delegator_shares, deductions: Dec::ZERO, options: None }))
            .collect();
        let mut results: BTreeMap<i32, Dec> = BTreeMap::new();
        let mut total = Dec::ZERO;

        for vote in state::votes(ctx, p.id, None, usize::MAX)? {
            if let Some(v) = validators.get_mut(&vote.voter) {
                v.options = Some(vote.options.clone());
            }
            for (val, shares) in self.staking.delegations(ctx, &vote.voter)? {
                let Some(v) = validators.get_mut(&val) else { continue };
                v.deductions = v.deductions.checked_add(shares).ok_or_else(overflow)?;
                let vp = power(shares, v.tokens, v.shares)?;
                add_votes(&mut results, &vote.options, vp)?;
                total = total.checked_add(vp).ok_or_else(overflow)?;
            }
            if remove_votes {
                state::delete_vote(ctx, p.id, &vote.voter)?;
            }
        }
        for v in validators.values() {
            let Some(options) = &v.options else { continue };
            let remaining = v.shares.checked_sub(v.deductions).unwrap_or(Dec::ZERO);
            let vp = power(remaining, v.tokens, v.shares)?;
            add_votes(&mut results, options, vp)?;
            total = total.checked_add(vp).ok_or_else(overflow)?;
        }

        let get = |o: i32| results.get(&o).copied().unwrap_or(Dec::ZERO);
        let result = TallyResult {
            yes: get(OPTION_YES).truncate_int(),
            abstain: get(OPTION_ABSTAIN).truncate_int(),
            no: get(OPTION_NO).truncate_int(),
            no_with_veto: get(OPTION_NO_WITH_VETO).truncate_int(),
        };
        let params = state::params(ctx)?;
        let outcome = |passes, burn_deposits| Ok(Outcome { passes, burn_deposits, result: result.clone() });

        let bonded = self.staking.total_bonded_tokens(ctx)?;
        if bonded == 0 {
            return outcome(false, false);
        }
        // Quorum: the share of bonded stake that voted.
        let voting = total.quo(Dec::from_int(bonded).ok_or_else(overflow)?).ok_or_else(overflow)?;
        if voting < params.quorum {
            return outcome(false, params.burn_vote_quorum);
        }
        let non_abstain = total.checked_sub(get(OPTION_ABSTAIN)).unwrap_or(Dec::ZERO);
        if non_abstain.is_zero() {
            return outcome(false, false);
        }
        if get(OPTION_NO_WITH_VETO).quo(total).ok_or_else(overflow)? > params.veto_threshold {
            return outcome(false, params.burn_vote_veto);
        }
        let threshold = if p.expedited { params.expedited_threshold } else { params.threshold };
        if get(OPTION_YES).quo(non_abstain).ok_or_else(overflow)? > threshold {
            return outcome(true, false);
        }
        outcome(false, false)
    }
}
