//! `query wasm …`: the `cosmwasm.wasm.v1.Query` service over ABCI query,
//! printed in the JSON shape of wasmd's CLI (`-o json`): uint64 as strings,
//! checksums and state keys as upper-case hex, state values and raw data as
//! base64, contract messages as the JSON they are.

use std::path::PathBuf;

use clap::Subcommand;
use cosmos_sdk_proto::cosmos::base::query::v1beta1::PageRequest;
use cosmos_sdk_proto::cosmwasm::wasm::v1::{
    AbsoluteTxPosition, AccessConfig, AccessType, CodeInfoResponse, ContractCodeHistoryOperationType, ContractInfo,
    QueryAllContractStateRequest, QueryAllContractStateResponse, QueryCodeRequest, QueryCodeResponse, QueryCodesRequest,
    QueryCodesResponse, QueryContractHistoryRequest, QueryContractHistoryResponse, QueryContractInfoRequest, QueryContractInfoResponse,
    QueryContractsByCodeRequest, QueryContractsByCodeResponse, QueryParamsRequest, QueryParamsResponse, QueryRawContractStateRequest,
    QueryRawContractStateResponse, QuerySmartContractStateRequest, QuerySmartContractStateResponse,
};
use serde_json::{Value, json};
use venice_types::paths::wasm as path;
use venice_types::{Address, contract_address};

use super::node;
use super::wasm::{SaltEncoding, json_arg};
use crate::Cli;
use crate::error::{CliError, Result};
use crate::output::b64;
use crate::query::{MAX_PAGES, pagination_json};
use crate::rpc::Node;

#[derive(Subcommand, Debug)]
pub enum QueryCmd {
    /// The wasm module's parameters (who may upload code, the default instantiate permission)
    Params {
        #[arg(long)]
        height: Option<u64>,
    },
    /// Download a code's wasm binary to a file
    Code {
        code_id: u64,
        output_filename: PathBuf,
        #[arg(long)]
        height: Option<u64>,
    },
    /// Metadata of a code (creator, checksum, instantiate permission)
    #[command(name = "code-info")]
    CodeInfo {
        code_id: u64,
        #[arg(long)]
        height: Option<u64>,
    },
    /// All stored codes
    #[command(name = "list-code")]
    ListCode {
        #[arg(long)]
        height: Option<u64>,
    },
    /// The contracts instantiated from a code
    #[command(name = "list-contract-by-code")]
    ListContractByCode {
        code_id: u64,
        #[arg(long)]
        height: Option<u64>,
    },
    /// Metadata of a contract (code id, creator, admin, label)
    Contract {
        address: String,
        #[arg(long)]
        height: Option<u64>,
    },
    /// The code history of a contract (instantiate, migrations)
    #[command(name = "contract-history")]
    ContractHistory {
        address: String,
        #[arg(long)]
        height: Option<u64>,
    },
    /// A contract's state: smart query, raw key, or everything
    #[command(name = "contract-state", subcommand)]
    ContractState(StateCmd),
    /// The address `instantiate2` gives (offline, as wasmd derives it)
    #[command(name = "build-address")]
    BuildAddress {
        /// The code's checksum (hex)
        code_hash: String,
        creator_address: String,
        /// Salt (hex unless --ascii or --b64)
        salt: String,
        /// The init message, when instantiated with --fix-msg
        json_encoded_init_args: Option<String>,
        #[command(flatten)]
        salt_encoding: SaltEncoding,
    },
}

#[derive(Subcommand, Debug)]
pub enum StateCmd {
    /// Run a smart query (JSON) on the contract
    Smart {
        address: String,
        query: String,
        #[arg(long)]
        height: Option<u64>,
    },
    /// The value stored under a raw key (hex unless --ascii or --b64)
    Raw {
        address: String,
        key: String,
        #[command(flatten)]
        encoding: SaltEncoding,
        #[arg(long)]
        height: Option<u64>,
    },
    /// Every key and value of the contract's storage
    All {
        address: String,
        #[arg(long)]
        height: Option<u64>,
    },
}

