//! `query fees params|split` (`venice.fees.v1.Query`). The params change
//! only by governance: `tx gov draft-proposal --msg-type
//! /venice.fees.v1.MsgUpdateParams`, then `tx gov submit-proposal`.

use clap::Subcommand;
use serde_json::{Value, json};
use venice_types::coin_text::parse_coins;
use venice_types::fees as pb;

use super::node;
use crate::Cli;
use crate::error::{CliError, Result};

#[derive(Subcommand, Debug)]
pub enum QueryCmd {
    /// Fee parameters: the tx and inference fee splits, accepted fee denoms with their minimum gas prices, base fees
    Params {
        #[arg(long)]
        height: Option<u64>,
    },
    /// The current split ratios; with --amount, how a tx fee of that amount splits now
    Split {
        /// A fee to preview, e.g. 1000uvvv
        #[arg(long, value_name = "COINS")]
        amount: Option<String>,
        #[arg(long)]
        height: Option<u64>,
    },
}

fn to_json<T: serde::Serialize>(v: &T) -> Result<Value> {
    serde_json::to_value(v).map_err(|e| CliError::decode("fees response", e.to_string()))
}

impl QueryCmd {
    pub async fn run(&self, cli: &Cli) -> Result<Value> {
        let node = node(cli)?;
        match self {
            QueryCmd::Params { height } => {
                let r: pb::QueryParamsResponse = node.query(pb::QUERY_PARAMS, &pb::QueryParamsRequest {}, *height).await?;
                Ok(json!({ "params": to_json(&r.params.unwrap_or_default())? }))
            }
            QueryCmd::Split { amount, height } => {
                // Checked here first, for the CLI's own error wording.
                let amount = match amount {
                    Some(a) => parse_coins(a, false)?.iter().map(|c| format!("{}{}", c.amount, c.denom)).collect::<Vec<_>>().join(","),
                    None => String::new(),
                };
                let r: pb::QuerySplitResponse = node.query(pb::QUERY_SPLIT, &pb::QuerySplitRequest { amount }, *height).await?;
                Ok(json!({
                    "tx_fee_split": to_json(&r.tx_fee_split.unwrap_or_default())?,
                    "inference_fee_split": to_json(&r.inference_fee_split.unwrap_or_default())?,
                    "tx_fee_preview": to_json(&r.tx_fee_preview)?,
                    "remainder_sink": r.remainder_sink,
                }))
            }
        }
    }
}
