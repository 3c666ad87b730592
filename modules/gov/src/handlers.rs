//! gov's messages, `cosmos.gov.v1` and the `cosmos.gov.v1beta1` ones
//! wallets still send: one function per message, plus stateless checks.

use cosmos_sdk_proto::Any;
use cosmos_sdk_proto::cosmos::gov::{v1, v1beta1};
use prost::Message;
use venice_sdk::{Address, Coins, Ctx, Error, MsgRouter, Result, response_any};
use venice_types::Dec;

use crate::error::GovError;
use crate::keeper::now;
use crate::params::Params;
use crate::types::{MSG_EXEC_LEGACY_CONTENT, OPTION_NO_WITH_VETO, OPTION_YES, TEXT_PROPOSAL, timestamp_pb, validate_options};
use crate::{Gov, authority, events, state};

pub const MSG_SUBMIT_PROPOSAL: &str = "/cosmos.gov.v1.MsgSubmitProposal";
pub const MSG_VOTE: &str = "/cosmos.gov.v1.MsgVote";
pub const MSG_VOTE_WEIGHTED: &str = "/cosmos.gov.v1.MsgVoteWeighted";
pub const MSG_DEPOSIT: &str = "/cosmos.gov.v1.MsgDeposit";
pub const MSG_UPDATE_PARAMS: &str = "/cosmos.gov.v1.MsgUpdateParams";
pub const MSG_CANCEL_PROPOSAL: &str = "/cosmos.gov.v1.MsgCancelProposal";
pub const LEGACY_SUBMIT_PROPOSAL: &str = "/cosmos.gov.v1beta1.MsgSubmitProposal";
pub const LEGACY_VOTE: &str = "/cosmos.gov.v1beta1.MsgVote";
pub const LEGACY_VOTE_WEIGHTED: &str = "/cosmos.gov.v1beta1.MsgVoteWeighted";
pub const LEGACY_DEPOSIT: &str = "/cosmos.gov.v1beta1.MsgDeposit";

pub const TYPE_URLS: &[&str] = &[
    MSG_SUBMIT_PROPOSAL,
    MSG_EXEC_LEGACY_CONTENT,
    MSG_VOTE,
    MSG_VOTE_WEIGHTED,
    MSG_DEPOSIT,
    MSG_UPDATE_PARAMS,
    MSG_CANCEL_PROPOSAL,
    LEGACY_SUBMIT_PROPOSAL,
    LEGACY_VOTE,
    LEGACY_VOTE_WEIGHTED,
    LEGACY_DEPOSIT,
];

/// The v1beta1 TextProposal limits (`ValidateAbstract`).
const MAX_LEGACY_TITLE: usize = 140;
const MAX_LEGACY_DESCRIPTION: usize = 10_000;

fn deposit_coins(list: &[cosmos_sdk_proto::cosmos::base::v1beta1::Coin]) -> Result<Coins> {
    Ok(Coins::from_proto_strict(list)?)
}

fn positive_coins(list: &[cosmos_sdk_proto::cosmos::base::v1beta1::Coin]) -> Result<Coins> {
    let c = deposit_coins(list)?;
    if c.is_empty() {
        return Err(Error::InvalidCoins("deposit amount must be positive".into()));
    }
    Ok(c)
}

fn single_option(option: i32) -> Result<Vec<(i32, Dec)>> {
    if !(OPTION_YES..=OPTION_NO_WITH_VETO).contains(&option) {
        return Err(GovError::InvalidVote(format!("invalid option {option}")).into());
    }
    Ok(vec![(option, Dec::ONE)])
}

/// v1 weights are decimals (`"0.6"`); v1beta1's gogoproto `Dec` carries
/// the integer scaled by 10^18.
fn weighted(options: impl Iterator<Item = (i32, String)>, legacy: bool) -> Result<Vec<(i32, Dec)>> {
    let out = options
        .map(|(o, w)| {
            let d = if legacy { Dec::from_atto_str(&w) } else { Dec::parse(&w) };
            d.map(|d| (o, d)).ok_or_else(|| GovError::InvalidVote(format!("invalid weight {w:?}")).into())
        })
        .collect::<Result<Vec<_>>>()?;
    validate_options(&out)?;
    Ok(out)
}

fn text_content(content: &Option<Any>) -> Result<v1beta1::TextProposal> {
    let c = content.as_ref().ok_or_else(|| GovError::InvalidProposalContent("missing content".into()))?;
    if c.type_url != TEXT_PROPOSAL {
        return Err(GovError::NoProposalHandlerExists(format!("no handler for content {}", c.type_url)).into());
    }
    let t = v1beta1::TextProposal::decode(c.value.as_slice())?;
    if t.title.trim().is_empty() {
        return Err(GovError::InvalidProposalContent("proposal title cannot be blank".into()).into());
    }
    if t.title.len() > MAX_LEGACY_TITLE {
        return Err(GovError::InvalidProposalContent(format!("proposal title is longer than max length of {MAX_LEGACY_TITLE}")).into());
    }
    if t.description.trim().is_empty() {
        return Err(GovError::InvalidProposalContent("proposal description cannot be blank".into()).into());
    }
    if t.description.len() > MAX_LEGACY_DESCRIPTION {
        return Err(GovError::InvalidProposalContent(format!(
            "proposal description is longer than max length of {MAX_LEGACY_DESCRIPTION}"
        ))
        .into());
    }
    Ok(t)
}

