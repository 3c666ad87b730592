//! `cosmos.gov.v1.Query` and `cosmos.gov.v1beta1.Query` over ABCI, in the
//! SDK's shapes and pagination (`key` or `offset`, `next_key` naming the
//! first item of the next page, `count_total`, `reverse`).

use cosmos_sdk_proto::cosmos::base::query::v1beta1::{PageRequest, PageResponse};
use cosmos_sdk_proto::cosmos::gov::{v1, v1beta1};
use prost::Message;
use venice_sdk::{Address, Ctx, Error, Result};

use crate::types::{Proposal, ProposalStatus, TallyResult};
use crate::{Gov, state};

pub const SERVICE_V1: &str = "cosmos.gov.v1.Query";
pub const SERVICE_V1BETA1: &str = "cosmos.gov.v1beta1.Query";
const DEFAULT_LIMIT: u64 = 100;

/// One page of `items` (already in key order) per the SDK's `Paginate`.
fn paginate<T>(mut items: Vec<T>, p: &Option<PageRequest>, key_of: impl Fn(&T) -> Vec<u8>) -> Result<(Vec<T>, Option<PageResponse>)> {
    let req = p.clone().unwrap_or_default();
    if !req.key.is_empty() && req.offset > 0 {
        return Err(Error::InvalidRequest("paginate: invalid request, either offset or key is expected, got both".into()));
    }
    if req.reverse {
        items.reverse();
    }
    let limit = if req.limit == 0 { DEFAULT_LIMIT } else { req.limit } as usize;
    let count_total = p.is_none() || (req.key.is_empty() && (req.limit == 0 || req.count_total));
    let total = if count_total { items.len() as u64 } else { 0 };
    let start = if !req.key.is_empty() {
        items.iter().position(|i| if req.reverse { key_of(i) <= req.key } else { key_of(i) >= req.key }).unwrap_or(items.len())
    } else {
        (req.offset as usize).min(items.len())
    };
    let mut rest: Vec<T> = items.into_iter().skip(start).collect();
    let next_key = if rest.len() > limit { key_of(&rest[limit]) } else { Vec::new() };
    rest.truncate(limit);
    Ok((rest, Some(PageResponse { next_key, total })))
}

fn nonzero(id: u64) -> Result<u64> {
    if id == 0 {
        return Err(Error::InvalidRequest("proposal id can not be 0".into()));
    }
    Ok(id)
}

/// An address as it sorts in the store: its length byte, then its bytes.
fn addr_key(a: &Address) -> Vec<u8> {
    [&[a.as_bytes().len() as u8], a.as_bytes()].concat()
}

impl Gov {
    fn find_proposal(&self, ctx: &mut Ctx, id: u64) -> Result<Proposal> {
        state::proposal(ctx, nonzero(id)?)?.ok_or_else(|| Error::NotFound(format!("proposal {id} doesn't exist")))
    }

    /// Proposals matching the filters (status 0: any; voter / depositor: has one).
    fn filtered_proposals(&self, ctx: &mut Ctx, status: i32, voter: &str, depositor: &str) -> Result<Vec<Proposal>> {
        let voter = if voter.is_empty() { None } else { Some(Address::parse(voter)?) };
        let depositor = if depositor.is_empty() { None } else { Some(Address::parse(depositor)?) };
        let want = if status == 0 { None } else { Some(ProposalStatus::from_i32(status)) };
        let mut out = Vec::new();
        for p in state::proposals(ctx, None, usize::MAX)? {
            if want.is_some_and(|w| w != Some(p.status)) {
                continue;
            }
            if let Some(v) = &voter
                && state::vote(ctx, p.id, v)?.is_none()
            {
                continue;
            }
            if let Some(d) = &depositor
                && state::deposit(ctx, p.id, d)?.is_none()
            {
                continue;
            }
            out.push(p);
        }
        Ok(out)
    }

    /// The tally so far (voting), the final one (ended), or zeros (deposit period).
    fn current_tally(&self, ctx: &mut Ctx, id: u64) -> Result<TallyResult> {
        let p = self.find_proposal(ctx, id)?;
        Ok(match p.status {
            ProposalStatus::DepositPeriod => TallyResult::default(),
            ProposalStatus::VotingPeriod => self.tally(ctx, &p, false)?.result,
            _ => p.final_tally,
        })
    }

