//! `make bench` (inference part): inference in blocks on the 4-validator
//! localnet, each validator with its own real sidecar (1 s blocks, every
//! process on this one machine).
//!
//! 1. Submit-to-final latency in blocks: tasks submitted one at a time on
//!    the digits model (committees of all four); the height of the block
//!    that finalised each task minus the height of the block that carried
//!    its submission. The goal is at most 3 blocks: assigned at the end of
//!    the submitting block H, run after its commit, answered in the vote
//!    extensions of H+1, applied at the front of H+2.
//! 2. Tasks finalised per block: a burst of digits tasks (transactions of
//!    50 submissions each), counted from the `inference_result` events of
//!    each block until all are final.
//!
//! Needs `make build build-sidecar models contracts`. Run: `cargo bench -p
//! venice-e2e --bench inference_localnet` (BENCH_QUICK=1: fewer tasks).

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use prost::Message;
use serde_json::{Value, json};
use venice_e2e::localnet::Net;
use venice_e2e::tx::{Signer, TxSpec, account, any, broadcast_sync, wait_tx};
use venice_types::inference as pb;

const CHAIN_ID: &str = "venice-bench-inference";
/// Submissions per burst transaction (the chain takes at most 64 messages).
const PER_TX: usize = 50;

fn submit_msg(from: &Signer, model: &str, input: &[u8]) -> cosmrs::Any {
    let m = pb::MsgSubmitInference {
        sender: from.address.clone(),
        model_id: model.into(),
        input: input.to_vec(),
        data_credential: None,
        max_fee: Some(cosmos_sdk_proto::cosmos::base::v1beta1::Coin { denom: "uvvv".into(), amount: "250".into() }),
        priority: String::new(),
    };
    any(pb::MSG_SUBMIT_INFERENCE_URL, m.encode_to_vec())
}

/// `msgs` signed by `from` at its current sequence.
fn signed(net: &Net, from: &Signer, msgs: Vec<cosmrs::Any>, gas_per_msg: u64) -> Vec<u8> {
    let (number, sequence) = account(&net.nodes[0].rpc, &from.address).unwrap().expect("funded sender");
    let mut spec = TxSpec::new(CHAIN_ID, number, sequence, msgs);
    spec.gas_limit = gas_per_msg * spec.msgs.len() as u64;
    spec.fee = u128::from(spec.gas_limit) / 100;
    spec.sign(from)
}

/// Broadcasts `tx`; the CheckTx answer must be OK. Its hash.
fn broadcast(net: &Net, tx: &[u8]) -> String {
    let check = broadcast_sync(&net.nodes[0].rpc, tx).unwrap();
    assert_eq!(check.code, 0, "CheckTx: {}", check.log);
    check.hash
}

/// `inference_result` events per height in blocks `from..=to`.
fn finals_per_block(net: &Net, from: u64, to: u64) -> BTreeMap<u64, Vec<u64>> {
    let mut out = BTreeMap::new();
    for h in from..=to {
        let r = net.nodes[0].rpc.call("block_results", json!({"height": h.to_string()})).unwrap();
        let ids: Vec<u64> = r["finalize_block_events"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|e| e["type"] == "inference_result")
            .filter_map(|e| e["attributes"].as_array()?.iter().find(|a| a["key"] == "task_id")?["value"].as_str()?.parse().ok())
            .collect();
        if !ids.is_empty() {
            out.insert(h, ids);
        }
    }
    out
}

