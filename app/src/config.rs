//! `app.toml`: node-local settings of veniced (not consensus rules).

use serde::{Deserialize, Serialize};
use std::path::Path;

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct AppConfig {
    /// Where the ABCI socket server listens (CometBFT's `proxy_app`).
    pub abci_address: String,
    /// This node's mempool minimum gas prices, e.g. "0.0025uvvv".
    pub minimum_gas_prices: String,
    /// gRPC query server address ("" disables it), as the SDK's `grpc.address`.
    pub grpc_address: String,
    /// REST (LCD) gateway address ("" or "off" disables it), as the SDK's
    /// `api.address`.
    pub api_address: String,
    /// Let any web origin call the REST gateway (CORS), as the SDK's
    /// `api.enabled-unsafe-cors`.
    #[serde(alias = "enabled-unsafe-cors")]
    pub enabled_unsafe_cors: bool,
    /// CometBFT's RPC, which the tx and tendermint services (gRPC and REST)
    /// read and broadcast through.
    pub rpc_address: String,
    /// Prometheus metrics address ("" or "off" disables it); CometBFT's own
    /// are on :26660.
    pub metrics_address: String,
    /// Heights kept for past-height queries and proofs (0 = keep all).
    pub pruning_keep_recent: u64,
    /// Take a state-sync snapshot every this many heights (0: never), as
    /// the SDK's `state-sync.snapshot-interval`. It must stay below
    /// `pruning_keep_recent`, or a snapshot's height is pruned while read.
    pub snapshot_interval: u64,
    /// Snapshots kept on disk, as the SDK's `state-sync.snapshot-keep-recent`.
    pub snapshot_keep_recent: u32,
    /// Default tracing filter when RUST_LOG is not set.
    pub log_level: String,
    /// The CosmWasm VM (`[wasm]`, as wasmd's section of app.toml).
    pub wasm: WasmAppConfig,
    /// This validator's inference executor and its sidecar (`[inference]`).
    pub inference: InferenceConfig,
}

/// `[inference]`: where this node's sidecar listens and how long the
/// executor waits for it. Node-local: a missing or slow sidecar only means
/// this validator has no result for a task, never a stalled block.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct InferenceConfig {
    /// The sidecar's `--listen`: "127.0.0.1:26659" or "unix:/path/sock";
    /// "" runs no executor (the node extends its votes with no results).
    pub sidecar_address: String,
    /// Budget of one `Run`, milliseconds (sent to the sidecar, and the
    /// executor gives up a little after it).
    pub run_timeout_ms: u64,
    /// Budget of one `LoadModel` (fetching the model by its URI and
    /// verifying its sha256), and of connecting, milliseconds.
    pub load_timeout_ms: u64,
    /// Runs in flight at once.
    pub max_concurrent_runs: u32,
    /// The only dataset URIs this node fetches for a data-credential task:
    /// those starting with one of these (`"https://data.example.org/"`,
    /// `"file:///srv/datasets/"`), compared after `..` and symbolic links
    /// are resolved, redirects included. Empty: any `file://` or
    /// `http(s)://` URI. A refused URI only means no result from this node.
    pub dataset_uri_prefixes: Vec<String>,
}

