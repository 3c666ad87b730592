//! The node's home directory, laid out as a Cosmos SDK node's:
//! `config/{config.toml,genesis.json,app.toml,priv_validator_key.json,node_key.json}`
//! for CometBFT and veniced, `data/` for CometBFT's databases and our sled store.

use anyhow::{Context, Result, anyhow, bail};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::config::AppConfig;
use crate::genesis::AppGenesis;

pub fn config_dir(home: &Path) -> PathBuf {
    home.join("config")
}
pub fn genesis_path(home: &Path) -> PathBuf {
    home.join("config/genesis.json")
}
pub fn app_toml_path(home: &Path) -> PathBuf {
    home.join("config/app.toml")
}
pub fn store_path(home: &Path) -> PathBuf {
    home.join("data/venice.sled")
}
/// State-sync snapshots this node serves (as the SDK's `data/snapshots`).
pub fn snapshots_path(home: &Path) -> PathBuf {
    home.join("data/snapshots")
}

/// The wasm VM's files: stored code and compiled modules (node-local; a
/// restart reuses the compiled modules instead of compiling again).
pub fn wasm_dir(home: &Path) -> PathBuf {
    home.join("data/wasm")
}

/// Default home: `$VENICE_HOME`, else `~/.venice`.
pub fn default_home() -> PathBuf {
    if let Ok(h) = std::env::var("VENICE_HOME") {
        return PathBuf::from(h);
    }
    std::env::var_os("HOME").map(PathBuf::from).unwrap_or_else(|| PathBuf::from(".")).join(".venice")
}

/// Locate the `cometbft` binary: explicit path, `$VENICE_COMETBFT`, next to
/// this executable, then `$PATH`.
pub fn find_cometbft(explicit: Option<&Path>) -> Result<PathBuf> {
    if let Some(p) = explicit {
        return Ok(p.to_path_buf());
    }
    if let Ok(p) = std::env::var("VENICE_COMETBFT") {
        return Ok(PathBuf::from(p));
    }
    if let Ok(exe) = std::env::current_exe() {
        let sibling = exe.with_file_name("cometbft");
        if sibling.exists() {
            return Ok(sibling);
        }
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .map(|d| d.join("cometbft"))
        .find(|p| p.exists())
        .ok_or_else(|| anyhow!("cometbft not found: pass --cometbft PATH, set VENICE_COMETBFT, or run `make build`"))
}

/// `veniced init`: CometBFT's files (keys included) plus our genesis and
/// app.toml; validators are added by gentxs.
pub fn init(home: &Path, moniker: &str, chain_id: &str, overwrite: bool, cometbft: Option<&Path>) -> Result<()> {
    let genesis = genesis_path(home);
    if genesis.exists() && !overwrite {
        bail!("{} already exists; use --overwrite to replace it", genesis.display());
    }
    if overwrite && genesis.exists() {
        std::fs::remove_file(&genesis)?;
    }
    let bin = find_cometbft(cometbft)?;
    let out = Command::new(&bin).arg("init").arg("--home").arg(home).output().with_context(|| format!("running {}", bin.display()))?;
    if !out.status.success() {
        bail!("cometbft init failed: {}", String::from_utf8_lossy(&out.stderr));
    }

    // No validator yet: the chain's first validators come from gentxs
    // (`veniced genesis gentx` + `collect-gentxs`), as on any SDK chain.
    let app_state = AppGenesis::new_default();

    let mut g: Value = read_json(&genesis)?;
    g["chain_id"] = json!(chain_id);
    g["initial_height"] = json!("1");
    // Vote extensions from the first heights, so their wiring runs from day one.
    g["consensus_params"]["abci"]["vote_extensions_enable_height"] = json!("1");
    g["consensus_params"]["block"]["max_gas"] = json!("100000000");
    // CometBFT takes the set InitChain returns (from the gentxs).
    g["validators"] = json!([]);
    g["app_state"] = serde_json::to_value(&app_state)?;
    write_json(&genesis, &g)?;

    let cfg = AppConfig::default();
    if !app_toml_path(home).exists() || overwrite {
        cfg.save(&app_toml_path(home))?;
    }
    patch_config_toml(home, moniker, &cfg.abci_address)?;
    Ok(())
}

/// Set the moniker and point CometBFT at our ABCI socket.
fn patch_config_toml(home: &Path, moniker: &str, abci: &str) -> Result<()> {
    let path = config_dir(home).join("config.toml");
    let text = std::fs::read_to_string(&path)?;
    let patched: Vec<String> = text
        .lines()
        .map(|l| {
            if l.starts_with("moniker = ") {
                format!("moniker = {:?}", moniker)
            } else if l.starts_with("proxy_app = ") {
                format!("proxy_app = {:?}", abci)
            } else {
                l.to_string()
            }
        })
        .collect();
    std::fs::write(&path, patched.join("\n") + "\n")?;
    Ok(())
}

/// `veniced genesis add-genesis-account ADDR COINS`.
pub fn add_genesis_account(home: &Path, address: &str, coins: &str) -> Result<()> {
    let addr = venice_sdk::Address::parse(address)?;
    let coins = venice_sdk::Coins::parse(coins)?;
    if coins.is_empty() {
        bail!("no coins given");
    }
    let path = genesis_path(home);
    let mut g: Value = read_json(&path)?;
    let mut app = AppGenesis::from_value(g["app_state"].take()).with_context(|| format!("{}", path.display()))?;
    app.add_account(&addr, &coins)?;
    g["app_state"] = serde_json::to_value(&app)?;
    write_json(&path, &g)
}

pub fn read_json(path: &Path) -> Result<Value> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))
}

pub fn write_json(path: &Path, v: &Value) -> Result<()> {
    let tmp = path.with_extension("json.tmp");
    std::fs::write(&tmp, serde_json::to_string_pretty(v)? + "\n")?;
    std::fs::rename(&tmp, path)?;
    Ok(())
}

/// CometBFT's RPC listen address from `config.toml` (`[rpc] laddr`).
pub fn rpc_listen_address(home: &Path) -> Result<String> {
    let path = config_dir(home).join("config.toml");
    let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let doc: toml::Table = text.parse().with_context(|| format!("parsing {}", path.display()))?;
    doc.get("rpc")
        .and_then(|r| r.get("laddr"))
        .and_then(|l| l.as_str())
        .map(String::from)
        .ok_or_else(|| anyhow::anyhow!("{}: no [rpc] laddr", path.display()))
}
