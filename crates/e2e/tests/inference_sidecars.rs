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
//! With no sidecar at all (one validator), `--wait` ends at the task's
//! expiry with exit 1.
//!
//! A second network puts a lying proxy (a gRPC server of this test) in
//! front of node 3's real sidecar: it alters one quantised output and signs
//! it with a matching hash. The other three out-vote it; node 3 loses
//! reputation.
//!
//! Run with `make build contracts && VENICE_BIN_DIR=build cargo test -p venice-e2e --test inference_sidecars`.

use std::process::Command;
use std::time::Duration;

use serde_json::Value;
use tonic::{Request, Response, Status};
use venice_e2e::localnet::{Net, one_network};
use venice_e2e::{free_port, http, wait_for};
use venice_model_types::quant::output_hash;
use venice_sidecar_client::pb::sidecar_server::{Sidecar, SidecarServer};
use venice_sidecar_client::{client, pb, rules};

fn metric(net: &Net, i: usize, line_prefix: &str) -> Option<u64> {
    let reply = http::get(&format!("http://127.0.0.1:{}", net.metrics_port(i)), "/metrics");
    reply.body.lines().find_map(|l| l.strip_prefix(line_prefix).and_then(|v| v.trim().parse().ok()))
}

fn digits(net: &Net) -> Value {
    let index: Value = serde_json::from_str(&std::fs::read_to_string(net.nodes[0].bins.repo.join("models/index.json")).unwrap()).unwrap();
    index["models"].as_array().unwrap().iter().find(|m| m["name"] == "digits-mlp").unwrap().clone()
}

fn executors(result: &Value) -> Vec<String> {
    let mut e: Vec<String> = result["executors"].as_array().unwrap().iter().map(|e| e.as_str().unwrap().to_string()).collect();
    e.sort();
    e
}

#[test]
fn validators_run_tasks_on_their_own_sidecars_and_one_without_a_sidecar_does_not_stall_the_chain() {
    let _one = one_network();
    let mut net = Net::init(4, 1, "venice-e2e-sidecars", &[]);
    net.start_sidecars_of(0..3);
    net.start();
    let (demo, stderr) = net.inference_demo(4);
    let (repo, bin_dir) = (net.nodes[0].bins.repo.clone(), net.nodes[0].bins.dir.clone());
    let digits = digits(&net);
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
        let mut expected: Vec<String> = net.valopers[..3].to_vec();
        expected.sort();
        assert_eq!(executors(&result), expected, "{result}");
    }
    net.assert_same_headers(&[0, 1, 2, 3]);

    // A fifth node joining later replays every block (the injected commits
    // included) to the same app hashes, and serves the same result.
    let fifth = net.add_block_sync_node();
    let target = net.nodes[0].height() + 2;
    net.nodes[fifth].wait_height(target, Duration::from_secs(120));
    net.assert_same_headers(&[0, fifth]);
    let task = net.cli_query(fifth, &["inference", "task", "1"]);
    assert_eq!(task, net.cli_query(0, &["inference", "task", "1"]), "the same task on the block-synced node");
    assert!(task.to_string().contains("final"), "{task}");
    assert_eq!(net.cli_query(fifth, &["inference", "result", "1"]), net.cli_query(0, &["inference", "result", "1"]));
}

/// A sidecar that forwards to a real one and lies about `Run`: one
/// quantised value moved by one, the hash recomputed to match it (so the
/// executor's own consistency check passes and only the vote exposes it).
struct Lying {
    upstream: String,
}

impl Lying {
    async fn client(&self) -> Result<pb::sidecar_client::SidecarClient<tonic::transport::Channel>, Status> {
        client::connect(&self.upstream).await.map_err(|e| Status::unavailable(e.to_string()))
    }
}

#[tonic::async_trait]
impl Sidecar for Lying {
    async fn run(&self, req: Request<pb::RunRequest>) -> Result<Response<pb::RunResponse>, Status> {
        let mut r = self.client().await?.run(req.into_inner()).await?.into_inner();
        let q = r.quantized.iter_mut().find(|q| q.name == "probabilities").ok_or_else(|| Status::internal("no probabilities"))?;
        q.values[0] += 1;
        let rule = rules::from_pb_opt(r.rule.as_ref()).map_err(|e| Status::internal(e.to_string()))?.unwrap();
        let tensors = rules::quantized_from_pb(&r.quantized).map_err(|e| Status::internal(e.to_string()))?;
        r.output_hash = output_hash(&rule, &tensors).to_vec();
        Ok(Response::new(r))
    }
    async fn load_model(&self, req: Request<pb::LoadModelRequest>) -> Result<Response<pb::LoadModelResponse>, Status> {
        self.client().await?.load_model(req.into_inner()).await
    }
    async fn list_models(&self, req: Request<pb::ListModelsRequest>) -> Result<Response<pb::ListModelsResponse>, Status> {
        self.client().await?.list_models(req.into_inner()).await
    }
    async fn health(&self, req: Request<pb::HealthRequest>) -> Result<Response<pb::HealthResponse>, Status> {
        self.client().await?.health(req.into_inner()).await
    }
}

