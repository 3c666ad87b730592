//! Committee selection: stake-weighted sampling without replacement,
//! seeded from chain data only.
//!
//! The seed of a task is `sha256("venice/inference/committee" || chain id
//! || height || block time || previous app hash || task id)`: every node executing the block
//! knows all of it, and nothing else (no clock, no local randomness).
//! Draw `i` takes `sha256(seed || i)` as a 128-bit integer modulo the
//! remaining power and walks the eligible validators, sorted by operator
//! address, to the one whose power range holds it; that one leaves the
//! pool. Jailed and zero-power validators are never eligible.

use sha2::{Digest, Sha256};
use venice_sdk::Ctx;

use crate::expected_keepers::ValidatorInfo;
use crate::state::Member;

/// The committee seed of task `task_id` in the block `ctx` executes.
pub fn seed(ctx: &Ctx, task_id: u64) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(b"venice/inference/committee");
    h.update((ctx.info.chain_id.len() as u64).to_be_bytes());
    h.update(ctx.info.chain_id.as_bytes());
    h.update(ctx.info.height.to_be_bytes());
    h.update(ctx.info.time_secs.to_be_bytes());
    h.update(ctx.info.time_nanos.to_be_bytes());
    // The previous block's app hash: chain data this block's proposer did
    // not choose (block time alone it can nudge).
    h.update((ctx.info.last_app_hash.len() as u64).to_be_bytes());
    h.update(&ctx.info.last_app_hash);
    h.update(task_id.to_be_bytes());
    h.finalize().into()
}

/// Eligible validators in the one order every node uses.
pub fn eligible(mut vals: Vec<ValidatorInfo>) -> Vec<ValidatorInfo> {
    vals.retain(|v| !v.jailed && v.power > 0);
    vals.sort_by(|a, b| a.operator.cmp(&b.operator));
    vals.dedup_by(|a, b| a.operator == b.operator);
    vals
}

/// Up to `size` members drawn from `eligible` (already filtered and sorted
/// by [`eligible`]), weighted by power, in draw order.
pub fn select(seed: &[u8; 32], eligible: &[ValidatorInfo], size: usize) -> Vec<Member> {
    let mut pool: Vec<&ValidatorInfo> = eligible.iter().collect();
    let mut total: u128 = pool.iter().map(|v| u128::from(v.power)).sum();
    let mut out = Vec::with_capacity(size.min(pool.len()));
    let mut draw: u64 = 0;
    while out.len() < size && total > 0 {
        let digest: [u8; 32] = Sha256::new().chain_update(seed).chain_update(draw.to_be_bytes()).finalize().into();
        draw += 1;
        let mut r = u128::from_be_bytes(digest[..16].try_into().expect("16 bytes")) % total;
        let mut pick = pool.len() - 1;
        for (i, v) in pool.iter().enumerate() {
            let p = u128::from(v.power);
            if r < p {
                pick = i;
                break;
            }
            r -= p;
        }
        let v = pool.remove(pick);
        total -= u128::from(v.power);
        out.push(Member { operator: v.operator.clone(), consensus_address: v.consensus_address.clone(), power: v.power });
    }
    out
}
