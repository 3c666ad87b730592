//! wasm's key layout and typed accessors. Values are the protobuf types of
//! `cosmwasm.wasm.v1` (what the queries and genesis hand out), so a value
//! read is a value answered.
//!
//! - `wasm/params` → `Params`
//! - `wasm/seq/code`, `wasm/seq/inst` → last code id / instance id (u64 BE)
//! - `wasm/code/{id}` → `CodeInfo`; `wasm/pin/{id}` → pinned marker
//! - `wasm/contract/{addr}` → `ContractInfo`
//! - `wasm/hist/{len}{addr}{n}` → `ContractCodeHistoryEntry` (n: u64 BE)
//! - `wasm/bycode/{id}{height}{tx}{addr}`, `wasm/bycreator/{len}{creator}{height}{tx}{addr}`:
//!   secondary indexes in creation order (as wasmd's)
//! - `wasm/s/{len}{addr}{key}` → a contract's own storage, raw: each contract
//!   has its prefix in the provable store, so ICS23 proofs of its state work.
//!
//! Ids and heights are big-endian so key order is numeric order.

use cosmos_sdk_proto::cosmwasm::wasm::v1 as pb;
use prost::Message;
use venice_sdk::{Address, Ctx, Error, Result};

pub const PREFIX: &[u8] = b"wasm/";
const PARAMS: &[u8] = b"wasm/params";
const SEQ_CODE: &[u8] = b"wasm/seq/code";
const SEQ_INSTANCE: &[u8] = b"wasm/seq/inst";
const CODE: &[u8] = b"wasm/code/";
const PIN: &[u8] = b"wasm/pin/";
const CONTRACT: &[u8] = b"wasm/contract/";
const HISTORY: &[u8] = b"wasm/hist/";
const BY_CODE: &[u8] = b"wasm/bycode/";
const BY_CREATOR: &[u8] = b"wasm/bycreator/";
pub const CONTRACT_STORE: &[u8] = b"wasm/s/";

fn len_prefixed(addr: &Address) -> Vec<u8> {
    let a = addr.as_bytes();
    [&[a.len() as u8], a].concat()
}

/// Where the contract's own keys live (the prefix its storage backend adds).
pub fn contract_store_prefix(addr: &Address) -> Vec<u8> {
    [CONTRACT_STORE, &len_prefixed(addr)].concat()
}

fn decode<M: Message + Default>(bytes: &[u8], what: &str) -> Result<M> {
    M::decode(bytes).map_err(|e| Error::Internal(format!("corrupt {what}: {e}")))
}

fn get_proto<M: Message + Default>(ctx: &mut Ctx, key: &[u8], what: &str) -> Result<Option<M>> {
    ctx.get(key)?.map(|b| decode(&b, what)).transpose()
}

fn u64_value(b: &[u8]) -> Result<u64> {
    Ok(u64::from_be_bytes(b.try_into().map_err(|_| Error::Internal("corrupt sequence".into()))?))
}

// ---- params and sequences ----------------------------------------------------

pub fn params(ctx: &mut Ctx) -> Result<pb::Params> {
    get_proto(ctx, PARAMS, "wasm params")?.ok_or_else(|| Error::Internal("wasm params missing".into()))
}

pub fn set_params(ctx: &mut Ctx, p: &pb::Params) -> Result<()> {
    ctx.set(PARAMS.to_vec(), p.encode_to_vec())
}

/// (name in genesis `sequences`, key)
pub const SEQUENCES: [(&[u8], &[u8]); 2] = [(b"lastCodeId", SEQ_CODE), (b"lastContractId", SEQ_INSTANCE)];

pub fn sequence(ctx: &mut Ctx, key: &[u8]) -> Result<u64> {
    ctx.get(key)?.map_or(Ok(0), |b| u64_value(&b))
}

pub fn set_sequence(ctx: &mut Ctx, key: &[u8], value: u64) -> Result<()> {
    ctx.set(key.to_vec(), value.to_be_bytes().to_vec())
}

fn next_id(ctx: &mut Ctx, key: &[u8]) -> Result<u64> {
    let next = sequence(ctx, key)? + 1;
    set_sequence(ctx, key, next)?;
    Ok(next)
}

