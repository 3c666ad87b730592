//! The inference executor against a REAL `venice-sidecar` process: a model
//! NFT (the real model-NFT contract) names the digits model by its sha256
//! and a file:// URI; the sidecar starts with an empty store, fetches it from
//! there and verifies it; the executor holds, for the task assigned to its
//! validator, exactly the output hash ONNX Runtime gives for that input
//! (checked against `venice-sidecar run` on the same input), and the
//! canonical output bytes behind it. With no sidecar listening the executor
//! gives up promptly and holds nothing.
//!
//! Needs the sidecar binary (`make build-sidecar`, or `cargo build -p
//! venice-sidecar`: found beside this test's target dir, or at
//! `$VENICE_SIDECAR_BIN`) and the models (`make models`).

mod common;
mod wasm_common;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use cosmos_sdk_proto::Any;
use cosmos_sdk_proto::cosmos::base::v1beta1::Coin as PCoin;
use cosmos_sdk_proto::cosmwasm::wasm::v1 as wpb;
use prost::Name;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use venice_sdk::Address;
use venice_sdk::testing::TestKey;
use venice_store::{Store, StoreOptions};
use venice_types::inference as pb;
use veniced::App;
use veniced::config::InferenceConfig;
use veniced::executor::{Executor, consensus_address_of};
use wasm_common::{artifact, gzip, response};

const VVV: u128 = 1_000_000;
/// The validator's ed25519 consensus key (test only).
const CONS_KEY: [u8; 32] = [1; 32];

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn digits() -> Value {
    let index: Value =
        serde_json::from_str(&std::fs::read_to_string(repo().join("models/index.json")).expect("models/index.json (make models)")).unwrap();
    index["models"].as_array().unwrap().iter().find(|m| m["name"] == "digits-mlp").cloned().expect("digits-mlp in models/index.json")
}

fn sample_path() -> PathBuf {
    repo().join("models").join(digits()["sample_input"].as_str().unwrap())
}

/// The sidecar binary: `$VENICE_SIDECAR_BIN`, else the one beside this
/// test's target dir (debug or release), else `build/venice-sidecar`.
fn sidecar_bin() -> PathBuf {
    if let Ok(p) = std::env::var("VENICE_SIDECAR_BIN") {
        return PathBuf::from(p);
    }
    let exe = std::env::current_exe().unwrap();
    let target = exe.parent().and_then(Path::parent).and_then(Path::parent).unwrap().to_path_buf();
    let candidates = [target.join("debug/venice-sidecar"), target.join("release/venice-sidecar"), repo().join("build/venice-sidecar")];
    candidates.iter().find(|p| p.exists()).cloned().unwrap_or_else(|| {
        panic!("no venice-sidecar binary (looked at {candidates:?}): run `make build-sidecar` or set VENICE_SIDECAR_BIN")
    })
}

/// A real sidecar on a Unix socket, with an empty model store; killed on drop.
struct Sidecar {
    child: Child,
    socket: PathBuf,
    _dir: tempfile::TempDir,
}

impl Sidecar {
    fn start() -> Sidecar {
        let dir = tempfile::tempdir().unwrap();
        let socket = dir.path().join("sidecar.sock");
        let store = dir.path().join("store");
        std::fs::create_dir_all(&store).unwrap();
        let mut cmd = Command::new(sidecar_bin());
        cmd.arg("serve");
        // The library `make onnxruntime` links under build/lib, for a binary
        // outside build/ (the target dir's).
        let ort = repo().join("build/lib/libonnxruntime.so");
        if std::env::var_os("ORT_DYLIB_PATH").is_none() && ort.exists() {
            cmd.arg("--ort-lib").arg(ort);
        }
        let child = cmd
            .args(["--deterministic", "--threads", "1", "--metrics-listen", "off", "--model-dir"])
            .arg(&store)
            .arg("--listen")
            .arg(format!("unix:{}", socket.display()))
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("venice-sidecar starts");
        let mut s = Sidecar { child, socket, _dir: dir };
        let started = Instant::now();
        while !s.socket.exists() {
            assert!(s.child.try_wait().unwrap().is_none(), "venice-sidecar exited early");
            assert!(started.elapsed() < Duration::from_secs(30), "venice-sidecar did not listen within 30 s");
            std::thread::sleep(Duration::from_millis(20));
        }
        s
    }

