#[cfg(not(feature = "library"))]
use cosmwasm_std::entry_point;
use cosmwasm_std::{Addr, BankMsg, Binary, Coin, Deps, DepsMut, Env, MessageInfo, Response, StdError, StdResult};
use cw_utils::Expiration;

use crate::error::ContractError;
use crate::msg::{Cw721ReceiveMsg, ExecuteMsg, InstantiateMsg, MigrateMsg, ModelExtension, QueryMsg};
use crate::state::{tokens, Approval, Config, TokenInfo, CONFIG, OPERATORS, TOKEN_COUNT};

pub const CONTRACT_NAME: &str = "venice:model-nft";
pub const CONTRACT_VERSION: &str = env!("CARGO_PKG_VERSION");

const MAX_TOKEN_ID_LEN: usize = 128;
const MAX_MODEL_NAME_LEN: usize = 128;
const MAX_DESCRIPTION_LEN: usize = 4096;

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn instantiate(deps: DepsMut, _env: Env, info: MessageInfo, msg: InstantiateMsg) -> Result<Response, ContractError> {
    cw_utils::nonpayable(&info)?;
    if msg.name.is_empty() || msg.symbol.is_empty() {
        return Err(StdError::generic_err("collection name and symbol must not be empty").into());
    }
    let config = Config {
        name: msg.name,
        symbol: msg.symbol,
        admin: msg.admin.as_deref().map(|a| deps.api.addr_validate(a)).transpose()?,
        mint_fee: normalise_fee(msg.mint_fee)?,
        fee_collector: deps.api.addr_validate(&msg.fee_collector)?,
    };
    cw2::set_contract_version(deps.storage, CONTRACT_NAME, CONTRACT_VERSION)?;
    CONFIG.save(deps.storage, &config)?;
    TOKEN_COUNT.save(deps.storage, &0)?;
    Ok(Response::new().add_attribute("action", "instantiate"))
}

/// A zero fee is no fee; a fee needs a valid denom.
fn normalise_fee(fee: Option<Coin>) -> StdResult<Option<Coin>> {
    match fee {
        Some(c) if c.amount.is_zero() => Ok(None),
        Some(c) if !venice_model_types::descriptor::is_denom(&c.denom) => {
            Err(StdError::generic_err(format!("invalid mint fee denom {:?}", c.denom)))
        }
        other => Ok(other),
    }
}

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn execute(deps: DepsMut, env: Env, info: MessageInfo, msg: ExecuteMsg) -> Result<Response, ContractError> {
    if !matches!(msg, ExecuteMsg::Mint { .. }) {
        // Only minting takes funds; anything else sent would be stuck here.
        cw_utils::nonpayable(&info)?;
    }
    match msg {
        ExecuteMsg::TransferNft { recipient, token_id } => {
            let rcpt = deps.api.addr_validate(&recipient)?;
            transfer(deps, &env, &info, &rcpt, &token_id)?;
            Ok(Response::new()
                .add_attribute("action", "transfer_nft")
                .add_attribute("sender", info.sender)
                .add_attribute("recipient", recipient)
                .add_attribute("token_id", token_id))
        }
        ExecuteMsg::SendNft { contract, token_id, msg } => {
            let rcpt = deps.api.addr_validate(&contract)?;
            transfer(deps, &env, &info, &rcpt, &token_id)?;
            let hook =
                Cw721ReceiveMsg { sender: info.sender.to_string(), token_id: token_id.clone(), msg }.into_cosmos_msg(contract.clone())?;
            Ok(Response::new()
                .add_message(hook)
                .add_attribute("action", "send_nft")
                .add_attribute("sender", info.sender)
                .add_attribute("recipient", contract)
                .add_attribute("token_id", token_id))
        }
        ExecuteMsg::Approve { spender, token_id, expires } => approve(deps, &env, &info, spender, token_id, expires.unwrap_or_default()),
        ExecuteMsg::Revoke { spender, token_id } => revoke(deps, &env, &info, spender, token_id),
        ExecuteMsg::ApproveAll { operator, expires } => {
            let expires = expires.unwrap_or_default();
            if expires.is_expired(&env.block) {
                return Err(ContractError::Expired {});
            }
            let op = deps.api.addr_validate(&operator)?;
            OPERATORS.save(deps.storage, (&info.sender, &op), &expires)?;
            Ok(Response::new()
                .add_attribute("action", "approve_all")
                .add_attribute("sender", info.sender)
                .add_attribute("operator", operator))
        }
        ExecuteMsg::RevokeAll { operator } => {
            let op = deps.api.addr_validate(&operator)?;
            OPERATORS.remove(deps.storage, (&info.sender, &op));
            Ok(Response::new()
                .add_attribute("action", "revoke_all")
                .add_attribute("sender", info.sender)
                .add_attribute("operator", operator))
        }
        ExecuteMsg::Mint { token_id, owner, token_uri, extension } => mint(deps, info, token_id, owner, token_uri, extension),
        ExecuteMsg::Burn { token_id } => {
            let token = tokens().load(deps.storage, &token_id)?;
            check_can_send(deps.as_ref(), &env, &info.sender, &token)?;
            tokens().remove(deps.storage, &token_id)?;
            TOKEN_COUNT.update(deps.storage, |n| -> StdResult<u64> { Ok(n.saturating_sub(1)) })?;
            Ok(Response::new().add_attribute("action", "burn").add_attribute("sender", info.sender).add_attribute("token_id", token_id))
        }
        ExecuteMsg::UpdateNftInfo { token_id, token_uri, extension } => update_nft_info(deps, info, token_id, token_uri, extension),
        ExecuteMsg::UpdateConfig { admin, mint_fee, fee_collector } => {
            let mut config = CONFIG.load(deps.storage)?;
            if config.admin.as_ref() != Some(&info.sender) {
                return Err(ContractError::NotAdmin {});
            }
            config.admin = admin.as_deref().map(|a| deps.api.addr_validate(a)).transpose()?;
            config.mint_fee = normalise_fee(mint_fee)?;
            config.fee_collector = deps.api.addr_validate(&fee_collector)?;
            CONFIG.save(deps.storage, &config)?;
            Ok(Response::new().add_attribute("action", "update_config"))
        }
    }
}

