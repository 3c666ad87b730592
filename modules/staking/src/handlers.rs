//! staking's messages: one function per message (x/staking's msg_server),
//! plus the stateless checks (`ValidateBasic`) and signers.

use cosmos_sdk_proto::Any;
use cosmos_sdk_proto::cosmos::base::v1beta1::Coin as PCoin;
use cosmos_sdk_proto::cosmos::staking::v1beta1::{
    MsgBeginRedelegate, MsgBeginRedelegateResponse, MsgCancelUnbondingDelegation, MsgCancelUnbondingDelegationResponse, MsgCreateValidator,
    MsgCreateValidatorResponse, MsgDelegate, MsgDelegateResponse, MsgEditValidator, MsgEditValidatorResponse, MsgUndelegate,
    MsgUndelegateResponse, MsgUpdateParams, MsgUpdateParamsResponse,
};
use prost::Message;
use venice_sdk::{Address, Ctx, Error, Result, response_any};
use venice_types::{Dec, paths};

use crate::error::{StakingError, overflow};
use crate::keeper::now;
use crate::params::Params;
use crate::types::{BondStatus, Commission, CommissionRates, Description, Validator, ed25519_from_any, timestamp_pb};
use crate::{Staking, events, locks, state};

pub use paths::{
    MSG_BEGIN_REDELEGATE_URL as MSG_BEGIN_REDELEGATE, MSG_CANCEL_UNBONDING_DELEGATION_URL as MSG_CANCEL_UNBONDING,
    MSG_CREATE_VALIDATOR_URL as MSG_CREATE_VALIDATOR, MSG_DELEGATE_URL as MSG_DELEGATE, MSG_EDIT_VALIDATOR_URL as MSG_EDIT_VALIDATOR,
    MSG_UNDELEGATE_URL as MSG_UNDELEGATE,
};

pub const MSG_UPDATE_PARAMS: &str = "/cosmos.staking.v1beta1.MsgUpdateParams";

pub const TYPE_URLS: &[&str] = &[
    MSG_CREATE_VALIDATOR,
    MSG_EDIT_VALIDATOR,
    MSG_DELEGATE,
    MSG_UNDELEGATE,
    MSG_BEGIN_REDELEGATE,
    MSG_CANCEL_UNBONDING,
    MSG_UPDATE_PARAMS,
];

fn valoper(s: &str) -> Result<Address> {
    if s.is_empty() {
        return Err(StakingError::EmptyValidatorAddr.into());
    }
    Ok(Address::parse_valoper(s)?)
}

/// A positive coin of a message (`what` names it in the SDK's words).
fn positive_coin(c: &Option<PCoin>, what: &str) -> Result<(String, u128)> {
    let c = c.as_ref().ok_or_else(|| Error::InvalidRequest(format!("invalid {what} amount")))?;
    let amount: u128 = c.amount.parse().map_err(|_| Error::InvalidRequest(format!("invalid {what} amount")))?;
    if amount == 0 || venice_sdk::coin::validate_denom(&c.denom).is_err() {
        return Err(Error::InvalidRequest(format!("invalid {what} amount")));
    }
    Ok((c.denom.clone(), amount))
}

fn check_denom(ctx: &mut Ctx, denom: &str) -> Result<String> {
    let bond = state::params(ctx)?.bond_denom;
    if denom != bond {
        return Err(Error::InvalidRequest(format!("invalid coin denomination: got {denom}, expected {bond}")));
    }
    Ok(bond)
}

fn positive_int(s: &str, what: &str) -> Result<u128> {
    match s.parse::<u128>() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err(Error::InvalidRequest(format!("{what} must be a positive integer"))),
    }
}

/// A checked `MsgCreateValidator`: operator, consensus key, rates, min
/// self-delegation, (denom, amount).
type CreateParts = (Address, Vec<u8>, CommissionRates, u128, (String, u128));

/// `MsgCreateValidator`'s stateless part (the SDK's `Validate`).
fn check_create(m: &MsgCreateValidator) -> Result<CreateParts> {
    let op = valoper(&m.validator_address)?;
    let pk = m.pubkey.as_ref().ok_or(StakingError::EmptyValidatorPubKey)?;
    let value = positive_coin(&m.value, "delegation")?;
    let description = m.description.as_ref().map(Description::from_proto).unwrap_or_default();
    if description.is_empty() {
        return Err(Error::InvalidRequest("empty description".into()));
    }
    let rates = m.commission.as_ref().ok_or_else(|| Error::InvalidRequest("empty commission".into()))?;
    let rates = CommissionRates::from_proto(rates)?;
    rates.validate()?;
    let min_self = positive_int(&m.min_self_delegation, "minimum self delegation")?;
    if value.1 < min_self {
        return Err(StakingError::SelfDelegationBelowMinimum.into());
    }
    let key = ed25519_from_any(&cosmos_sdk_proto::Any { type_url: pk.type_url.clone(), value: pk.value.clone() })?;
    Ok((op, key, rates, min_self, value))
}

