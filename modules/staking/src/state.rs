//! staking's key layout and typed accessors (the only code that knows them).
//! `{a}` is an address with its length byte in front, so keys of several
//! addresses stay unambiguous and one address's entries contiguous.
//!
//! - `staking/params` → Params
//! - `staking/v/{op}` → Validator
//! - `staking/c/{consaddr}` → operator bytes
//! - `staking/p/{!power}{op}` → 1: the power index, highest power first,
//!   then the lower operator address (the SDK's order); jailed validators
//!   are not in it
//! - `staking/l/{op}` → i64: last end-block's bonded power
//! - `staking/tp` → i64: last total power
//! - `staking/d/{del}{val}` → shares; `staking/dv/{val}{del}` → 1
//! - `staking/u/{del}{val}` → UnbondingDelegation; `staking/uv/{val}{del}` → 1
//! - `staking/r/{del}{src}{dst}` → Redelegation; `staking/rs/{src}{del}{dst}`,
//!   `staking/rd/{dst}{del}{src}` → 1
//! - `staking/qu/{time}`, `staking/qr/{time}`, `staking/qv/{time}{height}`:
//!   what matures then (unbondings, redelegations, unbonding validators)
//! - `staking/h/{height}` → HistoricalInfo (protobuf)
//! - `staking/nid` → next unbonding id
//! - `staking/lk/{del}` → u128: bonded stake locked by compute credits

use borsh::BorshDeserialize;
use venice_sdk::{Address, Ctx, Error, Result};
use venice_types::Dec;
use venice_types::time::Timestamp;

use crate::params::Params;
use crate::types::{Redelegation, UnbondingDelegation, Validator};

pub const PREFIX: &[u8] = b"staking/";
const PARAMS: &[u8] = b"staking/params";
const VALIDATOR: &[u8] = b"staking/v/";
const BY_CONS: &[u8] = b"staking/c/";
const POWER: &[u8] = b"staking/p/";
const LAST_POWER: &[u8] = b"staking/l/";
const LAST_TOTAL: &[u8] = b"staking/tp";
const DELEGATION: &[u8] = b"staking/d/";
const DELEGATION_BY_VAL: &[u8] = b"staking/dv/";
const UBD: &[u8] = b"staking/u/";
const UBD_BY_VAL: &[u8] = b"staking/uv/";
const RED: &[u8] = b"staking/r/";
const RED_BY_SRC: &[u8] = b"staking/rs/";
const RED_BY_DST: &[u8] = b"staking/rd/";
const UBD_QUEUE: &[u8] = b"staking/qu/";
const RED_QUEUE: &[u8] = b"staking/qr/";
const VAL_QUEUE: &[u8] = b"staking/qv/";
const HISTORICAL: &[u8] = b"staking/h/";
const NEXT_ID: &[u8] = b"staking/nid";
const LOCKED: &[u8] = b"staking/lk/";
/// Index values carry no data; the store refuses empty values.
const MARK: &[u8] = &[1];

fn lp(a: &Address) -> Vec<u8> {
    let b = a.as_bytes();
    [&[b.len() as u8], b].concat()
}

fn key(parts: &[&[u8]]) -> Vec<u8> {
    parts.concat()
}

/// Split `{a}{b}…` (length-prefixed addresses) back into addresses.
fn split_addrs(mut rest: &[u8]) -> Result<Vec<Address>> {
    let mut out = Vec::new();
    while let Some((&len, tail)) = rest.split_first() {
        let (a, t) = tail.split_at_checked(len as usize).ok_or_else(|| Error::Internal("corrupt staking key".into()))?;
        out.push(Address::from_bytes(a)?);
        rest = t;
    }
    Ok(out)
}

fn corrupt(what: &str, e: impl std::fmt::Display) -> Error {
    Error::Internal(format!("corrupt staking {what}: {e}"))
}

fn decode<T: BorshDeserialize>(what: &str, v: &[u8]) -> Result<T> {
    T::try_from_slice(v).map_err(|e| corrupt(what, e))
}

