//! `venice.airdrop.v1.Query`: Params, Info, ClaimRecord.

use prost::Message;
use venice_sdk::{Address, Coin, Ctx, Error, Result};

use crate::proto as pb;
use crate::{Airdrop, module_address, state};

pub const SERVICE: &str = "venice.airdrop.v1.Query";

fn params_pb(p: &state::Params) -> pb::Params {
    pb::Params {
        merkle_root: p.merkle_root.map(hex::encode).unwrap_or_default(),
        total: Some(Coin::new(p.denom.clone(), p.total).to_proto()),
        deadline: Some(prost_types::Timestamp { seconds: p.deadline.secs, nanos: p.deadline.nanos as i32 }),
    }
}

pub fn query(a: &Airdrop, ctx: &mut Ctx, method: &str, req: &[u8]) -> Result<Vec<u8>> {
    let p = state::params(ctx)?;
    Ok(match method {
        "Params" => {
            pb::QueryParamsRequest::decode(req)?;
            pb::QueryParamsResponse { params: Some(params_pb(&p)) }.encode_to_vec()
        }
        "Info" => {
            pb::QueryInfoRequest::decode(req)?;
            let held = a.bank.balance(ctx, &module_address(), &p.denom)?;
            pb::QueryInfoResponse {
                params: Some(params_pb(&p)),
                claimed: Some(Coin::new(p.denom.clone(), state::claimed_total(ctx)?).to_proto()),
                remaining: Some(Coin::new(p.denom.clone(), held).to_proto()),
                swept: state::swept(ctx)?,
            }
            .encode_to_vec()
        }
        "ClaimRecord" => {
            let r = pb::QueryClaimRecordRequest::decode(req)?;
            let addr = Address::parse(&r.address)?;
            let got = state::claimed(ctx, &addr)?;
            pb::QueryClaimRecordResponse {
                address: addr.to_bech32(),
                claimed: got.is_some(),
                amount: Some(Coin::new(p.denom, got.unwrap_or(0)).to_proto()),
            }
            .encode_to_vec()
        }
        other => return Err(Error::UnknownQuery(format!("/{SERVICE}/{other}"))),
    })
}