impl Default for InferenceConfig {
    fn default() -> Self {
        InferenceConfig {
            sidecar_address: String::new(),
            run_timeout_ms: 2_000,
            load_timeout_ms: 30_000,
            max_concurrent_runs: 4,
            dataset_uri_prefixes: Vec::new(),
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct WasmAppConfig {
    /// In-memory cache of compiled contracts, MiB.
    pub memory_cache_size: u32,
    /// Gas limit of a smart query over ABCI/gRPC.
    pub query_gas_limit: u64,
}

impl Default for WasmAppConfig {
    fn default() -> Self {
        let d = venice_wasm::WasmConfig::default();
        WasmAppConfig { memory_cache_size: d.memory_cache_mib, query_gas_limit: d.smart_query_gas_limit }
    }
}

impl Default for AppConfig {
    fn default() -> Self {
        AppConfig {
            abci_address: "tcp://127.0.0.1:26658".into(),
            minimum_gas_prices: "0.0025uvvv".into(),
            grpc_address: "127.0.0.1:9090".into(),
            api_address: "127.0.0.1:1317".into(),
            enabled_unsafe_cors: false,
            rpc_address: "tcp://127.0.0.1:26657".into(),
            metrics_address: "127.0.0.1:26661".into(),
            pruning_keep_recent: 100_000,
            snapshot_interval: 1000,
            snapshot_keep_recent: 2,
            log_level: "info".into(),
            wasm: WasmAppConfig::default(),
            inference: InferenceConfig::default(),
        }
    }
}

impl AppConfig {
    pub fn load(path: &Path) -> anyhow::Result<Self> {
        if !path.exists() {
            return Ok(AppConfig::default());
        }
        let text = std::fs::read_to_string(path)?;
        let cfg: AppConfig = toml::from_str(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        venice_sdk::DecCoin::parse_list(&cfg.minimum_gas_prices)
            .map_err(|e| anyhow::anyhow!("{}: minimum_gas_prices: {e}", path.display()))?;
        if cfg.snapshot_interval > 0 && cfg.pruning_keep_recent > 0 && cfg.snapshot_interval >= cfg.pruning_keep_recent {
            anyhow::bail!(
                "{}: snapshot_interval ({}) must be below pruning_keep_recent ({})",
                path.display(),
                cfg.snapshot_interval,
                cfg.pruning_keep_recent
            );
        }
        if cfg.inference.max_concurrent_runs == 0 || cfg.inference.run_timeout_ms == 0 || cfg.inference.load_timeout_ms == 0 {
            anyhow::bail!("{}: [inference] run_timeout_ms, load_timeout_ms and max_concurrent_runs must be positive", path.display());
        }
        if let Err(e) = venice_sidecar_client::uris::UriAllowlist::new(&cfg.inference.dataset_uri_prefixes) {
            anyhow::bail!("{}: [inference] dataset_uri_prefixes: {e}", path.display());
        }
        Ok(cfg)
    }

    pub fn save(&self, path: &Path) -> anyhow::Result<()> {
        let header = "# veniced node settings (node-local, not consensus rules)\n";
        std::fs::write(path, format!("{header}{}", toml::to_string_pretty(self)?))?;
        Ok(())
    }

    /// The wasm module's settings, its files under `dir`.
    pub fn wasm_config(&self, dir: std::path::PathBuf) -> venice_wasm::WasmConfig {
        venice_wasm::WasmConfig {
            dir: Some(dir),
            memory_cache_mib: self.wasm.memory_cache_size,
            smart_query_gas_limit: self.wasm.query_gas_limit,
        }
    }

    /// The listen address without the `tcp://` scheme.
    pub fn abci_socket_addr(&self) -> &str {
        self.abci_address.strip_prefix("tcp://").unwrap_or(&self.abci_address)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inference_section_round_trips_and_rejects_zero_budgets() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("app.toml");
        let mut cfg = AppConfig::default();
        assert_eq!(cfg.inference.sidecar_address, "", "no executor unless configured");
        cfg.inference.sidecar_address = "unix:/run/venice/sidecar.sock".into();
        cfg.save(&path).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains("[inference]\nsidecar_address = \"unix:/run/venice/sidecar.sock\""), "{text}");
        assert_eq!(AppConfig::load(&path).unwrap(), cfg);

        // A home written before the section existed loads with its defaults.
        std::fs::write(&path, "log_level = \"info\"\n").unwrap();
        assert_eq!(AppConfig::load(&path).unwrap().inference, InferenceConfig::default());

        std::fs::write(&path, "[inference]\nsidecar_address = \"127.0.0.1:26659\"\nrun_timeout_ms = 0\n").unwrap();
        assert!(AppConfig::load(&path).unwrap_err().to_string().contains("[inference]"));
        std::fs::write(&path, "[inference]\nsidecar = \"x\"\n").unwrap();
        assert!(AppConfig::load(&path).is_err(), "unknown keys are refused");

        std::fs::write(&path, "[inference]\ndataset_uri_prefixes = [\"https://data.example.org/\", \"file:///srv/sets/\"]\n").unwrap();
        assert_eq!(AppConfig::load(&path).unwrap().inference.dataset_uri_prefixes, ["https://data.example.org/", "file:///srv/sets/"]);
        std::fs::write(&path, "[inference]\ndataset_uri_prefixes = [\"/srv/sets\"]\n").unwrap();
        assert!(AppConfig::load(&path).unwrap_err().to_string().contains("\"/srv/sets\" is not a file:/// or http(s):// prefix"));
    }
}
