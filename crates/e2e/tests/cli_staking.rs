//! `venice tx staking …` and `venice query staking …` against a real chain:
//! bob creates a second validator from an SDK validator JSON file (signed
//! amino-json), alice delegates to it (direct), redelegates part to the
//! gentx validator, unbonds, cancels part of the unbonding, bob edits his
//! validator; after each step the JSON queries show it, and the delegation
//! moves CometBFT's /validators power two heights after its block.

use std::time::Duration;

use serde_json::{Value, json};
use venice_e2e::Chain;
use venice_e2e::rpc::as_u64;
use venice_e2e::stdout_json;

const VVV: u128 = 1_000_000;

/// `venice query staking ARGS -o json`.
fn q(chain: &Chain, args: &[&str]) -> Value {
    let node = chain.rpc.url();
    let mut all = vec!["query", "staking"];
    all.extend(args);
    all.extend(["--node", &node, "--output", "json"]);
    let out = chain.venice(&all);
    assert!(out.status.success(), "query staking {args:?} failed");
    stdout_json(&out)
}

/// `venice tx staking ARGS --from FROM …`; returns the tx response (code
/// checked by the caller).
fn tx(chain: &Chain, from: &str, args: &[&str]) -> (bool, Value) {
    let node = chain.rpc.url();
    let mut all = vec!["tx", "staking"];
    all.extend(args);
    all.extend(["--from", from, "--node", &node, "--chain-id", &chain.chain_id, "--keyring-backend", "test", "--yes"]);
    all.extend(["--output", "json", "--gas", "400000", "--fees", "2000uvvv"]);
    let out = chain.venice(&all);
    (out.status.success(), stdout_json(&out))
}

fn tx_ok(chain: &Chain, from: &str, args: &[&str]) -> u64 {
    let (ok, resp) = tx(chain, from, args);
    assert!(ok && resp["code"] == 0, "tx staking {args:?}: {resp}");
    as_u64(&resp["height"])
}

/// (pub key base64, power) of CometBFT's validator set at `height`, sorted.
fn cometbft_validators(chain: &Chain, height: u64) -> Vec<(String, u64)> {
    let r: Value = chain.rpc.call("validators", json!({"height": height.to_string(), "per_page": "100"})).expect("/validators");
    let mut set: Vec<(String, u64)> = r["validators"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| (v["pub_key"]["value"].as_str().unwrap().to_string(), as_u64(&v["voting_power"])))
        .collect();
    set.sort();
    set
}

fn amount(v: &Value) -> u128 {
    v.as_str().unwrap_or_else(|| panic!("not a string amount: {v}")).parse().unwrap()
}

