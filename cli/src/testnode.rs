//! Unit-test double of a node's CometBFT JSON-RPC endpoint (HTTP on
//! loopback), so the CLI's whole flow — account query, simulation, signing,
//! broadcast, polling `/tx`, decoding — runs against the real HTTP client and
//! the real response formats of CometBFT v0.38. The chain itself is tested
//! end to end in crates/e2e.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine;
use cosmos_sdk_proto::cosmos::auth::v1beta1::{
    BaseAccount, QueryAccountRequest, QueryAccountResponse,
};
use cosmos_sdk_proto::cosmos::bank::v1beta1::{QueryAllBalancesRequest, QueryAllBalancesResponse};
use cosmos_sdk_proto::cosmos::base::abci::v1beta1::GasInfo;
use cosmos_sdk_proto::cosmos::base::query::v1beta1::PageResponse;
use cosmos_sdk_proto::cosmos::base::v1beta1::Coin as ProtoCoin;
use cosmos_sdk_proto::cosmos::crypto::secp256k1::PubKey;
use cosmos_sdk_proto::cosmos::tx::v1beta1::{AuthInfo, SimulateRequest, SimulateResponse, TxRaw};
use k256::ecdsa::signature::Verifier;
use prost::Message;
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

use crate::error::CliError;
use crate::keyring::{Backend, Keyring};
use crate::{broadcast, coins, hd, query, rpc::Node, tx};

const CHAIN_ID: &str = "venice-fake-1";

#[derive(Default)]
struct State {
    /// address -> (account_number, sequence)
    accounts: BTreeMap<String, (u64, u64)>,
    /// What CheckTx answers instead of verifying: (code, codespace, log).
    check_tx_reject: Option<(u32, String, String)>,
    /// Code the transaction gets in its block.
    deliver_code: u32,
    /// How many `/tx` polls answer "not found" before the tx shows up.
    polls_before_found: usize,
    txs: BTreeMap<String, Vec<u8>>,
    simulated: Vec<Vec<u8>>,
    methods: Vec<String>,
    balance_pages: Vec<Vec<ProtoCoin>>,
}

