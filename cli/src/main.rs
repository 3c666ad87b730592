//! `venice`: the command-line client of the Venice chain. Keys live in a
//! local keyring; everything else goes through the CometBFT RPC of a node,
//! in standard Cosmos SDK wire formats.

mod broadcast;
mod coins;
mod error;
mod hd;
mod input;
mod keyring;
mod output;
mod query;
mod rpc;
#[cfg(test)]
mod testnode;
mod tx;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};
use serde_json::{Value, json};

use crate::broadcast::{BroadcastMode, Gas, TxOptions};
use crate::error::{CliError, Result};
use crate::keyring::{Backend, KeyRecord, Keyring};
use crate::output::OutputFormat;
use crate::rpc::Node;

#[derive(Parser, Debug)]
#[command(
    name = "venice",
    version,
    about = "Venice chain client: keys, transactions and queries"
)]
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
    #[arg(
        long,
        global = true,
        value_enum,
        env = "VENICE_KEYRING_BACKEND",
        default_value = "file"
    )]
    keyring_backend: Backend,
    /// Skip confirmation prompts
    #[arg(long, short = 'y', global = true)]
    yes: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
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
}

#[derive(Args, Debug, Clone)]
struct HdArgs {
    /// Account number in the HD path m/44'/118'/ACCOUNT'/0/INDEX
    #[arg(long, default_value_t = 0)]
    account: u32,
    /// Address index in the HD path m/44'/118'/ACCOUNT'/0/INDEX
    #[arg(long, default_value_t = 0)]
    index: u32,
    /// Full HD path (overrides --account and --index)
    #[arg(long, value_name = "PATH")]
    hd_path: Option<String>,
}

impl HdArgs {
    fn path(&self) -> String {
        self.hd_path
            .clone()
            .unwrap_or_else(|| hd::hd_path(self.account, self.index))
    }
}

#[derive(Subcommand, Debug)]
enum KeysCmd {
    /// Create a key from a new 24-word mnemonic (printed once), or recover one with --recover
    Add {
        name: String,
        /// Read an existing mnemonic from stdin instead of generating one
        #[arg(long)]
        recover: bool,
        #[command(flatten)]
        hd: HdArgs,
    },
    /// Recover a key from a mnemonic read from stdin
    Recover {
        name: String,
        #[command(flatten)]
        hd: HdArgs,
    },
    /// List all keys
    List {
        /// Print only the names, one per line
        #[arg(long, short = 'n')]
        list_names: bool,
    },
    /// Show a key (by name or address)
    Show {
        name: String,
        /// Print only the address
        #[arg(long, short = 'a')]
        address: bool,
        /// Print only the public key
        #[arg(long, short = 'p')]
        pubkey: bool,
    },
    /// Delete a key
    Delete { name: String },
    /// Export a private key (only --unarmored-hex --unsafe is supported)
    Export {
        name: String,
        /// Print the raw private key as hex
        #[arg(long)]
        unarmored_hex: bool,
        /// Acknowledge that the exported key is unencrypted
        #[arg(long = "unsafe")]
        unsafe_: bool,
    },
}

#[derive(Subcommand, Debug)]
#[allow(clippy::large_enum_variant)] // parsed once per run; boxing buys nothing
enum TxCmd {
    /// Bank module transactions
    #[command(subcommand)]
    Bank(TxBankCmd),
    /// Decode a transaction (TxRaw bytes as base64 or hex) to JSON
    Decode {
        /// The encoded transaction
        tx: String,
    },
}

#[derive(Subcommand, Debug)]
enum TxBankCmd {
    /// Send coins: FROM (key name or address in the keyring) to TO_ADDRESS
    Send {
        from: String,
        to_address: String,
        /// Coins, e.g. 1000uvvv or 1000uvvv,5ufoo
        amount: String,
        #[command(flatten)]
        flags: TxFlags,
    },
    /// Send AMOUNT to each of several addresses in one transaction
    #[command(name = "multi-send")]
    MultiSend {
        /// Key name or address in the keyring
        from: String,
        /// Recipient addresses, then the amount (e.g. 1000uvvv)
        #[arg(num_args = 2.., required = true, value_name = "TO_ADDRESS... AMOUNT")]
        to_and_amount: Vec<String>,
        /// Divide AMOUNT equally among the recipients instead of sending it to each
        #[arg(long)]
        split: bool,
        #[command(flatten)]
        flags: TxFlags,
    },
}

