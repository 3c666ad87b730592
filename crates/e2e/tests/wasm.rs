//! CosmWasm end to end through CometBFT with the `venice` CLI: upload,
//! instantiate (classic and instantiate2 at the predicted address), execute,
//! smart and raw queries; a model NFT published and found by its hash; a
//! data credential offered, bought, verified and revoked; compute credits
//! transferred; an ICS23 proof of a contract's raw state checked against the
//! header's app hash; and `localnet/deploy-contracts.sh` (what `make run`
//! does at a home's first start) against a fresh chain.
//!
//! Run with `make build contracts && VENICE_BIN_DIR=build cargo test -p venice-e2e --test wasm`.

use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use prost::Message;
use serde_json::{Value, json};
use venice_e2e::rpc::{as_u64, b64};
use venice_e2e::{Chain, Cli};

fn artifact(name: &str) -> PathBuf {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../artifacts").join(name);
    assert!(p.is_file(), "{} missing: run `make contracts`", p.display());
    p
}

/// What these tests add to the shared CLI driver: code upload and instantiation.
trait WasmCli {
    fn store(&self, file: &str, from: &str) -> String;
    fn instantiate(&self, code_id: &str, msg: &Value, label: &str, from: &str, admin: Option<&str>) -> String;
}

impl WasmCli for Cli<'_> {
    fn store(&self, file: &str, from: &str) -> String {
        let path = artifact(file);
        let resp = self.tx(&["tx", "wasm", "store", path.to_str().unwrap()], from);
        Self::attr(&resp, "store_code", "code_id")
    }

    fn instantiate(&self, code_id: &str, msg: &Value, label: &str, from: &str, admin: Option<&str>) -> String {
        let msg = msg.to_string();
        let mut args = vec!["tx", "wasm", "instantiate", code_id, &msg, "--label", label];
        match admin {
            Some(a) => args.extend(["--admin", a]),
            None => args.push("--no-admin"),
        }
        let resp = self.tx(&args, from);
        Self::attr(&resp, "instantiate", "_contract_address")
    }
}

/// `abci_query /store/key` with `prove=true` for a key of the contract's own
/// store (`wasm/s/{len}{addr}{key}`, the prefix its storage backend adds),
/// checked against the app hash CometBFT put in the next header; the same
/// proof must not vouch for another value.
fn prove_contract_raw_state(chain: &Chain, contract: &str, key: &[u8], value: &[u8]) {
    let addr = contract.parse::<cosmrs::AccountId>().unwrap().to_bytes();
    let store_key = [b"wasm/s/".as_slice(), &[addr.len() as u8], &addr, key].concat();
    let r = chain.rpc.call("abci_query", json!({"path": "/store/key", "data": hex::encode(&store_key), "prove": true})).unwrap();
    let resp = &r["response"];
    assert_eq!(resp["code"].as_u64().unwrap_or(0), 0, "query failed: {resp}");
    assert_eq!(b64(resp["value"].as_str().unwrap_or_default()), value, "{resp}");
    let ops = resp["proofOps"]["ops"].as_array().unwrap_or_else(|| panic!("no proof ops: {resp}"));
    assert_eq!((ops.len(), ops[0]["type"].as_str()), (1, Some("ics23:jmt")), "{resp}");
    let proof = ics23::CommitmentProof::decode(b64(ops[0]["data"].as_str().unwrap()).as_slice()).unwrap();
    // The app hash after block h is in header h + 1.
    let h = as_u64(&resp["height"]);
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while chain.height() < h + 1 {
        assert!(std::time::Instant::now() < deadline, "no block {} within 30 s", h + 1);
        std::thread::sleep(Duration::from_millis(100));
    }
    let header = chain.rpc.call("header", json!({"height": (h + 1).to_string()})).unwrap();
    let root: [u8; 32] = hex::decode(header["header"]["app_hash"].as_str().unwrap()).unwrap().try_into().unwrap();
    assert!(venice_store::verify_membership(&proof, &root, &store_key, value), "contract state proof at {h}");
    assert!(!venice_store::verify_membership(&proof, &root, &store_key, b"forged"));
}

fn start() -> (Chain, String, String) {
    let mut chain = Chain::init("venice-e2e-wasm");
    let alice = chain.key_add("alice");
    let bob = chain.key_add("bob");
    chain.add_genesis_account(&alice, "100000000000uvvv");
    chain.add_genesis_account(&bob, "10000000000uvvv");
    chain.start();
    (chain, alice, bob)
}

