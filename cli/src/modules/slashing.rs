//! `tx slashing unjail`, `query slashing …` (`cosmos.slashing.v1beta1`) and
//! `query evidence [HASH]` (`cosmos.evidence.v1beta1`), printed as the SDK's
//! CLI prints them (protobuf JSON: integers as strings, RFC 3339 times).

use base64::Engine;
use clap::{Args, Subcommand};
use cosmos_sdk_proto::Any;
use cosmos_sdk_proto::cosmos::evidence::v1beta1 as evpb;
use cosmos_sdk_proto::cosmos::slashing::v1beta1 as pb;
use prost::Message;
use serde_json::{Value, json};
use venice_types::paths::{self, MSG_UNJAIL_URL};
use venice_types::time::{Duration, Timestamp};
use venice_types::{Address, Dec};

use super::{TxFlags, node, print_outcome};
use crate::Cli;
use crate::broadcast;
use crate::error::{CliError, Result};
use crate::keyring::Keyring;
use crate::query::{MAX_PAGES, page};
use crate::rpc::Node;

#[derive(Subcommand, Debug)]
pub enum TxCmd {
    /// Unjail your validator (after its downtime jail time has passed)
    Unjail {
        /// Key name or address in the keyring: the validator's operator
        #[arg(long)]
        from: String,
        #[command(flatten)]
        flags: TxFlags,
    },
}

#[derive(Subcommand, Debug)]
pub enum QueryCmd {
    /// A validator's signing info, by consensus address (venicevalcons1…)
    /// or consensus public key JSON ({"@type":"/cosmos.crypto.ed25519.PubKey","key":"…"})
    #[command(name = "signing-info")]
    SigningInfo {
        validator_conspub: String,
        /// Query state at this height (default: latest)
        #[arg(long)]
        height: Option<u64>,
    },
    /// Every validator's signing info
    #[command(name = "signing-infos")]
    SigningInfos {
        #[arg(long)]
        height: Option<u64>,
    },
    /// Slashing parameters
    Params {
        #[arg(long)]
        height: Option<u64>,
    },
}

/// `query evidence [HASH]`: one piece of evidence by its hex hash, or all.
#[derive(Args, Debug)]
pub struct EvidenceCmd {
    /// Hex hash of the evidence (all evidence when absent)
    pub hash: Option<String>,
    #[arg(long)]
    pub height: Option<u64>,
}

impl TxCmd {
    pub async fn run(&self, cli: &Cli) -> Result<()> {
        match self {
            TxCmd::Unjail { from, flags } => {
                let opts = flags.options(cli)?;
                let keyring = Keyring::open(&crate::home_dir(cli)?, cli.keyring_backend);
                let node = node(cli)?;
                let key = keyring.get(from)?;
                let msgs = vec![msg_unjail(&Address::parse(&key.address)?)];
                let outcome = broadcast::sign_and_broadcast(&node, &keyring, &key, msgs, &opts).await?;
                print_outcome(cli, outcome)
            }
        }
    }
}

impl QueryCmd {
    pub async fn run(&self, cli: &Cli) -> Result<Value> {
        let node = node(cli)?;
        match self {
            QueryCmd::SigningInfo { validator_conspub, height } => {
                let req = pb::QuerySigningInfoRequest { cons_address: cons_address(validator_conspub)? };
                let res: pb::QuerySigningInfoResponse = node.query(paths::slashing::SIGNING_INFO, &req, *height).await?;
                Ok(json!({ "val_signing_info": res.val_signing_info.as_ref().map(signing_info_json) }))
            }
            QueryCmd::SigningInfos { height } => signing_infos(&node, *height).await,
            QueryCmd::Params { height } => {
                let res: pb::QueryParamsResponse = node.query(paths::slashing::PARAMS, &pb::QueryParamsRequest {}, *height).await?;
                Ok(json!({ "params": res.params.as_ref().map(params_json) }))
            }
        }
    }
}

