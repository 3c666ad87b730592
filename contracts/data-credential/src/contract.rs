#[cfg(not(feature = "library"))]
use cosmwasm_std::entry_point;
use cosmwasm_std::{to_json_binary, Addr, Api, BankMsg, Binary, Deps, DepsMut, Env, MessageInfo, Response, StdResult};
use cw_utils::Duration;
use venice_model_types::descriptor::{is_denom, is_sha256_hex};

use crate::error::ContractError;
use crate::msg::{ExecuteMsg, InstantiateMsg, MigrateMsg, QueryMsg};
use crate::state::{credentials, datasets, Config, Credential, Dataset, Offer, Status, CONFIG, CONSUMERS, CREDENTIAL_SEQ, DATASET_SEQ};

pub const CONTRACT_NAME: &str = "venice:data-credential";
pub const CONTRACT_VERSION: &str = env!("CARGO_PKG_VERSION");

const MAX_URI_LEN: usize = 512;
const MAX_TERMS_LEN: usize = 4096;
const MAX_DATASET_CONSUMERS: usize = 16;

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn instantiate(deps: DepsMut, _env: Env, info: MessageInfo, msg: InstantiateMsg) -> Result<Response, ContractError> {
    cw_utils::nonpayable(&info)?;
    cw2::set_contract_version(deps.storage, CONTRACT_NAME, CONTRACT_VERSION)?;
    let admin = msg.admin.as_deref().map(|a| deps.api.addr_validate(a)).transpose()?;
    CONFIG.save(deps.storage, &Config { admin })?;
    for c in &msg.consumers {
        CONSUMERS.save(deps.storage, &deps.api.addr_validate(c)?, &())?;
    }
    DATASET_SEQ.save(deps.storage, &0)?;
    CREDENTIAL_SEQ.save(deps.storage, &0)?;
    Ok(Response::new().add_attribute("action", "instantiate"))
}

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn execute(deps: DepsMut, env: Env, info: MessageInfo, msg: ExecuteMsg) -> Result<Response, ContractError> {
    if !matches!(msg, ExecuteMsg::Purchase { .. }) {
        // Only a purchase takes funds; anything else sent would be stuck.
        cw_utils::nonpayable(&info)?;
    }
    match msg {
        ExecuteMsg::RegisterDataset { data_hash, uri, terms, offer, consumers } => {
            if !is_sha256_hex(&data_hash) {
                return Err(ContractError::InvalidDataset("data_hash must be 64 lower-case hex digits"));
            }
            check_uri_terms(&uri, &terms)?;
            check_offer(&offer)?;
            let consumers = validate_consumers(deps.api, &consumers)?;
            let id = next(&DATASET_SEQ, deps.storage)?;
            let dataset = Dataset { id, issuer: info.sender.clone(), data_hash, uri, terms, offer, active: true, consumers };
            datasets().save(deps.storage, id, &dataset)?;
            Ok(Response::new()
                .set_data(to_json_binary(&id)?)
                .add_attribute("action", "register_dataset")
                .add_attribute("dataset_id", id.to_string())
                .add_attribute("issuer", info.sender)
                .add_attribute("data_hash", dataset.data_hash))
        }
        ExecuteMsg::UpdateDataset { dataset_id, uri, terms, offer, active, consumers } => {
            let mut d = datasets().load(deps.storage, dataset_id)?;
            if d.issuer != info.sender {
                return Err(ContractError::NotIssuer {});
            }
            check_uri_terms(uri.as_ref().unwrap_or(&d.uri), terms.as_ref().unwrap_or(&d.terms))?;
            if let Some(o) = &offer {
                check_offer(o)?;
            }
            if let Some(c) = consumers {
                d.consumers = validate_consumers(deps.api, &c)?;
            }
            d.uri = uri.unwrap_or(d.uri);
            d.terms = terms.unwrap_or(d.terms);
            d.offer = offer.unwrap_or(d.offer);
            d.active = active.unwrap_or(d.active);
            datasets().save(deps.storage, dataset_id, &d)?;
            Ok(Response::new().add_attribute("action", "update_dataset").add_attribute("dataset_id", dataset_id.to_string()))
        }
        ExecuteMsg::Purchase { dataset_id } => {
            let d = datasets().load(deps.storage, dataset_id)?;
            if !d.active {
                return Err(ContractError::NotOffered(dataset_id));
            }
            let price = &d.offer.price;
            let proceeds = if price.amount.is_zero() {
                cw_utils::nonpayable(&info)?;
                None
            } else if info.funds.len() == 1 && info.funds[0] == *price {
                Some(BankMsg::Send { to_address: d.issuer.to_string(), amount: vec![price.clone()] })
            } else {
                return Err(ContractError::WrongPayment { expected: price.clone(), got: info.funds });
            };
            let id = issue(deps, &env, &d, info.sender.clone())?;
            let mut res = Response::new()
                .set_data(to_json_binary(&id)?)
                .add_attribute("action", "purchase")
                .add_attribute("dataset_id", dataset_id.to_string())
                .add_attribute("credential_id", id.to_string())
                .add_attribute("holder", info.sender);
            if let Some(msg) = proceeds {
                res = res.add_message(msg);
            }
            Ok(res)
        }
        ExecuteMsg::Grant { dataset_id, holder } => {
            let d = datasets().load(deps.storage, dataset_id)?;
            if d.issuer != info.sender {
                return Err(ContractError::NotIssuer {});
            }
            let holder = deps.api.addr_validate(&holder)?;
            let id = issue(deps, &env, &d, holder.clone())?;
            Ok(Response::new()
                .set_data(to_json_binary(&id)?)
                .add_attribute("action", "grant")
                .add_attribute("dataset_id", dataset_id.to_string())
                .add_attribute("credential_id", id.to_string())
                .add_attribute("holder", holder))
        }
        ExecuteMsg::Revoke { credential_id } => {
            let mut c = credentials().load(deps.storage, credential_id)?;
            let d = datasets().load(deps.storage, c.dataset_id)?;
            if d.issuer != info.sender {
                return Err(ContractError::NotIssuer {});
            }
            if c.revoked {
                return Err(ContractError::AlreadyRevoked(credential_id));
            }
            c.revoked = true;
            credentials().save(deps.storage, credential_id, &c)?;
            Ok(Response::new().add_attribute("action", "revoke").add_attribute("credential_id", credential_id.to_string()))
        }
        ExecuteMsg::Transfer { credential_id, recipient } => {
            let mut c = credentials().load(deps.storage, credential_id)?;
            if c.holder != info.sender {
                return Err(ContractError::NotHolder {});
            }
            if !c.transferable {
                return Err(ContractError::NotTransferable(credential_id));
            }
            ensure_valid(&c, &env, 1)?;
            c.holder = deps.api.addr_validate(&recipient)?;
            credentials().save(deps.storage, credential_id, &c)?;
            Ok(Response::new()
                .add_attribute("action", "transfer")
                .add_attribute("credential_id", credential_id.to_string())
                .add_attribute("recipient", recipient))
        }
        ExecuteMsg::Consume { credential_id, holder, dataset_id, uses } => {
            let uses = uses.unwrap_or(1);
            let mut c = consumers_credential(deps.as_ref(), &info, credential_id, &holder, dataset_id, uses)?;
            ensure_valid(&c, &env, uses)?;
            if let Some(left) = c.remaining_uses.as_mut() {
                *left -= uses;
            }
            credentials().save(deps.storage, credential_id, &c)?;
            Ok(uses_response("consume", &c, info.sender, uses))
        }
        ExecuteMsg::Refund { credential_id, holder, dataset_id, uses } => {
            let uses = uses.unwrap_or(1);
            let mut c = consumers_credential(deps.as_ref(), &info, credential_id, &holder, dataset_id, uses)?;
            // Whatever its status: a use given back to an expired or revoked
            // credential changes nothing, and refusing would only make the
            // consumer's own bookkeeping fail.
            if let Some(left) = c.remaining_uses.as_mut() {
                *left = left.checked_add(uses).ok_or(ContractError::TooManyUses(credential_id))?;
            }
            credentials().save(deps.storage, credential_id, &c)?;
            Ok(uses_response("refund", &c, info.sender, uses))
        }
        ExecuteMsg::AddConsumer { address } => {
            ensure_admin(deps.as_ref(), &info.sender)?;
            CONSUMERS.save(deps.storage, &deps.api.addr_validate(&address)?, &())?;
            Ok(Response::new().add_attribute("action", "add_consumer").add_attribute("consumer", address))
        }
        ExecuteMsg::RemoveConsumer { address } => {
            ensure_admin(deps.as_ref(), &info.sender)?;
            CONSUMERS.remove(deps.storage, &deps.api.addr_validate(&address)?);
            Ok(Response::new().add_attribute("action", "remove_consumer").add_attribute("consumer", address))
        }
        ExecuteMsg::UpdateAdmin { admin } => {
            ensure_admin(deps.as_ref(), &info.sender)?;
            let admin = admin.as_deref().map(|a| deps.api.addr_validate(a)).transpose()?;
            CONFIG.save(deps.storage, &Config { admin: admin.clone() })?;
            Ok(Response::new()
                .add_attribute("action", "update_admin")
                .add_attribute("admin", admin.map_or_else(|| "none".to_string(), String::from)))
        }
    }
}

