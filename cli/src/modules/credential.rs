//! `tx credential …` / `query credential verify`: the data-credential
//! contract (`contracts/data-credential`) for dataset issuers and buyers.
//! Each command builds one `ExecuteMsg` / `QueryMsg` of the contract.
//!
//! The contract address comes from `--contract`, else
//! `$VENICE_DATA_CREDENTIAL`.

use clap::Subcommand;
use serde_json::{Value, json};
use venice_types::coin_text::{parse_coin, parse_coins};
use venice_types::{Address, Coin};

use super::node;
use super::wasm::{Signer, execute_contract};
use super::wasm_query::smart;
use crate::Cli;
use crate::error::{CliError, Result};

#[derive(clap::Args, Debug)]
pub struct Contract {
    /// The data-credential contract
    #[arg(long = "contract", env = "VENICE_DATA_CREDENTIAL", value_name = "ADDRESS")]
    pub address: String,
}

/// The `Offer` of a dataset.
#[derive(clap::Args, Debug)]
pub struct OfferFlags {
    /// Price of a credential, e.g. 1000uvvv (0uvvv: free)
    #[arg(long, value_name = "COIN")]
    pub price: String,
    /// Validity of a credential in blocks
    #[arg(long, conflicts_with = "validity_seconds", required_unless_present = "validity_seconds", value_name = "BLOCKS")]
    pub validity_blocks: Option<u64>,
    /// Validity of a credential in seconds
    #[arg(long, value_name = "SECONDS")]
    pub validity_seconds: Option<u64>,
    /// Number of uses of a credential (default: unlimited within the validity)
    #[arg(long)]
    pub uses: Option<u32>,
    /// Holders may transfer their credentials
    #[arg(long)]
    pub transferable: bool,
}

#[derive(Subcommand, Debug)]
pub enum TxCmd {
    /// Offer credentials to a dataset (registers the dataset with its terms and price)
    Offer {
        /// sha256 of the dataset (64 lower-case hex digits)
        #[arg(long)]
        data_hash: String,
        /// Where the dataset is
        #[arg(long)]
        uri: String,
        /// Terms of use (text or a URI to them)
        #[arg(long)]
        terms: String,
        #[command(flatten)]
        offer: OfferFlags,
        /// Consumers (comma-separated) allowed to consume credentials of this dataset
        #[arg(long, value_delimiter = ',', value_name = "ADDRESSES")]
        consumers: Vec<String>,
        #[command(flatten)]
        contract: Contract,
        #[command(flatten)]
        sender: Signer,
    },
    /// Buy a credential to a dataset (pays the offer's price unless --amount is given)
    Buy {
        dataset_id: u64,
        #[arg(long, value_name = "COINS")]
        amount: Option<String>,
        #[command(flatten)]
        contract: Contract,
        #[command(flatten)]
        sender: Signer,
    },
    /// Revoke a credential (by the dataset's issuer)
    Revoke {
        credential_id: u64,
        #[command(flatten)]
        contract: Contract,
        #[command(flatten)]
        sender: Signer,
    },
}

#[derive(Subcommand, Debug)]
pub enum QueryCmd {
    /// Whether HOLDER may use DATASET_ID now, and with which credential
    Verify {
        holder: String,
        dataset_id: u64,
        #[command(flatten)]
        contract: Contract,
        #[arg(long)]
        height: Option<u64>,
    },
}

fn coin_json(c: &Coin) -> Value {
    json!({ "denom": c.denom, "amount": c.amount.to_string() })
}

/// `ExecuteMsg::RegisterDataset`.
pub fn offer_msg(data_hash: &str, uri: &str, terms: &str, offer: &OfferFlags, consumers: &[String]) -> Result<Value> {
    if !venice_model_types::descriptor::is_sha256_hex(data_hash) {
        return Err(CliError::BadFlag { flag: "--data-hash", reason: "expected 64 lower-case hex digits".into() });
    }
    for c in consumers {
        Address::parse_arg(c)?;
    }
    let price = parse_coin(&offer.price)?;
    let validity = match (offer.validity_blocks, offer.validity_seconds) {
        (Some(b), _) => json!({ "height": b }),
        (None, Some(s)) => json!({ "time": s }),
        (None, None) => return Err(CliError::BadFlag { flag: "--validity-blocks", reason: "or --validity-seconds is required".into() }),
    };
    Ok(json!({ "register_dataset": {
        "data_hash": data_hash,
        "uri": uri,
        "terms": terms,
        "offer": { "price": coin_json(&price), "validity": validity, "uses": offer.uses, "transferable": offer.transferable },
        "consumers": consumers,
    }}))
}