// ---- params ---------------------------------------------------------------

pub fn params(ctx: &mut Ctx) -> Result<Params> {
    ctx.get_borsh(PARAMS)?.ok_or_else(|| Error::Internal("staking params missing".into()))
}

pub fn set_params(ctx: &mut Ctx, p: &Params) -> Result<()> {
    ctx.set_borsh(PARAMS.to_vec(), p)
}

// ---- validators -----------------------------------------------------------

pub fn validator(ctx: &mut Ctx, op: &Address) -> Result<Option<Validator>> {
    ctx.get_borsh(&key(&[VALIDATOR, &lp(op)]))
}

pub fn set_validator(ctx: &mut Ctx, v: &Validator) -> Result<()> {
    ctx.set_borsh(key(&[VALIDATOR, &lp(&v.operator)]), v)
}

pub fn remove_validator_record(ctx: &mut Ctx, v: &Validator) -> Result<()> {
    ctx.delete(&key(&[VALIDATOR, &lp(&v.operator)]))?;
    ctx.delete(&key(&[BY_CONS, v.cons_address().as_bytes()]))
}

/// Validators in operator-key order, after `start_after` (an operator).
pub fn validators(ctx: &mut Ctx, start_after: Option<&Address>, limit: usize) -> Result<Vec<Validator>> {
    let start = start_after.map(|a| key(&[VALIDATOR, &lp(a)]));
    ctx.iter_prefix(VALIDATOR, start.as_deref(), limit)?.into_iter().map(|(_, v)| decode("validator", &v)).collect()
}

pub fn set_validator_by_cons(ctx: &mut Ctx, v: &Validator) -> Result<()> {
    ctx.set(key(&[BY_CONS, v.cons_address().as_bytes()]), v.operator.as_bytes().to_vec())
}

pub fn validator_by_cons(ctx: &mut Ctx, cons: &Address) -> Result<Option<Address>> {
    ctx.get(&key(&[BY_CONS, cons.as_bytes()]))?.map(|b| Address::from_bytes(&b).map_err(Error::from)).transpose()
}

fn power_key(v: &Validator) -> Vec<u8> {
    let inv = (u64::MAX - v.potential_power() as u64).to_be_bytes();
    key(&[POWER, &inv, &lp(&v.operator)])
}

/// Index `v` by its current power (never a jailed validator).
pub fn set_power_index(ctx: &mut Ctx, v: &Validator) -> Result<()> {
    if v.jailed {
        return Ok(());
    }
    ctx.set(power_key(v), MARK.to_vec())
}

pub fn delete_power_index(ctx: &mut Ctx, v: &Validator) -> Result<()> {
    ctx.delete(&power_key(v))
}

/// Operators by power, highest first, up to `limit`.
pub fn by_power(ctx: &mut Ctx, limit: usize) -> Result<Vec<Address>> {
    let skip = POWER.len() + 8;
    ctx.iter_prefix(POWER, None, limit)?
        .into_iter()
        .map(|(k, _)| split_addrs(&k[skip..])?.pop().ok_or_else(|| corrupt("power index", "no address")))
        .collect()
}

/// Every power-index entry as (indexed power, operator), highest first (the
/// invariants compare them with the validators' records).
pub fn power_index_entries(ctx: &mut Ctx) -> Result<Vec<(i64, Address)>> {
    let skip = POWER.len() + 8;
    ctx.iter_prefix(POWER, None, usize::MAX)?
        .into_iter()
        .map(|(k, _)| {
            let inv: [u8; 8] = k[POWER.len()..skip].try_into().map_err(|_| corrupt("power index", "short key"))?;
            let power = (u64::MAX - u64::from_be_bytes(inv)) as i64;
            let op = split_addrs(&k[skip..])?.pop().ok_or_else(|| corrupt("power index", "no address"))?;
            Ok((power, op))
        })
        .collect()
}