    fn addr(&self) -> String {
        format!("unix:{}", self.socket.display())
    }

    /// `venice-sidecar run` on `input`: its JSON.
    fn cli_run(&self, model: &str, input: &Path) -> Value {
        let out =
            Command::new(sidecar_bin()).args(["run", "--addr", &self.addr(), "--model", model, "--input"]).arg(input).output().unwrap();
        assert!(out.status.success(), "venice-sidecar run: {}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice(&out.stdout).unwrap()
    }
}

impl Drop for Sidecar {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn any<M: Name>(m: &M) -> Any {
    Any { type_url: format!("/{}", M::full_name()), value: m.encode_to_vec() }
}

struct Chain {
    _dir: tempfile::TempDir,
    app: Arc<App>,
    keys: Vec<TestKey>,
    seqs: common::Sequences,
    height: u64,
}

impl Chain {
    fn new() -> Chain {
        let keys: Vec<_> = (0..2).map(TestKey::from_seed).collect();
        let mut g = common::genesis(&keys);
        g["app_state"]["inference"]["params"]["task_timeout_blocks"] = "3".into();
        let dir = tempfile::tempdir().unwrap();
        let app = App::new(Store::open(&dir.path().join("db"), StoreOptions::default()).unwrap(), vec![]);
        app.init_chain(veniced::genesis::init_chain_request(&g).unwrap()).unwrap();
        Chain { _dir: dir, app: Arc::new(app), keys, seqs: common::Sequences::new(2), height: 0 }
    }

    fn addr(&self, i: usize) -> Address {
        self.keys[i].address()
    }

    fn tx(&mut self, from: usize, msg: Any) -> Vec<u8> {
        let p = self.seqs.next(from, 3_000_000);
        self.keys[from].sign_tx(vec![msg], &p)
    }

    fn block(&mut self, txs: Vec<Vec<u8>>) -> tendermint_proto::v0_38::abci::ResponseFinalizeBlock {
        self.height += 1;
        common::run_block(&self.app, self.height, txs)
    }

    fn ok(&mut self, from: usize, msg: Any) -> tendermint_proto::v0_38::abci::ExecTxResult {
        let tx = self.tx(from, msg);
        let r = self.block(vec![tx]).tx_results.remove(0);
        assert_eq!(r.code, 0, "{} ({}:{})", r.log, r.codespace, r.code);
        r
    }

