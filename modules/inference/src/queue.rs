//! The task queue's order, as a byte key (the store iterates it in order):
//!
//! 1. tasks the sender's credit allowance paid for come first (tier 0);
//! 2. then higher fee per unit of work (fee · 10^6 / work, truncated);
//! 3. then lower task id (first submitted).
//!
//! Pure functions over integers: every node sorts the same way.

use crate::params::Params;

/// Scale of the fee-per-work figure, so that small fees still order.
pub const FEE_PER_WORK_SCALE: u128 = 1_000_000;

/// A task's work units: one per call, plus one per `input_bytes_per_work`
/// bytes of input.
pub fn work(p: &Params, input_len: usize) -> u64 {
    1 + (input_len as u64) / p.input_bytes_per_work
}

/// `fee` per unit of `work`, scaled by [`FEE_PER_WORK_SCALE`], saturating.
pub fn fee_per_work(fee: u128, work: u64) -> u128 {
    fee.saturating_mul(FEE_PER_WORK_SCALE) / u128::from(work.max(1))
}

/// The queue key: `tier (1) || !fee_per_work (16, big-endian) || id (8)`.
pub fn key(allowance_paid: bool, fee: u128, work: u64, id: u64) -> Vec<u8> {
    let mut k = Vec::with_capacity(25);
    k.push(if allowance_paid { 0 } else { 1 });
    k.extend_from_slice(&(u128::MAX - fee_per_work(fee, work)).to_be_bytes());
    k.extend_from_slice(&id.to_be_bytes());
    k
}

/// From the head of the queue (`(id, work)` in queue order), the tasks this
/// block runs: the longest prefix whose work fits in `budget`. Stopping at
/// the first that does not fit keeps the order strict (no small task jumps
/// ahead of a bigger, better-paying one).
pub fn take_within_budget(head: &[(u64, u64)], budget: u64) -> Vec<u64> {
    let mut used = 0u64;
    let mut out = Vec::new();
    for &(id, w) in head {
        match used.checked_add(w) {
            Some(u) if u <= budget => {
                used = u;
                out.push(id);
            }
            _ => break,
        }
    }
    out
}

impl crate::state::Task {
    /// This task's place in the queue.
    pub fn queue_key(&self) -> Vec<u8> {
        key(self.allowance_used > 0, self.fee.amount, self.work, self.id)
    }
}
