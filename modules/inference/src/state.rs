//! inference's keys (all under `inference/`):
//!
//! - `params` → Params; `next_task_id` → u64
//! - `model/{sha256}` → Model
//! - `task/{id}` → Task (kept after it ends, for queries)
//! - `queue/{queue key}` → task id (see `queue::key`: iteration order is
//!   assignment order)
//! - `deadline/{height}{id}` → () for every unfinished task
//! - `assigned/{height}{id}` → () for every assigned, unfinished task (what
//!   a validator's executor reads after each commit)
//! - `signers/{height}` → the validator set that signs that height's votes
//!   and vote extensions (to verify the injected extended commit)
//! - `vote/{id}{consensus address}` → Vote of a committee member
//! - `result/{id}` → ResultRecord
//! - `reputation/{operator}` → i64; `payout/{operator}` → Address
//! - `credit/{addr}` → CreditAccount; `credits_total` → u128;
//!   `allowance/{addr}` → Allowance
//!
//! Integers in keys are big-endian so key order is numeric order.

use borsh::{BorshDeserialize, BorshSerialize};
use serde::{Deserialize, Serialize};
use venice_types::json::int_str;

use crate::json::{addr, addr_list, b64, coin, hex_bytes, hex32};
use venice_sdk::{Address, Coin, Ctx, Error, Result};

use crate::params::Params;

pub const PREFIX: &[u8] = b"inference/";
const PARAMS: &[u8] = b"inference/params";
const NEXT_TASK_ID: &[u8] = b"inference/next_task_id";
const MODEL: &[u8] = b"inference/model/";
const TASK: &[u8] = b"inference/task/";
pub(crate) const QUEUE: &[u8] = b"inference/queue/";
const DEADLINE: &[u8] = b"inference/deadline/";
const VOTE: &[u8] = b"inference/vote/";
const ASSIGNED: &[u8] = b"inference/assigned/";
const SIGNERS: &[u8] = b"inference/signers/";
const RESULT: &[u8] = b"inference/result/";
const ENDED: &[u8] = b"inference/ended/";
const REPUTATION: &[u8] = b"inference/reputation/";
const PAYOUT: &[u8] = b"inference/payout/";
const CREDIT: &[u8] = b"inference/credit/";
const CREDITS_TOTAL: &[u8] = b"inference/credits_total";
const ALLOWANCE: &[u8] = b"inference/allowance/";

pub type ModelId = [u8; 32];

#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize, Serialize, Deserialize)]
pub struct Model {
    #[serde(rename = "model_id", with = "hex32")]
    pub id: ModelId,
    #[serde(with = "addr")]
    pub nft_contract: Address,
    pub token_id: String,
    #[serde(with = "coin")]
    pub price: Coin,
    pub quant_rule_json: String,
    pub io_schema_json: String,
    pub storage_uri: String,
    #[serde(with = "int_str")]
    pub max_input_bytes: u64,
    #[serde(with = "int_str")]
    pub max_output_bytes: u64,
    pub committee_size: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    Queued,
    Assigned,
    Final,
    Expired,
}

impl TaskStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            TaskStatus::Queued => "queued",
            TaskStatus::Assigned => "assigned",
            TaskStatus::Final => "final",
            TaskStatus::Expired => "expired",
        }
    }
    pub fn is_open(self) -> bool {
        matches!(self, TaskStatus::Queued | TaskStatus::Assigned)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize, Serialize, Deserialize)]
pub struct Member {
    #[serde(with = "addr")]
    pub operator: Address,
    #[serde(with = "hex_bytes")]
    pub consensus_address: Vec<u8>,
    #[serde(with = "int_str")]
    pub power: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize, Serialize, Deserialize)]
pub struct DataCredential {
    #[serde(with = "addr")]
    pub contract: Address,
    #[serde(with = "int_str")]
    pub credential_id: u64,
    /// The dataset it opened, as the contract described it at submission.
    #[serde(with = "int_str")]
    pub dataset_id: u64,
    /// sha256 of the dataset's bytes, lower-case hex.
    pub data_hash: String,
    pub uri: String,
}

