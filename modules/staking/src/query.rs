//! `cosmos.staking.v1beta1.Query` over ABCI, with the SDK's pagination
//! (`key` / `offset`, `limit`, `count_total`; `next_key` is the last item's
//! address bytes).

use cosmos_sdk_proto::cosmos::base::query::v1beta1::{PageRequest, PageResponse};
use cosmos_sdk_proto::cosmos::base::v1beta1::Coin as PCoin;
use cosmos_sdk_proto::cosmos::staking::v1beta1 as pb;
use prost::Message;
use venice_sdk::{Address, Ctx, Error, Result};
use venice_types::Dec;

use crate::types::{BondStatus, Validator};
use crate::{Staking, bonded_pool, not_bonded_pool, state};

pub const SERVICE: &str = "cosmos.staking.v1beta1.Query";
const DEFAULT_LIMIT: u64 = 100;
const MAX_LIMIT: u64 = 1000;

/// One page of a list keyed by address: `fetch(start_after, n)` returns up
/// to `n` items in key order.
fn page<T>(
    req: &Option<PageRequest>,
    mut fetch: impl FnMut(Option<&Address>, usize) -> Result<Vec<(Address, T)>>,
) -> Result<(Vec<T>, Option<PageResponse>)> {
    let p = req.clone().unwrap_or_default();
    if !p.key.is_empty() && p.offset > 0 {
        return Err(Error::InvalidRequest("paginate: invalid request, either offset or key is expected, got both".into()));
    }
    let limit = if p.limit == 0 { DEFAULT_LIMIT } else { p.limit.min(MAX_LIMIT) } as usize;
    let start = if p.key.is_empty() {
        None
    } else {
        Some(Address::from_bytes(&p.key).map_err(|_| Error::InvalidRequest("bad pagination key".into()))?)
    };
    let skip = p.offset as usize;
    let mut items = fetch(start.as_ref(), skip.saturating_add(limit).saturating_add(1))?;
    let items: Vec<(Address, T)> = items.drain(..).skip(skip).collect();
    let total = if p.count_total && p.key.is_empty() { fetch(None, usize::MAX)?.len() as u64 } else { 0 };
    let mut items = items;
    let next_key = if items.len() > limit {
        items.truncate(limit);
        items.last().map(|(a, _)| a.as_bytes().to_vec()).unwrap_or_default()
    } else {
        Vec::new()
    };
    Ok((items.into_iter().map(|(_, t)| t).collect(), Some(PageResponse { next_key, total })))
}

fn valoper(s: &str) -> Result<Address> {
    if s.is_empty() {
        return Err(Error::InvalidRequest("validator address cannot be empty".into()));
    }
    Ok(Address::parse_valoper(s)?)
}

fn delegator(s: &str) -> Result<Address> {
    if s.is_empty() {
        return Err(Error::InvalidRequest("delegator address cannot be empty".into()));
    }
    Ok(Address::parse(s)?)
}

fn validator(ctx: &mut Ctx, op: &Address, shown: &str) -> Result<Validator> {
    state::validator(ctx, op)?.ok_or_else(|| Error::NotFound(format!("validator {shown} not found")))
}

fn delegation_response(ctx: &mut Ctx, del: &Address, v: &Validator, shares: Dec) -> Result<pb::DelegationResponse> {
    let denom = state::params(ctx)?.bond_denom;
    let tokens = v.tokens_from_shares(shares)?.truncate_int();
    Ok(pb::DelegationResponse {
        delegation: Some(pb::Delegation {
            delegator_address: del.to_bech32(),
            validator_address: v.operator.to_valoper(),
            shares: shares.to_atto_string(),
        }),
        balance: Some(PCoin { denom, amount: tokens.to_string() }),
    })
}

