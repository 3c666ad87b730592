//! Results from the vote extensions, and what they decide.
//!
//! The app builds [`Results`] from the extended commit injected at the
//! front of a block (each validator's verified extension) and calls
//! [`Inference::apply_results`] before the block's other work. A member's
//! first answer to a task counts. A task is final once members holding
//! more than 2/3 of its committee's power (strictly: `3·agree > 2·total`)
//! agree on one output hash: the result is stored, the fee goes through
//! the fee router to the agreeing members' payout addresses and the model
//! NFT's owner, and every member's reputation moves (agree +, disagree −,
//! silent −). A member whose reputation falls to `-slash_threshold` is
//! reported to the slasher and starts again from zero.

use std::collections::{BTreeMap, BTreeSet};

use sha2::{Digest, Sha256};
use venice_sdk::{Address, Coins, Ctx, Result};
use venice_types::inference::InferenceVoteExtension;

use crate::extension::{Limits, verify_extension_format};
use crate::state::{self, ResultRecord, Task, TaskStatus, Vote};
use crate::{Inference, events, module_address};

/// One task result as a validator reported it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportedResult {
    pub task_id: u64,
    pub output_hash: [u8; 32],
    /// The canonical output, when it rode in the extension (else empty).
    pub output: Vec<u8>,
}

/// One validator's results (from its vote extension).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidatorResults {
    /// CometBFT consensus address (20 bytes).
    pub consensus_address: Vec<u8>,
    pub results: Vec<ReportedResult>,
}

/// Everything the extensions of one height reported.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Results {
    pub validators: Vec<ValidatorResults>,
}

impl Results {
    /// From `(consensus address, extension bytes)` pairs whose signatures
    /// the app verified; an extension that is not well formed counts as
    /// no results from that validator.
    pub fn from_extensions(exts: &[(Vec<u8>, Vec<u8>)], limits: &Limits) -> Results {
        let validators = exts
            .iter()
            .filter_map(|(addr, bytes)| {
                let ext: InferenceVoteExtension = verify_extension_format(bytes, limits).ok()?;
                let results = ext
                    .results
                    .into_iter()
                    .map(|r| ReportedResult {
                        task_id: r.task_id,
                        output_hash: r.output_hash.as_slice().try_into().expect("format check: 32 bytes"),
                        output: r.output,
                    })
                    .collect();
                Some(ValidatorResults { consensus_address: addr.clone(), results })
            })
            .collect();
        Results { validators }
    }
}

/// Whether `agree` of `total` power is more than two thirds.
pub fn supermajority(agree: u128, total: u128) -> bool {
    agree * 3 > total * 2
}

impl Inference {
    /// Record the results reported at `height` and finalise the tasks they
    /// decide. Results for tasks not assigned by `height`, from validators
    /// outside a task's committee, or repeating a member's earlier answer
    /// are ignored.
    pub fn apply_results(&self, ctx: &mut Ctx, height: u64, results: &Results) -> Result<()> {
        let mut tasks: BTreeMap<u64, Option<Task>> = BTreeMap::new();
        let mut touched: BTreeSet<u64> = BTreeSet::new();
        for v in &results.validators {
            for r in &v.results {
                let task = match tasks.get(&r.task_id) {
                    Some(t) => t.clone(),
                    None => {
                        let t = state::task(ctx, r.task_id)?;
                        tasks.insert(r.task_id, t.clone());
                        t
                    }
                };
                let Some(task) = task else { continue };
                let member = task.committee.iter().any(|m| m.consensus_address == v.consensus_address);
                if task.status != TaskStatus::Assigned || task.assigned_height > height || !member {
                    continue;
                }
                if state::vote(ctx, task.id, &v.consensus_address)?.is_some() {
                    continue;
                }
                // Keep only an output that is what was agreed on and fits.
                let output_ok = !r.output.is_empty()
                    && r.output.len() as u64 <= task.max_output_bytes
                    && Sha256::digest(&r.output).as_slice() == r.output_hash.as_slice();
                let output = if output_ok { r.output.clone() } else { Vec::new() };
                state::set_vote(ctx, task.id, &v.consensus_address, &Vote { output_hash: r.output_hash, output })?;
                touched.insert(task.id);
            }
        }
        for id in touched {
            let Some(Some(task)) = tasks.get(&id) else { continue };
            let task = task.clone();
            isolated(ctx, id, |ctx| self.tally(ctx, task))?;
        }
        Ok(())
    }

