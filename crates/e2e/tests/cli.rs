//! The `venice` CLI against a real chain: keys, sends, balances, events, the
//! kv indexer, and the CLI's readable failures.

use std::process::Output;
use std::time::Duration;

use serde_json::json;
use venice_e2e::stdout_json;
use venice_e2e::tx::{balance, event_attrs, has_attr};
use venice_e2e::{Chain, rpc::as_u64};

const ALICE_START: u128 = 10_000_000_000;

/// `venice tx bank send` with the node, chain id and test keyring filled in.
fn send(chain: &Chain, from: &str, to: &str, amount: &str, extra: &[&str]) -> Output {
    chain.bank_send_to(&chain.rpc.url(), &chain.chain_id, from, to, amount, extra)
}

fn query_balance_cli(chain: &Chain, addr: &str) -> u128 {
    let node = chain.rpc.url();
    let out = chain.venice(&["query", "bank", "balances", addr, "--node", &node, "--output", "json"]);
    assert!(out.status.success(), "query bank balances failed");
    let v = stdout_json(&out);
    v["balances"]
        .as_array()
        .expect("balances array")
        .iter()
        .find(|c| c["denom"] == "uvvv")
        .map(|c| c["amount"].as_str().unwrap().parse().unwrap())
        .unwrap_or(0)
}

