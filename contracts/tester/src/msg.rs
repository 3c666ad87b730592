//! The tester's messages (the interface agreed with the wasm module's tests).

use cosmwasm_schema::{cw_serde, QueryResponses};
use cosmwasm_std::{Attribute, Binary, Coin, SubMsg};

/// `{}`, or `{"fail": "reason"}` to make instantiation fail.
#[cw_serde]
#[derive(Default)]
pub struct InstantiateMsg {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fail: Option<String>,
}

#[cw_serde]
pub enum ExecuteMsg {
    /// Raw storage write of UTF-8 key and value.
    Set { key: String, value: String },
    /// Raw storage delete.
    Delete { key: String },
    /// Writes key `dirty`, then returns a contract error.
    Fail { reason: String },
    /// Writes key `dirty`, then panics (a wasm trap).
    Panic {},
    /// Never returns: runs until the gas runs out.
    Loop {},
    /// Allocates and touches `bytes` bytes of linear memory.
    Allocate { bytes: u64 },
    /// `BankMsg::Send` from the contract.
    Send { to_address: String, amount: Vec<Coin> },
    /// `BankMsg::Burn` from the contract.
    Burn { amount: Vec<Coin> },
    /// Returns these submessages (and `data`, if given) as they are.
    Dispatch {
        msgs: Vec<SubMsg>,
        #[serde(default)]
        data: Option<Binary>,
    },
    /// Returns `data` as the response data.
    ReturnData { data: Binary },
    /// A custom event `wasm-<event_type>` with the attributes, and the same
    /// attributes on the `wasm` event.
    Emit { event_type: String, attributes: Vec<Attribute> },
    /// Smart-queries itself with `recurse { depth }` and stores the JSON
    /// answer under key `query_self`.
    QuerySelf { depth: u32 },
}

#[cw_serde]
#[derive(QueryResponses)]
pub enum QueryMsg {
    /// A raw key of this contract's storage.
    #[returns(ValueResponse)]
    Get { key: String },
    /// Queries itself with `depth - 1` until 0.
    #[returns(DepthResponse)]
    Recurse { depth: u32 },
    /// A bank balance through the querier.
    #[returns(Coin)]
    Balance { address: String, denom: String },
    /// `WasmQuery::Raw` of another contract (UTF-8 key).
    #[returns(ValueResponse)]
    RawOf { contract: String, key: String },
    /// `WasmQuery::ContractInfo`.
    #[returns(cosmwasm_std::ContractInfoResponse)]
    ContractInfo { contract: String },
    /// `QueryRequest::Grpc`; the answer is the raw response bytes.
    #[returns(Binary)]
    Grpc { path: String, data: Binary },
}

#[cw_serde]
pub struct MigrateMsg {
    pub version: String,
}

#[cw_serde]
pub struct ValueResponse {
    pub value: Option<String>,
}

#[cw_serde]
pub struct DepthResponse {
    pub depth_reached: u32,
}
