//! staking's key layout: `staking/val/{consensus pubkey}` → Validator.

use borsh::{BorshDeserialize, BorshSerialize};
use venice_sdk::{Ctx, Error, Result};

pub const PREFIX: &[u8] = b"staking/";
const VALIDATOR: &[u8] = b"staking/val/";

#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct Validator {
    pub moniker: String,
    /// ed25519 consensus key (32 bytes).
    pub consensus_pubkey: Vec<u8>,
    pub power: i64,
}

fn key(pubkey: &[u8]) -> Vec<u8> {
    [VALIDATOR, pubkey].concat()
}

pub fn set_validator(ctx: &mut Ctx, v: &Validator) -> Result<()> {
    ctx.set_borsh(key(&v.consensus_pubkey), v)
}

pub fn has_validator(ctx: &mut Ctx, pubkey: &[u8]) -> Result<bool> {
    ctx.has(&key(pubkey))
}

/// Every validator, in consensus-key order.
pub fn validators(ctx: &mut Ctx) -> Result<Vec<Validator>> {
    ctx.iter_prefix(VALIDATOR, None, usize::MAX)?
        .into_iter()
        .map(|(k, v)| Validator::try_from_slice(&v).map_err(|e| Error::Internal(format!("corrupt validator {}: {e}", hex::encode(&k)))))
        .collect()
}