impl EvidenceCmd {
    pub async fn run(&self, cli: &Cli) -> Result<Value> {
        let node = node(cli)?;
        match &self.hash {
            Some(h) => {
                hex::decode(h).map_err(|e| CliError::decode(format!("evidence hash {h:?}"), e))?;
                #[allow(deprecated)]
                let req = evpb::QueryEvidenceRequest { evidence_hash: vec![], hash: h.clone() };
                let res: evpb::QueryEvidenceResponse = node.query(paths::evidence::EVIDENCE, &req, self.height).await?;
                Ok(json!({ "evidence": res.evidence.as_ref().map(evidence_json).transpose()? }))
            }
            None => {
                let mut all = Vec::new();
                let mut key = Vec::new();
                for _ in 0..MAX_PAGES {
                    let req = evpb::QueryAllEvidenceRequest { pagination: page(key.clone()) };
                    let res: evpb::QueryAllEvidenceResponse = node.query(paths::evidence::ALL_EVIDENCE, &req, self.height).await?;
                    for e in &res.evidence {
                        all.push(evidence_json(e)?);
                    }
                    let next = res.pagination.map(|p| p.next_key).unwrap_or_default();
                    if next.is_empty() || next == key {
                        return Ok(json!({ "evidence": all, "pagination": { "next_key": null, "total": all.len().to_string() } }));
                    }
                    key = next;
                }
                Err(CliError::decode("paginated response", "too many pages"))
            }
        }
    }
}

pub fn msg_unjail(operator: &Address) -> Any {
    Any { type_url: MSG_UNJAIL_URL.into(), value: pb::MsgUnjail { validator_addr: operator.to_valoper() }.encode_to_vec() }
}

/// A `venicevalcons1…` address, or the address of a consensus key given as
/// the SDK's pubkey JSON.
pub fn cons_address(arg: &str) -> Result<String> {
    let arg = arg.trim();
    if !arg.starts_with('{') {
        return Ok(Address::parse_valcons(arg)?.to_valcons());
    }
    let v: Value = serde_json::from_str(arg).map_err(|e| CliError::decode("consensus public key JSON", e))?;
    if v["@type"] != paths::ED25519_PUBKEY_URL {
        return Err(CliError::decode("consensus public key JSON", format!("want {}, got {}", paths::ED25519_PUBKEY_URL, v["@type"])));
    }
    let key = base64::engine::general_purpose::STANDARD
        .decode(v["key"].as_str().unwrap_or_default())
        .map_err(|e| CliError::decode("consensus public key", e))?;
    if key.len() != 32 {
        return Err(CliError::decode("consensus public key", format!("ed25519 keys are 32 bytes, got {}", key.len())));
    }
    Ok(Address::consensus(&key).to_valcons())
}

fn time_json(t: &Option<cosmos_sdk_proto::Timestamp>) -> String {
    let t = t.unwrap_or_default();
    Timestamp::new(t.seconds, t.nanos.max(0) as u32).to_rfc3339()
}

pub fn signing_info_json(i: &pb::ValidatorSigningInfo) -> Value {
    json!({
        "address": i.address,
        "start_height": i.start_height.to_string(),
        "index_offset": i.index_offset.to_string(),
        "jailed_until": time_json(&i.jailed_until),
        "tombstoned": i.tombstoned,
        "missed_blocks_counter": i.missed_blocks_counter.to_string(),
    })
}

/// A protobuf `LegacyDec` (the bytes of its 18-digit integer) as the SDK's decimal text.
fn dec_bytes(b: &[u8]) -> String {
    std::str::from_utf8(b).ok().and_then(Dec::from_atto_str).map(Dec::to_sdk_string).unwrap_or_default()
}

