//! The module's messages: model listings, task submission and result
//! outputs, compute credits, payout addresses, params.

use cosmos_sdk_proto::Any;
use prost::Message;
use sha2::{Digest, Sha256};
use venice_sdk::{Address, Coin, Coins, Ctx, Error, Result, gov_params, response_any};
use venice_types::inference as pb;

use crate::error::InferenceError;
use crate::state::{self, DataCredential, Model, ModelId, Task, TaskStatus};
use crate::{Inference, Params, credits, events, module_address, queue};

pub use pb::{
    MSG_BURN_CREDITS_URL as MSG_BURN_CREDITS, MSG_DELIST_MODEL_URL as MSG_DELIST_MODEL, MSG_MINT_CREDITS_URL as MSG_MINT_CREDITS,
    MSG_REGISTER_MODEL_URL as MSG_REGISTER_MODEL, MSG_SET_PAYOUT_ADDRESS_URL as MSG_SET_PAYOUT_ADDRESS,
    MSG_SUBMIT_INFERENCE_URL as MSG_SUBMIT_INFERENCE, MSG_SUBMIT_RESULT_URL as MSG_SUBMIT_RESULT, MSG_UPDATE_MODEL_URL as MSG_UPDATE_MODEL,
    MSG_UPDATE_PARAMS_URL as MSG_UPDATE_PARAMS,
};

pub const MSG_TYPE_URLS: &[&str] = &[
    MSG_REGISTER_MODEL,
    MSG_UPDATE_MODEL,
    MSG_DELIST_MODEL,
    MSG_SUBMIT_INFERENCE,
    MSG_SUBMIT_RESULT,
    MSG_MINT_CREDITS,
    MSG_BURN_CREDITS,
    MSG_SET_PAYOUT_ADDRESS,
    MSG_UPDATE_PARAMS,
];

/// Longest NFT token id accepted (cw721 ids are free-form strings).
pub const MAX_TOKEN_ID_LEN: usize = 256;

pub fn parse_model_id(s: &str) -> Result<ModelId> {
    if !venice_model_types::descriptor::is_sha256_hex(s) {
        return Err(InferenceError::UnknownModel(format!("{s:?} (not 64 lower-case hex digits)")).into());
    }
    let mut id = [0u8; 32];
    hex::decode_to_slice(s, &mut id).map_err(|_| InferenceError::UnknownModel(s.into()))?;
    Ok(id)
}

fn parse_amount(name: &str, s: &str) -> Result<u128> {
    if s.is_empty() {
        return Ok(0);
    }
    if !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::InvalidRequest(format!("{name}: {s:?} is not an unsigned integer")));
    }
    s.parse().map_err(|_| Error::InvalidRequest(format!("{name}: {s:?} overflows")))
}

fn token_id(s: &str) -> Result<String> {
    if s.is_empty() || s.len() > MAX_TOKEN_ID_LEN {
        return Err(InferenceError::InvalidListing(format!("token id must be 1..={MAX_TOKEN_ID_LEN} bytes")).into());
    }
    Ok(s.to_string())
}

// ---- models -------------------------------------------------------------------------

/// The NFT's owner must be `who`.
fn check_owner(i: &Inference, ctx: &mut Ctx, who: &Address, contract: &Address, token: &str) -> Result<()> {
    match i.nfts.owner_of(ctx, contract, token)? {
        None => Err(InferenceError::UnknownNft { contract: contract.to_bech32(), token_id: token.into() }.into()),
        Some(o) if &o != who => {
            Err(InferenceError::NotOwner { who: who.to_bech32(), contract: contract.to_bech32(), token_id: token.into() }.into())
        }
        Some(_) => Ok(()),
    }
}

fn check_limits(p: &Params, max_in: u64, max_out: u64, committee: u32) -> Result<()> {
    let bad = |w: String| -> Result<()> { Err(InferenceError::InvalidListing(w).into()) };
    if max_in == 0 || max_in > p.max_input_bytes {
        return bad(format!("max_input_bytes must be 1..={}", p.max_input_bytes));
    }
    if max_out == 0 || max_out > p.max_output_bytes {
        return bad(format!("max_output_bytes must be 1..={}", p.max_output_bytes));
    }
    if committee == 0 || committee > p.max_committee_size {
        return bad(format!("committee_size must be 1..={}", p.max_committee_size));
    }
    Ok(())
}