fn check_authority(given: &str) -> Result<()> {
    let gov = authority();
    if Address::parse(given)? != gov {
        return Err(GovError::InvalidAuthority { expected: gov.to_bech32(), got: given.to_string() }.into());
    }
    Ok(())
}

/// Stateless checks of a message; the addresses that must sign it.
pub fn signers(msg: &Any) -> Result<Vec<Address>> {
    let b = msg.value.as_slice();
    let one = |s: &str| Ok(vec![Address::parse(s)?]);
    match msg.type_url.as_str() {
        MSG_SUBMIT_PROPOSAL => {
            let m = v1::MsgSubmitProposal::decode(b)?;
            deposit_coins(&m.initial_deposit)?;
            if m.title.is_empty() {
                return Err(GovError::InvalidProposalContent("proposal title cannot be empty".into()).into());
            }
            if m.summary.is_empty() {
                return Err(GovError::InvalidProposalContent("proposal summary cannot be empty".into()).into());
            }
            one(&m.proposer)
        }
        MSG_EXEC_LEGACY_CONTENT => one(&v1::MsgExecLegacyContent::decode(b)?.authority),
        MSG_VOTE => {
            let m = v1::MsgVote::decode(b)?;
            single_option(m.option)?;
            one(&m.voter)
        }
        MSG_VOTE_WEIGHTED => {
            let m = v1::MsgVoteWeighted::decode(b)?;
            weighted(m.options.into_iter().map(|o| (o.option, o.weight)), false)?;
            one(&m.voter)
        }
        MSG_DEPOSIT => {
            let m = v1::MsgDeposit::decode(b)?;
            positive_coins(&m.amount)?;
            one(&m.depositor)
        }
        MSG_UPDATE_PARAMS => one(&v1::MsgUpdateParams::decode(b)?.authority),
        MSG_CANCEL_PROPOSAL => one(&v1::MsgCancelProposal::decode(b)?.proposer),
        LEGACY_SUBMIT_PROPOSAL => {
            let m = v1beta1::MsgSubmitProposal::decode(b)?;
            deposit_coins(&m.initial_deposit)?;
            text_content(&m.content)?;
            one(&m.proposer)
        }
        LEGACY_VOTE => {
            let m = v1beta1::MsgVote::decode(b)?;
            single_option(m.option)?;
            one(&m.voter)
        }
        LEGACY_VOTE_WEIGHTED => {
            let m = v1beta1::MsgVoteWeighted::decode(b)?;
            weighted(m.options.into_iter().map(|o| (o.option, o.weight)), true)?;
            one(&m.voter)
        }
        LEGACY_DEPOSIT => {
            let m = v1beta1::MsgDeposit::decode(b)?;
            positive_coins(&m.amount)?;
            one(&m.depositor)
        }
        other => Err(Error::UnknownMessage(other.to_string())),
    }
}

impl Gov {
    /// v1 `MsgSubmitProposal` (and the v1beta1 one, converted): store the
    /// proposal, then take the initial deposit, which may open voting.
    #[allow(clippy::too_many_arguments)]
    fn submit(
        &self,
        ctx: &mut Ctx,
        router: &dyn MsgRouter,
        messages: &[Any],
        initial: &Coins,
        proposer: &Address,
        metadata: &str,
        title: &str,
        summary: &str,
        expedited: bool,
    ) -> Result<u64> {
        let params = state::params(ctx)?;
        self.check_initial_deposit(&params, initial, expedited)?;
        let id = self.submit_proposal(ctx, router, messages, metadata, title, summary, proposer, expedited)?;
        if !initial.is_empty() && self.add_deposit(ctx, id, proposer, initial)? {
            ctx.emit(events::voting_period_start("submit_proposal", id));
        }
        ctx.emit(events::message(proposer));
        Ok(id)
    }

    fn deposit(&self, ctx: &mut Ctx, id: u64, depositor: &str, amount: &[cosmos_sdk_proto::cosmos::base::v1beta1::Coin]) -> Result<()> {
        let depositor = Address::parse(depositor)?;
        if self.add_deposit(ctx, id, &depositor, &positive_coins(amount)?)? {
            ctx.emit(events::voting_period_start("proposal_deposit", id));
        }
        ctx.emit(events::message(&depositor));
        Ok(())
    }

    fn vote(&self, ctx: &mut Ctx, id: u64, voter: &str, options: Vec<(i32, Dec)>, metadata: &str) -> Result<()> {
        let voter = Address::parse(voter)?;
        self.add_vote(ctx, id, &voter, options, metadata)?;
        ctx.emit(events::message(&voter));
        Ok(())
    }