#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize, Serialize, Deserialize)]
pub struct Task {
    #[serde(with = "int_str")]
    pub id: u64,
    #[serde(with = "addr")]
    pub sender: Address,
    #[serde(with = "hex32")]
    pub model_id: ModelId,
    /// The model NFT, whose owner at finalisation is paid (the listing may
    /// be gone by then), and the listing's limits when submitted.
    #[serde(with = "addr")]
    pub nft_contract: Address,
    pub token_id: String,
    pub committee_size: u32,
    #[serde(with = "int_str")]
    pub max_output_bytes: u64,
    #[serde(with = "int_str")]
    pub max_input_bytes: u64,
    /// The listing's model URI and quantisation rule when submitted: the
    /// executors run on them even if the model is delisted meanwhile.
    pub storage_uri: String,
    pub quant_rule_json: String,
    #[serde(with = "b64")]
    pub input: Vec<u8>,
    pub data_credential: Option<DataCredential>,
    /// Escrowed in the module account until the task ends (may be zero).
    #[serde(with = "coin")]
    pub fee: Coin,
    #[serde(with = "int_str")]
    pub work: u64,
    /// Work units the sender's daily allowance paid, and on which day.
    #[serde(with = "int_str")]
    pub allowance_used: u64,
    #[serde(with = "int_str")]
    pub allowance_day: u64,
    pub status: TaskStatus,
    #[serde(with = "int_str")]
    pub submit_height: u64,
    #[serde(with = "int_str")]
    pub deadline_height: u64,
    #[serde(with = "int_str")]
    pub assigned_height: u64,
    pub committee: Vec<Member>,
    /// The height it became final or expired (0 while open): it is pruned
    /// `ended_task_retention_blocks` later.
    #[serde(default, with = "int_str")]
    pub ended_height: u64,
}

/// A committee member's answer, first one counts.
#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize, Serialize, Deserialize)]
pub struct Vote {
    #[serde(with = "hex32")]
    pub output_hash: [u8; 32],
    #[serde(with = "b64")]
    pub output: Vec<u8>,
}

#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize, Serialize, Deserialize)]
pub struct ResultRecord {
    #[serde(with = "int_str")]
    pub task_id: u64,
    #[serde(with = "hex32")]
    pub output_hash: [u8; 32],
    #[serde(with = "b64")]
    pub output: Vec<u8>,
    #[serde(with = "int_str")]
    pub height: u64,
    #[serde(with = "addr_list")]
    pub executors: Vec<Address>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, BorshSerialize, BorshDeserialize, Serialize, Deserialize)]
pub struct CreditAccount {
    #[serde(with = "int_str")]
    pub credits: u128,
    /// Bonded stake locked behind them.
    #[serde(with = "int_str")]
    pub locked: u128,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, BorshSerialize, BorshDeserialize, Serialize, Deserialize)]
pub struct Allowance {
    /// UTC day (block time / 86400) the `used` count belongs to.
    #[serde(with = "int_str")]
    pub day: u64,
    #[serde(with = "int_str")]
    pub used: u64,
}

fn corrupt(what: &str, e: impl std::fmt::Display) -> Error {
    Error::Internal(format!("corrupt inference {what}: {e}"))
}

// ---- params, ids ------------------------------------------------------------------

pub fn params(ctx: &mut Ctx) -> Result<Params> {
    ctx.get_borsh(PARAMS)?.ok_or_else(|| Error::Internal("inference params missing".into()))
}
pub fn set_params(ctx: &mut Ctx, p: &Params) -> Result<()> {
    ctx.set_borsh(PARAMS.to_vec(), p)
}
pub fn next_task_id(ctx: &mut Ctx) -> Result<u64> {
    Ok(ctx.get_borsh(NEXT_TASK_ID)?.unwrap_or(1))
}
pub fn set_next_task_id(ctx: &mut Ctx, id: u64) -> Result<()> {
    ctx.set_borsh(NEXT_TASK_ID.to_vec(), &id)
}

// ---- models --------------------------------------------------------------------------