pub fn last_power(ctx: &mut Ctx, op: &Address) -> Result<Option<i64>> {
    ctx.get_borsh(&key(&[LAST_POWER, &lp(op)]))
}

pub fn set_last_power(ctx: &mut Ctx, op: &Address, power: i64) -> Result<()> {
    ctx.set_borsh(key(&[LAST_POWER, &lp(op)]), &power)
}

pub fn delete_last_power(ctx: &mut Ctx, op: &Address) -> Result<()> {
    ctx.delete(&key(&[LAST_POWER, &lp(op)]))
}

/// The last bonded set with its powers, in operator-key order.
pub fn last_powers(ctx: &mut Ctx) -> Result<Vec<(Address, i64)>> {
    ctx.iter_prefix(LAST_POWER, None, usize::MAX)?
        .into_iter()
        .map(|(k, v)| {
            let a = split_addrs(&k[LAST_POWER.len()..])?.pop().ok_or_else(|| corrupt("last power", "no address"))?;
            Ok((a, decode("last power", &v)?))
        })
        .collect()
}

pub fn last_total_power(ctx: &mut Ctx) -> Result<i64> {
    Ok(ctx.get_borsh(LAST_TOTAL)?.unwrap_or(0))
}

pub fn set_last_total_power(ctx: &mut Ctx, p: i64) -> Result<()> {
    ctx.set_borsh(LAST_TOTAL.to_vec(), &p)
}

// ---- delegations ----------------------------------------------------------

pub fn delegation(ctx: &mut Ctx, del: &Address, val: &Address) -> Result<Option<Dec>> {
    ctx.get_borsh(&key(&[DELEGATION, &lp(del), &lp(val)]))
}

pub fn set_delegation(ctx: &mut Ctx, del: &Address, val: &Address, shares: Dec) -> Result<()> {
    ctx.set_borsh(key(&[DELEGATION, &lp(del), &lp(val)]), &shares)?;
    ctx.set(key(&[DELEGATION_BY_VAL, &lp(val), &lp(del)]), MARK.to_vec())
}

pub fn remove_delegation(ctx: &mut Ctx, del: &Address, val: &Address) -> Result<()> {
    ctx.delete(&key(&[DELEGATION, &lp(del), &lp(val)]))?;
    ctx.delete(&key(&[DELEGATION_BY_VAL, &lp(val), &lp(del)]))
}

/// A delegator's delegations (validator, shares), after validator `start_after`.
pub fn delegator_delegations(ctx: &mut Ctx, del: &Address, start_after: Option<&Address>, limit: usize) -> Result<Vec<(Address, Dec)>> {
    let prefix = key(&[DELEGATION, &lp(del)]);
    let start = start_after.map(|v| key(&[&prefix, &lp(v)]));
    ctx.iter_prefix(&prefix, start.as_deref(), limit)?
        .into_iter()
        .map(|(k, v)| {
            Ok((split_addrs(&k[prefix.len()..])?.pop().ok_or_else(|| corrupt("delegation", "no address"))?, decode("shares", &v)?))
        })
        .collect()
}

/// A validator's delegators, after delegator `start_after`.
pub fn validator_delegators(ctx: &mut Ctx, val: &Address, start_after: Option<&Address>, limit: usize) -> Result<Vec<Address>> {
    let prefix = key(&[DELEGATION_BY_VAL, &lp(val)]);
    let start = start_after.map(|d| key(&[&prefix, &lp(d)]));
    ctx.iter_prefix(&prefix, start.as_deref(), limit)?
        .into_iter()
        .map(|(k, _)| split_addrs(&k[prefix.len()..])?.pop().ok_or_else(|| corrupt("delegation index", "no address")))
        .collect()
}

