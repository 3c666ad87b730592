//! `cosmos.mint.v1beta1.Query`: Params, Inflation, AnnualProvisions. The
//! two decimals travel as the SDK sends them: the bytes of the 10^18-scaled
//! integer's text.

use cosmos_sdk_proto::cosmos::mint::v1beta1 as pb;
use prost::Message;
use venice_sdk::{Ctx, Error, Result};

use crate::state;

pub const SERVICE: &str = "cosmos.mint.v1beta1.Query";

pub fn query(ctx: &mut Ctx, method: &str, _req: &[u8]) -> Result<Vec<u8>> {
    Ok(match method {
        "Params" => pb::QueryParamsResponse { params: Some(state::params(ctx)?.to_proto()) }.encode_to_vec(),
        "Inflation" => {
            pb::QueryInflationResponse { inflation: state::minter(ctx)?.inflation.to_atto_string().into_bytes() }.encode_to_vec()
        }
        "AnnualProvisions" => {
            pb::QueryAnnualProvisionsResponse { annual_provisions: state::minter(ctx)?.annual_provisions.to_atto_string().into_bytes() }
                .encode_to_vec()
        }
        other => return Err(Error::UnknownQuery(format!("/{SERVICE}/{other}"))),
    })
}
