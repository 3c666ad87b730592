//! distribution's key layout and typed accessors (the only code that knows
//! them). `{a}` is an address with its length byte in front; numbers are
//! big-endian u64, so a validator's periods and slash events iterate in
//! order. Every accessor enters distribution's store scope itself, so the
//! keeper works the same from a handler and from a staking hook.
//!
//! - `distribution/params` → Params
//! - `distribution/fp` → community pool (DecCoins)
//! - `distribution/w/{del}` → withdraw address bytes (absent: the delegator)
//! - `distribution/o/{val}` → outstanding rewards (DecCoins)
//! - `distribution/c/{val}` → accumulated commission (DecCoins)
//! - `distribution/h/{val}{period}` → HistoricalRewards
//! - `distribution/r/{val}` → CurrentRewards
//! - `distribution/s/{val}{del}` → StartingInfo
//! - `distribution/e/{val}{height}{period}` → SlashEvent

use borsh::{BorshDeserialize, BorshSerialize};
use venice_sdk::{Address, Ctx, Error, Result};
use venice_types::Dec;

use crate::dec_coins::DecCoins;
use crate::params::Params;

pub const PREFIX: &[u8] = b"distribution/";
const PARAMS: &[u8] = b"distribution/params";
const FEE_POOL: &[u8] = b"distribution/fp";
const WITHDRAW: &[u8] = b"distribution/w/";
const OUTSTANDING: &[u8] = b"distribution/o/";
const COMMISSION: &[u8] = b"distribution/c/";
const HISTORICAL: &[u8] = b"distribution/h/";
const CURRENT: &[u8] = b"distribution/r/";
const STARTING: &[u8] = b"distribution/s/";
const SLASH: &[u8] = b"distribution/e/";

/// A validator's cumulative reward ratio at the end of a period, and how
/// many records (delegations, slash events, the current period) refer to it.
#[derive(Clone, Debug, Default, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct HistoricalRewards {
    pub cumulative_reward_ratio: DecCoins,
    pub reference_count: u32,
}

/// Rewards of the period in progress, not yet divided by stake.
#[derive(Clone, Debug, Default, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct CurrentRewards {
    pub rewards: DecCoins,
    pub period: u64,
}

/// Where a delegation's reward calculation starts.
#[derive(Clone, Debug, Default, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct StartingInfo {
    pub previous_period: u64,
    pub stake: Dec,
    pub height: u64,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct SlashEvent {
    pub validator_period: u64,
    pub fraction: Dec,
}

fn lp(a: &Address) -> Vec<u8> {
    let b = a.as_bytes();
    [&[b.len() as u8], b].concat()
}

fn key(parts: &[&[u8]]) -> Vec<u8> {
    parts.concat()
}

fn corrupt(what: &str) -> Error {
    Error::Internal(format!("corrupt distribution key: {what}"))
}

/// The address at the front of `rest` and what follows it.
fn take_addr(rest: &[u8]) -> Result<(Address, &[u8])> {
    let (&len, tail) = rest.split_first().ok_or_else(|| corrupt("no address"))?;
    let (a, t) = tail.split_at_checked(len as usize).ok_or_else(|| corrupt("short address"))?;
    Ok((Address::from_bytes(a)?, t))
}

fn take_u64(rest: &[u8]) -> Result<(u64, &[u8])> {
    let (n, t) = rest.split_at_checked(8).ok_or_else(|| corrupt("short number"))?;
    Ok((u64::from_be_bytes(n.try_into().expect("8 bytes")), t))
}

fn get<T: BorshDeserialize>(ctx: &mut Ctx, k: &[u8]) -> Result<Option<T>> {
    ctx.scoped(PREFIX, |ctx| ctx.get_borsh(k))
}

fn set<T: BorshSerialize>(ctx: &mut Ctx, k: Vec<u8>, v: &T) -> Result<()> {
    ctx.scoped(PREFIX, |ctx| ctx.set_borsh(k, v))
}

fn delete(ctx: &mut Ctx, k: &[u8]) -> Result<()> {
    ctx.scoped(PREFIX, |ctx| ctx.delete(k))
}

/// Every (key, value) under `prefix`, decoded.
fn all<T: BorshDeserialize>(ctx: &mut Ctx, prefix: &[u8]) -> Result<Vec<(Vec<u8>, T)>> {
    let raw = ctx.scoped(PREFIX, |ctx| ctx.iter_prefix(prefix, None, usize::MAX))?;
    raw.into_iter()
        .map(|(k, v)| {
            Ok((
                k[prefix.len()..].to_vec(),
                T::try_from_slice(&v).map_err(|e| Error::Internal(format!("corrupt distribution value: {e}")))?,
            ))
        })
        .collect()
}

// ---- params and the community pool ------------------------------------------

