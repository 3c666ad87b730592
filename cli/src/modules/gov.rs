//! `tx gov …` and `query gov …`: x/gov's v1 messages (submit-proposal from
//! the SDK's v0.50 proposal file, deposit, vote, weighted-vote,
//! cancel-proposal, draft-proposal) and the `cosmos.gov.v1.Query` service,
//! printed as the SDK's CLI prints them.

use std::path::PathBuf;

use clap::Subcommand;
use cosmos_sdk_proto::Any;
use cosmos_sdk_proto::cosmos::base::query::v1beta1::PageRequest;
use cosmos_sdk_proto::cosmos::gov::v1 as pb;
use prost::Name;
use serde_json::{Value, json};
use venice_types::Address;
use venice_types::Dec;
use venice_types::coin_text::parse_coins;
use venice_types::time::Timestamp;

use super::{TxFlags, node, print_outcome};
use crate::Cli;
use crate::broadcast;
use crate::error::{CliError, Result};
use crate::keyring::Keyring;
use crate::output::coins_json;
use crate::query::MAX_PAGES;
use crate::txfile::{any_from_json, any_to_json};

/// The gov module account: the authority proposal messages must name.
pub fn gov_authority() -> String {
    Address::module("gov").to_bech32()
}

#[derive(Subcommand, Debug)]
pub enum TxCmd {
    /// Submit a proposal from a JSON file (messages with @type, metadata, deposit, title, summary, expedited)
    #[command(name = "submit-proposal")]
    SubmitProposal {
        /// Path to the proposal file (see `tx gov draft-proposal`)
        file: PathBuf,
        /// Key name or address in the keyring
        #[arg(long)]
        from: String,
        #[command(flatten)]
        flags: TxFlags,
    },
    /// Deposit coins on a proposal
    Deposit {
        proposal_id: u64,
        /// e.g. 10000000uvvv
        amount: String,
        #[arg(long)]
        from: String,
        #[command(flatten)]
        flags: TxFlags,
    },
    /// Vote on a proposal: yes, no, abstain or no_with_veto
    Vote {
        proposal_id: u64,
        option: String,
        #[arg(long)]
        from: String,
        /// Vote metadata
        #[arg(long, default_value = "")]
        metadata: String,
        #[command(flatten)]
        flags: TxFlags,
    },
    /// Split a vote among options, e.g. yes=0.6,no=0.4 (weights sum to 1)
    #[command(name = "weighted-vote")]
    WeightedVote {
        proposal_id: u64,
        options: String,
        #[arg(long)]
        from: String,
        #[arg(long, default_value = "")]
        metadata: String,
        #[command(flatten)]
        flags: TxFlags,
    },
    /// Cancel your own proposal (part of the deposits is burned, per proposal_cancel_ratio)
    #[command(name = "cancel-proposal")]
    CancelProposal {
        proposal_id: u64,
        #[arg(long)]
        from: String,
        #[command(flatten)]
        flags: TxFlags,
    },
    /// Write a proposal template (draft_proposal.json) for a message type, to edit and submit
    #[command(name = "draft-proposal")]
    DraftProposal {
        /// Type URL of the proposal's message, e.g. /cosmos.bank.v1beta1.MsgUpdateParams ("text": none)
        #[arg(long, default_value = "text")]
        msg_type: String,
        #[arg(long, default_value = "")]
        title: String,
        #[arg(long, default_value = "")]
        summary: String,
        #[arg(long, default_value = "")]
        metadata: String,
        /// Initial deposit, e.g. 1000000000uvvv
        #[arg(long, default_value = "")]
        deposit: String,
        #[arg(long)]
        expedited: bool,
        /// Where to write the draft
        #[arg(long, default_value = "draft_proposal.json")]
        out: PathBuf,
    },
}

