//! The CLI's flows against the fake node: signing, simulation, broadcast
//! modes, errors, queries.

use std::time::Duration;

use cosmos_sdk_proto::cosmos::base::v1beta1::Coin as ProtoCoin;
use cosmos_sdk_proto::cosmos::tx::v1beta1::TxRaw;
use prost::Message;
use serde_json::json;
use venice_types::coin_text::{parse_coins, parse_dec_coins};
use venice_types::paths;

use super::{CHAIN_ID, FakeNode, State};
use crate::broadcast;
use crate::error::CliError;
use crate::hd;
use crate::keyring::{Backend, Keyring};
use crate::modules::{auth, bank, status, txs, wasm, wasm_query};
use crate::rpc::Node;

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
    Setup { node: FakeNode::start(state).await, keyring, _home: home, from: rec.address, to }
}

fn opts() -> broadcast::TxOptions {
    broadcast::TxOptions::for_tests(Duration::from_secs(10))
}

#[tokio::test]
async fn send_with_auto_gas_waits_for_the_block() {
    let s = setup(State { polls_before_found: 2, ..State::default() }).await;
    let node = Node::connect(&s.node.url).unwrap();
    let mut o = opts();
    o.gas = broadcast::Gas::Auto;
    o.gas_prices = Some(parse_dec_coins("0.025uvvv").unwrap());
    let amount = parse_coins("1000uvvv", false).unwrap();
    let out = bank::send(&node, &s.keyring, "alice", &s.to, &amount, &o).await.unwrap();
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
    assert_eq!(r["tx"]["body"]["messages"][0]["from_address"], s.from.as_str());
    let st = s.node.state.lock().unwrap();
    // chain id from /status, account from the auth query, one simulation
    // with an empty signature, then broadcast and polling.
    assert_eq!(st.methods[..4], ["status", "abci_query", "abci_query", "broadcast_tx_sync"]);
    assert_eq!(st.methods.iter().filter(|m| *m == "tx").count(), 3);
    assert_eq!(TxRaw::decode(st.simulated[0].as_slice()).unwrap().signatures, vec![Vec::<u8>::new()]);
}

#[tokio::test]
async fn check_tx_rejection_is_an_error_with_the_response() {
    let s = setup(State::default()).await;
    let node = Node::connect(&s.node.url).unwrap();
    let mut o = opts();
    o.sequence = Some(9); // the fake checks the sequence like the chain
    o.fees = Some(parse_coins("500uvvv", false).unwrap());
    let amount = parse_coins("1uvvv", false).unwrap();
    let out = bank::send(&node, &s.keyring, &s.from, &s.to, &amount, &o).await.unwrap();
    assert_eq!(out.response.code, 32);
    assert_eq!(out.response.height, "0");
    let err = out.error.unwrap().to_string();
    assert!(err.contains("rejected by CheckTx: code 32 (codespace sdk): account sequence mismatch"), "{err}");

    // Wrong chain id: the signature no longer verifies.
    o.sequence = None;
    o.chain_id = Some("other-chain".into());
    let out = bank::send(&node, &s.keyring, "alice", &s.to, &amount, &o).await.unwrap();
    assert_eq!(out.response.code, 4);
    // Both overrides: no account query at all.
    o.chain_id = None;
    o.sequence = Some(3);
    o.account_number = Some(7);
    s.node.state.lock().unwrap().methods.clear();
    let out = bank::send(&node, &s.keyring, "alice", &s.to, &amount, &o).await.unwrap();
    assert!(out.error.is_none());
    assert!(!s.node.state.lock().unwrap().methods.iter().any(|m| m == "abci_query"));
}