/// Every delegation (delegator, validator, shares), in key order (genesis export).
pub fn all_delegations(ctx: &mut Ctx) -> Result<Vec<(Address, Address, Dec)>> {
    ctx.iter_prefix(DELEGATION, None, usize::MAX)?
        .into_iter()
        .map(|(k, v)| {
            let a = split_addrs(&k[DELEGATION.len()..])?;
            match a.as_slice() {
                [d, val] => Ok((d.clone(), val.clone(), decode("shares", &v)?)),
                _ => Err(corrupt("delegation key", "expected two addresses")),
            }
        })
        .collect()
}

// ---- unbonding delegations ------------------------------------------------

pub fn ubd(ctx: &mut Ctx, del: &Address, val: &Address) -> Result<Option<UnbondingDelegation>> {
    ctx.get_borsh(&key(&[UBD, &lp(del), &lp(val)]))
}

/// Store `u`, or remove it when it has no entries left.
pub fn set_ubd(ctx: &mut Ctx, u: &UnbondingDelegation) -> Result<()> {
    let k = key(&[UBD, &lp(&u.delegator), &lp(&u.validator)]);
    let ik = key(&[UBD_BY_VAL, &lp(&u.validator), &lp(&u.delegator)]);
    if u.entries.is_empty() {
        ctx.delete(&k)?;
        ctx.delete(&ik)
    } else {
        ctx.set_borsh(k, u)?;
        ctx.set(ik, MARK.to_vec())
    }
}

pub fn delegator_ubds(ctx: &mut Ctx, del: &Address, start_after: Option<&Address>, limit: usize) -> Result<Vec<UnbondingDelegation>> {
    let prefix = key(&[UBD, &lp(del)]);
    let start = start_after.map(|v| key(&[&prefix, &lp(v)]));
    ctx.iter_prefix(&prefix, start.as_deref(), limit)?.into_iter().map(|(_, v)| decode("unbonding delegation", &v)).collect()
}

pub fn validator_ubd_delegators(ctx: &mut Ctx, val: &Address, start_after: Option<&Address>, limit: usize) -> Result<Vec<Address>> {
    let prefix = key(&[UBD_BY_VAL, &lp(val)]);
    let start = start_after.map(|d| key(&[&prefix, &lp(d)]));
    ctx.iter_prefix(&prefix, start.as_deref(), limit)?
        .into_iter()
        .map(|(k, _)| split_addrs(&k[prefix.len()..])?.pop().ok_or_else(|| corrupt("unbonding index", "no address")))
        .collect()
}

pub fn all_ubds(ctx: &mut Ctx) -> Result<Vec<UnbondingDelegation>> {
    ctx.iter_prefix(UBD, None, usize::MAX)?.into_iter().map(|(_, v)| decode("unbonding delegation", &v)).collect()
}

// ---- redelegations --------------------------------------------------------

pub fn red(ctx: &mut Ctx, del: &Address, src: &Address, dst: &Address) -> Result<Option<Redelegation>> {
    ctx.get_borsh(&key(&[RED, &lp(del), &lp(src), &lp(dst)]))
}

/// Store `r`, or remove it when it has no entries left.
pub fn set_red(ctx: &mut Ctx, r: &Redelegation) -> Result<()> {
    let (d, s, t) = (lp(&r.delegator), lp(&r.src), lp(&r.dst));
    let keys = [key(&[RED, &d, &s, &t]), key(&[RED_BY_SRC, &s, &d, &t]), key(&[RED_BY_DST, &t, &d, &s])];
    if r.entries.is_empty() {
        keys.iter().try_for_each(|k| ctx.delete(k))
    } else {
        let [main, by_src, by_dst] = keys;
        ctx.set_borsh(main, r)?;
        ctx.set(by_src, MARK.to_vec())?;
        ctx.set(by_dst, MARK.to_vec())
    }
}

/// Whether `del` has a redelegation into `dst` still maturing.
pub fn has_receiving_red(ctx: &mut Ctx, del: &Address, dst: &Address) -> Result<bool> {
    Ok(!ctx.iter_prefix(&key(&[RED_BY_DST, &lp(dst), &lp(del)]), None, 1)?.is_empty())
}