#[test]
fn a_validator_whose_sidecar_lies_is_out_voted_and_loses_reputation() {
    let _one = one_network();
    let mut net = Net::init(4, 0, "venice-e2e-liar", &[]);
    net.start_sidecars_of(0..3);
    // Node 3's real sidecar on a port of its own, the proxy where node 3 looks.
    let upstream = format!("127.0.0.1:{}", free_port());
    net.start_sidecar_at(3, &upstream);
    let listen: std::net::SocketAddr = net.sidecar_address(3).parse().unwrap();
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
    let proxy = rt.spawn(tonic::transport::Server::builder().add_service(SidecarServer::new(Lying { upstream })).serve(listen));
    net.start();

    let (demo, stderr) = net.inference_demo(4);
    assert!(demo.status.success(), "demo-inference.sh --wait: {stderr}");
    let result: Value = serde_json::from_slice(&demo.stdout).expect("the result JSON");
    let digits = digits(&net);
    assert_eq!(result["quantized"]["label"]["values"], digits["expected"]["label"], "{result}");
    let mut honest: Vec<String> = net.valopers[..3].to_vec();
    honest.sort();
    assert_eq!(executors(&result), honest, "the liar is not among the agreeing executors: {result}");
    // Node 3 did answer (through the proxy), with another hash.
    let runs = metric(&net, 3, "veniced_sidecar_calls_total{call=\"run\",outcome=\"ok\"} ");
    assert_eq!(runs, Some(1), "node 3's executor took the proxy's answer");
    let rep = |i: usize| -> i64 {
        let v = net.cli_query(0, &["inference", "reputation", &net.valopers[i]]);
        v["reputation"].as_str().map(|s| s.parse().unwrap()).or_else(|| v["reputation"].as_i64()).unwrap_or_else(|| panic!("{v}"))
    };
    assert!(rep(3) < 0, "disagreeing costs reputation: {}", rep(3));
    for i in 0..3 {
        assert!(rep(i) > 0, "node{i} agreed: {}", rep(i));
    }
    net.assert_same_headers(&[0, 1, 2, 3]);
    proxy.abort();
}

#[test]
fn submit_wait_on_a_task_no_one_answers_ends_with_its_expiry_and_exit_1() {
    // One validator, no sidecar: its executor has nothing to offer.
    let mut chain = venice_e2e::Chain::init("venice-e2e-expiry");
    chain.start();
    let node = chain.rpc.url();
    let home = chain.home_str().to_string();
    let (repo, bin_dir) = (chain.bins.repo.clone(), chain.bins.dir.clone());
    let out = Command::new(repo.join("localnet/deploy-contracts.sh"))
        .args(["--home", &home, "--node", &node, "--from", "demo"])
        .env("VENICE_BIN_DIR", &bin_dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "deploy-contracts.sh: {}", String::from_utf8_lossy(&out.stderr));
    let started = std::time::Instant::now();
    let demo = Command::new(repo.join("localnet/demo-inference.sh"))
        .args(["--home", &home, "--node", &node, "--result-timeout", "60"])
        .env("VENICE_BIN_DIR", &bin_dir)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&demo.stderr);
    assert_eq!(demo.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("Error: inference task 1 expired at height"), "{stderr}");
    assert!(demo.stdout.is_empty(), "no result printed: {}", String::from_utf8_lossy(&demo.stdout));
    assert!(started.elapsed() < Duration::from_secs(60), "ended at the expiry, not at the timeout");
    let task = venice_e2e::stdout_json(&chain.venice(&["query", "inference", "task", "1", "--node", &node, "--output", "json"]));
    assert_eq!(task["task"]["status"], "expired", "{task}");
    let metrics_port = std::fs::read_to_string(chain.home.join("config/app.toml"))
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix("metrics_address = \"127.0.0.1:").map(|p| p.trim_end_matches('"').parse::<u16>().unwrap()))
        .unwrap();
    let m = http::get(&format!("http://127.0.0.1:{metrics_port}"), "/metrics").body;
    assert!(m.contains("veniced_sidecar_calls_total{call=\"connect\",outcome=\"error\"}"), "{m}");
    chain.stop("veniced");
}
