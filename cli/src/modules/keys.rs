//! `keys …`: the local keyring (add, recover, list, show, delete, export).

use clap::{Args, Subcommand};
use serde_json::{Value, json};
use venice_types::paths::SECP256K1_PUBKEY_URL;

use crate::error::{CliError, Result};
use crate::keyring::{self, KeyRecord, Keyring};
use crate::output::{self, OutputFormat};
use crate::{Cli, hd, input};

#[derive(Args, Debug, Clone)]
pub struct HdArgs {
    /// Account number in the HD path m/44'/118'/ACCOUNT'/0/INDEX
    #[arg(long, default_value_t = 0)]
    pub account: u32,
    /// Address index in the HD path m/44'/118'/ACCOUNT'/0/INDEX
    #[arg(long, default_value_t = 0)]
    pub index: u32,
    /// Full HD path (overrides --account and --index)
    #[arg(long, value_name = "PATH")]
    pub hd_path: Option<String>,
}

impl HdArgs {
    pub fn path(&self) -> String {
        self.hd_path.clone().unwrap_or_else(|| hd::hd_path(self.account, self.index))
    }
}

#[derive(Subcommand, Debug)]
pub enum KeysCmd {
    /// Create a key from a new 24-word mnemonic (printed once), or recover one with --recover
    Add {
        name: String,
        /// Read an existing mnemonic from stdin instead of generating one
        #[arg(long)]
        recover: bool,
        #[command(flatten)]
        hd: HdArgs,
        /// Store a multisig key of these keys (names or addresses of keyring keys), in this order
        #[arg(long, value_delimiter = ',', value_name = "KEY,KEY,...", conflicts_with = "recover")]
        multisig: Vec<String>,
        /// How many of the --multisig keys must sign
        #[arg(long, requires = "multisig", value_name = "K")]
        multisig_threshold: Option<u32>,
        /// Keep the --multisig keys in the order given (default: sorted by address, as the SDK does)
        #[arg(long, requires = "multisig")]
        nosort: bool,
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

/// The SDK's `keys` JSON: `pubkey` is itself a JSON string, as the SDK prints it.
pub fn key_json(k: &KeyRecord) -> Value {
    let pubkey = match &k.multisig {
        Some(m) => m.to_string(),
        None => json!({ "@type": SECP256K1_PUBKEY_URL, "key": k.pubkey }).to_string(),
    };
    json!({ "name": k.name, "type": k.kind, "address": k.address, "pubkey": pubkey })
}

fn add_key(cli: &Cli, keyring: &Keyring, name: &str, recover: bool, hd_args: &HdArgs) -> Result<()> {
    keyring::validate_name(name)?;
    if keyring.get(name).is_ok() {
        return Err(CliError::KeyExists(name.to_string()));
    }
    let (phrase, new_mnemonic) = if recover { (input::mnemonic()?, false) } else { (hd::new_mnemonic(), true) };
    let mnemonic = hd::parse_mnemonic(&phrase)?;
    let path = hd_args.path();
    let private_key = hd::derive_private_key(&mnemonic, &path)?;
    let passphrase = if keyring.needs_passphrase() { Some(input::passphrase(keyring.is_empty()?)?) } else { None };
    let record = keyring.add(name, &private_key, Some(path), passphrase.as_deref().map(String::as_str))?;
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

pub fn run(cli: &Cli, cmd: &KeysCmd) -> Result<()> {
    let keyring = Keyring::open(&crate::home_dir(cli)?, cli.keyring_backend);
    match cmd {
        KeysCmd::Add { name, multisig, multisig_threshold, nosort, .. } if !multisig.is_empty() => {
            let threshold =
                multisig_threshold.ok_or(CliError::BadFlag { flag: "--multisig-threshold", reason: "required with --multisig".into() })?;
            let mut keys = multisig.iter().map(|m| keyring.get(m)?.pubkey_bytes().map(|k| k.to_vec())).collect::<Result<Vec<_>>>()?;
            if !nosort {
                keys.sort_by_key(|k| venice_types::Address::from_secp256k1_pubkey(k).as_bytes().to_vec());
            }
            let key = venice_types::MultisigKey::new(threshold, keys).map_err(|reason| CliError::BadFlag { flag: "--multisig", reason })?;
            let record = keyring.add_multisig(name, &key)?;
            let v = key_json(&record);
            output::print(cli.output, &if cli.output == OutputFormat::Json { v } else { Value::Array(vec![v]) });
            Ok(())
        }
        KeysCmd::Add { name, recover, hd, .. } => add_key(cli, &keyring, name, *recover, hd),
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
        KeysCmd::Show { name, address, pubkey } => {
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
            if !cli.yes && !input::confirm(&format!("Key {:?} ({}) will be deleted. Continue?", k.name, k.address))? {
                return Err(CliError::Aborted);
            }
            keyring.delete(&k.name)?;
            match cli.output {
                OutputFormat::Json => output::print(cli.output, &json!({ "name": k.name, "address": k.address, "deleted": true })),
                OutputFormat::Text => println!("Key {} deleted forever (uh oh!)", k.name),
            }
            Ok(())
        }
        KeysCmd::Export { name, unarmored_hex, unsafe_ } => {
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
                && !input::confirm("**WARNING** this is an unsafe way to export your unencrypted private key, are you sure?")?
            {
                return Err(CliError::Aborted);
            }
            let passphrase = if keyring.needs_passphrase() { Some(input::passphrase(false)?) } else { None };
            let sk = keyring.private_key(&k, passphrase.as_deref().map(String::as_str))?;
            println!("{}", hex::encode(sk.as_ref()));
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keyring::Backend;

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
