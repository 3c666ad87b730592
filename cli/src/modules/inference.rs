//! `tx inference …` and `query inference …`: the `venice.inference.v1`
//! messages and queries. The params change only by governance (`tx gov
//! draft-proposal --msg-type /venice.inference.v1.MsgUpdateParams`).
//! `submit --wait` follows the task until it is final (then prints the
//! agreed result as the sidecar prints its quantised outputs) or expired.

use std::path::PathBuf;

use base64::Engine;
use clap::Subcommand;
use cosmos_sdk_proto::Any;
use prost::{Message, Name};
use serde_json::{Value, json};
use venice_types::Address;
use venice_types::coin_text::parse_coin;
use venice_types::inference as pb;

use super::{TxFlags, node, print_outcome};
use crate::Cli;
use crate::broadcast;
use crate::error::{CliError, Result};
use crate::keyring::Keyring;
use crate::output;
use crate::rpc::Node;

/// A listing's limits (`register-model`, `update-model`).
#[derive(clap::Args, Debug)]
pub struct ListingLimits {
    /// Largest inline input accepted (bytes)
    #[arg(long, default_value_t = 4096)]
    max_input_bytes: u64,
    /// Largest output accepted (bytes)
    #[arg(long, default_value_t = 1024)]
    max_output_bytes: u64,
    /// Validators that run each task
    #[arg(long, default_value_t = 1)]
    committee_size: u32,
}

#[derive(Subcommand, Debug)]
pub enum TxCmd {
    /// List model NFT TOKEN_ID of the model-NFT contract CONTRACT for inference (its owner only)
    RegisterModel {
        contract: String,
        token_id: String,
        #[command(flatten)]
        limits: ListingLimits,
        #[arg(long)]
        from: String,
        #[command(flatten)]
        flags: TxFlags,
    },
    /// Change a listing's limits and re-read the NFT's price (its owner only)
    UpdateModel {
        /// The model id (the ONNX file's sha256, hex)
        model: String,
        #[command(flatten)]
        limits: ListingLimits,
        #[arg(long)]
        from: String,
        #[command(flatten)]
        flags: TxFlags,
    },
    /// Delist a model (its owner only); tasks already submitted run to their end
    DelistModel {
        model: String,
        #[arg(long)]
        from: String,
        #[command(flatten)]
        flags: TxFlags,
    },
    /// Pay for an inference task: the fee is escrowed until the result or a refund
    Submit {
        /// The model id (the ONNX file's sha256, hex)
        #[arg(long)]
        model: String,
        /// The input, a JSON file as the sidecar takes it (sent compacted)
        #[arg(long, value_name = "FILE.json", required_unless_present = "data_credential", conflicts_with = "data_credential")]
        input: Option<PathBuf>,
        /// Instead of --input: your credential ID of the data-credential
        /// contract; the executors fetch its dataset (one use is spent)
        #[arg(long, value_name = "ID")]
        data_credential: Option<u64>,
        /// The data-credential contract of --data-credential
        #[arg(long, env = "VENICE_DATA_CREDENTIAL", value_name = "ADDRESS")]
        data_credential_contract: Option<String>,
        /// Most the task may cost, e.g. 250uvvv (default: the model's listed price)
        #[arg(long, value_name = "COIN")]
        max_fee: Option<String>,
        /// A tip in base units on top of the price: earlier in the queue
        #[arg(long, default_value = "")]
        priority: String,
        /// After inclusion, wait until the task is final and print its result
        /// (the sidecar's quantised output JSON); an expired task is an error
        #[arg(long)]
        wait: bool,
        /// Seconds --wait waits for the result
        #[arg(long, default_value_t = 60, value_name = "SECONDS")]
        result_timeout: u64,
        #[arg(long)]
        from: String,
        #[command(flatten)]
        flags: TxFlags,
    },
    /// Lock bonded stake along the mint curve for CREDITS compute credits
    MintCredits {
        credits: String,
        /// Refuse if the curve asks more stake than this (base units)
        #[arg(long, default_value = "")]
        max_stake: String,
        #[arg(long)]
        from: String,
        #[command(flatten)]
        flags: TxFlags,
    },
    /// Burn CREDITS compute credits and unlock their share of the locked stake
    BurnCredits {
        credits: String,
        #[arg(long)]
        from: String,
        #[command(flatten)]
        flags: TxFlags,
    },
    /// Store a final task's output too large to ride in vote extensions: FILE
    /// holds its canonical bytes (an executor keeps them in
    /// DATA/inference-outputs/TASK_ID.out), which must hash to the agreed output hash
    SubmitResult {
        task_id: u64,
        file: PathBuf,
        #[arg(long)]
        from: String,
        #[command(flatten)]
        flags: TxFlags,
    },
    /// Where this validator's inference earnings go (kept apart from its operator key)
    SetPayoutAddress {
        address: String,
        /// Key name or address in the keyring: the validator's operator
        #[arg(long)]
        from: String,
        #[command(flatten)]
        flags: TxFlags,
    },
}