pub fn create_validator(k: &Staking, ctx: &mut Ctx, m: &MsgCreateValidator) -> Result<MsgCreateValidatorResponse> {
    let (op, key, rates, min_self, (denom, amount)) = check_create(m)?;
    let params = state::params(ctx)?;
    if rates.rate < params.min_commission_rate {
        return Err(Error::InvalidRequest(format!(
            "cannot set validator commission to less than minimum rate of {}",
            params.min_commission_rate.to_sdk_string()
        )));
    }
    if state::validator(ctx, &op)?.is_some() {
        return Err(StakingError::ValidatorOwnerExists.into());
    }
    if state::validator_by_cons(ctx, &Address::consensus(&key))?.is_some() {
        return Err(StakingError::ValidatorPubKeyExists.into());
    }
    let denom = check_denom(ctx, &denom)?;
    let description = Description::from_proto(m.description.as_ref().expect("checked above"));
    description.ensure_length()?;
    let mut v = Validator {
        operator: op.clone(),
        consensus_pubkey: key,
        jailed: false,
        status: BondStatus::Unbonded,
        tokens: 0,
        delegator_shares: Dec::ZERO,
        description,
        unbonding_height: 0,
        unbonding_time: Default::default(),
        commission: Commission { rates, update_time: now(ctx) },
        min_self_delegation: min_self,
        unbonding_on_hold_ref_count: 0,
        unbonding_ids: vec![],
    };
    state::set_validator(ctx, &v)?;
    state::set_validator_by_cons(ctx, &v)?;
    state::set_power_index(ctx, &v)?;
    k.hooks.after_validator_created(ctx, &op)?;
    // The self-delegation, from the operator's account.
    k.delegate(ctx, &op, amount, BondStatus::Unbonded, &mut v, true)?;
    ctx.emit(events::create_validator(&op, &format!("{amount}{denom}")));
    Ok(MsgCreateValidatorResponse {})
}

/// `MsgEditValidator`'s optional fields: (commission rate, min self-delegation).
fn check_edit(m: &MsgEditValidator) -> Result<(Address, Option<Dec>, Option<u128>)> {
    let op = valoper(&m.validator_address)?;
    if m.description.as_ref().map(Description::from_proto).unwrap_or_default().is_empty() {
        return Err(Error::InvalidRequest("empty description".into()));
    }
    let min_self =
        if m.min_self_delegation.is_empty() { None } else { Some(positive_int(&m.min_self_delegation, "minimum self delegation")?) };
    let rate = if m.commission_rate.is_empty() {
        None
    } else {
        let r = if m.commission_rate.starts_with('-') { None } else { Dec::from_atto_str(&m.commission_rate) };
        match r {
            Some(r) if r <= Dec::ONE => Some(r),
            _ => return Err(Error::InvalidRequest("commission rate must be between 0 and 1 (inclusive)".into())),
        }
    };
    Ok((op, rate, min_self))
}

pub fn edit_validator(k: &Staking, ctx: &mut Ctx, m: &MsgEditValidator) -> Result<MsgEditValidatorResponse> {
    let (op, rate, min_self) = check_edit(m)?;
    let mut v = k.get_validator(ctx, &op)?;
    let description = v.description.update(&Description::from_proto(m.description.as_ref().expect("checked above")));
    description.ensure_length()?;
    v.description = description;
    if let Some(rate) = rate {
        let t = now(ctx);
        let c = &v.commission;
        // The SDK's Commission.ValidateNewRate, then the chain's minimum.
        if t.secs_since(c.update_time) < 24 * 3600 {
            return Err(StakingError::CommissionUpdateTime.into());
        }
        if rate > c.rates.max_rate {
            return Err(StakingError::CommissionGTMaxRate.into());
        }
        if rate > c.rates.rate && rate.checked_sub(c.rates.rate).is_some_and(|d| d > c.rates.max_change_rate) {
            return Err(StakingError::CommissionGTMaxChangeRate.into());
        }
        let min = state::params(ctx)?.min_commission_rate;
        if rate < min {
            return Err(Error::InvalidRequest(format!(
                "cannot set validator commission to less than minimum rate of {}",
                min.to_sdk_string()
            )));
        }
        k.hooks.before_validator_modified(ctx, &op)?;
        v.commission.rates.rate = rate;
        v.commission.update_time = t;
    }
    if let Some(min_self) = min_self {
        if min_self <= v.min_self_delegation {
            return Err(StakingError::MinSelfDelegationDecreased.into());
        }
        if min_self > v.tokens {
            return Err(StakingError::SelfDelegationBelowMinimum.into());
        }
        v.min_self_delegation = min_self;
    }
    state::set_validator(ctx, &v)?;
    ctx.emit(events::edit_validator(&v.commission.rates.rate.to_sdk_string(), v.min_self_delegation));
    Ok(MsgEditValidatorResponse {})
}

