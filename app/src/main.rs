//! `veniced`: init a home, edit genesis, start the ABCI server.

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{Context, Result, anyhow};
use clap::{Parser, Subcommand};
use tracing::info;

use veniced::abci::AbciApp;
use veniced::config::AppConfig;
use veniced::{App, home};

#[derive(Parser)]
#[command(name = "veniced", version, about = "Venice chain node (ABCI 2.0 application for CometBFT v0.38)")]
struct Cli {
    /// Node home directory (default: $VENICE_HOME or ~/.venice)
    #[arg(long, global = true)]
    home: Option<PathBuf>,
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Create the node's home: CometBFT config and keys, genesis, app.toml
    Init {
        moniker: String,
        #[arg(long, default_value = "venice-local-1")]
        chain_id: String,
        #[arg(long)]
        overwrite: bool,
        /// Path to the cometbft binary used for `cometbft init`
        #[arg(long)]
        cometbft: Option<PathBuf>,
    },
    /// Edit or check genesis.json
    Genesis {
        #[command(subcommand)]
        cmd: GenesisCmd,
    },
    /// Run the ABCI server (start CometBFT beside it)
    Start {
        /// Listen address; overrides app.toml's abci_address
        #[arg(long)]
        abci: Option<String>,
        /// gRPC query server address, or "off"; overrides app.toml's grpc_address
        #[arg(long)]
        grpc: Option<String>,
        /// Prometheus metrics address, or "off"; overrides app.toml's metrics_address
        #[arg(long)]
        metrics: Option<String>,
    },
}

#[derive(Subcommand)]
enum GenesisCmd {
    /// Add an account with coins, e.g. `add-genesis-account venice1... 1000000uvvv`
    AddGenesisAccount { address: String, coins: String },
    /// Check that genesis.json initialises a chain (runs InitChain on a scratch store)
    Validate,
    /// Write the state at a committed height as a genesis.json (stop the node first)
    Export {
        /// Height to export (default: the last committed one)
        #[arg(long)]
        height: Option<u64>,
        /// Chain id of the new chain (default: this one's)
        #[arg(long)]
        chain_id: Option<String>,
        /// Write to this file instead of standard output
        #[arg(long)]
        output_document: Option<PathBuf>,
    },
}

fn main() {
    let cli = Cli::parse();
    let home = cli.home.clone().unwrap_or_else(home::default_home);
    if let Err(e) = run(cli, home) {
        eprintln!("Error: {e:#}");
        std::process::exit(1);
    }
}

fn run(cli: Cli, home: PathBuf) -> Result<()> {
    match cli.cmd {
        Cmd::Init { moniker, chain_id, overwrite, cometbft } => {
            home::init(&home, &moniker, &chain_id, overwrite, cometbft.as_deref())?;
            println!("initialised {} for chain {chain_id}", home.display());
            Ok(())
        }
        Cmd::Genesis { cmd: GenesisCmd::AddGenesisAccount { address, coins } } => home::add_genesis_account(&home, &address, &coins),
        Cmd::Genesis { cmd: GenesisCmd::Validate } => {
            let g = home::read_json(&home::genesis_path(&home))?;
            let dir = tempfile_dir()?;
            let store = venice_store::Store::open(&dir.join("db"), Default::default())?;
            let app = App::new(store, vec![]);
            let req = veniced::genesis::init_chain_request(&g)?;
            app.init_chain(req)?;
            std::fs::remove_dir_all(&dir).ok();
            println!("genesis is valid");
            Ok(())
        }
        Cmd::Genesis { cmd: GenesisCmd::Export { height, chain_id, output_document } } => {
            let g = veniced::export::export(&home, height, chain_id.as_deref())?;
            match output_document {
                Some(path) => home::write_json(&path, &g)?,
                None => println!("{}", serde_json::to_string_pretty(&g)?),
            }
            Ok(())
        }
        Cmd::Start { abci, grpc, metrics } => start(&home, abci, grpc, metrics),
    }
}

fn tempfile_dir() -> Result<PathBuf> {
    let d = std::env::temp_dir().join(format!("veniced-validate-{}", std::process::id()));
    std::fs::create_dir_all(&d)?;
    Ok(d)
}

fn start(home: &std::path::Path, abci: Option<String>, grpc: Option<String>, metrics: Option<String>) -> Result<()> {
    let cfg = AppConfig::load(&home::app_toml_path(home))?;
    let filter =
        tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(&cfg.log_level));
    // Colour only on a terminal: operators' log files stay plain text.
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    tracing_subscriber::fmt().with_env_filter(filter).with_ansi(ansi).with_writer(std::io::stderr).init();

    let min_gas_prices = venice_sdk::DecCoin::parse_list(&cfg.minimum_gas_prices).with_context(|| "app.toml minimum_gas_prices")?;
    std::fs::create_dir_all(home.join("data"))?;
    let store = venice_store::Store::open(&home::store_path(home), venice_store::StoreOptions { keep_recent: cfg.pruning_keep_recent })
        .with_context(|| "opening the store")?;
    let last = store.last_commit();
    info!(height = last.height, app_hash = %hex::encode_upper(last.app_hash), "store opened");
    let modules = veniced::Modules::with_wasm(cfg.wasm_config(home::wasm_dir(home)));
    let app = Arc::new(App::with_modules(store, min_gas_prices, modules));

    let addr = abci.unwrap_or_else(|| cfg.abci_address.clone());
    let addr = addr.strip_prefix("tcp://").unwrap_or(&addr).to_string();
    let server = tendermint_abci::ServerBuilder::new(1 << 20)
        .bind(addr.as_str(), AbciApp(app.clone()))
        // tendermint-abci's error is not Sync, so anyhow cannot hold it as a source.
        .map_err(|e| anyhow!("binding the ABCI server to {addr}: {e}"))?;
    info!(%addr, "ABCI server listening");
    std::thread::Builder::new().name("abci".into()).spawn(move || {
        if let Err(e) = server.listen() {
            eprintln!("veniced: ABCI server stopped: {e}");
            std::process::exit(1);
        }
    })?;

    let grpc = grpc.unwrap_or_else(|| cfg.grpc_address.clone());
    if !grpc.is_empty() && grpc != "off" {
        veniced::grpc::spawn(app.clone(), grpc.strip_prefix("tcp://").unwrap_or(&grpc));
    }
    let metrics = metrics.unwrap_or_else(|| cfg.metrics_address.clone());
    if !metrics.is_empty() && metrics != "off" {
        veniced::metrics::spawn(app.clone(), metrics.strip_prefix("tcp://").unwrap_or(&metrics));
    }

    // Clean shutdown: wait for a signal, then for any commit in progress.
    let mut signals = signal_hook::iterator::Signals::new([signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM])?;
    let sig = signals.forever().next();
    info!(?sig, "shutting down");
    app.shutdown();
    if let Err(e) = app.store.wait_indexed() {
        tracing::error!(error = %e, "store index on shutdown");
    }
    info!(height = app.store.last_commit().height, "stopped");
    Ok(())
}
