//! Slashing on the real 4-validator localnet (`localnet/init-multi.sh`,
//! 300 ms blocks, a 10-block downtime window):
//!
//! - a validator whose node is stopped past the window is jailed and
//!   slashed 1% (CometBFT's /validators drops it); restarted, and once its
//!   jail time has passed, `venice tx slashing unjail` brings it back;
//! - a second CometBFT + veniced pair started with a copy of one
//!   validator's `priv_validator_key.json` (fresh signing state) signs
//!   conflicting votes: CometBFT commits the duplicate-vote evidence, the
//!   validator is slashed 5%, jailed and tombstoned, and the other three
//!   keep finalising;
//! - in both, every node reports the same header (app hash included) at
//!   every height.

use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use venice_e2e::localnet::{Net, one_network, open_node};
use venice_e2e::rpc::as_u64;
use venice_e2e::{Chain, wait_for};
use venice_types::Address;
use venice_types::time::Timestamp;

const N: usize = 4;
const VVV: u128 = 1_000_000;

fn init(chain_id: &str, extra: &[&str]) -> Net {
    // Room for a fifth node's ports after the four.
    Net::init(N, 1, chain_id, extra)
}

/// Base64 ed25519 public key of a node's consensus key.
fn cons_pubkey(home: &Path) -> String {
    let key: Value = serde_json::from_slice(&std::fs::read(home.join("config/priv_validator_key.json")).unwrap()).unwrap();
    key["pub_key"]["value"].as_str().unwrap().to_string()
}

fn valcons(pubkey_b64: &str) -> String {
    Address::consensus(&venice_e2e::rpc::b64(pubkey_b64)).to_valcons()
}

/// CometBFT's validator set at the latest height: (pub key, power).
fn comet_set(node: &Chain) -> Vec<(String, u64)> {
    let r = node.rpc.call("validators", json!({"per_page": "100"})).expect("/validators");
    r["validators"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| (v["pub_key"]["value"].as_str().unwrap().to_string(), as_u64(&v["voting_power"])))
        .collect()
}

fn latest_block_time(node: &Chain) -> Timestamp {
    let s = node.rpc.call("status", json!({})).unwrap();
    Timestamp::parse_rfc3339(s["sync_info"]["latest_block_time"].as_str().unwrap()).unwrap()
}

#[test]
fn a_validator_down_past_the_window_is_jailed_slashed_and_unjails() {
    let _one = one_network();
    let mut net = init("venice-e2e-downtime", &["--signed-blocks-window", "10", "--downtime-jail-duration", "15s"]);
    net.start();
    let key1 = cons_pubkey(&net.nodes[1].home);
    assert_eq!(net.validator(0, 1).tokens, (1100 * VVV).to_string());
    let params = net.cli_query(0, &["slashing", "params"]);
    assert_eq!(params["params"]["signed_blocks_window"], "10");
    assert_eq!(params["params"]["downtime_jail_duration"], "15s");

    // Node 1 (1100 of 4600 power) stops: the rest still commit, and after
    // more than half of a 10-block window missed it is jailed.
    net.nodes[1].stop("cometbft");
    net.nodes[1].stop("veniced");
    let started = Instant::now();
    wait_for("validator 1 jailed", Duration::from_secs(90), || net.validator(0, 1).jailed.then_some(()));
    eprintln!("jailed after {:?}", started.elapsed());
    let v = net.validator(0, 1);
    assert_eq!(v.tokens, (1089 * VVV).to_string(), "1% of its 1100 power burned");
    let h = net.nodes[0].height();
    net.nodes[0].wait_height(h + 3, Duration::from_secs(30));
    let set = comet_set(&net.nodes[0]);
    assert_eq!(set.len(), 3, "{set:?}");
    assert!(!set.iter().any(|(k, _)| k == &key1), "CometBFT dropped it");
    // Signing info by consensus pubkey JSON (as `tendermint show-validator` prints it).
    let pk = json!({"@type": "/cosmos.crypto.ed25519.PubKey", "key": key1}).to_string();
    let info = net.cli_query(0, &["slashing", "signing-info", &pk]);
    let info = &info["val_signing_info"];
    assert_eq!(info["address"], valcons(&key1));
    assert_eq!(info["tombstoned"], false);
    assert_eq!(info["missed_blocks_counter"], "0", "a fresh window after the jail");
    let jailed_until = Timestamp::parse_rfc3339(info["jailed_until"].as_str().unwrap()).unwrap();
    assert!(jailed_until.secs > 0);
    let infos = net.cli_query(2, &["slashing", "signing-infos"]);
    assert_eq!(infos["info"].as_array().unwrap().len(), N);

    // Back up: it catches up, and once the jail time has passed its
    // operator unjails it with the CLI.
    net.nodes[1].start_veniced();
    net.nodes[1].start_cometbft();
    let target = net.nodes[0].height() + 2;
    net.nodes[1].wait_height(target, Duration::from_secs(90));
    wait_for("jail time over", Duration::from_secs(60), || (latest_block_time(&net.nodes[0]) > jailed_until).then_some(()));
    let node = net.node_url(0);
    let out = net.nodes[1].venice(&[
        "tx",
        "slashing",
        "unjail",
        "--from",
        "val1",
        "--fees",
        "5000uvvv",
        "--chain-id",
        &net.chain_id,
        "--node",
        &node,
        "--keyring-backend",
        "test",
        "--yes",
        "--output",
        "json",
    ]);
    assert!(out.status.success(), "unjail: {}", String::from_utf8_lossy(&out.stderr));
    assert!(!net.validator(0, 1).jailed);
    wait_for("validator 1 back in CometBFT's set", Duration::from_secs(30), || {
        comet_set(&net.nodes[0]).into_iter().find(|(k, _)| k == &key1).filter(|(_, p)| *p == 1089).map(|_| ())
    });
    let h = net.nodes[0].height();
    for n in net.nodes.iter_mut() {
        n.wait_height(h + 2, Duration::from_secs(30));
    }
    net.assert_same_headers(&[0, 1, 2, 3]);
}