#[derive(Subcommand, Debug)]
pub enum QueryCmd {
    /// Proposals, optionally filtered
    Proposals {
        /// deposit_period, voting_period, passed, rejected or failed
        #[arg(long)]
        status: Option<String>,
        /// Only proposals this address voted on
        #[arg(long)]
        voter: Option<String>,
        /// Only proposals this address deposited on
        #[arg(long)]
        depositor: Option<String>,
        #[arg(long)]
        height: Option<u64>,
    },
    /// One proposal
    Proposal {
        proposal_id: u64,
        #[arg(long)]
        height: Option<u64>,
    },
    /// The tally of a proposal (so far while voting, final after)
    Tally {
        proposal_id: u64,
        #[arg(long)]
        height: Option<u64>,
    },
    /// Votes on a proposal
    Votes {
        proposal_id: u64,
        #[arg(long)]
        height: Option<u64>,
    },
    /// One voter's vote on a proposal
    Vote {
        proposal_id: u64,
        voter: String,
        #[arg(long)]
        height: Option<u64>,
    },
    /// Deposits on a proposal
    Deposits {
        proposal_id: u64,
        #[arg(long)]
        height: Option<u64>,
    },
    /// One depositor's deposit on a proposal
    Deposit {
        proposal_id: u64,
        depositor: String,
        #[arg(long)]
        height: Option<u64>,
    },
    /// Governance parameters
    Params {
        #[arg(long)]
        height: Option<u64>,
    },
    /// The chain's constitution
    Constitution {
        #[arg(long)]
        height: Option<u64>,
    },
}

fn any<M: Name>(m: &M) -> Any {
    Any { type_url: format!("/{}", M::full_name()), value: m.encode_to_vec() }
}

fn proto_coins(list: &[venice_types::Coin]) -> Vec<cosmos_sdk_proto::cosmos::base::v1beta1::Coin> {
    list.iter().map(Into::into).collect()
}

/// `yes`, `no`, `abstain`, `no_with_veto` (or `VOTE_OPTION_…`) → its number.
pub fn parse_option(s: &str) -> Result<i32> {
    let up = s.trim().to_ascii_uppercase().replace('-', "_");
    let name = if up.starts_with("VOTE_OPTION_") { up } else { format!("VOTE_OPTION_{up}") };
    pb::VoteOption::from_str_name(&name)
        .map(|o| o as i32)
        .filter(|o| (1..=4).contains(o))
        .ok_or_else(|| CliError::BadFlag { flag: "option", reason: format!("{s:?} is not one of yes, no, abstain, no_with_veto") })
}

/// `yes=0.6,no=0.4` → weighted options (the chain checks they sum to 1).
pub fn parse_weighted(s: &str) -> Result<Vec<pb::WeightedVoteOption>> {
    s.split(',')
        .map(|part| {
            let (o, w) = part
                .split_once('=')
                .ok_or_else(|| CliError::BadFlag { flag: "options", reason: format!("{part:?} is not option=weight") })?;
            let weight =
                Dec::parse(w.trim()).ok_or_else(|| CliError::BadFlag { flag: "options", reason: format!("{w:?} is not a decimal") })?;
            Ok(pb::WeightedVoteOption { option: parse_option(o)?, weight: weight.to_sdk_string() })
        })
        .collect()
}

/// The SDK v0.50 proposal file: messages (protobuf JSON with `@type`),
/// metadata, deposit (`"10uvvv"`), title, summary, expedited.
pub fn proposal_from_file(v: &Value, proposer: &str) -> Result<pb::MsgSubmitProposal> {
    let bad = |r: String| CliError::decode("proposal file", r);
    let obj = v.as_object().ok_or_else(|| bad("not a JSON object".into()))?;
    for k in obj.keys() {
        if !["messages", "metadata", "deposit", "title", "summary", "expedited"].contains(&k.as_str()) {
            return Err(bad(format!("unknown field {k:?}")));
        }
    }
    let s = |k: &str| obj.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    let messages = match obj.get("messages") {
        None | Some(Value::Null) => vec![],
        Some(Value::Array(a)) => a.iter().map(any_from_json).collect::<Result<Vec<_>>>()?,
        Some(_) => return Err(bad("messages: not a list".into())),
    };
    let deposit = s("deposit");
    let initial_deposit = if deposit.is_empty() { vec![] } else { proto_coins(&parse_coins(&deposit, false)?) };
    Ok(pb::MsgSubmitProposal {
        messages,
        initial_deposit,
        proposer: proposer.into(),
        metadata: s("metadata"),
        title: s("title"),
        summary: s("summary"),
        expedited: obj.get("expedited").and_then(Value::as_bool).unwrap_or(false),
    })
}

