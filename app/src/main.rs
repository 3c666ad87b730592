//! `veniced`: init a home, edit genesis, start the ABCI server.

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{Context, Result, anyhow};
use clap::{Parser, Subcommand};
use tracing::{info, warn};

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
#[allow(clippy::large_enum_variant)] // parsed once per run; boxing buys nothing
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
        /// REST (LCD) gateway address, or "off"; overrides app.toml's api_address
        #[arg(long = "api-address")]
        api_address: Option<String>,
        /// CometBFT RPC address the tx and tendermint services use; overrides app.toml's rpc_address
        #[arg(long = "rpc-address")]
        rpc_address: Option<String>,
        /// Allow any web origin to call the REST gateway (CORS); overrides app.toml's enabled_unsafe_cors
        #[arg(long = "enabled-unsafe-cors")]
        enabled_unsafe_cors: bool,
    },
    /// CometBFT key helpers, as the SDK's `comet` commands
    #[command(visible_aliases = ["cometbft", "tendermint"])]
    Comet {
        #[command(subcommand)]
        cmd: CometCmd,
    },
    /// Check every module's invariants (supply, pools, shares...) at a
    /// committed height; exits non-zero if any is broken (stop the node first)
    Invariants {
        /// Height to check (default: the last committed one)
        #[arg(long)]
        height: Option<u64>,
    },
    /// Write chain-registry chain.json / assetlist.json and Keplr's chain info from genesis and config
    ChainInfo {
        /// Folder for the files (default: HOME/config/chain-info)
        #[arg(long)]
        output_dir: Option<PathBuf>,
        #[arg(long, default_value = "venice")]
        chain_name: String,
        #[arg(long, default_value = "Venice")]
        pretty_name: String,
        /// mainnet, testnet or devnet
        #[arg(long, default_value = "devnet")]
        network_type: String,
        /// Public CometBFT RPC URL (default: this node's RPC listen address)
        #[arg(long)]
        rpc: Option<String>,
        /// Public REST (LCD) URL (default: app.toml's api_address)
        #[arg(long)]
        rest: Option<String>,
        /// Public gRPC address (default: app.toml's grpc_address)
        #[arg(long)]
        grpc: Option<String>,
    },
}

#[derive(Subcommand)]
enum CometCmd {
    /// This node's consensus public key as JSON, for `venice tx staking create-validator`'s file
    ShowValidator,
}

