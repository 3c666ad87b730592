//! Four validators (N CometBFT nodes + N veniced, from
//! `localnet/init-multi.sh`) with vote extensions on from height 1: they agree
//! on every block (a node whose app computed another app hash would halt),
//! serve the same balances, tolerate one validator down, and a restarted
//! validator catches up.

use std::process::Command;
use std::time::Duration;

use venice_e2e::tx::{Signer, TxSpec, account, balance, msg_send, submit};
use venice_e2e::{Bins, Chain, free_port_base};

const N: usize = 4;
const START: u128 = 1_000_000_000;

#[test]
fn four_validators_agree_survive_one_down_and_catch_up() {
    let bins = Bins::locate();
    let base_dir = tempfile::Builder::new().prefix("venice-e2e-net-").tempdir().unwrap();
    let net = base_dir.path().join("net");
    let base = free_port_base(N as u16 * 10);
    let sender = Signer::from_label("network/sender");
    let receiver = Signer::from_label("network/receiver");
    let status = Command::new(bins.repo.join("localnet/init-multi.sh"))
        .env("VENICE_BIN_DIR", &bins.dir)
        .args(["--validators", &N.to_string(), "--home", net.to_str().unwrap(), "--chain-id", "venice-e2e-net"])
        .args(["--port-base", &base.to_string(), "--block-time", "300ms"])
        .args(["--account", &format!("{}={START}uvvv", sender.address)])
        .status()
        .expect("run localnet/init-multi.sh");
    assert!(status.success(), "init-multi.sh failed");

    let port = |i: usize, o: u16| base + 10 * i as u16 + o;
    let mut nodes: Vec<Chain> = (0..N)
        .map(|i| Chain::open(net.join(format!("node{i}")), "venice-e2e-net", port(i, 7), port(i, 6), port(i, 8), port(i, 9)))
        .collect();
    for n in nodes.iter_mut() {
        n.start_veniced();
    }
    for n in nodes.iter_mut() {
        n.start_cometbft();
    }
    for n in nodes.iter_mut() {
        n.wait_height(3, Duration::from_secs(90));
    }

    // Transfers through different nodes' RPC.
    let (acc_num, _) = account(&nodes[0].rpc, &sender.address).unwrap().expect("sender");
    for seq in 0..4u64 {
        let node = &nodes[seq as usize % N];
        let tx = TxSpec::new("venice-e2e-net", acc_num, seq, vec![msg_send(&sender.address, &receiver.address, 1_000)]);
        let out = submit(&node.rpc, &tx.sign(&sender));
        assert_eq!((out.stage, out.code), ("deliver", 0), "send via node {}: {}", seq as usize % N, out.log);
    }
    let h = nodes[0].height();
    for n in nodes.iter_mut() {
        n.wait_height(h + 1, Duration::from_secs(30));
    }
    for (i, n) in nodes.iter().enumerate() {
        assert_eq!(balance(&n.rpc, &receiver.address).unwrap(), 4_000, "node {i} balance");
    }
    // Every node holds the same header, app hash included, at a common height.
    let headers: Vec<_> =
        nodes.iter().map(|n| n.rpc.call("header", serde_json::json!({"height": h.to_string()})).unwrap()["header"].clone()).collect();
    assert!(headers.iter().all(|x| x == &headers[0] && x["app_hash"] == headers[0]["app_hash"]), "headers at {h}");

    // One validator of four down: 3/4 of the power still commits blocks.
    nodes[3].stop("cometbft");
    nodes[3].stop("veniced");
    let h_down = nodes[0].height();
    nodes[0].wait_height(h_down + 5, Duration::from_secs(60));
    let tx = TxSpec::new("venice-e2e-net", acc_num, 4, vec![msg_send(&sender.address, &receiver.address, 500)]);
    assert_eq!(submit(&nodes[1].rpc, &tx.sign(&sender)).code, 0);

    // Back up: it replays or syncs what it missed and follows the chain.
    nodes[3].start_veniced();
    nodes[3].start_cometbft();
    let target = nodes[0].height() + 3;
    nodes[3].wait_height(target, Duration::from_secs(90));
    nodes[0].wait_height(target, Duration::from_secs(30));
    assert_eq!(balance(&nodes[3].rpc, &receiver.address).unwrap(), 4_500, "restarted node's state");
    let a = nodes[0].rpc.call("header", serde_json::json!({"height": target.to_string()})).unwrap();
    let b = nodes[3].rpc.call("header", serde_json::json!({"height": target.to_string()})).unwrap();
    assert_eq!(a, b, "restarted node agrees at {target}");

    for n in nodes.iter_mut().rev() {
        assert!(n.stop("cometbft"), "cometbft stops cleanly on SIGTERM");
        assert!(n.stop("veniced"), "veniced stops cleanly on SIGTERM");
    }
}
