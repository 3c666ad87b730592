//! Proposals, votes and tallies as gov stores them (borsh), and their v1 and
//! v1beta1 protobuf forms.

use borsh::{BorshDeserialize, BorshSerialize};
use cosmos_sdk_proto::Any;
use cosmos_sdk_proto::cosmos::gov::{v1, v1beta1};
use prost::Message;
use venice_sdk::{Address, Coins, Error, Result};
use venice_types::Dec;
use venice_types::time::Timestamp;

use crate::error::GovError;

pub const MSG_EXEC_LEGACY_CONTENT: &str = "/cosmos.gov.v1.MsgExecLegacyContent";
pub const TEXT_PROPOSAL: &str = "/cosmos.gov.v1beta1.TextProposal";

/// `cosmos.gov.v1.ProposalStatus` (v1beta1 has the same numbers).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, BorshSerialize, BorshDeserialize)]
pub enum ProposalStatus {
    DepositPeriod,
    VotingPeriod,
    Passed,
    Rejected,
    Failed,
}

impl ProposalStatus {
    pub fn to_i32(self) -> i32 {
        match self {
            ProposalStatus::DepositPeriod => 1,
            ProposalStatus::VotingPeriod => 2,
            ProposalStatus::Passed => 3,
            ProposalStatus::Rejected => 4,
            ProposalStatus::Failed => 5,
        }
    }
    pub fn from_i32(n: i32) -> Option<Self> {
        Some(match n {
            1 => ProposalStatus::DepositPeriod,
            2 => ProposalStatus::VotingPeriod,
            3 => ProposalStatus::Passed,
            4 => ProposalStatus::Rejected,
            5 => ProposalStatus::Failed,
            _ => return None,
        })
    }
    /// `PROPOSAL_STATUS_VOTING_PERIOD`…
    pub fn name(self) -> &'static str {
        v1::ProposalStatus::try_from(self.to_i32()).map(|s| s.as_str_name()).unwrap_or("PROPOSAL_STATUS_UNSPECIFIED")
    }
    /// `deposit_period`, `PROPOSAL_STATUS_PASSED`, `passed`…: what the CLI and genesis accept.
    pub fn parse(s: &str) -> Option<Self> {
        let up = s.to_ascii_uppercase().replace('-', "_");
        let name = if up.starts_with("PROPOSAL_STATUS_") { up } else { format!("PROPOSAL_STATUS_{up}") };
        v1::ProposalStatus::from_str_name(&name).and_then(|s| ProposalStatus::from_i32(s as i32))
    }
}

/// `cosmos.gov.v1.VoteOption`: 1 yes, 2 abstain, 3 no, 4 no with veto.
pub const OPTION_YES: i32 = 1;
pub const OPTION_ABSTAIN: i32 = 2;
pub const OPTION_NO: i32 = 3;
pub const OPTION_NO_WITH_VETO: i32 = 4;

/// A voter's options: each weight positive, summing to exactly 1.
#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct Vote {
    pub proposal_id: u64,
    pub voter: Address,
    pub options: Vec<(i32, Dec)>,
    pub metadata: String,
}

/// Check weighted options as the SDK's `ValidWeightedVoteOption` and
/// `MsgVoteWeighted.ValidateBasic` do.
pub fn validate_options(options: &[(i32, Dec)]) -> Result<()> {
    if options.is_empty() {
        return Err(GovError::InvalidVote("options cannot be empty".into()).into());
    }
    let mut total = Dec::ZERO;
    let mut seen = std::collections::BTreeSet::new();
    for (opt, w) in options {
        if !(OPTION_YES..=OPTION_NO_WITH_VETO).contains(opt) {
            return Err(GovError::InvalidVote(format!("invalid option {opt}")).into());
        }
        if w.is_zero() || *w > Dec::ONE {
            return Err(GovError::InvalidVote(format!("invalid weight {}", w.to_sdk_string())).into());
        }
        if !seen.insert(*opt) {
            return Err(GovError::InvalidVote(format!("duplicated vote option {}", option_name(*opt))).into());
        }
        total = total.checked_add(*w).ok_or_else(|| GovError::InvalidVote("total weight overflow".into()))?;
    }
    if total != Dec::ONE {
        return Err(GovError::InvalidVote("total weight lower than 1.00 or greater than 1.00".into()).into());
    }
    Ok(())
}

pub fn option_name(opt: i32) -> &'static str {
    v1::VoteOption::try_from(opt).map(|o| o.as_str_name()).unwrap_or("VOTE_OPTION_UNSPECIFIED")
}

/// `yes`, `VOTE_OPTION_NO_WITH_VETO`, `no-with-veto`…
pub fn parse_option(s: &str) -> Option<i32> {
    let up = s.to_ascii_uppercase().replace('-', "_");
    let name = if up.starts_with("VOTE_OPTION_") { up } else { format!("VOTE_OPTION_{up}") };
    v1::VoteOption::from_str_name(&name).map(|o| o as i32).filter(|o| (OPTION_YES..=OPTION_NO_WITH_VETO).contains(o))
}

/// Final counts of a tally, in tokens (truncated, as the SDK's `Int`s).
#[derive(Clone, Debug, Default, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct TallyResult {
    pub yes: u128,
    pub abstain: u128,
    pub no: u128,
    pub no_with_veto: u128,
}

