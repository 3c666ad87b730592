//! State sync on a four-validator localnet: the validators take snapshots
//! every 20 heights; a fifth node made by `localnet/statesync-node.sh`
//! restores one through CometBFT's `[statesync]` (light client, chunks
//! fetched from peers) instead of replaying history, then follows the chain
//! with the same app hash. Chunk 0 of the snapshots on display is corrupted
//! on three of the four validators, so the new node meets bad chunks from
//! most peers: it must reject them and refetch from another (a bad chunk
//! accepted would end in a wrong app hash and no sync).

use std::process::Command;
use std::time::Duration;

use venice_e2e::tx::{Signer, TxSpec, account, balance, msg_send, submit};
use venice_e2e::{Bins, Chain, free_port_base, wait_for};

const N: usize = 4;
const INTERVAL: u64 = 20;

#[test]
fn a_fifth_node_state_syncs_from_a_snapshot_and_follows_the_chain() {
    let bins = Bins::locate();
    let dir = tempfile::Builder::new().prefix("venice-e2e-sync-").tempdir().unwrap();
    let net = dir.path().join("net");
    let base = free_port_base((N as u16 + 1) * 10);
    let sender = Signer::from_label("statesync/sender");
    let receiver = Signer::from_label("statesync/receiver");
    let status = Command::new(bins.repo.join("localnet/init-multi.sh"))
        .env("VENICE_BIN_DIR", &bins.dir)
        .args(["--validators", &N.to_string(), "--home", net.to_str().unwrap(), "--chain-id", "venice-e2e-sync"])
        .args(["--port-base", &base.to_string(), "--block-time", "300ms", "--snapshot-interval", &INTERVAL.to_string()])
        .args(["--account", &format!("{}=1000000000uvvv", sender.address)])
        .status()
        .expect("run localnet/init-multi.sh");
    assert!(status.success(), "init-multi.sh failed");

    let port = |i: usize, o: u16| base + 10 * i as u16 + o;
    let open = |home, i| Chain::open(home, "venice-e2e-sync", port(i, 7), port(i, 6), port(i, 8), port(i, 9));
    let mut nodes: Vec<Chain> = (0..N).map(|i| open(net.join(format!("node{i}")), i)).collect();
    for n in nodes.iter_mut() {
        n.start_veniced();
    }
    for n in nodes.iter_mut() {
        n.start_cometbft();
    }
    // Some state worth restoring.
    nodes[0].wait_height(2, Duration::from_secs(90));
    let (acc, _) = account(&nodes[0].rpc, &sender.address).unwrap().expect("sender account");
    for seq in 0..3u64 {
        let tx = TxSpec::new("venice-e2e-sync", acc, seq, vec![msg_send(&sender.address, &receiver.address, 1_000)]);
        assert_eq!(submit(&nodes[0].rpc, &tx.sign(&sender)).code, 0);
    }

    // Every validator has written the snapshot of height INTERVAL.
    nodes[0].wait_height(INTERVAL + 2, Duration::from_secs(120));
    let snap = |i: usize| net.join(format!("node{i}/data/snapshots/{INTERVAL}-1"));
    wait_for("the snapshots", Duration::from_secs(30), || (0..N).all(|i| snap(i).join("metadata").is_file()).then_some(()));
    let chunk0 = std::fs::read(snap(0).join("0")).unwrap();
    for i in 0..N {
        assert_eq!(std::fs::read(snap(i).join("metadata")).unwrap(), std::fs::read(snap(0).join("metadata")).unwrap(), "node {i}");
    }
    for i in 1..N {
        let mut bad = chunk0.clone();
        bad[0] ^= 0xff;
        std::fs::write(snap(i).join("0"), bad).unwrap();
    }

    let home5 = dir.path().join("node-sync");
    let status = Command::new(bins.repo.join("localnet/statesync-node.sh"))
        .env("VENICE_BIN_DIR", &bins.dir)
        .args(["--home", home5.to_str().unwrap(), "--network", net.to_str().unwrap(), "--port-base", &port(N, 0).to_string()])
        .status()
        .expect("run localnet/statesync-node.sh");
    assert!(status.success(), "statesync-node.sh failed");
    let mut fifth = open(home5, N);
    fifth.start_veniced();
    fifth.start_cometbft();
    let target = nodes[0].height() + 5;
    fifth.wait_height(target, Duration::from_secs(180));

    // It restored a snapshot rather than replaying from genesis...
    let log = fifth.read_log("veniced");
    assert!(log.contains("snapshot restored"), "no restore in the log:\n{log}");
    let status = fifth.rpc.call("status", serde_json::json!({})).unwrap();
    let earliest: u64 = status["sync_info"]["earliest_block_height"].as_str().unwrap().parse().unwrap();
    assert!(earliest > 1, "the synced node holds no block before its snapshot (earliest {earliest})");
    let met_bad_chunks = log.contains("chunk hash mismatch");
    eprintln!("state sync restored from height {earliest}; corrupted chunks met and refetched: {met_bad_chunks}");

    // ...and follows with the same app hash and state.
    nodes[0].wait_height(target, Duration::from_secs(30));
    let header = |n: &Chain| n.rpc.call("header", serde_json::json!({"height": target.to_string()})).unwrap()["header"].clone();
    assert_eq!(header(&fifth), header(&nodes[0]), "the synced node agrees at {target}");
    assert_eq!(balance(&fifth.rpc, &receiver.address).unwrap(), 3_000);
    let tx = TxSpec::new("venice-e2e-sync", acc, 3, vec![msg_send(&sender.address, &receiver.address, 500)]);
    assert_eq!(submit(&fifth.rpc, &tx.sign(&sender)).code, 0, "a tx through the synced node");
    let h = fifth.height();
    nodes[0].wait_height(h + 1, Duration::from_secs(30));
    assert_eq!(balance(&nodes[0].rpc, &receiver.address).unwrap(), 3_500);

    fifth.stop("cometbft");
    fifth.stop("veniced");
    for n in nodes.iter_mut().rev() {
        n.stop("cometbft");
        n.stop("veniced");
    }
}
