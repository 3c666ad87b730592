//! `tx model …` / `query model …`: the model-NFT contract
//! (`contracts/model-nft`) for publishers, without writing its JSON by hand.
//! Each command builds one `ExecuteMsg` / `QueryMsg` of the contract.
//!
//! The contract address comes from `--contract`, else `$VENICE_MODEL_NFT`
//! (`make run` prints the address of the collection it instantiates).

use std::path::PathBuf;

use clap::Subcommand;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use venice_model_types::ModelDescriptor;
use venice_types::coin_text::parse_coins;
use venice_types::{Address, Coin};

use super::node;
use super::wasm::{Signer, execute_contract};
use super::wasm_query::smart;
use crate::Cli;
use crate::error::{CliError, Result};

/// `--contract`, defaulting to `$VENICE_MODEL_NFT`.
#[derive(clap::Args, Debug)]
pub struct Contract {
    /// The model-NFT contract
    #[arg(long = "contract", env = "VENICE_MODEL_NFT", value_name = "ADDRESS")]
    pub address: String,
}

/// The token's extension fields, as flags (mint: required, update: optional).
#[derive(clap::Args, Debug)]
pub struct ModelFlags {
    /// Model descriptor (JSON file: onnx_sha256, storage_uri, inputs, outputs, quant_rule, price_per_call, royalty_bps, license, agent)
    #[arg(long, value_name = "FILE")]
    pub descriptor: Option<PathBuf>,
    /// The ONNX file: its sha256 fills (or must equal) the descriptor's onnx_sha256
    #[arg(long, value_name = "FILE")]
    pub onnx: Option<PathBuf>,
    /// Display name of the model
    #[arg(long)]
    pub name: Option<String>,
    /// Description of the model
    #[arg(long)]
    pub description: Option<String>,
    /// URI of off-chain metadata
    #[arg(long)]
    pub token_uri: Option<String>,
}

#[derive(Subcommand, Debug)]
pub enum TxCmd {
    /// Mint a model NFT (the mint fee, if the collection has one, is paid unless --amount is given)
    Mint {
        token_id: String,
        #[command(flatten)]
        model: ModelFlags,
        /// Owner of the new token (default: the signer)
        #[arg(long)]
        owner: Option<String>,
        /// Coins to pay (default: the collection's mint fee)
        #[arg(long, value_name = "COINS")]
        amount: Option<String>,
        #[command(flatten)]
        contract: Contract,
        #[command(flatten)]
        sender: Signer,
    },
    /// Update a model's metadata (hash and quantisation rule stay fixed); unset flags keep their values
    Update {
        token_id: String,
        #[command(flatten)]
        model: ModelFlags,
        #[command(flatten)]
        contract: Contract,
        #[command(flatten)]
        sender: Signer,
    },
    /// Transfer a model NFT
    Transfer {
        token_id: String,
        recipient: String,
        #[command(flatten)]
        contract: Contract,
        #[command(flatten)]
        sender: Signer,
    },
}

#[derive(Subcommand, Debug)]
pub enum QueryCmd {
    /// A model by token id (owner, publisher, descriptor)
    Info {
        token_id: String,
        #[command(flatten)]
        contract: Contract,
        #[arg(long)]
        height: Option<u64>,
    },
    /// The model registered with an ONNX sha256
    #[command(name = "by-hash")]
    ByHash {
        onnx_sha256: String,
        #[command(flatten)]
        contract: Contract,
        #[arg(long)]
        height: Option<u64>,
    },
    /// Models of an owner (with --owner), else all token ids
    List {
        #[arg(long)]
        owner: Option<String>,
        #[arg(long)]
        start_after: Option<String>,
        #[arg(long)]
        limit: Option<u32>,
        #[command(flatten)]
        contract: Contract,
        #[arg(long)]
        height: Option<u64>,
    },
}

fn read_descriptor(path: &PathBuf) -> Result<ModelDescriptor> {
    let text = std::fs::read(path).map_err(|e| CliError::io(format!("read {}", path.display()), e))?;
    serde_json::from_slice(&text).map_err(|e| CliError::decode(format!("model descriptor {}", path.display()), e))
}

fn onnx_hash(path: &PathBuf) -> Result<String> {
    let bytes = std::fs::read(path).map_err(|e| CliError::io(format!("read {}", path.display()), e))?;
    Ok(hex::encode(Sha256::digest(&bytes)))
}

/// Applies `--onnx`: fills an empty hash, else insists they agree.
fn apply_onnx(d: &mut ModelDescriptor, hash: Option<String>) -> Result<()> {
    match hash {
        Some(h) if d.onnx_sha256.is_empty() => d.onnx_sha256 = h,
        Some(h) if d.onnx_sha256 != h => {
            return Err(CliError::BadFlag {
                flag: "--onnx",
                reason: format!("file sha256 {h} differs from the descriptor's {}", d.onnx_sha256),
            });
        }
        _ => {}
    }
    d.validate().map_err(|e| CliError::BadFlag { flag: "--descriptor", reason: e.to_string() })
}