impl QueryCmd {
    pub async fn run(&self, cli: &Cli) -> Result<Value> {
        if let QueryCmd::BuildAddress { code_hash, creator_address, salt, json_encoded_init_args, salt_encoding } = self {
            return build_address(code_hash, creator_address, &salt_encoding.decode(salt, true)?, json_encoded_init_args.as_deref());
        }
        let node = node(cli)?;
        match self {
            QueryCmd::Params { height } => params(&node, *height).await,
            QueryCmd::Code { code_id, output_filename, height } => {
                let (info, wasm) = code(&node, *code_id, *height).await?;
                std::fs::write(output_filename, &wasm).map_err(|e| CliError::io(format!("write {}", output_filename.display()), e))?;
                Ok(json!({ "code_id": code_id.to_string(), "checksum": info["checksum"], "file": output_filename, "bytes": wasm.len() }))
            }
            QueryCmd::CodeInfo { code_id, height } => Ok(code(&node, *code_id, *height).await?.0),
            QueryCmd::ListCode { height } => list_code(&node, *height).await,
            QueryCmd::ListContractByCode { code_id, height } => contracts_by_code(&node, *code_id, *height).await,
            QueryCmd::Contract { address, height } => contract_info(&node, address, *height).await,
            QueryCmd::ContractHistory { address, height } => contract_history(&node, address, *height).await,
            QueryCmd::ContractState(StateCmd::Smart { address, query, height }) => {
                Ok(json!({ "data": smart(&node, address, &json_arg("query", query)?, *height).await? }))
            }
            QueryCmd::ContractState(StateCmd::Raw { address, key, encoding, height }) => {
                let key = encoding.decode_key(key)?;
                Ok(json!({ "data": raw(&node, address, key, *height).await?.map(|v| b64(&v)) }))
            }
            QueryCmd::ContractState(StateCmd::All { address, height }) => all_state(&node, address, *height).await,
            QueryCmd::BuildAddress { .. } => unreachable!("answered offline above"),
        }
    }
}

impl SaltEncoding {
    /// A raw-state key: like a salt, but any length (also empty).
    fn decode_key(&self, s: &str) -> Result<Vec<u8>> {
        use base64::Engine;
        let bad = |e: String| CliError::BadFlag { flag: "key", reason: e };
        if self.ascii {
            Ok(s.as_bytes().to_vec())
        } else if self.b64 {
            base64::engine::general_purpose::STANDARD.decode(s).map_err(|e| bad(format!("{s:?} is not base64: {e}")))
        } else {
            hex::decode(s).map_err(|e| bad(format!("{s:?} is not hex: {e} (use --ascii for a text key)")))
        }
    }
}

fn upper_hex(b: &[u8]) -> String {
    hex::encode_upper(b)
}

fn page(key: Vec<u8>) -> Option<PageRequest> {
    Some(PageRequest { key, offset: 0, limit: 0, count_total: false, reverse: false })
}

/// Follows `next_key` to the last page; `fetch(key)` returns one page's items.
async fn every_page<T, F, Fut>(mut fetch: F) -> Result<Vec<T>>
where
    F: FnMut(Vec<u8>) -> Fut,
    Fut: std::future::Future<Output = Result<(Vec<T>, Vec<u8>)>>,
{
    let mut out = Vec::new();
    let mut key = Vec::new();
    for _ in 0..MAX_PAGES {
        let (items, next) = fetch(key.clone()).await?;
        out.extend(items);
        if next.is_empty() || next == key {
            return Ok(out);
        }
        key = next;
    }
    Err(CliError::decode("paginated response", "too many pages"))
}

/// wasmd's names of the access types in JSON.
fn access_type_name(t: i32) -> &'static str {
    match AccessType::try_from(t) {
        Ok(AccessType::Nobody) => "Nobody",
        Ok(AccessType::Everybody) => "Everybody",
        Ok(AccessType::AnyOfAddresses) => "AnyOfAddresses",
        _ => "Unspecified",
    }
}

pub fn access_config_json(c: Option<&AccessConfig>) -> Value {
    let c = c.cloned().unwrap_or_default();
    json!({ "permission": access_type_name(c.permission), "addresses": c.addresses })
}

pub fn code_info_json(c: &CodeInfoResponse) -> Value {
    json!({
        "code_id": c.code_id.to_string(),
        "creator": c.creator,
        "checksum": upper_hex(&c.data_hash),
        "instantiate_permission": access_config_json(c.instantiate_permission.as_ref()),
    })
}

fn position_json(p: Option<&AbsoluteTxPosition>) -> Value {
    p.map(|p| json!({ "block_height": p.block_height.to_string(), "tx_index": p.tx_index.to_string() })).unwrap_or(Value::Null)
}

pub fn contract_info_json(c: &ContractInfo) -> Value {
    json!({
        "code_id": c.code_id.to_string(),
        "creator": c.creator,
        "admin": c.admin,
        "label": c.label,
        "created": position_json(c.created.as_ref()),
        "ibc_port_id": c.ibc_port_id,
        "extension": c.extension.as_ref().map(|e| json!({ "@type": e.type_url, "value": b64(&e.value) })),
    })
}