    /// Route a message to its handler; the typed response as an `Any`.
    pub fn handle(&self, ctx: &mut Ctx, router: &dyn MsgRouter, msg: &Any) -> Result<Any> {
        let b = msg.value.as_slice();
        match msg.type_url.as_str() {
            MSG_SUBMIT_PROPOSAL => {
                let m = v1::MsgSubmitProposal::decode(b)?;
                let proposer = Address::parse(&m.proposer)?;
                let initial = deposit_coins(&m.initial_deposit)?;
                let id = self.submit(ctx, router, &m.messages, &initial, &proposer, &m.metadata, &m.title, &m.summary, m.expedited)?;
                Ok(response_any(&v1::MsgSubmitProposalResponse { proposal_id: id }))
            }
            LEGACY_SUBMIT_PROPOSAL => {
                let m = v1beta1::MsgSubmitProposal::decode(b)?;
                let text = text_content(&m.content)?;
                let proposer = Address::parse(&m.proposer)?;
                let initial = deposit_coins(&m.initial_deposit)?;
                let exec = v1::MsgExecLegacyContent { content: m.content.clone(), authority: authority().to_bech32() };
                let wrapped = Any { type_url: MSG_EXEC_LEGACY_CONTENT.into(), value: exec.encode_to_vec() };
                let id = self.submit(ctx, router, &[wrapped], &initial, &proposer, "", &text.title, &text.description, false)?;
                Ok(response_any(&v1beta1::MsgSubmitProposalResponse { proposal_id: id }))
            }
            MSG_EXEC_LEGACY_CONTENT => {
                let m = v1::MsgExecLegacyContent::decode(b)?;
                check_authority(&m.authority)?;
                // A text proposal's only effect is having passed.
                text_content(&m.content)?;
                Ok(response_any(&v1::MsgExecLegacyContentResponse {}))
            }
            MSG_VOTE => {
                let m = v1::MsgVote::decode(b)?;
                self.vote(ctx, m.proposal_id, &m.voter, single_option(m.option)?, &m.metadata)?;
                Ok(response_any(&v1::MsgVoteResponse {}))
            }
            LEGACY_VOTE => {
                let m = v1beta1::MsgVote::decode(b)?;
                self.vote(ctx, m.proposal_id, &m.voter, single_option(m.option)?, "")?;
                Ok(response_any(&v1beta1::MsgVoteResponse {}))
            }
            MSG_VOTE_WEIGHTED => {
                let m = v1::MsgVoteWeighted::decode(b)?;
                let options = weighted(m.options.into_iter().map(|o| (o.option, o.weight)), false)?;
                self.vote(ctx, m.proposal_id, &m.voter, options, &m.metadata)?;
                Ok(response_any(&v1::MsgVoteWeightedResponse {}))
            }
            LEGACY_VOTE_WEIGHTED => {
                let m = v1beta1::MsgVoteWeighted::decode(b)?;
                let options = weighted(m.options.into_iter().map(|o| (o.option, o.weight)), true)?;
                self.vote(ctx, m.proposal_id, &m.voter, options, "")?;
                Ok(response_any(&v1beta1::MsgVoteWeightedResponse {}))
            }
            MSG_DEPOSIT => {
                let m = v1::MsgDeposit::decode(b)?;
                self.deposit(ctx, m.proposal_id, &m.depositor, &m.amount)?;
                Ok(response_any(&v1::MsgDepositResponse {}))
            }
            LEGACY_DEPOSIT => {
                let m = v1beta1::MsgDeposit::decode(b)?;
                self.deposit(ctx, m.proposal_id, &m.depositor, &m.amount)?;
                Ok(response_any(&v1beta1::MsgDepositResponse {}))
            }
            MSG_UPDATE_PARAMS => {
                let m = v1::MsgUpdateParams::decode(b)?;
                check_authority(&m.authority)?;
                let p = m.params.as_ref().ok_or_else(|| Error::InvalidRequest("params: missing".into()))?;
                let params = Params::from_v1(p).map_err(Error::InvalidRequest)?;
                state::set_params(ctx, &params)?;
                Ok(response_any(&v1::MsgUpdateParamsResponse {}))
            }
            MSG_CANCEL_PROPOSAL => {
                let m = v1::MsgCancelProposal::decode(b)?;
                let proposer = Address::parse(&m.proposer)?;
                self.cancel_proposal(ctx, m.proposal_id, &proposer)?;
                ctx.emit(events::message(&proposer));
                Ok(response_any(&v1::MsgCancelProposalResponse {
                    proposal_id: m.proposal_id,
                    canceled_time: Some(timestamp_pb(now(ctx))),
                    canceled_height: ctx.info.height,
                }))
            }
            other => Err(Error::UnknownMessage(other.to_string())),
        }
    }
}