#[test]
fn cli_send_balances_events_and_indexer() {
    let mut chain = Chain::init("venice-e2e-cli");
    let alice = chain.key_add("alice");
    let bob = chain.key_add("bob");
    assert!(alice.starts_with("venice1") && bob.starts_with("venice1"), "bech32 prefix venice: {alice} {bob}");
    chain.add_genesis_account(&alice, &format!("{ALICE_START}uvvv"));
    chain.start();
    let node = chain.rpc.url();

    // status answers with the chain id and a live height.
    let out = chain.venice(&["status", "--node", &node, "--output", "json"]);
    assert!(out.status.success(), "venice status failed");
    let status = stdout_json(&out).to_string();
    assert!(status.contains(&chain.chain_id), "status names the chain: {status}");

    assert_eq!(query_balance_cli(&chain, &alice), ALICE_START);
    assert_eq!(query_balance_cli(&chain, &bob), 0);

    // A send with an explicit fee.
    let out = send(&chain, "alice", &bob, "1234567uvvv", &["--fees", "5000uvvv"]);
    assert!(out.status.success(), "send failed");
    let resp = stdout_json(&out);
    assert_eq!(resp["code"], 0, "send result: {resp}");
    let hash = resp["txhash"].as_str().unwrap().to_string();
    assert_eq!(hash.len(), 64);
    assert!(as_u64(&resp["height"]) > 0, "send waited for inclusion: {resp}");
    assert!(as_u64(&resp["gas_used"]) > 0 && as_u64(&resp["gas_used"]) <= as_u64(&resp["gas_wanted"]));

    assert_eq!(query_balance_cli(&chain, &bob), 1_234_567);
    assert_eq!(query_balance_cli(&chain, &alice), ALICE_START - 1_234_567 - 5_000);
    // The CLI and the gRPC-path ABCI query agree.
    assert_eq!(balance(&chain.rpc, &alice).unwrap(), ALICE_START - 1_234_567 - 5_000);

    // `venice query tx` shows the SDK events.
    let out = chain.venice(&["query", "tx", &hash, "--node", &node, "--output", "json"]);
    assert!(out.status.success(), "query tx failed");
    let tx = stdout_json(&out);
    assert_eq!(tx["code"], 0);
    let attrs = event_attrs(&tx["events"]);
    let expect = [
        ("transfer", "recipient", bob.as_str()),
        ("transfer", "sender", alice.as_str()),
        ("transfer", "amount", "1234567uvvv"),
        ("coin_spent", "spender", alice.as_str()),
        ("coin_spent", "amount", "1234567uvvv"),
        ("coin_received", "receiver", bob.as_str()),
        ("coin_received", "amount", "1234567uvvv"),
        ("message", "action", "/cosmos.bank.v1beta1.MsgSend"),
        ("message", "sender", alice.as_str()),
        ("message", "module", "bank"),
        ("tx", "fee", "5000uvvv"),
        ("tx", "acc_seq", &format!("{alice}/0")),
    ];
    for (ty, key, value) in expect {
        assert!(has_attr(&attrs, ty, key, value), "event {ty}.{key}={value} missing from {attrs:#?}");
    }
    assert!(attrs.iter().any(|(t, k, v)| t == "tx" && k == "signature" && !v.is_empty()), "tx.signature event");

    // CometBFT's kv indexer finds the tx by hash and by its events.
    let by_hash = chain.rpc.call("tx", json!({"hash": venice_e2e::rpc::to_b64(&hex::decode(&hash).unwrap())})).unwrap();
    assert_eq!(by_hash["hash"], hash);
    for query in [
        format!("transfer.recipient='{bob}'"),
        format!("message.sender='{alice}' AND message.action='/cosmos.bank.v1beta1.MsgSend'"),
        format!("tx.acc_seq='{alice}/0'"),
    ] {
        let found = chain.rpc.call("tx_search", json!({"query": query, "prove": false})).unwrap();
        assert_eq!(as_u64(&found["total_count"]), 1, "tx_search {query}: {found}");
        assert_eq!(found["txs"][0]["hash"], hash, "tx_search {query}");
    }

    // Gas estimated by simulation; the fee from a gas price.
    let out = send(&chain, "alice", &bob, "1000uvvv", &["--gas", "auto", "--gas-adjustment", "1.5", "--gas-prices", "0.0025uvvv"]);
    assert!(out.status.success(), "send with --gas auto failed");
    let resp = stdout_json(&out);
    assert_eq!(resp["code"], 0, "{resp}");
    let (wanted, used) = (as_u64(&resp["gas_wanted"]), as_u64(&resp["gas_used"]));
    assert!(used > 0 && used <= wanted, "auto gas covers the use: wanted {wanted}, used {used}");
    assert!(wanted < 200_000, "auto gas is an estimate, not the default 200000: {wanted}");
    assert_eq!(query_balance_cli(&chain, &bob), 1_235_567);

    // Two sends, so the account's sequence is 2.
    let out = chain.venice(&["query", "auth", "account", &alice, "--node", &node, "--output", "json"]);
    assert!(out.status.success(), "query auth account failed");
    let acct = stdout_json(&out).to_string();
    assert!(acct.contains(&alice), "account names its address: {acct}");
    let (_, seq) = venice_e2e::tx::account(&chain.rpc, &alice).unwrap().expect("alice exists");
    assert_eq!(seq, 2);

    // Readable failures from the CLI, with the chain's code, non-zero exit.
    let cases: [(&[&str], &str, u64); 4] = [
        (&["--fees", "5000uvvv", "--sequence", "7"], "1000uvvv", 32),
        (&["--fees", "1uvvv"], "1000uvvv", 13),
        (&["--fees", "5000uvvv"], "999999999999999uvvv", 5),
        (&["--fees", "5000uvvv", "--account-number", "4242"], "1000uvvv", 4),
    ];
    for (flags, amount, code) in cases {
        let before = chain.height();
        let out = send(&chain, "alice", &bob, amount, flags);
        assert!(!out.status.success(), "send {flags:?} {amount} should fail");
        let all = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        assert!(
            all.contains(&format!("\"code\":{code}")) || all.contains(&format!("code {code}")),
            "{flags:?}: expected code {code} in: {all}"
        );
        assert!(chain.height() >= before);
    }
    // A wrong chain id: the node's signature check refuses it.
    let out = chain.bank_send_to(&node, "not-this-chain", "alice", &bob, "1uvvv", &["--fees", "5000uvvv"]);
    assert!(!out.status.success(), "wrong chain id must fail");
    let resp = stdout_json(&out);
    assert_eq!((resp["codespace"].as_str(), resp["code"].as_u64()), (Some("sdk"), Some(4)), "{resp}");
    assert!(resp["raw_log"].as_str().unwrap().contains("chain-id (venice-e2e-cli)"), "{resp}");

    // Unknown key and unreachable node give readable errors, not panics.
    let out = send(&chain, "nobody", &bob, "1uvvv", &["--fees", "5000uvvv"]);
    assert!(!out.status.success());
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
    let out = chain.venice(&["query", "bank", "balances", &alice, "--node", "http://127.0.0.1:1"]);
    assert!(!out.status.success());
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));

    // The failed sends above charged at most fees; bob got only the two sends.
    assert_eq!(query_balance_cli(&chain, &bob), 1_235_567);
    chain.wait_height(chain.height() + 1, Duration::from_secs(10));

    // veniced's Prometheus metrics saw the delivered sends and the refusals.
    let metrics = chain.metrics();
    let series = |name: &str| -> u64 {
        metrics.lines().find_map(|l| l.strip_prefix(name).and_then(|v| v.strip_prefix(' '))).and_then(|v| v.parse().ok()).unwrap_or(0)
    };
    assert!(series("veniced_txs_total{codespace=\"\",code=\"0\"}") >= 2, "{metrics}");
    assert!(series("veniced_check_tx_total{result=\"rejected\"}") >= 1, "{metrics}");
    assert!(series("veniced_block_height") >= chain.height().saturating_sub(2), "{metrics}");
}