pub fn params_json(p: &pb::Params) -> Value {
    let d = p.downtime_jail_duration.unwrap_or_default();
    json!({
        "signed_blocks_window": p.signed_blocks_window.to_string(),
        "min_signed_per_window": dec_bytes(&p.min_signed_per_window),
        "downtime_jail_duration": Duration { secs: d.seconds, nanos: d.nanos.max(0) as u32 }.to_json_string(),
        "slash_fraction_double_sign": dec_bytes(&p.slash_fraction_double_sign),
        "slash_fraction_downtime": dec_bytes(&p.slash_fraction_downtime),
    })
}

async fn signing_infos(node: &Node, height: Option<u64>) -> Result<Value> {
    let mut all = Vec::new();
    let mut key = Vec::new();
    for _ in 0..MAX_PAGES {
        let req = pb::QuerySigningInfosRequest { pagination: page(key.clone()) };
        let res: pb::QuerySigningInfosResponse = node.query(paths::slashing::SIGNING_INFOS, &req, height).await?;
        all.extend(res.info.iter().map(signing_info_json));
        let next = res.pagination.map(|p| p.next_key).unwrap_or_default();
        if next.is_empty() || next == key {
            return Ok(json!({ "info": all, "pagination": { "next_key": null, "total": all.len().to_string() } }));
        }
        key = next;
    }
    Err(CliError::decode("paginated response", "too many pages"))
}

/// An `Equivocation` `Any` as protobuf JSON, with its hash (the SDK's CLI
/// shows the evidence only; the hash is what `query evidence HASH` takes).
pub fn evidence_json(any: &Any) -> Result<Value> {
    if any.type_url != paths::EQUIVOCATION_URL {
        return Ok(json!({ "@type": any.type_url }));
    }
    let e = evpb::Equivocation::decode(any.value.as_slice()).map_err(|e| CliError::decode("Equivocation", e))?;
    let hash = hex::encode_upper(<sha2::Sha256 as sha2::Digest>::digest(&any.value));
    Ok(json!({
        "@type": any.type_url,
        "height": e.height.to_string(),
        "time": time_json(&e.time),
        "power": e.power.to_string(),
        "consensus_address": e.consensus_address,
        "hash": hash,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn consensus_address_from_valcons_or_pubkey_json() {
        let key = [7u8; 32];
        let valcons = Address::consensus(&key).to_valcons();
        assert_eq!(cons_address(&valcons).unwrap(), valcons);
        let json =
            format!(r#"{{"@type":"/cosmos.crypto.ed25519.PubKey","key":"{}"}}"#, base64::engine::general_purpose::STANDARD.encode(key));
        assert_eq!(cons_address(&json).unwrap(), valcons);
        assert!(cons_address(r#"{"@type":"/cosmos.crypto.secp256k1.PubKey","key":"AA=="}"#).is_err());
        assert!(cons_address("venice1qqqq").is_err());
    }

    #[test]
    fn unjail_message_and_params_json() {
        let op = Address::from_bytes(&[3; 20]).unwrap();
        let any = msg_unjail(&op);
        assert_eq!(any.type_url, "/cosmos.slashing.v1beta1.MsgUnjail");
        assert_eq!(pb::MsgUnjail::decode(any.value.as_slice()).unwrap().validator_addr, op.to_valoper());
        let p = pb::Params {
            signed_blocks_window: 100,
            min_signed_per_window: b"500000000000000000".to_vec(),
            downtime_jail_duration: Some(cosmos_sdk_proto::tendermint::google::protobuf::Duration { seconds: 600, nanos: 0 }),
            slash_fraction_double_sign: b"50000000000000000".to_vec(),
            slash_fraction_downtime: b"10000000000000000".to_vec(),
        };
        let j = params_json(&p);
        assert_eq!(j["min_signed_per_window"], "0.500000000000000000");
        assert_eq!(j["downtime_jail_duration"], "600s");
        assert_eq!(j["slash_fraction_downtime"], "0.010000000000000000");
    }
}