pub fn model(ctx: &mut Ctx, id: &ModelId) -> Result<Option<Model>> {
    ctx.get_borsh(&[MODEL, id.as_slice()].concat())
}
pub fn set_model(ctx: &mut Ctx, m: &Model) -> Result<()> {
    ctx.set_borsh([MODEL, m.id.as_slice()].concat(), m)
}
pub fn delete_model(ctx: &mut Ctx, id: &ModelId) -> Result<()> {
    ctx.delete(&[MODEL, id.as_slice()].concat())
}
pub fn models(ctx: &mut Ctx) -> Result<Vec<Model>> {
    decode_all(ctx.iter_prefix(MODEL, None, usize::MAX)?, "model")
}

fn decode_all<T: BorshDeserialize>(kvs: Vec<(Vec<u8>, Vec<u8>)>, what: &str) -> Result<Vec<T>> {
    kvs.into_iter().map(|(_, v)| T::try_from_slice(&v).map_err(|e| corrupt(what, e))).collect()
}

// ---- tasks, queue, deadlines ---------------------------------------------------------------

fn task_key(id: u64) -> Vec<u8> {
    [TASK, &id.to_be_bytes()].concat()
}
pub fn task(ctx: &mut Ctx, id: u64) -> Result<Option<Task>> {
    ctx.get_borsh(&task_key(id))
}
pub fn set_task(ctx: &mut Ctx, t: &Task) -> Result<()> {
    ctx.set_borsh(task_key(t.id), t)
}
pub fn tasks(ctx: &mut Ctx) -> Result<Vec<Task>> {
    decode_all(ctx.iter_prefix(TASK, None, usize::MAX)?, "task")
}

pub fn enqueue(ctx: &mut Ctx, queue_key: &[u8], id: u64) -> Result<()> {
    ctx.set_borsh([QUEUE, queue_key].concat(), &id)
}
pub fn dequeue(ctx: &mut Ctx, queue_key: &[u8]) -> Result<()> {
    ctx.delete(&[QUEUE, queue_key].concat())
}
/// Up to `limit` queued task ids, in assignment order, with their queue keys.
pub fn queue_head(ctx: &mut Ctx, limit: usize) -> Result<Vec<(Vec<u8>, u64)>> {
    ctx.iter_prefix(QUEUE, None, limit)?
        .into_iter()
        .map(|(k, v)| Ok((k[QUEUE.len()..].to_vec(), u64::try_from_slice(&v).map_err(|e| corrupt("queue entry", e))?)))
        .collect()
}

fn deadline_key(height: u64, id: u64) -> Vec<u8> {
    [DEADLINE, &height.to_be_bytes(), &id.to_be_bytes()].concat()
}
pub fn set_deadline(ctx: &mut Ctx, height: u64, id: u64) -> Result<()> {
    ctx.set(deadline_key(height, id), vec![1])
}
pub fn delete_deadline(ctx: &mut Ctx, height: u64, id: u64) -> Result<()> {
    ctx.delete(&deadline_key(height, id))
}
/// Ids of unfinished tasks whose deadline is at or before `height`, in
/// (deadline, id) order.
pub fn due_tasks(ctx: &mut Ctx, height: u64) -> Result<Vec<u64>> {
    Ok(through(ctx, DEADLINE, height, usize::MAX)?.into_iter().map(|(_, id)| id).collect())
}

/// Up to `limit` `(height, id)` entries of a `prefix || height || id`
/// index with a height at or before `height`, in order. Small pages: most
/// blocks find the first entry already past `height`.
fn through(ctx: &mut Ctx, prefix: &[u8], height: u64, limit: usize) -> Result<Vec<(u64, u64)>> {
    let mut out = Vec::new();
    let mut after: Option<Vec<u8>> = None;
    while out.len() < limit {
        let page = ctx.iter_prefix(prefix, after.as_deref(), (limit - out.len()).min(64))?;
        for (k, _) in &page {
            let rest = &k[prefix.len()..];
            let h = u64::from_be_bytes(rest[..8].try_into().map_err(|e| corrupt("height index key", e))?);
            if h > height {
                return Ok(out);
            }
            out.push((h, u64::from_be_bytes(rest[8..16].try_into().map_err(|e| corrupt("height index key", e))?)));
        }
        match page.last() {
            Some((k, _)) => after = Some(k.clone()),
            None => break,
        }
    }
    Ok(out)
}

// ---- assignments ------------------------------------------------------------------------------