fn next(seq: &cw_storage_plus::Item<u64>, storage: &mut dyn cosmwasm_std::Storage) -> StdResult<u64> {
    let id = seq.load(storage)? + 1;
    seq.save(storage, &id)?;
    Ok(id)
}

fn ensure_admin(deps: Deps, sender: &Addr) -> Result<(), ContractError> {
    match CONFIG.load(deps.storage)?.admin {
        Some(a) if a == *sender => Ok(()),
        _ => Err(ContractError::NotAdmin {}),
    }
}

fn check_uri_terms(uri: &str, terms: &str) -> Result<(), ContractError> {
    if uri.is_empty() || uri.len() > MAX_URI_LEN || uri.chars().any(char::is_control) {
        return Err(ContractError::InvalidDataset("uri must be 1..=512 bytes without control characters"));
    }
    if terms.is_empty() || terms.len() > MAX_TERMS_LEN {
        return Err(ContractError::InvalidDataset("terms must be 1..=4096 bytes"));
    }
    Ok(())
}

fn check_offer(o: &Offer) -> Result<(), ContractError> {
    if !is_denom(&o.price.denom) {
        return Err(ContractError::InvalidOffer("invalid price denom"));
    }
    if matches!(o.validity, Duration::Height(0) | Duration::Time(0)) {
        return Err(ContractError::InvalidOffer("validity must be positive"));
    }
    if o.uses == Some(0) {
        return Err(ContractError::InvalidOffer("uses must be positive or unlimited"));
    }
    Ok(())
}