/// A draft for `msg_type`: its message with the gov authority filled in
/// (other fields at their defaults), for the user to edit.
pub fn draft(msg_type: &str, title: &str, summary: &str, metadata: &str, deposit: &str, expedited: bool) -> Result<Value> {
    let messages = if msg_type == "text" {
        vec![]
    } else {
        let t = venice_types::amino::registry::lookup(msg_type).ok_or_else(|| CliError::BadFlag {
            flag: "--msg-type",
            reason: format!("{msg_type} is not a message type this CLI knows; write the message by hand"),
        })?;
        let mut m = any_to_json(&Any { type_url: msg_type.into(), value: vec![] });
        if msg_type.ends_with("MsgUpdateParams")
            || msg_type.ends_with("MsgExecLegacyContent")
            || msg_type.ends_with("MsgCommunityPoolSpend")
            || msg_type.ends_with("MsgSoftwareUpgrade")
            || msg_type.ends_with("MsgCancelUpgrade")
            || msg_type == venice_types::ecosystem::MSG_GRANT_URL
        {
            m["authority"] = Value::String(gov_authority());
        }
        // A plan to fill in: a name and a height above the current one.
        if msg_type.ends_with("MsgSoftwareUpgrade") {
            m["plan"] = json!({ "name": "", "height": "0", "info": "" });
        }
        debug_assert_eq!(t.type_url, msg_type);
        vec![m]
    };
    Ok(json!({
        "messages": messages,
        "metadata": metadata,
        "deposit": deposit,
        "title": title,
        "summary": summary,
        "expedited": expedited,
    }))
}

impl TxCmd {
    pub async fn run(&self, cli: &Cli) -> Result<()> {
        if let TxCmd::DraftProposal { msg_type, title, summary, metadata, deposit, expedited, out } = self {
            let d = draft(msg_type, title, summary, metadata, deposit, *expedited)?;
            let text = serde_json::to_string_pretty(&d).expect("JSON value");
            std::fs::write(out, text + "\n").map_err(|e| CliError::io(format!("writing {}", out.display()), e))?;
            println!("The draft proposal has been written to {}", out.display());
            return Ok(());
        }
        let (from, flags) = match self {
            TxCmd::SubmitProposal { from, flags, .. }
            | TxCmd::Deposit { from, flags, .. }
            | TxCmd::Vote { from, flags, .. }
            | TxCmd::WeightedVote { from, flags, .. }
            | TxCmd::CancelProposal { from, flags, .. } => (from, flags),
            TxCmd::DraftProposal { .. } => unreachable!("handled above"),
        };
        let opts = flags.options(cli)?;
        let keyring = Keyring::open(&crate::home_dir(cli)?, cli.keyring_backend);
        let key = keyring.get(from)?;
        let me = key.address.clone();
        let msg = match self {
            TxCmd::SubmitProposal { file, .. } => {
                let text = std::fs::read_to_string(file).map_err(|e| CliError::io(format!("reading {}", file.display()), e))?;
                let v: Value = serde_json::from_str(&text).map_err(|e| CliError::decode(file.display().to_string(), e))?;
                any(&proposal_from_file(&v, &me)?)
            }
            TxCmd::Deposit { proposal_id, amount, .. } => {
                any(&pb::MsgDeposit { proposal_id: *proposal_id, depositor: me, amount: proto_coins(&parse_coins(amount, false)?) })
            }
            TxCmd::Vote { proposal_id, option, metadata, .. } => {
                any(&pb::MsgVote { proposal_id: *proposal_id, voter: me, option: parse_option(option)?, metadata: metadata.clone() })
            }
            TxCmd::WeightedVote { proposal_id, options, metadata, .. } => any(&pb::MsgVoteWeighted {
                proposal_id: *proposal_id,
                voter: me,
                options: parse_weighted(options)?,
                metadata: metadata.clone(),
            }),
            TxCmd::CancelProposal { proposal_id, .. } => any(&pb::MsgCancelProposal { proposal_id: *proposal_id, proposer: me }),
            TxCmd::DraftProposal { .. } => unreachable!("handled above"),
        };
        let node = node(cli)?;
        let outcome = broadcast::sign_and_broadcast(&node, &keyring, &key, vec![msg], &opts).await?;
        print_outcome(cli, outcome)
    }
}