#[derive(Args, Debug, Clone)]
struct TxFlags {
    /// Fee to pay, e.g. 500uvvv
    #[arg(long, value_name = "COINS", conflicts_with = "gas_prices")]
    fees: Option<String>,
    /// Gas limit, or "auto" to estimate by simulation
    #[arg(long, default_value_t = Gas::Fixed(broadcast::DEFAULT_GAS), value_name = "N|auto")]
    gas: Gas,
    /// Multiplier applied to the simulated gas with --gas auto
    #[arg(long, default_value = "1.3", value_name = "DEC")]
    gas_adjustment: String,
    /// Gas prices to compute the fee from when --fees is absent, e.g. 0.025uvvv
    #[arg(long, value_name = "DECCOINS")]
    gas_prices: Option<String>,
    /// Memo
    #[arg(long, default_value = "")]
    memo: String,
    /// Block height after which the transaction is invalid (0: none)
    #[arg(long, default_value_t = 0)]
    timeout_height: u64,
    /// Override the signer's sequence (default: from the chain)
    #[arg(long, short = 's')]
    sequence: Option<u64>,
    /// Override the signer's account number (default: from the chain)
    #[arg(long, short = 'a')]
    account_number: Option<u64>,
    /// sync: return after CheckTx (then wait for the block); block: broadcast_tx_commit
    #[arg(long, short = 'b', value_enum, default_value = "sync")]
    broadcast_mode: BroadcastMode,
    /// With sync broadcast, return right after CheckTx instead of waiting for the block
    #[arg(long)]
    no_wait: bool,
    /// Seconds to wait for inclusion in a block
    #[arg(long, default_value_t = 20, value_name = "SECS")]
    wait_timeout: u64,
}

#[derive(Subcommand, Debug)]
enum QueryCmd {
    /// Bank module queries
    #[command(subcommand)]
    Bank(QueryBankCmd),
    /// Auth module queries
    #[command(subcommand)]
    Auth(QueryAuthCmd),
    /// A transaction by hash, with its result and events
    Tx { hash: String },
    /// Transactions matching an event query (CometBFT /tx_search)
    Txs {
        /// Event query, e.g. "message.sender='venice1…'" or "transfer.recipient='venice1…'"
        #[arg(long)]
        query: String,
        /// Page number (from 1)
        #[arg(long, default_value_t = 1)]
        page: u32,
        /// Results per page (at most 100)
        #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u8).range(1..=100))]
        limit: u8,
    },
}

#[derive(Subcommand, Debug)]
enum QueryBankCmd {
    /// Balances of an address
    Balances {
        address: String,
        /// Only this denom
        #[arg(long)]
        denom: Option<String>,
        /// Query state at this height (default: latest)
        #[arg(long)]
        height: Option<u64>,
    },
    /// Total supply
    Total {
        /// Only this denom
        #[arg(long)]
        denom: Option<String>,
        /// Query state at this height (default: latest)
        #[arg(long)]
        height: Option<u64>,
    },
    /// Denom metadata (display units, symbol…)
    #[command(name = "denom-metadata")]
    DenomMetadata {
        /// Only this denom
        #[arg(long)]
        denom: Option<String>,
        /// Query state at this height (default: latest)
        #[arg(long)]
        height: Option<u64>,
    },
    /// Bank module parameters
    Params {
        /// Query state at this height (default: latest)
        #[arg(long)]
        height: Option<u64>,
    },
}

#[derive(Subcommand, Debug)]
enum QueryAuthCmd {
    /// Account number, sequence and public key of an address
    Account {
        address: String,
        /// Query state at this height (default: latest)
        #[arg(long)]
        height: Option<u64>,
    },
    /// Auth module parameters
    Params {
        /// Query state at this height (default: latest)
        #[arg(long)]
        height: Option<u64>,
    },
}

