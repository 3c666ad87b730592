//! `cosmwasm.wasm.v1.Query` over ABCI (and so over gRPC): contract and code
//! info, history, state (all, raw, smart), codes, pinned codes, params,
//! contracts by code and by creator — with the SDK's key pagination.

use cosmos_sdk_proto::cosmos::base::query::v1beta1::{PageRequest, PageResponse};
use cosmos_sdk_proto::cosmwasm::wasm::v1 as pb;
use prost::Message;
use venice_sdk::{Address, Ctx, Error, MsgRouter, Result};

use crate::error::WasmError;
use crate::{Wasm, state};

pub use venice_sdk::paths::wasm::QUERY_SERVICE as SERVICE;
const DEFAULT_LIMIT: u64 = 100;
const MAX_LIMIT: u64 = 1000;

/// (start after this key, limit) of a page request.
fn page(p: &Option<PageRequest>) -> Result<(Option<Vec<u8>>, usize)> {
    let Some(p) = p else { return Ok((None, DEFAULT_LIMIT as usize)) };
    if p.offset != 0 {
        return Err(Error::InvalidRequest("offset pagination is not supported; use key".into()));
    }
    let limit = if p.limit == 0 { DEFAULT_LIMIT } else { p.limit.min(MAX_LIMIT) } as usize;
    Ok(((!p.key.is_empty()).then(|| p.key.clone()), limit))
}

/// Trim the one extra item fetched; the next page starts after the last kept.
fn paginate<T>(mut items: Vec<T>, limit: usize, key: impl Fn(&T) -> Vec<u8>) -> (Vec<T>, Option<PageResponse>) {
    let next_key = if items.len() > limit {
        items.truncate(limit);
        items.last().map(&key).unwrap_or_default()
    } else {
        Vec::new()
    };
    (items, Some(PageResponse { next_key, total: 0 }))
}

fn u64_key(k: &Option<Vec<u8>>) -> Result<Option<u64>> {
    k.as_ref()
        .map(|b| <[u8; 8]>::try_from(b.as_slice()).map(u64::from_be_bytes).map_err(|_| Error::InvalidRequest("bad pagination key".into())))
        .transpose()
}

fn contract_addr(s: &str) -> Result<Address> {
    Ok(Address::parse(s)?)
}

fn code_info_response(code_id: u64, c: pb::CodeInfo) -> pb::CodeInfoResponse {
    pb::CodeInfoResponse { code_id, creator: c.creator, data_hash: c.code_hash, instantiate_permission: c.instantiate_config }
}