#[derive(Subcommand, Debug)]
pub enum QueryCmd {
    /// A task: status, committee, fee, deadline
    Task {
        id: u64,
        #[arg(long)]
        height: Option<u64>,
    },
    /// A final task's agreed result
    Result {
        id: u64,
        #[arg(long)]
        height: Option<u64>,
    },
    /// Tasks waiting for a committee, in queue order
    Queue {
        #[arg(long, default_value_t = 100)]
        limit: u32,
        #[arg(long)]
        height: Option<u64>,
    },
    /// Every listed model
    Models {
        #[arg(long)]
        height: Option<u64>,
    },
    /// One listed model by id
    Model {
        model: String,
        #[arg(long)]
        height: Option<u64>,
    },
    /// A validator's executor reputation and payout address
    Reputation {
        validator: String,
        #[arg(long)]
        height: Option<u64>,
    },
    /// An account's compute credits, locked stake and allowance left today
    #[command(visible_alias = "allowance")]
    Credits {
        address: String,
        #[arg(long)]
        height: Option<u64>,
    },
    /// Inference parameters
    Params {
        #[arg(long)]
        height: Option<u64>,
    },
}

fn any<M: Message + Name>(m: &M) -> Any {
    Any { type_url: format!("/{}", M::full_name()), value: m.encode_to_vec() }
}

fn model_id(s: &str) -> Result<String> {
    if s.len() == 64 && s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
        Ok(s.to_string())
    } else {
        Err(CliError::BadFlag { flag: "--model", reason: format!("{s:?} is not a sha256 (64 lower-case hex digits)") })
    }
}

fn positive(flag: &'static str, s: &str) -> Result<String> {
    match s.parse::<u128>() {
        Ok(n) if n > 0 => Ok(s.to_string()),
        _ => Err(CliError::BadFlag { flag, reason: format!("{s:?} is not a positive integer") }),
    }
}

/// The input file's JSON, compacted (whitespace is not paid for).
pub fn read_input(path: &PathBuf) -> Result<Vec<u8>> {
    let text =
        std::fs::read_to_string(path).map_err(|e| CliError::BadFlag { flag: "--input", reason: format!("{}: {e}", path.display()) })?;
    let v: Value =
        serde_json::from_str(&text).map_err(|e| CliError::BadFlag { flag: "--input", reason: format!("{}: {e}", path.display()) })?;
    serde_json::to_vec(&v).map_err(|e| CliError::decode("input JSON", e.to_string()))
}

/// A task's input: inline bytes, or a data credential (contract, id).
pub enum TaskInput {
    Inline(Vec<u8>),
    Credential { contract: String, id: u64 },
}

