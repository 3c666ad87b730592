//! The node-local side of inference: what a validator's executor (in
//! `veniced`, beside its sidecar) reads from committed state, and what it
//! offers back to `ExtendVote`. None of this is consensus state: a node with
//! no executor, or a slow sidecar, simply has no results to extend.

use venice_sdk::{Ctx, Result};
use venice_types::inference::TaskResult;

use crate::Inference;
use crate::state::{self, Task, TaskStatus};

/// Finished results kept by this node's executor, outside consensus.
pub trait LocalResults: Send + Sync {
    /// The consensus address (20 bytes) of this node's validator key; `None`
    /// when the node does not validate.
    fn consensus_address(&self) -> Option<Vec<u8>>;
    /// Results the sidecar finished (task id, canonical output hash, the
    /// canonical output bytes). The module drops those the chain no longer
    /// needs from this validator before it extends its vote.
    fn finished(&self) -> Vec<TaskResult>;
}

/// A task this node's validator must run. The task carries its listing's
/// model URI and rule as they were at submission, so a model delisted
/// meanwhile still runs.
#[derive(Clone, Debug)]
pub struct Assignment {
    pub task: Task,
}

impl Inference {
    /// Open tasks assigned at `height` whose committee includes
    /// `consensus_address`, in task id order.
    pub fn assignments(&self, ctx: &mut Ctx, height: u64, consensus_address: &[u8]) -> Result<Vec<Assignment>> {
        let mut out = Vec::new();
        for id in state::assigned_at(ctx, height)? {
            let Some(task) = state::task(ctx, id)? else { continue };
            if task.status != TaskStatus::Assigned || !task.committee.iter().any(|m| m.consensus_address == consensus_address) {
                continue;
            }
            out.push(Assignment { task });
        }
        Ok(out)
    }

    /// Whether the chain still wants `consensus_address`'s answer to task
    /// `id` (assigned, open, and no answer of this member recorded yet).
    pub fn wants_result(&self, ctx: &mut Ctx, id: u64, consensus_address: &[u8]) -> Result<bool> {
        let Some(task) = state::task(ctx, id)? else { return Ok(false) };
        Ok(task.status == TaskStatus::Assigned
            && task.committee.iter().any(|m| m.consensus_address == consensus_address)
            && state::vote(ctx, id, consensus_address)?.is_none())
    }
}