/// A contract message stored by the chain, as JSON (base64 if it is not).
fn message_json(bytes: &[u8]) -> Value {
    serde_json::from_slice(bytes).unwrap_or_else(|_| Value::String(b64(bytes)))
}

pub async fn code(node: &Node, code_id: u64, height: Option<u64>) -> Result<(Value, Vec<u8>)> {
    let res: QueryCodeResponse = node.query(path::CODE, &QueryCodeRequest { code_id }, height).await?;
    let info = res.code_info.ok_or_else(|| CliError::decode("code response", format!("no code_info for code {code_id}")))?;
    Ok((code_info_json(&info), res.data))
}

/// wasmd's `query wasm params` JSON: access types by name.
pub async fn params(node: &Node, height: Option<u64>) -> Result<Value> {
    let res: QueryParamsResponse = node.query(path::PARAMS, &QueryParamsRequest {}, height).await?;
    let p = res.params.unwrap_or_default();
    Ok(json!({
        "code_upload_access": access_config_json(p.code_upload_access.as_ref()),
        "instantiate_default_permission": access_type_name(p.instantiate_default_permission),
    }))
}

pub async fn list_code(node: &Node, height: Option<u64>) -> Result<Value> {
    let infos = every_page(|key| async move {
        let res: QueryCodesResponse = node.query(path::CODES, &QueryCodesRequest { pagination: page(key) }, height).await?;
        Ok((res.code_infos, res.pagination.map(|p| p.next_key).unwrap_or_default()))
    })
    .await?;
    Ok(json!({ "code_infos": infos.iter().map(code_info_json).collect::<Vec<_>>(), "pagination": pagination_json(infos.len()) }))
}

pub async fn contracts_by_code(node: &Node, code_id: u64, height: Option<u64>) -> Result<Value> {
    let contracts = every_page(|key| async move {
        let req = QueryContractsByCodeRequest { code_id, pagination: page(key) };
        let res: QueryContractsByCodeResponse = node.query(path::CONTRACTS_BY_CODE, &req, height).await?;
        Ok((res.contracts, res.pagination.map(|p| p.next_key).unwrap_or_default()))
    })
    .await?;
    Ok(json!({ "contracts": contracts, "pagination": pagination_json(contracts.len()) }))
}

pub async fn contract_info(node: &Node, address: &str, height: Option<u64>) -> Result<Value> {
    Address::parse_arg(address)?;
    let req = QueryContractInfoRequest { address: address.into() };
    let res: QueryContractInfoResponse = node.query(path::CONTRACT_INFO, &req, height).await?;
    let info = res.contract_info.ok_or_else(|| CliError::decode("contract info response", "no contract_info"))?;
    Ok(json!({ "address": res.address, "contract_info": contract_info_json(&info) }))
}

pub async fn contract_history(node: &Node, address: &str, height: Option<u64>) -> Result<Value> {
    Address::parse_arg(address)?;
    let entries = every_page(|key| async move {
        let req = QueryContractHistoryRequest { address: address.into(), pagination: page(key) };
        let res: QueryContractHistoryResponse = node.query(path::CONTRACT_HISTORY, &req, height).await?;
        Ok((res.entries, res.pagination.map(|p| p.next_key).unwrap_or_default()))
    })
    .await?;
    let entries: Vec<Value> = entries
        .iter()
        .map(|e| {
            let op = ContractCodeHistoryOperationType::try_from(e.operation)
                .map(|o| o.as_str_name().to_string())
                .unwrap_or_else(|_| e.operation.to_string());
            json!({ "operation": op, "code_id": e.code_id.to_string(), "updated": position_json(e.updated.as_ref()), "msg": message_json(&e.msg) })
        })
        .collect();
    let n = entries.len();
    Ok(json!({ "entries": entries, "pagination": pagination_json(n) }))
}

/// A smart query's answer as JSON.
pub async fn smart(node: &Node, address: &str, query: &[u8], height: Option<u64>) -> Result<Value> {
    Address::parse_arg(address)?;
    let req = QuerySmartContractStateRequest { address: address.into(), query_data: query.to_vec() };
    let res: QuerySmartContractStateResponse = node.query(path::SMART_CONTRACT_STATE, &req, height).await?;
    serde_json::from_slice(&res.data).map_err(|e| CliError::decode("smart query answer (expected JSON)", e))
}

/// The value under a raw key, `None` when the key is absent.
pub async fn raw(node: &Node, address: &str, key: Vec<u8>, height: Option<u64>) -> Result<Option<Vec<u8>>> {
    Address::parse_arg(address)?;
    let req = QueryRawContractStateRequest { address: address.into(), query_data: key };
    let res: QueryRawContractStateResponse = node.query(path::RAW_CONTRACT_STATE, &req, height).await?;
    // wasmd answers an absent key with empty data.
    Ok((!res.data.is_empty()).then_some(res.data))
}