    /// Key 0 validates with `CONS_KEY`; key 1 mints the digits model NFT
    /// (URI: the repo's file) and lists it.
    fn with_digits_listed() -> (Chain, String) {
        let mut c = Chain::new();
        let create = c.keys[0].create_validator_msg(&CONS_KEY, 100 * VVV);
        c.ok(0, create);
        let store =
            wpb::MsgStoreCode { sender: c.addr(0).to_bech32(), wasm_byte_code: gzip(&artifact("model_nft")), instantiate_permission: None };
        let code_id = response::<wpb::MsgStoreCodeResponse>(&c.ok(0, any(&store))).code_id;
        let init = json!({"name": "Venice models", "symbol": "VMODEL", "admin": null, "mint_fee": null,
                          "fee_collector": c.addr(0).to_bech32()});
        let inst = wpb::MsgInstantiateContract {
            sender: c.addr(0).to_bech32(),
            admin: String::new(),
            code_id,
            label: "models".into(),
            msg: serde_json::to_vec(&init).unwrap(),
            funds: vec![],
        };
        let nft = response::<wpb::MsgInstantiateContractResponse>(&c.ok(0, any(&inst))).address;
        let d = digits();
        let sha = d["sha256"].as_str().unwrap().to_string();
        let file = repo().join("models").join(d["file"].as_str().unwrap()).canonicalize().unwrap();
        let mint = json!({"mint": {"token_id": "digits", "owner": c.addr(1).to_bech32(), "token_uri": null,
            "extension": {"name": "digits-mlp", "description": "sklearn digits", "model": {
                "onnx_sha256": sha, "storage_uri": format!("file://{}", file.display()),
                "inputs": [{"name": "input", "dtype": "float32", "shape": [null, 64]}],
                "outputs": [{"name": "label", "dtype": "int64", "shape": [null]}, {"name": "probabilities", "dtype": "float32", "shape": [null, 10]}],
                "quant_rule": d["rule"], "price_per_call": {"denom": "uvvv", "amount": "100"},
                "royalty_bps": 1000, "license": "MIT", "agent": false}}}});
        let exec = wpb::MsgExecuteContract {
            sender: c.addr(1).to_bech32(),
            contract: nft.clone(),
            msg: serde_json::to_vec(&mint).unwrap(),
            funds: vec![],
        };
        c.ok(1, any(&exec));
        let register = pb::MsgRegisterModel {
            owner: c.addr(1).to_bech32(),
            nft_contract: nft,
            token_id: "digits".into(),
            max_input_bytes: 8192,
            max_output_bytes: 4096,
            committee_size: 1,
        };
        c.ok(1, any(&register));
        (c, sha)
    }