struct FakeNode {
    url: String,
    state: Arc<Mutex<State>>,
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
    let pk = PubKey::decode(si.public_key.as_ref().unwrap().value.as_slice())
        .unwrap()
        .key;
    let pk: [u8; 33] = pk.try_into().unwrap();
    let addr = hd::account_address(&pk);
    let Some(&(acc_num, seq)) = state.accounts.get(&addr) else {
        return (9, "unknown address".into());
    };
    let doc = tx::sign_doc_bytes(&raw.body_bytes, &raw.auth_info_bytes, CHAIN_ID, acc_num);
    let vk = k256::ecdsa::VerifyingKey::from_sec1_bytes(&pk).unwrap();
    let sig_ok = k256::ecdsa::Signature::from_slice(&raw.signatures[0])
        .map(|s| vk.verify(&doc, &s).is_ok())
        .unwrap_or(false);
    if !sig_ok {
        return (4, "signature verification failed".into());
    }
    if si.sequence != seq {
        return (
            32,
            format!(
                "account sequence mismatch, expected {seq}, got {}",
                si.sequence
            ),
        );
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
                query::ACCOUNT_PATH => {
                    let req = QueryAccountRequest::decode(data.as_slice()).unwrap();
                    match st.accounts.get(&req.address) {
                        Some(&(n, s)) => {
                            let acc = BaseAccount {
                                address: req.address,
                                pub_key: None,
                                account_number: n,
                                sequence: s,
                            };
                            let any = cosmos_sdk_proto::Any {
                                type_url: query::BASE_ACCOUNT_TYPE_URL.into(),
                                value: acc.encode_to_vec(),
                            };
                            Ok(query_ok(
                                &QueryAccountResponse { account: Some(any) }.encode_to_vec(),
                            ))
                        }
                        None => Ok(query_err(
                            22,
                            &format!("account {} not found: key not found", req.address),
                        )),
                    }
                }
                broadcast::SIMULATE_PATH => {
                    let req = SimulateRequest::decode(data.as_slice()).unwrap();
                    st.simulated.push(req.tx_bytes);
                    let res = SimulateResponse {
                        gas_info: Some(GasInfo {
                            gas_wanted: 0,
                            gas_used: 50_000,
                        }),
                        result: None,
                    };
                    Ok(query_ok(&res.encode_to_vec()))
                }
                query::ALL_BALANCES_PATH => {
                    let req = QueryAllBalancesRequest::decode(data.as_slice()).unwrap();
                    let page = req
                        .pagination
                        .map(|p| p.key.first().copied().unwrap_or(0))
                        .unwrap_or(0) as usize;
                    let next = if page + 1 < st.balance_pages.len() {
                        vec![page as u8 + 1]
                    } else {
                        vec![]
                    };
                    let res = QueryAllBalancesResponse {
                        balances: st.balance_pages.get(page).cloned().unwrap_or_default(),
                        pagination: Some(PageResponse {
                            next_key: next,
                            total: 0,
                        }),
                    };
                    Ok(query_ok(&res.encode_to_vec()))
                }
                _ => Ok(query_err(6, &format!("unknown query path {path}"))),
            }
        }
        "broadcast_tx_sync" | "broadcast_tx_async" => {
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(params["tx"].as_str().unwrap())
                .unwrap();
            let hash = tx::tx_hash(&bytes);
            let (code, codespace, log) = match st.check_tx_reject.clone() {
                Some(r) => r,
                None => {
                    let (code, log) = check_tx(&st, &bytes);
                    (
                        code,
                        if code == 0 {
                            String::new()
                        } else {
                            "sdk".into()
                        },
                        log,
                    )
                }
            };
            if code == 0 {
                st.txs.insert(hash.clone(), bytes);
            }
            Ok(json!({"code": code, "data": "", "log": log, "codespace": codespace, "hash": hash}))
        }
        "tx" => {
            let hash = hex::encode_upper(
                base64::engine::general_purpose::STANDARD
                    .decode(params["hash"].as_str().unwrap())
                    .unwrap(),
            );
            let not_found = Err(
                json!({"code": -32603, "message": "Internal error", "data": format!("tx ({hash}) not found")}),
            );
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
            let all: Vec<(String, Vec<u8>)> =
                st.txs.iter().map(|(h, b)| (h.clone(), b.clone())).collect();
            let txs: Vec<Value> = all
                .iter()
                .skip((page - 1) * per_page)
                .take(per_page)
                .enumerate()
                .map(|(i, (hash, bytes))| json!({
                    "hash": hash, "height": (300 + i).to_string(), "index": 0,
                    "tx_result": {"code": 0, "data": null, "log": "", "info": "", "gas_wanted": "1",
                                  "gas_used": "1", "codespace": "", "events": []},
                    "tx": b64(bytes)
                }))
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
        let resp = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{text}",
            text.len()
        );
        if wr.write_all(resp.as_bytes()).await.is_err() {
            return;
        }
    }
}

