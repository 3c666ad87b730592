//! Runs the real compiled contracts (`artifacts/*.wasm`, built by
//! `make contracts`) in `cosmwasm-vm`, the VM the chain's wasm module embeds.
//!
//! Messages are plain JSON, as a client would send them: this crate shares
//! no types with the contracts, so it also checks their wire format.

use std::path::PathBuf;

use cosmwasm_std::testing::message_info;
use cosmwasm_std::{Addr, Coin, ContractResult, Env, Order, Record, Response};
use cosmwasm_vm::testing::{MockApi, MockInstanceOptions, MockQuerier, MockStorage, mock_env, mock_instance_with_options};
use cosmwasm_vm::{Instance, Storage, VmError, call_execute, call_instantiate, call_migrate, call_query};
use serde_json::Value;
use sha2::{Digest, Sha256};

/// The artefacts `make contracts` writes, by crate name.
pub const CONTRACTS: [&str; 3] = ["model_nft", "data_credential", "compute_credit"];

/// Gas limit per call in the harness: far above what any call here needs, so
/// that the reported figures are what the call used.
pub const GAS_LIMIT: u64 = 500_000_000_000;

#[derive(Debug, thiserror::Error)]
pub enum HarnessError {
    #[error("{0} is missing: run `make contracts` to build the wasm artefacts")]
    MissingArtifact(PathBuf),
    #[error("{name}: sha256 {actual} is not the one in {list} ({expected}); run `make contracts` again")]
    StaleArtifact { name: String, list: PathBuf, expected: String, actual: String },
    #[error("vm: {0}")]
    Vm(#[from] VmError),
    #[error("contract returned an error: {0}")]
    Contract(String),
    #[error("json: {0}")]
    Json(#[from] serde_json::Error),
    #[error("io: {0}")]
    Io(#[from] std::io::Error),
}

/// `$VENICE_ARTIFACTS`, else `artifacts/` at the repository root.
pub fn artifacts_dir() -> PathBuf {
    std::env::var_os("VENICE_ARTIFACTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../artifacts"))
}

/// `artifacts/thirdparty`: the unmodified third-party contracts (cw20-base,
/// cw721-base), committed, rebuilt and checked by `make contracts-thirdparty`.
pub fn thirdparty_dir() -> PathBuf {
    artifacts_dir().join("thirdparty")
}

/// Reads `artifacts/<name>.wasm` and checks it against the sum recorded next
/// to it, so that a test never runs a leftover from another build.
pub fn load_wasm(name: &str) -> Result<Vec<u8>, HarnessError> {
    load_wasm_from(&artifacts_dir(), name)
}

/// [`load_wasm`] from a given directory.
pub fn load_wasm_from(dir: &std::path::Path, name: &str) -> Result<Vec<u8>, HarnessError> {
    let path = dir.join(format!("{name}.wasm"));
    let sums = dir.join("checksums.txt");
    if !path.is_file() {
        return Err(HarnessError::MissingArtifact(path));
    }
    if !sums.is_file() {
        return Err(HarnessError::MissingArtifact(sums));
    }
    let wasm = std::fs::read(&path)?;
    let actual = hex::encode(Sha256::digest(&wasm));
    let file = format!("{name}.wasm");
    let expected = std::fs::read_to_string(&sums)?
        .lines()
        .find_map(|l| {
            let (sum, f) = l.split_once("  ")?;
            (f == file).then(|| sum.to_string())
        })
        .unwrap_or_default();
    if expected != actual {
        return Err(HarnessError::StaleArtifact { name: file, list: sums, expected, actual });
    }
    Ok(wasm)
}

/// A successful call and the gas it used (CosmWasm gas units).
#[derive(Debug)]
pub struct Call {
    pub response: Response,
    pub gas: u64,
}

/// One contract instance with its own storage, as on a chain. As on a chain,
/// an execute that returns an error leaves no writes behind (the mock storage
/// is snapshotted before it and restored after a failure).
pub struct Harness {
    instance: Instance<MockApi, MockStorage, MockQuerier>,
    pub api: MockApi,
    pub env: Env,
}

impl Harness {
    /// Loads the artefact into a fresh instance (checked like `cosmwasm-check`
    /// does, with the VM's default capabilities). `balances` seeds the bank
    /// querier.
    pub fn new(name: &str, balances: &[(&str, &[Coin])]) -> Result<Self, HarnessError> {
        Ok(Self::with_wasm(&load_wasm(name)?, balances, GAS_LIMIT))
    }

    /// A fresh instance of the given wasm with its own gas limit (a small
    /// one lets a test run a contract out of gas quickly).
    pub fn with_wasm(wasm: &[u8], balances: &[(&str, &[Coin])], gas_limit: u64) -> Self {
        // wasmd also offers `stargate` (the tester needs it); the mock adds it
        // only with cosmwasm-vm's `stargate` feature, which the chain does not need.
        let mut available_capabilities = MockInstanceOptions::default().available_capabilities;
        available_capabilities.insert("stargate".to_string());
        let options = MockInstanceOptions { balances, gas_limit, available_capabilities, ..Default::default() };
        let instance = mock_instance_with_options(wasm, options);
        Harness { instance, api: MockApi::default(), env: mock_env() }
    }

    /// A valid address of the mock chain for a name.
    pub fn addr(&self, name: &str) -> String {
        self.api.addr_make(name)
    }

    pub fn contract_addr(&self) -> String {
        self.env.contract.address.to_string()
    }

    fn gas_left(&mut self) -> u64 {
        self.instance.get_gas_left()
    }

    pub fn instantiate(&mut self, sender: &str, funds: &[Coin], msg: &Value) -> Result<Call, HarnessError> {
        let info = message_info(&Addr::unchecked(sender), funds);
        let before = self.gas_left();
        let res: ContractResult<Response> = call_instantiate(&mut self.instance, &self.env, &info, &serde_json::to_vec(msg)?)?;
        let gas = before - self.gas_left();
        res.into_result().map(|response| Call { response, gas }).map_err(HarnessError::Contract)
    }

    pub fn execute(&mut self, sender: &str, funds: &[Coin], msg: &Value) -> Result<Call, HarnessError> {
        let info = message_info(&Addr::unchecked(sender), funds);
        let snapshot = self.storage_dump()?;
        let before = self.gas_left();
        let res: ContractResult<Response> = call_execute(&mut self.instance, &self.env, &info, &serde_json::to_vec(msg)?)?;
        let gas = before - self.gas_left();
        match res.into_result() {
            Ok(response) => Ok(Call { response, gas }),
            Err(e) => {
                self.storage_restore(snapshot)?;
                Err(HarnessError::Contract(e))
            }
        }
    }

    pub fn migrate(&mut self, msg: &Value) -> Result<Call, HarnessError> {
        let before = self.gas_left();
        let res: ContractResult<Response> = call_migrate(&mut self.instance, &self.env, &serde_json::to_vec(msg)?)?;
        let gas = before - self.gas_left();
        res.into_result().map(|response| Call { response, gas }).map_err(HarnessError::Contract)
    }

    /// Every key and value of the contract's storage, in key order.
    pub fn storage_dump(&mut self) -> Result<Vec<Record>, HarnessError> {
        Ok(self.instance.with_storage(dump)?)
    }

    fn storage_restore(&mut self, snapshot: Vec<Record>) -> Result<(), HarnessError> {
        self.instance.with_storage(|s| {
            for (k, _) in dump(s)? {
                s.remove(&k).0?;
            }
            for (k, v) in &snapshot {
                s.set(k, v).0?;
            }
            Ok(())
        })?;
        Ok(())
    }

    /// Answer as JSON, and the gas used.
    pub fn query(&mut self, msg: &Value) -> Result<(Value, u64), HarnessError> {
        let before = self.gas_left();
        let res = call_query(&mut self.instance, &self.env, &serde_json::to_vec(msg)?)?;
        let gas = before - self.gas_left();
        let bin = res.into_result().map_err(HarnessError::Contract)?;
        Ok((serde_json::from_slice(bin.as_slice())?, gas))
    }
}

fn dump(s: &mut MockStorage) -> cosmwasm_vm::VmResult<Vec<Record>> {
    let id = s.scan(None, None, Order::Ascending).0?;
    let mut out = Vec::new();
    while let Some(kv) = s.next(id).0? {
        out.push(kv);
    }
    Ok(out)
}

/// The value of attribute `key` in a response, if any.
pub fn attr<'a>(res: &'a Response, key: &str) -> Option<&'a str> {
    res.attributes.iter().find(|a| a.key == key).map(|a| a.value.as_str())
}

/// A model descriptor as a publisher would send it (`venice-model-types`
/// JSON), for the model-NFT contract.
pub fn sample_model_extension(hash: &str) -> Value {
    serde_json::json!({
        "name": "digits",
        "description": "scikit-learn digits classifier",
        "model": {
            "onnx_sha256": hash,
            "storage_uri": "venice://models/digits",
            "inputs": [{"name": "input", "dtype": "float32", "shape": [null, 64]}],
            "outputs": [{"name": "label", "dtype": "int64", "shape": [null]},
                        {"name": "probabilities", "dtype": "float32", "shape": [null, 10]}],
            "quant_rule": {"fixed_point": {"scale_exp": 4, "rounding": "half_even"}},
            "price_per_call": {"denom": "uvvv", "amount": "250"},
            "royalty_bps": 1500,
            "license": "MIT",
            "agent": false
        }
    })
}
