//! `cosmos.bank.v1beta1.Query` over ABCI: Balance, AllBalances,
//! SpendableBalances, SpendableBalanceByDenom (less vesting-locked coins), TotalSupply, SupplyOf, Params, DenomMetadata,
//! DenomsMetadata, SendEnabled — with the SDK's pagination (`next_key`).

use cosmos_sdk_proto::cosmos::bank::v1beta1 as pb;
use cosmos_sdk_proto::cosmos::base::query::v1beta1::{PageRequest, PageResponse};
use prost::Message;
use venice_sdk::{Address, Coin, Ctx, Error, Result};

use crate::{Bank, state};

pub const SERVICE: &str = "cosmos.bank.v1beta1.Query";
const DEFAULT_LIMIT: u64 = 100;
const MAX_LIMIT: u64 = 1000;

/// Page bounds from a request: (start-after key as the last item's denom, limit).
fn page(p: &Option<PageRequest>) -> Result<(Option<String>, usize)> {
    let Some(p) = p else { return Ok((None, DEFAULT_LIMIT as usize)) };
    if p.offset != 0 {
        return Err(Error::InvalidRequest("offset pagination is not supported; use key".into()));
    }
    let limit = if p.limit == 0 { DEFAULT_LIMIT } else { p.limit.min(MAX_LIMIT) } as usize;
    let start = if p.key.is_empty() {
        None
    } else {
        Some(String::from_utf8(p.key.clone()).map_err(|_| Error::InvalidRequest("bad pagination key".into()))?)
    };
    Ok((start, limit))
}

/// Whether the response counts every item, as the SDK's `Paginate` does:
/// never when paging by key, and on a first page when asked
/// (`count_total`) or when no limit was given.
fn counts_total(p: &Option<PageRequest>) -> bool {
    p.as_ref().is_none_or(|p| p.key.is_empty() && (p.limit == 0 || p.count_total))
}

/// Fetch one extra item to know whether a next page exists; `total` is the
/// count of all items when `counts_total`, else 0.
fn paginate<T>(mut items: Vec<T>, limit: usize, total: usize, key_of: impl Fn(&T) -> Vec<u8>) -> (Vec<T>, Option<PageResponse>) {
    let next_key = if items.len() > limit {
        items.truncate(limit);
        items.last().map(key_of).unwrap_or_default()
    } else {
        Vec::new()
    };
    (items, Some(PageResponse { next_key, total: total as u64 }))
}

fn coin_key(c: &Coin) -> Vec<u8> {
    c.denom.as_bytes().to_vec()
}

fn coins_pb(items: &[Coin]) -> Vec<cosmos_sdk_proto::cosmos::base::v1beta1::Coin> {
    items.iter().map(Coin::to_proto).collect()
}

