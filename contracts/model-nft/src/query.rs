//! Read-only side: the cw721 queries and Venice's model lookups.

use cosmwasm_std::{to_json_binary, Addr, Binary, BlockInfo, Deps, Env, Order, StdError, StdResult, Uint128};
use cw_storage_plus::Bound;

use crate::msg::{
    AllNftInfoResponse, Approval, ApprovalResponse, ApprovalsResponse, ConfigResponse, ContractInfoResponse, MinterResponse, ModelResponse,
    ModelsResponse, NftInfoResponse, NumTokensResponse, OperatorResponse, OperatorsResponse, OwnerOfResponse, QueryMsg,
    RoyaltiesInfoResponse, TokensResponse,
};
use crate::state::{tokens, TokenInfo, CONFIG, OPERATORS, TOKEN_COUNT};

const DEFAULT_LIMIT: u32 = 10;
const MAX_LIMIT: u32 = 100;

fn limit(l: Option<u32>) -> usize {
    l.unwrap_or(DEFAULT_LIMIT).min(MAX_LIMIT) as usize
}

pub fn query(deps: Deps, env: Env, msg: QueryMsg) -> StdResult<Binary> {
    match msg {
        QueryMsg::OwnerOf { token_id, include_expired } => {
            let t = tokens().load(deps.storage, &token_id)?;
            to_json_binary(&owner_of(&t, &env.block, include_expired.unwrap_or(false)))
        }
        QueryMsg::Approval { token_id, spender, include_expired } => {
            let t = tokens().load(deps.storage, &token_id)?;
            let spender = deps.api.addr_validate(&spender)?;
            // The owner is implicitly approved for its own token (as cw721-base).
            if t.owner == spender {
                return to_json_binary(&ApprovalResponse {
                    approval: Approval { spender: spender.into(), expires: cw_utils::Expiration::Never {} },
                });
            }
            let approval = humanize(&t, &env.block, include_expired.unwrap_or(false))
                .into_iter()
                .find(|a| a.spender == spender.as_str())
                .ok_or_else(|| StdError::not_found("Approval not found"))?;
            to_json_binary(&ApprovalResponse { approval })
        }
        QueryMsg::Approvals { token_id, include_expired } => {
            let t = tokens().load(deps.storage, &token_id)?;
            to_json_binary(&ApprovalsResponse { approvals: humanize(&t, &env.block, include_expired.unwrap_or(false)) })
        }
        QueryMsg::Operator { owner, operator, include_expired } => {
            let owner = deps.api.addr_validate(&owner)?;
            let op = deps.api.addr_validate(&operator)?;
            let expires = OPERATORS
                .may_load(deps.storage, (&owner, &op))?
                .filter(|e| include_expired.unwrap_or(false) || !e.is_expired(&env.block))
                .ok_or_else(|| StdError::not_found("Approval not found"))?;
            to_json_binary(&OperatorResponse { approval: Approval { spender: operator, expires } })
        }
        QueryMsg::AllOperators { owner, include_expired, start_after, limit: l } => {
            let owner = deps.api.addr_validate(&owner)?;
            let start = start_after.map(|s| deps.api.addr_validate(&s)).transpose()?;
            let include_expired = include_expired.unwrap_or(false);
            let operators = OPERATORS
                .prefix(&owner)
                .range(deps.storage, start.as_ref().map(Bound::exclusive), None, Order::Ascending)
                .filter(|r| include_expired || r.as_ref().map_or(true, |(_, e)| !e.is_expired(&env.block)))
                .take(limit(l))
                .map(|r| r.map(|(spender, expires)| Approval { spender: spender.into(), expires }))
                .collect::<StdResult<_>>()?;
            to_json_binary(&OperatorsResponse { operators })
        }
        QueryMsg::NumTokens {} => to_json_binary(&NumTokensResponse { count: TOKEN_COUNT.load(deps.storage)? }),
        QueryMsg::ContractInfo {} => {
            let c = CONFIG.load(deps.storage)?;
            to_json_binary(&ContractInfoResponse { name: c.name, symbol: c.symbol })
        }
        QueryMsg::NftInfo { token_id } => {
            let t = tokens().load(deps.storage, &token_id)?;
            to_json_binary(&NftInfoResponse { token_uri: t.token_uri, extension: t.extension })
        }
        QueryMsg::AllNftInfo { token_id, include_expired } => {
            let t = tokens().load(deps.storage, &token_id)?;
            to_json_binary(&AllNftInfoResponse {
                access: owner_of(&t, &env.block, include_expired.unwrap_or(false)),
                info: NftInfoResponse { token_uri: t.token_uri, extension: t.extension },
            })
        }
        QueryMsg::Tokens { owner, start_after, limit: l } => {
            let owner = deps.api.addr_validate(&owner)?;
            let tokens = tokens()
                .idx
                .owner
                .prefix(owner)
                .keys(deps.storage, start_after.map(Bound::exclusive), None, Order::Ascending)
                .take(limit(l))
                .collect::<StdResult<_>>()?;
            to_json_binary(&TokensResponse { tokens })
        }
        QueryMsg::AllTokens { start_after, limit: l } => {
            let tokens = tokens()
                .keys(deps.storage, start_after.as_deref().map(Bound::exclusive), None, Order::Ascending)
                .take(limit(l))
                .collect::<StdResult<_>>()?;
            to_json_binary(&TokensResponse { tokens })
        }
        QueryMsg::Minter {} => to_json_binary(&MinterResponse { minter: None }),
        QueryMsg::Config {} => {
            let c = CONFIG.load(deps.storage)?;
            to_json_binary(&ConfigResponse {
                name: c.name,
                symbol: c.symbol,
                admin: c.admin.map(Addr::into_string),
                mint_fee: c.mint_fee,
                fee_collector: c.fee_collector.into_string(),
            })
        }
        QueryMsg::Model { token_id } => {
            let t = tokens().load(deps.storage, &token_id)?;
            to_json_binary(&model_response(token_id, t))
        }
        QueryMsg::ModelsByOwner { owner, start_after, limit: l } => {
            let owner = deps.api.addr_validate(&owner)?;
            let models = tokens()
                .idx
                .owner
                .prefix(owner)
                .range(deps.storage, start_after.map(Bound::exclusive), None, Order::Ascending)
                .take(limit(l))
                .map(|r| r.map(|(id, t)| model_response(id, t)))
                .collect::<StdResult<_>>()?;
            to_json_binary(&ModelsResponse { models })
        }
        QueryMsg::ModelByHash { onnx_sha256 } => {
            let (pk, t) = tokens()
                .idx
                .hash
                .item(deps.storage, onnx_sha256.to_ascii_lowercase())?
                .ok_or_else(|| StdError::not_found(format!("model with onnx_sha256 {onnx_sha256}")))?;
            let id = String::from_utf8(pk)?;
            to_json_binary(&model_response(id, t))
        }
        QueryMsg::RoyaltyInfo { token_id, sale_price } => {
            let t = tokens().load(deps.storage, &token_id)?;
            // Rounded down: the remainder stays with the other fee recipients.
            let royalty_amount: Uint128 = sale_price.multiply_ratio(t.extension.model.royalty_bps, 10_000u128);
            to_json_binary(&RoyaltiesInfoResponse { address: t.owner.into_string(), royalty_amount })
        }
    }
}

fn humanize(t: &TokenInfo, block: &BlockInfo, include_expired: bool) -> Vec<Approval> {
    t.approvals
        .iter()
        .filter(|a| include_expired || !a.is_expired(block))
        .map(|a| Approval { spender: a.spender.to_string(), expires: a.expires })
        .collect()
}

fn owner_of(t: &TokenInfo, block: &BlockInfo, include_expired: bool) -> OwnerOfResponse {
    OwnerOfResponse { owner: t.owner.to_string(), approvals: humanize(t, block, include_expired) }
}

fn model_response(token_id: String, t: TokenInfo) -> ModelResponse {
    ModelResponse {
        token_id,
        owner: t.owner.into_string(),
        publisher: t.publisher.into_string(),
        token_uri: t.token_uri,
        extension: t.extension,
    }
}