pub fn delegate(k: &Staking, ctx: &mut Ctx, m: &MsgDelegate) -> Result<MsgDelegateResponse> {
    let val = valoper(&m.validator_address)?;
    let mut v = k.get_validator(ctx, &val)?;
    let del = Address::parse(&m.delegator_address)?;
    let (denom, amount) = positive_coin(&m.amount, "delegation")?;
    let denom = check_denom(ctx, &denom)?;
    let shares = k.delegate(ctx, &del, amount, BondStatus::Unbonded, &mut v, true)?;
    ctx.emit(events::delegate(&val, &del, &format!("{amount}{denom}"), &shares.to_sdk_string()));
    Ok(MsgDelegateResponse {})
}

pub fn undelegate(k: &Staking, ctx: &mut Ctx, m: &MsgUndelegate) -> Result<MsgUndelegateResponse> {
    let val = valoper(&m.validator_address)?;
    let del = Address::parse(&m.delegator_address)?;
    let (denom, amount) = positive_coin(&m.amount, "shares")?;
    let shares = k.validate_unbond_amount(ctx, &del, &val, amount)?;
    let denom = check_denom(ctx, &denom)?;
    let before = locks::bonded_stake_in(ctx, &del)?;
    let (completion, paid) = k.undelegate(ctx, &del, &val, shares)?;
    locks::check_after_move(ctx, &del, before)?;
    let coin = PCoin { denom: denom.clone(), amount: paid.to_string() };
    ctx.emit(events::unbond(&val, &del, &format!("{paid}{denom}"), completion));
    Ok(MsgUndelegateResponse { completion_time: Some(timestamp_pb(completion)), amount: Some(coin) })
}

pub fn begin_redelegate(k: &Staking, ctx: &mut Ctx, m: &MsgBeginRedelegate) -> Result<MsgBeginRedelegateResponse> {
    let src = valoper(&m.validator_src_address)?;
    let del = Address::parse(&m.delegator_address)?;
    let (denom, amount) = positive_coin(&m.amount, "shares")?;
    let shares = k.validate_unbond_amount(ctx, &del, &src, amount)?;
    let denom = check_denom(ctx, &denom)?;
    let dst = valoper(&m.validator_dst_address)?;
    let before = locks::bonded_stake_in(ctx, &del)?;
    let (completion, _) = k.begin_redelegation(ctx, &del, &src, &dst, shares)?;
    locks::check_after_move(ctx, &del, before)?;
    ctx.emit(events::redelegate(&src, &dst, &format!("{amount}{denom}"), completion));
    Ok(MsgBeginRedelegateResponse { completion_time: Some(timestamp_pb(completion)) })
}

pub fn cancel_unbonding(k: &Staking, ctx: &mut Ctx, m: &MsgCancelUnbondingDelegation) -> Result<MsgCancelUnbondingDelegationResponse> {
    let val = valoper(&m.validator_address)?;
    let del = Address::parse(&m.delegator_address)?;
    let (denom, amount) = positive_coin(&m.amount, "")?;
    if m.creation_height <= 0 {
        return Err(Error::InvalidRequest("invalid height".into()));
    }
    let denom = check_denom(ctx, &denom)?;
    let mut v = k.get_validator(ctx, &val)?;
    if v.invalid_ex_rate() {
        return Err(StakingError::DelegatorShareExRateInvalid.into());
    }
    if v.jailed {
        return Err(StakingError::ValidatorJailed.into());
    }
    let mut u = state::ubd(ctx, &del, &val)?.ok_or(StakingError::NoUnbondingDelegation)?;
    let i = u
        .entries
        .iter()
        .position(|e| e.creation_height == m.creation_height)
        .ok_or_else(|| Error::NotFound(format!("unbonding delegation entry is not found at block height {}", m.creation_height)))?;
    let entry = u.entries[i].clone();
    if entry.balance < amount {
        return Err(Error::InvalidRequest("amount is greater than the unbonding delegation entry balance".into()));
    }
    if entry.completion_time < now(ctx) {
        return Err(Error::InvalidRequest("unbonding delegation is already processed".into()));
    }
    // The tokens are in the not-bonded pool: delegate them back from there.
    k.delegate(ctx, &del, amount, BondStatus::Unbonding, &mut v, false)?;
    let left = entry.balance - amount;
    if left == 0 {
        u.entries.remove(i);
    } else {
        let e = &mut u.entries[i];
        e.balance = left;
        e.initial_balance = e.initial_balance.checked_sub(amount).ok_or_else(|| overflow("initial balance"))?;
    }
    state::set_ubd(ctx, &u)?;
    ctx.emit(events::cancel_unbonding_delegation(&val, &del, &format!("{amount}{denom}"), m.creation_height));
    Ok(MsgCancelUnbondingDelegationResponse {})
}

