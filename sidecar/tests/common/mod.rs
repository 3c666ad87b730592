//! Helpers shared by the integration tests: the repo's real models, and a
//! real sidecar on a loopback port.
#![allow(dead_code)]

use std::path::PathBuf;
use std::time::Duration;

use serde_json::Value as Json;
use tonic::transport::Channel;
use venice_sidecar::client;
use venice_sidecar::engine::EngineConfig;
use venice_sidecar::pb::{self, sidecar_client::SidecarClient};
use venice_sidecar::server::{self, ServeConfig, Server};

pub fn models_dir() -> PathBuf {
    // Read at run time: cargo sets it for test and bench processes, and a
    // compile-time value would point at whichever checkout built the binary
    // last (the target dir is shared between checkouts).
    let dir = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").to_string());
    PathBuf::from(dir).join("../models")
}

pub fn index() -> Json {
    let text = std::fs::read_to_string(models_dir().join("index.json")).expect("models/index.json (run `make models`)");
    serde_json::from_str(&text).expect("index.json")
}

pub fn entry(name: &str) -> Json {
    index()["models"].as_array().unwrap().iter().find(|m| m["name"] == name).cloned().unwrap_or_else(|| panic!("model {name}"))
}

pub fn sha(name: &str) -> String {
    entry(name)["sha256"].as_str().unwrap().to_string()
}

pub fn model_bytes(name: &str) -> Vec<u8> {
    std::fs::read(models_dir().join(entry(name)["file"].as_str().unwrap())).unwrap()
}

pub fn sample_json(name: &str) -> Json {
    let file = entry(name)["sample_input"].as_str().unwrap().to_string();
    serde_json::from_str(&std::fs::read_to_string(models_dir().join(file)).unwrap()).unwrap()
}

pub fn sample_inputs(name: &str) -> Vec<pb::Tensor> {
    client::inputs_from_json(&sample_json(name)).unwrap()
}

pub fn run_request(name: &str) -> pb::RunRequest {
    pb::RunRequest { model: sha(name), inputs: sample_inputs(name), timeout_ms: 0, rule: None }
}

/// matmul-loop with `n` rounds (cost grows linearly with `n`).
pub fn loop_request(n: i64, timeout_ms: u64) -> pb::RunRequest {
    let mut inputs = sample_inputs("matmul-loop");
    for t in &mut inputs {
        if t.name == "n" {
            t.data = n.to_le_bytes().to_vec();
        }
    }
    pb::RunRequest { model: sha("matmul-loop"), inputs, timeout_ms, rule: None }
}

pub fn config(model_dir: PathBuf) -> EngineConfig {
    let mut c = EngineConfig::new(model_dir);
    c.session.deterministic = true;
    c.session.threads = 1;
    c.workers = 2;
    c
}

pub async fn start(engine: EngineConfig) -> (Server, SidecarClient<Channel>) {
    let cfg = ServeConfig {
        listen: "127.0.0.1:0".parse().unwrap(),
        metrics_listen: Some("127.0.0.1:0".parse().unwrap()),
        engine,
        busy_poll: None,
    };
    let server = server::start(cfg).await.expect("sidecar starts");
    let client = client::connect(&server.addr.to_string()).await.expect("client connects");
    (server, client)
}

/// Polls Health until `pred` holds (bounded: panics after 20 s).
pub async fn wait_health(c: &mut SidecarClient<Channel>, pred: impl Fn(&pb::HealthResponse) -> bool) -> pb::HealthResponse {
    for _ in 0..2000 {
        let h = c.health(pb::HealthRequest {}).await.unwrap().into_inner();
        if pred(&h) {
            return h;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("health condition not reached");
}
