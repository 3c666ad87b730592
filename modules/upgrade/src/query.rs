//! `cosmos.upgrade.v1beta1.Query`: CurrentPlan, AppliedPlan,
//! ModuleVersions (empty: modules here carry no consensus versions yet),
//! Authority. UpgradedConsensusState is IBC's and answers "unknown".

use cosmos_sdk_proto::cosmos::upgrade::v1beta1 as pb;
use prost::Message;
use venice_sdk::{Ctx, Error, Result, gov_authority};

use crate::state;

pub const SERVICE: &str = "cosmos.upgrade.v1beta1.Query";

pub fn query(ctx: &mut Ctx, method: &str, req: &[u8]) -> Result<Vec<u8>> {
    Ok(match method {
        "CurrentPlan" => {
            pb::QueryCurrentPlanRequest::decode(req)?;
            pb::QueryCurrentPlanResponse { plan: state::plan(ctx)?.map(|p| p.to_proto()) }.encode_to_vec()
        }
        "AppliedPlan" => {
            let r = pb::QueryAppliedPlanRequest::decode(req)?;
            // The SDK answers height 0 for a plan never applied.
            pb::QueryAppliedPlanResponse { height: state::done_height(ctx, &r.name)?.unwrap_or(0) as i64 }.encode_to_vec()
        }
        "ModuleVersions" => {
            pb::QueryModuleVersionsRequest::decode(req)?;
            pb::QueryModuleVersionsResponse { module_versions: vec![] }.encode_to_vec()
        }
        "Authority" => {
            pb::QueryAuthorityRequest::decode(req)?;
            pb::QueryAuthorityResponse { address: gov_authority().to_bech32() }.encode_to_vec()
        }
        other => return Err(Error::UnknownQuery(format!("/{SERVICE}/{other}"))),
    })
}