/// The SDK's `keys` JSON: `pubkey` is itself a JSON string, as the SDK prints it.
fn key_json(k: &KeyRecord) -> Value {
    let pubkey = json!({ "@type": tx::SECP256K1_PUBKEY_TYPE_URL, "key": k.pubkey }).to_string();
    json!({ "name": k.name, "type": k.kind, "address": k.address, "pubkey": pubkey })
}

fn home_dir(cli: &Cli) -> Result<PathBuf> {
    if let Some(h) = &cli.home {
        return Ok(h.clone());
    }
    match std::env::var_os("HOME") {
        Some(h) => Ok(PathBuf::from(h).join(".venice")),
        None => Err(CliError::BadFlag {
            flag: "--home",
            reason: "HOME is not set; pass --home or set VENICE_HOME".into(),
        }),
    }
}

fn add_key(
    cli: &Cli,
    keyring: &Keyring,
    name: &str,
    recover: bool,
    hd_args: &HdArgs,
) -> Result<()> {
    keyring::validate_name(name)?;
    if keyring.get(name).is_ok() {
        return Err(CliError::KeyExists(name.to_string()));
    }
    let (phrase, new_mnemonic) = if recover {
        (input::mnemonic()?, false)
    } else {
        (hd::new_mnemonic(), true)
    };
    let mnemonic = hd::parse_mnemonic(&phrase)?;
    let path = hd_args.path();
    let private_key = hd::derive_private_key(&mnemonic, &path)?;
    let passphrase = if keyring.needs_passphrase() {
        Some(input::passphrase(keyring.is_empty()?)?)
    } else {
        None
    };
    let record = keyring.add(
        name,
        &private_key,
        Some(path),
        passphrase.as_deref().map(String::as_str),
    )?;
    let mut v = key_json(&record);
    match cli.output {
        OutputFormat::Json => {
            if new_mnemonic {
                v["mnemonic"] = json!(phrase.as_str());
            }
            output::print(cli.output, &v);
        }
        OutputFormat::Text => {
            output::print(cli.output, &Value::Array(vec![v]));
            if new_mnemonic {
                println!(
                    "\n**Important** write this mnemonic phrase in a safe place.\nIt is the only way to recover your account if you ever forget your password.\n\n{}",
                    phrase.as_str()
                );
            }
        }
    }
    Ok(())
}

fn keys(cli: &Cli, cmd: &KeysCmd) -> Result<()> {
    let keyring = Keyring::open(&home_dir(cli)?, cli.keyring_backend);
    match cmd {
        KeysCmd::Add { name, recover, hd } => add_key(cli, &keyring, name, *recover, hd),
        KeysCmd::Recover { name, hd } => add_key(cli, &keyring, name, true, hd),
        KeysCmd::List { list_names: true } => {
            for k in keyring.list()? {
                println!("{}", k.name);
            }
            Ok(())
        }
        KeysCmd::List { list_names: false } => {
            let list: Vec<Value> = keyring.list()?.iter().map(key_json).collect();
            output::print(cli.output, &Value::Array(list));
            Ok(())
        }
        KeysCmd::Show {
            name,
            address,
            pubkey,
        } => {
            let k = keyring.get(name)?;
            if *address {
                println!("{}", k.address);
            } else if *pubkey {
                println!("{}", key_json(&k)["pubkey"].as_str().unwrap_or_default());
            } else {
                output::print(cli.output, &key_json(&k));
            }
            Ok(())
        }
        KeysCmd::Delete { name } => {
            let k = keyring.get(name)?;
            if !cli.yes
                && !input::confirm(&format!(
                    "Key {:?} ({}) will be deleted. Continue?",
                    k.name, k.address
                ))?
            {
                return Err(CliError::Aborted);
            }
            keyring.delete(&k.name)?;
            match cli.output {
                OutputFormat::Json => output::print(
                    cli.output,
                    &json!({ "name": k.name, "address": k.address, "deleted": true }),
                ),
                OutputFormat::Text => println!("Key {} deleted forever (uh oh!)", k.name),
            }
            Ok(())
        }
        KeysCmd::Export {
            name,
            unarmored_hex,
            unsafe_,
        } => {
            if !(*unarmored_hex && *unsafe_) {
                return Err(CliError::BadFlag {
                    flag: "keys export",
                    reason: "only `--unarmored-hex --unsafe` export is supported".into(),
                });
            }
            let k = keyring.get(name)?;
            // `--unsafe` is the scripted acknowledgement; people at a
            // terminal are asked once more.
            if !cli.yes
                && input::stdin_is_tty()
                && !input::confirm(
                    "**WARNING** this is an unsafe way to export your unencrypted private key, are you sure?",
                )?
            {
                return Err(CliError::Aborted);
            }
            let passphrase = if keyring.needs_passphrase() {
                Some(input::passphrase(false)?)
            } else {
                None
            };
            let sk = keyring.private_key(&k, passphrase.as_deref().map(String::as_str))?;
            println!("{}", hex::encode(sk.as_ref()));
            Ok(())
        }
    }
}