pub fn msg_submit(sender: &str, model: &str, input: TaskInput, max_fee: &str, priority: &str) -> Result<Any> {
    let fee = parse_coin(max_fee)?;
    if !priority.is_empty() {
        priority
            .parse::<u128>()
            .map_err(|_| CliError::BadFlag { flag: "--priority", reason: format!("{priority:?} is not an integer") })?;
    }
    Ok(any(&pb::MsgSubmitInference {
        sender: sender.into(),
        model_id: model_id(model)?,
        input: match &input {
            TaskInput::Inline(bytes) => bytes.clone(),
            TaskInput::Credential { .. } => Vec::new(),
        },
        data_credential: match input {
            TaskInput::Inline(_) => None,
            TaskInput::Credential { contract, id } => Some(pb::DataCredentialRef { contract, credential_id: id }),
        },
        max_fee: Some(fee.to_proto()),
        priority: priority.into(),
    }))
}

async fn model(node: &Node, id: &str, height: Option<u64>) -> Result<pb::Model> {
    let r: pb::QueryModelResponse = node.query(QUERY_MODEL, &pb::QueryModelRequest { model_id: model_id(id)? }, height).await?;
    r.model.ok_or_else(|| CliError::decode("model response", "no model"))
}

const QUERY_TASK: &str = "/venice.inference.v1.Query/Task";
const QUERY_RESULT: &str = "/venice.inference.v1.Query/Result";
const QUERY_QUEUE: &str = "/venice.inference.v1.Query/Queue";
const QUERY_MODELS: &str = "/venice.inference.v1.Query/Models";
const QUERY_MODEL: &str = "/venice.inference.v1.Query/Model";
const QUERY_REPUTATION: &str = "/venice.inference.v1.Query/Reputation";
const QUERY_CREDITS: &str = "/venice.inference.v1.Query/Credits";
const QUERY_PARAMS: &str = "/venice.inference.v1.Query/Params";

