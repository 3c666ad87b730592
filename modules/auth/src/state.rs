//! auth's key layout and typed accessors. Keys: `auth/acc/{addr}` → Account,
//! `auth/next_num` → u64, `auth/params` → Params,
//! `auth/vest/{addr}` → Vesting (vesting accounts only).

use borsh::{BorshDeserialize, BorshSerialize};
use venice_sdk::tx::PubKey;
use venice_sdk::{Address, Ctx, Error, Result};

use crate::params::Params;
use crate::vesting::Vesting;

pub const PREFIX: &[u8] = b"auth/";
const ACCOUNT: &[u8] = b"auth/acc/";
const NEXT_NUM: &[u8] = b"auth/next_num";
const PARAMS: &[u8] = b"auth/params";
/// `auth/vest/{addr}` → Vesting: present only for vesting accounts, so the
/// base account (what the ante handler reads and writes) keeps one shape.
const VESTING: &[u8] = b"auth/vest/";

#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct Account {
    pub address: Address,
    pub account_number: u64,
    pub sequence: u64,
    /// Its key (secp256k1 or multisig), known once the account has signed a tx.
    pub pub_key: Option<PubKey>,
}

pub fn account_key(addr: &Address) -> Vec<u8> {
    [ACCOUNT, addr.as_bytes()].concat()
}

/// The account key of raw address bytes (a pagination key).
pub fn account_key_from_bytes(addr: &[u8]) -> Vec<u8> {
    [ACCOUNT, addr].concat()
}

pub fn get_account(ctx: &mut Ctx, addr: &Address) -> Result<Option<Account>> {
    ctx.get_borsh(&account_key(addr))
}

pub fn vesting(ctx: &mut Ctx, addr: &Address) -> Result<Option<Vesting>> {
    ctx.get_borsh(&[VESTING, addr.as_bytes()].concat())
}

pub fn set_vesting(ctx: &mut Ctx, addr: &Address, v: &Vesting) -> Result<()> {
    ctx.set_borsh([VESTING, addr.as_bytes()].concat(), v)
}

pub fn has_account(ctx: &mut Ctx, addr: &Address) -> Result<bool> {
    ctx.has(&account_key(addr))
}

pub fn set_account(ctx: &mut Ctx, acc: &Account) -> Result<()> {
    ctx.set_borsh(account_key(&acc.address), acc)
}

/// Create a new account with the next account number.
pub fn create_account(ctx: &mut Ctx, addr: &Address, pub_key: Option<PubKey>) -> Result<Account> {
    let num: u64 = ctx.get_borsh(NEXT_NUM)?.unwrap_or(0);
    ctx.set_borsh(NEXT_NUM.to_vec(), &(num + 1))?;
    let acc = Account { address: addr.clone(), account_number: num, sequence: 0, pub_key };
    set_account(ctx, &acc)?;
    Ok(acc)
}

pub fn next_account_number(ctx: &mut Ctx) -> Result<u64> {
    Ok(ctx.get_borsh(NEXT_NUM)?.unwrap_or(0))
}

pub fn set_next_account_number(ctx: &mut Ctx, next: u64) -> Result<()> {
    ctx.set_borsh(NEXT_NUM.to_vec(), &next)
}

pub fn params(ctx: &mut Ctx) -> Result<Params> {
    ctx.get_borsh(PARAMS)?.ok_or_else(|| Error::Internal("auth params missing".into()))
}

pub fn set_params(ctx: &mut Ctx, p: &Params) -> Result<()> {
    ctx.set_borsh(PARAMS.to_vec(), p)
}

/// All accounts in address order (genesis export, queries).
pub fn all_accounts(ctx: &mut Ctx, start_after: Option<&[u8]>, limit: usize) -> Result<Vec<Account>> {
    ctx.iter_prefix(ACCOUNT, start_after, limit)?
        .into_iter()
        .map(|(k, v)| {
            Account::try_from_slice(&v).map_err(|e| Error::Internal(format!("corrupt account {}: {e}", String::from_utf8_lossy(&k))))
        })
        .collect()
}