fn validate_consumers(api: &dyn Api, list: &[String]) -> Result<Vec<Addr>, ContractError> {
    if list.len() > MAX_DATASET_CONSUMERS {
        return Err(ContractError::InvalidDataset("at most 16 dataset consumers"));
    }
    let mut out: Vec<Addr> = Vec::with_capacity(list.len());
    for c in list {
        let a = api.addr_validate(c)?;
        if !out.contains(&a) {
            out.push(a);
        }
    }
    Ok(out)
}

fn issue(deps: DepsMut, env: &Env, d: &Dataset, holder: Addr) -> Result<u64, ContractError> {
    let id = next(&CREDENTIAL_SEQ, deps.storage)?;
    let c = Credential {
        id,
        dataset_id: d.id,
        holder,
        issued_height: env.block.height,
        expires: d.offer.validity.after(&env.block),
        remaining_uses: d.offer.uses,
        transferable: d.offer.transferable,
        revoked: false,
    };
    credentials().save(deps.storage, id, &c)?;
    Ok(id)
}

/// The credential an authorised consumer of its dataset names, checked
/// against the holder and dataset the consumer claims, so that a wrong id
/// never spends or refunds someone else's credential.
fn consumers_credential(
    deps: Deps,
    info: &MessageInfo,
    credential_id: u64,
    holder: &str,
    dataset_id: u64,
    uses: u32,
) -> Result<Credential, ContractError> {
    if uses == 0 {
        return Err(ContractError::ZeroUses {});
    }
    let c = credentials().load(deps.storage, credential_id)?;
    let d = datasets().load(deps.storage, c.dataset_id)?;
    let authorised = d.consumers.contains(&info.sender) || CONSUMERS.has(deps.storage, &info.sender);
    if !authorised {
        return Err(ContractError::NotConsumer {});
    }
    if c.holder.as_str() != holder || c.dataset_id != dataset_id {
        return Err(ContractError::WrongHolder {
            id: credential_id,
            holder: format!("{} (dataset {})", c.holder, c.dataset_id),
            claimed: format!("{holder} (dataset {dataset_id})"),
        });
    }
    Ok(c)
}

/// The attributes of a consumer's `consume` or `refund` of `c`.
fn uses_response(action: &str, c: &Credential, consumer: Addr, uses: u32) -> Response {
    Response::new()
        .add_attribute("action", action)
        .add_attribute("credential_id", c.id.to_string())
        .add_attribute("consumer", consumer)
        .add_attribute("uses", uses.to_string())
        .add_attribute("remaining_uses", c.remaining_uses.map_or_else(|| "unlimited".to_string(), |u| u.to_string()))
}

fn ensure_valid(c: &Credential, env: &Env, uses: u32) -> Result<(), ContractError> {
    match c.status(&env.block) {
        Status::Revoked => Err(ContractError::Revoked(c.id)),
        Status::Expired => Err(ContractError::Expired(c.id)),
        Status::Exhausted => Err(ContractError::Exhausted { id: c.id, remaining: 0, wanted: uses }),
        Status::Valid => match c.remaining_uses {
            Some(left) if left < uses => Err(ContractError::Exhausted { id: c.id, remaining: left, wanted: uses }),
            _ => Ok(()),
        },
    }
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