impl TxCmd {
    pub async fn run(&self, cli: &Cli) -> Result<()> {
        let (from, flags) = match self {
            TxCmd::RegisterModel { from, flags, .. }
            | TxCmd::UpdateModel { from, flags, .. }
            | TxCmd::DelistModel { from, flags, .. }
            | TxCmd::Submit { from, flags, .. }
            | TxCmd::MintCredits { from, flags, .. }
            | TxCmd::BurnCredits { from, flags, .. }
            | TxCmd::SubmitResult { from, flags, .. }
            | TxCmd::SetPayoutAddress { from, flags, .. } => (from, flags),
        };
        let opts = flags.options(cli)?;
        let keyring = Keyring::open(&crate::home_dir(cli)?, cli.keyring_backend);
        let key = keyring.get(from)?;
        let me = key.address.clone();
        let node = node(cli)?;
        let msg = match self {
            TxCmd::RegisterModel { contract, token_id, limits, .. } => {
                Address::parse_arg(contract)?;
                any(&pb::MsgRegisterModel {
                    owner: me,
                    nft_contract: contract.clone(),
                    token_id: token_id.clone(),
                    max_input_bytes: limits.max_input_bytes,
                    max_output_bytes: limits.max_output_bytes,
                    committee_size: limits.committee_size,
                })
            }
            TxCmd::UpdateModel { model, limits, .. } => any(&pb::MsgUpdateModel {
                owner: me,
                model_id: model_id(model)?,
                max_input_bytes: limits.max_input_bytes,
                max_output_bytes: limits.max_output_bytes,
                committee_size: limits.committee_size,
            }),
            TxCmd::DelistModel { model, .. } => any(&pb::MsgDelistModel { owner: me, model_id: model_id(model)? }),
            TxCmd::Submit { model: id, input, data_credential, data_credential_contract, max_fee, priority, .. } => {
                let input = match (input, data_credential) {
                    (Some(path), _) => TaskInput::Inline(read_input(path)?),
                    (None, Some(cred)) => TaskInput::Credential {
                        contract: data_credential_contract.clone().ok_or(CliError::BadFlag {
                            flag: "--data-credential-contract",
                            reason: "needed with --data-credential (or VENICE_DATA_CREDENTIAL)".into(),
                        })?,
                        id: *cred,
                    },
                    (None, None) => return Err(CliError::BadFlag { flag: "--input", reason: "or --data-credential is required".into() }),
                };
                let max_fee = match max_fee {
                    Some(f) => f.clone(),
                    None => {
                        let price = model(&node, id, None).await?.price_per_call.unwrap_or_default();
                        let tip: u128 = if priority.is_empty() { 0 } else { priority.parse().unwrap_or(0) };
                        let amount: u128 = price.amount.parse().unwrap_or(0);
                        format!("{}{}", amount.saturating_add(tip), price.denom)
                    }
                };
                msg_submit(&me, id, input, &max_fee, priority)?
            }
            TxCmd::MintCredits { credits, max_stake, .. } => {
                if !max_stake.is_empty() {
                    positive("--max-stake", max_stake)?;
                }
                any(&pb::MsgMintCredits { owner: me, credits: positive("CREDITS", credits)?, max_stake: max_stake.clone() })
            }
            TxCmd::BurnCredits { credits, .. } => any(&pb::MsgBurnCredits { owner: me, credits: positive("CREDITS", credits)? }),
            TxCmd::SubmitResult { task_id, file, .. } => {
                let output =
                    std::fs::read(file).map_err(|e| CliError::BadFlag { flag: "FILE", reason: format!("{}: {e}", file.display()) })?;
                any(&pb::MsgSubmitResult { sender: me, task_id: *task_id, output })
            }
            TxCmd::SetPayoutAddress { address, .. } => {
                Address::parse_arg(address)?;
                any(&pb::MsgSetPayoutAddress { validator_address: Address::parse(&me)?.to_valoper(), payout_address: address.clone() })
            }
        };
        if let TxCmd::Submit { wait: true, result_timeout, .. } = self {
            if opts.generate_only || !opts.wait || opts.broadcast_mode == broadcast::BroadcastMode::Async {
                let reason = "needs the transaction in a block: drop --no-wait, --generate-only and --broadcast-mode async".into();
                return Err(CliError::BadFlag { flag: "--wait", reason });
            }
            let outcome = broadcast::sign_and_broadcast(&node, &keyring, &key, vec![msg], &opts).await?;
            if let Some(e) = outcome.error {
                output::print(cli.output, &outcome.response.to_value());
                return Err(e);
            }
            let id = submitted_task_id(&outcome.response.events)
                .ok_or_else(|| CliError::decode("submit response", "no inference_submit event with a task_id"))?;
            eprintln!(
                "task {id} submitted in tx {} at height {}; waiting up to {result_timeout} s for its result",
                outcome.response.txhash, outcome.response.height
            );
            let result = wait_for_result(&node, id, std::time::Duration::from_secs(*result_timeout)).await?;
            output::print(cli.output, &result);
            return Ok(());
        }
        print_outcome(cli, broadcast::sign_and_broadcast(&node, &keyring, &key, vec![msg], &opts).await?)
    }
}

/// The task id in a submit transaction's `inference_submit` event.
fn submitted_task_id(events: &[Value]) -> Option<u64> {
    events
        .iter()
        .filter(|e| e["type"] == "inference_submit")
        .find_map(|e| e["attributes"].as_array()?.iter().find(|a| a["key"] == "task_id").and_then(|a| a["value"].as_str()?.parse().ok()))
}

/// Polls the task until it is final (its result, as [`result_json`]) or
/// expired (an error), for at most `timeout`.
async fn wait_for_result(node: &Node, id: u64, timeout: std::time::Duration) -> Result<Value> {
    let started = std::time::Instant::now();
    loop {
        let r: pb::QueryTaskResponse = node.query(QUERY_TASK, &pb::QueryTaskRequest { task_id: id }, None).await?;
        let task = r.task.ok_or_else(|| CliError::decode("task response", "no task"))?;
        match task.status.as_str() {
            "final" => {
                let r: pb::QueryResultResponse = node.query(QUERY_RESULT, &pb::QueryResultRequest { task_id: id }, None).await?;
                let res = r.result.ok_or_else(|| CliError::decode("result response", "no result"))?;
                return Ok(result_json(&res, Some(&task)));
            }
            "expired" => return Err(CliError::TaskExpired { id, height: task.deadline_height }),
            _ => {}
        }
        if started.elapsed() >= timeout {
            return Err(CliError::ResultTimeout { id, secs: timeout.as_secs(), status: task.status });
        }
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    }
}