/// `ExecuteMsg::Mint` of the model-NFT contract.
pub fn mint_msg(
    token_id: &str,
    owner: &str,
    name: &str,
    description: Option<&str>,
    token_uri: Option<&str>,
    model: &ModelDescriptor,
) -> Value {
    json!({ "mint": {
        "token_id": token_id,
        "owner": owner,
        "token_uri": token_uri,
        "extension": { "name": name, "description": description, "model": model },
    }})
}

/// `ExecuteMsg::UpdateNftInfo` from the current `ModelResponse` and the flags.
pub fn update_msg(token_id: &str, current: &Value, flags: &ModelFlags, model: Option<ModelDescriptor>) -> Result<Value> {
    let ext = &current["extension"];
    let model = match model {
        Some(m) => serde_json::to_value(m).expect("a descriptor serialises"),
        None => ext["model"].clone(),
    };
    let pick = |flag: &Option<String>, cur: &Value| flag.as_ref().map(|s| json!(s)).unwrap_or_else(|| cur.clone());
    Ok(json!({ "update_nft_info": {
        "token_id": token_id,
        "token_uri": pick(&flags.token_uri, &current["token_uri"]),
        "extension": {
            "name": pick(&flags.name, &ext["name"]),
            "description": pick(&flags.description, &ext["description"]),
            "model": model,
        },
    }}))
}

pub fn transfer_msg(token_id: &str, recipient: &str) -> Value {
    json!({ "transfer_nft": { "recipient": recipient, "token_id": token_id } })
}

/// The collection's mint fee from its `config`, as funds.
pub fn mint_fee(config: &Value) -> Result<Vec<Coin>> {
    match &config["mint_fee"] {
        Value::Null => Ok(vec![]),
        fee => {
            let (Some(amount), Some(denom)) = (fee["amount"].as_str(), fee["denom"].as_str()) else {
                return Err(CliError::decode("model-NFT config", "mint_fee is not a coin"));
            };
            Ok(parse_coins(&format!("{amount}{denom}"), true)?)
        }
    }
}