#[tokio::test]
async fn failed_execution_and_no_wait() {
    let s = setup(State { deliver_code: 5, ..State::default() }).await;
    let node = Node::connect(&s.node.url).unwrap();
    let amount = parse_coins("1uvvv", false).unwrap();
    let out = bank::send(&node, &s.keyring, "alice", &s.to, &amount, &opts()).await.unwrap();
    let err = out.error.unwrap().to_string();
    assert!(err.contains("failed in block 233: code 5 (codespace sdk): insufficient funds"), "{err}");

    let mut o = opts();
    o.wait = false;
    o.sequence = Some(3);
    let out = bank::send(&node, &s.keyring, "alice", &s.to, &amount, &o).await.unwrap();
    assert!(out.error.is_none());
    assert_eq!(out.response.height, "0");
    assert_eq!(out.response.txhash.len(), 64);

    // async: the hash only, no polling.
    o.broadcast_mode = broadcast::BroadcastMode::Async;
    o.wait = true;
    s.node.state.lock().unwrap().methods.clear();
    let out = bank::send(&node, &s.keyring, "alice", &s.to, &amount, &o).await.unwrap();
    assert!(out.error.is_none());
    assert_eq!(out.response.txhash.len(), 64);
    let methods = s.node.state.lock().unwrap().methods.clone();
    assert!(methods.iter().any(|m| m == "broadcast_tx_async"), "{methods:?}");
    assert!(!methods.iter().any(|m| m == "tx"), "{methods:?}");
}

#[tokio::test]
async fn tx_search_pages() {
    let s = setup(State::default()).await;
    let node = Node::connect(&s.node.url).unwrap();
    let amount = parse_coins("1uvvv", false).unwrap();
    let mut o = opts();
    o.wait = false;
    for seq in 3..6 {
        o.sequence = Some(seq);
        s.node.state.lock().unwrap().accounts.insert(s.from.clone(), (7, seq));
        let out = bank::send(&node, &s.keyring, "alice", &s.to, &amount, &o).await.unwrap();
        assert!(out.error.is_none(), "{:?}", out.error);
    }
    let v = txs::txs(&node, &format!("message.sender='{}'", s.from), 2, 2).await.unwrap();
    assert_eq!(v["total_count"], "3");
    assert_eq!(v["count"], "1");
    assert_eq!(v["page_number"], "2");
    assert_eq!(v["page_total"], "2");
    assert_eq!(v["txs"][0]["tx"]["body"]["messages"][0]["@type"], paths::MSG_SEND_URL);
    let err = txs::txs(&node, "not a query", 1, 2).await.unwrap_err();
    assert!(matches!(err, CliError::BadFlag { flag: "--query", .. }), "{err}");
}

#[tokio::test]
async fn queries_and_readable_errors() {
    let coin = |d: &str, a: &str| ProtoCoin { denom: d.into(), amount: a.into() };
    let s = setup(State { balance_pages: vec![vec![coin("ufoo", "1")], vec![coin("uvvv", "25")]], ..State::default() }).await;
    let node = Node::connect(&s.node.url).unwrap();
    let v = bank::balances(&node, &s.from, None, None).await.unwrap();
    assert_eq!(
        v,
        json!({"balances": [{"denom": "ufoo", "amount": "1"}, {"denom": "uvvv", "amount": "25"}],
               "pagination": {"next_key": null, "total": "2"}})
    );
    let acc = auth::account(&node, &s.from, None).await.unwrap();
    assert_eq!((acc["account_number"].as_str(), acc["sequence"].as_str()), (Some("7"), Some("3")));
    let err = auth::account(&node, &s.to, None).await.unwrap_err();
    assert!(matches!(err, CliError::AccountNotFound(_)), "{err}");
    let err = bank::total(&node, None, None).await.unwrap_err();
    assert!(err.to_string().contains("code 6 (codespace sdk): unknown query path"), "{err}");
    let err = txs::tx(&node, &"AB".repeat(32)).await.unwrap_err();
    assert!(matches!(err, CliError::TxNotFound(_)), "{err}");
    let (full, summary) = status::status(&node).await.unwrap();
    assert_eq!(full["node_info"]["network"], CHAIN_ID);
    assert_eq!(summary["latest_block_height"], "232");
    assert_eq!(summary["catching_up"], false);
}

