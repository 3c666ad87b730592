//! `venice.ecosystem.v1.Query`: Pool.

use prost::Message;
use venice_sdk::{Ctx, Error, Result};

use crate::proto::{QUERY_SERVICE, QueryPoolRequest, QueryPoolResponse};
use crate::{Ecosystem, pool_address};

pub const SERVICE: &str = QUERY_SERVICE;

pub fn query(e: &Ecosystem, ctx: &mut Ctx, method: &str, req: &[u8]) -> Result<Vec<u8>> {
    Ok(match method {
        "Pool" => {
            QueryPoolRequest::decode(req)?;
            let pool = e.bank.all_balances(ctx, &pool_address())?.iter().map(|c| c.to_proto()).collect();
            QueryPoolResponse { address: pool_address().to_bech32(), pool }.encode_to_vec()
        }
        other => return Err(Error::UnknownQuery(format!("/{SERVICE}/{other}"))),
    })
}
