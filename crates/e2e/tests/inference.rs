//! Inference end to end through CometBFT with the `venice` CLI on one node:
//! `localnet/deploy-contracts.sh` puts the contracts on chain, the digits
//! model (models/index.json) is minted as a model NFT and listed with `tx
//! inference register-model`, a task paid with `tx inference submit` is
//! escrowed and assigned to the node's validator, and the queries answer
//! in JSON (that node runs no sidecar: the task stays assigned). Then, with
//! a sidecar and an inline-output limit below the digits output, a task
//! agreed by its hash alone has its output stored by `submit-result`.
//!
//! Run with `make build contracts && VENICE_BIN_DIR=build cargo test -p venice-e2e --test inference`.

use std::process::Command;

use serde_json::{Value, json};
use sha2::Digest;
use venice_e2e::{Chain, Cli};

const DIGITS: &str = "200b258272823f1905612e96e1b8f4b46e3dc1c106232353e6868d02f3e54bcb";

#[test]
fn digits_model_listed_and_a_task_paid_escrowed_and_assigned_via_the_cli() {
    let mut chain = Chain::init("venice-e2e-inference");
    chain.start();
    let node = chain.rpc.url();
    let script = chain.bins.repo.join("localnet/deploy-contracts.sh");
    let out = Command::new(&script)
        .args(["--home", chain.home_str(), "--node", &node, "--from", "demo"])
        .env("VENICE_BIN_DIR", &chain.bins.dir)
        .output()
        .expect("run deploy-contracts.sh");
    assert!(out.status.success(), "deploy-contracts.sh: {}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    let env = std::fs::read_to_string(chain.home.join("contracts.env")).unwrap();
    let nft = env.lines().find_map(|l| l.strip_prefix("export VENICE_MODEL_NFT=")).expect("VENICE_MODEL_NFT").to_string();
    let cli = Cli { chain: &chain, node: node.clone() };
    let demo = chain.key_address("demo");

    // The digits model as a model NFT, then listed by its owner.
    let index: Value = serde_json::from_str(&std::fs::read_to_string(chain.bins.repo.join("models/index.json")).unwrap()).unwrap();
    assert!(index["models"].as_array().unwrap().iter().any(|m| m["file"] == json!(format!("{DIGITS}.onnx"))));
    let descriptor = chain.home.join("digits.json");
    std::fs::write(
        &descriptor,
        json!({"onnx_sha256": DIGITS, "storage_uri": format!("venice://models/{DIGITS}"),
               "inputs": [{"name": "input", "dtype": "float32", "shape": [null, 64]}],
               "outputs": [{"name": "label", "dtype": "int64", "shape": [null]}],
               "quant_rule": "exact",
               "price_per_call": {"denom": "uvvv", "amount": "250"}, "royalty_bps": 1000, "license": "MIT"})
        .to_string(),
    )
    .unwrap();
    cli.tx(
        &["tx", "model", "mint", "digits", "--descriptor", descriptor.to_str().unwrap(), "--name", "digits", "--contract", &nft],
        "demo",
    );
    let resp = cli.tx(&["tx", "inference", "register-model", &nft, "digits", "--committee-size", "1"], "demo");
    assert_eq!(Cli::attr(&resp, "inference_register_model", "model_id"), DIGITS);
    let models = cli.query(&["query", "inference", "models"]);
    assert_eq!(models["models"][0]["model_id"], json!(DIGITS), "{models}");
    assert_eq!(models["models"][0]["price_per_call"]["amount"], json!("250"));

    // A paid task: max fee from the listing, escrowed, assigned at end block.
    let input = chain.bins.repo.join("models/digits-mlp.sample.json");
    let resp = cli.tx(&["tx", "inference", "submit", "--model", DIGITS, "--input", input.to_str().unwrap()], "demo");
    let id = Cli::attr(&resp, "inference_submit", "task_id");
    let task = cli.query(&["query", "inference", "task", &id])["task"].clone();
    assert_eq!((task["sender"].as_str(), task["fee"]["amount"].as_str()), (Some(demo.as_str()), Some("250")), "{task}");
    assert_eq!(task["status"], json!("assigned"), "{task}");
    assert_eq!(task["committee"].as_array().unwrap().len(), 1, "{task}");
    let escrow = venice_types::Address::module("inference").to_bech32();
    let bal = cli.query(&["query", "bank", "balances", &escrow]);
    assert_eq!(bal["balances"], json!([{"denom": "uvvv", "amount": "250"}]), "the fee is escrowed: {bal}");
    assert_eq!(cli.query(&["query", "inference", "queue"])["tasks"], json!([]));
    let params = cli.query(&["query", "inference", "params"]);
    assert_eq!(params["params"]["fee_denom"], json!("uvvv"), "{params}");
    let credits = cli.query(&["query", "inference", "credits", &demo]);
    assert_eq!(credits["credits"], json!("0"), "{credits}");
    chain.stop("veniced");
}

/// A one-node chain with `params` set in inference's genesis params and a
/// sidecar; the contracts deployed and the digits model published, listed
/// and run once on its sample (`localnet/demo-inference.sh`), whose
/// `--wait` output is returned.
fn chain_with_demo(chain_id: &str, params: &[(&str, &str)]) -> (Chain, venice_e2e::sidecar::Sidecar, Value) {
    let mut chain = Chain::init(chain_id);
    let path = chain.home.join("config/genesis.json");
    let mut g: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    for (k, v) in params {
        g["app_state"]["inference"]["params"][*k] = json!(v);
    }
    std::fs::write(&path, serde_json::to_string_pretty(&g).unwrap()).unwrap();
    let sidecar = chain.start_sidecar();
    chain.start();
    let node = chain.rpc.url();
    let repo = chain.bins.repo.clone();
    let out = Command::new(repo.join("localnet/deploy-contracts.sh"))
        .args(["--home", chain.home_str(), "--node", &node, "--from", "demo"])
        .env("VENICE_BIN_DIR", &chain.bins.dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "deploy-contracts.sh: {}", String::from_utf8_lossy(&out.stderr));
    let demo = Command::new(repo.join("localnet/demo-inference.sh"))
        .args(["--home", chain.home_str(), "--node", &node, "--result-timeout", "60"])
        .env("VENICE_BIN_DIR", &chain.bins.dir)
        .output()
        .unwrap();
    assert!(demo.status.success(), "demo-inference.sh: {}", String::from_utf8_lossy(&demo.stderr));
    let result = serde_json::from_slice(&demo.stdout).unwrap();
    (chain, sidecar, result)
}

/// With `max_inline_output_bytes` below the digits output, the task is
/// agreed by its hash alone; the executor keeps the canonical bytes in
/// `data/inference-outputs/`, from where `tx inference submit-result`
/// stores them on chain (checked against the agreed hash: other bytes are
/// refused).
#[test]
fn an_output_over_the_inline_limit_is_agreed_by_hash_then_stored_by_submit_result() {
    let (mut chain, _sidecar, result) = chain_with_demo("venice-e2e-inference-large", &[("max_inline_output_bytes", "16")]);
    let repo = chain.bins.repo.clone();
    let id = result["task_id"].as_str().unwrap().to_string();
    assert!(result["quantized"].is_null() && result["output"] == json!(""), "agreed by hash only, no output on chain yet: {result}");

    let file = chain.home.join(format!("data/inference-outputs/{id}.out"));
    let bytes = std::fs::read(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    assert_eq!(
        hex::encode(sha2::Sha256::digest(&bytes)),
        result["output_hash"].as_str().unwrap(),
        "the kept bytes hash to the agreed hash"
    );
    let cli = Cli::new(&chain);

    // Other bytes are refused (inference code 13); the kept ones are stored.
    let wrong = chain.home.join("wrong.out");
    std::fs::write(&wrong, [bytes.as_slice(), b"x"].concat()).unwrap();
    let out = cli.tx_output(&["tx", "inference", "submit-result", &id, wrong.to_str().unwrap()], "demo");
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(!out.status.success() && text.contains("code 13 (codespace inference)"), "{text}");
    cli.tx(&["tx", "inference", "submit-result", &id, file.to_str().unwrap()], "demo");
    let stored = cli.query(&["query", "inference", "result", &id])["result"].clone();
    let index: Value = serde_json::from_str(&std::fs::read_to_string(repo.join("models/index.json")).unwrap()).unwrap();
    let digits = index["models"].as_array().unwrap().iter().find(|m| m["name"] == "digits-mlp").unwrap().clone();
    assert_eq!(stored["quantized"]["label"]["values"], digits["expected"]["label"], "{stored}");
    assert_eq!(stored["output_hash"], result["output_hash"]);
    chain.stop("veniced");
}

/// A task whose input is a data credential's dataset: the dataset's issuer
/// names the inference module account (`venice debug module-address`) as
/// its consumer, the holder submits with `--data-credential`, one use is
/// spent, and the executor fetches the file by URI, checks its sha256 and
/// runs it: the result is the inline input's. A file changed after it was
/// registered is refused by the executor, so that task expires unpaid.
#[test]
fn a_task_on_a_data_credential_runs_the_dataset_checked_by_its_hash() {
    // The demo's task ran the sample inline: the reference.
    let (mut chain, _sidecar, inline) = chain_with_demo("venice-e2e-inference-data", &[("task_timeout_blocks", "6")]);
    let repo = chain.bins.repo.clone();
    let env = std::fs::read_to_string(chain.home.join("contracts.env")).unwrap();
    let creds = env.lines().find_map(|l| l.strip_prefix("export VENICE_DATA_CREDENTIAL=")).expect("VENICE_DATA_CREDENTIAL").to_string();
    let cli = Cli::new(&chain);

    let module = chain.venice(&["debug", "module-address", "inference", "--output", "json"]);
    let module: Value = serde_json::from_slice(&module.stdout).unwrap();
    let consumer = module["address"].as_str().unwrap().to_string();
    assert_eq!(consumer, venice_types::Address::module("inference").to_bech32());

    let sample = std::fs::read(repo.join("models/digits-mlp.sample.json")).unwrap();
    let data = chain.home.join("dataset.json");
    std::fs::write(&data, &sample).unwrap();
    let hash = hex::encode(sha2::Sha256::digest(&sample));
    let offer = |uri: &str| -> String {
        let resp = cli.tx(
            &[
                "tx",
                "credential",
                "offer",
                "--data-hash",
                &hash,
                "--uri",
                uri,
                "--terms",
                "CC0-1.0",
                "--price",
                "0uvvv",
                "--validity-blocks",
                "1000",
                "--uses",
                "1",
                "--consumers",
                &consumer,
                "--contract",
                &creds,
            ],
            "demo",
        );
        Cli::attr(&resp, "wasm", "dataset_id")
    };
    let buy = |dataset: &str| -> String {
        let resp = cli.tx(&["tx", "credential", "buy", dataset, "--contract", &creds], "demo");
        Cli::attr(&resp, "wasm", "credential_id")
    };
    let submit = |credential: &str| {
        let args = ["tx", "inference", "submit", "--model", DIGITS, "--data-credential", credential, "--data-credential-contract"];
        cli.tx_output(&[&args[..], &[&creds, "--wait", "--result-timeout", "60"]].concat(), "demo")
    };

    let credential = buy(&offer(&format!("file://{}", data.display())));
    let out = submit(&credential);
    assert!(out.status.success(), "submit --data-credential: {}", String::from_utf8_lossy(&out.stderr));
    let result: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(result["output_hash"], inline["output_hash"], "the dataset's result is the inline input's: {result}");
    assert_eq!(result["quantized"], inline["quantized"]);
    let task = cli.query(&["query", "inference", "task", result["task_id"].as_str().unwrap()])["task"].clone();
    assert_eq!(task["dataset"]["data_hash"], json!(hash), "{task}");
    assert_eq!(task["data_credential"]["credential_id"], json!(credential), "{task}");
    let uses_left = |credential: &str| {
        let q = format!("{{\"credential\":{{\"credential_id\":{credential}}}}}");
        cli.query(&["query", "wasm", "contract-state", "smart", &creds, &q])["data"]["credential"]["remaining_uses"].clone()
    };
    assert_eq!(uses_left(&credential), json!(0));
    // Its one use is spent.
    let again = submit(&credential);
    let text = String::from_utf8_lossy(&again.stderr);
    assert!(!again.status.success() && text.contains("code 21 (codespace inference)"), "{text}");

    // The file changes after registration: no executor runs it, the task
    // expires.
    let changed = chain.home.join("changed.json");
    std::fs::write(&changed, String::from_utf8_lossy(&sample).replace("0.0", "1.0")).unwrap();
    let credential = buy(&offer(&format!("file://{}", changed.display())));
    let out = submit(&credential);
    let text = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && text.contains("expired"), "{text}");
    // The module gave the use back at the expiry.
    assert_eq!(uses_left(&credential), json!(1));
    chain.stop("veniced");
}