    /// Finalise `task` if one output hash has a supermajority of its votes.
    fn tally(&self, ctx: &mut Ctx, task: Task) -> Result<()> {
        let votes = state::votes(ctx, task.id)?;
        let power_of = |addr: &[u8]| task.committee.iter().find(|m| m.consensus_address == addr).map_or(0, |m| u128::from(m.power));
        let total: u128 = task.committee.iter().map(|m| u128::from(m.power)).sum();
        let mut by_hash: BTreeMap<[u8; 32], u128> = BTreeMap::new();
        for (addr, v) in &votes {
            *by_hash.entry(v.output_hash).or_default() += power_of(addr);
        }
        let Some((hash, _)) = by_hash.into_iter().find(|(_, p)| supermajority(*p, total)) else {
            return Ok(());
        };
        self.finalise(ctx, task, hash, &votes)
    }

    fn finalise(&self, ctx: &mut Ctx, mut task: Task, hash: [u8; 32], votes: &[(Vec<u8>, Vote)]) -> Result<()> {
        let p = state::params(ctx)?;
        let height = ctx.info.height;
        let vote_of = |addr: &[u8]| votes.iter().find(|(a, _)| a == addr).map(|(_, v)| v);
        let mut executors: Vec<Address> = Vec::new();
        let mut agreeing_ops: Vec<Address> = Vec::new();
        let mut output = Vec::new();
        for m in task.committee.clone() {
            let delta = match vote_of(&m.consensus_address) {
                Some(v) if v.output_hash == hash => {
                    if output.is_empty() && !v.output.is_empty() {
                        output = v.output.clone();
                    }
                    executors.push(state::payout(ctx, &m.operator)?);
                    agreeing_ops.push(m.operator.clone());
                    to_i64(p.reputation_reward)
                }
                Some(_) => -to_i64(p.disagree_penalty),
                None => -to_i64(p.silence_penalty),
            };
            self.add_reputation(ctx, &m, delta, &p)?;
        }
        if !output.is_empty() {
            ctx.emit(events::output_stored(task.id, output.len()));
        }
        state::set_result(ctx, &ResultRecord { task_id: task.id, output_hash: hash, output, height, executors: agreeing_ops })?;
        state::clear_votes(ctx, task.id)?;
        state::delete_deadline(ctx, task.deadline_height, task.id)?;
        state::delete_assigned(ctx, task.assigned_height, task.id)?;
        task.status = TaskStatus::Final;
        task.ended_height = height;
        state::set_task(ctx, &task)?;
        state::set_ended(ctx, height, task.id)?;
        if task.fee.amount > 0 {
            let fee = Coins::normalize([task.fee.clone()])?;
            // A burnt model NFT has no owner: its share goes to the executors.
            let owner = match self.nfts.owner_of(ctx, &task.nft_contract, &task.token_id)? {
                Some(o) => o,
                None => executors[0].clone(),
            };
            self.fees.route_inference_fee(ctx, &module_address(), &fee, &owner, &executors)?;
        }
        ctx.emit(events::task_final(&task, &hash, &executors));
        Ok(())
    }

    /// Move `m`'s reputation by `delta`; past the threshold, report it to the
    /// slasher and start it again from zero.
    pub(crate) fn add_reputation(&self, ctx: &mut Ctx, m: &state::Member, delta: i64, p: &crate::Params) -> Result<()> {
        if delta == 0 {
            return Ok(());
        }
        let mut now = state::reputation(ctx, &m.operator)?.saturating_add(delta);
        ctx.emit(events::reputation(&m.operator, delta, now));
        if now <= -to_i64(p.slash_threshold) {
            let height = ctx.info.height;
            self.slasher.slash_inference_fault(ctx, &m.consensus_address, height, m.power, p.slash_fraction)?;
            ctx.emit(events::slash(&m.operator, height));
            now = 0;
        }
        state::set_reputation(ctx, &m.operator, now)
    }
}

/// Run `f` for task `id` in its own state layer: when it fails (a keeper
/// refusing a transfer, say) its writes are dropped, an `inference_error`
/// event says why, and the block goes on; the task stays open and is
/// refunded at its deadline. Only a store failure stops the block.
pub(crate) fn isolated(ctx: &mut Ctx, id: u64, f: impl FnOnce(&mut Ctx) -> Result<()>) -> Result<()> {
    ctx.push_layer();
    match f(ctx) {
        Ok(()) => {
            ctx.commit_layer();
            Ok(())
        }
        Err(e @ venice_sdk::Error::Store(_)) => {
            ctx.discard_layer();
            Err(e)
        }
        Err(e) => {
            ctx.discard_layer();
            ctx.emit(events::task_error(id, &e.to_string()));
            Ok(())
        }
    }
}

fn to_i64(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}