/// A listing from the NFT's descriptor and the message's limits.
fn listing(i: &Inference, ctx: &mut Ctx, p: &Params, contract: &Address, token: &str, lim: (u64, u64, u32)) -> Result<Model> {
    let d = i
        .nfts
        .model_info(ctx, contract, token)?
        .ok_or_else(|| InferenceError::UnknownNft { contract: contract.to_bech32(), token_id: token.into() })?;
    d.validate().map_err(|e| InferenceError::InvalidListing(format!("model NFT descriptor: {e}")))?;
    if d.price_per_call.denom != p.fee_denom {
        return Err(
            InferenceError::InvalidListing(format!("price denom {} is not the fee denom {}", d.price_per_call.denom, p.fee_denom)).into()
        );
    }
    check_limits(p, lim.0, lim.1, lim.2)?;
    let json = |v: serde_json::Result<String>| v.map_err(|e| Error::Internal(format!("descriptor JSON: {e}")));
    Ok(Model {
        id: parse_model_id(&d.onnx_sha256)?,
        nft_contract: contract.clone(),
        token_id: token.to_string(),
        price: Coin::new(d.price_per_call.denom.clone(), d.price_per_call.amount.0),
        quant_rule_json: json(serde_json::to_string(&d.quant_rule))?,
        io_schema_json: json(serde_json::to_string(&serde_json::json!({"inputs": d.inputs, "outputs": d.outputs})))?,
        storage_uri: d.storage_uri,
        max_input_bytes: lim.0,
        max_output_bytes: lim.1,
        committee_size: lim.2,
    })
}

pub fn register_model(i: &Inference, ctx: &mut Ctx, m: &pb::MsgRegisterModel) -> Result<pb::MsgRegisterModelResponse> {
    let owner = Address::parse(&m.owner)?;
    let contract = Address::parse(&m.nft_contract)?;
    let token = token_id(&m.token_id)?;
    let p = state::params(ctx)?;
    check_owner(i, ctx, &owner, &contract, &token)?;
    let model = listing(i, ctx, &p, &contract, &token, (m.max_input_bytes, m.max_output_bytes, m.committee_size))?;
    let id = hex::encode(model.id);
    if state::model(ctx, &model.id)?.is_some() {
        return Err(InferenceError::ModelExists(id).into());
    }
    state::set_model(ctx, &model)?;
    ctx.emit(events::model_listed("inference_register_model", &id, &owner));
    Ok(pb::MsgRegisterModelResponse { model_id: id })
}

fn listed(ctx: &mut Ctx, id: &str) -> Result<Model> {
    let mid = parse_model_id(id)?;
    state::model(ctx, &mid)?.ok_or_else(|| InferenceError::UnknownModel(id.into()).into())
}

/// New limits, and the NFT's current price; the model file and its
/// quantisation rule cannot change under a listing.
pub fn update_model(i: &Inference, ctx: &mut Ctx, m: &pb::MsgUpdateModel) -> Result<pb::MsgUpdateModelResponse> {
    let owner = Address::parse(&m.owner)?;
    let old = listed(ctx, &m.model_id)?;
    check_owner(i, ctx, &owner, &old.nft_contract, &old.token_id)?;
    let p = state::params(ctx)?;
    let new = listing(i, ctx, &p, &old.nft_contract, &old.token_id, (m.max_input_bytes, m.max_output_bytes, m.committee_size))?;
    if new.id != old.id || new.quant_rule_json != old.quant_rule_json {
        return Err(InferenceError::InvalidListing("the NFT's model file or quantisation rule changed; list it anew".into()).into());
    }
    state::set_model(ctx, &new)?;
    ctx.emit(events::model_listed("inference_update_model", &m.model_id, &owner));
    Ok(pb::MsgUpdateModelResponse {})
}

/// Tasks already submitted run to their end on their own snapshot.
pub fn delist_model(i: &Inference, ctx: &mut Ctx, m: &pb::MsgDelistModel) -> Result<pb::MsgDelistModelResponse> {
    let owner = Address::parse(&m.owner)?;
    let old = listed(ctx, &m.model_id)?;
    check_owner(i, ctx, &owner, &old.nft_contract, &old.token_id)?;
    state::delete_model(ctx, &old.id)?;
    ctx.emit(events::model_listed("inference_delist_model", &m.model_id, &owner));
    Ok(pb::MsgDelistModelResponse {})
}