fn assigned_key(height: u64, id: u64) -> Vec<u8> {
    [ASSIGNED, &height.to_be_bytes(), &id.to_be_bytes()].concat()
}
pub fn set_assigned(ctx: &mut Ctx, height: u64, id: u64) -> Result<()> {
    ctx.set(assigned_key(height, id), vec![1])
}
pub fn delete_assigned(ctx: &mut Ctx, height: u64, id: u64) -> Result<()> {
    ctx.delete(&assigned_key(height, id))
}
/// Ids of the unfinished tasks assigned at `height`, in id order.
pub fn assigned_at(ctx: &mut Ctx, height: u64) -> Result<Vec<u64>> {
    let prefix = [ASSIGNED, &height.to_be_bytes()].concat();
    ctx.iter_prefix(&prefix, None, usize::MAX)?
        .into_iter()
        .map(|(k, _)| Ok(u64::from_be_bytes(k[prefix.len()..].try_into().map_err(|e| corrupt("assigned key", e))?)))
        .collect()
}

// ---- ended tasks (pruned after the retention) ------------------------------------------------

fn ended_key(height: u64, id: u64) -> Vec<u8> {
    [ENDED, &height.to_be_bytes(), &id.to_be_bytes()].concat()
}
pub fn set_ended(ctx: &mut Ctx, height: u64, id: u64) -> Result<()> {
    ctx.set(ended_key(height, id), vec![1])
}
/// Up to `limit` (end height, task id) of tasks that ended at `height` or
/// before, oldest first.
pub fn ended_through(ctx: &mut Ctx, height: u64, limit: usize) -> Result<Vec<(u64, u64)>> {
    through(ctx, ENDED, height, limit)
}
/// Forget an ended task: its record, its result and its index entry.
pub fn prune_task(ctx: &mut Ctx, height: u64, id: u64) -> Result<()> {
    ctx.delete(&ended_key(height, id))?;
    ctx.delete(&task_key(id))?;
    ctx.delete(&[RESULT, &id.to_be_bytes()].concat())
}

// ---- signers ------------------------------------------------------------------------------------

/// A validator of the set that signs one height's votes.
#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct Signer {
    pub consensus_address: Vec<u8>,
    /// ed25519 public key (32 bytes).
    pub pubkey: Vec<u8>,
    pub power: u64,
}

fn signers_key(height: u64) -> Vec<u8> {
    [SIGNERS, &height.to_be_bytes()].concat()
}
pub fn signers(ctx: &mut Ctx, height: u64) -> Result<Option<Vec<Signer>>> {
    ctx.get_borsh(&signers_key(height))
}
pub fn set_signers(ctx: &mut Ctx, height: u64, set: &Vec<Signer>) -> Result<()> {
    ctx.set_borsh(signers_key(height), set)
}
pub fn delete_signers(ctx: &mut Ctx, height: u64) -> Result<()> {
    ctx.delete(&signers_key(height))
}

// ---- votes, results -------------------------------------------------------------------------

fn vote_prefix(id: u64) -> Vec<u8> {
    [VOTE, &id.to_be_bytes()].concat()
}
pub fn vote(ctx: &mut Ctx, id: u64, consensus_address: &[u8]) -> Result<Option<Vote>> {
    ctx.get_borsh(&[vote_prefix(id).as_slice(), consensus_address].concat())
}
pub fn set_vote(ctx: &mut Ctx, id: u64, consensus_address: &[u8], v: &Vote) -> Result<()> {
    ctx.set_borsh([vote_prefix(id).as_slice(), consensus_address].concat(), v)
}
/// A task's votes by consensus address (key order).
pub fn votes(ctx: &mut Ctx, id: u64) -> Result<Vec<(Vec<u8>, Vote)>> {
    let prefix = vote_prefix(id);
    ctx.iter_prefix(&prefix, None, usize::MAX)?
        .into_iter()
        .map(|(k, v)| Ok((k[prefix.len()..].to_vec(), Vote::try_from_slice(&v).map_err(|e| corrupt("vote", e))?)))
        .collect()
}
pub fn clear_votes(ctx: &mut Ctx, id: u64) -> Result<()> {
    for (addr, _) in votes(ctx, id)? {
        ctx.delete(&[vote_prefix(id).as_slice(), &addr].concat())?;
    }
    Ok(())
}

