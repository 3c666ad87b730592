//! Genesis export → new chain, as operators do for upgrades and testnets:
//! a chain runs some transfers and stops; `veniced genesis export --height H`
//! writes its state; a second chain (same validator key, new chain id)
//! starts from that file and answers the same balances and accounts over
//! CometBFT's RPC, and keeps going (a signer's next sequence is accepted).

use std::process::Command;
use std::time::Duration;

use serde_json::Value;
use venice_e2e::tx::{account, balance};
use venice_e2e::{Chain, rpc::as_u64};

fn send(from_home: &Chain, target: &Chain, from: &str, to: &str, amount: &str) -> Value {
    let out = from_home.bank_send_to(&target.rpc.url(), &target.chain_id, from, to, amount, &["--fees", "5000uvvv"]);
    assert!(out.status.success(), "send failed: {}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text.lines().rev().find(|l| l.trim_start().starts_with('{')).expect("JSON answer");
    let v: Value = serde_json::from_str(line).unwrap();
    assert_eq!(v["code"], 0, "{v}");
    v
}

#[test]
fn export_at_a_height_starts_a_new_chain_with_the_same_accounts() {
    let mut a = Chain::init("venice-e2e-export");
    let alice = a.key_add("alice");
    let bob = a.key_add("bob");
    let carol = a.key_add("carol");
    a.add_genesis_account(&alice, "50000000uvvv");
    // The fee collector's balance is compared across chains: no emissions.
    a.without_emissions();
    a.start();
    send(&a, &a, "alice", &bob, "1000000uvvv");
    let last = send(&a, &a, "bob", &carol, "250000uvvv");
    let tx_height = as_u64(&last["height"]);
    // A height after the last transfer: the state to carry over.
    let h = a.wait_height(tx_height + 2, Duration::from_secs(60));
    let addrs = [alice.clone(), bob.clone(), carol.clone(), venice_e2e::chain::fee_collector()];
    let before: Vec<(u128, Option<(u64, u64)>)> =
        addrs.iter().map(|x| (balance(&a.rpc, x).unwrap(), account(&a.rpc, x).unwrap())).collect();
    assert_eq!(before[2].0, 250_000);
    assert_eq!(before[1].1.map(|(_, seq)| seq), Some(1), "bob signed once");

    // Export refuses a running node's store, then works once it is stopped.
    let veniced = a.bins.veniced();
    let export = |home: &str, extra: &[&str]| {
        Command::new(&veniced).args(["genesis", "export", "--home", home]).args(extra).output().expect("run veniced genesis export")
    };
    let busy = export(a.home_str(), &["--height", &h.to_string()]);
    assert!(!busy.status.success(), "export must not open a running node's store");
    assert!(String::from_utf8_lossy(&busy.stderr).contains("stop veniced"), "{}", String::from_utf8_lossy(&busy.stderr));
    a.stop("cometbft");
    a.stop("veniced");
    let out_file = a.home.join("exported.json");
    let out = export(
        a.home_str(),
        &["--height", &h.to_string(), "--chain-id", "venice-e2e-export-2", "--output-document", out_file.to_str().unwrap()],
    );
    assert!(out.status.success(), "export failed: {}", String::from_utf8_lossy(&out.stderr));
    let exported: Value = serde_json::from_str(&std::fs::read_to_string(&out_file).unwrap()).unwrap();
    assert_eq!(exported["chain_id"], "venice-e2e-export-2");
    assert_eq!(exported["app_state"]["staking"]["validators"].as_array().unwrap().len(), 1);
    let too_high = export(a.home_str(), &["--height", &(h + 1000).to_string()]);
    assert!(!too_high.status.success());

    // The new chain: its own home, the old validator's key, the exported genesis.
    let mut b = Chain::init("venice-e2e-export-2");
    std::fs::copy(a.home.join("config/priv_validator_key.json"), b.home.join("config/priv_validator_key.json")).unwrap();
    std::fs::copy(&out_file, b.home.join("config/genesis.json")).unwrap();
    b.start();
    let after: Vec<(u128, Option<(u64, u64)>)> = addrs.iter().map(|x| (balance(&b.rpc, x).unwrap(), account(&b.rpc, x).unwrap())).collect();
    assert_eq!(after, before, "balances, account numbers and sequences carry over");

    // Bob's next sequence and his account number sign on the new chain.
    send(&a, &b, "bob", &alice, "1000uvvv");
    assert_eq!(balance(&b.rpc, &bob).unwrap(), before[1].0 - 1000 - 5000);
    assert_eq!(account(&b.rpc, &bob).unwrap().map(|(_, s)| s), Some(2));
}