pub fn next_code_id(ctx: &mut Ctx) -> Result<u64> {
    next_id(ctx, SEQ_CODE)
}

pub fn next_instance_id(ctx: &mut Ctx) -> Result<u64> {
    next_id(ctx, SEQ_INSTANCE)
}

// ---- codes ---------------------------------------------------------------------

fn code_key(id: u64) -> Vec<u8> {
    [CODE, &id.to_be_bytes()].concat()
}

pub fn code(ctx: &mut Ctx, id: u64) -> Result<Option<pb::CodeInfo>> {
    get_proto(ctx, &code_key(id), "code info")
}

pub fn set_code(ctx: &mut Ctx, id: u64, info: &pb::CodeInfo) -> Result<()> {
    ctx.set(code_key(id), info.encode_to_vec())
}

/// Codes after `start_after`, in id order.
pub fn codes(ctx: &mut Ctx, start_after: Option<u64>, limit: usize) -> Result<Vec<(u64, pb::CodeInfo)>> {
    let start = start_after.map(code_key);
    ctx.iter_prefix(CODE, start.as_deref(), limit)?
        .into_iter()
        .map(|(k, v)| Ok((u64_value(&k[CODE.len()..])?, decode(&v, "code info")?)))
        .collect()
}

pub fn is_pinned(ctx: &mut Ctx, id: u64) -> Result<bool> {
    ctx.has(&[PIN, &id.to_be_bytes()].concat())
}

pub fn set_pinned(ctx: &mut Ctx, id: u64) -> Result<()> {
    ctx.set([PIN, &id.to_be_bytes()].concat(), vec![1])
}

pub fn pinned(ctx: &mut Ctx, start_after: Option<u64>, limit: usize) -> Result<Vec<u64>> {
    let start = start_after.map(|id| [PIN, &id.to_be_bytes()].concat());
    ctx.iter_prefix(PIN, start.as_deref(), limit)?.into_iter().map(|(k, _)| u64_value(&k[PIN.len()..])).collect()
}

// ---- contracts -------------------------------------------------------------------

fn contract_key(addr: &Address) -> Vec<u8> {
    [CONTRACT, addr.as_bytes()].concat()
}

pub fn contract(ctx: &mut Ctx, addr: &Address) -> Result<Option<pb::ContractInfo>> {
    get_proto(ctx, &contract_key(addr), "contract info")
}

pub fn has_contract(ctx: &mut Ctx, addr: &Address) -> Result<bool> {
    ctx.has(&contract_key(addr))
}

pub fn set_contract(ctx: &mut Ctx, addr: &Address, info: &pb::ContractInfo) -> Result<()> {
    ctx.set(contract_key(addr), info.encode_to_vec())
}

/// Every contract, in address order (genesis export).
pub fn all_contracts(ctx: &mut Ctx) -> Result<Vec<(Address, pb::ContractInfo)>> {
    ctx.iter_prefix(CONTRACT, None, usize::MAX)?
        .into_iter()
        .map(|(k, v)| Ok((Address::from_bytes(&k[CONTRACT.len()..])?, decode(&v, "contract info")?)))
        .collect()
}

fn history_prefix(addr: &Address) -> Vec<u8> {
    [HISTORY, &len_prefixed(addr)].concat()
}

pub fn append_history(ctx: &mut Ctx, addr: &Address, entry: &pb::ContractCodeHistoryEntry) -> Result<()> {
    let prefix = history_prefix(addr);
    let next = ctx.iter_prefix(&prefix, None, usize::MAX)?.len() as u64;
    ctx.set([prefix.as_slice(), &next.to_be_bytes()].concat(), entry.encode_to_vec())
}

/// History entries after position `start_after` (0-based), oldest first.
pub fn history(ctx: &mut Ctx, addr: &Address, start_after: Option<u64>, limit: usize) -> Result<Vec<(u64, pb::ContractCodeHistoryEntry)>> {
    let prefix = history_prefix(addr);
    let start = start_after.map(|n| [prefix.as_slice(), &n.to_be_bytes()].concat());
    ctx.iter_prefix(&prefix, start.as_deref(), limit)?
        .into_iter()
        .map(|(k, v)| Ok((u64_value(&k[prefix.len()..])?, decode(&v, "history entry")?)))
        .collect()
}