pub fn result(ctx: &mut Ctx, id: u64) -> Result<Option<ResultRecord>> {
    ctx.get_borsh(&[RESULT, &id.to_be_bytes()].concat())
}
pub fn set_result(ctx: &mut Ctx, r: &ResultRecord) -> Result<()> {
    ctx.set_borsh([RESULT, &r.task_id.to_be_bytes()].concat(), r)
}
pub fn results(ctx: &mut Ctx) -> Result<Vec<ResultRecord>> {
    decode_all(ctx.iter_prefix(RESULT, None, usize::MAX)?, "result")
}

// ---- validators -----------------------------------------------------------------------------

pub fn reputation(ctx: &mut Ctx, operator: &Address) -> Result<i64> {
    Ok(ctx.get_borsh(&[REPUTATION, operator.as_bytes()].concat())?.unwrap_or(0))
}
pub fn set_reputation(ctx: &mut Ctx, operator: &Address, r: i64) -> Result<()> {
    let key = [REPUTATION, operator.as_bytes()].concat();
    if r == 0 { ctx.delete(&key) } else { ctx.set_borsh(key, &r) }
}
pub fn reputations(ctx: &mut Ctx) -> Result<Vec<(Address, i64)>> {
    addr_pairs(ctx, REPUTATION, "reputation")
}

/// Where `operator`'s fee share goes: its payout address, else its own account.
pub fn payout(ctx: &mut Ctx, operator: &Address) -> Result<Address> {
    Ok(ctx.get_borsh(&[PAYOUT, operator.as_bytes()].concat())?.unwrap_or_else(|| operator.clone()))
}
pub fn set_payout(ctx: &mut Ctx, operator: &Address, to: &Address) -> Result<()> {
    ctx.set_borsh([PAYOUT, operator.as_bytes()].concat(), to)
}
pub fn payouts(ctx: &mut Ctx) -> Result<Vec<(Address, Address)>> {
    addr_pairs(ctx, PAYOUT, "payout")
}

fn addr_pairs<T: BorshDeserialize>(ctx: &mut Ctx, prefix: &[u8], what: &str) -> Result<Vec<(Address, T)>> {
    ctx.iter_prefix(prefix, None, usize::MAX)?
        .into_iter()
        .map(|(k, v)| Ok((Address::from_bytes(&k[prefix.len()..])?, T::try_from_slice(&v).map_err(|e| corrupt(what, e))?)))
        .collect()
}

// ---- credits ----------------------------------------------------------------------------------

pub fn credit_account(ctx: &mut Ctx, owner: &Address) -> Result<CreditAccount> {
    Ok(ctx.get_borsh(&[CREDIT, owner.as_bytes()].concat())?.unwrap_or_default())
}
pub fn set_credit_account(ctx: &mut Ctx, owner: &Address, a: &CreditAccount) -> Result<()> {
    let key = [CREDIT, owner.as_bytes()].concat();
    if a.credits == 0 && a.locked == 0 { ctx.delete(&key) } else { ctx.set_borsh(key, a) }
}
pub fn credit_accounts(ctx: &mut Ctx) -> Result<Vec<(Address, CreditAccount)>> {
    addr_pairs(ctx, CREDIT, "credit account")
}
pub fn credits_total(ctx: &mut Ctx) -> Result<u128> {
    Ok(ctx.get_borsh(CREDITS_TOTAL)?.unwrap_or(0))
}
pub fn set_credits_total(ctx: &mut Ctx, v: u128) -> Result<()> {
    ctx.set_borsh(CREDITS_TOTAL.to_vec(), &v)
}
pub fn allowance(ctx: &mut Ctx, owner: &Address) -> Result<Allowance> {
    Ok(ctx.get_borsh(&[ALLOWANCE, owner.as_bytes()].concat())?.unwrap_or_default())
}
pub fn set_allowance(ctx: &mut Ctx, owner: &Address, a: &Allowance) -> Result<()> {
    ctx.set_borsh([ALLOWANCE, owner.as_bytes()].concat(), a)
}
pub fn allowances(ctx: &mut Ctx) -> Result<Vec<(Address, Allowance)>> {
    addr_pairs(ctx, ALLOWANCE, "allowance")
}
