//! bank's key layout and typed accessors.
//!
//! - `bank/bal/{len(addr)}{addr}{denom}` → u128 balance (absent = 0)
//! - `bank/supply/{denom}` → u128 total supply
//! - `bank/meta/{denom}` → protobuf `Metadata`
//! - `bank/params` → Params
//!
//! The length byte keeps one address's balances contiguous and unambiguous,
//! so `AllBalances` is a prefix scan.

use venice_sdk::{Address, Coin, Ctx, Error, Result};

use crate::params::Params;

pub const PREFIX: &[u8] = b"bank/";
const BALANCE: &[u8] = b"bank/bal/";
const SUPPLY: &[u8] = b"bank/supply/";
const META: &[u8] = b"bank/meta/";
const PARAMS: &[u8] = b"bank/params";

pub fn balances_prefix(addr: &Address) -> Vec<u8> {
    let a = addr.as_bytes();
    [BALANCE, &[a.len() as u8], a].concat()
}

fn balance_key(addr: &Address, denom: &str) -> Vec<u8> {
    [balances_prefix(addr).as_slice(), denom.as_bytes()].concat()
}

fn decode_amount(b: &[u8]) -> Result<u128> {
    let arr: [u8; 16] = b.try_into().map_err(|_| Error::Internal("corrupt amount".into()))?;
    Ok(u128::from_be_bytes(arr))
}

pub fn balance(ctx: &mut Ctx, addr: &Address, denom: &str) -> Result<u128> {
    ctx.get(&balance_key(addr, denom))?.map_or(Ok(0), |b| decode_amount(&b))
}

/// Zero balances are deleted, not stored, so state holds no dust keys.
pub fn set_balance(ctx: &mut Ctx, addr: &Address, denom: &str, amount: u128) -> Result<()> {
    let key = balance_key(addr, denom);
    if amount == 0 { ctx.delete(&key) } else { ctx.set(key, amount.to_be_bytes().to_vec()) }
}

pub fn all_balances(ctx: &mut Ctx, addr: &Address, start_after_denom: Option<&str>, limit: usize) -> Result<Vec<Coin>> {
    let prefix = balances_prefix(addr);
    let start = start_after_denom.map(|d| [prefix.as_slice(), d.as_bytes()].concat());
    ctx.iter_prefix(&prefix, start.as_deref(), limit)?
        .into_iter()
        .map(|(k, v)| {
            let denom = String::from_utf8(k[prefix.len()..].to_vec()).map_err(|_| Error::Internal("corrupt denom key".into()))?;
            Ok(Coin { denom, amount: decode_amount(&v)? })
        })
        .collect()
}

/// Every address holding a balance, in key order (genesis export).
pub fn holders(ctx: &mut Ctx) -> Result<Vec<Address>> {
    let mut out: Vec<Address> = Vec::new();
    for (k, _) in ctx.iter_prefix(BALANCE, None, usize::MAX)? {
        let rest = &k[BALANCE.len()..];
        let len = *rest.first().ok_or_else(|| Error::Internal("corrupt balance key".into()))? as usize;
        let addr = Address::from_bytes(rest.get(1..1 + len).ok_or_else(|| Error::Internal("corrupt balance key".into()))?)?;
        if out.last() != Some(&addr) {
            out.push(addr);
        }
    }
    Ok(out)
}

/// One stored balance as found, for the invariants: what does not decode
/// is `None` rather than an error, so that it can be reported.
pub struct BalanceEntry {
    pub address: Option<Address>,
    pub denom: String,
    pub amount: Option<u128>,
}

/// Every stored balance, in key order.
pub fn all_balance_entries(ctx: &mut Ctx) -> Result<Vec<BalanceEntry>> {
    let mut out = Vec::new();
    for (k, v) in ctx.iter_prefix(BALANCE, None, usize::MAX)? {
        let rest = &k[BALANCE.len()..];
        let len = rest.first().copied().unwrap_or(0) as usize;
        let (address, denom) = match rest.get(1..1 + len) {
            Some(a) => (Address::from_bytes(a).ok(), &rest[1 + len..]),
            None => (None, &rest[rest.len().min(1)..]),
        };
        let amount = <[u8; 16]>::try_from(v.as_slice()).ok().map(u128::from_be_bytes);
        out.push(BalanceEntry { address, denom: String::from_utf8_lossy(denom).into_owned(), amount });
    }
    Ok(out)
}

pub fn supply(ctx: &mut Ctx, denom: &str) -> Result<u128> {
    ctx.get(&[SUPPLY, denom.as_bytes()].concat())?.map_or(Ok(0), |b| decode_amount(&b))
}

pub fn set_supply(ctx: &mut Ctx, denom: &str, amount: u128) -> Result<()> {
    let key = [SUPPLY, denom.as_bytes()].concat();
    if amount == 0 { ctx.delete(&key) } else { ctx.set(key, amount.to_be_bytes().to_vec()) }
}

pub fn all_supply(ctx: &mut Ctx, start_after_denom: Option<&str>, limit: usize) -> Result<Vec<Coin>> {
    let start = start_after_denom.map(|d| [SUPPLY, d.as_bytes()].concat());
    ctx.iter_prefix(SUPPLY, start.as_deref(), limit)?
        .into_iter()
        .map(|(k, v)| Ok(Coin { denom: String::from_utf8_lossy(&k[SUPPLY.len()..]).into_owned(), amount: decode_amount(&v)? }))
        .collect()
}

pub fn metadata(ctx: &mut Ctx, denom: &str) -> Result<Option<Vec<u8>>> {
    ctx.get(&[META, denom.as_bytes()].concat())
}

pub fn set_metadata(ctx: &mut Ctx, denom: &str, proto_bytes: Vec<u8>) -> Result<()> {
    ctx.set([META, denom.as_bytes()].concat(), proto_bytes)
}

pub fn all_metadata(ctx: &mut Ctx, start_after_denom: Option<&str>, limit: usize) -> Result<Vec<(String, Vec<u8>)>> {
    let start = start_after_denom.map(|d| [META, d.as_bytes()].concat());
    Ok(ctx
        .iter_prefix(META, start.as_deref(), limit)?
        .into_iter()
        .map(|(k, v)| (String::from_utf8_lossy(&k[META.len()..]).into_owned(), v))
        .collect())
}

pub fn params(ctx: &mut Ctx) -> Result<Params> {
    ctx.get_borsh(PARAMS)?.ok_or_else(|| Error::Internal("bank params missing".into()))
}

pub fn set_params(ctx: &mut Ctx, p: &Params) -> Result<()> {
    ctx.set_borsh(PARAMS.to_vec(), p)
}
