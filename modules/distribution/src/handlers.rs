//! distribution's messages: one function per message (x/distribution's
//! msg_server), plus the stateless checks and signers.

use cosmos_sdk_proto::Any;
use cosmos_sdk_proto::cosmos::distribution::v1beta1::{
    MsgCommunityPoolSpend, MsgCommunityPoolSpendResponse, MsgFundCommunityPool, MsgFundCommunityPoolResponse, MsgSetWithdrawAddress,
    MsgSetWithdrawAddressResponse, MsgUpdateParams, MsgUpdateParamsResponse, MsgWithdrawDelegatorReward,
    MsgWithdrawDelegatorRewardResponse, MsgWithdrawValidatorCommission, MsgWithdrawValidatorCommissionResponse,
};
use prost::Message;
use venice_sdk::{Address, Coins, Ctx, Error, Result, response_any};

use crate::error::DistributionError;
use crate::params::Params;
use crate::{Distribution, state};

pub const MSG_SET_WITHDRAW_ADDRESS: &str = "/cosmos.distribution.v1beta1.MsgSetWithdrawAddress";
pub const MSG_WITHDRAW_DELEGATOR_REWARD: &str = "/cosmos.distribution.v1beta1.MsgWithdrawDelegatorReward";
pub const MSG_WITHDRAW_VALIDATOR_COMMISSION: &str = "/cosmos.distribution.v1beta1.MsgWithdrawValidatorCommission";
pub const MSG_FUND_COMMUNITY_POOL: &str = "/cosmos.distribution.v1beta1.MsgFundCommunityPool";
pub const MSG_UPDATE_PARAMS: &str = "/cosmos.distribution.v1beta1.MsgUpdateParams";
pub const MSG_COMMUNITY_POOL_SPEND: &str = "/cosmos.distribution.v1beta1.MsgCommunityPoolSpend";

pub const TYPE_URLS: &[&str] = &[
    MSG_SET_WITHDRAW_ADDRESS,
    MSG_WITHDRAW_DELEGATOR_REWARD,
    MSG_WITHDRAW_VALIDATOR_COMMISSION,
    MSG_FUND_COMMUNITY_POOL,
    MSG_UPDATE_PARAMS,
    MSG_COMMUNITY_POOL_SPEND,
];

fn delegator(s: &str) -> Result<Address> {
    if s.is_empty() {
        return Err(DistributionError::EmptyDelegatorAddr.into());
    }
    Ok(Address::parse(s)?)
}

fn valoper(s: &str) -> Result<Address> {
    if s.is_empty() {
        return Err(DistributionError::EmptyValidatorAddr.into());
    }
    Ok(Address::parse_valoper(s)?)
}

fn withdraw_addr(s: &str) -> Result<Address> {
    if s.is_empty() {
        return Err(DistributionError::EmptyWithdrawAddr.into());
    }
    Ok(Address::parse(s)?)
}

fn fund_coins(m: &MsgFundCommunityPool) -> Result<Coins> {
    let coins = Coins::from_proto_strict(&m.amount)?;
    if coins.is_empty() {
        return Err(Error::InvalidCoins("amount must be positive".into()));
    }
    Ok(coins)
}

pub fn set_withdraw_address(k: &Distribution, ctx: &mut Ctx, m: &MsgSetWithdrawAddress) -> Result<MsgSetWithdrawAddressResponse> {
    k.set_withdraw_addr(ctx, &delegator(&m.delegator_address)?, &withdraw_addr(&m.withdraw_address)?)?;
    Ok(MsgSetWithdrawAddressResponse {})
}

pub fn withdraw_delegator_reward(
    k: &Distribution,
    ctx: &mut Ctx,
    m: &MsgWithdrawDelegatorReward,
) -> Result<MsgWithdrawDelegatorRewardResponse> {
    let paid = k.withdraw_rewards(ctx, &delegator(&m.delegator_address)?, &valoper(&m.validator_address)?)?;
    Ok(MsgWithdrawDelegatorRewardResponse { amount: paid.to_proto() })
}

pub fn withdraw_validator_commission(
    k: &Distribution,
    ctx: &mut Ctx,
    m: &MsgWithdrawValidatorCommission,
) -> Result<MsgWithdrawValidatorCommissionResponse> {
    let paid = k.withdraw_validator_commission(ctx, &valoper(&m.validator_address)?)?;
    Ok(MsgWithdrawValidatorCommissionResponse { amount: paid.to_proto() })
}

