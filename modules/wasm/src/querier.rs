//! The chain as contracts query it: bank (balance, all balances, supply),
//! wasm (smart, raw, contract info, code info) and gRPC/Stargate queries on
//! an accept-list, through the message router. Requests are parsed here,
//! not with cosmwasm-std's enums, so contracts built on std 1.x/2.x (whose
//! `all_balances` std 3 dropped) are answered too.
//!
//! Failures of the queried thing reach the contract as errors it can handle;
//! only the tx's own out-of-gas is a backend error (it ends the call).

use base64::Engine;
use cosmwasm_std::{Binary, ContractResult, SystemError, SystemResult};
use serde_json::{Value, json};
use venice_sdk::{Address, Ctx, Error, MsgRouter, Result};

use crate::error::{WasmError, reply_error_text};
use crate::{Wasm, state};

type QueryResult = SystemResult<ContractResult<Binary>>;

/// gRPC paths contracts may query (deterministic, cheap, stable), wasmd's
/// `AcceptListStargateQuerier`.
pub const ACCEPTED_QUERIES: &[&str] = &[
    "/cosmos.bank.v1beta1.Query/Balance",
    "/cosmos.bank.v1beta1.Query/AllBalances",
    "/cosmos.bank.v1beta1.Query/SupplyOf",
    "/cosmos.bank.v1beta1.Query/TotalSupply",
    "/cosmos.bank.v1beta1.Query/Params",
    "/cosmos.bank.v1beta1.Query/DenomMetadata",
    "/cosmos.auth.v1beta1.Query/Account",
    "/cosmos.auth.v1beta1.Query/Params",
    "/cosmwasm.wasm.v1.Query/ContractInfo",
    "/cosmwasm.wasm.v1.Query/Code",
];

fn ok_json(v: Value) -> QueryResult {
    SystemResult::Ok(ContractResult::Ok(Binary::from(serde_json::to_vec(&v).unwrap_or_default())))
}

fn unsupported(kind: impl Into<String>) -> QueryResult {
    SystemResult::Err(SystemError::UnsupportedRequest { kind: kind.into() })
}

fn invalid(error: impl Into<String>, request: &[u8]) -> QueryResult {
    SystemResult::Err(SystemError::InvalidRequest { error: error.into(), request: Binary::from(request) })
}

/// A failure of what was queried, as the contract sees it; the tx's own
/// out-of-gas is returned as `Err` to end the call.
fn failed(e: Error) -> Result<QueryResult> {
    if e.is_out_of_gas() {
        return Err(e);
    }
    Ok(SystemResult::Ok(ContractResult::Err(reply_error_text(&e))))
}

fn coin_json(denom: &str, amount: u128) -> Value {
    json!({"denom": denom, "amount": amount.to_string()})
}

fn field<'a>(body: &'a Value, name: &str) -> Option<&'a str> {
    body.get(name).and_then(Value::as_str)
}

fn binary(body: &Value, name: &str) -> Option<Vec<u8>> {
    field(body, name).and_then(|s| base64::engine::general_purpose::STANDARD.decode(s).ok())
}

/// Answer one query of `contract`, running at smart-query depth `depth`.
pub(crate) fn handle(
    wasm: &Wasm,
    ctx: &mut Ctx,
    router: &dyn MsgRouter,
    _contract: &Address,
    depth: u32,
    request: &[u8],
    _gas_limit: u64,
) -> Result<QueryResult> {
    let Ok(Value::Object(req)) = serde_json::from_slice::<Value>(request) else {
        return Ok(invalid("not a JSON object", request));
    };
    let Some((kind, body)) = req.iter().next().filter(|_| req.len() == 1) else {
        return Ok(invalid("expected one query kind", request));
    };
    if kind == "grpc" || kind == "stargate" {
        return grpc(ctx, router, body, request);
    }
    let Some((method, args)) = body.as_object().and_then(|o| o.iter().next().filter(|_| o.len() == 1)) else {
        return Ok(invalid(format!("{kind}: expected one request"), request));
    };
    match kind.as_str() {
        "bank" => bank(wasm, ctx, method, args, request),
        "wasm" => wasm_query(wasm, ctx, router, method, args, depth, request),
        other => Ok(unsupported(other)),
    }
}

fn address(args: &Value, name: &str, request: &[u8]) -> std::result::Result<Address, QueryResult> {
    let s = field(args, name).ok_or_else(|| invalid(format!("missing {name}"), request))?;
    Address::parse(s).map_err(|e| invalid(e.to_string(), request))
}

