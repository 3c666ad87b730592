//! `cosmos.slashing.v1beta1.Query` over ABCI: Params, SigningInfo,
//! SigningInfos (paginated by consensus address, the SDK's `next_key`).

use cosmos_sdk_proto::cosmos::base::query::v1beta1::{PageRequest, PageResponse};
use cosmos_sdk_proto::cosmos::slashing::v1beta1 as pb;
use prost::Message;
use venice_sdk::{Address, Ctx, Error, Result};

use crate::{Slashing, state};

pub const SERVICE: &str = "cosmos.slashing.v1beta1.Query";
const DEFAULT_LIMIT: u64 = 100;
const MAX_LIMIT: u64 = 1000;

/// One page of items keyed by bytes: `fetch(start_after, n)` returns up to
/// `n` (key, item) pairs in key order. Shared with evidence's AllEvidence.
pub fn page<T>(
    req: &Option<PageRequest>,
    mut fetch: impl FnMut(Option<&[u8]>, usize) -> Result<Vec<(Vec<u8>, T)>>,
) -> Result<(Vec<T>, Option<PageResponse>)> {
    let p = req.clone().unwrap_or_default();
    if !p.key.is_empty() && p.offset > 0 {
        return Err(Error::InvalidRequest("paginate: invalid request, either offset or key is expected, got both".into()));
    }
    let limit = if p.limit == 0 { DEFAULT_LIMIT } else { p.limit.min(MAX_LIMIT) } as usize;
    let start = (!p.key.is_empty()).then_some(p.key.as_slice());
    let skip = p.offset as usize;
    let mut items: Vec<(Vec<u8>, T)> = fetch(start, skip.saturating_add(limit).saturating_add(1))?.into_iter().skip(skip).collect();
    let total = if p.count_total && p.key.is_empty() { fetch(None, usize::MAX)?.len() as u64 } else { 0 };
    let next_key = if items.len() > limit {
        items.truncate(limit);
        items.last().map(|(k, _)| k.clone()).unwrap_or_default()
    } else {
        Vec::new()
    };
    Ok((items.into_iter().map(|(_, t)| t).collect(), Some(PageResponse { next_key, total })))
}

pub fn query(_k: &Slashing, ctx: &mut Ctx, method: &str, req: &[u8]) -> Result<Vec<u8>> {
    match method {
        "Params" => {
            pb::QueryParamsRequest::decode(req)?;
            Ok(pb::QueryParamsResponse { params: Some(state::params(ctx)?.to_proto()) }.encode_to_vec())
        }
        "SigningInfo" => {
            let r = pb::QuerySigningInfoRequest::decode(req)?;
            if r.cons_address.is_empty() {
                return Err(Error::InvalidRequest("invalid request".into()));
            }
            let cons = Address::parse_valcons(&r.cons_address)?;
            let info = state::signing_info(ctx, &cons)?
                .ok_or_else(|| Error::NotFound(format!("SigningInfo not found for validator {}", r.cons_address)))?;
            Ok(pb::QuerySigningInfoResponse { val_signing_info: Some(info.to_proto()) }.encode_to_vec())
        }
        "SigningInfos" => {
            let r = pb::QuerySigningInfosRequest::decode(req)?;
            let (infos, pagination) = page(&r.pagination, |start, n| {
                let start = start.map(Address::from_bytes).transpose().map_err(|_| Error::InvalidRequest("bad pagination key".into()))?;
                Ok(state::signing_infos(ctx, start.as_ref(), n)?.into_iter().map(|i| (i.address.as_bytes().to_vec(), i)).collect())
            })?;
            Ok(pb::QuerySigningInfosResponse { info: infos.iter().map(|i| i.to_proto()).collect(), pagination }.encode_to_vec())
        }
        other => Err(Error::UnknownQuery(format!("/{SERVICE}/{other}"))),
    }
}
