//! `cosmos.auth.v1beta1.Query` over ABCI: `Account` and `Accounts` (a
//! `BaseAccount` or the SDK's vesting account type in an `Any`, as cosmjs's
//! `accountFromAny` expects), `Params`, `AccountInfo`, `Bech32Prefix`.

use cosmos_sdk_proto::Any;
use cosmos_sdk_proto::cosmos::auth::v1beta1 as pb;
use prost::Message;
use venice_sdk::{Address, Ctx, Error, Result};

use crate::state::{self, Account};

pub const SERVICE: &str = "cosmos.auth.v1beta1.Query";

fn base_account(a: &Account) -> pb::BaseAccount {
    pb::BaseAccount {
        address: a.address.to_bech32(),
        pub_key: a.pub_key.as_ref().map(|k| k.to_any()),
        account_number: a.account_number,
        sequence: a.sequence,
    }
}

/// The account as the SDK's query returns it: its vesting type when it
/// has a schedule, else a `BaseAccount`.
fn account_any(ctx: &mut Ctx, a: &Account) -> Result<Any> {
    Ok(match state::vesting(ctx, &a.address)? {
        Some(v) => v.to_any(base_account(a)),
        None => Any { type_url: venice_sdk::paths::BASE_ACCOUNT_URL.into(), value: base_account(a).encode_to_vec() },
    })
}

fn lookup(ctx: &mut Ctx, address: &str) -> Result<Account> {
    let addr = Address::parse(address)?;
    // cosmjs maps this exact wording to "account does not exist" (null).
    state::get_account(ctx, &addr)?.ok_or_else(|| Error::NotFound(format!("rpc error: code = NotFound desc = account {address} not found")))
}

/// Answer `method` of `cosmos.auth.v1beta1.Query`.
pub fn query(ctx: &mut Ctx, method: &str, req: &[u8]) -> Result<Vec<u8>> {
    Ok(match method {
        "Account" => {
            let r = pb::QueryAccountRequest::decode(req)?;
            let acc = lookup(ctx, &r.address)?;
            pb::QueryAccountResponse { account: Some(account_any(ctx, &acc)?) }.encode_to_vec()
        }
        "Accounts" => {
            // Paged by key: `next_key` is the last address's bytes.
            let r = pb::QueryAccountsRequest::decode(req)?;
            let p = r.pagination.unwrap_or_default();
            if p.offset != 0 {
                return Err(Error::InvalidRequest("offset pagination is not supported; use key".into()));
            }
            let limit = if p.limit == 0 { 100 } else { p.limit.min(1000) } as usize;
            let start = (!p.key.is_empty()).then(|| state::account_key_from_bytes(&p.key));
            let mut items = state::all_accounts(ctx, start.as_deref(), limit + 1)?;
            let next_key = if items.len() > limit {
                items.truncate(limit);
                items.last().map(|a| a.address.as_bytes().to_vec()).unwrap_or_default()
            } else {
                Vec::new()
            };
            let total = if p.key.is_empty() && (p.limit == 0 || p.count_total) {
                state::all_accounts(ctx, None, usize::MAX)?.len() as u64
            } else {
                0
            };
            let accounts = items.iter().map(|a| account_any(ctx, a)).collect::<Result<Vec<_>>>()?;
            pb::QueryAccountsResponse {
                accounts,
                pagination: Some(cosmos_sdk_proto::cosmos::base::query::v1beta1::PageResponse { next_key, total }),
            }
            .encode_to_vec()
        }
        "AccountInfo" => {
            let r = pb::QueryAccountInfoRequest::decode(req)?;
            pb::QueryAccountInfoResponse { info: Some(base_account(&lookup(ctx, &r.address)?)) }.encode_to_vec()
        }
        "Params" => pb::QueryParamsResponse { params: Some(state::params(ctx)?.to_proto()) }.encode_to_vec(),
        "Bech32Prefix" => pb::Bech32PrefixResponse { bech32_prefix: venice_sdk::BECH32_PREFIX.into() }.encode_to_vec(),
        "ModuleAccountByName" => {
            let r = pb::QueryModuleAccountByNameRequest::decode(req)?;
            let addr = Address::module(&r.name);
            let acc = state::get_account(ctx, &addr)?
                .ok_or_else(|| Error::NotFound(format!("rpc error: code = NotFound desc = module account {} not found", r.name)))?;
            let m = pb::ModuleAccount { base_account: Some(base_account(&acc)), name: r.name, permissions: vec![] };
            pb::QueryModuleAccountByNameResponse {
                account: Some(Any { type_url: venice_sdk::paths::MODULE_ACCOUNT_URL.into(), value: m.encode_to_vec() }),
            }
            .encode_to_vec()
        }
        other => return Err(Error::UnknownQuery(format!("/{SERVICE}/{other}"))),
    })
}