pub fn fund_community_pool(k: &Distribution, ctx: &mut Ctx, m: &MsgFundCommunityPool) -> Result<MsgFundCommunityPoolResponse> {
    k.fund_community_pool(ctx, &Address::parse(&m.depositor)?, &fund_coins(m)?)?;
    Ok(MsgFundCommunityPoolResponse {})
}

/// `MsgUpdateParams` (gov only): every field replaced, validated here so a
/// bad value fails the proposal that carries it.
pub fn update_params(ctx: &mut Ctx, m: &MsgUpdateParams) -> Result<MsgUpdateParamsResponse> {
    let p = venice_sdk::gov_params(&m.authority, m.params.as_ref())?;
    let params = Params::from_proto(p).map_err(Error::InvalidRequest)?;
    state::set_params(ctx, &params)?;
    Ok(MsgUpdateParamsResponse {})
}

/// `MsgCommunityPoolSpend` (gov only): pays `recipient` from the community
/// pool, as the SDK's `DistributeFromFeePool`.
pub fn community_pool_spend(k: &Distribution, ctx: &mut Ctx, m: &MsgCommunityPoolSpend) -> Result<MsgCommunityPoolSpendResponse> {
    venice_sdk::check_gov_authority(&m.authority)?;
    let recipient = Address::parse(&m.recipient)?;
    let amount = Coins::from_proto_strict(&m.amount)?;
    k.distribute_from_community_pool(ctx, &recipient, &amount)?;
    Ok(MsgCommunityPoolSpendResponse {})
}

/// Stateless checks of a message; the address that must sign it.
pub fn signers(msg: &Any) -> Result<Vec<Address>> {
    let v = msg.value.as_slice();
    Ok(vec![match msg.type_url.as_str() {
        MSG_SET_WITHDRAW_ADDRESS => {
            let m = MsgSetWithdrawAddress::decode(v)?;
            withdraw_addr(&m.withdraw_address)?;
            delegator(&m.delegator_address)?
        }
        MSG_WITHDRAW_DELEGATOR_REWARD => {
            let m = MsgWithdrawDelegatorReward::decode(v)?;
            valoper(&m.validator_address)?;
            delegator(&m.delegator_address)?
        }
        // The operator's account signs for its validator.
        MSG_WITHDRAW_VALIDATOR_COMMISSION => valoper(&MsgWithdrawValidatorCommission::decode(v)?.validator_address)?,
        MSG_FUND_COMMUNITY_POOL => {
            let m = MsgFundCommunityPool::decode(v)?;
            fund_coins(&m)?;
            Address::parse(&m.depositor)?
        }
        MSG_UPDATE_PARAMS => Address::parse(&MsgUpdateParams::decode(v)?.authority)?,
        MSG_COMMUNITY_POOL_SPEND => {
            let m = MsgCommunityPoolSpend::decode(v)?;
            Address::parse(&m.recipient)?;
            Coins::from_proto_strict(&m.amount)?;
            Address::parse(&m.authority)?
        }
        other => return Err(Error::UnknownMessage(other.to_string())),
    }])
}

/// Route a message to its handler; the typed response as an `Any`.
pub fn handle(k: &Distribution, ctx: &mut Ctx, msg: &Any) -> Result<Any> {
    let v = msg.value.as_slice();
    match msg.type_url.as_str() {
        MSG_SET_WITHDRAW_ADDRESS => set_withdraw_address(k, ctx, &MsgSetWithdrawAddress::decode(v)?).map(|r| response_any(&r)),
        MSG_WITHDRAW_DELEGATOR_REWARD => {
            withdraw_delegator_reward(k, ctx, &MsgWithdrawDelegatorReward::decode(v)?).map(|r| response_any(&r))
        }
        MSG_WITHDRAW_VALIDATOR_COMMISSION => {
            withdraw_validator_commission(k, ctx, &MsgWithdrawValidatorCommission::decode(v)?).map(|r| response_any(&r))
        }
        MSG_FUND_COMMUNITY_POOL => fund_community_pool(k, ctx, &MsgFundCommunityPool::decode(v)?).map(|r| response_any(&r)),
        MSG_UPDATE_PARAMS => update_params(ctx, &MsgUpdateParams::decode(v)?).map(|r| response_any(&r)),
        MSG_COMMUNITY_POOL_SPEND => community_pool_spend(k, ctx, &MsgCommunityPoolSpend::decode(v)?).map(|r| response_any(&r)),
        other => Err(Error::UnknownMessage(other.to_string())),
    }
}
