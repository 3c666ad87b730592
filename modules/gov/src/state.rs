//! gov's key layout and typed accessors (the only code that knows them).
//!
//! - `gov/params` → Params; `gov/nid` → next proposal id; `gov/constitution`
//! - `gov/p/{id}` → Proposal (ids big-endian, so key order is id order)
//! - `gov/qi/{time}{id}` → 1: the inactive queue, by deposit end time
//! - `gov/qa/{time}{id}` → 1: the active queue, by voting end time
//! - `gov/v/{id}{voter}` → Vote; `gov/d/{id}{depositor}` → Coins
//!
//! Times are sign-flipped big-endian seconds then nanos, so byte order is
//! time order; addresses carry their length byte in front.

use venice_sdk::{Address, Coins, Ctx, Error, Result};
use venice_types::time::Timestamp;

use crate::params::Params;
use crate::types::{Proposal, Vote};

pub const PREFIX: &[u8] = b"gov/";
const PARAMS: &[u8] = b"gov/params";
const NEXT_ID: &[u8] = b"gov/nid";
const CONSTITUTION: &[u8] = b"gov/constitution";
const PROPOSAL: &[u8] = b"gov/p/";
const INACTIVE: &[u8] = b"gov/qi/";
const ACTIVE: &[u8] = b"gov/qa/";
const VOTE: &[u8] = b"gov/v/";
const DEPOSIT: &[u8] = b"gov/d/";
const MARK: &[u8] = &[1];

fn lp(a: &Address) -> Vec<u8> {
    let b = a.as_bytes();
    [&[b.len() as u8], b].concat()
}

fn time_key(t: Timestamp) -> [u8; 12] {
    let mut k = [0u8; 12];
    k[..8].copy_from_slice(&((t.secs as u64) ^ (1 << 63)).to_be_bytes());
    k[8..].copy_from_slice(&t.nanos.to_be_bytes());
    k
}

fn corrupt(what: &str) -> Error {
    Error::Internal(format!("corrupt gov {what} key"))
}

fn addr_after(key: &[u8], prefix_len: usize) -> Result<Address> {
    let rest = key.get(prefix_len..).ok_or_else(|| corrupt("address"))?;
    let (&len, tail) = rest.split_first().ok_or_else(|| corrupt("address"))?;
    if tail.len() != len as usize {
        return Err(corrupt("address"));
    }
    Ok(Address::from_bytes(tail)?)
}

// ---- params, ids, constitution ------------------------------------------------

pub fn params(ctx: &mut Ctx) -> Result<Params> {
    ctx.get_borsh(PARAMS)?.ok_or_else(|| Error::Internal("gov params missing".into()))
}

pub fn set_params(ctx: &mut Ctx, p: &Params) -> Result<()> {
    ctx.set_borsh(PARAMS.to_vec(), p)
}

pub fn next_proposal_id(ctx: &mut Ctx) -> Result<u64> {
    Ok(ctx.get_borsh(NEXT_ID)?.unwrap_or(1))
}

pub fn set_next_proposal_id(ctx: &mut Ctx, id: u64) -> Result<()> {
    ctx.set_borsh(NEXT_ID.to_vec(), &id)
}

pub fn constitution(ctx: &mut Ctx) -> Result<String> {
    Ok(ctx.get_borsh(CONSTITUTION)?.unwrap_or_default())
}

pub fn set_constitution(ctx: &mut Ctx, c: &str) -> Result<()> {
    if c.is_empty() { ctx.delete(CONSTITUTION) } else { ctx.set_borsh(CONSTITUTION.to_vec(), &c.to_string()) }
}

// ---- proposals ----------------------------------------------------------------

fn proposal_key(id: u64) -> Vec<u8> {
    [PROPOSAL, &id.to_be_bytes()].concat()
}

pub fn proposal(ctx: &mut Ctx, id: u64) -> Result<Option<Proposal>> {
    ctx.get_borsh(&proposal_key(id))
}

pub fn set_proposal(ctx: &mut Ctx, p: &Proposal) -> Result<()> {
    ctx.set_borsh(proposal_key(p.id), p)
}

pub fn delete_proposal(ctx: &mut Ctx, id: u64) -> Result<()> {
    ctx.delete(&proposal_key(id))
}

/// Up to `limit` proposals with ids above `start_after`, in id order.
pub fn proposals(ctx: &mut Ctx, start_after: Option<u64>, limit: usize) -> Result<Vec<Proposal>> {
    let start = start_after.map(proposal_key);
    ctx.iter_prefix(PROPOSAL, start.as_deref(), limit)?
        .into_iter()
        .map(|(_, v)| borsh::from_slice(&v).map_err(|e| Error::Internal(format!("corrupt proposal: {e}"))))
        .collect()
}

// ---- queues -------------------------------------------------------------------

