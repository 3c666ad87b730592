//! `cosmos.distribution.v1beta1.Query` over ABCI. Pending rewards are
//! computed as the SDK does: the validator's period is ended in a layer
//! that is then thrown away.

use cosmos_sdk_proto::cosmos::base::query::v1beta1::PageResponse;
use cosmos_sdk_proto::cosmos::distribution::v1beta1 as pb;
use prost::Message;
use venice_sdk::{Address, Ctx, Error, Result};

use crate::Distribution;
use crate::dec_coins::DecCoins;
use crate::error::DistributionError;
use crate::state;

pub const SERVICE: &str = "cosmos.distribution.v1beta1.Query";
const DEFAULT_LIMIT: u64 = 100;

fn delegator(s: &str) -> Result<Address> {
    if s.is_empty() {
        return Err(Error::InvalidRequest("empty delegator address".into()));
    }
    Ok(Address::parse(s)?)
}

fn valoper(s: &str) -> Result<Address> {
    if s.is_empty() {
        return Err(Error::InvalidRequest("empty validator address".into()));
    }
    Ok(Address::parse_valoper(s)?)
}

fn existing_validator(k: &Distribution, ctx: &mut Ctx, s: &str) -> Result<Address> {
    let op = valoper(s)?;
    if k.staking.validator(ctx, &op)?.is_none() {
        return Err(venice_sdk::module::module_error(crate::MODULE, 12, format!("{s}: validator does not exist")));
    }
    Ok(op)
}

/// `f` in a layer that is discarded (queries never write).
fn dry_run<R>(ctx: &mut Ctx, f: impl FnOnce(&mut Ctx) -> Result<R>) -> Result<R> {
    ctx.push_layer();
    let out = f(ctx);
    ctx.discard_layer();
    out
}

/// A delegation's pending rewards (the `DelegationRewards` query).
pub fn delegation_rewards(k: &Distribution, ctx: &mut Ctx, del: &Address, val: &Address) -> Result<DecCoins> {
    dry_run(ctx, |ctx| k.pending_rewards(ctx, del, val))
}

/// Answer `method` of `cosmos.distribution.v1beta1.Query`.
pub fn query(k: &Distribution, ctx: &mut Ctx, method: &str, req: &[u8]) -> Result<Vec<u8>> {
    Ok(match method {
        "Params" => pb::QueryParamsResponse { params: Some(state::params(ctx)?.to_proto()) }.encode_to_vec(),
        "ValidatorDistributionInfo" => {
            let r = pb::QueryValidatorDistributionInfoRequest::decode(req)?;
            let op = existing_validator(k, ctx, &r.validator_address)?;
            if k.staking.delegation(ctx, &op, &op)?.is_none() {
                return Err(DistributionError::NoDelegationExists.into());
            }
            let rewards = delegation_rewards(k, ctx, &op, &op)?;
            pb::QueryValidatorDistributionInfoResponse {
                operator_address: op.to_bech32(),
                self_bond_rewards: rewards.to_proto(),
                commission: state::commission(ctx, &op)?.to_proto(),
            }
            .encode_to_vec()
        }
        "ValidatorOutstandingRewards" => {
            let r = pb::QueryValidatorOutstandingRewardsRequest::decode(req)?;
            let op = existing_validator(k, ctx, &r.validator_address)?;
            pb::QueryValidatorOutstandingRewardsResponse {
                rewards: Some(pb::ValidatorOutstandingRewards { rewards: state::outstanding(ctx, &op)?.to_proto() }),
            }
            .encode_to_vec()
        }
        "ValidatorCommission" => {
            let r = pb::QueryValidatorCommissionRequest::decode(req)?;
            let op = existing_validator(k, ctx, &r.validator_address)?;
            pb::QueryValidatorCommissionResponse {
                commission: Some(pb::ValidatorAccumulatedCommission { commission: state::commission(ctx, &op)?.to_proto() }),
            }
            .encode_to_vec()
        }
        "ValidatorSlashes" => {
            let r = pb::QueryValidatorSlashesRequest::decode(req)?;
            if r.ending_height < r.starting_height {
                return Err(Error::InvalidRequest("starting height greater than ending height".into()));
            }
            let op = valoper(&r.validator_address)?;
            let all = state::slash_events_between(ctx, &op, r.starting_height, r.ending_height)?;
            let p = r.pagination.unwrap_or_default();
            let limit = if p.limit == 0 { DEFAULT_LIMIT } else { p.limit } as usize;
            let total = all.len() as u64;
            let start = p.offset as usize;
            let slashes: Vec<pb::ValidatorSlashEvent> = all
                .into_iter()
                .skip(start)
                .take(limit)
                .map(|(_, e)| pb::ValidatorSlashEvent { validator_period: e.validator_period, fraction: e.fraction.to_atto_string() })
                .collect();
            let more = (start + slashes.len()) < total as usize;
            let next_key = if more { (start + slashes.len()).to_be_bytes().to_vec() } else { vec![] };
            pb::QueryValidatorSlashesResponse {
                slashes,
                pagination: Some(PageResponse { next_key, total: if p.count_total { total } else { 0 } }),
            }
            .encode_to_vec()
        }
        "DelegationRewards" => {
            let r = pb::QueryDelegationRewardsRequest::decode(req)?;
            let del = delegator(&r.delegator_address)?;
            let val = existing_validator(k, ctx, &r.validator_address)?;
            if k.staking.delegation(ctx, &del, &val)?.is_none() {
                return Err(DistributionError::NoDelegationExists.into());
            }
            pb::QueryDelegationRewardsResponse { rewards: delegation_rewards(k, ctx, &del, &val)?.to_proto() }.encode_to_vec()
        }
        "DelegationTotalRewards" => {
            let r = pb::QueryDelegationTotalRewardsRequest::decode(req)?;
            let del = delegator(&r.delegator_address)?;
            let mut total = DecCoins::empty();
            let mut rewards = Vec::new();
            for (val, _) in k.staking.delegator_delegations(ctx, &del)? {
                let reward = delegation_rewards(k, ctx, &del, &val)?;
                total = total.add(&reward)?;
                rewards.push(pb::DelegationDelegatorReward { validator_address: val.to_valoper(), reward: reward.to_proto() });
            }
            pb::QueryDelegationTotalRewardsResponse { rewards, total: total.to_proto() }.encode_to_vec()
        }
        "DelegatorValidators" => {
            let r = pb::QueryDelegatorValidatorsRequest::decode(req)?;
            let del = delegator(&r.delegator_address)?;
            let validators = k.staking.delegator_delegations(ctx, &del)?.into_iter().map(|(v, _)| v.to_valoper()).collect();
            pb::QueryDelegatorValidatorsResponse { validators }.encode_to_vec()
        }
        "DelegatorWithdrawAddress" => {
            let r = pb::QueryDelegatorWithdrawAddressRequest::decode(req)?;
            let del = delegator(&r.delegator_address)?;
            pb::QueryDelegatorWithdrawAddressResponse { withdraw_address: state::withdraw_addr(ctx, &del)?.to_bech32() }.encode_to_vec()
        }
        "CommunityPool" => pb::QueryCommunityPoolResponse { pool: state::community_pool(ctx)?.to_proto() }.encode_to_vec(),
        other => return Err(Error::UnknownQuery(format!("/{SERVICE}/{other}"))),
    })
}