/// A final task's result: the agreed output hash and, when the canonical
/// output is on chain, its quantised tensors as the sidecar prints them
/// (`rule`, `rule_id`, `quantized: {NAME: {shape, values}}`).
pub fn result_json(res: &pb::TaskResultRecord, task: Option<&pb::Task>) -> Value {
    let mut v = json!({
        "task_id": res.task_id.to_string(),
        "output_hash": hex::encode(&res.output_hash),
        "height": res.height.to_string(),
        "executors": res.executors,
    });
    if let Some(t) = task {
        v["model"] = t.model_id.clone().into();
    }
    match venice_model_types::decode::decode_canonical(&res.output) {
        Ok((rule, tensors)) => {
            v["rule"] = serde_json::to_value(&rule).unwrap_or(Value::Null);
            v["rule_id"] = rule.id().into();
            let q: serde_json::Map<String, Value> =
                tensors.iter().map(|t| (t.name.clone(), json!({"dtype": t.source.name(), "shape": t.shape, "values": t.values}))).collect();
            v["quantized"] = Value::Object(q);
        }
        // Not on chain (too large for a vote extension, no result tx yet),
        // or not the canonical encoding: the bytes as they are.
        Err(_) => {
            v["quantized"] = Value::Null;
            v["output"] = Value::String(b64(&res.output));
        }
    }
    v
}

fn coin_json(c: &Option<cosmos_sdk_proto::cosmos::base::v1beta1::Coin>) -> Value {
    match c {
        Some(c) => json!({ "denom": c.denom, "amount": c.amount }),
        None => Value::Null,
    }
}

fn b64(b: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(b)
}

/// A task as JSON (64-bit integers as strings, as the SDK's JSON writes them).
pub fn task_json(t: &pb::Task) -> Value {
    json!({
        "id": t.id.to_string(),
        "sender": t.sender,
        "model_id": t.model_id,
        "input": b64(&t.input),
        "data_credential": t.data_credential.as_ref().map(|d| json!({ "contract": d.contract, "credential_id": d.credential_id.to_string() })),
        "dataset": t.dataset.as_ref().map(|d| json!({ "dataset_id": d.dataset_id.to_string(), "data_hash": d.data_hash, "uri": d.uri })),
        "storage_uri": t.storage_uri,
        "quant_rule": serde_json::from_str::<Value>(&t.quant_rule_json).unwrap_or_else(|_| Value::String(t.quant_rule_json.clone())),
        "max_input_bytes": t.max_input_bytes.to_string(),
        "ended_height": t.ended_height.to_string(),
        "fee": coin_json(&t.fee),
        "work": t.work.to_string(),
        "allowance_used": t.allowance_used.to_string(),
        "status": t.status,
        "submit_height": t.submit_height.to_string(),
        "deadline_height": t.deadline_height.to_string(),
        "assigned_height": t.assigned_height.to_string(),
        "committee": t.committee.iter().map(|m| json!({
            "operator": m.operator,
            "consensus_address": hex::encode_upper(&m.consensus_address),
            "power": m.power.to_string(),
        })).collect::<Vec<_>>(),
    })
}

pub fn model_json(m: &pb::Model) -> Value {
    let parsed = |s: &str| serde_json::from_str::<Value>(s).unwrap_or_else(|_| Value::String(s.to_string()));
    json!({
        "model_id": m.model_id,
        "nft_contract": m.nft_contract,
        "token_id": m.token_id,
        "price_per_call": coin_json(&m.price_per_call),
        "quant_rule": parsed(&m.quant_rule_json),
        "io_schema": parsed(&m.io_schema_json),
        "max_input_bytes": m.max_input_bytes.to_string(),
        "max_output_bytes": m.max_output_bytes.to_string(),
        "committee_size": m.committee_size,
        "storage_uri": m.storage_uri,
    })
}

