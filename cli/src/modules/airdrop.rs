//! `tx airdrop claim` and `query airdrop info|claimed`: the
//! `venice.airdrop.v1` messages and queries.

use std::path::PathBuf;

use clap::Subcommand;
use cosmos_sdk_proto::Any;
use prost::Message;
use serde_json::{Value, json};
use venice_types::Address;
use venice_types::airdrop as pb;
use venice_types::time::Timestamp;

use super::{TxFlags, node, print_outcome};
use crate::Cli;
use crate::broadcast;
use crate::error::{CliError, Result};
use crate::keyring::Keyring;
use crate::query::coin_or_zero;

#[derive(Subcommand, Debug)]
pub enum TxCmd {
    /// Claim an airdrop allocation with its merkle proof: AMOUNT (base units)
    /// and --proof, or both read from --proofs-file (airdrop-proofs.json)
    Claim {
        /// Amount in base units (uvvv), as listed
        amount: Option<String>,
        /// Sibling hashes from the leaf up, hex, comma-separated
        #[arg(long, value_delimiter = ',', value_name = "HEX,HEX,...")]
        proof: Vec<String>,
        /// The airdrop-proofs.json `veniced genesis allocate` wrote: take this key's amount and proof
        #[arg(long, conflicts_with = "proof")]
        proofs_file: Option<PathBuf>,
        /// Key name or address in the keyring (the claimer)
        #[arg(long)]
        from: String,
        #[command(flatten)]
        flags: TxFlags,
    },
}

#[derive(Subcommand, Debug)]
pub enum QueryCmd {
    /// The airdrop: merkle root, total, deadline, claimed so far, what is left, whether swept
    Info {
        #[arg(long)]
        height: Option<u64>,
    },
    /// Whether ADDRESS has claimed, and how much
    Claimed {
        address: String,
        #[arg(long)]
        height: Option<u64>,
    },
}

/// The claim message; `proof` as hex strings of 32 bytes.
pub fn msg_claim(claimer: &str, amount: &str, proof: &[String]) -> Result<Any> {
    if amount.parse::<u128>().map_or(true, |a| a == 0) {
        return Err(CliError::TxBuild(format!("amount {amount:?} must be a positive integer in base units")));
    }
    let proof = proof
        .iter()
        .map(|h| match hex::decode(h.trim()) {
            Ok(b) if b.len() == 32 => Ok(b),
            _ => Err(CliError::BadFlag { flag: "--proof", reason: format!("{h:?} is not a 32-byte hex hash") }),
        })
        .collect::<Result<Vec<_>>>()?;
    let m = pb::MsgClaim { claimer: claimer.to_string(), amount: amount.to_string(), proof };
    Ok(Any { type_url: pb::MSG_CLAIM_URL.into(), value: m.encode_to_vec() })
}

/// This claimer's (amount, proof) from an airdrop-proofs.json document.
pub fn from_proofs_file(doc: &Value, claimer: &str) -> Result<(String, Vec<String>)> {
    let entry = &doc["claims"][claimer];
    let amount = entry["amount"].as_str().ok_or_else(|| CliError::TxBuild(format!("{claimer} is not in the proofs file")))?;
    let proof = entry["proof"].as_array().map(|a| a.iter().filter_map(|h| h.as_str().map(str::to_string)).collect()).unwrap_or_default();
    Ok((amount.to_string(), proof))
}

impl TxCmd {
    pub async fn run(&self, cli: &Cli) -> Result<()> {
        let TxCmd::Claim { amount, proof, proofs_file, from, flags } = self;
        let opts = flags.options(cli)?;
        let keyring = Keyring::open(&crate::home_dir(cli)?, cli.keyring_backend);
        let key = keyring.get(from)?;
        let (amount, proof) = match (proofs_file, amount) {
            (Some(path), _) => {
                let text = std::fs::read_to_string(path).map_err(|e| CliError::TxBuild(format!("{}: {e}", path.display())))?;
                let doc: Value = serde_json::from_str(&text).map_err(|e| CliError::TxBuild(format!("{}: {e}", path.display())))?;
                from_proofs_file(&doc, &key.address)?
            }
            (None, Some(a)) => (a.clone(), proof.clone()),
            (None, None) => return Err(CliError::TxBuild("give AMOUNT and --proof, or --proofs-file".into())),
        };
        let msgs = vec![msg_claim(&key.address, &amount, &proof)?];
        let node = node(cli)?;
        print_outcome(cli, broadcast::sign_and_broadcast(&node, &keyring, &key, msgs, &opts).await?)
    }
}

impl QueryCmd {
    pub async fn run(&self, cli: &Cli) -> Result<Value> {
        let node = node(cli)?;
        match self {
            QueryCmd::Info { height } => {
                let r: pb::QueryInfoResponse = node.query(pb::QUERY_INFO, &pb::QueryInfoRequest {}, *height).await?;
                let p = r.params.unwrap_or_default();
                let denom = p.total.as_ref().map(|c| c.denom.clone()).unwrap_or_default();
                let deadline = p.deadline.map(|t| Timestamp::new(t.seconds, t.nanos.max(0) as u32).to_rfc3339());
                Ok(json!({
                    "merkle_root": p.merkle_root,
                    "total": coin_or_zero(p.total, &denom),
                    "deadline": deadline,
                    "claimed": coin_or_zero(r.claimed, &denom),
                    "remaining": coin_or_zero(r.remaining, &denom),
                    "swept": r.swept,
                }))
            }
            QueryCmd::Claimed { address, height } => {
                Address::parse_arg(address)?;
                let req = pb::QueryClaimRecordRequest { address: address.clone() };
                let r: pb::QueryClaimRecordResponse = node.query(pb::QUERY_CLAIM_RECORD, &req, *height).await?;
                let denom = r.amount.as_ref().map(|c| c.denom.clone()).unwrap_or_default();
                Ok(json!({ "address": r.address, "claimed": r.claimed, "amount": coin_or_zero(r.amount, &denom) }))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claim_message_and_proofs_file() {
        let h = "ab".repeat(32);
        let any = msg_claim("venice1x", "500", std::slice::from_ref(&h)).unwrap();
        assert_eq!(any.type_url, "/venice.airdrop.v1.MsgClaim");
        let m = pb::MsgClaim::decode(any.value.as_slice()).unwrap();
        assert_eq!((m.amount.as_str(), m.proof.len(), m.proof[0][0]), ("500", 1, 0xab));
        assert!(msg_claim("venice1x", "0", &[]).is_err());
        assert!(msg_claim("venice1x", "5", &["abcd".into()]).is_err());
        let doc = json!({"claims": {"venice1x": {"amount": "7", "proof": [h]}}});
        assert_eq!(from_proofs_file(&doc, "venice1x").unwrap().0, "7");
        assert!(from_proofs_file(&doc, "venice1y").is_err());
    }
}
