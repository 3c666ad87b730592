//! `query upgrade plan|applied|authority` (`cosmos.upgrade.v1beta1.Query`).

use clap::Subcommand;
use cosmos_sdk_proto::cosmos::upgrade::v1beta1 as pb;
use serde_json::{Value, json};

use super::node;
use crate::Cli;
use crate::error::{CliError, Result};

const QUERY: &str = "/cosmos.upgrade.v1beta1.Query/";

#[derive(Subcommand, Debug)]
pub enum QueryCmd {
    /// The scheduled upgrade plan (fails when none is scheduled, as the SDK's CLI)
    Plan {
        #[arg(long)]
        height: Option<u64>,
    },
    /// The height a named plan was applied at (fails when it never was)
    Applied {
        name: String,
        #[arg(long)]
        height: Option<u64>,
    },
    /// The address allowed to schedule and cancel upgrades (the gov module account)
    Authority,
}

/// A plan as the SDK's CLI prints it (proto JSON, 64-bit integers as strings).
pub fn plan_json(p: &pb::Plan) -> Value {
    json!({
        "name": p.name,
        "time": "0001-01-01T00:00:00Z",
        "height": p.height.to_string(),
        "info": p.info,
        "upgraded_client_state": null,
    })
}

impl QueryCmd {
    pub async fn run(&self, cli: &Cli) -> Result<Value> {
        let node = node(cli)?;
        match self {
            QueryCmd::Plan { height } => {
                let r: pb::QueryCurrentPlanResponse =
                    node.query(&format!("{QUERY}CurrentPlan"), &pb::QueryCurrentPlanRequest {}, *height).await?;
                let plan = r.plan.ok_or_else(|| CliError::NothingFound("no upgrade scheduled".into()))?;
                Ok(plan_json(&plan))
            }
            QueryCmd::Applied { name, height } => {
                let r: pb::QueryAppliedPlanResponse =
                    node.query(&format!("{QUERY}AppliedPlan"), &pb::QueryAppliedPlanRequest { name: name.clone() }, *height).await?;
                if r.height == 0 {
                    return Err(CliError::NothingFound(format!("no upgrade found: {name} has not been applied")));
                }
                Ok(json!({ "name": name, "height": r.height.to_string() }))
            }
            QueryCmd::Authority => {
                let r: pb::QueryAuthorityResponse = node.query(&format!("{QUERY}Authority"), &pb::QueryAuthorityRequest {}, None).await?;
                Ok(json!({ "address": r.address }))
            }
        }
    }
}
