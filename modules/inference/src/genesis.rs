//! inference genesis: params, listings, tasks with their votes and
//! results, reputations, payout addresses, credits and allowances: all of
//! the module's state, so export then import gives the same state.

use serde::{Deserialize, Serialize};
use venice_sdk::{Address, Ctx, Error, Result};
use venice_types::json::int_str;

use crate::json::{addr, hex_bytes};
use crate::state::{self, Allowance, CreditAccount, Model, ResultRecord, Task, Vote};
use crate::{Inference, Params};

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct VoteJson {
    #[serde(with = "int_str")]
    pub task_id: u64,
    #[serde(with = "hex_bytes")]
    pub consensus_address: Vec<u8>,
    #[serde(flatten)]
    pub vote: Vote,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct ReputationJson {
    #[serde(with = "addr")]
    pub validator: Address,
    #[serde(with = "int_str")]
    pub reputation: i64,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct PayoutJson {
    #[serde(with = "addr")]
    pub validator: Address,
    #[serde(with = "addr")]
    pub payout_address: Address,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct CreditJson {
    #[serde(with = "addr")]
    pub address: Address,
    #[serde(flatten)]
    pub account: CreditAccount,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct AllowanceJson {
    #[serde(with = "addr")]
    pub address: Address,
    #[serde(flatten)]
    pub allowance: Allowance,
}

fn one() -> u64 {
    1
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct GenesisState {
    #[serde(default)]
    pub params: Params,
    #[serde(default = "one", with = "int_str")]
    pub next_task_id: u64,
    #[serde(default)]
    pub models: Vec<Model>,
    #[serde(default)]
    pub tasks: Vec<Task>,
    #[serde(default)]
    pub votes: Vec<VoteJson>,
    #[serde(default)]
    pub results: Vec<ResultRecord>,
    #[serde(default)]
    pub reputations: Vec<ReputationJson>,
    #[serde(default)]
    pub payouts: Vec<PayoutJson>,
    #[serde(default)]
    pub credits: Vec<CreditJson>,
    #[serde(default)]
    pub allowances: Vec<AllowanceJson>,
}

impl Default for GenesisState {
    fn default() -> Self {
        GenesisState {
            params: Params::default(),
            next_task_id: 1,
            models: vec![],
            tasks: vec![],
            votes: vec![],
            results: vec![],
            reputations: vec![],
            payouts: vec![],
            credits: vec![],
            allowances: vec![],
        }
    }
}

pub fn parse(v: &serde_json::Value) -> Result<GenesisState> {
    serde_json::from_value(v.clone()).map_err(|e| Error::Genesis(format!("inference: {e}")))
}

/// Checks that need no state: params, ids below `next_task_id`, votes and
/// results naming tasks that exist.
pub fn validate(g: &GenesisState) -> Result<()> {
    let bad = |w: String| Err(Error::Genesis(format!("inference: {w}")));
    g.params.validate().or_else(|e| bad(format!("params: {e}")))?;
    let ids: std::collections::BTreeSet<u64> = g.tasks.iter().map(|t| t.id).collect();
    if ids.len() != g.tasks.len() {
        return bad("duplicate task id".into());
    }
    if ids.iter().any(|&id| id == 0 || id >= g.next_task_id) {
        return bad(format!("task ids must be in 1..{}", g.next_task_id));
    }
    if g.votes.iter().any(|v| !ids.contains(&v.task_id)) || g.results.iter().any(|r| !ids.contains(&r.task_id)) {
        return bad("a vote or result names an unknown task".into());
    }
    Ok(())
}

pub fn init_genesis(ctx: &mut Ctx, g: &GenesisState) -> Result<()> {
    validate(g)?;
    state::set_params(ctx, &g.params)?;
    state::set_next_task_id(ctx, g.next_task_id)?;
    for m in &g.models {
        state::set_model(ctx, m)?;
    }
    for t in &g.tasks {
        state::set_task(ctx, t)?;
        if t.status.is_open() {
            state::set_deadline(ctx, t.deadline_height, t.id)?;
        }
        if t.status == state::TaskStatus::Queued {
            state::enqueue(ctx, &t.queue_key(), t.id)?;
        }
        if t.status == state::TaskStatus::Assigned {
            state::set_assigned(ctx, t.assigned_height, t.id)?;
        }
        if !t.status.is_open() && t.ended_height > 0 {
            state::set_ended(ctx, t.ended_height, t.id)?;
        }
    }
    for v in &g.votes {
        state::set_vote(ctx, v.task_id, &v.consensus_address, &v.vote)?;
    }
    for r in &g.results {
        state::set_result(ctx, r)?;
    }
    for r in &g.reputations {
        state::set_reputation(ctx, &r.validator, r.reputation)?;
    }
    for p in &g.payouts {
        state::set_payout(ctx, &p.validator, &p.payout_address)?;
    }
    let mut total: u128 = 0;
    for c in &g.credits {
        state::set_credit_account(ctx, &c.address, &c.account)?;
        total = total.checked_add(c.account.credits).ok_or_else(|| Error::Genesis("inference: credits overflow".into()))?;
    }
    state::set_credits_total(ctx, total)?;
    for a in &g.allowances {
        state::set_allowance(ctx, &a.address, &a.allowance)?;
    }
    Ok(())
}

pub fn export_genesis(ctx: &mut Ctx) -> Result<GenesisState> {
    let tasks = state::tasks(ctx)?;
    let mut votes = Vec::new();
    for t in tasks.iter().filter(|t| t.status.is_open()) {
        for (consensus_address, vote) in state::votes(ctx, t.id)? {
            votes.push(VoteJson { task_id: t.id, consensus_address, vote });
        }
    }
    Ok(GenesisState {
        params: state::params(ctx)?,
        next_task_id: state::next_task_id(ctx)?,
        models: state::models(ctx)?,
        tasks,
        votes,
        results: state::results(ctx)?,
        reputations: state::reputations(ctx)?.into_iter().map(|(validator, reputation)| ReputationJson { validator, reputation }).collect(),
        payouts: state::payouts(ctx)?.into_iter().map(|(validator, payout_address)| PayoutJson { validator, payout_address }).collect(),
        credits: state::credit_accounts(ctx)?.into_iter().map(|(address, account)| CreditJson { address, account }).collect(),
        allowances: state::allowances(ctx)?.into_iter().map(|(address, allowance)| AllowanceJson { address, allowance }).collect(),
    })
}

impl Inference {
    /// Escrow held for open tasks, per denom (the invariant's left side).
    pub fn escrowed(&self, ctx: &mut Ctx) -> Result<std::collections::BTreeMap<String, u128>> {
        // Open tasks are exactly those with a deadline entry.
        let mut out = std::collections::BTreeMap::new();
        for id in state::due_tasks(ctx, u64::MAX)? {
            let t = state::task(ctx, id)?.ok_or_else(|| Error::Internal(format!("deadline of missing task {id}")))?;
            if t.status.is_open() {
                *out.entry(t.fee.denom.clone()).or_insert(0u128) += t.fee.amount;
            }
        }
        Ok(out)
    }
}
