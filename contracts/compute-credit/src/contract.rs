#[cfg(not(feature = "library"))]
use cosmwasm_std::entry_point;
use cosmwasm_std::{to_json_binary, Binary, Deps, DepsMut, Env, MessageInfo, Response, StdResult, Uint128};
use cw20_base::state::{MinterData, TOKEN_INFO};

use crate::error::ContractError;
use crate::msg::{AdminResponse, ExecuteMsg, InstantiateMsg, MigrateMsg, QueryMsg};
use crate::state::ADMIN;

pub const CONTRACT_NAME: &str = "venice:compute-credit";
pub const CONTRACT_VERSION: &str = env!("CARGO_PKG_VERSION");

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn instantiate(mut deps: DepsMut, env: Env, info: MessageInfo, msg: InstantiateMsg) -> Result<Response, ContractError> {
    let admin = msg.admin.as_deref().map(|a| deps.api.addr_validate(a)).transpose()?;
    cw20_base::contract::instantiate(deps.branch(), env, info, msg.into())?;
    // cw20-base records itself; this contract's name is what migrations check.
    cw2::set_contract_version(deps.storage, CONTRACT_NAME, CONTRACT_VERSION)?;
    ADMIN.save(deps.storage, &admin)?;
    Ok(Response::new()
        .add_attribute("action", "instantiate")
        .add_attribute("admin", admin.map(String::from).unwrap_or_else(|| "none".into())))
}

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn execute(deps: DepsMut, env: Env, info: MessageInfo, msg: ExecuteMsg) -> Result<Response, ContractError> {
    match msg.into_cw20() {
        Ok(cw20_msg) => Ok(cw20_base::contract::execute(deps, env, info, cw20_msg)?),
        Err(ExecuteMsg::SetMinterPolicy { minter, cap }) => set_minter_policy(deps, info, minter, cap),
        Err(ExecuteMsg::UpdateAdmin { admin }) => update_admin(deps, info, admin),
        Err(_) => unreachable!("into_cw20 returns only the Venice messages as Err"),
    }
}

fn ensure_admin(deps: Deps, info: &MessageInfo) -> Result<(), ContractError> {
    match ADMIN.load(deps.storage)? {
        Some(admin) if admin == info.sender => Ok(()),
        _ => Err(ContractError::NotAdmin {}),
    }
}

fn set_minter_policy(deps: DepsMut, info: MessageInfo, minter: Option<String>, cap: Option<Uint128>) -> Result<Response, ContractError> {
    ensure_admin(deps.as_ref(), &info)?;
    let mut token = TOKEN_INFO.load(deps.storage)?;
    let mint = match minter {
        None if cap.is_some() => return Err(ContractError::CapWithoutMinter {}),
        None => None,
        Some(m) => {
            if let Some(cap) = cap {
                if cap < token.total_supply {
                    return Err(ContractError::CapBelowSupply { cap, supply: token.total_supply });
                }
            }
            Some(MinterData { minter: deps.api.addr_validate(&m)?, cap })
        }
    };
    let minter_attr = mint.as_ref().map(|m| m.minter.to_string()).unwrap_or_else(|| "none".into());
    let cap_attr = cap.map(|c| c.to_string()).unwrap_or_else(|| "none".into());
    token.mint = mint;
    TOKEN_INFO.save(deps.storage, &token)?;
    Ok(Response::new().add_attribute("action", "set_minter_policy").add_attribute("minter", minter_attr).add_attribute("cap", cap_attr))
}

fn update_admin(deps: DepsMut, info: MessageInfo, admin: Option<String>) -> Result<Response, ContractError> {
    ensure_admin(deps.as_ref(), &info)?;
    let admin = admin.as_deref().map(|a| deps.api.addr_validate(a)).transpose()?;
    ADMIN.save(deps.storage, &admin)?;
    Ok(Response::new()
        .add_attribute("action", "update_admin")
        .add_attribute("admin", admin.map(String::from).unwrap_or_else(|| "none".into())))
}

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn query(deps: Deps, env: Env, msg: QueryMsg) -> StdResult<Binary> {
    match msg.into_cw20() {
        Ok(cw20_msg) => cw20_base::contract::query(deps, env, cw20_msg),
        Err(QueryMsg::Admin {}) => to_json_binary(&AdminResponse { admin: ADMIN.load(deps.storage)?.map(String::from) }),
        Err(_) => unreachable!("into_cw20 returns only the Venice queries as Err"),
    }
}

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn migrate(deps: DepsMut, _env: Env, _msg: MigrateMsg) -> Result<Response, ContractError> {
    // Refuses another contract's state and downgrades.
    let from = cw2::ensure_from_older_version(deps.storage, CONTRACT_NAME, CONTRACT_VERSION)?;
    Ok(Response::new().add_attribute("action", "migrate").add_attribute("from_version", from.to_string()))
}