// ---- queries ----------------------------------------------------------------

const Q: &str = "/cosmos.gov.v1.Query/";

fn time_json(t: &Option<cosmos_sdk_proto::Timestamp>) -> Value {
    match t {
        Some(t) => Value::String(Timestamp::new(t.seconds, t.nanos.max(0) as u32).to_rfc3339()),
        None => Value::Null,
    }
}

fn status_name(s: i32) -> &'static str {
    pb::ProposalStatus::try_from(s).map(|s| s.as_str_name()).unwrap_or("PROPOSAL_STATUS_UNSPECIFIED")
}

fn tally_json(t: &Option<pb::TallyResult>) -> Value {
    let t = t.clone().unwrap_or_default();
    json!({"yes_count": t.yes_count, "abstain_count": t.abstain_count, "no_count": t.no_count, "no_with_veto_count": t.no_with_veto_count})
}

pub fn proposal_json(p: &pb::Proposal) -> Value {
    json!({
        "id": p.id.to_string(),
        "messages": p.messages.iter().map(any_to_json).collect::<Vec<_>>(),
        "status": status_name(p.status),
        "final_tally_result": tally_json(&p.final_tally_result),
        "submit_time": time_json(&p.submit_time),
        "deposit_end_time": time_json(&p.deposit_end_time),
        "total_deposit": coins_json(&p.total_deposit),
        "voting_start_time": time_json(&p.voting_start_time),
        "voting_end_time": time_json(&p.voting_end_time),
        "metadata": p.metadata,
        "title": p.title,
        "summary": p.summary,
        "proposer": p.proposer,
        "expedited": p.expedited,
        "failed_reason": p.failed_reason,
    })
}

fn vote_json(v: &pb::Vote) -> Value {
    json!({
        "proposal_id": v.proposal_id.to_string(),
        "voter": v.voter,
        "options": v.options.iter().map(|o| json!({
            "option": pb::VoteOption::try_from(o.option).map(|x| x.as_str_name()).unwrap_or("VOTE_OPTION_UNSPECIFIED"),
            "weight": o.weight,
        })).collect::<Vec<_>>(),
        "metadata": v.metadata,
    })
}

fn deposit_json(d: &pb::Deposit) -> Value {
    json!({"proposal_id": d.proposal_id.to_string(), "depositor": d.depositor, "amount": coins_json(&d.amount)})
}

fn duration_json(d: &Option<cosmos_sdk_proto::tendermint::google::protobuf::Duration>) -> Value {
    match d {
        Some(d) => Value::String(venice_types::time::Duration { secs: d.seconds, nanos: d.nanos.max(0) as u32 }.to_json_string()),
        None => Value::Null,
    }
}

fn params_json(p: &pb::Params) -> Value {
    json!({
        "min_deposit": coins_json(&p.min_deposit),
        "max_deposit_period": duration_json(&p.max_deposit_period),
        "voting_period": duration_json(&p.voting_period),
        "quorum": p.quorum,
        "threshold": p.threshold,
        "veto_threshold": p.veto_threshold,
        "min_initial_deposit_ratio": p.min_initial_deposit_ratio,
        "proposal_cancel_ratio": p.proposal_cancel_ratio,
        "proposal_cancel_dest": p.proposal_cancel_dest,
        "expedited_voting_period": duration_json(&p.expedited_voting_period),
        "expedited_threshold": p.expedited_threshold,
        "expedited_min_deposit": coins_json(&p.expedited_min_deposit),
        "burn_vote_quorum": p.burn_vote_quorum,
        "burn_proposal_deposit_prevote": p.burn_proposal_deposit_prevote,
        "burn_vote_veto": p.burn_vote_veto,
        "min_deposit_ratio": p.min_deposit_ratio,
    })
}

fn page(key: Vec<u8>) -> Option<PageRequest> {
    Some(PageRequest { key, offset: 0, limit: 0, count_total: false, reverse: false })
}

