//! `cosmos.auth.v1beta1.Query` over ABCI: `Account` (a `BaseAccount` in an
//! `Any`, as cosmjs expects), `Params`, `AccountInfo`, `Bech32Prefix`.

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
            let acc = base_account(&lookup(ctx, &r.address)?);
            pb::QueryAccountResponse {
                account: Some(Any { type_url: venice_sdk::paths::BASE_ACCOUNT_URL.into(), value: acc.encode_to_vec() }),
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
