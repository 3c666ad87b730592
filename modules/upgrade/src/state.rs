//! upgrade's keys:
//!
//! - `upgrade/plan` → the scheduled [`Plan`] (at most one)
//! - `upgrade/done/{name}` → u64, the height a plan was applied at

use borsh::{BorshDeserialize, BorshSerialize};
use cosmos_sdk_proto::cosmos::upgrade::v1beta1 as pb;
use venice_sdk::{Ctx, Result};

pub const PREFIX: &[u8] = b"upgrade/";
const PLAN: &[u8] = b"upgrade/plan";
const DONE: &[u8] = b"upgrade/done/";

/// A scheduled upgrade: the SDK's `Plan` less its deprecated fields (time,
/// upgraded client state), which validation refuses.
#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct Plan {
    pub name: String,
    pub height: u64,
    pub info: String,
}

impl Plan {
    pub fn to_proto(&self) -> pb::Plan {
        pb::Plan { name: self.name.clone(), height: self.height as i64, info: self.info.clone(), ..Default::default() }
    }
    /// Whether the plan is due in the block at `height` (the SDK's `ShouldExecute`).
    pub fn due_at(&self, height: u64) -> bool {
        self.height > 0 && height >= self.height
    }
}

pub fn plan(ctx: &mut Ctx) -> Result<Option<Plan>> {
    ctx.get_borsh(PLAN)
}

pub fn set_plan(ctx: &mut Ctx, plan: &Plan) -> Result<()> {
    ctx.set_borsh(PLAN.to_vec(), plan)
}

pub fn clear_plan(ctx: &mut Ctx) -> Result<()> {
    ctx.delete(PLAN)
}

fn done_key(name: &str) -> Vec<u8> {
    [DONE, name.as_bytes()].concat()
}

/// The height the plan `name` was applied at, if it was.
pub fn done_height(ctx: &mut Ctx, name: &str) -> Result<Option<u64>> {
    ctx.get_borsh(&done_key(name))
}

pub fn set_done(ctx: &mut Ctx, name: &str, height: u64) -> Result<()> {
    ctx.set_borsh(done_key(name), &height)
}

/// Every applied plan, by name.
pub fn all_done(ctx: &mut Ctx) -> Result<Vec<(String, u64)>> {
    let mut out = Vec::new();
    for (k, v) in ctx.iter_prefix(DONE, None, usize::MAX)? {
        let name = String::from_utf8_lossy(&k[DONE.len()..]).into_owned();
        out.push((name, borsh::from_slice(&v).map_err(|e| venice_sdk::Error::Internal(format!("upgrade done height: {e}")))?));
    }
    Ok(out)
}

/// The most recently applied plan (highest height), as `(name, height)`.
pub fn last_done(ctx: &mut Ctx) -> Result<Option<(String, u64)>> {
    Ok(all_done(ctx)?.into_iter().max_by_key(|(name, h)| (*h, name.clone())))
}