fn validate_token_id(id: &str) -> Result<(), ContractError> {
    if id.is_empty() || id.len() > MAX_TOKEN_ID_LEN || id.chars().any(|c| c.is_control()) {
        return Err(ContractError::BadTokenId {});
    }
    Ok(())
}

fn validate_extension(ext: &ModelExtension) -> Result<(), ContractError> {
    let name_ok = !ext.name.is_empty() && ext.name.len() <= MAX_MODEL_NAME_LEN;
    let desc_ok = ext.description.as_ref().is_none_or(|d| d.len() <= MAX_DESCRIPTION_LEN);
    if !name_ok || !desc_ok {
        return Err(ContractError::BadMetadata {});
    }
    ext.model.validate()?;
    Ok(())
}

fn mint(
    deps: DepsMut,
    info: MessageInfo,
    token_id: String,
    owner: String,
    token_uri: Option<String>,
    extension: ModelExtension,
) -> Result<Response, ContractError> {
    let config = CONFIG.load(deps.storage)?;
    let fee_msg = match &config.mint_fee {
        None => {
            cw_utils::nonpayable(&info)?;
            None
        }
        Some(fee) => {
            if info.funds.len() != 1 || info.funds[0] != *fee {
                return Err(ContractError::WrongMintFee { expected: fee.clone(), got: info.funds });
            }
            Some(BankMsg::Send { to_address: config.fee_collector.to_string(), amount: vec![fee.clone()] })
        }
    };
    validate_token_id(&token_id)?;
    validate_extension(&extension)?;
    let owner_addr = deps.api.addr_validate(&owner)?;

    let hash = extension.model.onnx_sha256.clone();
    if let Some((existing, _)) = tokens().idx.hash.item(deps.storage, hash.clone())? {
        let existing = String::from_utf8(existing).map_err(StdError::from)?;
        return Err(ContractError::HashRegistered(hash, existing));
    }
    let token = TokenInfo { owner: owner_addr, publisher: info.sender.clone(), approvals: vec![], token_uri, extension };
    tokens().update(deps.storage, &token_id, |old| match old {
        Some(_) => Err(ContractError::Claimed(token_id.clone())),
        None => Ok(token),
    })?;
    TOKEN_COUNT.update(deps.storage, |n| -> StdResult<u64> { Ok(n + 1) })?;

    let mut res = Response::new()
        .add_attribute("action", "mint")
        .add_attribute("minter", info.sender)
        .add_attribute("owner", owner)
        .add_attribute("token_id", token_id)
        .add_attribute("onnx_sha256", hash);
    if let Some(msg) = fee_msg {
        res = res.add_message(msg);
    }
    Ok(res)
}

