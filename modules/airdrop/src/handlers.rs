//! `MsgClaim`, and the sweep of the remainder at the deadline.

use cosmos_sdk_proto::Any;
use prost::Message;
use venice_sdk::{Address, Coin, Coins, Ctx, Error, Result, response_any};
use venice_types::time::Timestamp;

use crate::error::AirdropError;
use crate::proto::{MsgClaim, MsgClaimResponse};
use crate::{Airdrop, events, merkle, module_address, state};

pub const MSG_CLAIM: &str = crate::proto::MSG_CLAIM_URL;

fn now(ctx: &Ctx) -> Timestamp {
    Timestamp::new(ctx.info.time_secs, ctx.info.time_nanos)
}

/// The message's fields, checked without state.
fn parse(msg: &MsgClaim) -> Result<(Address, u128, Vec<merkle::Hash>)> {
    let claimer = Address::parse(&msg.claimer)?;
    let amount: u128 = msg.amount.parse().map_err(|_| Error::InvalidCoins(format!("invalid claim amount {:?}", msg.amount)))?;
    if amount == 0 {
        return Err(Error::InvalidCoins("claim amount must be positive".into()));
    }
    let proof = msg
        .proof
        .iter()
        .map(|h| {
            h.as_slice().try_into().map_err(|_| AirdropError::MalformedProof(format!("a proof hash has {} bytes, not 32", h.len())).into())
        })
        .collect::<Result<Vec<merkle::Hash>>>()?;
    Ok((claimer, amount, proof))
}

pub fn claim(a: &Airdrop, ctx: &mut Ctx, msg: &MsgClaim) -> Result<MsgClaimResponse> {
    let (claimer, amount, proof) = parse(msg)?;
    let params = state::params(ctx)?;
    let root = params.merkle_root.ok_or(AirdropError::NotConfigured)?;
    if params.ended(now(ctx)) {
        return Err(AirdropError::DeadlinePassed(params.deadline.to_rfc3339()).into());
    }
    if state::claimed(ctx, &claimer)?.is_some() {
        return Err(AirdropError::AlreadyClaimed(claimer.to_bech32()).into());
    }
    if !merkle::verify(&root, merkle::leaf(&claimer, amount), &proof) {
        return Err(AirdropError::InvalidProof { address: claimer.to_bech32(), amount }.into());
    }
    state::set_claimed(ctx, &claimer, amount)?;
    let total = state::claimed_total(ctx)?.checked_add(amount).ok_or_else(|| Error::Internal("claimed total overflows".into()))?;
    state::set_claimed_total(ctx, total)?;
    let coins = Coins::normalize([Coin::new(params.denom.clone(), amount)])?;
    a.bank.send(ctx, &module_address(), &claimer, &coins)?;
    ctx.emit(events::claim(&claimer, &coins));
    Ok(MsgClaimResponse { amount: Some(Coin::new(params.denom, amount).to_proto()) })
}

/// At the first block at or past the deadline, whatever the module
/// account holds goes to the community pool, once.
pub fn sweep_if_ended(a: &Airdrop, ctx: &mut Ctx) -> Result<()> {
    let params = state::params(ctx)?;
    if params.merkle_root.is_none() || !params.ended(now(ctx)) || state::swept(ctx)? {
        return Ok(());
    }
    state::set_swept(ctx)?;
    let left = a.bank.balance(ctx, &module_address(), &params.denom)?;
    let coins = Coins::normalize([Coin::new(params.denom, left)])?;
    if !coins.is_empty() {
        a.community_pool.fund(ctx, &module_address(), &coins)?;
    }
    ctx.emit(events::sweep(&coins));
    Ok(())
}

pub fn signers(msg: &Any) -> Result<Vec<Address>> {
    match msg.type_url.as_str() {
        MSG_CLAIM => Ok(vec![parse(&MsgClaim::decode(msg.value.as_slice())?)?.0]),
        other => Err(Error::UnknownMessage(other.to_string())),
    }
}

pub fn handle(a: &Airdrop, ctx: &mut Ctx, msg: &Any) -> Result<Any> {
    match msg.type_url.as_str() {
        MSG_CLAIM => claim(a, ctx, &MsgClaim::decode(msg.value.as_slice())?).map(|r| response_any(&r)),
        other => Err(Error::UnknownMessage(other.to_string())),
    }
}