impl TallyResult {
    pub fn to_v1(&self) -> v1::TallyResult {
        v1::TallyResult {
            yes_count: self.yes.to_string(),
            abstain_count: self.abstain.to_string(),
            no_count: self.no.to_string(),
            no_with_veto_count: self.no_with_veto.to_string(),
        }
    }
    pub fn to_v1beta1(&self) -> v1beta1::TallyResult {
        v1beta1::TallyResult {
            yes: self.yes.to_string(),
            abstain: self.abstain.to_string(),
            no: self.no.to_string(),
            no_with_veto: self.no_with_veto.to_string(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct StoredAny {
    pub type_url: String,
    pub value: Vec<u8>,
}

impl StoredAny {
    pub fn from_any(a: &Any) -> Self {
        StoredAny { type_url: a.type_url.clone(), value: a.value.clone() }
    }
    pub fn to_any(&self) -> Any {
        Any { type_url: self.type_url.clone(), value: self.value.clone() }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct Proposal {
    pub id: u64,
    pub messages: Vec<StoredAny>,
    pub status: ProposalStatus,
    /// Set when voting ends (zeros before, as the SDK's empty tally).
    pub final_tally: TallyResult,
    pub submit_time: Timestamp,
    pub deposit_end_time: Timestamp,
    pub total_deposit: Coins,
    pub voting_start_time: Option<Timestamp>,
    pub voting_end_time: Option<Timestamp>,
    pub metadata: String,
    pub title: String,
    pub summary: String,
    pub proposer: Address,
    pub expedited: bool,
    pub failed_reason: String,
}

pub fn timestamp_pb(t: Timestamp) -> tendermint_proto::google::protobuf::Timestamp {
    tendermint_proto::google::protobuf::Timestamp { seconds: t.secs, nanos: t.nanos as i32 }
}

impl Proposal {
    pub fn messages(&self) -> Vec<Any> {
        self.messages.iter().map(StoredAny::to_any).collect()
    }

    pub fn to_v1(&self) -> v1::Proposal {
        v1::Proposal {
            id: self.id,
            messages: self.messages(),
            status: self.status.to_i32(),
            final_tally_result: Some(self.final_tally.to_v1()),
            submit_time: Some(timestamp_pb(self.submit_time)),
            deposit_end_time: Some(timestamp_pb(self.deposit_end_time)),
            total_deposit: self.total_deposit.to_proto(),
            voting_start_time: self.voting_start_time.map(timestamp_pb),
            voting_end_time: self.voting_end_time.map(timestamp_pb),
            metadata: self.metadata.clone(),
            title: self.title.clone(),
            summary: self.summary.clone(),
            proposer: self.proposer.to_bech32(),
            expedited: self.expedited,
            failed_reason: self.failed_reason.clone(),
        }
    }

    /// The SDK's `ConvertToLegacyProposal`: a single `MsgExecLegacyContent`
    /// gives its content; any other single message stands in as the content
    /// (as the SDK does for old clients); a proposal without messages shows
    /// its title and summary as a text proposal.
    pub fn to_v1beta1(&self) -> Result<v1beta1::Proposal> {
        let content = match self.messages.as_slice() {
            [] => Some(Any {
                type_url: TEXT_PROPOSAL.into(),
                value: v1beta1::TextProposal { title: self.title.clone(), description: self.summary.clone() }.encode_to_vec(),
            }),
            [m] if m.type_url == MSG_EXEC_LEGACY_CONTENT => v1::MsgExecLegacyContent::decode(m.value.as_slice())?.content,
            [m] => Some(m.to_any()),
            _ => {
                return Err(Error::InvalidRequest(format!(
                    "can't convert a gov/v1 Proposal to gov/v1beta1 Proposal when amount of proposal messages not exactly one (proposal {})",
                    self.id
                )));
            }
        };
        Ok(v1beta1::Proposal {
            proposal_id: self.id,
            content,
            status: self.status.to_i32(),
            final_tally_result: Some(self.final_tally.to_v1beta1()),
            submit_time: Some(timestamp_pb(self.submit_time)),
            deposit_end_time: Some(timestamp_pb(self.deposit_end_time)),
            total_deposit: self.total_deposit.to_proto(),
            voting_start_time: Some(timestamp_pb(self.voting_start_time.unwrap_or_default())),
            voting_end_time: Some(timestamp_pb(self.voting_end_time.unwrap_or_default())),
        })
    }
}

impl Vote {
    pub fn to_v1(&self) -> v1::Vote {
        v1::Vote {
            proposal_id: self.proposal_id,
            voter: self.voter.to_bech32(),
            options: self.options.iter().map(|(o, w)| v1::WeightedVoteOption { option: *o, weight: w.to_sdk_string() }).collect(),
            metadata: self.metadata.clone(),
        }
    }
    /// v1beta1 weights are gogoproto `Dec` strings (scaled by 10^18).
    #[allow(deprecated)]
    pub fn to_v1beta1(&self) -> v1beta1::Vote {
        let option = match self.options.as_slice() {
            [(o, _)] => *o,
            _ => 0,
        };
        v1beta1::Vote {
            proposal_id: self.proposal_id,
            voter: self.voter.to_bech32(),
            option,
            options: self.options.iter().map(|(o, w)| v1beta1::WeightedVoteOption { option: *o, weight: w.to_atto_string() }).collect(),
        }
    }
}