#[tokio::test]
async fn contract_and_key_addresses_both_reach_the_node() {
    // A 32-byte (contract) address and a 20-byte (key) one pass the CLI's
    // checks, as the chain accepts both: the queries and the send get to
    // the node instead of failing in the CLI.
    let s = setup(State { balance_pages: vec![vec![ProtoCoin { denom: "uvvv".into(), amount: "9".into() }]], ..State::default() }).await;
    let node = Node::connect(&s.node.url).unwrap();
    let contract = venice_types::Address::from_bytes(&[7u8; 32]).unwrap().to_bech32();
    for addr in [contract.as_str(), s.to.as_str()] {
        s.node.state.lock().unwrap().methods.clear();
        let v = bank::balances(&node, addr, None, None).await.unwrap();
        assert_eq!(v["balances"][0]["amount"], "9", "{addr}");
        assert_eq!(s.node.state.lock().unwrap().methods, ["abci_query"]);
        // Not found on the (fake) chain, which is a node answer.
        let err = auth::account(&node, addr, None).await.unwrap_err();
        assert!(matches!(err, CliError::AccountNotFound(_)), "{err}");
    }
    let mut o = opts();
    o.fees = Some(parse_coins("500uvvv", false).unwrap());
    let amount = parse_coins("1uvvv", false).unwrap();
    let out = bank::send(&node, &s.keyring, "alice", &contract, &amount, &o).await.unwrap();
    assert!(out.error.is_none(), "{:?}", out.error);
    assert_eq!(out.response.to_value()["tx"]["body"]["messages"][0]["to_address"], contract.as_str());
}

#[tokio::test]
async fn wasm_queries_and_execute_over_abci() {
    let mut state = State::default();
    state.contract_state.insert(b"k1".to_vec(), b"v1".to_vec());
    state.contract_state.insert(b"k2".to_vec(), b"v2".to_vec());
    let s = setup(state).await;
    let node = Node::connect(&s.node.url).unwrap();
    let contract = venice_types::contract_address::classic(1, 1).to_bech32();

    let answer = wasm_query::smart(&node, &contract, br#"{"get":{"key":"k"}}"#, None).await.unwrap();
    assert_eq!(answer, json!({"address": contract, "query": {"get": {"key": "k"}}}));
    assert_eq!(wasm_query::raw(&node, &contract, b"k1".to_vec(), None).await.unwrap(), Some(b"v1".to_vec()));
    assert_eq!(wasm_query::raw(&node, &contract, b"nope".to_vec(), None).await.unwrap(), None);
    // Two pages, both followed.
    let all = wasm_query::all_state(&node, &contract, None).await.unwrap();
    assert_eq!(all["models"], json!([{"key": "6B31", "value": "djE="}, {"key": "6B32", "value": "djI="}]));
    assert!(wasm_query::smart(&node, "nope", b"{}", None).await.is_err());

    // A signed MsgExecuteContract goes through the shared broadcast flow.
    let key = s.keyring.get("alice").unwrap();
    let msg = wasm::msg_execute(&key.address, &contract, br#"{"set":{"key":"k","value":"v"}}"#.to_vec(), &[]);
    let out = broadcast::sign_and_broadcast(&node, &s.keyring, &key, vec![msg], &opts()).await.unwrap();
    assert!(out.error.is_none());
    let st = s.node.state.lock().unwrap();
    let raw = TxRaw::decode(st.txs.values().next().unwrap().as_slice()).unwrap();
    let body = cosmos_sdk_proto::cosmos::tx::v1beta1::TxBody::decode(raw.body_bytes.as_slice()).unwrap();
    assert_eq!(body.messages[0].type_url, "/cosmwasm.wasm.v1.MsgExecuteContract");
}
