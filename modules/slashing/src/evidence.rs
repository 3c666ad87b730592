//! `evidence`: what CometBFT reports of misbehaviour in FinalizeBlock is
//! handled as x/evidence's `HandleEquivocationEvidence` does it (both
//! duplicate votes and light-client attacks): the offender is slashed by
//! `slash_fraction_double_sign` at the infraction height, jailed for good
//! and tombstoned, and the `Equivocation` is kept for
//! `cosmos.evidence.v1beta1.Query`. A module of its own (genesis section
//! `evidence`, store `evidence/`), acting through the slashing keeper.
//!
//! - `evidence/e/{sha256 of the Equivocation's protobuf}` → that protobuf

use std::sync::Arc;

use cosmos_sdk_proto::cosmos::evidence::v1beta1 as pb;
use prost::Message;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use venice_sdk::module::ValidatorUpdate;
use venice_sdk::{Address, Ctx, Error, Misbehavior, MisbehaviorKind, Module, Result};
use venice_staking::BondStatus;
use venice_types::paths;
use venice_types::time::{Duration, Timestamp};

use crate::error::EvidenceError;
use crate::events::REASON_DOUBLE_SIGN;
use crate::query::page;
use crate::{Slashing, VALIDATOR_UPDATE_DELAY};

pub const MODULE: &str = "evidence";
pub const PREFIX: &[u8] = b"evidence/";
const EVIDENCE: &[u8] = b"evidence/e/";
pub const SERVICE: &str = "cosmos.evidence.v1beta1.Query";

/// Evidence older than both of these is ignored. The SDK reads them from
/// the consensus params, which this app does not keep in state; these are
/// CometBFT's defaults (and its own limit: it does not commit older
/// evidence, so the check is a second line only).
pub const MAX_AGE_NUM_BLOCKS: i64 = 100_000;
pub const MAX_AGE_DURATION: Duration = Duration { secs: 48 * 3600, nanos: 0 };
/// A tombstoned validator's `jailed_until` (the SDK's `DoubleSignJailEndTime`).
pub const DOUBLE_SIGN_JAIL_END: Timestamp = Timestamp { secs: 253_402_300_799, nanos: 0 };

/// The evidence module: begin-block handling of misbehaviour, queries, genesis.
#[derive(Clone)]
pub struct Evidence {
    pub slashing: Arc<Slashing>,
}

/// The SDK's `Equivocation`.
pub fn equivocation(m: &Misbehavior, cons: &Address) -> pb::Equivocation {
    pb::Equivocation {
        height: m.height,
        time: Some(tendermint_proto::google::protobuf::Timestamp { seconds: m.time_secs, nanos: m.time_nanos as i32 }),
        power: m.power,
        consensus_address: cons.to_valcons(),
    }
}

/// Its hash: sha256 of its protobuf bytes (CometBFT's `tmhash`).
pub fn hash(e: &pb::Equivocation) -> [u8; 32] {
    Sha256::digest(e.encode_to_vec()).into()
}

fn equivocation_any(e: &pb::Equivocation) -> tendermint_proto::google::protobuf::Any {
    tendermint_proto::google::protobuf::Any { type_url: paths::EQUIVOCATION_URL.into(), value: e.encode_to_vec() }
}

fn store(ctx: &mut Ctx, e: &pb::Equivocation) -> Result<()> {
    ctx.set([EVIDENCE, &hash(e)].concat(), e.encode_to_vec())
}

fn decode(v: &[u8]) -> Result<pb::Equivocation> {
    pb::Equivocation::decode(v).map_err(|e| Error::Internal(format!("corrupt evidence: {e}")))
}

fn all(ctx: &mut Ctx, start_after: Option<&[u8]>, limit: usize) -> Result<Vec<(Vec<u8>, pb::Equivocation)>> {
    let start = start_after.map(|h| [EVIDENCE, h].concat());
    ctx.iter_prefix(EVIDENCE, start.as_deref(), limit)?.into_iter().map(|(k, v)| Ok((k[EVIDENCE.len()..].to_vec(), decode(&v)?))).collect()
}

impl Evidence {
    pub fn new(slashing: Arc<Slashing>) -> Self {
        Evidence { slashing }
    }

    /// Each misbehaviour in its own layer: one that cannot be handled
    /// (an internal error) leaves the others' punishment standing.
    fn begin_block_inner(&self, ctx: &mut Ctx) -> Result<()> {
        let reported = ctx.info.comet.misbehavior.clone();
        for m in reported {
            if !matches!(m.kind, MisbehaviorKind::DuplicateVote | MisbehaviorKind::LightClientAttack) {
                continue;
            }
            ctx.push_layer();
            match self.handle_equivocation(ctx, &m) {
                Ok(()) => ctx.commit_layer(),
                Err(_) => ctx.discard_layer(),
            }
        }
        Ok(())
    }