/// `MsgUpdateParams` (gov only): every field replaced, validated here so a
/// bad value fails the proposal that carries it. A smaller
/// `max_validators` takes effect in this block's end block. Unlike the SDK,
/// the bond denom cannot change: the pools, delegations and every
/// validator's tokens are in it.
pub fn update_params(ctx: &mut Ctx, m: &MsgUpdateParams) -> Result<MsgUpdateParamsResponse> {
    let p = venice_sdk::gov_params(&m.authority, m.params.as_ref())?;
    let params = Params::from_proto(p).map_err(Error::InvalidRequest)?;
    let current = state::params(ctx)?;
    if params.bond_denom != current.bond_denom {
        return Err(Error::InvalidRequest(format!(
            "staking.params.bond_denom: cannot change from {} on a running chain",
            current.bond_denom
        )));
    }
    state::set_params(ctx, &params)?;
    Ok(MsgUpdateParamsResponse {})
}

/// Stateless checks of a message; the addresses that must sign it.
pub fn signers(msg: &Any) -> Result<Vec<Address>> {
    let v = msg.value.as_slice();
    Ok(vec![match msg.type_url.as_str() {
        MSG_CREATE_VALIDATOR => check_create(&MsgCreateValidator::decode(v)?)?.0,
        MSG_EDIT_VALIDATOR => check_edit(&MsgEditValidator::decode(v)?)?.0,
        MSG_DELEGATE => {
            let m = MsgDelegate::decode(v)?;
            valoper(&m.validator_address)?;
            positive_coin(&m.amount, "delegation")?;
            Address::parse(&m.delegator_address)?
        }
        MSG_UNDELEGATE => {
            let m = MsgUndelegate::decode(v)?;
            valoper(&m.validator_address)?;
            positive_coin(&m.amount, "shares")?;
            Address::parse(&m.delegator_address)?
        }
        MSG_BEGIN_REDELEGATE => {
            let m = MsgBeginRedelegate::decode(v)?;
            valoper(&m.validator_src_address)?;
            valoper(&m.validator_dst_address)?;
            positive_coin(&m.amount, "shares")?;
            Address::parse(&m.delegator_address)?
        }
        MSG_CANCEL_UNBONDING => {
            let m = MsgCancelUnbondingDelegation::decode(v)?;
            valoper(&m.validator_address)?;
            Address::parse(&m.delegator_address)?
        }
        MSG_UPDATE_PARAMS => Address::parse(&MsgUpdateParams::decode(v)?.authority)?,
        other => return Err(Error::UnknownMessage(other.to_string())),
    }])
}

/// Route a message to its handler; the typed response as an `Any`.
pub fn handle(k: &Staking, ctx: &mut Ctx, msg: &Any) -> Result<Any> {
    let v = msg.value.as_slice();
    match msg.type_url.as_str() {
        MSG_CREATE_VALIDATOR => create_validator(k, ctx, &MsgCreateValidator::decode(v)?).map(|r| response_any(&r)),
        MSG_EDIT_VALIDATOR => edit_validator(k, ctx, &MsgEditValidator::decode(v)?).map(|r| response_any(&r)),
        MSG_DELEGATE => delegate(k, ctx, &MsgDelegate::decode(v)?).map(|r| response_any(&r)),
        MSG_UNDELEGATE => undelegate(k, ctx, &MsgUndelegate::decode(v)?).map(|r| response_any(&r)),
        MSG_BEGIN_REDELEGATE => begin_redelegate(k, ctx, &MsgBeginRedelegate::decode(v)?).map(|r| response_any(&r)),
        MSG_CANCEL_UNBONDING => cancel_unbonding(k, ctx, &MsgCancelUnbondingDelegation::decode(v)?).map(|r| response_any(&r)),
        MSG_UPDATE_PARAMS => update_params(ctx, &MsgUpdateParams::decode(v)?).map(|r| response_any(&r)),
        other => Err(Error::UnknownMessage(other.to_string())),
    }
}
