//! slashing's key layout and typed accessors (the only code that knows them).
//!
//! - `slashing/params` → Params
//! - `slashing/i/{consaddr}` → SigningInfo
//! - `slashing/m/{len}{consaddr}{index: u64 BE}` → 1: a missed block at
//!   that index of the window (absent: signed), so a validator's bitmap is
//!   one contiguous range, cleared in one sweep.

use borsh::{BorshDeserialize, BorshSerialize};
use cosmos_sdk_proto::cosmos::slashing::v1beta1 as pb;
use venice_sdk::{Address, Ctx, Error, Result};
use venice_types::time::Timestamp;

use crate::params::Params;

pub const PREFIX: &[u8] = b"slashing/";
const PARAMS: &[u8] = b"slashing/params";
const SIGNING_INFO: &[u8] = b"slashing/i/";
const MISSED: &[u8] = b"slashing/m/";
const MARK: &[u8] = &[1];

/// The SDK's `ValidatorSigningInfo`.
#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct SigningInfo {
    pub address: Address,
    /// Height at which the validator was (last) bonded: the window counts from it.
    pub start_height: i64,
    /// Blocks counted since then; `index_offset % window` is the bitmap slot.
    pub index_offset: i64,
    pub jailed_until: Timestamp,
    /// Double-signed: can never be unjailed.
    pub tombstoned: bool,
    pub missed_blocks_counter: i64,
}

impl SigningInfo {
    pub fn new(address: Address, start_height: i64) -> Self {
        SigningInfo {
            address,
            start_height,
            index_offset: 0,
            jailed_until: Timestamp::default(),
            tombstoned: false,
            missed_blocks_counter: 0,
        }
    }
    pub fn to_proto(&self) -> pb::ValidatorSigningInfo {
        pb::ValidatorSigningInfo {
            address: self.address.to_valcons(),
            start_height: self.start_height,
            index_offset: self.index_offset,
            jailed_until: Some(tendermint_proto::google::protobuf::Timestamp {
                seconds: self.jailed_until.secs,
                nanos: self.jailed_until.nanos as i32,
            }),
            tombstoned: self.tombstoned,
            missed_blocks_counter: self.missed_blocks_counter,
        }
    }
}

fn lp(a: &Address) -> Vec<u8> {
    let b = a.as_bytes();
    [&[b.len() as u8], b].concat()
}

pub fn params(ctx: &mut Ctx) -> Result<Params> {
    ctx.get_borsh(PARAMS)?.ok_or_else(|| Error::Internal("slashing params missing".into()))
}

pub fn set_params(ctx: &mut Ctx, p: &Params) -> Result<()> {
    ctx.set_borsh(PARAMS.to_vec(), p)
}

pub fn signing_info(ctx: &mut Ctx, cons: &Address) -> Result<Option<SigningInfo>> {
    ctx.get_borsh(&[SIGNING_INFO, cons.as_bytes()].concat())
}

pub fn set_signing_info(ctx: &mut Ctx, info: &SigningInfo) -> Result<()> {
    ctx.set_borsh([SIGNING_INFO, info.address.as_bytes()].concat(), info)
}

/// Signing infos in consensus-address order, after `start_after`.
pub fn signing_infos(ctx: &mut Ctx, start_after: Option<&Address>, limit: usize) -> Result<Vec<SigningInfo>> {
    let start = start_after.map(|a| [SIGNING_INFO, a.as_bytes()].concat());
    ctx.iter_prefix(SIGNING_INFO, start.as_deref(), limit)?
        .into_iter()
        .map(|(_, v)| SigningInfo::try_from_slice(&v).map_err(|e| Error::Internal(format!("corrupt signing info: {e}"))))
        .collect()
}

fn missed_key(cons: &Address, index: i64) -> Vec<u8> {
    [MISSED, &lp(cons), &(index.max(0) as u64).to_be_bytes()].concat()
}

pub fn missed(ctx: &mut Ctx, cons: &Address, index: i64) -> Result<bool> {
    ctx.has(&missed_key(cons, index))
}

pub fn set_missed(ctx: &mut Ctx, cons: &Address, index: i64, missed: bool) -> Result<()> {
    if missed { ctx.set(missed_key(cons, index), MARK.to_vec()) } else { ctx.delete(&missed_key(cons, index)) }
}

/// The indices `cons` missed, in order.
pub fn missed_indices(ctx: &mut Ctx, cons: &Address) -> Result<Vec<i64>> {
    let prefix = [MISSED, &lp(cons)].concat();
    ctx.iter_prefix(&prefix, None, usize::MAX)?
        .into_iter()
        .map(|(k, _)| {
            let b: [u8; 8] = k[prefix.len()..].try_into().map_err(|_| Error::Internal("corrupt missed-block key".into()))?;
            Ok(u64::from_be_bytes(b) as i64)
        })
        .collect()
}

/// Forget `cons`'s bitmap (after a downtime jail, as the SDK resets it).
pub fn clear_missed(ctx: &mut Ctx, cons: &Address) -> Result<()> {
    for i in missed_indices(ctx, cons)? {
        ctx.delete(&missed_key(cons, i))?;
    }
    Ok(())
}