// ---- tasks ----------------------------------------------------------------------------

pub fn submit_inference(i: &Inference, ctx: &mut Ctx, m: &pb::MsgSubmitInference) -> Result<pb::MsgSubmitInferenceResponse> {
    let sender = Address::parse(&m.sender)?;
    let model = listed(ctx, &m.model_id)?;
    let credential = match (&m.data_credential, m.input.is_empty()) {
        (None, false) => None,
        (Some(d), true) => Some((Address::parse(&d.contract)?, d.credential_id)),
        _ => return Err(InferenceError::InvalidInput.into()),
    };
    if m.input.len() as u64 > model.max_input_bytes {
        return Err(InferenceError::InputTooLarge { size: m.input.len() as u64, max: model.max_input_bytes }.into());
    }
    let p = state::params(ctx)?;
    // A dataset's size is only known off chain: it is paid as the largest
    // input the model takes (executors refuse a larger one).
    let input_size = if credential.is_some() { model.max_input_bytes } else { m.input.len() as u64 };
    let work = queue::work(&p, usize::try_from(input_size).unwrap_or(usize::MAX));
    if work > p.block_work_budget {
        return Err(InferenceError::TaskTooLarge { work, budget: p.block_work_budget }.into());
    }
    let tip = parse_amount("priority", &m.priority)?;
    let max_fee = match &m.max_fee {
        Some(c) => Coin::from_proto(c)?,
        None => Coin::new(model.price.denom.clone(), 0),
    };
    // The credit allowance pays the model's price when it covers the work.
    let today = credits::day(ctx.info.time_secs);
    let held = state::credit_account(ctx, &sender)?.credits;
    let mut allowance = credits::current(state::allowance(ctx, &sender)?, today);
    let from_allowance = credits::left(&p, held, allowance, today) >= work;
    let price = if from_allowance { 0 } else { model.price.amount };
    let fee = price.checked_add(tip).ok_or_else(|| Error::InvalidRequest("fee overflows".into()))?;
    if max_fee.denom != model.price.denom || max_fee.amount < fee {
        let fee_text = format!("{fee}{}", model.price.denom);
        return Err(InferenceError::InsufficientMaxFee { max_fee: format!("{}{}", max_fee.amount, max_fee.denom), fee: fee_text }.into());
    }
    let fee = Coin::new(model.price.denom.clone(), fee);
    let data_credential = match credential {
        None => None,
        Some((contract, id)) => Some(open_dataset(i, ctx, &sender, contract, id)?),
    };
    if fee.amount > 0 {
        i.bank.send(ctx, &sender, &module_address(), &Coins::normalize([fee.clone()])?)?;
    }
    if from_allowance {
        allowance.used += work;
        state::set_allowance(ctx, &sender, &allowance)?;
    }
    let id = state::next_task_id(ctx)?;
    state::set_next_task_id(ctx, id + 1)?;
    let height = ctx.info.height;
    let task = Task {
        id,
        sender,
        model_id: model.id,
        nft_contract: model.nft_contract,
        token_id: model.token_id,
        committee_size: model.committee_size,
        max_output_bytes: model.max_output_bytes,
        max_input_bytes: model.max_input_bytes,
        storage_uri: model.storage_uri,
        quant_rule_json: model.quant_rule_json,
        input: m.input.clone(),
        data_credential,
        fee,
        work,
        allowance_used: if from_allowance { work } else { 0 },
        allowance_day: today,
        status: TaskStatus::Queued,
        submit_height: height,
        deadline_height: height.saturating_add(p.task_timeout_blocks),
        assigned_height: 0,
        committee: vec![],
        ended_height: 0,
    };
    state::set_task(ctx, &task)?;
    state::enqueue(ctx, &task.queue_key(), id)?;
    state::set_deadline(ctx, task.deadline_height, id)?;
    ctx.emit(events::task_submitted(&task));
    Ok(pb::MsgSubmitInferenceResponse { task_id: id })
}

