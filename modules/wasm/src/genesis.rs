//! wasm genesis in wasmd's JSON shape: params, codes (wasm bytes, base64),
//! contracts with their info, state (hex keys, base64 values) and code
//! history, and the id sequences.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use cosmos_sdk_proto::cosmwasm::wasm::v1::{self as pb, ContractCodeHistoryOperationType as Op};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use venice_sdk::json::int_str;
use venice_sdk::{Address, Ctx, Error, Result};

use crate::params::{AccessConfigJson, ParamsJson, everybody};
use crate::{Wasm, state};

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GenesisState {
    #[serde(default)]
    pub params: ParamsJson,
    #[serde(default)]
    pub codes: Vec<Code>,
    #[serde(default)]
    pub contracts: Vec<Contract>,
    #[serde(default)]
    pub sequences: Vec<Sequence>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Code {
    #[serde(with = "int_str")]
    pub code_id: u64,
    pub code_info: CodeInfo,
    /// base64 wasm (gzip accepted).
    pub code_bytes: String,
    #[serde(default)]
    pub pinned: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodeInfo {
    /// base64 sha256 of the wasm.
    pub code_hash: String,
    pub creator: String,
    pub instantiate_config: AccessConfigJson,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contract {
    pub contract_address: String,
    pub contract_info: ContractInfo,
    #[serde(default)]
    pub contract_state: Vec<Model>,
    #[serde(default)]
    pub contract_code_history: Vec<HistoryEntry>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContractInfo {
    #[serde(with = "int_str")]
    pub code_id: u64,
    pub creator: String,
    #[serde(default)]
    pub admin: String,
    pub label: String,
    #[serde(default)]
    pub created: Option<Position>,
    #[serde(default)]
    pub ibc_port_id: String,
    #[serde(default)]
    pub extension: Option<Value>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Position {
    #[serde(with = "int_str")]
    pub block_height: u64,
    #[serde(with = "int_str")]
    pub tx_index: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Model {
    /// Hex (upper case), as wasmd's `HexBytes`.
    pub key: String,
    /// base64.
    pub value: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HistoryEntry {
    pub operation: String,
    #[serde(with = "int_str")]
    pub code_id: u64,
    #[serde(default)]
    pub updated: Option<Position>,
    /// The raw JSON message.
    #[serde(default)]
    pub msg: Value,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sequence {
    /// base64 of the key name (`lastCodeId`, `lastContractId`).
    pub id_key: String,
    #[serde(with = "int_str")]
    pub value: u64,
}

fn genesis_err(field: String, e: impl std::fmt::Display) -> Error {
    Error::Genesis(format!("app_state.wasm.{field}: {e}"))
}

fn b64(field: &str, s: &str) -> Result<Vec<u8>> {
    B64.decode(s).map_err(|e| genesis_err(field.to_string(), e))
}

fn op_name(op: i32) -> &'static str {
    Op::try_from(op).map_or("CONTRACT_CODE_HISTORY_OPERATION_TYPE_UNSPECIFIED", |o| o.as_str_name())
}

fn pos_from(p: &Option<Position>) -> Option<pb::AbsoluteTxPosition> {
    p.as_ref().map(|p| pb::AbsoluteTxPosition { block_height: p.block_height, tx_index: p.tx_index })
}

fn pos_to(p: &Option<pb::AbsoluteTxPosition>) -> Option<Position> {
    p.as_ref().map(|p| Position { block_height: p.block_height, tx_index: p.tx_index })
}

pub fn parse(section: &Value) -> Result<GenesisState> {
    serde_json::from_value(section.clone()).map_err(|e| Error::Genesis(format!("app_state.wasm: {e}")))
}

pub fn init_genesis(wasm: &Wasm, ctx: &mut Ctx, g: &GenesisState) -> Result<()> {
    state::set_params(ctx, &g.params.to_proto().map_err(|e| genesis_err("params".into(), e))?)?;
    let mut max_code = 0;
    for (i, c) in g.codes.iter().enumerate() {
        let f = |n: &str| format!("codes[{i}].{n}");
        let mut bytes = b64(&f("code_bytes"), &c.code_bytes)?;
        if bytes.starts_with(&[0x1f, 0x8b, 0x08]) {
            let mut out = Vec::new();
            std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(bytes.as_slice()), &mut out)
                .map_err(|e| genesis_err(f("code_bytes"), e))?;
            bytes = out;
        }
        let hash = b64(&f("code_info.code_hash"), &c.code_info.code_hash)?;
        let sum = wasm.inner_cache()?.store_code(&bytes, false, true).map_err(|e| genesis_err(f("code_bytes"), e))?;
        if sum.as_slice() != hash.as_slice() {
            return Err(genesis_err(f("code_info.code_hash"), "code hashes not same"));
        }
        if c.code_id == 0 || state::code(ctx, c.code_id)?.is_some() {
            return Err(genesis_err(f("code_id"), format!("duplicate or zero code id {}", c.code_id)));
        }
        Address::parse(&c.code_info.creator).map_err(|e| genesis_err(f("code_info.creator"), e))?;
        let config = c.code_info.instantiate_config.to_proto().map_err(|e| genesis_err(f("code_info.instantiate_config"), e))?;
        state::set_code(
            ctx,
            c.code_id,
            &pb::CodeInfo { code_hash: hash, creator: c.code_info.creator.clone(), instantiate_config: Some(config) },
        )?;
        if c.pinned {
            state::set_pinned(ctx, c.code_id)?;
        }
        max_code = max_code.max(c.code_id);
    }
    for (i, c) in g.contracts.iter().enumerate() {
        let f = |n: &str| format!("contracts[{i}].{n}");
        let addr = Address::parse(&c.contract_address).map_err(|e| genesis_err(f("contract_address"), e))?;
        let ci = &c.contract_info;
        if state::code(ctx, ci.code_id)?.is_none() {
            return Err(genesis_err(f("contract_info.code_id"), format!("no such code {}", ci.code_id)));
        }
        if state::has_contract(ctx, &addr)? {
            return Err(genesis_err(f("contract_address"), "duplicate contract"));
        }
        let (Some(first), Some(last)) = (c.contract_code_history.first(), c.contract_code_history.last()) else {
            return Err(genesis_err(f("contract_code_history"), "empty"));
        };
        let creator = Address::parse(&ci.creator).map_err(|e| genesis_err(f("contract_info.creator"), e))?;
        if !ci.admin.is_empty() {
            Address::parse(&ci.admin).map_err(|e| genesis_err(f("contract_info.admin"), e))?;
        }
        for (j, h) in c.contract_code_history.iter().enumerate() {
            let op = Op::from_str_name(&h.operation)
                .ok_or_else(|| genesis_err(f(&format!("contract_code_history[{j}].operation")), "unknown"))?;
            let msg = if h.msg.is_null() { vec![] } else { serde_json::to_vec(&h.msg).map_err(|e| genesis_err(f("msg"), e))? };
            let entry = pb::ContractCodeHistoryEntry { operation: op as i32, code_id: h.code_id, updated: pos_from(&h.updated), msg };
            state::append_history(ctx, &addr, &entry)?;
        }
        let info = pb::ContractInfo {
            code_id: ci.code_id,
            creator: ci.creator.clone(),
            admin: ci.admin.clone(),
            label: ci.label.clone(),
            created: pos_from(&ci.created),
            ibc_port_id: ci.ibc_port_id.clone(),
            extension: None,
        };
        state::set_contract(ctx, &addr, &info)?;
        state::add_to_code_index(ctx, last.code_id, &pos_from(&last.updated), &addr)?;
        state::add_to_creator_index(ctx, &creator, &pos_from(&first.updated), &addr)?;
        for (j, m) in c.contract_state.iter().enumerate() {
            let key = hex::decode(&m.key).map_err(|e| genesis_err(f(&format!("contract_state[{j}].key")), e))?;
            let value = b64(&f(&format!("contract_state[{j}].value")), &m.value)?;
            state::contract_state_set(ctx, &addr, &key, value)?;
        }
        wasm.inner.accounts.ensure_account(ctx, &addr)?;
    }
    for (i, s) in g.sequences.iter().enumerate() {
        let name = b64(&format!("sequences[{i}].id_key"), &s.id_key)?;
        let (_, key) = state::SEQUENCES
            .iter()
            .find(|(n, _)| *n == name.as_slice())
            .ok_or_else(|| genesis_err(format!("sequences[{i}].id_key"), "unknown sequence"))?;
        // Genesis holds the next id, wasmd's `PeekAutoIncrementID`.
        state::set_sequence(ctx, key, s.value.saturating_sub(1))?;
    }
    if state::sequence(ctx, b"wasm/seq/code")? < max_code {
        state::set_sequence(ctx, b"wasm/seq/code", max_code)?;
    }
    Ok(())
}

pub fn export_genesis(wasm: &Wasm, ctx: &mut Ctx) -> Result<GenesisState> {
    let params = ParamsJson::from_proto(&state::params(ctx)?);
    let mut codes = Vec::new();
    for (id, info) in state::codes(ctx, None, usize::MAX)? {
        codes.push(Code {
            code_id: id,
            code_bytes: B64.encode(wasm.wasm_bytes(&info.code_hash)?),
            pinned: state::is_pinned(ctx, id)?,
            code_info: CodeInfo {
                code_hash: B64.encode(&info.code_hash),
                creator: info.creator,
                instantiate_config: AccessConfigJson::from_proto(&info.instantiate_config.unwrap_or_else(everybody)),
            },
        });
    }
    let mut contracts = Vec::new();
    for (addr, info) in state::all_contracts(ctx)? {
        let contract_state = state::contract_state(ctx, &addr, None, usize::MAX)?
            .into_iter()
            .map(|(k, v)| Model { key: hex::encode_upper(k), value: B64.encode(v) })
            .collect();
        let contract_code_history = state::history(ctx, &addr, None, usize::MAX)?
            .into_iter()
            .map(|(_, e)| HistoryEntry {
                operation: op_name(e.operation).to_string(),
                code_id: e.code_id,
                updated: pos_to(&e.updated),
                msg: serde_json::from_slice(&e.msg).unwrap_or(Value::Null),
            })
            .collect();
        contracts.push(Contract {
            contract_address: addr.to_bech32(),
            contract_info: ContractInfo {
                code_id: info.code_id,
                creator: info.creator,
                admin: info.admin,
                label: info.label,
                created: pos_to(&info.created),
                ibc_port_id: info.ibc_port_id,
                extension: None,
            },
            contract_state,
            contract_code_history,
        });
    }
    let sequences = state::SEQUENCES
        .iter()
        .map(|(name, key)| Ok(Sequence { id_key: B64.encode(name), value: state::sequence(ctx, key)? + 1 }))
        .collect::<Result<Vec<_>>>()?;
    Ok(GenesisState { params, codes, contracts, sequences })
}