fn main() {
    let quick = std::env::var("BENCH_QUICK").is_ok_and(|v| v == "1");
    let (rounds, burst) = if quick { (5, 200) } else { (10, 1_000) };
    let senders: Vec<Signer> = (0..burst / PER_TX + 1).map(|i| Signer::from_label(&format!("bench-inference-{i}"))).collect();
    let accounts: Vec<String> = senders.iter().map(|s| format!("{}=1000000000000uvvv", s.address)).collect();
    let mut extra: Vec<&str> = Vec::new();
    for a in &accounts {
        extra.extend(["--account", a]);
    }
    // One-second blocks (CometBFT's default commit timeout), not the tests' 300 ms.
    extra.extend(["--block-time", "1s"]);
    let mut net = Net::init(4, 0, CHAIN_ID, &extra);
    net.start_sidecars();
    net.start();
    let (demo, stderr) = net.inference_demo(4);
    assert!(demo.status.success(), "the demo's task: {stderr}");
    let index: Value = serde_json::from_str(&std::fs::read_to_string(net.nodes[0].bins.repo.join("models/index.json")).unwrap()).unwrap();
    let digits = index["models"].as_array().unwrap().iter().find(|m| m["name"] == "digits-mlp").unwrap().clone();
    let model = digits["sha256"].as_str().unwrap().to_string();
    let input = std::fs::read(net.nodes[0].bins.repo.join("models").join(digits["sample_input"].as_str().unwrap())).unwrap();
    let input = serde_json::to_vec(&serde_json::from_slice::<Value>(&input).unwrap()).unwrap();

    // 1. Latency, one task at a time.
    let mut latencies = Vec::new();
    let mut gas_used = 0;
    for _ in 0..rounds {
        let hash = broadcast(&net, &signed(&net, &senders[0], vec![submit_msg(&senders[0], &model, &input)], 300_000));
        let included = wait_tx(&net.nodes[0].rpc, &hash, Duration::from_secs(30)).expect("included");
        assert_eq!(included.code, 0, "{}", included.log);
        gas_used = gas_used.max(venice_e2e::rpc::as_u64(&included.result["tx_result"]["gas_used"]));
        let deadline = Instant::now() + Duration::from_secs(60);
        let final_at = loop {
            assert!(Instant::now() < deadline, "no result within 60 s");
            let top = net.nodes[0].height().saturating_sub(1);
            if let Some((h, _)) = finals_per_block(&net, included.height, top).into_iter().next() {
                break h;
            }
            std::thread::sleep(Duration::from_millis(100));
        };
        latencies.push(final_at - included.height);
    }
    latencies.sort();
    println!("-- submit-to-final latency, 4 validators with their own sidecars, digits-mlp, committees of 4 --");
    println!(
        "{rounds} tasks one at a time: median {} blocks, max {} blocks (goal: at most 3): {latencies:?}",
        latencies[latencies.len() / 2],
        latencies.last().unwrap()
    );

    // 2. A burst: transactions of PER_TX submissions from distinct senders.
    // Signed first, then sent back to back, to land in as few blocks as the
    // mempool lets them.
    // Gas as one submission used, with a margin (the block's gas limit is
    // what bounds the burst per block).
    let gas_per_msg = gas_used * 5 / 4;
    let txs: Vec<Vec<u8>> =
        senders[1..].iter().map(|s| signed(&net, s, (0..PER_TX).map(|_| submit_msg(s, &model, &input)).collect(), gas_per_msg)).collect();
    // Right after a block, so the burst fits in one block's interval.
    let h0 = net.nodes[0].height();
    net.nodes[0].wait_height(h0 + 1, Duration::from_secs(30));
    let start_height = h0 + 1;
    let t = Instant::now();
    let hashes: Vec<String> = txs.iter().map(|tx| broadcast(&net, tx)).collect();
    let mut submitted_at = BTreeMap::new();
    for h in &hashes {
        let o = wait_tx(&net.nodes[0].rpc, h, Duration::from_secs(60)).expect("burst tx included");
        assert_eq!(o.code, 0, "{}", o.log);
        *submitted_at.entry(o.height).or_insert(0u64) += PER_TX as u64;
    }
    let total = (senders.len() as u64 - 1) * PER_TX as u64;
    let deadline = Instant::now() + Duration::from_secs(300);
    let finals = loop {
        let top = net.nodes[0].height().saturating_sub(1);
        let f = finals_per_block(&net, start_height, top);
        let done: u64 = f.values().map(|v| v.len() as u64).sum::<u64>();
        if done >= total {
            break f;
        }
        assert!(Instant::now() < deadline, "{done} of {total} final after 300 s");
        std::thread::sleep(Duration::from_millis(300));
    };
    let took = t.elapsed();
    let first = *submitted_at.keys().next().unwrap();
    let last = *finals.keys().last().unwrap();
    let peak = finals.values().map(Vec::len).max().unwrap();
    println!(
        "-- tasks finalised per block: a burst of {total} digits tasks ({gas_per_msg} gas each; submitted at heights {submitted_at:?}) --"
    );
    println!(
        "all final {} blocks after the first submission ({:.1} s); per finalising block: {:?}; peak {peak} tasks in one block",
        last - first,
        took.as_secs_f64(),
        finals.iter().map(|(h, v)| (*h, v.len())).collect::<Vec<_>>()
    );
}