/// A fifth node with node 0's consensus key: its own home (a copy of node
/// 0's, made before any block) on the next free ports, a fresh node key.
fn twin_of_node0(net: &Net) -> Chain {
    let src = &net.nodes[0].home;
    let dst = src.with_file_name("twin");
    copy_dir(src, &dst);
    let _ = std::fs::remove_dir_all(dst.join("logs"));
    std::fs::remove_file(dst.join("config/node_key.json")).unwrap();
    for f in ["config/config.toml", "config/app.toml"] {
        let path = dst.join(f);
        let mut text = std::fs::read_to_string(&path).unwrap();
        for o in 0..10u16 {
            text = text.replace(&format!("127.0.0.1:{}", net.base + o), &format!("127.0.0.1:{}", net.base + 10 * N as u16 + o));
        }
        std::fs::write(&path, text).unwrap();
    }
    open_node(&dst, &net.chain_id, net.base, N)
}

fn copy_dir(src: &Path, dst: &Path) {
    std::fs::create_dir_all(dst).unwrap();
    for e in std::fs::read_dir(src).unwrap() {
        let e = e.unwrap();
        let to = dst.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &to);
        } else {
            std::fs::copy(e.path(), &to).unwrap();
        }
    }
}

#[test]
fn a_double_signing_validator_is_slashed_jailed_and_tombstoned() {
    let _one = one_network();
    let mut net = init("venice-e2e-doublesign", &[]);
    let mut twin = twin_of_node0(&net);
    net.start();
    let key0 = cons_pubkey(&net.nodes[0].home);
    assert_eq!(cons_pubkey(&twin.home), key0);
    assert_eq!(net.validator(1, 0).tokens, (1000 * VVV).to_string());

    // The twin catches up and signs with validator 0's key beside node 0.
    twin.start_veniced();
    twin.start_cometbft();
    let started = Instant::now();
    wait_for("validator 0 jailed for double signing", Duration::from_secs(150), || net.validator(1, 0).jailed.then_some(()));
    eprintln!("evidence handled after {:?}", started.elapsed());
    twin.stop("cometbft");
    twin.stop("veniced");

    let v = net.validator(1, 0);
    assert_eq!(v.tokens, (950 * VVV).to_string(), "5% of its 1000 power burned");
    let info = net.cli_query(1, &["slashing", "signing-info", &valcons(&key0)]);
    assert_eq!(info["val_signing_info"]["tombstoned"], true);
    assert_eq!(info["val_signing_info"]["jailed_until"], "9999-12-31T23:59:59Z");
    let all = net.cli_query(2, &["evidence"]);
    let list = all["evidence"].as_array().unwrap();
    assert_eq!(list.len(), 1, "{all}");
    assert_eq!(list[0]["@type"], "/cosmos.evidence.v1beta1.Equivocation");
    assert_eq!(list[0]["consensus_address"], valcons(&key0));
    assert_eq!(list[0]["power"], "1000");
    let one = net.cli_query(3, &["evidence", list[0]["hash"].as_str().unwrap()]);
    assert_eq!(one["evidence"], list[0]);
    // The same through the REST gateway (routes from the SDK's descriptors).
    let api = net.nodes[2].api_url();
    let r = venice_e2e::http::get(&api, "/cosmos/evidence/v1beta1/evidence");
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["evidence"][0]["consensus_address"], valcons(&key0));
    let r = venice_e2e::http::get(&api, &format!("/cosmos/slashing/v1beta1/signing_infos/{}", valcons(&key0)));
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["val_signing_info"]["tombstoned"], true);

    // Tombstoned: its operator can never unjail it.
    let node = net.node_url(1);
    let out = net.nodes[0].venice(&[
        "tx",
        "slashing",
        "unjail",
        "--from",
        "val0",
        "--fees",
        "5000uvvv",
        "--chain-id",
        &net.chain_id,
        "--node",
        &node,
        "--keyring-backend",
        "test",
        "--yes",
        "--output",
        "json",
    ]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("still jailed"), "{}", String::from_utf8_lossy(&out.stderr));

    // The other three keep finalising without it.
    let h = net.nodes[1].height();
    for i in 1..N {
        net.nodes[i].wait_height(h + 5, Duration::from_secs(60));
    }
    let set = comet_set(&net.nodes[1]);
    assert_eq!(set.len(), 3, "{set:?}");
    assert!(!set.iter().any(|(k, _)| k == &key0));
    net.assert_same_headers(&[0, 1, 2, 3]);
}