fn bank(wasm: &Wasm, ctx: &mut Ctx, method: &str, args: &Value, request: &[u8]) -> Result<QueryResult> {
    let bank = wasm.bank();
    Ok(match method {
        "balance" => {
            let addr = match address(args, "address", request) {
                Ok(a) => a,
                Err(r) => return Ok(r),
            };
            let Some(denom) = field(args, "denom") else { return Ok(invalid("missing denom", request)) };
            match bank.balance(ctx, &addr, denom) {
                Ok(n) => ok_json(json!({"amount": coin_json(denom, n)})),
                Err(e) => return failed(e),
            }
        }
        "all_balances" => {
            let addr = match address(args, "address", request) {
                Ok(a) => a,
                Err(r) => return Ok(r),
            };
            match bank.all_balances(ctx, &addr) {
                Ok(coins) => ok_json(json!({"amount": coins.iter().map(|c| coin_json(&c.denom, c.amount)).collect::<Vec<_>>()})),
                Err(e) => return failed(e),
            }
        }
        "supply" => {
            let Some(denom) = field(args, "denom") else { return Ok(invalid("missing denom", request)) };
            match bank.supply(ctx, denom) {
                Ok(n) => ok_json(json!({"amount": coin_json(denom, n)})),
                Err(e) => return failed(e),
            }
        }
        other => unsupported(format!("bank {other}")),
    })
}

fn wasm_query(
    wasm: &Wasm,
    ctx: &mut Ctx,
    router: &dyn MsgRouter,
    method: &str,
    args: &Value,
    depth: u32,
    request: &[u8],
) -> Result<QueryResult> {
    if method == "code_info" {
        let Some(code_id) = args.get("code_id").and_then(Value::as_u64) else { return Ok(invalid("missing code_id", request)) };
        return Ok(match state::code(ctx, code_id) {
            Ok(Some(c)) => ok_json(json!({"code_id": code_id, "creator": c.creator, "checksum": hex::encode(&c.code_hash)})),
            Ok(None) => SystemResult::Err(SystemError::NoSuchCode { code_id }),
            Err(e) => return failed(e),
        });
    }
    let contract = match address(args, "contract_addr", request) {
        Ok(a) => a,
        Err(r) => return Ok(r),
    };
    let no_such = || SystemResult::Err(SystemError::NoSuchContract { addr: contract.to_bech32() });
    Ok(match method {
        "smart" => {
            let Some(msg) = binary(args, "msg") else { return Ok(invalid("missing msg", request)) };
            match wasm.query_smart(ctx, router, &contract, &msg, depth + 1) {
                Ok(bytes) => SystemResult::Ok(ContractResult::Ok(Binary::from(bytes))),
                Err(e) if e.abci_code() == ("wasm", WasmError::NoSuchContract(String::new()).code()) => no_such(),
                Err(e) => return failed(e),
            }
        }
        "raw" => {
            let Some(key) = binary(args, "key") else { return Ok(invalid("missing key", request)) };
            match state::contract_state_get(ctx, &contract, &key) {
                Ok(v) => SystemResult::Ok(ContractResult::Ok(Binary::from(v.unwrap_or_default()))),
                Err(e) => return failed(e),
            }
        }
        "contract_info" => match state::contract(ctx, &contract) {
            Ok(Some(info)) => {
                let pinned = state::is_pinned(ctx, info.code_id).unwrap_or(false);
                let admin = (!info.admin.is_empty()).then_some(info.admin.clone());
                ok_json(json!({
                    "code_id": info.code_id,
                    "creator": info.creator,
                    "admin": admin,
                    "pinned": pinned,
                    "ibc_port": null,
                    "ibc2_port": null,
                }))
            }
            Ok(None) => no_such(),
            Err(e) => return failed(e),
        },
        other => unsupported(format!("wasm {other}")),
    })
}

/// `grpc` (protobuf response) and the older `stargate` (the same bytes; the
/// cosmwasm-std contract API documents protobuf for both).
fn grpc(ctx: &mut Ctx, router: &dyn MsgRouter, body: &Value, request: &[u8]) -> Result<QueryResult> {
    let Some(path) = field(body, "path") else { return Ok(invalid("missing path", request)) };
    let Some(data) = binary(body, "data") else { return Ok(invalid("missing data", request)) };
    if !ACCEPTED_QUERIES.contains(&path) {
        return Ok(unsupported(format!("'{path}' path is not allowed from the contract")));
    }
    match router.query(ctx, path, &data) {
        // Re-encoded by our own types already: canonical protobuf.
        Ok(bytes) => Ok(SystemResult::Ok(ContractResult::Ok(Binary::from(bytes)))),
        Err(e) => failed(e),
    }
}