/// The funds `Purchase` needs: the offer's price (none when free).
pub fn price_of(dataset: &Value) -> Result<Vec<Coin>> {
    let p = &dataset["offer"]["price"];
    let (Some(amount), Some(denom)) = (p["amount"].as_str(), p["denom"].as_str()) else {
        return Err(CliError::decode("dataset", "offer.price is not a coin"));
    };
    Ok(parse_coins(&format!("{amount}{denom}"), true)?)
}

impl TxCmd {
    pub async fn run(&self, cli: &Cli) -> Result<()> {
        match self {
            TxCmd::Offer { data_hash, uri, terms, offer, consumers, contract, sender } => {
                let msg = offer_msg(data_hash, uri, terms, offer, consumers)?;
                execute_contract(cli, sender, &contract.address, &msg, &[]).await
            }
            TxCmd::Buy { dataset_id, amount, contract, sender } => {
                let funds = match amount {
                    Some(a) => parse_coins(a, true)?,
                    None => {
                        let q = serde_json::to_vec(&json!({ "dataset": { "dataset_id": dataset_id } })).expect("JSON");
                        price_of(&smart(&node(cli)?, &contract.address, &q, None).await?)?
                    }
                };
                let msg = json!({ "purchase": { "dataset_id": dataset_id } });
                execute_contract(cli, sender, &contract.address, &msg, &funds).await
            }
            TxCmd::Revoke { credential_id, contract, sender } => {
                execute_contract(cli, sender, &contract.address, &json!({ "revoke": { "credential_id": credential_id } }), &[]).await
            }
        }
    }
}

impl QueryCmd {
    pub async fn run(&self, cli: &Cli) -> Result<Value> {
        let QueryCmd::Verify { holder, dataset_id, contract, height } = self;
        Address::parse_arg(holder)?;
        let q = serde_json::to_vec(&json!({ "verify": { "holder": holder, "dataset_id": dataset_id } })).expect("JSON");
        smart(&node(cli)?, &contract.address, &q, *height).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn offer() -> OfferFlags {
        OfferFlags { price: "1000uvvv".into(), validity_blocks: Some(100), validity_seconds: None, uses: Some(3), transferable: true }
    }

    #[test]
    fn offer_is_register_dataset() {
        let consumer = Address::module("sidecar").to_bech32();
        let m = offer_msg(&"ab".repeat(32), "ipfs://d", "CC-BY", &offer(), std::slice::from_ref(&consumer)).unwrap();
        assert_eq!(
            m,
            json!({"register_dataset": {"data_hash": "ab".repeat(32), "uri": "ipfs://d", "terms": "CC-BY",
                "offer": {"price": {"denom": "uvvv", "amount": "1000"}, "validity": {"height": 100}, "uses": 3, "transferable": true},
                "consumers": [consumer]}})
        );
        let secs = OfferFlags { validity_blocks: None, validity_seconds: Some(60), uses: None, ..offer() };
        let m = offer_msg(&"ab".repeat(32), "u", "t", &secs, &[]).unwrap();
        assert_eq!(m["register_dataset"]["offer"]["validity"], json!({"time": 60}));
        assert_eq!(m["register_dataset"]["offer"]["uses"], Value::Null);
        assert!(offer_msg("nothex", "u", "t", &offer(), &[]).is_err());
        assert!(offer_msg(&"ab".repeat(32), "u", "t", &offer(), &["bad".into()]).is_err());
    }

    #[test]
    fn buy_pays_the_price() {
        let d = json!({"id": 1, "offer": {"price": {"denom": "uvvv", "amount": "1000"}}});
        assert_eq!(price_of(&d).unwrap(), vec![Coin::new("uvvv", 1000)]);
        let free = json!({"offer": {"price": {"denom": "uvvv", "amount": "0"}}});
        assert!(price_of(&free).unwrap().is_empty());
    }
}