fn position(created: &Option<pb::AbsoluteTxPosition>) -> Vec<u8> {
    let p = created.clone().unwrap_or_default();
    [p.block_height.to_be_bytes(), p.tx_index.to_be_bytes()].concat()
}

fn by_code_key(code_id: u64, created: &Option<pb::AbsoluteTxPosition>, addr: &Address) -> Vec<u8> {
    [BY_CODE, &code_id.to_be_bytes(), &position(created), addr.as_bytes()].concat()
}

pub fn add_to_code_index(ctx: &mut Ctx, code_id: u64, created: &Option<pb::AbsoluteTxPosition>, addr: &Address) -> Result<()> {
    ctx.set(by_code_key(code_id, created, addr), vec![1])
}

pub fn remove_from_code_index(ctx: &mut Ctx, code_id: u64, created: &Option<pb::AbsoluteTxPosition>, addr: &Address) -> Result<()> {
    ctx.delete(&by_code_key(code_id, created, addr))
}

/// Contracts of a code in creation order; the page key is the index key's
/// tail after the code id.
pub fn contracts_by_code(ctx: &mut Ctx, code_id: u64, start_after: Option<&[u8]>, limit: usize) -> Result<Vec<(Vec<u8>, Address)>> {
    let prefix = [BY_CODE, &code_id.to_be_bytes()].concat();
    let start = start_after.map(|s| [prefix.as_slice(), s].concat());
    ctx.iter_prefix(&prefix, start.as_deref(), limit)?
        .into_iter()
        .map(|(k, _)| {
            let tail = k[prefix.len()..].to_vec();
            let addr = Address::from_bytes(tail.get(16..).ok_or_else(|| Error::Internal("corrupt code index".into()))?)?;
            Ok((tail, addr))
        })
        .collect()
}

fn by_creator_prefix(creator: &Address) -> Vec<u8> {
    [BY_CREATOR, &len_prefixed(creator)].concat()
}

pub fn add_to_creator_index(ctx: &mut Ctx, creator: &Address, created: &Option<pb::AbsoluteTxPosition>, addr: &Address) -> Result<()> {
    ctx.set([by_creator_prefix(creator).as_slice(), &position(created), addr.as_bytes()].concat(), vec![1])
}

pub fn contracts_by_creator(ctx: &mut Ctx, creator: &Address, start_after: Option<&[u8]>, limit: usize) -> Result<Vec<(Vec<u8>, Address)>> {
    let prefix = by_creator_prefix(creator);
    let start = start_after.map(|s| [prefix.as_slice(), s].concat());
    ctx.iter_prefix(&prefix, start.as_deref(), limit)?
        .into_iter()
        .map(|(k, _)| {
            let tail = k[prefix.len()..].to_vec();
            let addr = Address::from_bytes(tail.get(16..).ok_or_else(|| Error::Internal("corrupt creator index".into()))?)?;
            Ok((tail, addr))
        })
        .collect()
}

// ---- contract storage (outside the VM: queries, genesis) -----------------------------

pub fn contract_state_get(ctx: &mut Ctx, addr: &Address, key: &[u8]) -> Result<Option<Vec<u8>>> {
    ctx.get(&[contract_store_prefix(addr).as_slice(), key].concat())
}

pub fn contract_state_set(ctx: &mut Ctx, addr: &Address, key: &[u8], value: Vec<u8>) -> Result<()> {
    ctx.set([contract_store_prefix(addr).as_slice(), key].concat(), value)
}

/// (key, value) of a contract's storage after `start_after`, keys without the prefix.
pub fn contract_state(ctx: &mut Ctx, addr: &Address, start_after: Option<&[u8]>, limit: usize) -> Result<Vec<(Vec<u8>, Vec<u8>)>> {
    let prefix = contract_store_prefix(addr);
    let start = start_after.map(|s| [prefix.as_slice(), s].concat());
    Ok(ctx.iter_prefix(&prefix, start.as_deref(), limit)?.into_iter().map(|(k, v)| (k[prefix.len()..].to_vec(), v)).collect())
}