    fn submit(&mut self, sha: &str, input: &Value) -> u64 {
        let m = pb::MsgSubmitInference {
            sender: self.addr(1).to_bech32(),
            model_id: sha.into(),
            input: serde_json::to_vec(input).unwrap(),
            data_credential: None,
            max_fee: Some(PCoin { denom: "uvvv".into(), amount: "100".into() }),
            priority: String::new(),
        };
        response::<pb::MsgSubmitInferenceResponse>(&self.ok(1, any(&m))).task_id
    }
}

fn config(addr: &str) -> InferenceConfig {
    InferenceConfig {
        sidecar_address: addr.into(),
        run_timeout_ms: 5_000,
        load_timeout_ms: 10_000,
        max_concurrent_runs: 2,
        ..Default::default()
    }
}

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap()
}

#[test]
fn executor_holds_the_output_onnx_runtime_gives_and_drops_it_when_the_chain_no_longer_wants_it() {
    let sidecar = Sidecar::start();
    let (mut c, sha) = Chain::with_digits_listed();
    let exec = Executor::start(c.app.clone(), consensus_address_of(&CONS_KEY), config(&sidecar.addr())).unwrap();
    let rt = rt();

    let sample: Value = serde_json::from_str(&std::fs::read_to_string(sample_path()).unwrap()).unwrap();
    let task_id = c.submit(&sha, &sample);
    assert!(rt.block_on(exec.settle(c.height, Duration::from_secs(60))), "executor did not settle");
    let got = exec.finished();
    assert_eq!(got.iter().map(|r| r.task_id).collect::<Vec<_>>(), vec![task_id], "one result, for the assigned task");

    // The same input straight through `venice-sidecar run` (the model is in
    // the sidecar's store now: the executor had it fetched from the URI).
    let direct = sidecar.cli_run(&sha, &sample_path());
    assert_eq!(hex::encode(&got[0].output_hash), direct["output_hash"].as_str().unwrap(), "ONNX Runtime's output hash");
    assert_eq!(Sha256::digest(&got[0].output).as_slice(), got[0].output_hash.as_slice());
    let (_, tensors) = venice_model_types::decode::decode_canonical(&got[0].output).unwrap();
    assert_eq!(tensors[0].name, "label");
    assert_eq!(
        tensors[0].values,
        digits()["expected"]["label"].as_array().unwrap().iter().map(|v| v.as_i64().unwrap()).collect::<Vec<_>>()
    );
    assert_eq!(json!(tensors[1].values), direct["quantized"]["probabilities"]["values"]);

    // A second task with another input: another hash, both held.
    let mut other = sample.clone();
    for v in other["inputs"]["input"]["data"].as_array_mut().unwrap() {
        *v = json!(1.0 - v.as_f64().unwrap());
    }
    let second = c.submit(&sha, &other);
    assert!(rt.block_on(exec.settle(c.height, Duration::from_secs(60))));
    let got = exec.finished();
    assert_eq!(got.iter().map(|r| r.task_id).collect::<Vec<_>>(), vec![task_id, second]);
    assert_ne!(got[0].output_hash, got[1].output_hash);

    // No vote extensions here: both tasks expire at their deadline, and the
    // executor drops what the chain no longer wants.
    for _ in 0..4 {
        c.block(vec![]);
    }
    assert!(rt.block_on(exec.settle(c.height, Duration::from_secs(10))));
    assert!(exec.finished().is_empty(), "expired tasks' results are dropped");
    let metrics = veniced::metrics::render(&c.app);
    assert!(metrics.contains("veniced_sidecar_calls_total{call=\"run\",outcome=\"ok\"} 2"), "{metrics}");
    assert!(metrics.contains("veniced_sidecar_calls_total{call=\"load_model\",outcome=\"ok\"} 1"), "{metrics}");
}

#[test]
fn without_a_sidecar_the_executor_holds_nothing_and_returns_promptly() {
    let dir = tempfile::tempdir().unwrap();
    let missing = format!("unix:{}", dir.path().join("nobody-listens.sock").display());
    let (mut c, sha) = Chain::with_digits_listed();
    let exec = Executor::start(c.app.clone(), consensus_address_of(&CONS_KEY), config(&missing)).unwrap();
    let rt = rt();
    let sample: Value = serde_json::from_str(&std::fs::read_to_string(sample_path()).unwrap()).unwrap();
    let started = Instant::now();
    c.submit(&sha, &sample);
    let blocks = started.elapsed();
    assert!(rt.block_on(exec.settle(c.height, Duration::from_secs(5))), "gave up within 5 s");
    assert!(exec.finished().is_empty());
    // Later blocks retry, still without holding anything up.
    c.block(vec![]);
    assert!(rt.block_on(exec.settle(c.height, Duration::from_secs(5))));
    assert!(exec.finished().is_empty());
    assert!(blocks < Duration::from_secs(5), "the block itself never waited on the sidecar: {blocks:?}");
    let metrics = veniced::metrics::render(&c.app);
    assert!(metrics.contains("veniced_sidecar_calls_total{call=\"connect\",outcome=\"error\"}"), "{metrics}");
}

#[test]
fn an_executor_started_late_catches_up_on_tasks_still_open() {
    let sidecar = Sidecar::start();
    let (mut c, sha) = Chain::with_digits_listed();
    let sample: Value = serde_json::from_str(&std::fs::read_to_string(sample_path()).unwrap()).unwrap();
    let task_id = c.submit(&sha, &sample);
    c.block(vec![]);
    // The node restarts (or its executor starts) two blocks after the assignment.
    let exec = Executor::start(c.app.clone(), consensus_address_of(&CONS_KEY), config(&sidecar.addr())).unwrap();
    assert!(rt().block_on(exec.settle(c.height, Duration::from_secs(60))));
    assert_eq!(exec.finished().iter().map(|r| r.task_id).collect::<Vec<_>>(), vec![task_id]);
    // Another validator's executor (not in the committee) holds nothing.
    let other = Executor::start(c.app.clone(), consensus_address_of(&[9; 32]), config(&sidecar.addr())).unwrap();
    assert!(rt().block_on(other.settle(c.height, Duration::from_secs(10))));
    assert!(other.finished().is_empty());
}