pub async fn all_state(node: &Node, address: &str, height: Option<u64>) -> Result<Value> {
    Address::parse_arg(address)?;
    let models = every_page(|key| async move {
        let req = QueryAllContractStateRequest { address: address.into(), pagination: page(key) };
        let res: QueryAllContractStateResponse = node.query(path::ALL_CONTRACT_STATE, &req, height).await?;
        Ok((res.models, res.pagination.map(|p| p.next_key).unwrap_or_default()))
    })
    .await?;
    let n = models.len();
    let models: Vec<Value> = models.iter().map(|m| json!({ "key": upper_hex(&m.key), "value": b64(&m.value) })).collect();
    Ok(json!({ "models": models, "pagination": pagination_json(n) }))
}

/// `build-address CODE_HASH CREATOR SALT [INIT_MSG]`: the bech32 address.
pub fn build_address(code_hash: &str, creator: &str, salt: &[u8], init_msg: Option<&str>) -> Result<Value> {
    let checksum = hex::decode(code_hash)
        .ok()
        .filter(|c| c.len() == 32)
        .ok_or_else(|| CliError::BadFlag { flag: "code-hash", reason: format!("{code_hash:?} is not a 32-byte hex checksum") })?;
    let creator = Address::parse_arg(creator)?;
    let msg = init_msg.map(|m| json_arg("init message", m)).transpose()?.unwrap_or_default();
    Ok(Value::String(contract_address::predictable(&checksum, creator.as_bytes(), salt, &msg).to_bech32()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use cosmos_sdk_proto::cosmwasm::wasm::v1::ContractCodeHistoryEntry;

    #[test]
    fn json_shapes() {
        let info = CodeInfoResponse {
            code_id: 3,
            creator: "venice1c".into(),
            data_hash: vec![0xab; 32],
            instantiate_permission: Some(AccessConfig { permission: AccessType::Everybody as i32, addresses: vec![] }),
        };
        assert_eq!(
            code_info_json(&info),
            json!({"code_id": "3", "creator": "venice1c", "checksum": "AB".repeat(32),
                   "instantiate_permission": {"permission": "Everybody", "addresses": []}})
        );
        let c = ContractInfo {
            code_id: 1,
            creator: "venice1c".into(),
            admin: String::new(),
            label: "l".into(),
            created: Some(AbsoluteTxPosition { block_height: 5, tx_index: 0 }),
            ibc_port_id: String::new(),
            extension: None,
        };
        assert_eq!(contract_info_json(&c)["created"], json!({"block_height": "5", "tx_index": "0"}));
        assert_eq!(contract_info_json(&c)["admin"], json!(""));
        let e = ContractCodeHistoryEntry { operation: 1, code_id: 1, updated: None, msg: br#"{"a":1}"#.to_vec() };
        assert_eq!(
            ContractCodeHistoryOperationType::try_from(e.operation).unwrap().as_str_name(),
            "CONTRACT_CODE_HISTORY_OPERATION_TYPE_INIT"
        );
        assert_eq!(message_json(&e.msg), json!({"a": 1}));
        assert_eq!(message_json(b"\xff"), json!("/w=="));
    }

    #[test]
    fn build_address_matches_wasmd_vector() {
        // wasmd's vector (creator 9999999999aaaaaaaaaabbbbbbbbbbcccccccccc, salt "a", msg {}), here with the venice prefix.
        let creator = Address::from_bytes(&hex::decode("9999999999aaaaaaaaaabbbbbbbbbbcccccccccc").unwrap()).unwrap().to_bech32();
        let hash = "13a1fc994cc6d1c81b746ee0c0ff6f90043875e0bf1d9be6b7d779fc978dc2a5";
        let got = build_address(hash, &creator, b"a", Some("{}")).unwrap();
        let want = Address::from_bytes(&hex::decode("0995499608947a5281e2c7ebd71bdb26a1ad981946dad57f6c4d3ee35de77835").unwrap()).unwrap();
        assert_eq!(got, json!(want.to_bech32()));
        assert!(build_address("abcd", &creator, b"a", None).is_err());
        assert!(build_address(hash, &creator, b"a", Some("{")).is_err());
    }

    #[test]
    fn raw_keys() {
        let enc = SaltEncoding::default();
        assert_eq!(enc.decode_key("6f776e6572").unwrap(), b"owner");
        assert_eq!(SaltEncoding { ascii: true, ..Default::default() }.decode_key("owner").unwrap(), b"owner");
        assert!(enc.decode_key("owner").is_err());
    }
}
