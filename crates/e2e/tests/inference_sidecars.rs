//! The 4-validator localnet with real sidecars: nodes 0-2 each run their
//! own `venice-sidecar`, node 3's is down. `localnet/demo-inference.sh`
//! publishes the digits model (file:// URI), lists it with a committee of
//! all four and submits one task with `--wait`. Each running sidecar
//! fetches the model into its own store and each of those executors runs
//! the task (the nodes' `veniced_sidecar_calls_total`); node 3's executor
//! finds no sidecar and the chain goes on regardless. The three with a
//! result hold more than 2/3 of the power (3300 of 4600): their vote
//! extensions make the task final, and `--wait` prints the result, checked
//! here against `venice-sidecar run` on the same input.
//!
//! Run with `make build contracts && VENICE_BIN_DIR=build cargo test -p venice-e2e --test inference_sidecars`.

use std::process::Command;
use std::time::Duration;

use serde_json::Value;
use venice_e2e::localnet::{Net, one_network};
use venice_e2e::{http, wait_for};

fn metric(net: &Net, i: usize, line_prefix: &str) -> Option<u64> {
    let reply = http::get(&format!("http://127.0.0.1:{}", net.metrics_port(i)), "/metrics");
    reply.body.lines().find_map(|l| l.strip_prefix(line_prefix).and_then(|v| v.trim().parse().ok()))
}

#[test]
fn validators_run_tasks_on_their_own_sidecars_and_one_without_a_sidecar_does_not_stall_the_chain() {
    let _one = one_network();
    let mut net = Net::init(4, 0, "venice-e2e-sidecars", &[]);
    for i in 0..3 {
        let addr = net.sidecar_address(i);
        net.start_sidecar_at(i, &addr);
    }
    net.start();
    let repo = net.nodes[0].bins.repo.clone();
    let bin_dir = net.nodes[0].bins.dir.clone();
    let home0 = net.nodes[0].home.clone();
    let node = net.node_url(0);

    let out = Command::new(repo.join("localnet/deploy-contracts.sh"))
        .args(["--home", home0.to_str().unwrap(), "--node", &node, "--from", "demo"])
        .env("VENICE_BIN_DIR", &bin_dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "deploy-contracts.sh: {}", String::from_utf8_lossy(&out.stderr));
    let demo = Command::new(repo.join("localnet/demo-inference.sh"))
        .args(["--home", home0.to_str().unwrap(), "--node", &node, "--committee-size", "4", "--result-timeout", "90"])
        .env("VENICE_BIN_DIR", &bin_dir)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&demo.stderr).into_owned();
    eprintln!("demo-inference.sh: {stderr}");

    let index: Value = serde_json::from_str(&std::fs::read_to_string(repo.join("models/index.json")).unwrap()).unwrap();
    let digits = index["models"].as_array().unwrap().iter().find(|m| m["name"] == "digits-mlp").unwrap().clone();
    let sha = digits["sha256"].as_str().unwrap();

    // Each running sidecar fetched the model from its URI; each of those
    // executors ran the task once.
    for i in 0..3 {
        let stored = net.nodes[i].home.join(format!("sidecar/models/{sha}.onnx"));
        assert!(stored.is_file(), "node{i}'s sidecar fetched the model into its store");
        let runs = wait_for(&format!("node{i}'s executor ran the task"), Duration::from_secs(30), || {
            metric(&net, i, "veniced_sidecar_calls_total{call=\"run\",outcome=\"ok\"} ")
        });
        assert_eq!(runs, 1, "node{i}");
    }
    // Node 3: no sidecar, no run, and no harm.
    assert_eq!(metric(&net, 3, "veniced_sidecar_calls_total{call=\"run\",outcome=\"ok\"} "), None);
    assert!(metric(&net, 3, "veniced_sidecar_calls_total{call=\"connect\",outcome=\"error\"} ").unwrap_or(0) >= 1);
    let h = net.nodes[3].height();
    net.wait_all(h + 3, Duration::from_secs(60));

    assert!(demo.status.success(), "demo-inference.sh --wait: {stderr}");
    {
        // Final: the agreed output is what ONNX Runtime gives for the input.
        let result: Value = serde_json::from_slice(&demo.stdout).expect("the result JSON");
        let sample = repo.join("models").join(digits["sample_input"].as_str().unwrap());
        let direct = Command::new(bin_dir.join("venice-sidecar"))
            .args(["run", "--addr", &net.sidecar_address(0), "--model", sha, "--input", sample.to_str().unwrap()])
            .output()
            .unwrap();
        assert!(direct.status.success(), "venice-sidecar run: {}", String::from_utf8_lossy(&direct.stderr));
        let direct: Value = serde_json::from_slice(&direct.stdout).unwrap();
        assert_eq!(result["output_hash"], direct["output_hash"], "{result}");
        assert_eq!(result["quantized"]["label"]["values"], digits["expected"]["label"], "{result}");
        assert_eq!(result["quantized"]["probabilities"]["values"], direct["quantized"]["probabilities"]["values"]);
        // Node 3 stayed silent: the agreeing executors are the other three.
        let mut executors: Vec<String> =
            result["executors"].as_array().unwrap().iter().map(|e| e.as_str().unwrap().to_string()).collect();
        executors.sort();
        let mut expected: Vec<String> = net.valopers[..3].to_vec();
        expected.sort();
        assert_eq!(executors, expected, "{result}");
    }
    net.assert_same_headers(&[0, 1, 2, 3]);
}
