//! `query ecosystem pool` (`venice.ecosystem.v1.Query`). Grants are paid by
//! proposal: `tx gov draft-proposal --msg-type /venice.ecosystem.v1.MsgGrant`.

use clap::Subcommand;
use serde_json::{Value, json};
use venice_types::ecosystem::{QUERY_POOL, QueryPoolRequest, QueryPoolResponse};

use super::node;
use crate::Cli;
use crate::error::Result;

#[derive(Subcommand, Debug)]
pub enum QueryCmd {
    /// What the ecosystem incentive pool holds, and its address
    Pool {
        #[arg(long)]
        height: Option<u64>,
    },
}

impl QueryCmd {
    pub async fn run(&self, cli: &Cli) -> Result<Value> {
        let node = node(cli)?;
        match self {
            QueryCmd::Pool { height } => {
                let r: QueryPoolResponse = node.query(QUERY_POOL, &QueryPoolRequest {}, *height).await?;
                let pool: Vec<Value> = r.pool.iter().map(|c| json!({ "denom": c.denom, "amount": c.amount })).collect();
                Ok(json!({ "address": r.address, "pool": pool }))
            }
        }
    }
}