/// Redelegations of `del` (all of them, or from `src` only).
pub fn delegator_reds(ctx: &mut Ctx, del: &Address, src: Option<&Address>) -> Result<Vec<Redelegation>> {
    let prefix = match src {
        Some(s) => key(&[RED, &lp(del), &lp(s)]),
        None => key(&[RED, &lp(del)]),
    };
    ctx.iter_prefix(&prefix, None, usize::MAX)?.into_iter().map(|(_, v)| decode("redelegation", &v)).collect()
}

/// Redelegations out of `src` (delegator, dst).
pub fn reds_from(ctx: &mut Ctx, src: &Address) -> Result<Vec<Redelegation>> {
    let prefix = key(&[RED_BY_SRC, &lp(src)]);
    let mut out = Vec::new();
    for (k, _) in ctx.iter_prefix(&prefix, None, usize::MAX)? {
        if let [d, t] = split_addrs(&k[prefix.len()..])?.as_slice()
            && let Some(r) = red(ctx, d, src, t)?
        {
            out.push(r);
        }
    }
    Ok(out)
}

pub fn all_reds(ctx: &mut Ctx) -> Result<Vec<Redelegation>> {
    ctx.iter_prefix(RED, None, usize::MAX)?.into_iter().map(|(_, v)| decode("redelegation", &v)).collect()
}

// ---- queues ---------------------------------------------------------------

fn time_bytes(t: Timestamp) -> [u8; 12] {
    let mut b = [0u8; 12];
    // Block times are after 1970: the unsigned order is the time order.
    b[..8].copy_from_slice(&(t.secs.max(0) as u64).to_be_bytes());
    b[8..].copy_from_slice(&t.nanos.to_be_bytes());
    b
}

fn time_of(b: &[u8]) -> Result<Timestamp> {
    let secs = u64::from_be_bytes(b.get(..8).and_then(|s| s.try_into().ok()).ok_or_else(|| corrupt("queue key", "short"))?);
    let nanos = u32::from_be_bytes(b.get(8..12).and_then(|s| s.try_into().ok()).ok_or_else(|| corrupt("queue key", "short"))?);
    Ok(Timestamp::new(secs as i64, nanos))
}

/// Pairs or triplets of addresses due at one time (the SDK's DVPairs / DVVTriplets).
pub type Due = Vec<Vec<Address>>;

fn queue_push(ctx: &mut Ctx, k: Vec<u8>, item: Vec<Address>) -> Result<()> {
    let mut list: Due = ctx.get_borsh(&k)?.unwrap_or_default();
    list.push(item);
    ctx.set_borsh(k, &list)
}

pub fn push_ubd_queue(ctx: &mut Ctx, at: Timestamp, del: &Address, val: &Address) -> Result<()> {
    queue_push(ctx, key(&[UBD_QUEUE, &time_bytes(at)]), vec![del.clone(), val.clone()])
}

pub fn push_red_queue(ctx: &mut Ctx, at: Timestamp, del: &Address, src: &Address, dst: &Address) -> Result<()> {
    queue_push(ctx, key(&[RED_QUEUE, &time_bytes(at)]), vec![del.clone(), src.clone(), dst.clone()])
}

/// Take every queued item due at or before `now`, in time order.
fn pop_due(ctx: &mut Ctx, prefix: &[u8], now: Timestamp) -> Result<Due> {
    let mut out = Vec::new();
    loop {
        let page = ctx.iter_prefix(prefix, None, 64)?;
        let mut done = page.len() < 64;
        for (k, v) in page {
            if time_of(&k[prefix.len()..])? > now {
                done = true;
                break;
            }
            out.extend(decode::<Due>("queue", &v)?);
            ctx.delete(&k)?;
        }
        if done {
            return Ok(out);
        }
    }
}

pub fn pop_due_ubds(ctx: &mut Ctx, now: Timestamp) -> Result<Due> {
    pop_due(ctx, UBD_QUEUE, now)
}