impl TxCmd {
    pub async fn run(&self, cli: &Cli) -> Result<()> {
        match self {
            TxCmd::Mint { token_id, model, owner, amount, contract, sender } => {
                let path =
                    model.descriptor.as_ref().ok_or(CliError::BadFlag { flag: "--descriptor", reason: "required to mint".into() })?;
                let name = model.name.as_deref().ok_or(CliError::BadFlag { flag: "--name", reason: "required to mint".into() })?;
                let mut d = read_descriptor(path)?;
                apply_onnx(&mut d, model.onnx.as_ref().map(onnx_hash).transpose()?)?;
                let owner = match owner {
                    Some(o) => {
                        Address::parse_arg(o)?;
                        o.clone()
                    }
                    None => crate::keyring::Keyring::open(&crate::home_dir(cli)?, cli.keyring_backend).get(&sender.from)?.address,
                };
                let funds = match amount {
                    Some(a) => parse_coins(a, true)?,
                    None => mint_fee(&smart(&node(cli)?, &contract.address, br#"{"config":{}}"#, None).await?)?,
                };
                let msg = mint_msg(token_id, &owner, name, model.description.as_deref(), model.token_uri.as_deref(), &d);
                execute_contract(cli, sender, &contract.address, &msg, &funds).await
            }
            TxCmd::Update { token_id, model, contract, sender } => {
                let current = smart(&node(cli)?, &contract.address, &model_query(token_id), None).await?;
                let d = match &model.descriptor {
                    Some(p) => {
                        let mut d = read_descriptor(p)?;
                        apply_onnx(&mut d, model.onnx.as_ref().map(onnx_hash).transpose()?)?;
                        Some(d)
                    }
                    None => None,
                };
                let msg = update_msg(token_id, &current, model, d)?;
                execute_contract(cli, sender, &contract.address, &msg, &[]).await
            }
            TxCmd::Transfer { token_id, recipient, contract, sender } => {
                Address::parse_arg(recipient)?;
                execute_contract(cli, sender, &contract.address, &transfer_msg(token_id, recipient), &[]).await
            }
        }
    }
}

fn model_query(token_id: &str) -> Vec<u8> {
    serde_json::to_vec(&json!({ "model": { "token_id": token_id } })).expect("JSON")
}

/// The `QueryMsg` of each `query model` command.
pub fn query_msg(cmd: &QueryCmd) -> Result<Value> {
    Ok(match cmd {
        QueryCmd::Info { token_id, .. } => json!({ "model": { "token_id": token_id } }),
        QueryCmd::ByHash { onnx_sha256, .. } => {
            if !venice_model_types::descriptor::is_sha256_hex(onnx_sha256) {
                return Err(CliError::BadFlag { flag: "onnx_sha256", reason: "expected 64 lower-case hex digits".into() });
            }
            json!({ "model_by_hash": { "onnx_sha256": onnx_sha256 } })
        }
        QueryCmd::List { owner: Some(owner), start_after, limit, .. } => {
            Address::parse_arg(owner)?;
            json!({ "models_by_owner": { "owner": owner, "start_after": start_after, "limit": limit } })
        }
        QueryCmd::List { owner: None, start_after, limit, .. } => json!({ "all_tokens": { "start_after": start_after, "limit": limit } }),
    })
}

impl QueryCmd {
    pub async fn run(&self, cli: &Cli) -> Result<Value> {
        let msg = serde_json::to_vec(&query_msg(self)?).expect("JSON");
        let (QueryCmd::Info { contract, height, .. } | QueryCmd::ByHash { contract, height, .. } | QueryCmd::List { contract, height, .. }) =
            self;
        smart(&node(cli)?, &contract.address, &msg, *height).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn descriptor() -> ModelDescriptor {
        serde_json::from_value(json!({
            "onnx_sha256": "", "storage_uri": "venice://models/digits",
            "inputs": [{"name": "input", "dtype": "float32", "shape": [null, 64]}],
            "outputs": [{"name": "label", "dtype": "int64", "shape": [null]}],
            "quant_rule": {"fixed_point": {"scale_exp": 4, "rounding": "half_even"}},
            "price_per_call": {"denom": "uvvv", "amount": "250"},
            "royalty_bps": 1500, "license": "MIT"
        }))
        .unwrap()
    }

    #[test]
    fn mint_message_is_the_contracts_json() {
        let mut d = descriptor();
        apply_onnx(&mut d, Some("ab".repeat(32))).unwrap();
        let m = mint_msg("digits-v1", "venice1o", "digits", None, Some("ipfs://x"), &d);
        assert_eq!(m["mint"]["token_id"], "digits-v1");
        assert_eq!(m["mint"]["owner"], "venice1o");
        assert_eq!(m["mint"]["token_uri"], "ipfs://x");
        assert_eq!(m["mint"]["extension"]["description"], Value::Null);
        assert_eq!(m["mint"]["extension"]["model"]["onnx_sha256"], "ab".repeat(32));
        assert_eq!(m["mint"]["extension"]["model"]["price_per_call"], json!({"denom": "uvvv", "amount": "250"}));
        assert_eq!(m["mint"]["extension"]["model"]["agent"], json!(false));
        // A hash that disagrees with --onnx, or none at all, is refused before signing.
        assert!(apply_onnx(&mut d.clone(), Some("cd".repeat(32))).is_err());
        assert!(apply_onnx(&mut descriptor(), None).is_err());
    }

    #[test]
    fn update_keeps_what_the_flags_do_not_change() {
        let current = json!({"token_id": "t", "owner": "o", "publisher": "p", "token_uri": "ipfs://old",
            "extension": {"name": "old", "description": "d", "model": {"onnx_sha256": "x"}}});
        let flags = ModelFlags { descriptor: None, onnx: None, name: Some("new".into()), description: None, token_uri: None };
        let m = update_msg("t", &current, &flags, None).unwrap();
        assert_eq!(
            m,
            json!({"update_nft_info": {"token_id": "t", "token_uri": "ipfs://old",
                "extension": {"name": "new", "description": "d", "model": {"onnx_sha256": "x"}}}})
        );
    }

    #[test]
    fn queries_and_transfer() {
        let c = || Contract { address: "venice1c".into() };
        let q = query_msg(&QueryCmd::ByHash { onnx_sha256: "ab".repeat(32), contract: c(), height: None }).unwrap();
        assert_eq!(q, json!({"model_by_hash": {"onnx_sha256": "ab".repeat(32)}}));
        assert!(query_msg(&QueryCmd::ByHash { onnx_sha256: "AB".repeat(32), contract: c(), height: None }).is_err());
        let q = query_msg(&QueryCmd::List { owner: None, start_after: None, limit: Some(5), contract: c(), height: None }).unwrap();
        assert_eq!(q, json!({"all_tokens": {"start_after": null, "limit": 5}}));
        let q = query_msg(&QueryCmd::Info { token_id: "t".into(), contract: c(), height: None }).unwrap();
        assert_eq!(q, json!({"model": {"token_id": "t"}}));
        assert_eq!(transfer_msg("t", "venice1r"), json!({"transfer_nft": {"recipient": "venice1r", "token_id": "t"}}));
        assert_eq!(mint_fee(&json!({"mint_fee": {"denom": "uvvv", "amount": "1000"}})).unwrap(), vec![Coin::new("uvvv", 1000)]);
        assert!(mint_fee(&json!({"mint_fee": null})).unwrap().is_empty());
    }
}
