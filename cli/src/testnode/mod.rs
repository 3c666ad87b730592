//! Unit-test double of a node's CometBFT JSON-RPC endpoint (HTTP on
//! loopback; its tests are in `tests.rs`), so the CLI's whole flow — account query, simulation, signing,
//! broadcast, polling `/tx`, decoding — runs against the real HTTP client and
//! the real response formats of CometBFT v0.38. The chain itself is tested
//! end to end in crates/e2e.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use base64::Engine;
use cosmos_sdk_proto::cosmos::auth::v1beta1::{BaseAccount, QueryAccountRequest, QueryAccountResponse};
use cosmos_sdk_proto::cosmos::bank::v1beta1::{QueryAllBalancesRequest, QueryAllBalancesResponse};
use cosmos_sdk_proto::cosmos::base::abci::v1beta1::GasInfo;
use cosmos_sdk_proto::cosmos::base::query::v1beta1::PageResponse;
use cosmos_sdk_proto::cosmos::base::v1beta1::Coin as ProtoCoin;
use cosmos_sdk_proto::cosmos::crypto::secp256k1::PubKey;
use cosmos_sdk_proto::cosmos::tx::v1beta1::{AuthInfo, SimulateRequest, SimulateResponse, TxRaw};
use cosmos_sdk_proto::cosmwasm::wasm::v1::{
    Model, QueryAllContractStateRequest, QueryAllContractStateResponse, QueryRawContractStateRequest, QueryRawContractStateResponse,
    QuerySmartContractStateRequest, QuerySmartContractStateResponse,
};
use k256::ecdsa::signature::Verifier;
use prost::Message;
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

use crate::hd;
use venice_types::paths;
use venice_types::tx::{sign_doc_bytes, tx_hash};

pub const CHAIN_ID: &str = "venice-fake-1";

#[derive(Default)]
pub struct State {
    /// address -> (account_number, sequence)
    pub accounts: BTreeMap<String, (u64, u64)>,
    /// What CheckTx answers instead of verifying: (code, codespace, log).
    pub check_tx_reject: Option<(u32, String, String)>,
    /// Code the transaction gets in its block.
    pub deliver_code: u32,
    /// How many `/tx` polls answer "not found" before the tx shows up.
    pub polls_before_found: usize,
    pub txs: BTreeMap<String, Vec<u8>>,
    pub simulated: Vec<Vec<u8>>,
    pub methods: Vec<String>,
    pub balance_pages: Vec<Vec<ProtoCoin>>,
    /// One contract's storage, for the `cosmwasm.wasm.v1` queries (one
    /// model per page for AllContractState).
    pub contract_state: BTreeMap<Vec<u8>, Vec<u8>>,
}