/// Spends one use of the sender's credential (this module is the
/// contract's consumer) and records the dataset it opens.
fn open_dataset(i: &Inference, ctx: &mut Ctx, sender: &Address, contract: Address, id: u64) -> Result<DataCredential> {
    let refused = |reason: String| InferenceError::DataCredential { contract: contract.to_bech32(), id, reason };
    let d = i.data_credentials.consume(ctx, &contract, sender, id)?.map_err(refused)?;
    if d.data_hash.len() != 64 || !d.data_hash.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
        return Err(refused(format!("dataset {} has no sha256 (got {:?})", d.id, d.data_hash)).into());
    }
    Ok(DataCredential { contract, credential_id: id, dataset_id: d.id, data_hash: d.data_hash, uri: d.uri })
}

/// The output of a final task, too large for the extensions: anyone may
/// send it; it must hash to the agreed value.
pub fn submit_result(ctx: &mut Ctx, m: &pb::MsgSubmitResult) -> Result<pb::MsgSubmitResultResponse> {
    Address::parse(&m.sender)?;
    let task = state::task(ctx, m.task_id)?.ok_or(InferenceError::UnknownTask(m.task_id))?;
    let mut r = state::result(ctx, m.task_id)?.ok_or(InferenceError::NotFinal(m.task_id))?;
    if m.output.len() as u64 > task.max_output_bytes {
        return Err(InferenceError::OutputTooLarge { size: m.output.len() as u64, max: task.max_output_bytes }.into());
    }
    if Sha256::digest(&m.output).as_slice() != r.output_hash.as_slice() {
        return Err(InferenceError::OutputMismatch(m.task_id).into());
    }
    if r.output.is_empty() {
        r.output = m.output.clone();
        state::set_result(ctx, &r)?;
        ctx.emit(events::output_stored(m.task_id, r.output.len()));
    }
    Ok(pb::MsgSubmitResultResponse {})
}

// ---- credits, payouts, params -----------------------------------------------------------

fn positive_credits(s: &str) -> Result<u128> {
    match parse_amount("credits", s) {
        Ok(n) if n > 0 => Ok(n),
        _ => Err(InferenceError::InvalidCredits(format!("{s:?} is not a positive integer")).into()),
    }
}

pub fn mint_credits(i: &Inference, ctx: &mut Ctx, m: &pb::MsgMintCredits) -> Result<pb::MsgMintCreditsResponse> {
    let owner = Address::parse(&m.owner)?;
    let n = positive_credits(&m.credits)?;
    let max_stake = parse_amount("max_stake", &m.max_stake)?;
    let p = state::params(ctx)?;
    let outstanding = state::credits_total(ctx)?;
    let cost = credits::mint_cost(&p, outstanding, n)
        .ok_or_else(|| InferenceError::InvalidCredits(format!("minting {n} with {outstanding} outstanding exceeds the curve's range")))?;
    if max_stake > 0 && cost > max_stake {
        return Err(InferenceError::StakeAboveMax { need: cost, max: max_stake }.into());
    }
    let free = i.stake.unlocked_bonded(ctx, &owner)?;
    if free < cost {
        return Err(Error::InsufficientFunds(format!("bonded stake {free}uvvv not locked is smaller than {cost}uvvv")));
    }
    i.stake.lock(ctx, &owner, cost)?;
    let mut acct = state::credit_account(ctx, &owner)?;
    acct.credits += n;
    acct.locked += cost;
    state::set_credit_account(ctx, &owner, &acct)?;
    state::set_credits_total(ctx, outstanding + n)?;
    if let Some(token) = p.credit_token()? {
        i.credit_token.mint(ctx, &token, &owner, n)?;
    }
    ctx.emit(events::credits("inference_mint_credits", &owner, n, cost));
    Ok(pb::MsgMintCreditsResponse { locked: cost.to_string() })
}

pub fn burn_credits(i: &Inference, ctx: &mut Ctx, m: &pb::MsgBurnCredits) -> Result<pb::MsgBurnCreditsResponse> {
    let owner = Address::parse(&m.owner)?;
    let n = positive_credits(&m.credits)?;
    let mut acct = state::credit_account(ctx, &owner)?;
    if n > acct.credits {
        return Err(InferenceError::InvalidCredits(format!("{} holds {} credits, fewer than {n}", owner.to_bech32(), acct.credits)).into());
    }
    let unlock = credits::unlock_amount(acct.credits, acct.locked, n);
    acct.credits -= n;
    acct.locked -= unlock;
    state::set_credit_account(ctx, &owner, &acct)?;
    let total = state::credits_total(ctx)?;
    state::set_credits_total(ctx, total.saturating_sub(n))?;
    if let Some(token) = state::params(ctx)?.credit_token()? {
        i.credit_token.burn(ctx, &token, &owner, n)?;
    }
    i.stake.unlock(ctx, &owner, unlock)?;
    ctx.emit(events::credits("inference_burn_credits", &owner, n, unlock));
    Ok(pb::MsgBurnCreditsResponse { unlocked: unlock.to_string() })
}

