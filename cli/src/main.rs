//! `venice`: the command-line client of the Venice chain. Keys live in a
//! local keyring; everything else goes through the CometBFT RPC of a node,
//! in standard Cosmos SDK wire formats. The commands live in `modules/`,
//! one file per chain module; the shared types (addresses, coins, tx
//! building) in venice-types.

mod broadcast;
mod error;
mod hd;
mod input;
mod keyring;
mod modules;
mod offline;
mod output;
mod query;
mod rpc;
#[cfg(test)]
mod testnode;
mod txfile;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::error::{CliError, Result};
use crate::keyring::Backend;
use crate::modules::{QueryCmd, TxCmd, keys::KeysCmd};
use crate::output::OutputFormat;

#[derive(Parser, Debug)]
#[command(name = "venice", version, about = "Venice chain client: keys, transactions and queries")]
struct Cli {
    /// Directory holding the keyrings (default ~/.venice)
    #[arg(long, global = true, env = "VENICE_HOME", value_name = "DIR")]
    home: Option<PathBuf>,
    /// CometBFT RPC address of a node (tcp:// is read as http://)
    #[arg(long, global = true, env = "VENICE_NODE", default_value = rpc::DEFAULT_NODE, value_name = "URL")]
    node: String,
    /// Chain id to sign for (default: the node's, from /status)
    #[arg(long, global = true, env = "VENICE_CHAIN_ID", value_name = "ID")]
    chain_id: Option<String>,
    /// Output format
    #[arg(long, short = 'o', global = true, value_enum, default_value = "text")]
    output: OutputFormat,
    /// Keyring backend: file (encrypted) or test (unencrypted, for scripts)
    #[arg(long, global = true, value_enum, env = "VENICE_KEYRING_BACKEND", default_value = "file")]
    keyring_backend: Backend,
    /// Skip confirmation prompts
    #[arg(long, short = 'y', global = true)]
    yes: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
#[allow(clippy::large_enum_variant)] // parsed once per run; boxing buys nothing
enum Command {
    /// Manage the local keyring
    #[command(subcommand)]
    Keys(KeysCmd),
    /// Sign and broadcast transactions
    #[command(subcommand)]
    Tx(TxCmd),
    /// Query chain state
    #[command(subcommand, visible_alias = "q")]
    Query(QueryCmd),
    /// Show the node's status (network, latest height, app hash, catching up)
    Status,
    /// Offline helpers
    #[command(subcommand)]
    Debug(DebugCmd),
}

#[derive(Subcommand, Debug)]
enum DebugCmd {
    /// The account address of module NAME (sha256(NAME)[..20], as the SDK's
    /// NewModuleAddress), e.g. `inference`: the consumer a data-credential
    /// dataset must name for inference tasks to spend its credentials
    ModuleAddress { name: String },
}

fn home_dir(cli: &Cli) -> Result<PathBuf> {
    if let Some(h) = &cli.home {
        return Ok(h.clone());
    }
    match std::env::var_os("HOME") {
        Some(h) => Ok(PathBuf::from(h).join(".venice")),
        None => Err(CliError::BadFlag { flag: "--home", reason: "HOME is not set; pass --home or set VENICE_HOME".into() }),
    }
}

async fn run(cli: &Cli) -> Result<()> {
    match &cli.command {
        Command::Keys(cmd) => modules::keys::run(cli, cmd),
        Command::Status => modules::status::run(cli).await,
        Command::Query(q) => {
            let value = q.run(cli).await?;
            output::print(cli.output, &value);
            Ok(())
        }
        Command::Tx(t) => t.run(cli).await,
        Command::Debug(DebugCmd::ModuleAddress { name }) => {
            let address = venice_types::Address::module(name).to_bech32();
            output::print(cli.output, &serde_json::json!({ "name": name, "address": address }));
            Ok(())
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("Error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(&cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("Error: {e}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::broadcast::Gas;
    use clap::CommandFactory;

    #[test]
    fn clap_definition_is_valid() {
        Cli::command().debug_assert();
    }

    #[test]
    fn parses_sdk_style_command_lines() {
        let cli = Cli::try_parse_from([
            "venice",
            "tx",
            "bank",
            "send",
            "alice",
            "venice1xyz",
            "1000uvvv",
            "--fees",
            "500uvvv",
            "--gas",
            "auto",
            "--gas-adjustment",
            "1.5",
            "--keyring-backend",
            "test",
            "--output",
            "json",
            "--node",
            "tcp://127.0.0.1:26657",
            "--chain-id",
            "venice-1",
            "-y",
        ])
        .unwrap();
        assert_eq!(cli.keyring_backend, Backend::Test);
        assert_eq!(cli.output, OutputFormat::Json);
        assert!(cli.yes);
        let Command::Tx(TxCmd::Bank(modules::bank::TxCmd::Send { flags, .. })) = &cli.command else {
            panic!("wrong command");
        };
        assert_eq!(flags.gas, Gas::Auto);
        let opts = flags.options(&cli).unwrap();
        assert_eq!(opts.gas_adjustment.to_string(), "1.5");
        assert_eq!(opts.chain_id.as_deref(), Some("venice-1"));
        assert!(opts.wait);

        let cli = Cli::try_parse_from(["venice", "keys", "show", "alice", "-a"]).unwrap();
        assert!(matches!(cli.command, Command::Keys(KeysCmd::Show { address: true, .. })));
        let cli = Cli::try_parse_from(["venice", "keys", "export", "a", "--unarmored-hex", "--unsafe"]).unwrap();
        assert!(matches!(cli.command, Command::Keys(KeysCmd::Export { unarmored_hex: true, unsafe_: true, .. })));
        assert!(Cli::try_parse_from(["venice", "tx", "bank", "send", "a", "b", "1uvvv", "--gas", "x"]).is_err());
        assert!(
            Cli::try_parse_from(["venice", "tx", "bank", "send", "a", "b", "1uvvv", "--fees", "1uvvv", "--gas-prices", "1uvvv"]).is_err(),
            "--fees and --gas-prices exclude each other"
        );
        let cli = Cli::try_parse_from(["venice", "tx", "bank", "send", "a", "b", "1uvvv", "--gas-adjustment", "0"]).unwrap();
        let Command::Tx(TxCmd::Bank(modules::bank::TxCmd::Send { flags, .. })) = &cli.command else { panic!() };
        assert!(flags.options(&cli).is_err());
    }

    #[test]
    fn parses_sdk_staking_command_lines() {
        use crate::modules::staking;
        let cli =
            Cli::try_parse_from(["venice", "tx", "staking", "cancel-unbond", "venicevaloper1v", "5uvvv", "12", "--from", "a"]).unwrap();
        let Command::Tx(TxCmd::Staking(staking::TxCmd::CancelUnbond { creation_height, sender, .. })) = &cli.command else { panic!() };
        assert_eq!((*creation_height, sender.from.as_str()), (12, "a"));
        let cli = Cli::try_parse_from(["venice", "tx", "staking", "edit-validator", "--new-moniker", "m", "--from", "a"]).unwrap();
        let Command::Tx(TxCmd::Staking(staking::TxCmd::EditValidator { edit, .. })) = &cli.command else { panic!() };
        assert_eq!((edit.new_moniker.as_str(), edit.website.as_str()), ("m", staking::DO_NOT_MODIFY));
        for args in [
            &["venice", "tx", "staking", "create-validator", "v.json", "--from", "a", "--sign-mode", "amino-json"][..],
            &["venice", "tx", "staking", "delegate", "venicevaloper1v", "1uvvv", "--from", "a"],
            &["venice", "tx", "staking", "unbond", "venicevaloper1v", "1uvvv", "--from", "a"],
            &["venice", "tx", "staking", "redelegate", "venicevaloper1s", "venicevaloper1d", "1uvvv", "--from", "a"],
            &["venice", "q", "staking", "validators", "--status", "bonded"],
            &["venice", "q", "staking", "delegation", "venice1d", "venicevaloper1v"],
            &["venice", "q", "staking", "delegations-to", "venicevaloper1v"],
            &["venice", "q", "staking", "unbonding-delegations", "venice1d"],
            &["venice", "q", "staking", "redelegations", "venice1d", "--src-validator-addr", "venicevaloper1s"],
            &["venice", "q", "staking", "historical-info", "5"],
            &["venice", "q", "staking", "pool", "--height", "3"],
        ] {
            Cli::try_parse_from(args).unwrap_or_else(|e| panic!("{args:?}: {e}"));
        }
        // The SDK's delegate takes --from, not a positional signer.
        assert!(Cli::try_parse_from(["venice", "tx", "staking", "delegate", "venicevaloper1v", "1uvvv"]).is_err());
    }

    #[test]
    fn parses_wasmd_style_command_lines() {
        use crate::modules::{QueryCmd, wasm, wasm_query};
        let cli = Cli::try_parse_from([
            "venice",
            "tx",
            "wasm",
            "instantiate",
            "1",
            r#"{"a":1}"#,
            "--label",
            "demo",
            "--no-admin",
            "--amount",
            "5uvvv",
            "--from",
            "alice",
            "--gas",
            "auto",
            "-y",
        ])
        .unwrap();
        let Command::Tx(TxCmd::Wasm(wasm::TxCmd::Instantiate { code_id, init, sender, .. })) = &cli.command else { panic!() };
        assert_eq!((*code_id, init.label.as_str(), init.no_admin, init.amount.as_deref()), (1, "demo", true, Some("5uvvv")));
        assert_eq!((sender.from.as_str(), sender.flags.gas), ("alice", Gas::Auto));
        // wasmd insists on one of --admin / --no-admin.
        let base = ["venice", "tx", "wasm", "instantiate", "1", "{}", "--label", "l", "--from", "a"];
        assert!(Cli::try_parse_from(base).is_err());
        assert!(Cli::try_parse_from(base.iter().copied().chain(["--admin", "b", "--no-admin"])).is_err());
        assert!(Cli::try_parse_from(base.iter().copied().chain(["--admin", "b"])).is_ok());

        let cli = Cli::try_parse_from([
            "venice",
            "tx",
            "wasm",
            "instantiate2",
            "1",
            "{}",
            "s1",
            "--label",
            "l",
            "--no-admin",
            "--fix-msg",
            "--hex",
            "--from",
            "a",
        ])
        .unwrap();
        let Command::Tx(TxCmd::Wasm(wasm::TxCmd::Instantiate2 { fix_msg, salt_encoding, .. })) = &cli.command else { panic!() };
        assert!(*fix_msg && salt_encoding.hex);
        for args in [
            &["venice", "tx", "wasm", "store", "c.wasm", "--instantiate-anyof-addresses", "venice1a,venice1b", "--from", "a"][..],
            &["venice", "tx", "wasm", "execute", "venice1c", "{}", "--amount", "1uvvv", "--from", "a"],
            &["venice", "tx", "wasm", "migrate", "venice1c", "2", "{}", "--from", "a"],
            &["venice", "tx", "wasm", "set-contract-admin", "venice1c", "venice1n", "--from", "a"],
            &["venice", "tx", "wasm", "clear-contract-admin", "venice1c", "--from", "a"],
            &["venice", "tx", "model", "transfer", "t1", "venice1r", "--contract", "venice1c", "--from", "a"],
            &["venice", "tx", "credential", "buy", "3", "--contract", "venice1c", "--from", "a"],
            &["venice", "q", "credential", "verify", "venice1h", "3", "--contract", "venice1c"],
            &["venice", "q", "model", "by-hash", "ab", "--contract", "venice1c"],
        ] {
            Cli::try_parse_from(args).unwrap_or_else(|e| panic!("{args:?}: {e}"));
        }
        assert!(
            Cli::try_parse_from([
                "venice",
                "tx",
                "wasm",
                "store",
                "c.wasm",
                "--instantiate-everybody",
                "--instantiate-nobody",
                "--from",
                "a"
            ])
            .is_err()
        );
        let cli = Cli::try_parse_from(["venice", "q", "wasm", "contract-state", "raw", "venice1c", "owner", "--ascii"]).unwrap();
        let Command::Query(QueryCmd::Wasm(wasm_query::QueryCmd::ContractState(wasm_query::StateCmd::Raw { encoding, .. }))) = &cli.command
        else {
            panic!()
        };
        assert!(encoding.ascii);
        for sub in ["code-info 1", "list-code", "list-contract-by-code 1", "contract venice1c", "contract-history venice1c"] {
            let args: Vec<&str> = ["venice", "query", "wasm"].into_iter().chain(sub.split(' ')).collect();
            Cli::try_parse_from(&args).unwrap_or_else(|e| panic!("{sub}: {e}"));
        }
    }
}
