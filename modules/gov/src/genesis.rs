//! gov genesis in the SDK's JSON shape: starting_proposal_id, params,
//! proposals (messages as protobuf JSON with `@type`), votes, deposits,
//! constitution; the deprecated deposit/voting/tally params are read as
//! null and written as null, as the SDK does.

use base64::Engine;
use cosmos_sdk_proto::Any;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use venice_sdk::coin::JsonCoin;
use venice_sdk::json::int_str;
use venice_sdk::{Address, Coin, Coins, Ctx, Error, Result};
use venice_types::Dec;
use venice_types::amino::registry;
use venice_types::time::Timestamp;

use crate::params::Params;
use crate::types::{Proposal, ProposalStatus, StoredAny, TallyResult, Vote, option_name, parse_option, validate_options};
use crate::{Gov, state};

fn one() -> u64 {
    1
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct GenesisState {
    #[serde(default = "one", with = "int_str")]
    pub starting_proposal_id: u64,
    #[serde(default)]
    pub deposits: Vec<DepositJson>,
    #[serde(default)]
    pub votes: Vec<VoteJson>,
    #[serde(default)]
    pub proposals: Vec<ProposalJson>,
    #[serde(default)]
    pub deposit_params: Option<Value>,
    #[serde(default)]
    pub voting_params: Option<Value>,
    #[serde(default)]
    pub tally_params: Option<Value>,
    #[serde(default)]
    pub params: Params,
    #[serde(default)]
    pub constitution: String,
}

impl Default for GenesisState {
    fn default() -> Self {
        GenesisState {
            starting_proposal_id: 1,
            deposits: vec![],
            votes: vec![],
            proposals: vec![],
            deposit_params: None,
            voting_params: None,
            tally_params: None,
            params: Params::default(),
            constitution: String::new(),
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct DepositJson {
    #[serde(with = "int_str")]
    pub proposal_id: u64,
    pub depositor: String,
    pub amount: Vec<JsonCoin>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct OptionJson {
    pub option: String,
    pub weight: String,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct VoteJson {
    #[serde(with = "int_str")]
    pub proposal_id: u64,
    pub voter: String,
    pub options: Vec<OptionJson>,
    #[serde(default)]
    pub metadata: String,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct TallyJson {
    pub yes_count: String,
    pub abstain_count: String,
    pub no_count: String,
    pub no_with_veto_count: String,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct ProposalJson {
    #[serde(with = "int_str")]
    pub id: u64,
    #[serde(default)]
    pub messages: Vec<Value>,
    pub status: String,
    #[serde(default)]
    pub final_tally_result: Option<TallyJson>,
    pub submit_time: String,
    pub deposit_end_time: String,
    #[serde(default)]
    pub total_deposit: Vec<JsonCoin>,
    #[serde(default)]
    pub voting_start_time: Option<String>,
    #[serde(default)]
    pub voting_end_time: Option<String>,
    #[serde(default)]
    pub metadata: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub proposer: String,
    #[serde(default)]
    pub expedited: bool,
    #[serde(default)]
    pub failed_reason: String,
}

fn g(field: String) -> impl Fn(String) -> Error {
    move |e| Error::Genesis(format!("gov.{field}: {e}"))
}

fn snake(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

fn snake_keys(v: Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(m.into_iter().map(|(k, v)| (if k == "@type" { k } else { snake(&k) }, snake_keys(v))).collect()),
        Value::Array(a) => Value::Array(a.into_iter().map(snake_keys).collect()),
        other => other,
    }
}

/// An `Any` as protobuf JSON with its `@type` (types the registry knows),
/// else `{"@type", "value": base64}`.
pub fn any_to_json(a: &Any) -> Value {
    let mut obj = Map::new();
    obj.insert("@type".into(), Value::String(a.type_url.clone()));
    match registry::lookup(&a.type_url).and_then(|t| (t.to_proto_json)(&a.value).ok()).map(snake_keys) {
        Some(Value::Object(f)) => obj.extend(f),
        _ => {
            obj.insert("value".into(), Value::String(base64::engine::general_purpose::STANDARD.encode(&a.value)));
        }
    }
    Value::Object(obj)
}

pub fn any_from_json(v: &Value) -> std::result::Result<Any, String> {
    let ty = v.get("@type").and_then(Value::as_str).ok_or("no @type")?.to_string();
    if let Some(t) = registry::lookup(&ty) {
        let mut fields = v.as_object().cloned().unwrap_or_default();
        fields.remove("@type");
        return Ok(Any { type_url: ty, value: (t.from_proto_json)(Value::Object(fields))? });
    }
    let b = v.get("value").and_then(Value::as_str).ok_or_else(|| format!("{ty}: unknown type without a base64 \"value\""))?;
    let value = base64::engine::general_purpose::STANDARD.decode(b).map_err(|e| format!("{ty}: {e}"))?;
    Ok(Any { type_url: ty, value })
}

fn coins(list: &[JsonCoin]) -> std::result::Result<Coins, String> {
    let parsed = list.iter().map(Coin::try_from).collect::<std::result::Result<Vec<_>, _>>().map_err(|e| e.to_string())?;
    Coins::normalize(parsed).map_err(|e| e.to_string())
}

fn time(s: &str) -> std::result::Result<Timestamp, String> {
    Timestamp::parse_rfc3339(s).ok_or_else(|| format!("{s:?} is not an RFC 3339 time"))
}

fn amount(s: &str) -> std::result::Result<u128, String> {
    if s.is_empty() {
        return Ok(0);
    }
    s.parse().map_err(|_| format!("{s:?} is not an integer"))
}

impl ProposalJson {
    fn parse(&self) -> std::result::Result<Proposal, String> {
        let t = self.final_tally_result.clone().unwrap_or_default();
        Ok(Proposal {
            id: self.id,
            messages: self
                .messages
                .iter()
                .map(|m| any_from_json(m).map(|a| StoredAny::from_any(&a)))
                .collect::<std::result::Result<_, _>>()?,
            status: ProposalStatus::parse(&self.status).ok_or_else(|| format!("status: unknown {:?}", self.status))?,
            final_tally: TallyResult {
                yes: amount(&t.yes_count)?,
                abstain: amount(&t.abstain_count)?,
                no: amount(&t.no_count)?,
                no_with_veto: amount(&t.no_with_veto_count)?,
            },
            submit_time: time(&self.submit_time)?,
            deposit_end_time: time(&self.deposit_end_time)?,
            total_deposit: coins(&self.total_deposit)?,
            voting_start_time: self.voting_start_time.as_deref().map(time).transpose()?,
            voting_end_time: self.voting_end_time.as_deref().map(time).transpose()?,
            metadata: self.metadata.clone(),
            title: self.title.clone(),
            summary: self.summary.clone(),
            proposer: Address::parse(&self.proposer).map_err(|e| format!("proposer: {e}"))?,
            expedited: self.expedited,
            failed_reason: self.failed_reason.clone(),
        })
    }

    fn from_proposal(p: &Proposal) -> Self {
        ProposalJson {
            id: p.id,
            messages: p.messages().iter().map(any_to_json).collect(),
            status: p.status.name().into(),
            final_tally_result: Some(TallyJson {
                yes_count: p.final_tally.yes.to_string(),
                abstain_count: p.final_tally.abstain.to_string(),
                no_count: p.final_tally.no.to_string(),
                no_with_veto_count: p.final_tally.no_with_veto.to_string(),
            }),
            submit_time: p.submit_time.to_rfc3339(),
            deposit_end_time: p.deposit_end_time.to_rfc3339(),
            total_deposit: p.total_deposit.iter().map(JsonCoin::from).collect(),
            voting_start_time: p.voting_start_time.map(Timestamp::to_rfc3339),
            voting_end_time: p.voting_end_time.map(Timestamp::to_rfc3339),
            metadata: p.metadata.clone(),
            title: p.title.clone(),
            summary: p.summary.clone(),
            proposer: p.proposer.to_bech32(),
            expedited: p.expedited,
            failed_reason: p.failed_reason.clone(),
        }
    }
}

impl VoteJson {
    fn parse(&self) -> std::result::Result<Vote, String> {
        let options = self
            .options
            .iter()
            .map(|o| {
                let opt = parse_option(&o.option).ok_or_else(|| format!("unknown option {:?}", o.option))?;
                let w = Dec::parse(&o.weight).ok_or_else(|| format!("weight {:?} is not a decimal", o.weight))?;
                Ok((opt, w))
            })
            .collect::<std::result::Result<Vec<_>, String>>()?;
        validate_options(&options).map_err(|e| e.to_string())?;
        Ok(Vote {
            proposal_id: self.proposal_id,
            voter: Address::parse(&self.voter).map_err(|e| e.to_string())?,
            options,
            metadata: self.metadata.clone(),
        })
    }
}

/// This module's section of `app_state`; errors name the field.
pub fn parse(section: &Value) -> Result<GenesisState> {
    serde_json::from_value(section.clone()).map_err(|e| Error::Genesis(format!("app_state.gov: {e}")))
}

/// Parsed and checked contents, ready to write.
pub struct Checked {
    pub proposals: Vec<Proposal>,
    pub votes: Vec<Vote>,
    pub deposits: Vec<(u64, Address, Coins)>,
}

pub fn validate(gs: &GenesisState) -> Result<Checked> {
    gs.params.validate().map_err(Error::Genesis)?;
    if gs.starting_proposal_id == 0 {
        return Err(Error::Genesis("gov.starting_proposal_id: must be at least 1".into()));
    }
    let mut ids = std::collections::BTreeSet::new();
    let mut proposals = Vec::new();
    for (i, p) in gs.proposals.iter().enumerate() {
        let p = p.parse().map_err(g(format!("proposals[{i}]")))?;
        if !ids.insert(p.id) {
            return Err(Error::Genesis(format!("gov.proposals[{i}]: duplicate proposal id {}", p.id)));
        }
        if p.id >= gs.starting_proposal_id {
            return Err(Error::Genesis(format!("gov.proposals[{i}]: id {} is not below starting_proposal_id", p.id)));
        }
        proposals.push(p);
    }
    let mut votes = Vec::new();
    for (i, v) in gs.votes.iter().enumerate() {
        let v = v.parse().map_err(g(format!("votes[{i}]")))?;
        if !ids.contains(&v.proposal_id) {
            return Err(Error::Genesis(format!("gov.votes[{i}]: unknown proposal {}", v.proposal_id)));
        }
        votes.push(v);
    }
    let mut deposits = Vec::new();
    for (i, d) in gs.deposits.iter().enumerate() {
        let addr = Address::parse(&d.depositor).map_err(|e| Error::Genesis(format!("gov.deposits[{i}].depositor: {e}")))?;
        let amount = coins(&d.amount).map_err(g(format!("deposits[{i}].amount")))?;
        if !ids.contains(&d.proposal_id) {
            return Err(Error::Genesis(format!("gov.deposits[{i}]: unknown proposal {}", d.proposal_id)));
        }
        deposits.push((d.proposal_id, addr, amount));
    }
    Ok(Checked { proposals, votes, deposits })
}

pub fn init_genesis(_gov: &Gov, ctx: &mut Ctx, gs: &GenesisState) -> Result<()> {
    let c = validate(gs)?;
    state::set_params(ctx, &gs.params)?;
    state::set_next_proposal_id(ctx, gs.starting_proposal_id)?;
    state::set_constitution(ctx, &gs.constitution)?;
    for (id, addr, amount) in &c.deposits {
        state::set_deposit(ctx, *id, addr, amount)?;
    }
    for v in &c.votes {
        state::set_vote(ctx, v)?;
    }
    for p in &c.proposals {
        match (p.status, p.voting_end_time) {
            (ProposalStatus::DepositPeriod, _) => state::insert_inactive(ctx, p.deposit_end_time, p.id)?,
            (ProposalStatus::VotingPeriod, Some(end)) => state::insert_active(ctx, end, p.id)?,
            (ProposalStatus::VotingPeriod, None) => {
                return Err(Error::Genesis(format!("gov.proposals: proposal {} is voting without a voting_end_time", p.id)));
            }
            _ => {}
        }
        state::set_proposal(ctx, p)?;
    }
    Ok(())
}

pub fn export_genesis(ctx: &mut Ctx) -> Result<GenesisState> {
    let proposals = state::proposals(ctx, None, usize::MAX)?;
    let mut votes = Vec::new();
    let mut deposits = Vec::new();
    for p in &proposals {
        for v in state::votes(ctx, p.id, None, usize::MAX)? {
            votes.push(VoteJson {
                proposal_id: v.proposal_id,
                voter: v.voter.to_bech32(),
                options: v.options.iter().map(|(o, w)| OptionJson { option: option_name(*o).into(), weight: w.to_sdk_string() }).collect(),
                metadata: v.metadata.clone(),
            });
        }
        for (a, c) in state::deposits(ctx, p.id, None, usize::MAX)? {
            deposits.push(DepositJson { proposal_id: p.id, depositor: a.to_bech32(), amount: c.iter().map(JsonCoin::from).collect() });
        }
    }
    Ok(GenesisState {
        starting_proposal_id: state::next_proposal_id(ctx)?,
        deposits,
        votes,
        proposals: proposals.iter().map(ProposalJson::from_proposal).collect(),
        deposit_params: None,
        voting_params: None,
        tally_params: None,
        params: state::params(ctx)?,
        constitution: state::constitution(ctx)?,
    })
}