impl Wasm {
    /// Answer `method` of `cosmwasm.wasm.v1.Query`.
    pub fn grpc_query(&self, ctx: &mut Ctx, router: &dyn MsgRouter, method: &str, req: &[u8]) -> Result<Vec<u8>> {
        Ok(match method {
            "ContractInfo" => {
                let r = pb::QueryContractInfoRequest::decode(req)?;
                let addr = contract_addr(&r.address)?;
                let info = state::contract(ctx, &addr)?.ok_or_else(|| WasmError::NotFound(format!("address {}", r.address)))?;
                pb::QueryContractInfoResponse { address: addr.to_bech32(), contract_info: Some(info) }.encode_to_vec()
            }
            "ContractHistory" => {
                let r = pb::QueryContractHistoryRequest::decode(req)?;
                let addr = contract_addr(&r.address)?;
                let (start, limit) = page(&r.pagination)?;
                let items = state::history(ctx, &addr, u64_key(&start)?, limit + 1)?;
                let (items, pagination) = paginate(items, limit, |(n, _)| n.to_be_bytes().to_vec());
                pb::QueryContractHistoryResponse { entries: items.into_iter().map(|(_, e)| e).collect(), pagination }.encode_to_vec()
            }
            "ContractsByCode" => {
                let r = pb::QueryContractsByCodeRequest::decode(req)?;
                if r.code_id == 0 {
                    return Err(Error::InvalidRequest("code id is required".into()));
                }
                let (start, limit) = page(&r.pagination)?;
                let items = state::contracts_by_code(ctx, r.code_id, start.as_deref(), limit + 1)?;
                let (items, pagination) = paginate(items, limit, |(k, _)| k.clone());
                pb::QueryContractsByCodeResponse { contracts: items.into_iter().map(|(_, a)| a.to_bech32()).collect(), pagination }
                    .encode_to_vec()
            }
            "ContractsByCreator" => {
                let r = pb::QueryContractsByCreatorRequest::decode(req)?;
                let creator = Address::parse(&r.creator_address)?;
                let (start, limit) = page(&r.pagination)?;
                let items = state::contracts_by_creator(ctx, &creator, start.as_deref(), limit + 1)?;
                let (items, pagination) = paginate(items, limit, |(k, _)| k.clone());
                pb::QueryContractsByCreatorResponse {
                    contract_addresses: items.into_iter().map(|(_, a)| a.to_bech32()).collect(),
                    pagination,
                }
                .encode_to_vec()
            }
            "AllContractState" => {
                let r = pb::QueryAllContractStateRequest::decode(req)?;
                let addr = contract_addr(&r.address)?;
                if !state::has_contract(ctx, &addr)? {
                    return Err(WasmError::NotFound(format!("address {}", r.address)).into());
                }
                let (start, limit) = page(&r.pagination)?;
                let items = state::contract_state(ctx, &addr, start.as_deref(), limit + 1)?;
                let (items, pagination) = paginate(items, limit, |(k, _)| k.clone());
                let models = items.into_iter().map(|(key, value)| pb::Model { key, value }).collect();
                pb::QueryAllContractStateResponse { models, pagination }.encode_to_vec()
            }
            "RawContractState" => {
                let r = pb::QueryRawContractStateRequest::decode(req)?;
                let addr = contract_addr(&r.address)?;
                if !state::has_contract(ctx, &addr)? {
                    return Err(WasmError::NotFound(format!("address {}", r.address)).into());
                }
                let data = state::contract_state_get(ctx, &addr, &r.query_data)?.unwrap_or_default();
                pb::QueryRawContractStateResponse { data }.encode_to_vec()
            }
            "SmartContractState" => {
                let r = pb::QuerySmartContractStateRequest::decode(req)?;
                let addr = contract_addr(&r.address)?;
                if serde_json::from_slice::<serde::de::IgnoredAny>(&r.query_data).is_err() {
                    return Err(WasmError::Invalid("query data: invalid json".into()).into());
                }
                // A client's query runs under wasmd's smart-query gas limit.
                let limit = self.config().smart_query_gas_limit;
                let (out, _) = ctx.with_gas_limit(limit, |ctx| self.query_smart(ctx, router, &addr, &r.query_data, 1));
                pb::QuerySmartContractStateResponse { data: out? }.encode_to_vec()
            }
            "Code" => {
                let r = pb::QueryCodeRequest::decode(req)?;
                if r.code_id == 0 {
                    return Err(Error::InvalidRequest("code id is required".into()));
                }
                let info = state::code(ctx, r.code_id)?.ok_or_else(|| WasmError::NotFound(format!("code id {}", r.code_id)))?;
                let data = self.wasm_bytes(&info.code_hash)?;
                pb::QueryCodeResponse { code_info: Some(code_info_response(r.code_id, info)), data }.encode_to_vec()
            }
            "Codes" => {
                let r = pb::QueryCodesRequest::decode(req)?;
                let (start, limit) = page(&r.pagination)?;
                let items = state::codes(ctx, u64_key(&start)?, limit + 1)?;
                let (items, pagination) = paginate(items, limit, |(id, _)| id.to_be_bytes().to_vec());
                pb::QueryCodesResponse { code_infos: items.into_iter().map(|(id, c)| code_info_response(id, c)).collect(), pagination }
                    .encode_to_vec()
            }
            "PinnedCodes" => {
                let r = pb::QueryPinnedCodesRequest::decode(req)?;
                let (start, limit) = page(&r.pagination)?;
                let items = state::pinned(ctx, u64_key(&start)?, limit + 1)?;
                let (code_ids, pagination) = paginate(items, limit, |id| id.to_be_bytes().to_vec());
                pb::QueryPinnedCodesResponse { code_ids, pagination }.encode_to_vec()
            }
            "Params" => pb::QueryParamsResponse { params: Some(state::params(ctx)?) }.encode_to_vec(),
            other => return Err(Error::UnknownQuery(format!("/{SERVICE}/{other}"))),
        })
    }

    /// The wasm bytes of stored code, from the VM's files.
    pub fn wasm_bytes(&self, checksum: &[u8]) -> Result<Vec<u8>> {
        let sum = crate::vm::checksum(checksum)?;
        self.inner.vm.cache()?.load_wasm(&sum).map_err(|e| Error::Internal(format!("loading wasm {}: {e}", hex::encode(checksum))))
    }
}