pub struct FakeNode {
    pub url: String,
    pub state: Arc<Mutex<State>>,
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn status_result() -> Value {
    json!({
        "node_info": {
            "protocol_version": {"p2p": "8", "block": "11", "app": "1"},
            "id": "cf4a66aa29e5123abfdfbdf485da6788bb8e46d1",
            "listen_addr": "tcp://0.0.0.0:26656",
            "network": CHAIN_ID,
            "version": "0.38.17",
            "channels": "40202122233038606100",
            "moniker": "fake",
            "other": {"tx_index": "on", "rpc_address": "tcp://0.0.0.0:26657"}
        },
        "sync_info": {
            "latest_block_hash": "B647CF507155BADAC86FADD00E38B065C63A84953A847AA9FA99DB1CEE6C4DA9",
            "latest_app_hash": "0600000000000000",
            "latest_block_height": "232",
            "latest_block_time": "2026-01-01T00:00:00.5Z",
            "earliest_block_hash": "6CD5CF4E23A49D9BC073D6F305D29D1B8B5193B534C237696D42FEA5AFBCD520",
            "earliest_app_hash": "0000000000000000",
            "earliest_block_height": "1",
            "earliest_block_time": "2026-01-01T00:00:00Z",
            "catching_up": false
        },
        "validator_info": {
            "address": "2DD9F44FD9067555C322243C3C913BA7B51D2BE0",
            "pub_key": {"type": "tendermint/PubKeyEd25519", "value": "bNNlGls5R25wC3Sd8720F/3+7IZBhXcD22MNFtPk/v0="},
            "voting_power": "10"
        }
    })
}

fn query_ok(value: &[u8]) -> Value {
    json!({"response": {"code": 0, "log": "", "info": "", "index": "0", "key": null,
        "value": b64(value), "proofOps": null, "height": "232", "codespace": ""}})
}

fn query_err(code: u32, log: &str) -> Value {
    json!({"response": {"code": code, "log": log, "info": "", "index": "0", "key": null,
        "value": null, "proofOps": null, "height": "232", "codespace": "sdk"}})
}

/// CheckTx as a node would do it for a single-signer tx: signature over the
/// SignDoc with the account's number, then the sequence.
fn check_tx(state: &State, bytes: &[u8]) -> (u32, String) {
    let Ok(raw) = TxRaw::decode(bytes) else {
        return (2, "tx parse error".into());
    };
    let Ok(auth) = AuthInfo::decode(raw.auth_info_bytes.as_slice()) else {
        return (2, "bad auth info".into());
    };
    let si = &auth.signer_infos[0];
    let pk = PubKey::decode(si.public_key.as_ref().unwrap().value.as_slice()).unwrap().key;
    let pk: [u8; 33] = pk.try_into().unwrap();
    let addr = hd::account_address(&pk);
    let Some(&(acc_num, seq)) = state.accounts.get(&addr) else {
        return (9, "unknown address".into());
    };
    let doc = sign_doc_bytes(&raw.body_bytes, &raw.auth_info_bytes, CHAIN_ID, acc_num);
    let vk = k256::ecdsa::VerifyingKey::from_sec1_bytes(&pk).unwrap();
    let sig_ok = k256::ecdsa::Signature::from_slice(&raw.signatures[0]).map(|s| vk.verify(&doc, &s).is_ok()).unwrap_or(false);
    if !sig_ok {
        return (4, "signature verification failed".into());
    }
    if si.sequence != seq {
        return (32, format!("account sequence mismatch, expected {seq}, got {}", si.sequence));
    }
    (0, String::new())
}

fn handle(state: &Mutex<State>, method: &str, params: &Value) -> Result<Value, Value> {
    let mut st = state.lock().unwrap();
    st.methods.push(method.to_string());
    match method {
        "status" => Ok(status_result()),
        "abci_query" => {
            let path = params["path"].as_str().unwrap_or_default();
            let data = hex::decode(params["data"].as_str().unwrap_or_default()).unwrap();
            match path {
                paths::auth::ACCOUNT => {
                    let req = QueryAccountRequest::decode(data.as_slice()).unwrap();
                    match st.accounts.get(&req.address) {
                        Some(&(n, s)) => {
                            let acc = BaseAccount { address: req.address, pub_key: None, account_number: n, sequence: s };
                            let any = cosmos_sdk_proto::Any { type_url: paths::BASE_ACCOUNT_URL.into(), value: acc.encode_to_vec() };
                            Ok(query_ok(&QueryAccountResponse { account: Some(any) }.encode_to_vec()))
                        }
                        None => Ok(query_err(22, &format!("account {} not found: key not found", req.address))),
                    }
                }
                paths::SIMULATE => {
                    let req = SimulateRequest::decode(data.as_slice()).unwrap();
                    st.simulated.push(req.tx_bytes);
                    let res = SimulateResponse { gas_info: Some(GasInfo { gas_wanted: 0, gas_used: 50_000 }), result: None };
                    Ok(query_ok(&res.encode_to_vec()))
                }
                paths::bank::ALL_BALANCES => {
                    let req = QueryAllBalancesRequest::decode(data.as_slice()).unwrap();
                    let page = req.pagination.map(|p| p.key.first().copied().unwrap_or(0)).unwrap_or(0) as usize;
                    let next = if page + 1 < st.balance_pages.len() { vec![page as u8 + 1] } else { vec![] };
                    let res = QueryAllBalancesResponse {
                        balances: st.balance_pages.get(page).cloned().unwrap_or_default(),
                        pagination: Some(PageResponse { next_key: next, total: 0 }),
                    };
                    Ok(query_ok(&res.encode_to_vec()))
                }
                paths::wasm::SMART_CONTRACT_STATE => {
                    // Answers with the query it got, so a test sees what the CLI sent.
                    let req = QuerySmartContractStateRequest::decode(data.as_slice()).unwrap();
                    let query: Value = serde_json::from_slice(&req.query_data).unwrap();
                    let data = serde_json::to_vec(&json!({ "address": req.address, "query": query })).unwrap();
                    Ok(query_ok(&QuerySmartContractStateResponse { data }.encode_to_vec()))
                }
                paths::wasm::RAW_CONTRACT_STATE => {
                    let req = QueryRawContractStateRequest::decode(data.as_slice()).unwrap();
                    let data = st.contract_state.get(&req.query_data).cloned().unwrap_or_default();
                    Ok(query_ok(&QueryRawContractStateResponse { data }.encode_to_vec()))
                }
                paths::wasm::ALL_CONTRACT_STATE => {
                    let req = QueryAllContractStateRequest::decode(data.as_slice()).unwrap();
                    let key = req.pagination.map(|p| p.key).unwrap_or_default();
                    let mut rest = st.contract_state.range(key..);
                    let models = rest.next().map(|(k, v)| Model { key: k.clone(), value: v.clone() }).into_iter().collect();
                    let next_key = rest.next().map(|(k, _)| k.clone()).unwrap_or_default();
                    let res = QueryAllContractStateResponse { models, pagination: Some(PageResponse { next_key, total: 0 }) };
                    Ok(query_ok(&res.encode_to_vec()))
                }
                _ => Ok(query_err(6, &format!("unknown query path {path}"))),
            }
        }
        "broadcast_tx_sync" | "broadcast_tx_async" => {
            let bytes = base64::engine::general_purpose::STANDARD.decode(params["tx"].as_str().unwrap()).unwrap();
            let hash = tx_hash(&bytes);
            let (code, codespace, log) = match st.check_tx_reject.clone() {
                Some(r) => r,
                None => {
                    let (code, log) = check_tx(&st, &bytes);
                    (code, if code == 0 { String::new() } else { "sdk".into() }, log)
                }
            };
            if code == 0 {
                st.txs.insert(hash.clone(), bytes);
            }
            Ok(json!({"code": code, "data": "", "log": log, "codespace": codespace, "hash": hash}))
        }
        "tx" => {
            let hash = hex::encode_upper(base64::engine::general_purpose::STANDARD.decode(params["hash"].as_str().unwrap()).unwrap());
            let not_found = Err(json!({"code": -32603, "message": "Internal error", "data": format!("tx ({hash}) not found")}));
            if st.polls_before_found > 0 {
                st.polls_before_found -= 1;
                return not_found;
            }
            let Some(bytes) = st.txs.get(&hash).cloned() else {
                return not_found;
            };
            let code = st.deliver_code;
            Ok(json!({
                "hash": hash, "height": "233", "index": 0,
                "tx_result": {
                    "code": code, "data": null, "log": if code == 0 { "" } else { "insufficient funds" },
                    "info": "", "gas_wanted": "65000", "gas_used": "48000", "codespace": if code == 0 { "" } else { "sdk" },
                    "events": [
                        {"type": "tx", "attributes": [{"key": "fee", "value": "1625uvvv", "index": true}]},
                        {"type": "message", "attributes": [{"key": "action", "value": "/cosmos.bank.v1beta1.MsgSend", "index": true}]}
                    ]
                },
                "tx": b64(&bytes)
            }))
        }
        "tx_search" => {
            // Every stored tx matches; one page of `per_page`.
            let per_page: usize = params["per_page"].as_str().unwrap_or("30").parse().unwrap();
            let page: usize = params["page"].as_str().unwrap_or("1").parse().unwrap();
            let all: Vec<(String, Vec<u8>)> = st.txs.iter().map(|(h, b)| (h.clone(), b.clone())).collect();
            let txs: Vec<Value> = all
                .iter()
                .skip((page - 1) * per_page)
                .take(per_page)
                .enumerate()
                .map(|(i, (hash, bytes))| {
                    json!({
                        "hash": hash, "height": (300 + i).to_string(), "index": 0,
                        "tx_result": {"code": 0, "data": null, "log": "", "info": "", "gas_wanted": "1",
                                      "gas_used": "1", "codespace": "", "events": []},
                        "tx": b64(bytes)
                    })
                })
                .collect();
            Ok(json!({"txs": txs, "total_count": all.len().to_string()}))
        }
        other => Err(json!({"code": -32601, "message": "Method not found", "data": other})),
    }
}

async fn serve_conn(stream: tokio::net::TcpStream, state: Arc<Mutex<State>>) {
    let (rd, mut wr) = stream.into_split();
    let mut rd = BufReader::new(rd);
    loop {
        let mut len = 0usize;
        loop {
            let mut line = String::new();
            if rd.read_line(&mut line).await.unwrap_or(0) == 0 {
                return;
            }
            let l = line.trim_end();
            if l.is_empty() {
                break;
            }
            if let Some((k, v)) = l.split_once(':')
                && k.eq_ignore_ascii_case("content-length")
            {
                len = v.trim().parse().unwrap();
            }
        }
        let mut body = vec![0u8; len];
        rd.read_exact(&mut body).await.unwrap();
        let req: Value = serde_json::from_slice(&body).unwrap();
        let method = req["method"].as_str().unwrap_or_default().to_string();
        let reply = match handle(&state, &method, &req["params"]) {
            Ok(result) => json!({"jsonrpc": "2.0", "id": req["id"], "result": result}),
            Err(error) => json!({"jsonrpc": "2.0", "id": req["id"], "error": error}),
        };
        let text = reply.to_string();
        let resp = format!("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{text}", text.len());
        if wr.write_all(resp.as_bytes()).await.is_err() {
            return;
        }
    }
}

impl FakeNode {
    pub async fn start(state: State) -> FakeNode {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("tcp://{}", listener.local_addr().unwrap());
        let state = Arc::new(Mutex::new(state));
        let st = state.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve_conn(stream, st.clone()));
            }
        });
        FakeNode { url, state }
    }
}

#[cfg(test)]
mod tests;
