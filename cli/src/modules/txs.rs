//! Commands about transactions in general: `query tx`, `query txs` (CometBFT
//! `/tx`, `/tx_search`), and the offline flow on tx JSON files: `tx sign`
//! (also as one member of a multisig), `tx multisign`, `tx broadcast`,
//! `tx encode` and `tx decode`.

use std::path::PathBuf;

use clap::Subcommand;
use serde_json::{Value, json};

use super::{TxFlags, node, print_outcome};
use crate::Cli;
use crate::error::{CliError, Result};
use crate::output::{self, TxResponse};
use crate::rpc::{Node, parse_tx_hash};

#[derive(Subcommand, Debug)]
pub enum TxCmd {
    /// Decode a transaction (TxRaw bytes as base64 or hex) to its JSON file form
    Decode {
        /// The encoded transaction
        tx: String,
    },
    /// Encode a transaction JSON file to base64 TxRaw bytes
    Encode {
        /// The transaction JSON file
        file: PathBuf,
    },
    /// Sign a transaction JSON file (from --generate-only) with a keyring key
    Sign(crate::offline::SignArgs),
    /// Combine members' signatures (from `tx sign --multisig`) into the multisig's signature
    Multisign(crate::offline::MultisignArgs),
    /// Broadcast a signed transaction JSON file
    Broadcast {
        /// The signed transaction JSON file
        file: PathBuf,
        #[command(flatten)]
        flags: TxFlags,
    },
}

#[derive(Subcommand, Debug)]
pub enum QueryCmd {
    /// A transaction by hash, with its result and events
    Tx { hash: String },
    /// Transactions matching an event query (CometBFT /tx_search)
    Txs {
        /// Event query, e.g. "message.sender='venice1…'" or "transfer.recipient='venice1…'"
        #[arg(long)]
        query: String,
        /// Page number (from 1)
        #[arg(long, default_value_t = 1)]
        page: u32,
        /// Results per page (at most 100)
        #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u8).range(1..=100))]
        limit: u8,
    },
}

impl TxCmd {
    pub async fn run(&self, cli: &Cli) -> Result<()> {
        match self {
            TxCmd::Decode { tx } => {
                output::decode_tx_arg(tx)?;
                let bytes =
                    hex::decode(tx.trim()).or_else(|_| base64::Engine::decode(&base64::engine::general_purpose::STANDARD, tx.trim()));
                let bytes = bytes.map_err(|e| CliError::decode("transaction", e))?;
                println!("{}", crate::txfile::TxFile::from_raw_bytes(&bytes)?.to_json());
                Ok(())
            }
            TxCmd::Encode { file } => {
                let tx = crate::txfile::TxFile::read(file)?;
                println!("{}", base64::Engine::encode(&base64::engine::general_purpose::STANDARD, tx.to_raw_bytes()));
                Ok(())
            }
            TxCmd::Sign(args) => crate::offline::sign(cli, args).await,
            TxCmd::Multisign(args) => crate::offline::multisign(cli, args).await,
            TxCmd::Broadcast { file, flags } => {
                let tx = crate::txfile::TxFile::read(file)?;
                let opts = flags.options(cli)?;
                let outcome = crate::broadcast::broadcast(&node(cli)?, tx.to_raw_bytes(), &opts).await?;
                print_outcome(cli, outcome)
            }
        }
    }
}

impl QueryCmd {
    pub async fn run(&self, cli: &Cli) -> Result<Value> {
        let node = node(cli)?;
        match self {
            QueryCmd::Tx { hash } => Ok(tx(&node, hash).await?.to_value()),
            QueryCmd::Txs { query, page, limit } => txs(&node, query, *page, *limit).await,
        }
    }
}

/// `query tx HASH`.
pub async fn tx(node: &Node, hash: &str) -> Result<TxResponse> {
    let h = parse_tx_hash(hash)?;
    let res = node.tx(h).await?.ok_or_else(|| CliError::TxNotFound(h.to_string()))?;
    let timestamp = node.block_time(res.height.value()).await.unwrap_or_default();
    Ok(TxResponse::from_tx_query(&res, timestamp))
}

/// `query txs --query Q`: CometBFT `/tx_search`, as the SDK's `SearchTxsResult`.
pub async fn txs(node: &Node, query: &str, page: u32, limit: u8) -> Result<Value> {
    let (total, found) = node.tx_search(query, page, limit).await?;
    let mut times: std::collections::BTreeMap<u64, String> = std::collections::BTreeMap::new();
    let mut txs = Vec::with_capacity(found.len());
    for r in &found {
        let h = r.height.value();
        let time = match times.get(&h) {
            Some(t) => t.clone(),
            None => {
                let t = node.block_time(h).await.unwrap_or_default();
                times.insert(h, t.clone());
                t
            }
        };
        txs.push(TxResponse::from_tx_query(r, time).to_value());
    }
    let limit = u64::from(limit.max(1));
    Ok(json!({
        "total_count": total.to_string(),
        "count": txs.len().to_string(),
        "page_number": page.to_string(),
        "page_total": u64::from(total).div_ceil(limit).to_string(),
        "limit": limit.to_string(),
        "txs": txs,
    }))
}