pub fn set_payout_address(i: &Inference, ctx: &mut Ctx, m: &pb::MsgSetPayoutAddress) -> Result<pb::MsgSetPayoutAddressResponse> {
    let op = Address::parse_valoper(&m.validator_address)?;
    let to = Address::parse(&m.payout_address)?;
    if i.validators.validator(ctx, &op)?.is_none() {
        return Err(InferenceError::UnknownValidator(m.validator_address.clone()).into());
    }
    state::set_payout(ctx, &op, &to)?;
    ctx.emit(events::payout(&op, &to));
    Ok(pb::MsgSetPayoutAddressResponse {})
}

pub fn update_params(ctx: &mut Ctx, m: &pb::MsgUpdateParams) -> Result<pb::MsgUpdateParamsResponse> {
    let p = gov_params(&m.authority, m.params.as_ref())?;
    let params = Params::from_proto(p).map_err(InferenceError::InvalidParams)?;
    state::set_params(ctx, &params)?;
    Ok(pb::MsgUpdateParamsResponse {})
}

// ---- routing ---------------------------------------------------------------------------------

fn decode<M: Message + Default>(msg: &Any) -> Result<M> {
    Ok(M::decode(msg.value.as_slice())?)
}

/// Stateless checks and the signer of each message.
pub fn signers(msg: &Any) -> Result<Vec<Address>> {
    let signer = match msg.type_url.as_str() {
        MSG_REGISTER_MODEL => Address::parse(&decode::<pb::MsgRegisterModel>(msg)?.owner)?,
        MSG_UPDATE_MODEL => Address::parse(&decode::<pb::MsgUpdateModel>(msg)?.owner)?,
        MSG_DELIST_MODEL => Address::parse(&decode::<pb::MsgDelistModel>(msg)?.owner)?,
        MSG_SUBMIT_INFERENCE => Address::parse(&decode::<pb::MsgSubmitInference>(msg)?.sender)?,
        MSG_SUBMIT_RESULT => Address::parse(&decode::<pb::MsgSubmitResult>(msg)?.sender)?,
        MSG_MINT_CREDITS => Address::parse(&decode::<pb::MsgMintCredits>(msg)?.owner)?,
        MSG_BURN_CREDITS => Address::parse(&decode::<pb::MsgBurnCredits>(msg)?.owner)?,
        MSG_SET_PAYOUT_ADDRESS => Address::parse_valoper(&decode::<pb::MsgSetPayoutAddress>(msg)?.validator_address)?,
        MSG_UPDATE_PARAMS => Address::parse(&decode::<pb::MsgUpdateParams>(msg)?.authority)?,
        other => return Err(Error::UnknownMessage(other.to_string())),
    };
    Ok(vec![signer])
}

pub fn handle(i: &Inference, ctx: &mut Ctx, msg: &Any) -> Result<Any> {
    Ok(match msg.type_url.as_str() {
        MSG_REGISTER_MODEL => response_any(&register_model(i, ctx, &decode(msg)?)?),
        MSG_UPDATE_MODEL => response_any(&update_model(i, ctx, &decode(msg)?)?),
        MSG_DELIST_MODEL => response_any(&delist_model(i, ctx, &decode(msg)?)?),
        MSG_SUBMIT_INFERENCE => response_any(&submit_inference(i, ctx, &decode(msg)?)?),
        MSG_SUBMIT_RESULT => response_any(&submit_result(ctx, &decode(msg)?)?),
        MSG_MINT_CREDITS => response_any(&mint_credits(i, ctx, &decode(msg)?)?),
        MSG_BURN_CREDITS => response_any(&burn_credits(i, ctx, &decode(msg)?)?),
        MSG_SET_PAYOUT_ADDRESS => response_any(&set_payout_address(i, ctx, &decode(msg)?)?),
        MSG_UPDATE_PARAMS => response_any(&update_params(ctx, &decode(msg)?)?),
        other => return Err(Error::UnknownMessage(other.to_string())),
    })
}