    fn find_vote(&self, ctx: &mut Ctx, id: u64, voter: &str) -> Result<crate::types::Vote> {
        let addr = Address::parse(voter)?;
        state::vote(ctx, nonzero(id)?, &addr)?.ok_or_else(|| Error::NotFound(format!("voter: {voter} not found for proposal: {id}")))
    }

    fn find_deposit(&self, ctx: &mut Ctx, id: u64, depositor: &str) -> Result<venice_sdk::Coins> {
        let addr = Address::parse(depositor)?;
        state::deposit(ctx, nonzero(id)?, &addr)?
            .ok_or_else(|| Error::NotFound(format!("depositer: {depositor} not found for proposal: {id}")))
    }

    pub fn query(&self, ctx: &mut Ctx, service: &str, method: &str, req: &[u8]) -> Result<Vec<u8>> {
        if service == SERVICE_V1BETA1 {
            return self.query_v1beta1(ctx, method, req);
        }
        Ok(match method {
            "Constitution" => v1::QueryConstitutionResponse { constitution: state::constitution(ctx)? }.encode_to_vec(),
            "Proposal" => {
                let r = v1::QueryProposalRequest::decode(req)?;
                v1::QueryProposalResponse { proposal: Some(self.find_proposal(ctx, r.proposal_id)?.to_v1()) }.encode_to_vec()
            }
            "Proposals" => {
                let r = v1::QueryProposalsRequest::decode(req)?;
                let all = self.filtered_proposals(ctx, r.proposal_status, &r.voter, &r.depositor)?;
                let (page, pagination) = paginate(all, &r.pagination, |p| p.id.to_be_bytes().to_vec())?;
                v1::QueryProposalsResponse { proposals: page.iter().map(Proposal::to_v1).collect(), pagination }.encode_to_vec()
            }
            "Vote" => {
                let r = v1::QueryVoteRequest::decode(req)?;
                v1::QueryVoteResponse { vote: Some(self.find_vote(ctx, r.proposal_id, &r.voter)?.to_v1()) }.encode_to_vec()
            }
            "Votes" => {
                let r = v1::QueryVotesRequest::decode(req)?;
                let all = state::votes(ctx, nonzero(r.proposal_id)?, None, usize::MAX)?;
                let (page, pagination) = paginate(all, &r.pagination, |v| addr_key(&v.voter))?;
                v1::QueryVotesResponse { votes: page.iter().map(|v| v.to_v1()).collect(), pagination }.encode_to_vec()
            }
            "Params" => {
                let r = v1::QueryParamsRequest::decode(req)?;
                let p = state::params(ctx)?;
                #[allow(deprecated)]
                let mut out = v1::QueryParamsResponse { params: Some(p.to_v1()), ..Default::default() };
                #[allow(deprecated)]
                match r.params_type.as_str() {
                    "deposit" => out.deposit_params = Some(p.deposit_params_v1()),
                    "voting" => out.voting_params = Some(p.voting_params_v1()),
                    "tallying" => out.tally_params = Some(p.tally_params_v1()),
                    "" => {}
                    other => return Err(Error::InvalidRequest(format!("unknown params type: {other}"))),
                }
                out.encode_to_vec()
            }
            "Deposit" => {
                let r = v1::QueryDepositRequest::decode(req)?;
                let amount = self.find_deposit(ctx, r.proposal_id, &r.depositor)?;
                let deposit = v1::Deposit { proposal_id: r.proposal_id, depositor: r.depositor, amount: amount.to_proto() };
                v1::QueryDepositResponse { deposit: Some(deposit) }.encode_to_vec()
            }
            "Deposits" => {
                let r = v1::QueryDepositsRequest::decode(req)?;
                let id = nonzero(r.proposal_id)?;
                let all = state::deposits(ctx, id, None, usize::MAX)?;
                let (page, pagination) = paginate(all, &r.pagination, |(a, _)| addr_key(a))?;
                let deposits =
                    page.iter().map(|(a, c)| v1::Deposit { proposal_id: id, depositor: a.to_bech32(), amount: c.to_proto() }).collect();
                v1::QueryDepositsResponse { deposits, pagination }.encode_to_vec()
            }
            "TallyResult" => {
                let r = v1::QueryTallyResultRequest::decode(req)?;
                v1::QueryTallyResultResponse { tally: Some(self.current_tally(ctx, r.proposal_id)?.to_v1()) }.encode_to_vec()
            }
            other => return Err(Error::UnknownQuery(format!("/{SERVICE_V1}/{other}"))),
        })
    }

