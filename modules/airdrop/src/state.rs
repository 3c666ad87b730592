//! airdrop's keys:
//!
//! - `airdrop/params` → Params (root, denom, total, deadline)
//! - `airdrop/claimed/{addr}` → u128 paid to that address
//! - `airdrop/claimed_total` → u128
//! - `airdrop/swept` → () once the remainder went to the community pool

use borsh::{BorshDeserialize, BorshSerialize};
use venice_sdk::{Address, Ctx, Error, Result};
use venice_types::time::Timestamp;

pub const PREFIX: &[u8] = b"airdrop/";
const PARAMS: &[u8] = b"airdrop/params";
const CLAIMED: &[u8] = b"airdrop/claimed/";
const CLAIMED_TOTAL: &[u8] = b"airdrop/claimed_total";
const SWEPT: &[u8] = b"airdrop/swept";

#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct Params {
    /// `None`: no airdrop (claims fail, nothing is swept).
    pub merkle_root: Option<[u8; 32]>,
    pub denom: String,
    pub total: u128,
    pub deadline: Timestamp,
}

impl Params {
    /// Whether block time `t` is at or past the deadline.
    pub fn ended(&self, t: Timestamp) -> bool {
        t >= self.deadline
    }
}

pub fn params(ctx: &mut Ctx) -> Result<Params> {
    ctx.get_borsh(PARAMS)?.ok_or_else(|| Error::Internal("airdrop params missing".into()))
}

pub fn set_params(ctx: &mut Ctx, p: &Params) -> Result<()> {
    ctx.set_borsh(PARAMS.to_vec(), p)
}

pub fn claimed(ctx: &mut Ctx, addr: &Address) -> Result<Option<u128>> {
    ctx.get_borsh(&[CLAIMED, addr.as_bytes()].concat())
}

pub fn set_claimed(ctx: &mut Ctx, addr: &Address, amount: u128) -> Result<()> {
    ctx.set_borsh([CLAIMED, addr.as_bytes()].concat(), &amount)
}

pub fn all_claims(ctx: &mut Ctx) -> Result<Vec<(Address, u128)>> {
    ctx.iter_prefix(CLAIMED, None, usize::MAX)?
        .into_iter()
        .map(|(k, v)| {
            let amount = u128::try_from_slice(&v).map_err(|e| Error::Internal(format!("corrupt claim: {e}")))?;
            Ok((Address::from_bytes(&k[CLAIMED.len()..])?, amount))
        })
        .collect()
}

pub fn claimed_total(ctx: &mut Ctx) -> Result<u128> {
    Ok(ctx.get_borsh(CLAIMED_TOTAL)?.unwrap_or(0))
}

pub fn set_claimed_total(ctx: &mut Ctx, v: u128) -> Result<()> {
    ctx.set_borsh(CLAIMED_TOTAL.to_vec(), &v)
}

pub fn swept(ctx: &mut Ctx) -> Result<bool> {
    ctx.has(SWEPT)
}

pub fn set_swept(ctx: &mut Ctx) -> Result<()> {
    ctx.set(SWEPT.to_vec(), vec![1])
}