pub fn params(ctx: &mut Ctx) -> Result<Params> {
    get(ctx, PARAMS)?.ok_or_else(|| Error::Internal("distribution params missing".into()))
}

pub fn set_params(ctx: &mut Ctx, p: &Params) -> Result<()> {
    set(ctx, PARAMS.to_vec(), p)
}

pub fn community_pool(ctx: &mut Ctx) -> Result<DecCoins> {
    Ok(get(ctx, FEE_POOL)?.unwrap_or_default())
}

pub fn set_community_pool(ctx: &mut Ctx, c: &DecCoins) -> Result<()> {
    // The store refuses empty values: an empty pool is still one byte list.
    set(ctx, FEE_POOL.to_vec(), c)
}

// ---- withdraw addresses -------------------------------------------------------

pub fn withdraw_addr(ctx: &mut Ctx, del: &Address) -> Result<Address> {
    let raw = ctx.scoped(PREFIX, |ctx| ctx.get(&key(&[WITHDRAW, &lp(del)])))?;
    match raw {
        Some(b) => Ok(Address::from_bytes(&b)?),
        None => Ok(del.clone()),
    }
}

pub fn set_withdraw_addr(ctx: &mut Ctx, del: &Address, to: &Address) -> Result<()> {
    let k = key(&[WITHDRAW, &lp(del)]);
    if del == to {
        return delete(ctx, &k);
    }
    ctx.scoped(PREFIX, |ctx| ctx.set(k, to.as_bytes().to_vec()))
}

pub fn all_withdraw_addrs(ctx: &mut Ctx) -> Result<Vec<(Address, Address)>> {
    let raw = ctx.scoped(PREFIX, |ctx| ctx.iter_prefix(WITHDRAW, None, usize::MAX))?;
    raw.into_iter().map(|(k, v)| Ok((take_addr(&k[WITHDRAW.len()..])?.0, Address::from_bytes(&v)?))).collect()
}

// ---- per validator ----------------------------------------------------------------

pub fn outstanding(ctx: &mut Ctx, val: &Address) -> Result<DecCoins> {
    Ok(get(ctx, &key(&[OUTSTANDING, &lp(val)]))?.unwrap_or_default())
}
pub fn has_outstanding(ctx: &mut Ctx, val: &Address) -> Result<bool> {
    ctx.scoped(PREFIX, |ctx| ctx.has(&key(&[OUTSTANDING, &lp(val)])))
}
pub fn set_outstanding(ctx: &mut Ctx, val: &Address, c: &DecCoins) -> Result<()> {
    set(ctx, key(&[OUTSTANDING, &lp(val)]), c)
}
pub fn delete_outstanding(ctx: &mut Ctx, val: &Address) -> Result<()> {
    delete(ctx, &key(&[OUTSTANDING, &lp(val)]))
}
pub fn all_outstanding(ctx: &mut Ctx) -> Result<Vec<(Address, DecCoins)>> {
    all(ctx, OUTSTANDING)?.into_iter().map(|(k, v)| Ok((take_addr(&k)?.0, v))).collect()
}

pub fn commission(ctx: &mut Ctx, val: &Address) -> Result<DecCoins> {
    Ok(get(ctx, &key(&[COMMISSION, &lp(val)]))?.unwrap_or_default())
}
pub fn set_commission(ctx: &mut Ctx, val: &Address, c: &DecCoins) -> Result<()> {
    set(ctx, key(&[COMMISSION, &lp(val)]), c)
}
pub fn delete_commission(ctx: &mut Ctx, val: &Address) -> Result<()> {
    delete(ctx, &key(&[COMMISSION, &lp(val)]))
}
pub fn all_commissions(ctx: &mut Ctx) -> Result<Vec<(Address, DecCoins)>> {
    all(ctx, COMMISSION)?.into_iter().map(|(k, v)| Ok((take_addr(&k)?.0, v))).collect()
}

pub fn historical(ctx: &mut Ctx, val: &Address, period: u64) -> Result<Option<HistoricalRewards>> {
    get(ctx, &key(&[HISTORICAL, &lp(val), &period.to_be_bytes()]))
}
pub fn set_historical(ctx: &mut Ctx, val: &Address, period: u64, h: &HistoricalRewards) -> Result<()> {
    set(ctx, key(&[HISTORICAL, &lp(val), &period.to_be_bytes()]), h)
}
pub fn delete_historical(ctx: &mut Ctx, val: &Address, period: u64) -> Result<()> {
    delete(ctx, &key(&[HISTORICAL, &lp(val), &period.to_be_bytes()]))
}
/// (validator, period, record), in key order.
pub fn all_historical(ctx: &mut Ctx) -> Result<Vec<(Address, u64, HistoricalRewards)>> {
    all(ctx, HISTORICAL)?
        .into_iter()
        .map(|(k, v)| {
            let (a, rest) = take_addr(&k)?;
            Ok((a, take_u64(rest)?.0, v))
        })
        .collect()
}
pub fn validator_historical(ctx: &mut Ctx, val: &Address) -> Result<Vec<u64>> {
    let prefix = key(&[HISTORICAL, &lp(val)]);
    all::<HistoricalRewards>(ctx, &prefix)?.into_iter().map(|(k, _)| Ok(take_u64(&k)?.0)).collect()
}