impl QueryCmd {
    pub async fn run(&self, cli: &Cli) -> Result<Value> {
        let node = node(cli)?;
        match self {
            QueryCmd::Task { id, height } => {
                let r: pb::QueryTaskResponse = node.query(QUERY_TASK, &pb::QueryTaskRequest { task_id: *id }, *height).await?;
                Ok(json!({ "task": r.task.as_ref().map(task_json) }))
            }
            QueryCmd::Result { id, height } => {
                let r: pb::QueryResultResponse = node.query(QUERY_RESULT, &pb::QueryResultRequest { task_id: *id }, *height).await?;
                let res = r.result.unwrap_or_default();
                Ok(json!({ "result": result_json(&res, None) }))
            }
            QueryCmd::Queue { limit, height } => {
                let r: pb::QueryQueueResponse = node.query(QUERY_QUEUE, &pb::QueryQueueRequest { limit: *limit }, *height).await?;
                Ok(json!({ "tasks": r.tasks.iter().map(task_json).collect::<Vec<_>>() }))
            }
            QueryCmd::Models { height } => {
                let r: pb::QueryModelsResponse = node.query(QUERY_MODELS, &pb::QueryModelsRequest {}, *height).await?;
                Ok(json!({ "models": r.models.iter().map(model_json).collect::<Vec<_>>() }))
            }
            QueryCmd::Model { model: id, height } => Ok(json!({ "model": model_json(&model(&node, id, *height).await?) })),
            QueryCmd::Reputation { validator, height } => {
                Address::parse_valoper(validator)?;
                let req = pb::QueryReputationRequest { validator_address: validator.clone() };
                let r: pb::QueryReputationResponse = node.query(QUERY_REPUTATION, &req, *height).await?;
                Ok(json!({ "validator": validator, "reputation": r.reputation.to_string(), "payout_address": r.payout_address }))
            }
            QueryCmd::Credits { address, height } => {
                Address::parse_arg(address)?;
                let r: pb::QueryCreditsResponse =
                    node.query(QUERY_CREDITS, &pb::QueryCreditsRequest { address: address.clone() }, *height).await?;
                Ok(json!({
                    "address": address,
                    "credits": r.credits,
                    "locked": r.locked,
                    "allowance_left": r.allowance_left.to_string(),
                    "allowance_day": r.allowance_day.to_string(),
                    "credits_outstanding": r.credits_outstanding,
                }))
            }
            QueryCmd::Params { height } => {
                let r: pb::QueryParamsResponse = node.query(QUERY_PARAMS, &pb::QueryParamsRequest {}, *height).await?;
                let p = r.params.unwrap_or_default();
                let v = serde_json::to_value(&p).map_err(|e| CliError::decode("inference params", e.to_string()))?;
                Ok(json!({ "params": v }))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn submit_message_and_input_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("in.json");
        std::fs::write(&path, "{ \"input\": [ [0.5, 1.0] ] }\n").unwrap();
        let input = read_input(&path).unwrap();
        assert_eq!(input, br#"{"input":[[0.5,1.0]]}"#);
        let sha = "ab".repeat(32);
        let any = msg_submit("venice1x", &sha, TaskInput::Inline(input.clone()), "250uvvv", "5").unwrap();
        assert_eq!(any.type_url, pb::MSG_SUBMIT_INFERENCE_URL);
        let m = pb::MsgSubmitInference::decode(any.value.as_slice()).unwrap();
        assert_eq!((m.model_id.as_str(), m.input, m.priority.as_str()), (sha.as_str(), input, "5"));
        assert_eq!(m.max_fee.unwrap().amount, "250");
        assert!(msg_submit("venice1x", "AB", TaskInput::Inline(vec![]), "1uvvv", "").is_err(), "not a sha256");
        assert!(msg_submit("venice1x", &sha, TaskInput::Inline(vec![]), "1uvvv", "x").is_err(), "bad priority");
        let cred = TaskInput::Credential { contract: "venice1c".into(), id: 3 };
        let m = pb::MsgSubmitInference::decode(msg_submit("venice1x", &sha, cred, "1uvvv", "").unwrap().value.as_slice()).unwrap();
        assert!(m.input.is_empty());
        assert_eq!(m.data_credential, Some(pb::DataCredentialRef { contract: "venice1c".into(), credential_id: 3 }));
        std::fs::write(&path, "not json").unwrap();
        assert!(read_input(&path).is_err());
    }

    #[test]
    fn task_json_writes_integers_as_strings() {
        let t = pb::Task { id: 7, status: "queued".into(), deadline_height: 30, ..Default::default() };
        let v = task_json(&t);
        assert_eq!((v["id"].as_str(), v["status"].as_str(), v["deadline_height"].as_str()), (Some("7"), Some("queued"), Some("30")));
    }

    #[test]
    fn result_json_decodes_the_canonical_output() {
        use venice_model_types::quant::{ElemType, QuantizedTensor, canonical_encoding};
        use venice_model_types::{QuantRule, Rounding};
        let rule = QuantRule::FixedPoint { scale_exp: 4, rounding: Rounding::HalfEven };
        let tensors = vec![
            QuantizedTensor { name: "label".into(), source: ElemType::Int64, shape: vec![1], values: vec![4] },
            QuantizedTensor { name: "probabilities".into(), source: ElemType::Float32, shape: vec![1, 2], values: vec![9000, 1000] },
        ];
        let output = canonical_encoding(&rule, &tensors);
        let res = pb::TaskResultRecord { task_id: 3, output_hash: vec![0xab; 32], output, height: 12, executors: vec!["venice1v".into()] };
        let task = pb::Task { model_id: "cd".repeat(32), ..Default::default() };
        let v = result_json(&res, Some(&task));
        assert_eq!(v["quantized"]["label"], json!({"dtype": "int64", "shape": [1], "values": [4]}));
        assert_eq!(v["quantized"]["probabilities"]["values"], json!([9000, 1000]));
        assert_eq!(
            (v["rule_id"].as_str(), v["rule"].clone()),
            (Some("fixed-point/v1"), json!({"fixed_point": {"scale_exp": 4, "rounding": "half_even"}}))
        );
        assert_eq!(
            (v["task_id"].as_str(), v["height"].as_str(), v["model"].as_str()),
            (Some("3"), Some("12"), Some("cd".repeat(32).as_str()))
        );
        assert_eq!(v["output_hash"], "ab".repeat(32));
        // No output on chain: the hash alone.
        let v = result_json(&pb::TaskResultRecord { output: vec![], ..res }, None);
        assert!(v["quantized"].is_null() && v.get("model").is_none());
    }

    #[test]
    fn task_id_from_the_submit_event() {
        let events = vec![
            json!({"type": "message", "attributes": [{"key": "task_id", "value": "1"}]}),
            json!({"type": "inference_submit", "attributes": [{"key": "sender", "value": "x"}, {"key": "task_id", "value": "42"}]}),
        ];
        assert_eq!(submitted_task_id(&events), Some(42));
        assert_eq!(submitted_task_id(&events[..1]), None);
    }

    /// `tx gov draft-proposal` templates the params message; the edited
    /// file reads back as the protobuf message (64-bit integers as strings).
    #[test]
    fn draft_proposal_for_the_params() {
        use crate::modules::gov;
        let mut d = gov::draft(pb::MSG_UPDATE_PARAMS_URL, "T", "S", "", "1000uvvv", false).unwrap();
        let auth = d["messages"][0]["authority"].as_str().unwrap().to_string();
        assert!(auth.starts_with("venice1"), "{auth}");
        d["messages"][0]["params"] = json!({"fee_denom": "uvvv", "block_work_budget": "7", "max_committee_size": 3});
        let p = gov::proposal_from_file(&d, "venice1x").unwrap();
        let m = pb::MsgUpdateParams::decode(p.messages[0].value.as_slice()).unwrap();
        let params = m.params.unwrap();
        assert_eq!((m.authority, params.block_work_budget, params.max_committee_size), (auth, 7, 3));
    }
}
