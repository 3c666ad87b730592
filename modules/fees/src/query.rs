//! `venice.fees.v1.Query`: Params, Split (the ratios, and how a tx fee of
//! a given amount would split now).

use prost::Message;
use venice_sdk::{Coins, Ctx, Error, Result};
use venice_types::fees as pb;

use crate::split::{self, REMAINDER_SINK};
use crate::state;

pub const SERVICE: &str = "venice.fees.v1.Query";

pub fn query(ctx: &mut Ctx, method: &str, req: &[u8]) -> Result<Vec<u8>> {
    let p = state::params(ctx)?;
    Ok(match method {
        "Params" => {
            pb::QueryParamsRequest::decode(req)?;
            pb::QueryParamsResponse { params: Some(p.to_proto()) }.encode_to_vec()
        }
        "Split" => {
            let r = pb::QuerySplitRequest::decode(req)?;
            let amount = if r.amount.trim().is_empty() { Coins::empty() } else { Coins::parse(&r.amount)? };
            let legs = split::split(&amount, &p.tx_fee_split, None, &[])?;
            pb::QuerySplitResponse {
                tx_fee_split: Some(p.tx_fee_split.to_proto()),
                inference_fee_split: Some(p.inference_fee_split.to_proto()),
                tx_fee_preview: legs
                    .iter()
                    .map(|l| pb::FeeLeg { leg: l.kind.name().into(), recipient: l.recipient.address(), amount: l.amount.to_proto() })
                    .collect(),
                remainder_sink: REMAINDER_SINK.into(),
            }
            .encode_to_vec()
        }
        other => return Err(Error::UnknownQuery(format!("/{SERVICE}/{other}"))),
    })
}