pub fn current(ctx: &mut Ctx, val: &Address) -> Result<Option<CurrentRewards>> {
    get(ctx, &key(&[CURRENT, &lp(val)]))
}
pub fn set_current(ctx: &mut Ctx, val: &Address, c: &CurrentRewards) -> Result<()> {
    set(ctx, key(&[CURRENT, &lp(val)]), c)
}
pub fn delete_current(ctx: &mut Ctx, val: &Address) -> Result<()> {
    delete(ctx, &key(&[CURRENT, &lp(val)]))
}
pub fn all_current(ctx: &mut Ctx) -> Result<Vec<(Address, CurrentRewards)>> {
    all(ctx, CURRENT)?.into_iter().map(|(k, v)| Ok((take_addr(&k)?.0, v))).collect()
}

// ---- per delegation -----------------------------------------------------------------

pub fn starting_info(ctx: &mut Ctx, val: &Address, del: &Address) -> Result<Option<StartingInfo>> {
    get(ctx, &key(&[STARTING, &lp(val), &lp(del)]))
}
pub fn set_starting_info(ctx: &mut Ctx, val: &Address, del: &Address, s: &StartingInfo) -> Result<()> {
    set(ctx, key(&[STARTING, &lp(val), &lp(del)]), s)
}
pub fn delete_starting_info(ctx: &mut Ctx, val: &Address, del: &Address) -> Result<()> {
    delete(ctx, &key(&[STARTING, &lp(val), &lp(del)]))
}
/// (validator, delegator, info), in key order.
pub fn all_starting_infos(ctx: &mut Ctx) -> Result<Vec<(Address, Address, StartingInfo)>> {
    all(ctx, STARTING)?
        .into_iter()
        .map(|(k, v)| {
            let (val, rest) = take_addr(&k)?;
            Ok((val, take_addr(rest)?.0, v))
        })
        .collect()
}

// ---- slash events ---------------------------------------------------------------------

pub fn set_slash_event(ctx: &mut Ctx, val: &Address, height: u64, period: u64, e: &SlashEvent) -> Result<()> {
    set(ctx, key(&[SLASH, &lp(val), &height.to_be_bytes(), &period.to_be_bytes()]), e)
}

/// A validator's slash events with `from <= height <= to`, in order.
pub fn slash_events_between(ctx: &mut Ctx, val: &Address, from: u64, to: u64) -> Result<Vec<(u64, SlashEvent)>> {
    let prefix = key(&[SLASH, &lp(val)]);
    // Start just before `from`: keys are {height}{period}.
    let start = from.checked_sub(1).map(|h| key(&[&prefix, &h.to_be_bytes(), &u64::MAX.to_be_bytes()]));
    let raw = ctx.scoped(PREFIX, |ctx| ctx.iter_prefix(&prefix, start.as_deref(), usize::MAX))?;
    let mut out = Vec::new();
    for (k, v) in raw {
        let (h, _) = take_u64(&k[prefix.len()..])?;
        if h > to {
            break;
        }
        let e = SlashEvent::try_from_slice(&v).map_err(|e| Error::Internal(format!("corrupt slash event: {e}")))?;
        out.push((h, e));
    }
    Ok(out)
}

/// (validator, height, period, event), in key order.
pub fn all_slash_events(ctx: &mut Ctx) -> Result<Vec<(Address, u64, u64, SlashEvent)>> {
    all(ctx, SLASH)?
        .into_iter()
        .map(|(k, v)| {
            let (val, rest) = take_addr(&k)?;
            let (h, rest) = take_u64(rest)?;
            Ok((val, h, take_u64(rest)?.0, v))
        })
        .collect()
}

pub fn delete_validator_records(ctx: &mut Ctx, val: &Address) -> Result<()> {
    for prefix in [key(&[SLASH, &lp(val)]), key(&[HISTORICAL, &lp(val)])] {
        let keys = ctx.scoped(PREFIX, |ctx| ctx.iter_prefix(&prefix, None, usize::MAX))?;
        for (k, _) in keys {
            delete(ctx, &k)?;
        }
    }
    delete_current(ctx, val)?;
    delete_outstanding(ctx, val)?;
    delete_commission(ctx, val)
}
