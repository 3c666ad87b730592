#[cfg(not(feature = "library"))]
use cosmwasm_std::entry_point;
use cosmwasm_std::{
    to_json_binary, to_json_vec, BankMsg, Binary, Deps, DepsMut, Env, Event, MessageInfo, Reply, Response, StdError, StdResult,
    SubMsgResult,
};

use crate::msg::{DepthResponse, ExecuteMsg, InstantiateMsg, MigrateMsg, QueryMsg, ValueResponse};

/// The reply id whose `reply` call fails (to test a failing reply).
pub const FAILING_REPLY_ID: u64 = 99;

#[derive(thiserror::Error, Debug, PartialEq)]
pub enum ContractError {
    #[error("{0}")]
    Std(#[from] StdError),
    /// `fail` in instantiate or execute.
    #[error("tester: {0}")]
    Requested(String),
    #[error("tester: reply {0} fails on purpose")]
    FailingReply(u64),
}

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn instantiate(deps: DepsMut, _env: Env, info: MessageInfo, msg: InstantiateMsg) -> Result<Response, ContractError> {
    if let Some(reason) = msg.fail {
        return Err(ContractError::Requested(reason));
    }
    deps.storage.set(b"owner", info.sender.as_bytes());
    Ok(Response::new().add_attribute("action", "instantiate").add_attribute("owner", info.sender))
}

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn execute(deps: DepsMut, env: Env, _info: MessageInfo, msg: ExecuteMsg) -> Result<Response, ContractError> {
    match msg {
        ExecuteMsg::Set { key, value } => {
            deps.storage.set(key.as_bytes(), value.as_bytes());
            Ok(Response::new().add_attribute("action", "set").add_attribute("key", key))
        }
        ExecuteMsg::Delete { key } => {
            deps.storage.remove(key.as_bytes());
            Ok(Response::new().add_attribute("action", "delete").add_attribute("key", key))
        }
        ExecuteMsg::Fail { reason } => {
            // Written first so that a test can see the rollback.
            deps.storage.set(b"dirty", b"fail");
            Err(ContractError::Requested(reason))
        }
        ExecuteMsg::Panic {} => {
            deps.storage.set(b"dirty", b"panic");
            panic!("tester: panic on request");
        }
        ExecuteMsg::Loop {} => {
            // black_box keeps the optimiser from proving anything about the loop.
            let mut i: u64 = 0;
            loop {
                i = core::hint::black_box(i.wrapping_add(1));
            }
        }
        ExecuteMsg::Allocate { bytes } => {
            let len = usize::try_from(bytes).map_err(|_| StdError::generic_err("allocation size does not fit in usize"))?;
            // vec! of a non-zero byte writes every byte, so every page is touched.
            let buf = vec![1u8; len];
            let sum = buf.iter().step_by(4096).fold(0u64, |a, b| a.wrapping_add(u64::from(*b)));
            Ok(Response::new()
                .add_attribute("action", "allocate")
                .add_attribute("bytes", bytes.to_string())
                .add_attribute("pages", sum.to_string()))
        }
        ExecuteMsg::Send { to_address, amount } => {
            Ok(Response::new().add_attribute("action", "send").add_message(BankMsg::Send { to_address, amount }))
        }
        ExecuteMsg::Burn { amount } => Ok(Response::new().add_attribute("action", "burn").add_message(BankMsg::Burn { amount })),
        ExecuteMsg::Dispatch { msgs, data } => {
            let mut res = Response::new().add_attribute("action", "dispatch").add_submessages(msgs);
            if let Some(data) = data {
                res = res.set_data(data);
            }
            Ok(res)
        }
        ExecuteMsg::ReturnData { data } => Ok(Response::new().add_attribute("action", "return_data").set_data(data)),
        ExecuteMsg::Emit { event_type, attributes } => {
            Ok(Response::new().add_event(Event::new(event_type).add_attributes(attributes.clone())).add_attributes(attributes))
        }
        ExecuteMsg::QuerySelf { depth } => {
            let answer: DepthResponse = deps.querier.query_wasm_smart(env.contract.address, &QueryMsg::Recurse { depth })?;
            deps.storage.set(b"query_self", &to_json_vec(&answer)?);
            Ok(Response::new().add_attribute("action", "query_self").add_attribute("depth_reached", answer.depth_reached.to_string()))
        }
    }
}

/// Records every reply under `reply:<id>`: `ok:<base64 of the data>` (empty
/// when there is none) or `err:<error>`. Reply id 99 fails after writing.
/// A reply that succeeds returns the data `reply-<id>`.
#[cfg_attr(not(feature = "library"), entry_point)]
pub fn reply(deps: DepsMut, _env: Env, reply: Reply) -> Result<Response, ContractError> {
    let record = match &reply.result {
        #[allow(deprecated)] // `data` is what wasmd fills with the submessage's data
        SubMsgResult::Ok(resp) => format!("ok:{}", resp.data.as_ref().map(Binary::to_base64).unwrap_or_default()),
        SubMsgResult::Err(err) => format!("err:{err}"),
    };
    deps.storage.set(format!("reply:{}", reply.id).as_bytes(), record.as_bytes());
    if reply.id == FAILING_REPLY_ID {
        return Err(ContractError::FailingReply(reply.id));
    }
    Ok(Response::new()
        .add_attribute("action", "reply")
        .add_attribute("reply_id", reply.id.to_string())
        .set_data(format!("reply-{}", reply.id).into_bytes()))
}

#[cfg_attr(not(feature = "library"), entry_point)]
pub fn query(deps: Deps, env: Env, msg: QueryMsg) -> StdResult<Binary> {
    match msg {
        QueryMsg::Get { key } => to_json_binary(&ValueResponse { value: deps.storage.get(key.as_bytes()).map(lossy) }),
        QueryMsg::Recurse { depth } => {
            let depth_reached = if depth == 0 {
                0
            } else {
                let inner: DepthResponse = deps.querier.query_wasm_smart(env.contract.address, &QueryMsg::Recurse { depth: depth - 1 })?;
                inner.depth_reached + 1
            };
            to_json_binary(&DepthResponse { depth_reached })
        }
        QueryMsg::Balance { address, denom } => to_json_binary(&deps.querier.query_balance(address, denom)?),
        QueryMsg::RawOf { contract, key } => {
            to_json_binary(&ValueResponse { value: deps.querier.query_wasm_raw(contract, key.into_bytes())?.map(lossy) })
        }
        QueryMsg::ContractInfo { contract } => to_json_binary(&deps.querier.query_wasm_contract_info(contract)?),
        QueryMsg::Grpc { path, data } => {
            // Raw protobuf bytes: not JSON, so not `querier.query`.
            to_json_binary(&deps.querier.query_grpc(path, data)?)
        }
    }
}

/// Stores key `migrated` = the version and returns the data `migrated`.
#[cfg_attr(not(feature = "library"), entry_point)]
pub fn migrate(deps: DepsMut, _env: Env, msg: MigrateMsg) -> Result<Response, ContractError> {
    deps.storage.set(b"migrated", msg.version.as_bytes());
    Ok(Response::new().add_attribute("action", "migrate").add_attribute("version", msg.version).set_data(b"migrated".to_vec()))
}

fn lossy(v: Vec<u8>) -> String {
    String::from_utf8(v).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}