#[test]
fn upload_instantiate_execute_query() {
    let (chain, alice, _bob) = start();
    let cli = Cli { chain: &chain, node: chain.rpc.url() };

    let code_id = cli.store("tester.wasm", "alice");
    let info = cli.query(&["query", "wasm", "code-info", &code_id]);
    assert_eq!(info["creator"], json!(alice));
    let checksum = info["checksum"].as_str().unwrap().to_lowercase();
    assert_eq!(checksum.len(), 64);
    assert!(cli.query(&["query", "wasm", "list-code"])["code_infos"].as_array().unwrap().iter().any(|c| c["code_id"] == json!(code_id)));

    let contract = cli.instantiate(&code_id, &json!({}), "tester", "alice", Some(&alice));
    let c = cli.query(&["query", "wasm", "contract", &contract]);
    assert_eq!((c["contract_info"]["admin"].as_str(), c["contract_info"]["label"].as_str()), (Some(alice.as_str()), Some("tester")));
    let by_code = cli.query(&["query", "wasm", "list-contract-by-code", &code_id]);
    assert_eq!(by_code["contracts"], json!([contract]));

    // Execute, then read the write back with a smart and a raw query.
    cli.tx(&["tx", "wasm", "execute", &contract, r#"{"set":{"key":"k","value":"v"}}"#], "alice");
    let smart = cli.query(&["query", "wasm", "contract-state", "smart", &contract, r#"{"get":{"key":"k"}}"#]);
    assert_eq!(smart, json!({"data": {"value": "v"}}));
    let raw = cli.query(&["query", "wasm", "contract-state", "raw", &contract, "k", "--ascii"]);
    assert_eq!(raw, json!({"data": "dg=="}));
    prove_contract_raw_state(&chain, &contract, b"k", b"v");
    let all = cli.query(&["query", "wasm", "contract-state", "all", &contract]);
    assert!(all["models"].as_array().unwrap().iter().any(|m| m["key"] == json!("6B") && m["value"] == json!("dg==")), "{all}");

    // instantiate2 lands at the address build-address predicts.
    let predicted = cli.query(&["query", "wasm", "build-address", &checksum, &alice, "73616c74"]);
    let msg = json!({}).to_string();
    let resp = cli.tx(&["tx", "wasm", "instantiate2", &code_id, &msg, "salt", "--label", "t2", "--no-admin"], "alice");
    assert_eq!(json!(Cli::attr(&resp, "instantiate", "_contract_address")), predicted);

    // Migrate by the admin; the history shows both entries.
    cli.tx(&["tx", "wasm", "migrate", &contract, &code_id, r#"{"version":"v2"}"#], "alice");
    let history = cli.query(&["query", "wasm", "contract-history", &contract]);
    assert_eq!(history["entries"].as_array().unwrap().len(), 2, "{history}");
    cli.tx(&["tx", "wasm", "clear-contract-admin", &contract], "alice");
    assert_eq!(cli.query(&["query", "wasm", "contract", &contract])["contract_info"]["admin"], json!(""));
}

#[test]
fn model_nft_credential_and_compute_credits() {
    let (chain, alice, bob) = start();
    let cli = Cli { chain: &chain, node: chain.rpc.url() };

    // A model NFT, published with the CLI's shortcut and found by its hash.
    let nft_code = cli.store("model_nft.wasm", "alice");
    let nft = cli.instantiate(
        &nft_code,
        &json!({"name": "Venice models", "symbol": "VMODEL", "admin": alice, "mint_fee": {"denom": "uvvv", "amount": "1000"}, "fee_collector": alice}),
        "models",
        "alice",
        None,
    );
    let hash = "3f".repeat(32);
    let descriptor = chain.home.join("digits.json");
    std::fs::write(
        &descriptor,
        json!({"onnx_sha256": hash, "storage_uri": "venice://models/digits",
               "inputs": [{"name": "input", "dtype": "float32", "shape": [null, 64]}],
               "outputs": [{"name": "label", "dtype": "int64", "shape": [null]}],
               "quant_rule": {"fixed_point": {"scale_exp": 4, "rounding": "half_even"}},
               "price_per_call": {"denom": "uvvv", "amount": "250"}, "royalty_bps": 1500, "license": "MIT"})
        .to_string(),
    )
    .unwrap();
    // The mint fee (1000uvvv) is read from the collection's config and paid.
    cli.tx(
        &["tx", "model", "mint", "digits-v1", "--descriptor", descriptor.to_str().unwrap(), "--name", "digits", "--contract", &nft],
        "bob",
    );
    let found = cli.query(&["query", "model", "by-hash", &hash, "--contract", &nft]);
    assert_eq!((found["token_id"].as_str(), found["owner"].as_str()), (Some("digits-v1"), Some(bob.as_str())));
    cli.tx(&["tx", "model", "transfer", "digits-v1", &alice, "--contract", &nft], "bob");
    assert_eq!(cli.query(&["query", "model", "info", "digits-v1", "--contract", &nft])["owner"], json!(alice));

    // A data credential: offered by alice, bought by bob, verified, revoked.
    let cred_code = cli.store("data_credential.wasm", "alice");
    let creds = cli.instantiate(&cred_code, &json!({"admin": alice, "consumers": []}), "credentials", "alice", None);
    let resp = cli.tx(
        &["tx", "credential", "offer", "--data-hash", &"ab".repeat(32), "--uri", "ipfs://data", "--terms", "CC-BY-4.0"]
            .into_iter()
            .chain(["--price", "5000uvvv", "--validity-blocks", "10000", "--contract", &creds])
            .collect::<Vec<_>>(),
        "alice",
    );
    let dataset = Cli::attr(&resp, "wasm", "dataset_id");
    let resp = cli.tx(&["tx", "credential", "buy", &dataset, "--contract", &creds], "bob");
    let credential = Cli::attr(&resp, "wasm", "credential_id");
    let v = cli.query(&["query", "credential", "verify", &bob, &dataset, "--contract", &creds]);
    assert_eq!(v["allowed"], json!(true), "{v}");
    cli.tx(&["tx", "credential", "revoke", &credential, "--contract", &creds], "alice");
    let v = cli.query(&["query", "credential", "verify", &bob, &dataset, "--contract", &creds]);
    assert_eq!(v["allowed"], json!(false), "{v}");

    // Compute credits (cw20) transferred with a plain execute.
    let credit_code = cli.store("compute_credit.wasm", "alice");
    let credit = cli.instantiate(
        &credit_code,
        &json!({"name": "Venice compute", "symbol": "VCU", "decimals": 6,
                "initial_balances": [{"address": alice, "amount": "1000000"}], "mint": null, "marketing": null, "admin": alice}),
        "credits",
        "alice",
        None,
    );
    let transfer = json!({"transfer": {"recipient": bob, "amount": "2500"}}).to_string();
    cli.tx(&["tx", "wasm", "execute", &credit, &transfer], "alice");
    let q = json!({"balance": {"address": bob}}).to_string();
    assert_eq!(cli.query(&["query", "wasm", "contract-state", "smart", &credit, &q]), json!({"data": {"balance": "2500"}}));
}

/// `localnet/deploy-contracts.sh`, as `make run` runs it at a home's first
/// start, against a fresh chain: the demo key stores and instantiates the
/// contracts, contracts.env names them, they answer, and a second run
/// deploys nothing.
#[test]
fn localnet_deploy_contracts_is_idempotent() {
    let mut chain = Chain::init("venice-e2e-deploy");
    chain.start();
    let demo = chain.key_address("demo");
    let node = chain.rpc.url();
    let script = chain.bins.repo.join("localnet/deploy-contracts.sh");
    let deploy = || {
        let out = Command::new(&script)
            .args(["--home", chain.home_str(), "--node", &node, "--from", "demo"])
            .env("VENICE_BIN_DIR", &chain.bins.dir)
            .output()
            .expect("run deploy-contracts.sh");
        let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        eprintln!("$ deploy-contracts.sh\n{text}");
        assert!(out.status.success(), "deploy-contracts.sh failed: {text}");
        text
    };
    assert!(deploy().contains("deployed ("));
    let env_file = chain.home.join("contracts.env");
    let env = std::fs::read_to_string(&env_file).unwrap();
    let var = |name: &str| -> String {
        env.lines().find_map(|l| l.strip_prefix(&format!("export {name}="))).unwrap_or_else(|| panic!("{name} in {env}")).to_string()
    };
    let cli = Cli { chain: &chain, node: node.clone() };
    let (nft, creds, credit) = (var("VENICE_MODEL_NFT"), var("VENICE_DATA_CREDENTIAL"), var("VENICE_COMPUTE_CREDIT"));
    let info = cli.query(&["query", "wasm", "contract", &credit]);
    assert_eq!(info["contract_info"]["creator"], json!(demo), "{info}");
    let q = json!({"balance": {"address": demo}}).to_string();
    assert_eq!(cli.query(&["query", "wasm", "contract-state", "smart", &credit, &q]), json!({"data": {"balance": "1000000000000"}}));
    let n = cli.query(&["query", "wasm", "contract-state", "smart", &nft, r#"{"num_tokens":{}}"#]);
    assert_eq!(n, json!({"data": {"count": 0}}));
    assert_eq!(cli.query(&["query", "wasm", "contract", &creds])["contract_info"]["label"], json!("venice-data-credentials"));
    let codes = cli.query(&["query", "wasm", "list-code"])["code_infos"].as_array().unwrap().len();
    assert_eq!(codes, 3);

    // A second start of the same home redeploys nothing.
    assert!(deploy().contains("already deployed"));
    assert_eq!(std::fs::read_to_string(&env_file).unwrap(), env);
    assert_eq!(cli.query(&["query", "wasm", "list-code"])["code_infos"].as_array().unwrap().len(), codes);
}