/// Every page of a paginated query, following `next_key`.
async fn every_page<T, F, Fut>(mut fetch: F) -> Result<Vec<T>>
where
    F: FnMut(Vec<u8>) -> Fut,
    Fut: std::future::Future<Output = Result<(Vec<T>, Vec<u8>)>>,
{
    let mut out = Vec::new();
    let mut key = Vec::new();
    for _ in 0..MAX_PAGES {
        let (items, next) = fetch(key.clone()).await?;
        out.extend(items);
        if next.is_empty() || next == key {
            return Ok(out);
        }
        key = next;
    }
    Err(CliError::decode("paginated response", "too many pages"))
}

fn pagination(n: usize) -> Value {
    json!({"next_key": null, "total": n.to_string()})
}

impl QueryCmd {
    pub async fn run(&self, cli: &Cli) -> Result<Value> {
        let node = node(cli)?;
        match self {
            QueryCmd::Proposals { status, voter, depositor, height } => {
                let proposal_status = match status {
                    None => 0,
                    Some(s) => {
                        let up = s.to_ascii_uppercase().replace('-', "_");
                        let name = if up.starts_with("PROPOSAL_STATUS_") { up } else { format!("PROPOSAL_STATUS_{up}") };
                        pb::ProposalStatus::from_str_name(&name).map(|s| s as i32).filter(|s| *s != 0).ok_or_else(|| CliError::BadFlag {
                            flag: "--status",
                            reason: format!("{s:?} is not one of deposit_period, voting_period, passed, rejected, failed"),
                        })?
                    }
                };
                for a in [voter, depositor].into_iter().flatten() {
                    Address::parse_arg(a)?;
                }
                let (voter, depositor) = (voter.clone().unwrap_or_default(), depositor.clone().unwrap_or_default());
                let node = &node;
                let all = every_page(|key| {
                    let req = pb::QueryProposalsRequest {
                        proposal_status,
                        voter: voter.clone(),
                        depositor: depositor.clone(),
                        pagination: page(key),
                    };
                    async move {
                        let res: pb::QueryProposalsResponse = node.query(&format!("{Q}Proposals"), &req, *height).await?;
                        Ok((res.proposals, res.pagination.map(|p| p.next_key).unwrap_or_default()))
                    }
                })
                .await?;
                Ok(json!({"proposals": all.iter().map(proposal_json).collect::<Vec<_>>(), "pagination": pagination(all.len())}))
            }
            QueryCmd::Proposal { proposal_id, height } => {
                let res: pb::QueryProposalResponse =
                    node.query(&format!("{Q}Proposal"), &pb::QueryProposalRequest { proposal_id: *proposal_id }, *height).await?;
                Ok(json!({"proposal": res.proposal.as_ref().map(proposal_json)}))
            }
            QueryCmd::Tally { proposal_id, height } => {
                let res: pb::QueryTallyResultResponse =
                    node.query(&format!("{Q}TallyResult"), &pb::QueryTallyResultRequest { proposal_id: *proposal_id }, *height).await?;
                Ok(json!({"tally": tally_json(&res.tally)}))
            }
            QueryCmd::Votes { proposal_id, height } => {
                let node = &node;
                let all = every_page(|key| {
                    let req = pb::QueryVotesRequest { proposal_id: *proposal_id, pagination: page(key) };
                    async move {
                        let res: pb::QueryVotesResponse = node.query(&format!("{Q}Votes"), &req, *height).await?;
                        Ok((res.votes, res.pagination.map(|p| p.next_key).unwrap_or_default()))
                    }
                })
                .await?;
                Ok(json!({"votes": all.iter().map(vote_json).collect::<Vec<_>>(), "pagination": pagination(all.len())}))
            }
            QueryCmd::Vote { proposal_id, voter, height } => {
                Address::parse_arg(voter)?;
                let req = pb::QueryVoteRequest { proposal_id: *proposal_id, voter: voter.clone() };
                let res: pb::QueryVoteResponse = node.query(&format!("{Q}Vote"), &req, *height).await?;
                Ok(json!({"vote": res.vote.as_ref().map(vote_json)}))
            }
            QueryCmd::Deposits { proposal_id, height } => {
                let node = &node;
                let all = every_page(|key| {
                    let req = pb::QueryDepositsRequest { proposal_id: *proposal_id, pagination: page(key) };
                    async move {
                        let res: pb::QueryDepositsResponse = node.query(&format!("{Q}Deposits"), &req, *height).await?;
                        Ok((res.deposits, res.pagination.map(|p| p.next_key).unwrap_or_default()))
                    }
                })
                .await?;
                Ok(json!({"deposits": all.iter().map(deposit_json).collect::<Vec<_>>(), "pagination": pagination(all.len())}))
            }
            QueryCmd::Deposit { proposal_id, depositor, height } => {
                Address::parse_arg(depositor)?;
                let req = pb::QueryDepositRequest { proposal_id: *proposal_id, depositor: depositor.clone() };
                let res: pb::QueryDepositResponse = node.query(&format!("{Q}Deposit"), &req, *height).await?;
                Ok(json!({"deposit": res.deposit.as_ref().map(deposit_json)}))
            }
            QueryCmd::Params { height } => {
                let res: pb::QueryParamsResponse =
                    node.query(&format!("{Q}Params"), &pb::QueryParamsRequest { params_type: String::new() }, *height).await?;
                Ok(json!({"params": res.params.as_ref().map(params_json)}))
            }
            QueryCmd::Constitution { height } => {
                let res: pb::QueryConstitutionResponse =
                    node.query(&format!("{Q}Constitution"), &pb::QueryConstitutionRequest {}, *height).await?;
                Ok(json!({"constitution": res.constitution}))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use prost::Message;

    #[test]
    fn options_parse_as_the_sdk_names_them() {
        assert_eq!(parse_option("yes").unwrap(), 1);
        assert_eq!(parse_option("no_with_veto").unwrap(), 4);
        assert_eq!(parse_option("VOTE_OPTION_ABSTAIN").unwrap(), 2);
        assert!(parse_option("maybe").is_err());
        assert!(parse_option("unspecified").is_err());
        let w = parse_weighted("yes=0.6,no=0.4").unwrap();
        assert_eq!((w[0].option, w[0].weight.as_str()), (1, "0.600000000000000000"));
        assert_eq!((w[1].option, w[1].weight.as_str()), (3, "0.400000000000000000"));
        assert!(parse_weighted("yes:1").is_err());
    }

    #[test]
    fn a_draft_round_trips_through_the_proposal_file_reader() {
        let d = draft("/cosmos.bank.v1beta1.MsgUpdateParams", "T", "S", "", "1000uvvv", false).unwrap();
        assert_eq!(d["messages"][0]["@type"], "/cosmos.bank.v1beta1.MsgUpdateParams");
        assert_eq!(d["messages"][0]["authority"], gov_authority());
        let m = proposal_from_file(&d, "venice1x").unwrap();
        assert_eq!(m.messages.len(), 1);
        let inner = cosmos_sdk_proto::cosmos::bank::v1beta1::MsgUpdateParams::decode(m.messages[0].value.as_slice()).unwrap();
        assert_eq!(inner.authority, gov_authority());
        assert_eq!((m.title.as_str(), m.initial_deposit[0].amount.as_str()), ("T", "1000"));
        assert!(draft("/x.y.Unknown", "", "", "", "", false).is_err());
        for ty in
            ["/cosmos.upgrade.v1beta1.MsgSoftwareUpgrade", "/cosmos.upgrade.v1beta1.MsgCancelUpgrade", "/venice.ecosystem.v1.MsgGrant"]
        {
            let mut d = draft(ty, "T", "S", "", "1000uvvv", false).unwrap();
            assert_eq!(d["messages"][0]["authority"], gov_authority(), "{ty}");
            if ty.ends_with("MsgSoftwareUpgrade") {
                d["messages"][0]["plan"] = json!({ "name": "v2", "height": "40", "info": "" });
            }
            let p = proposal_from_file(&d, "a").unwrap();
            assert_eq!(p.messages[0].type_url, ty);
        }
        assert!(proposal_from_file(&json!({"messages": [], "bogus": 1}), "a").is_err());
        assert!(proposal_from_file(&draft("text", "T", "S", "", "", true).unwrap(), "a").unwrap().expedited);
    }
}
