//! The block hooks: refunds of tasks past their deadline and pruning of
//! tasks ended longer ago than the retention (begin block), and committee
//! assignment from the head of the queue (end block).

use venice_sdk::{Address, Coins, Ctx, Result};

use crate::results::isolated;
use crate::state::{self, TaskStatus};
use crate::{Inference, committee, credits, events, module_address, queue};

/// Most ended tasks one block prunes (the rest go in the next blocks).
pub const MAX_PRUNE_PER_BLOCK: usize = 10_000;

/// Most queue entries one block looks at (each task is at least one unit
/// of work, so a budget above this is cut to it).
pub const MAX_ASSIGN_PER_BLOCK: u64 = 10_000;

/// Gas for giving an expired task's data-credential use back: the
/// data-credential contract's refund reads and writes one credential, well
/// within this (the consume at submission is paid by the sender's
/// transaction instead).
pub const CREDENTIAL_REFUND_GAS: u64 = 1_000_000;

impl Inference {
    /// Refund, in full, every unfinished task whose deadline is this
    /// height or earlier; members that never answered an assigned task lose
    /// reputation for their silence.
    pub fn expire_due(&self, ctx: &mut Ctx) -> Result<()> {
        let height = ctx.info.height;
        let due = state::due_tasks(ctx, height)?;
        if due.is_empty() {
            return Ok(());
        }
        let p = state::params(ctx)?;
        for id in due {
            let task = state::task(ctx, id)?.ok_or_else(|| venice_sdk::Error::Internal(format!("deadline of missing task {id}")))?;
            if !task.status.is_open() {
                state::delete_deadline(ctx, task.deadline_height, id)?;
                continue;
            }
            // A refund that fails keeps its deadline entry: retried next block.
            isolated(ctx, id, |ctx| self.refund(ctx, task, &p))?;
        }
        Ok(())
    }

    /// Delete tasks (and their results) that ended
    /// `ended_task_retention_blocks` or more blocks ago, oldest first.
    pub fn prune_ended(&self, ctx: &mut Ctx) -> Result<()> {
        let keep = state::params(ctx)?.ended_task_retention_blocks;
        let height = ctx.info.height;
        if keep == 0 || height <= keep {
            return Ok(());
        }
        for (ended, id) in state::ended_through(ctx, height - keep, MAX_PRUNE_PER_BLOCK)? {
            state::prune_task(ctx, ended, id)?;
        }
        Ok(())
    }

    fn refund(&self, ctx: &mut Ctx, mut task: state::Task, p: &crate::Params) -> Result<()> {
        let id = task.id;
        state::delete_deadline(ctx, task.deadline_height, id)?;
        if task.status == TaskStatus::Queued {
            state::dequeue(ctx, &task.queue_key())?;
        } else {
            let silence = -i64::try_from(p.silence_penalty).unwrap_or(i64::MAX);
            for m in task.committee.clone() {
                if state::vote(ctx, id, &m.consensus_address)?.is_none() {
                    self.add_reputation(ctx, &m, silence, p)?;
                }
            }
            state::clear_votes(ctx, id)?;
            state::delete_assigned(ctx, task.assigned_height, id)?;
        }
        if task.fee.amount > 0 {
            self.bank.send(ctx, &module_address(), &task.sender, &Coins::normalize([task.fee.clone()])?)?;
        }
        // Allowance spent today comes back too.
        if task.allowance_used > 0 {
            let today = credits::day(ctx.info.time_secs);
            let mut a = state::allowance(ctx, &task.sender)?;
            if a.day == today && task.allowance_day == today {
                a.used = a.used.saturating_sub(task.allowance_used);
                state::set_allowance(ctx, &task.sender, &a)?;
            }
        }
        let credential_use = match &task.data_credential {
            Some(dc) => Some(self.refund_credential_use(ctx, &task.sender, dc)?),
            None => None,
        };
        task.status = TaskStatus::Expired;
        task.ended_height = ctx.info.height;
        state::set_task(ctx, &task)?;
        state::set_ended(ctx, task.ended_height, id)?;
        ctx.emit(events::task_expired(&task, credential_use.as_ref()));
        Ok(())
    }

    /// Gives the data-credential use of an expired task back, in a layer of
    /// its own under `CREDENTIAL_REFUND_GAS`: the sender chose the contract,
    /// and this runs in the begin block, where nothing else bounds it. A
    /// contract that refuses, fails or runs out of gas keeps the use; the
    /// task's own refund goes ahead regardless.
    fn refund_credential_use(
        &self,
        ctx: &mut Ctx,
        holder: &Address,
        dc: &state::DataCredential,
    ) -> Result<std::result::Result<(), String>> {
        let (res, _) = ctx.with_gas_limit(CREDENTIAL_REFUND_GAS, |ctx| {
            ctx.push_layer();
            let res = self.data_credentials.refund(ctx, &dc.contract, holder, dc.credential_id, dc.dataset_id);
            match res {
                Ok(Ok(())) => ctx.commit_layer(),
                _ => ctx.discard_layer(),
            }
            res
        });
        match res {
            Err(e @ venice_sdk::Error::Store(_)) => Err(e),
            Err(e) => Ok(Err(e.to_string())),
            Ok(outcome) => Ok(outcome),
        }
    }

    /// Assign committees to the head of the queue, within the block's work
    /// budget. With no eligible validator, tasks wait (until their deadline).
    pub fn assign_queued(&self, ctx: &mut Ctx) -> Result<()> {
        let p = state::params(ctx)?;
        let head = state::queue_head(ctx, p.block_work_budget.min(MAX_ASSIGN_PER_BLOCK) as usize)?;
        if head.is_empty() {
            return Ok(());
        }
        let eligible = committee::eligible(self.validators.validators(ctx)?);
        if eligible.is_empty() {
            return Ok(());
        }
        let mut tasks = Vec::with_capacity(head.len());
        for (key, id) in head {
            let t = state::task(ctx, id)?.ok_or_else(|| venice_sdk::Error::Internal(format!("queued task {id} missing")))?;
            tasks.push((key, t));
        }
        let works: Vec<(u64, u64)> = tasks.iter().map(|(_, t)| (t.id, t.work)).collect();
        let chosen = queue::take_within_budget(&works, p.block_work_budget);
        let height = ctx.info.height;
        for (key, mut task) in tasks.into_iter().take(chosen.len()) {
            let size = task.committee_size.min(p.max_committee_size) as usize;
            task.committee = committee::select(&committee::seed(ctx, task.id), &eligible, size);
            task.status = TaskStatus::Assigned;
            task.assigned_height = height;
            state::dequeue(ctx, &key)?;
            state::set_assigned(ctx, height, task.id)?;
            state::set_task(ctx, &task)?;
            ctx.emit(events::task_assigned(&task));
        }
        Ok(())
    }
}