fn tx_options(cli: &Cli, f: &TxFlags) -> Result<TxOptions> {
    let gas_adjustment = coins::Dec::parse(&f.gas_adjustment)
        .filter(|d| !d.is_zero())
        .ok_or_else(|| CliError::BadFlag {
            flag: "--gas-adjustment",
            reason: format!("{:?} is not a positive decimal", f.gas_adjustment),
        })?;
    Ok(TxOptions {
        chain_id: cli.chain_id.clone(),
        fees: f
            .fees
            .as_deref()
            .map(|s| coins::parse_coins(s, true))
            .transpose()?,
        gas: f.gas,
        gas_adjustment,
        gas_prices: f
            .gas_prices
            .as_deref()
            .map(coins::parse_dec_coins)
            .transpose()?,
        memo: f.memo.clone(),
        timeout_height: f.timeout_height,
        sequence: f.sequence,
        account_number: f.account_number,
        broadcast_mode: f.broadcast_mode,
        wait: !f.no_wait,
        wait_timeout: Duration::from_secs(f.wait_timeout),
        yes: cli.yes,
    })
}

async fn run(cli: &Cli) -> Result<()> {
    match &cli.command {
        Command::Keys(cmd) => keys(cli, cmd),
        Command::Status => {
            let node = Node::connect(&cli.node)?;
            let (full, summary) = query::status(&node).await?;
            match cli.output {
                OutputFormat::Json => output::print(cli.output, &full),
                OutputFormat::Text => output::print(cli.output, &summary),
            }
            Ok(())
        }
        Command::Query(q) => {
            let node = Node::connect(&cli.node)?;
            let value = match q {
                QueryCmd::Bank(QueryBankCmd::Balances {
                    address,
                    denom,
                    height,
                }) => query::bank_balances(&node, address, denom.as_deref(), *height).await?,
                QueryCmd::Bank(QueryBankCmd::Total { denom, height }) => {
                    query::bank_total(&node, denom.as_deref(), *height).await?
                }
                QueryCmd::Auth(QueryAuthCmd::Account { address, height }) => {
                    query::auth_account(&node, address, *height).await?
                }
                QueryCmd::Bank(QueryBankCmd::DenomMetadata { denom, height }) => {
                    query::bank_denom_metadata(&node, denom.as_deref(), *height).await?
                }
                QueryCmd::Bank(QueryBankCmd::Params { height }) => {
                    query::bank_params(&node, *height).await?
                }
                QueryCmd::Auth(QueryAuthCmd::Params { height }) => {
                    query::auth_params(&node, *height).await?
                }
                QueryCmd::Tx { hash } => query::tx(&node, hash).await?.to_value(),
                QueryCmd::Txs {
                    query: q,
                    page,
                    limit,
                } => query::txs(&node, q, *page, *limit).await?,
            };
            output::print(cli.output, &value);
            Ok(())
        }
        Command::Tx(TxCmd::Decode { tx }) => {
            output::print(cli.output, &output::decode_tx_arg(tx)?);
            Ok(())
        }
        Command::Tx(TxCmd::Bank(TxBankCmd::Send {
            from,
            to_address,
            amount,
            flags,
        })) => {
            let amount = coins::parse_coins(amount, false)?;
            hd::parse_address(to_address)?;
            let opts = tx_options(cli, flags)?;
            let keyring = Keyring::open(&home_dir(cli)?, cli.keyring_backend);
            let node = Node::connect(&cli.node)?;
            let outcome =
                broadcast::bank_send(&node, &keyring, from, to_address, &amount, &opts).await?;
            print_outcome(cli, outcome)
        }
        Command::Tx(TxCmd::Bank(TxBankCmd::MultiSend {
            from,
            to_and_amount,
            split,
            flags,
        })) => {
            let (amount, recipients) = to_and_amount.split_last().expect("clap requires 2+ values");
            let amount = coins::parse_coins(amount, false)?;
            for to in recipients {
                hd::parse_address(to)?;
            }
            let opts = tx_options(cli, flags)?;
            let keyring = Keyring::open(&home_dir(cli)?, cli.keyring_backend);
            let node = Node::connect(&cli.node)?;
            let outcome = broadcast::bank_multi_send(
                &node, &keyring, from, recipients, &amount, *split, &opts,
            )
            .await?;
            print_outcome(cli, outcome)
        }
    }
}