#[derive(Subcommand)]
#[allow(clippy::large_enum_variant)]
enum GenesisCmd {
    /// Add an account with coins, e.g. `add-genesis-account venice1... 1000000uvvv`
    AddGenesisAccount { address: String, coins: String },
    /// Create a genesis transaction: a MsgCreateValidator self-delegating AMOUNT
    /// from KEY_NAME (of the `venice keys` keyring) for this node's consensus key
    Gentx(veniced::gentx::GentxArgs),
    /// Split the initial supply per a tokenomics.toml (ecosystem pool, vesting
    /// team and investor accounts, airdrop, community pool) into genesis.json;
    /// writes each airdrop claimant's proof to config/airdrop-proofs.json
    Allocate {
        #[arg(long)]
        config: PathBuf,
        /// Where the airdrop proofs go (default: next to genesis.json)
        #[arg(long)]
        proofs_out: Option<PathBuf>,
    },
    /// Put every gentx of config/gentx (or --gentx-dir) into genesis.json
    CollectGentxs {
        #[arg(long)]
        gentx_dir: Option<PathBuf>,
    },
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
            let validators = veniced::gentx::check_genesis(&g)?;
            println!("genesis is valid ({} validators)", validators.len());
            Ok(())
        }
        Cmd::Genesis { cmd: GenesisCmd::Gentx(args) } => {
            let path = veniced::gentx::gentx(&home, &args)?;
            eprintln!("Genesis transaction written to {:?}", path.display().to_string());
            Ok(())
        }
        Cmd::Genesis { cmd: GenesisCmd::Allocate { config, proofs_out } } => {
            let (proofs, a) = veniced::tokenomics::run(&home::genesis_path(&home), &config, proofs_out.as_deref())?;
            println!(
                "{}",
                serde_json::json!({
                    "total": a.total().to_string(), "ecosystem": a.ecosystem.to_string(),
                    "team": a.team.iter().map(|g| g.0.amount).sum::<u128>().to_string(),
                    "investors": a.investors.iter().map(|g| g.0.amount).sum::<u128>().to_string(),
                    "airdrop": a.airdrop.iter().map(|g| g.amount).sum::<u128>().to_string(),
                    "community_pool": a.growth.to_string(), "proofs": proofs,
                })
            );
            Ok(())
        }
        Cmd::Genesis { cmd: GenesisCmd::CollectGentxs { gentx_dir } } => {
            let peers = veniced::gentx::collect_gentxs(&home, gentx_dir.as_deref())?;
            println!("{}", serde_json::json!({"moniker_peers": peers, "genesis": home::genesis_path(&home)}));
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
        Cmd::Comet { cmd: CometCmd::ShowValidator } => {
            println!("{}", serde_json::to_string(&veniced::gentx::consensus_key(&home)?)?);
            Ok(())
        }
        Cmd::Invariants { height } => {
            let (height, list) = veniced::invariants::check(&home, height)?;
            print!("{}", veniced::invariants::render(height, &list));
            let broken = list.iter().filter(|i| i.broken.is_some()).count();
            if broken > 0 {
                return Err(anyhow!("{broken} invariant(s) broken at height {height}"));
            }
            Ok(())
        }
        Cmd::Start { abci, grpc, metrics, api_address, rpc_address, enabled_unsafe_cors } => {
            let mut cfg = AppConfig::load(&home::app_toml_path(&home))?;
            // Flags override app.toml.
            for (flag, field) in [(abci, &mut cfg.abci_address), (grpc, &mut cfg.grpc_address), (metrics, &mut cfg.metrics_address)] {
                if let Some(v) = flag {
                    *field = v;
                }
            }
            for (flag, field) in [(api_address, &mut cfg.api_address), (rpc_address, &mut cfg.rpc_address)] {
                if let Some(v) = flag {
                    *field = v;
                }
            }
            cfg.enabled_unsafe_cors |= enabled_unsafe_cors;
            start(&home, cfg)
        }
        Cmd::ChainInfo { output_dir, chain_name, pretty_name, network_type, rpc, rest, grpc } => {
            let cfg = AppConfig::load(&home::app_toml_path(&home))?;
            let rpc = match rpc {
                Some(r) => r,
                None => home::rpc_listen_address(&home)?.replace("tcp://", "http://"),
            };
            let input = veniced::chain_info::ChainInfoInput {
                chain_name,
                pretty_name,
                network_type,
                rpc,
                rest: rest.unwrap_or_else(|| format!("http://{}", cfg.api_address.trim_start_matches("tcp://"))),
                grpc: grpc.unwrap_or(cfg.grpc_address.clone()),
                min_gas_price: cfg.minimum_gas_prices.clone(),
            };
            let files = veniced::chain_info::build(&home::read_json(&home::genesis_path(&home))?, &input)?;
            let dir = output_dir.unwrap_or_else(|| home::config_dir(&home).join("chain-info"));
            for path in veniced::chain_info::write(&dir, &files)? {
                println!("{}", path.display());
            }
            Ok(())
        }
    }
}

fn start(home: &std::path::Path, cfg: AppConfig) -> Result<()> {
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
    let snapshots = veniced::snapshots::Snapshots::new(home::snapshots_path(home), cfg.snapshot_interval, cfg.snapshot_keep_recent);
    info!(interval = cfg.snapshot_interval, keep_recent = cfg.snapshot_keep_recent, "state-sync snapshots");
    let modules = veniced::Modules::with_wasm(cfg.wasm_config(home::wasm_dir(home)));
    let app = Arc::new(App::with_modules(store, min_gas_prices, modules).with_snapshots(snapshots));

    let addr = cfg.abci_socket_addr().to_string();
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

    // This validator's inference executor, beside its sidecar; without it
    // the node still validates, with no inference results of its own.
    if !cfg.inference.sidecar_address.is_empty() {
        match veniced::executor::consensus_address(home) {
            Ok(addr) => {
                veniced::executor::Executor::start(app.clone(), addr, cfg.inference.clone())
                    .with_context(|| "starting the inference executor")?;
            }
            Err(e) => warn!(error = %format!("{e:#}"), "no inference executor: this node has no consensus key"),
        }
    }

    let on = |a: &str| !a.is_empty() && a != "off";
    let bare = |a: &str| a.strip_prefix("tcp://").unwrap_or(a).to_string();
    if on(&cfg.grpc_address) {
        veniced::grpc::spawn(app.clone(), &bare(&cfg.grpc_address), &cfg.rpc_address);
    }
    if on(&cfg.api_address) {
        veniced::rest::spawn(app.clone(), &bare(&cfg.api_address), &cfg.rpc_address, cfg.enabled_unsafe_cors);
    }
    if on(&cfg.metrics_address) {
        veniced::metrics::spawn(app.clone(), &bare(&cfg.metrics_address));
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