    /// x/evidence's `handleEquivocationEvidence`.
    pub fn handle_equivocation(&self, ctx: &mut Ctx, m: &Misbehavior) -> Result<()> {
        let cons = Address::from_bytes(&m.address)?;
        let k = &self.slashing;
        // Gone or unbonded: nothing at stake any more.
        let Some(v) = k.staking.validator_by_cons(ctx, &cons)? else { return Ok(()) };
        if v.status == BondStatus::Unbonded {
            return Ok(());
        }
        let now = crate::keeper::now(ctx);
        let age_blocks = ctx.info.height as i64 - m.height;
        let infraction_time = Timestamp::new(m.time_secs, m.time_nanos);
        if now > infraction_time.plus(MAX_AGE_DURATION) && age_blocks > MAX_AGE_NUM_BLOCKS {
            return Ok(());
        }
        let Some(info) = k.signing_info(ctx, &cons)? else { return Ok(()) };
        if info.tombstoned {
            return Ok(());
        }
        // The stake that signed at the infraction height was set one
        // update delay before it.
        let distribution_height = m.height - VALIDATOR_UPDATE_DELAY;
        let fraction = k.params(ctx)?.slash_fraction_double_sign;
        k.slash_with_reason(ctx, &cons, fraction, m.power, distribution_height, REASON_DOUBLE_SIGN)?;
        if !v.jailed {
            k.jail(ctx, &cons)?;
        }
        k.jail_until(ctx, &cons, DOUBLE_SIGN_JAIL_END)?;
        k.tombstone(ctx, &cons)?;
        ctx.scoped(PREFIX, |ctx| store(ctx, &equivocation(m, &cons)))
    }
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct GenesisState {
    #[serde(default)]
    pub evidence: Vec<Value>,
}

fn equivocation_from_json(v: &Value) -> Result<pb::Equivocation> {
    let bad = |what: String| Error::Genesis(format!("app_state.evidence.evidence: {what}"));
    if v["@type"] != paths::EQUIVOCATION_URL {
        return Err(bad(format!("unsupported evidence type {}", v["@type"])));
    }
    let int = |f: &str| -> Result<i64> {
        v[f].as_str().and_then(|s| s.parse().ok()).or_else(|| v[f].as_i64()).ok_or_else(|| bad(format!("{f}: not an integer")))
    };
    let time = v["time"].as_str().and_then(Timestamp::parse_rfc3339).ok_or_else(|| bad("time: not an RFC 3339 time".into()))?;
    let addr = v["consensus_address"].as_str().unwrap_or_default();
    Address::parse_valcons(addr).map_err(|e| bad(format!("consensus_address {addr:?}: {e}")))?;
    Ok(pb::Equivocation {
        height: int("height")?,
        time: Some(tendermint_proto::google::protobuf::Timestamp { seconds: time.secs, nanos: time.nanos as i32 }),
        power: int("power")?,
        consensus_address: addr.to_string(),
    })
}

fn equivocation_to_json(e: &pb::Equivocation) -> Value {
    let t = e.time.unwrap_or_default();
    json!({
        "@type": paths::EQUIVOCATION_URL,
        "height": e.height.to_string(),
        "time": Timestamp::new(t.seconds, t.nanos.max(0) as u32).to_rfc3339(),
        "power": e.power.to_string(),
        "consensus_address": e.consensus_address,
    })
}

fn parse(section: &Value) -> Result<Vec<pb::Equivocation>> {
    let g: GenesisState = serde_json::from_value(section.clone()).map_err(|e| Error::Genesis(format!("app_state.evidence: {e}")))?;
    g.evidence.iter().map(equivocation_from_json).collect()
}

impl Module for Evidence {
    fn name(&self) -> &'static str {
        MODULE
    }
    fn store_prefix(&self) -> &'static [u8] {
        PREFIX
    }
    fn default_genesis(&self) -> Value {
        serde_json::to_value(GenesisState::default()).expect("evidence genesis serialises")
    }
    fn validate_genesis(&self, section: &Value) -> Result<()> {
        parse(section).map(|_| ())
    }
    fn init_genesis(&self, ctx: &mut Ctx, section: &Value) -> Result<Vec<ValidatorUpdate>> {
        for e in parse(section)? {
            store(ctx, &e)?;
        }
        Ok(vec![])
    }
    fn export_genesis(&self, ctx: &mut Ctx) -> Result<Value> {
        Ok(json!({ "evidence": all(ctx, None, usize::MAX)?.iter().map(|(_, e)| equivocation_to_json(e)).collect::<Vec<_>>() }))
    }
    fn query_services(&self) -> &'static [&'static str] {
        &[SERVICE]
    }
    fn query(&self, ctx: &mut Ctx, _service: &str, method: &str, req: &[u8]) -> Result<Vec<u8>> {
        match method {
            "Evidence" => {
                #[allow(deprecated)]
                let r = pb::QueryEvidenceRequest::decode(req)?;
                #[allow(deprecated)]
                let h = if !r.hash.is_empty() {
                    hex::decode(&r.hash).map_err(|e| Error::InvalidRequest(format!("invalid evidence hash {:?}: {e}", r.hash)))?
                } else {
                    r.evidence_hash.clone()
                };
                if h.is_empty() {
                    return Err(Error::InvalidRequest("invalid request; hash is empty".into()));
                }
                let v = ctx.get(&[EVIDENCE, &h].concat())?.ok_or_else(|| EvidenceError::NoEvidenceExists(hex::encode_upper(&h)))?;
                Ok(pb::QueryEvidenceResponse { evidence: Some(equivocation_any(&decode(&v)?)) }.encode_to_vec())
            }
            "AllEvidence" => {
                let r = pb::QueryAllEvidenceRequest::decode(req)?;
                let (items, pagination) = page(&r.pagination, |start, n| all(ctx, start, n))?;
                Ok(pb::QueryAllEvidenceResponse { evidence: items.iter().map(equivocation_any).collect(), pagination }.encode_to_vec())
            }
            other => Err(Error::UnknownQuery(format!("/{SERVICE}/{other}"))),
        }
    }
    fn begin_block(&self, ctx: &mut Ctx) -> Result<()> {
        self.begin_block_inner(ctx)
    }
}
