//! `status`: CometBFT's `/status`.

use serde_json::{Value, json};

use crate::Cli;
use crate::error::{CliError, Result};
use crate::output::{self, OutputFormat};
use crate::rpc::Node;

/// Prints the full `/status` result (JSON) or its summary (text).
pub async fn run(cli: &Cli) -> Result<()> {
    let node = super::node(cli)?;
    let (full, summary) = status(&node).await?;
    match cli.output {
        OutputFormat::Json => output::print(cli.output, &full),
        OutputFormat::Text => output::print(cli.output, &summary),
    }
    Ok(())
}

/// CometBFT's `/status` result in full (JSON) and a summary (text).
pub async fn status(node: &Node) -> Result<(Value, Value)> {
    let s = node.status().await?;
    let full = serde_json::to_value(&s).map_err(|e| CliError::decode("status", e))?;
    let summary = json!({
        "network": s.node_info.network.to_string(),
        "moniker": s.node_info.moniker.to_string(),
        "node_id": s.node_info.id.to_string(),
        "version": s.node_info.version.to_string(),
        "latest_block_height": s.sync_info.latest_block_height.value().to_string(),
        "latest_block_hash": s.sync_info.latest_block_hash.to_string(),
        "latest_app_hash": s.sync_info.latest_app_hash.to_string(),
        "latest_block_time": s.sync_info.latest_block_time.to_rfc3339(),
        "catching_up": s.sync_info.catching_up,
        "validator_address": s.validator_info.address.to_string(),
        "voting_power": s.validator_info.power.value().to_string(),
    });
    Ok((full, summary))
}
