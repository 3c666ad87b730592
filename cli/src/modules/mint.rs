//! `query mint inflation|annual-provisions|params` (`cosmos.mint.v1beta1.Query`).

use clap::Subcommand;
use cosmos_sdk_proto::cosmos::mint::v1beta1 as pb;
use serde_json::{Value, json};

use super::distribution::dec_text;
use super::node;
use crate::Cli;
use crate::error::Result;

const QUERY: &str = "/cosmos.mint.v1beta1.Query/";

#[derive(Subcommand, Debug)]
pub enum QueryCmd {
    /// The current annual inflation rate
    Inflation {
        #[arg(long)]
        height: Option<u64>,
    },
    /// The current annual provisions (coins minted per year at this rate)
    #[command(name = "annual-provisions")]
    AnnualProvisions {
        #[arg(long)]
        height: Option<u64>,
    },
    /// Mint module parameters
    Params {
        #[arg(long)]
        height: Option<u64>,
    },
}

/// The SDK sends these decimals as the bytes of their scaled-integer text.
fn bytes_dec(b: &[u8]) -> String {
    dec_text(&String::from_utf8_lossy(b))
}

impl QueryCmd {
    pub async fn run(&self, cli: &Cli) -> Result<Value> {
        let node = node(cli)?;
        match self {
            QueryCmd::Inflation { height } => {
                let r: pb::QueryInflationResponse =
                    node.query(&format!("{QUERY}Inflation"), &pb::QueryInflationRequest {}, *height).await?;
                Ok(json!({ "inflation": bytes_dec(&r.inflation) }))
            }
            QueryCmd::AnnualProvisions { height } => {
                let r: pb::QueryAnnualProvisionsResponse =
                    node.query(&format!("{QUERY}AnnualProvisions"), &pb::QueryAnnualProvisionsRequest {}, *height).await?;
                Ok(json!({ "annual_provisions": bytes_dec(&r.annual_provisions) }))
            }
            QueryCmd::Params { height } => {
                let r: pb::QueryParamsResponse = node.query(&format!("{QUERY}Params"), &pb::QueryParamsRequest {}, *height).await?;
                let p = r.params.unwrap_or_default();
                Ok(json!({ "params": {
                    "mint_denom": p.mint_denom,
                    "inflation_rate_change": dec_text(&p.inflation_rate_change),
                    "inflation_max": dec_text(&p.inflation_max),
                    "inflation_min": dec_text(&p.inflation_min),
                    "goal_bonded": dec_text(&p.goal_bonded),
                    "blocks_per_year": p.blocks_per_year.to_string(),
                }}))
            }
        }
    }
}