/// Answer `method` of `cosmos.bank.v1beta1.Query`.
pub fn query(bank: &Bank, ctx: &mut Ctx, method: &str, req: &[u8]) -> Result<Vec<u8>> {
    Ok(match method {
        "Balance" => {
            let r = pb::QueryBalanceRequest::decode(req)?;
            let addr = Address::parse(&r.address)?;
            venice_sdk::coin::validate_denom(&r.denom)?;
            let amount = state::balance(ctx, &addr, &r.denom)?;
            pb::QueryBalanceResponse { balance: Some(Coin::new(r.denom, amount).to_proto()) }.encode_to_vec()
        }
        "AllBalances" | "SpendableBalances" => {
            let (address, pagination) = if method == "AllBalances" {
                let r = pb::QueryAllBalancesRequest::decode(req)?;
                (r.address, r.pagination)
            } else {
                let r = pb::QuerySpendableBalancesRequest::decode(req)?;
                (r.address, r.pagination)
            };
            let addr = Address::parse(&address)?;
            let (start, limit) = page(&pagination)?;
            let total = if counts_total(&pagination) { state::all_balances(ctx, &addr, None, usize::MAX)?.len() } else { 0 };
            let (items, pagination) = paginate(state::all_balances(ctx, &addr, start.as_deref(), limit + 1)?, limit, total, coin_key);
            if method == "AllBalances" {
                pb::QueryAllBalancesResponse { balances: coins_pb(&items), pagination }.encode_to_vec()
            } else {
                // The page's denoms with what is spendable of each (zero when
                // all of it is locked, as the SDK lists them).
                let locked = bank.accounts.locked_coins(ctx, &addr)?;
                let items: Vec<Coin> =
                    items.into_iter().map(|c| Coin::new(c.denom.clone(), c.amount.saturating_sub(locked.amount_of(&c.denom)))).collect();
                pb::QuerySpendableBalancesResponse { balances: coins_pb(&items), pagination }.encode_to_vec()
            }
        }
        "SpendableBalanceByDenom" => {
            let r = pb::QuerySpendableBalanceByDenomRequest::decode(req)?;
            let addr = Address::parse(&r.address)?;
            venice_sdk::coin::validate_denom(&r.denom)?;
            let have = state::balance(ctx, &addr, &r.denom)?;
            let amount = have.saturating_sub(bank.accounts.locked_coins(ctx, &addr)?.amount_of(&r.denom));
            pb::QuerySpendableBalanceByDenomResponse { balance: Some(Coin::new(r.denom, amount).to_proto()) }.encode_to_vec()
        }
        "TotalSupply" => {
            let r = pb::QueryTotalSupplyRequest::decode(req)?;
            let (start, limit) = page(&r.pagination)?;
            let total = if counts_total(&r.pagination) { state::all_supply(ctx, None, usize::MAX)?.len() } else { 0 };
            let (items, pagination) = paginate(state::all_supply(ctx, start.as_deref(), limit + 1)?, limit, total, coin_key);
            pb::QueryTotalSupplyResponse { supply: coins_pb(&items), pagination }.encode_to_vec()
        }
        "SupplyOf" => {
            let r = pb::QuerySupplyOfRequest::decode(req)?;
            venice_sdk::coin::validate_denom(&r.denom)?;
            let amount = state::supply(ctx, &r.denom)?;
            pb::QuerySupplyOfResponse { amount: Some(Coin::new(r.denom, amount).to_proto()) }.encode_to_vec()
        }
        "Params" => pb::QueryParamsResponse { params: Some(state::params(ctx)?.to_proto()) }.encode_to_vec(),
        "DenomMetadata" => {
            let r = pb::QueryDenomMetadataRequest::decode(req)?;
            let bytes = state::metadata(ctx, &r.denom)?
                .ok_or_else(|| Error::NotFound(format!("rpc error: code = NotFound desc = client metadata for denom {}", r.denom)))?;
            pb::QueryDenomMetadataResponse { metadata: Some(pb::Metadata::decode(bytes.as_slice())?) }.encode_to_vec()
        }
        "DenomsMetadata" => {
            let r = pb::QueryDenomsMetadataRequest::decode(req)?;
            let (start, limit) = page(&r.pagination)?;
            let total = if counts_total(&r.pagination) { state::all_metadata(ctx, None, usize::MAX)?.len() } else { 0 };
            let all = state::all_metadata(ctx, start.as_deref(), limit + 1)?;
            let (page_items, pagination) = paginate(all, limit, total, |(d, _)| d.as_bytes().to_vec());
            let metadatas =
                page_items.into_iter().map(|(_, b)| pb::Metadata::decode(b.as_slice())).collect::<std::result::Result<Vec<_>, _>>()?;
            pb::QueryDenomsMetadataResponse { metadatas, pagination }.encode_to_vec()
        }
        "SendEnabled" => {
            let r = pb::QuerySendEnabledRequest::decode(req)?;
            let params = state::params(ctx)?;
            let send_enabled = r.denoms.iter().map(|d| pb::SendEnabled { denom: d.clone(), enabled: params.is_send_enabled(d) }).collect();
            pb::QuerySendEnabledResponse { send_enabled, pagination: None }.encode_to_vec()
        }
        other => return Err(Error::UnknownQuery(format!("/{SERVICE}/{other}"))),
    })
}