#[test]
fn staking_cli_drives_validators_and_delegations() {
    let mut chain = Chain::init("venice-e2e-cli-staking");
    let alice = chain.key_add("alice");
    let bob = chain.key_add("bob");
    chain.add_genesis_account(&alice, &format!("{}uvvv", 100_000 * VVV));
    chain.add_genesis_account(&bob, &format!("{}uvvv", 100_000 * VVV));
    chain.start();
    chain.wait_height(2, Duration::from_secs(30));

    let vals = q(&chain, &["validators", "--status", "bonded"]);
    let list = vals["validators"].as_array().unwrap();
    assert_eq!(list.len(), 1, "{vals}");
    let demo_val = list[0]["operator_address"].as_str().unwrap().to_string();
    let demo_key = list[0]["consensus_pubkey"]["key"].as_str().unwrap().to_string();
    assert_eq!(list[0]["consensus_pubkey"]["@type"], "/cosmos.crypto.ed25519.PubKey");
    assert_eq!(list[0]["status"], "BOND_STATUS_BONDED");
    assert_eq!(amount(&list[0]["tokens"]), 100_000 * VVV);
    assert!(list[0]["delegator_shares"].as_str().unwrap().ends_with(".000000000000000000"), "{vals}");
    // `veniced comet show-validator` prints the key as the validator file wants it.
    let shown = std::process::Command::new(chain.bins.veniced())
        .args(["comet", "show-validator", "--home", chain.home_str()])
        .output()
        .expect("veniced comet show-validator");
    assert!(shown.status.success());
    assert_eq!(serde_json::from_slice::<Value>(&shown.stdout).unwrap(), list[0]["consensus_pubkey"]);
    let params = q(&chain, &["params"]);
    assert_eq!(params["params"]["bond_denom"], "uvvv");
    assert_eq!(params["params"]["unbonding_time"], "120s");

    // bob's validator, from the SDK's validator file, signed amino-json.
    let generator = std::process::Command::new(chain.bins.cometbft()).arg("gen-validator").output().expect("cometbft gen-validator");
    assert!(generator.status.success());
    let generated: Value = serde_json::from_slice(&generator.stdout).unwrap();
    let bob_key = generated["Key"]["pub_key"]["value"].as_str().or(generated["pub_key"]["value"].as_str()).unwrap().to_string();
    let file = chain.home.join("validator.json");
    let spec = json!({
        "pubkey": {"@type": "/cosmos.crypto.ed25519.PubKey", "key": bob_key},
        "amount": format!("{}uvvv", 10_000 * VVV),
        "moniker": "bob-val", "identity": "", "website": "https://bob.example", "security": "bob@example", "details": "second",
        "commission-rate": "0.05", "commission-max-rate": "0.2", "commission-max-change-rate": "0.01", "min-self-delegation": "1000000",
    });
    std::fs::write(&file, spec.to_string()).unwrap();
    let h = tx_ok(&chain, "bob", &["create-validator", file.to_str().unwrap(), "--sign-mode", "amino-json"]);
    let bob_val = venice_types::Address::parse(&bob).unwrap().to_valoper();
    let v = q(&chain, &["validator", &bob_val])["validator"].clone();
    assert_eq!(v["description"]["moniker"], "bob-val");
    assert_eq!(v["description"]["security_contact"], "bob@example");
    assert_eq!(v["commission"]["commission_rates"]["rate"], "0.050000000000000000");
    assert_eq!(v["min_self_delegation"], "1000000");
    assert_eq!(v["consensus_pubkey"]["key"], bob_key.as_str());
    chain.wait_height(h + 3, Duration::from_secs(30));
    let want = |a: u64, b: u64| {
        let mut w = vec![(demo_key.clone(), a), (bob_key.clone(), b)];
        w.sort();
        w
    };
    assert_eq!(cometbft_validators(&chain, h + 2), want(100_000, 10_000));

    // alice delegates 20,000 VVV to bob's validator (direct).
    let h = tx_ok(&chain, "alice", &["delegate", &bob_val, &format!("{}uvvv", 20_000 * VVV)]);
    let d = q(&chain, &["delegation", &alice, &bob_val])["delegation_response"].clone();
    assert_eq!(amount(&d["balance"]["amount"]), 20_000 * VVV);
    assert_eq!(d["delegation"]["shares"], format!("{}.000000000000000000", 20_000 * VVV));
    chain.wait_height(h + 3, Duration::from_secs(30));
    assert_eq!(cometbft_validators(&chain, h + 1), want(100_000, 10_000), "height {}", h + 1);
    assert_eq!(cometbft_validators(&chain, h + 2), want(100_000, 30_000), "height {}", h + 2);
    let to_bob = q(&chain, &["delegations-to", &bob_val]);
    assert_eq!(to_bob["delegation_responses"].as_array().unwrap().len(), 2, "bob's self-delegation and alice's: {to_bob}");

    // alice moves 5,000 VVV to the demo validator (amino-json).
    let h = tx_ok(&chain, "alice", &["redelegate", &bob_val, &demo_val, &format!("{}uvvv", 5_000 * VVV), "--sign-mode", "amino-json"]);
    let reds = q(&chain, &["redelegations", &alice]);
    let r = &reds["redelegation_responses"].as_array().unwrap()[0];
    assert_eq!(r["redelegation"]["validator_src_address"], bob_val.as_str());
    assert_eq!(r["redelegation"]["validator_dst_address"], demo_val.as_str());
    assert_eq!(amount(&r["entries"][0]["balance"]), 5_000 * VVV);
    assert_eq!(as_u64(&r["entries"][0]["redelegation_entry"]["creation_height"]), h);
    let one = q(&chain, &["redelegation", &alice, &bob_val, &demo_val]);
    assert_eq!(one["redelegation_responses"].as_array().unwrap().len(), 1);
    let mine = q(&chain, &["delegator-validators", &alice]);
    let mut ops: Vec<&str> = mine["validators"].as_array().unwrap().iter().map(|v| v["operator_address"].as_str().unwrap()).collect();
    ops.sort();
    let mut both = vec![demo_val.as_str(), bob_val.as_str()];
    both.sort();
    assert_eq!(ops, both);
    chain.wait_height(h + 3, Duration::from_secs(30));
    assert_eq!(cometbft_validators(&chain, h + 2), want(105_000, 25_000));

    // alice unbonds 3,000 VVV from bob, then cancels 1,000 of it.
    let before = venice_e2e::tx::balance(&chain.rpc, &alice).unwrap();
    let unbond_h = tx_ok(&chain, "alice", &["unbond", &bob_val, &format!("{}uvvv", 3_000 * VVV)]);
    let ubd = q(&chain, &["unbonding-delegation", &alice, &bob_val])["unbond"].clone();
    assert_eq!(as_u64(&ubd["entries"][0]["creation_height"]), unbond_h);
    assert_eq!(amount(&ubd["entries"][0]["balance"]), 3_000 * VVV);
    // The fee is paid now; the unbonded coins wait for the unbonding period.
    assert!(venice_e2e::tx::balance(&chain.rpc, &alice).unwrap() < before, "nothing paid out before maturity");
    let listed = q(&chain, &["unbonding-delegations", &alice]);
    assert_eq!(listed["unbonding_responses"].as_array().unwrap().len(), 1);
    let pool = q(&chain, &["pool"])["pool"].clone();
    assert_eq!(amount(&pool["not_bonded_tokens"]), 3_000 * VVV);
    assert_eq!(amount(&pool["bonded_tokens"]), 127_000 * VVV);

    let h = tx_ok(&chain, "alice", &["cancel-unbond", &bob_val, &format!("{}uvvv", 1_000 * VVV), &unbond_h.to_string()]);
    let ubd = q(&chain, &["unbonding-delegation", &alice, &bob_val])["unbond"].clone();
    assert_eq!(amount(&ubd["entries"][0]["balance"]), 2_000 * VVV);
    let d = q(&chain, &["delegation", &alice, &bob_val])["delegation_response"].clone();
    assert_eq!(amount(&d["balance"]["amount"]), 13_000 * VVV, "20,000 - 5,000 - 3,000 + 1,000");
    chain.wait_height(h + 3, Duration::from_secs(30));
    assert_eq!(cometbft_validators(&chain, h + 2), want(105_000, 23_000));
    // A wrong creation height is the chain's error, reported by the CLI.
    let (ok, resp) = tx(&chain, "alice", &["cancel-unbond", &bob_val, "1uvvv", &(unbond_h + 1000).to_string()]);
    assert!(!ok && resp["code"] != 0, "{resp}");

    // bob renames his validator; a commission change within a day is refused.
    tx_ok(&chain, "bob", &["edit-validator", "--new-moniker", "bob-renamed", "--details", "edited", "--sign-mode", "amino-json"]);
    let v = q(&chain, &["validator", &bob_val])["validator"].clone();
    assert_eq!((v["description"]["moniker"].as_str(), v["description"]["details"].as_str()), (Some("bob-renamed"), Some("edited")));
    assert_eq!(v["description"]["website"], "https://bob.example", "fields not given are kept");
    let (ok, resp) = tx(&chain, "bob", &["edit-validator", "--commission-rate", "0.06"]);
    assert!(!ok && resp["code"] != 0 && resp["codespace"] == "staking", "commission changes at most once a day: {resp}");

    let hist = q(&chain, &["historical-info", &h.to_string()])["hist"].clone();
    assert_eq!(as_u64(&hist["header"]["height"]), h);
    assert_eq!(hist["valset"].as_array().unwrap().len(), 2, "{hist}");
    let all = q(&chain, &["validators"]);
    assert_eq!(all["validators"].as_array().unwrap().len(), 2);
    assert_eq!(q(&chain, &["validators", "--status", "unbonded"])["validators"].as_array().unwrap().len(), 0);
    let mine = q(&chain, &["delegations", &alice]);
    assert_eq!(mine["delegation_responses"].as_array().unwrap().len(), 2);
}