impl FakeNode {
    async fn start(state: State) -> FakeNode {
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

struct Setup {
    node: FakeNode,
    keyring: Keyring,
    _home: tempfile::TempDir,
    from: String,
    to: String,
}

async fn setup(mut state: State) -> Setup {
    let home = tempfile::tempdir().unwrap();
    let keyring = Keyring::open(home.path(), Backend::Test);
    let rec = keyring.add("alice", &[0x42; 32], None, None).unwrap();
    state.accounts.insert(rec.address.clone(), (7, 3));
    let to = hd::account_address(&hd::public_key(&[0x43; 32]).unwrap());
    Setup {
        node: FakeNode::start(state).await,
        keyring,
        _home: home,
        from: rec.address,
        to,
    }
}

fn opts() -> broadcast::TxOptions {
    broadcast::TxOptions {
        chain_id: None,
        fees: None,
        gas: broadcast::Gas::Fixed(broadcast::DEFAULT_GAS),
        gas_adjustment: coins::Dec::parse("1.3").unwrap(),
        gas_prices: None,
        memo: String::new(),
        timeout_height: 0,
        sequence: None,
        account_number: None,
        broadcast_mode: broadcast::BroadcastMode::Sync,
        wait: true,
        wait_timeout: Duration::from_secs(10),
        yes: true,
    }
}

#[tokio::test]
async fn send_with_auto_gas_waits_for_the_block() {
    let s = setup(State {
        polls_before_found: 2,
        ..State::default()
    })
    .await;
    let node = Node::connect(&s.node.url).unwrap();
    let mut o = opts();
    o.gas = broadcast::Gas::Auto;
    o.gas_prices = Some(coins::parse_dec_coins("0.025uvvv").unwrap());
    let amount = coins::parse_coins("1000uvvv", false).unwrap();
    let out = broadcast::bank_send(&node, &s.keyring, "alice", &s.to, &amount, &o)
        .await
        .unwrap();
    assert!(out.error.is_none(), "{:?}", out.error);
    let r = out.response.to_value();
    assert_eq!(r["code"], 0);
    assert_eq!(r["height"], "233");
    assert_eq!(r["gas_used"], "48000");
    assert_eq!(r["events"][0]["type"], "tx");
    assert_eq!(r["events"][0]["attributes"][0]["value"], "1625uvvv");
    // The signed tx carries the simulated gas x 1.3 and the fee at 0.025/gas.
    assert_eq!(r["tx"]["auth_info"]["fee"]["gas_limit"], "65000");
    assert_eq!(r["tx"]["auth_info"]["fee"]["amount"][0]["amount"], "1625");
    assert_eq!(r["tx"]["auth_info"]["signer_infos"][0]["sequence"], "3");
    assert_eq!(
        r["tx"]["body"]["messages"][0]["from_address"],
        s.from.as_str()
    );
    let st = s.node.state.lock().unwrap();
    // chain id from /status, account from the auth query, one simulation
    // with an empty signature, then broadcast and polling.
    assert_eq!(
        st.methods[..4],
        ["status", "abci_query", "abci_query", "broadcast_tx_sync"]
    );
    assert_eq!(st.methods.iter().filter(|m| *m == "tx").count(), 3);
    assert_eq!(
        TxRaw::decode(st.simulated[0].as_slice())
            .unwrap()
            .signatures,
        vec![Vec::<u8>::new()]
    );
}

#[tokio::test]
async fn check_tx_rejection_is_an_error_with_the_response() {
    let s = setup(State::default()).await;
    let node = Node::connect(&s.node.url).unwrap();
    let mut o = opts();
    o.sequence = Some(9); // the fake checks the sequence like the chain
    o.fees = Some(coins::parse_coins("500uvvv", false).unwrap());
    let amount = coins::parse_coins("1uvvv", false).unwrap();
    let out = broadcast::bank_send(&node, &s.keyring, &s.from, &s.to, &amount, &o)
        .await
        .unwrap();
    assert_eq!(out.response.code, 32);
    assert_eq!(out.response.height, "0");
    let err = out.error.unwrap().to_string();
    assert!(
        err.contains("rejected by CheckTx: code 32 (codespace sdk): account sequence mismatch"),
        "{err}"
    );

    // Wrong chain id: the signature no longer verifies.
    o.sequence = None;
    o.chain_id = Some("other-chain".into());
    let out = broadcast::bank_send(&node, &s.keyring, "alice", &s.to, &amount, &o)
        .await
        .unwrap();
    assert_eq!(out.response.code, 4);
    // Both overrides: no account query at all.
    o.chain_id = None;
    o.sequence = Some(3);
    o.account_number = Some(7);
    s.node.state.lock().unwrap().methods.clear();
    let out = broadcast::bank_send(&node, &s.keyring, "alice", &s.to, &amount, &o)
        .await
        .unwrap();
    assert!(out.error.is_none());
    assert!(
        !s.node
            .state
            .lock()
            .unwrap()
            .methods
            .iter()
            .any(|m| m == "abci_query")
    );
}

#[tokio::test]
async fn failed_execution_and_no_wait() {
    let s = setup(State {
        deliver_code: 5,
        ..State::default()
    })
    .await;
    let node = Node::connect(&s.node.url).unwrap();
    let amount = coins::parse_coins("1uvvv", false).unwrap();
    let out = broadcast::bank_send(&node, &s.keyring, "alice", &s.to, &amount, &opts())
        .await
        .unwrap();
    let err = out.error.unwrap().to_string();
    assert!(
        err.contains("failed in block 233: code 5 (codespace sdk): insufficient funds"),
        "{err}"
    );

    let mut o = opts();
    o.wait = false;
    o.sequence = Some(3);
    let out = broadcast::bank_send(&node, &s.keyring, "alice", &s.to, &amount, &o)
        .await
        .unwrap();
    assert!(out.error.is_none());
    assert_eq!(out.response.height, "0");
    assert_eq!(out.response.txhash.len(), 64);

    // async: the hash only, no polling.
    o.broadcast_mode = broadcast::BroadcastMode::Async;
    o.wait = true;
    s.node.state.lock().unwrap().methods.clear();
    let out = broadcast::bank_send(&node, &s.keyring, "alice", &s.to, &amount, &o)
        .await
        .unwrap();
    assert!(out.error.is_none());
    assert_eq!(out.response.txhash.len(), 64);
    let methods = s.node.state.lock().unwrap().methods.clone();
    assert!(
        methods.iter().any(|m| m == "broadcast_tx_async"),
        "{methods:?}"
    );
    assert!(!methods.iter().any(|m| m == "tx"), "{methods:?}");
}

#[tokio::test]
async fn tx_search_pages() {
    let s = setup(State::default()).await;
    let node = Node::connect(&s.node.url).unwrap();
    let amount = coins::parse_coins("1uvvv", false).unwrap();
    let mut o = opts();
    o.wait = false;
    for seq in 3..6 {
        o.sequence = Some(seq);
        s.node
            .state
            .lock()
            .unwrap()
            .accounts
            .insert(s.from.clone(), (7, seq));
        let out = broadcast::bank_send(&node, &s.keyring, "alice", &s.to, &amount, &o)
            .await
            .unwrap();
        assert!(out.error.is_none(), "{:?}", out.error);
    }
    let v = query::txs(&node, &format!("message.sender='{}'", s.from), 2, 2)
        .await
        .unwrap();
    assert_eq!(v["total_count"], "3");
    assert_eq!(v["count"], "1");
    assert_eq!(v["page_number"], "2");
    assert_eq!(v["page_total"], "2");
    assert_eq!(
        v["txs"][0]["tx"]["body"]["messages"][0]["@type"],
        tx::MSG_SEND_TYPE_URL
    );
    let err = query::txs(&node, "not a query", 1, 2).await.unwrap_err();
    assert!(
        matches!(
            err,
            CliError::BadFlag {
                flag: "--query",
                ..
            }
        ),
        "{err}"
    );
}

#[tokio::test]
async fn queries_and_readable_errors() {
    let coin = |d: &str, a: &str| ProtoCoin {
        denom: d.into(),
        amount: a.into(),
    };
    let s = setup(State {
        balance_pages: vec![vec![coin("ufoo", "1")], vec![coin("uvvv", "25")]],
        ..State::default()
    })
    .await;
    let node = Node::connect(&s.node.url).unwrap();
    let v = query::bank_balances(&node, &s.from, None, None)
        .await
        .unwrap();
    assert_eq!(
        v,
        json!({"balances": [{"denom": "ufoo", "amount": "1"}, {"denom": "uvvv", "amount": "25"}],
               "pagination": {"next_key": null, "total": "2"}})
    );
    let acc = query::auth_account(&node, &s.from, None).await.unwrap();
    assert_eq!(
        (acc["account_number"].as_str(), acc["sequence"].as_str()),
        (Some("7"), Some("3"))
    );
    let err = query::auth_account(&node, &s.to, None).await.unwrap_err();
    assert!(matches!(err, CliError::AccountNotFound(_)), "{err}");
    let err = query::bank_total(&node, None, None).await.unwrap_err();
    assert!(
        err.to_string()
            .contains("code 6 (codespace sdk): unknown query path"),
        "{err}"
    );
    let err = query::tx(&node, &"AB".repeat(32)).await.unwrap_err();
    assert!(matches!(err, CliError::TxNotFound(_)), "{err}");
    let (full, summary) = query::status(&node).await.unwrap();
    assert_eq!(full["node_info"]["network"], CHAIN_ID);
    assert_eq!(summary["latest_block_height"], "232");
    assert_eq!(summary["catching_up"], false);
}