fn update_nft_info(
    deps: DepsMut,
    info: MessageInfo,
    token_id: String,
    token_uri: Option<String>,
    extension: ModelExtension,
) -> Result<Response, ContractError> {
    let mut token = tokens().load(deps.storage, &token_id)?;
    if token.owner != info.sender {
        return Err(ContractError::Unauthorized {});
    }
    let old = &token.extension.model;
    if extension.model.onnx_sha256 != old.onnx_sha256 {
        return Err(ContractError::HashImmutable { old: old.onnx_sha256.clone(), new: extension.model.onnx_sha256 });
    }
    if extension.model.quant_rule != old.quant_rule {
        return Err(ContractError::RuleImmutable {});
    }
    validate_extension(&extension)?;
    token.token_uri = token_uri;
    token.extension = extension;
    tokens().save(deps.storage, &token_id, &token)?;
    Ok(Response::new().add_attribute("action", "update_nft_info").add_attribute("token_id", token_id))
}

fn transfer(deps: DepsMut, env: &Env, info: &MessageInfo, recipient: &Addr, token_id: &str) -> Result<(), ContractError> {
    let mut token = tokens().load(deps.storage, token_id)?;
    check_can_send(deps.as_ref(), env, &info.sender, &token)?;
    token.owner = recipient.clone();
    // Approvals were the old owner's grants; they do not carry over.
    token.approvals.clear();
    tokens().save(deps.storage, token_id, &token)?;
    Ok(())
}

fn approve(
    deps: DepsMut,
    env: &Env,
    info: &MessageInfo,
    spender: String,
    token_id: String,
    expires: Expiration,
) -> Result<Response, ContractError> {
    let mut token = tokens().load(deps.storage, &token_id)?;
    check_can_approve(deps.as_ref(), env, &info.sender, &token)?;
    if expires.is_expired(&env.block) {
        return Err(ContractError::Expired {});
    }
    let spender_addr = deps.api.addr_validate(&spender)?;
    token.approvals.retain(|a| a.spender != spender_addr);
    token.approvals.push(Approval { spender: spender_addr, expires });
    tokens().save(deps.storage, &token_id, &token)?;
    Ok(Response::new()
        .add_attribute("action", "approve")
        .add_attribute("sender", info.sender.as_str())
        .add_attribute("spender", spender)
        .add_attribute("token_id", token_id))
}

fn revoke(deps: DepsMut, env: &Env, info: &MessageInfo, spender: String, token_id: String) -> Result<Response, ContractError> {
    let mut token = tokens().load(deps.storage, &token_id)?;
    check_can_approve(deps.as_ref(), env, &info.sender, &token)?;
    let spender_addr = deps.api.addr_validate(&spender)?;
    token.approvals.retain(|a| a.spender != spender_addr);
    tokens().save(deps.storage, &token_id, &token)?;
    Ok(Response::new()
        .add_attribute("action", "revoke")
        .add_attribute("sender", info.sender.as_str())
        .add_attribute("spender", spender)
        .add_attribute("token_id", token_id))
}

fn is_operator(deps: Deps, env: &Env, owner: &Addr, sender: &Addr) -> StdResult<bool> {
    Ok(OPERATORS.may_load(deps.storage, (owner, sender))?.is_some_and(|exp| !exp.is_expired(&env.block)))
}

/// Owner or an unexpired operator of the owner.
fn check_can_approve(deps: Deps, env: &Env, sender: &Addr, token: &TokenInfo) -> Result<(), ContractError> {
    if token.owner == *sender || is_operator(deps, env, &token.owner, sender)? {
        return Ok(());
    }
    Err(ContractError::Unauthorized {})
}

/// Owner, an unexpired operator, or an unexpired approval on this token.
fn check_can_send(deps: Deps, env: &Env, sender: &Addr, token: &TokenInfo) -> Result<(), ContractError> {
    if token.approvals.iter().any(|a| a.spender == *sender && !a.is_expired(&env.block)) {
        return Ok(());
    }
    check_can_approve(deps, env, sender, token)
}

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn query(deps: Deps, env: Env, msg: QueryMsg) -> StdResult<Binary> {
    crate::query::query(deps, env, msg)
}

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn migrate(deps: DepsMut, _env: Env, _msg: MigrateMsg) -> Result<Response, ContractError> {
    let from = cw2::ensure_from_older_version(deps.storage, CONTRACT_NAME, CONTRACT_VERSION)?;
    Ok(Response::new().add_attribute("action", "migrate").add_attribute("from_version", from.to_string()))
}