fn queue_key(q: &[u8], t: Timestamp, id: u64) -> Vec<u8> {
    [q, &time_key(t), &id.to_be_bytes()].concat()
}

pub fn insert_inactive(ctx: &mut Ctx, end: Timestamp, id: u64) -> Result<()> {
    ctx.set(queue_key(INACTIVE, end, id), MARK.to_vec())
}
pub fn remove_inactive(ctx: &mut Ctx, end: Timestamp, id: u64) -> Result<()> {
    ctx.delete(&queue_key(INACTIVE, end, id))
}
pub fn insert_active(ctx: &mut Ctx, end: Timestamp, id: u64) -> Result<()> {
    ctx.set(queue_key(ACTIVE, end, id), MARK.to_vec())
}
pub fn remove_active(ctx: &mut Ctx, end: Timestamp, id: u64) -> Result<()> {
    ctx.delete(&queue_key(ACTIVE, end, id))
}

/// Ids queued at or before `now`, in time then id order (not removed).
fn due(ctx: &mut Ctx, q: &[u8], now: Timestamp) -> Result<Vec<u64>> {
    let bound = time_key(now);
    let mut out = Vec::new();
    let mut after: Option<Vec<u8>> = None;
    loop {
        let page = ctx.iter_prefix(q, after.as_deref(), 64)?;
        let done = page.len() < 64;
        for (k, _) in page {
            let rest = &k[q.len()..];
            if rest.len() != 20 {
                return Err(corrupt("queue"));
            }
            if rest[..12] > bound[..] {
                return Ok(out);
            }
            out.push(u64::from_be_bytes(rest[12..].try_into().expect("8 bytes")));
            after = Some(k);
        }
        if done {
            return Ok(out);
        }
    }
}

pub fn due_inactive(ctx: &mut Ctx, now: Timestamp) -> Result<Vec<u64>> {
    due(ctx, INACTIVE, now)
}
pub fn due_active(ctx: &mut Ctx, now: Timestamp) -> Result<Vec<u64>> {
    due(ctx, ACTIVE, now)
}

// ---- votes and deposits ---------------------------------------------------------

fn vote_key(id: u64, voter: &Address) -> Vec<u8> {
    [VOTE, &id.to_be_bytes(), &lp(voter)].concat()
}

pub fn vote(ctx: &mut Ctx, id: u64, voter: &Address) -> Result<Option<Vote>> {
    ctx.get_borsh(&vote_key(id, voter))
}
pub fn set_vote(ctx: &mut Ctx, v: &Vote) -> Result<()> {
    ctx.set_borsh(vote_key(v.proposal_id, &v.voter), v)
}
pub fn delete_vote(ctx: &mut Ctx, id: u64, voter: &Address) -> Result<()> {
    ctx.delete(&vote_key(id, voter))
}

/// Up to `limit` votes on proposal `id` after voter `start_after`, in key order.
pub fn votes(ctx: &mut Ctx, id: u64, start_after: Option<&Address>, limit: usize) -> Result<Vec<Vote>> {
    let prefix = [VOTE, &id.to_be_bytes()].concat();
    let start = start_after.map(|a| vote_key(id, a));
    ctx.iter_prefix(&prefix, start.as_deref(), limit)?
        .into_iter()
        .map(|(_, v)| borsh::from_slice(&v).map_err(|e| Error::Internal(format!("corrupt vote: {e}"))))
        .collect()
}

fn deposit_key(id: u64, depositor: &Address) -> Vec<u8> {
    [DEPOSIT, &id.to_be_bytes(), &lp(depositor)].concat()
}

pub fn deposit(ctx: &mut Ctx, id: u64, depositor: &Address) -> Result<Option<Coins>> {
    ctx.get_borsh(&deposit_key(id, depositor))
}
pub fn set_deposit(ctx: &mut Ctx, id: u64, depositor: &Address, amount: &Coins) -> Result<()> {
    ctx.set_borsh(deposit_key(id, depositor), amount)
}
pub fn delete_deposit(ctx: &mut Ctx, id: u64, depositor: &Address) -> Result<()> {
    ctx.delete(&deposit_key(id, depositor))
}

/// Up to `limit` deposits on proposal `id` after `start_after`, in key order.
pub fn deposits(ctx: &mut Ctx, id: u64, start_after: Option<&Address>, limit: usize) -> Result<Vec<(Address, Coins)>> {
    let prefix = [DEPOSIT, &id.to_be_bytes()].concat();
    let start = start_after.map(|a| deposit_key(id, a));
    ctx.iter_prefix(&prefix, start.as_deref(), limit)?
        .into_iter()
        .map(|(k, v)| {
            let addr = addr_after(&k, prefix.len())?;
            let coins = borsh::from_slice(&v).map_err(|e| Error::Internal(format!("corrupt deposit: {e}")))?;
            Ok((addr, coins))
        })
        .collect()
}