    fn query_v1beta1(&self, ctx: &mut Ctx, method: &str, req: &[u8]) -> Result<Vec<u8>> {
        Ok(match method {
            "Proposal" => {
                let r = v1beta1::QueryProposalRequest::decode(req)?;
                v1beta1::QueryProposalResponse { proposal: Some(self.find_proposal(ctx, r.proposal_id)?.to_v1beta1()?) }.encode_to_vec()
            }
            "Proposals" => {
                let r = v1beta1::QueryProposalsRequest::decode(req)?;
                let all = self.filtered_proposals(ctx, r.proposal_status, &r.voter, &r.depositor)?;
                let (page, pagination) = paginate(all, &r.pagination, |p| p.id.to_be_bytes().to_vec())?;
                let proposals = page.iter().map(Proposal::to_v1beta1).collect::<Result<Vec<_>>>()?;
                v1beta1::QueryProposalsResponse { proposals, pagination }.encode_to_vec()
            }
            "Vote" => {
                let r = v1beta1::QueryVoteRequest::decode(req)?;
                v1beta1::QueryVoteResponse { vote: Some(self.find_vote(ctx, r.proposal_id, &r.voter)?.to_v1beta1()) }.encode_to_vec()
            }
            "Votes" => {
                let r = v1beta1::QueryVotesRequest::decode(req)?;
                let all = state::votes(ctx, nonzero(r.proposal_id)?, None, usize::MAX)?;
                let (page, pagination) = paginate(all, &r.pagination, |v| addr_key(&v.voter))?;
                v1beta1::QueryVotesResponse { votes: page.iter().map(|v| v.to_v1beta1()).collect(), pagination }.encode_to_vec()
            }
            "Params" => {
                let r = v1beta1::QueryParamsRequest::decode(req)?;
                let p = state::params(ctx)?;
                let mut out = v1beta1::QueryParamsResponse::default();
                match r.params_type.as_str() {
                    "deposit" => out.deposit_params = Some(p.deposit_params_v1beta1()),
                    "voting" => out.voting_params = Some(p.voting_params_v1beta1()),
                    "tallying" => out.tally_params = Some(p.tally_params_v1beta1()),
                    other => return Err(Error::InvalidRequest(format!("{other} is not a valid parameter type"))),
                }
                out.encode_to_vec()
            }
            "Deposit" => {
                let r = v1beta1::QueryDepositRequest::decode(req)?;
                let amount = self.find_deposit(ctx, r.proposal_id, &r.depositor)?;
                let deposit = v1beta1::Deposit { proposal_id: r.proposal_id, depositor: r.depositor, amount: amount.to_proto() };
                v1beta1::QueryDepositResponse { deposit: Some(deposit) }.encode_to_vec()
            }
            "Deposits" => {
                let r = v1beta1::QueryDepositsRequest::decode(req)?;
                let id = nonzero(r.proposal_id)?;
                let all = state::deposits(ctx, id, None, usize::MAX)?;
                let (page, pagination) = paginate(all, &r.pagination, |(a, _)| addr_key(a))?;
                let deposits = page
                    .iter()
                    .map(|(a, c)| v1beta1::Deposit { proposal_id: id, depositor: a.to_bech32(), amount: c.to_proto() })
                    .collect();
                v1beta1::QueryDepositsResponse { deposits, pagination }.encode_to_vec()
            }
            "TallyResult" => {
                let r = v1beta1::QueryTallyResultRequest::decode(req)?;
                v1beta1::QueryTallyResultResponse { tally: Some(self.current_tally(ctx, r.proposal_id)?.to_v1beta1()) }.encode_to_vec()
            }
            other => return Err(Error::UnknownQuery(format!("/{SERVICE_V1BETA1}/{other}"))),
        })
    }
}