/// Prints a broadcast's response, then fails with its error if it has one.
fn print_outcome(cli: &Cli, outcome: broadcast::TxOutcome) -> Result<()> {
    output::print(cli.output, &outcome.response.to_value());
    match outcome.error {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
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
        let Command::Tx(TxCmd::Bank(TxBankCmd::Send { flags, .. })) = &cli.command else {
            panic!("wrong command");
        };
        assert_eq!(flags.gas, Gas::Auto);
        let opts = tx_options(&cli, flags).unwrap();
        assert_eq!(opts.gas_adjustment.to_string(), "1.5");
        assert_eq!(opts.chain_id.as_deref(), Some("venice-1"));
        assert!(opts.wait);

        let cli = Cli::try_parse_from(["venice", "keys", "show", "alice", "-a"]).unwrap();
        assert!(matches!(
            cli.command,
            Command::Keys(KeysCmd::Show { address: true, .. })
        ));
        let cli = Cli::try_parse_from([
            "venice",
            "keys",
            "export",
            "a",
            "--unarmored-hex",
            "--unsafe",
        ])
        .unwrap();
        assert!(matches!(
            cli.command,
            Command::Keys(KeysCmd::Export {
                unarmored_hex: true,
                unsafe_: true,
                ..
            })
        ));
        assert!(
            Cli::try_parse_from([
                "venice", "tx", "bank", "send", "a", "b", "1uvvv", "--gas", "x"
            ])
            .is_err()
        );
        assert!(
            Cli::try_parse_from([
                "venice",
                "tx",
                "bank",
                "send",
                "a",
                "b",
                "1uvvv",
                "--fees",
                "1uvvv",
                "--gas-prices",
                "1uvvv"
            ])
            .is_err(),
            "--fees and --gas-prices exclude each other"
        );
        let cli = Cli::try_parse_from([
            "venice",
            "tx",
            "bank",
            "send",
            "a",
            "b",
            "1uvvv",
            "--gas-adjustment",
            "0",
        ])
        .unwrap();
        let Command::Tx(TxCmd::Bank(TxBankCmd::Send { flags, .. })) = &cli.command else {
            panic!()
        };
        assert!(tx_options(&cli, flags).is_err());
    }

    #[test]
    fn key_json_matches_sdk_shape() {
        let home = tempfile::tempdir().unwrap();
        let kr = Keyring::open(home.path(), Backend::Test);
        let rec = kr.add("k", &[1u8; 32], None, None).unwrap();
        let v = key_json(&rec);
        assert_eq!(v["type"], "local");
        let pk: Value = serde_json::from_str(v["pubkey"].as_str().unwrap()).unwrap();
        assert_eq!(pk["@type"], "/cosmos.crypto.secp256k1.PubKey");
        assert_eq!(pk["key"], rec.pubkey);
    }
}