pub fn pop_due_reds(ctx: &mut Ctx, now: Timestamp) -> Result<Due> {
    pop_due(ctx, RED_QUEUE, now)
}

fn val_queue_key(at: Timestamp, height: i64) -> Vec<u8> {
    key(&[VAL_QUEUE, &time_bytes(at), &(height.max(0) as u64).to_be_bytes()])
}

pub fn push_val_queue(ctx: &mut Ctx, v: &Validator) -> Result<()> {
    queue_push(ctx, val_queue_key(v.unbonding_time, v.unbonding_height), vec![v.operator.clone()])
}

/// Take `v` out of the unbonding-validator queue (it bonded again).
pub fn remove_from_val_queue(ctx: &mut Ctx, v: &Validator) -> Result<()> {
    let k = val_queue_key(v.unbonding_time, v.unbonding_height);
    let Some(mut list) = ctx.get_borsh::<Due>(&k)? else { return Ok(()) };
    list.retain(|item| item.first() != Some(&v.operator));
    if list.is_empty() { ctx.delete(&k) } else { ctx.set_borsh(k, &list) }
}

/// Unbonding validators whose time and height are both reached.
pub fn pop_due_validators(ctx: &mut Ctx, now: Timestamp, height: i64) -> Result<Vec<Address>> {
    let mut out = Vec::new();
    for (k, v) in ctx.iter_prefix(VAL_QUEUE, None, usize::MAX)? {
        let rest = &k[VAL_QUEUE.len()..];
        if time_of(rest)? > now {
            break;
        }
        let h = u64::from_be_bytes(rest.get(12..20).and_then(|s| s.try_into().ok()).ok_or_else(|| corrupt("validator queue", "short"))?);
        if h as i64 > height {
            continue;
        }
        out.extend(decode::<Due>("validator queue", &v)?.into_iter().flatten());
        ctx.delete(&k)?;
    }
    Ok(out)
}

// ---- historical info, ids -------------------------------------------------

pub fn historical(ctx: &mut Ctx, height: i64) -> Result<Option<Vec<u8>>> {
    ctx.get(&key(&[HISTORICAL, &(height as u64).to_be_bytes()]))
}

pub fn set_historical(ctx: &mut Ctx, height: i64, proto: Vec<u8>) -> Result<()> {
    ctx.set(key(&[HISTORICAL, &(height as u64).to_be_bytes()]), proto)
}

pub fn delete_historical(ctx: &mut Ctx, height: i64) -> Result<()> {
    ctx.delete(&key(&[HISTORICAL, &(height as u64).to_be_bytes()]))
}

pub fn next_unbonding_id(ctx: &mut Ctx) -> Result<u64> {
    let id: u64 = ctx.get_borsh(NEXT_ID)?.unwrap_or(0) + 1;
    ctx.set_borsh(NEXT_ID.to_vec(), &id)?;
    Ok(id)
}

// ---- locked stake ------------------------------------------------------------

/// Bonded stake of `del` locked by compute credits (0 when none).
pub fn locked_stake(ctx: &mut Ctx, del: &Address) -> Result<u128> {
    Ok(ctx.get_borsh::<u128>(&key(&[LOCKED, &lp(del)]))?.unwrap_or(0))
}

/// A zero amount removes the record.
pub fn set_locked_stake(ctx: &mut Ctx, del: &Address, amount: u128) -> Result<()> {
    let k = key(&[LOCKED, &lp(del)]);
    if amount == 0 { ctx.delete(&k) } else { ctx.set_borsh(k, &amount) }
}

/// Every lock record, in delegator key order.
pub fn all_locked_stakes(ctx: &mut Ctx) -> Result<Vec<(Address, u128)>> {
    ctx.iter_prefix(LOCKED, None, usize::MAX)?
        .into_iter()
        .map(|(k, v)| {
            let del = split_addrs(&k[LOCKED.len()..])?.pop().ok_or_else(|| corrupt("locked stake", "no address"))?;
            Ok((del, decode("locked stake", &v)?))
        })
        .collect()
}