fn redelegation_response(ctx: &mut Ctx, r: &crate::types::Redelegation) -> Result<pb::RedelegationResponse> {
    let dst = state::validator(ctx, &r.dst)?;
    let entries = r
        .entries
        .iter()
        .map(|e| {
            let balance = match &dst {
                Some(v) => v.tokens_from_shares(e.shares_dst)?.truncate_int(),
                None => 0,
            };
            Ok(pb::RedelegationEntryResponse { redelegation_entry: Some(e.to_proto()), balance: balance.to_string() })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(pb::RedelegationResponse { redelegation: Some(r.to_proto()), entries })
}

/// Answer `method` of `cosmos.staking.v1beta1.Query`.
pub fn query(k: &Staking, ctx: &mut Ctx, method: &str, req: &[u8]) -> Result<Vec<u8>> {
    Ok(match method {
        "Validators" => {
            let r = pb::QueryValidatorsRequest::decode(req)?;
            let status = if r.status.is_empty() {
                None
            } else {
                Some(
                    BondStatus::from_name(&r.status)
                        .ok_or_else(|| Error::InvalidRequest(format!("invalid validator status {}", r.status)))?,
                )
            };
            let (validators, pagination) = page(&r.pagination, |start, n| {
                let mut out = Vec::new();
                let mut after = start.cloned();
                loop {
                    let batch = state::validators(ctx, after.as_ref(), 256)?;
                    let last = batch.len() < 256;
                    after = batch.last().map(|v| v.operator.clone());
                    out.extend(
                        batch.into_iter().filter(|v| status.is_none_or(|s| v.status == s)).map(|v| (v.operator.clone(), v.to_proto())),
                    );
                    if last || out.len() >= n {
                        out.truncate(n);
                        return Ok(out);
                    }
                }
            })?;
            pb::QueryValidatorsResponse { validators, pagination }.encode_to_vec()
        }
        "Validator" => {
            let r = pb::QueryValidatorRequest::decode(req)?;
            let op = valoper(&r.validator_addr)?;
            pb::QueryValidatorResponse { validator: Some(validator(ctx, &op, &r.validator_addr)?.to_proto()) }.encode_to_vec()
        }
        "ValidatorDelegations" => {
            let r = pb::QueryValidatorDelegationsRequest::decode(req)?;
            let op = valoper(&r.validator_addr)?;
            let v = validator(ctx, &op, &r.validator_addr)?;
            let (delegation_responses, pagination) = page(&r.pagination, |start, n| {
                let dels = state::validator_delegators(ctx, &op, start, n)?;
                dels.into_iter()
                    .map(|d| {
                        let shares = state::delegation(ctx, &d, &op)?.unwrap_or_default();
                        Ok((d.clone(), delegation_response(ctx, &d, &v, shares)?))
                    })
                    .collect()
            })?;
            pb::QueryValidatorDelegationsResponse { delegation_responses, pagination }.encode_to_vec()
        }
        "ValidatorUnbondingDelegations" => {
            let r = pb::QueryValidatorUnbondingDelegationsRequest::decode(req)?;
            let op = valoper(&r.validator_addr)?;
            let (unbonding_responses, pagination) = page(&r.pagination, |start, n| {
                let dels = state::validator_ubd_delegators(ctx, &op, start, n)?;
                dels.into_iter()
                    .filter_map(|d| match state::ubd(ctx, &d, &op) {
                        Ok(Some(u)) => Some(Ok((d, u.to_proto()))),
                        Ok(None) => None,
                        Err(e) => Some(Err(e)),
                    })
                    .collect()
            })?;
            pb::QueryValidatorUnbondingDelegationsResponse { unbonding_responses, pagination }.encode_to_vec()
        }
        "Delegation" => {
            let r = pb::QueryDelegationRequest::decode(req)?;
            let del = delegator(&r.delegator_addr)?;
            let op = valoper(&r.validator_addr)?;
            let not_found =
                || Error::NotFound(format!("delegation with delegator {} not found for validator {}", r.delegator_addr, r.validator_addr));
            let shares = state::delegation(ctx, &del, &op)?.ok_or_else(not_found)?;
            let v = state::validator(ctx, &op)?.ok_or_else(not_found)?;
            pb::QueryDelegationResponse { delegation_response: Some(delegation_response(ctx, &del, &v, shares)?) }.encode_to_vec()
        }
        "UnbondingDelegation" => {
            let r = pb::QueryUnbondingDelegationRequest::decode(req)?;
            let del = delegator(&r.delegator_addr)?;
            let op = valoper(&r.validator_addr)?;
            let u = state::ubd(ctx, &del, &op)?.ok_or_else(|| {
                Error::NotFound(format!(
                    "unbonding delegation with delegator {} not found for validator {}",
                    r.delegator_addr, r.validator_addr
                ))
            })?;
            pb::QueryUnbondingDelegationResponse { unbond: Some(u.to_proto()) }.encode_to_vec()
        }
        "DelegatorDelegations" => {
            let r = pb::QueryDelegatorDelegationsRequest::decode(req)?;
            let del = delegator(&r.delegator_addr)?;
            let (delegation_responses, pagination) = page(&r.pagination, |start, n| {
                let list = state::delegator_delegations(ctx, &del, start, n)?;
                list.into_iter()
                    .map(|(op, shares)| {
                        let v = state::validator(ctx, &op)?.ok_or_else(|| Error::Internal("delegation to a missing validator".into()))?;
                        Ok((op, delegation_response(ctx, &del, &v, shares)?))
                    })
                    .collect()
            })?;
            pb::QueryDelegatorDelegationsResponse { delegation_responses, pagination }.encode_to_vec()
        }
        "DelegatorUnbondingDelegations" => {
            let r = pb::QueryDelegatorUnbondingDelegationsRequest::decode(req)?;
            let del = delegator(&r.delegator_addr)?;
            let (unbonding_responses, pagination) = page(&r.pagination, |start, n| {
                Ok(state::delegator_ubds(ctx, &del, start, n)?.into_iter().map(|u| (u.validator.clone(), u.to_proto())).collect())
            })?;
            pb::QueryDelegatorUnbondingDelegationsResponse { unbonding_responses, pagination }.encode_to_vec()
        }
        "Redelegations" => {
            let r = pb::QueryRedelegationsRequest::decode(req)?;
            let src = if r.src_validator_addr.is_empty() { None } else { Some(valoper(&r.src_validator_addr)?) };
            let dst = if r.dst_validator_addr.is_empty() { None } else { Some(valoper(&r.dst_validator_addr)?) };
            let reds = match (r.delegator_addr.is_empty(), &src, &dst) {
                (false, Some(s), Some(d)) => {
                    let del = delegator(&r.delegator_addr)?;
                    let red = state::red(ctx, &del, s, d)?.ok_or_else(|| {
                        Error::NotFound(format!(
                            "redelegation not found for delegator address {} from validator address {}",
                            r.delegator_addr, r.src_validator_addr
                        ))
                    })?;
                    vec![red]
                }
                (false, s, _) => state::delegator_reds(ctx, &delegator(&r.delegator_addr)?, s.as_ref())?,
                (true, Some(s), _) => state::reds_from(ctx, s)?,
                (true, None, _) => return Err(Error::InvalidRequest("delegator address or source validator address is required".into())),
            };
            // Paginate over the (small) list by position.
            let keyed: Vec<(Address, pb::RedelegationResponse)> = reds
                .iter()
                .enumerate()
                .map(|(i, red)| Ok((Address::from_bytes(&(i as u64 + 1).to_be_bytes())?, redelegation_response(ctx, red)?)))
                .collect::<Result<_>>()?;
            let (redelegation_responses, pagination) =
                page(&r.pagination, |start, n| Ok(keyed.iter().filter(|(a, _)| start.is_none_or(|s| a > s)).take(n).cloned().collect()))?;
            pb::QueryRedelegationsResponse { redelegation_responses, pagination }.encode_to_vec()
        }
        "DelegatorValidators" => {
            let r = pb::QueryDelegatorValidatorsRequest::decode(req)?;
            let del = delegator(&r.delegator_addr)?;
            let (validators, pagination) = page(&r.pagination, |start, n| {
                let list = state::delegator_delegations(ctx, &del, start, n)?;
                list.into_iter()
                    .map(|(op, _)| {
                        let v = state::validator(ctx, &op)?.ok_or_else(|| Error::Internal("delegation to a missing validator".into()))?;
                        Ok((op, v.to_proto()))
                    })
                    .collect()
            })?;
            pb::QueryDelegatorValidatorsResponse { validators, pagination }.encode_to_vec()
        }
        "DelegatorValidator" => {
            let r = pb::QueryDelegatorValidatorRequest::decode(req)?;
            let del = delegator(&r.delegator_addr)?;
            let op = valoper(&r.validator_addr)?;
            if state::delegation(ctx, &del, &op)?.is_none() {
                return Err(crate::StakingError::NoDelegation.into());
            }
            pb::QueryDelegatorValidatorResponse { validator: Some(validator(ctx, &op, &r.validator_addr)?.to_proto()) }.encode_to_vec()
        }
        "HistoricalInfo" => {
            let r = pb::QueryHistoricalInfoRequest::decode(req)?;
            if r.height < 0 {
                return Err(Error::InvalidRequest("height cannot be negative".into()));
            }
            let bytes = state::historical(ctx, r.height)?
                .ok_or_else(|| Error::NotFound(format!("historical info for height {} not found", r.height)))?;
            pb::QueryHistoricalInfoResponse { hist: Some(pb::HistoricalInfo::decode(bytes.as_slice())?) }.encode_to_vec()
        }
        "Pool" => {
            let denom = state::params(ctx)?.bond_denom;
            let bonded = k.bank.balance(ctx, &bonded_pool(), &denom)?;
            let not_bonded = k.bank.balance(ctx, &not_bonded_pool(), &denom)?;
            pb::QueryPoolResponse { pool: Some(pb::Pool { not_bonded_tokens: not_bonded.to_string(), bonded_tokens: bonded.to_string() }) }
                .encode_to_vec()
        }
        "Params" => pb::QueryParamsResponse { params: Some(state::params(ctx)?.to_proto()) }.encode_to_vec(),
        other => return Err(Error::UnknownQuery(format!("/{SERVICE}/{other}"))),
    })
}
