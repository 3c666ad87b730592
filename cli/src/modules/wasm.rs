//! `tx wasm …`: wasmd's contract messages (`cosmwasm.wasm.v1.Msg*`) with
//! wasmd's command names, arguments and flags. The queries are in
//! `wasm_query.rs`; the publisher shortcuts (`tx model`, `tx credential`)
//! build their contract messages and send them through [`execute_contract`].

use std::io::Write;

use clap::{Args, Subcommand};
use cosmos_sdk_proto::Any;
use cosmos_sdk_proto::cosmwasm::wasm::v1::{
    AccessConfig, AccessType, MsgClearAdmin, MsgExecuteContract, MsgInstantiateContract, MsgInstantiateContract2, MsgMigrateContract,
    MsgStoreCode, MsgUpdateAdmin,
};
use prost::{Message, Name};
use venice_types::coin_text::parse_coins;
use venice_types::{Address, Coin};

use super::{TxFlags, node, print_outcome};
use crate::Cli;
use crate::broadcast;
use crate::error::{CliError, Result};
use crate::keyring::Keyring;

/// First bytes of a wasm module and of a gzip stream.
const WASM_MAGIC: &[u8] = b"\0asm";
const GZIP_MAGIC: &[u8] = &[0x1f, 0x8b];

#[derive(Subcommand, Debug)]
pub enum TxCmd {
    /// Upload a wasm binary (plain wasm is gzipped before sending; .wasm.gz is sent as it is)
    Store {
        wasm_file: std::path::PathBuf,
        #[command(flatten)]
        permission: InstantiatePermission,
        #[command(flatten)]
        sender: Signer,
    },
    /// Instantiate a wasm contract
    Instantiate {
        code_id: u64,
        /// The instantiate message (JSON)
        json_encoded_init_args: String,
        #[command(flatten)]
        init: InitFlags,
        #[command(flatten)]
        sender: Signer,
    },
    /// Instantiate a wasm contract at a predictable address (see `query wasm build-address`)
    Instantiate2 {
        code_id: u64,
        /// The instantiate message (JSON)
        json_encoded_init_args: String,
        /// Salt (ascii unless --hex or --b64)
        salt: String,
        #[command(flatten)]
        init: InitFlags,
        #[command(flatten)]
        salt_encoding: SaltEncoding,
        /// Include the init message in the address derivation
        #[arg(long)]
        fix_msg: bool,
        #[command(flatten)]
        sender: Signer,
    },
    /// Execute a command on a wasm contract
    Execute {
        contract_address: String,
        /// The execute message (JSON)
        json_encoded_send_args: String,
        /// Coins to send to the contract with the message, e.g. 1000uvvv
        #[arg(long, value_name = "COINS")]
        amount: Option<String>,
        #[command(flatten)]
        sender: Signer,
    },
    /// Migrate a wasm contract to a new code version (by its admin)
    Migrate {
        contract_address: String,
        new_code_id: u64,
        /// The migrate message (JSON)
        json_encoded_migration_args: String,
        #[command(flatten)]
        sender: Signer,
    },
    /// Set a new admin for a contract
    #[command(name = "set-contract-admin", visible_alias = "update-admin")]
    SetContractAdmin {
        contract_address: String,
        /// Address (or keyring name) of the new admin
        new_admin: String,
        #[command(flatten)]
        sender: Signer,
    },
    /// Clear the admin of a contract, so that it can no longer be migrated
    #[command(name = "clear-contract-admin", visible_alias = "clear-admin")]
    ClearContractAdmin {
        contract_address: String,
        #[command(flatten)]
        sender: Signer,
    },
}

/// `--from` and the SDK's tx flags, shared by every wasm-based tx command.
#[derive(Args, Debug)]
pub struct Signer {
    /// Key name or address in the keyring that signs
    #[arg(long)]
    pub from: String,
    #[command(flatten)]
    pub flags: TxFlags,
}

/// wasmd's `--instantiate-*` flags of `tx wasm store`; none: the chain's default.
#[derive(Args, Debug)]
#[group(multiple = false)]
pub struct InstantiatePermission {
    /// Everybody can instantiate the code
    #[arg(long)]
    pub instantiate_everybody: bool,
    /// Nobody can instantiate the code (governance only)
    #[arg(long)]
    pub instantiate_nobody: bool,
    /// Only these addresses (comma-separated) can instantiate the code
    #[arg(long, value_delimiter = ',', value_name = "ADDRESSES")]
    pub instantiate_anyof_addresses: Vec<String>,
}

impl InstantiatePermission {
    pub fn access_config(&self) -> Result<Option<AccessConfig>> {
        if self.instantiate_everybody {
            return Ok(Some(AccessConfig { permission: AccessType::Everybody as i32, addresses: vec![] }));
        }
        if self.instantiate_nobody {
            return Ok(Some(AccessConfig { permission: AccessType::Nobody as i32, addresses: vec![] }));
        }
        if self.instantiate_anyof_addresses.is_empty() {
            return Ok(None);
        }
        for a in &self.instantiate_anyof_addresses {
            Address::parse_arg(a)?;
        }
        Ok(Some(AccessConfig { permission: AccessType::AnyOfAddresses as i32, addresses: self.instantiate_anyof_addresses.clone() }))
    }
}

/// `--label`, `--admin` / `--no-admin`, `--amount` of the instantiate commands.
#[derive(Args, Debug)]
pub struct InitFlags {
    /// A human-readable name for this contract
    #[arg(long)]
    pub label: String,
    /// Address (or keyring name) of the admin, who may migrate the contract
    #[arg(long, conflicts_with = "no_admin", required_unless_present = "no_admin")]
    pub admin: Option<String>,
    /// No admin: the contract can never be migrated
    #[arg(long)]
    pub no_admin: bool,
    /// Coins to send to the contract at instantiation, e.g. 1000uvvv
    #[arg(long, value_name = "COINS")]
    pub amount: Option<String>,
}

/// How a salt argument is written; wasmd's `--ascii`, `--hex`, `--b64`.
#[derive(Args, Debug, Default)]
#[group(multiple = false)]
pub struct SaltEncoding {
    /// The salt is ASCII text
    #[arg(long)]
    pub ascii: bool,
    /// The salt is hex
    #[arg(long)]
    pub hex: bool,
    /// The salt is base64
    #[arg(long)]
    pub b64: bool,
}

impl SaltEncoding {
    /// Decodes `s`; `default_hex` picks the encoding when no flag is given
    /// (wasmd: ascii for `instantiate2`, hex for `build-address`).
    pub fn decode(&self, s: &str, default_hex: bool) -> Result<Vec<u8>> {
        use base64::Engine;
        let bad = |e: String| CliError::BadFlag { flag: "salt", reason: e };
        let salt = if self.hex || (default_hex && !self.ascii && !self.b64) {
            hex::decode(s).map_err(|e| bad(format!("{s:?} is not hex: {e}")))?
        } else if self.b64 {
            base64::engine::general_purpose::STANDARD.decode(s).map_err(|e| bad(format!("{s:?} is not base64: {e}")))?
        } else {
            s.as_bytes().to_vec()
        };
        // wasmd's ValidateSalt: 1 to 64 bytes.
        if salt.is_empty() || salt.len() > 64 {
            return Err(bad(format!("{} bytes, expected 1 to 64", salt.len())));
        }
        Ok(salt)
    }
}

/// A contract message argument: must be JSON; sent as written, as wasmd does.
pub fn json_arg(what: &'static str, s: &str) -> Result<Vec<u8>> {
    serde_json::from_str::<serde_json::Value>(s).map_err(|e| CliError::BadFlag { flag: what, reason: format!("not valid JSON: {e}") })?;
    Ok(s.as_bytes().to_vec())
}

fn funds(amount: Option<&str>) -> Result<Vec<Coin>> {
    Ok(amount.map(|a| parse_coins(a, true)).transpose()?.unwrap_or_default())
}

fn any<M: Message + Name>(msg: &M) -> Any {
    Any { type_url: M::type_url(), value: msg.encode_to_vec() }
}

/// The bytes `MsgStoreCode` carries: wasm is gzipped (as wasmd's CLI does),
/// gzip is passed through, anything else is refused before signing.
pub fn prepare_wasm(bytes: Vec<u8>) -> Result<Vec<u8>> {
    if bytes.starts_with(GZIP_MAGIC) {
        return Ok(bytes);
    }
    if !bytes.starts_with(WASM_MAGIC) {
        return Err(CliError::BadFlag { flag: "wasm file", reason: "neither a wasm binary nor gzip".into() });
    }
    let mut gz = flate2::write::GzEncoder::new(Vec::with_capacity(bytes.len() / 3), flate2::Compression::best());
    gz.write_all(&bytes).and_then(|_| gz.finish()).map_err(|e| CliError::io("gzip the wasm file", e))
}

pub fn msg_store_code(sender: &str, wasm_byte_code: Vec<u8>, instantiate_permission: Option<AccessConfig>) -> Any {
    any(&MsgStoreCode { sender: sender.into(), wasm_byte_code, instantiate_permission })
}

pub fn msg_instantiate(sender: &str, admin: Option<&str>, code_id: u64, label: &str, msg: Vec<u8>, funds: &[Coin]) -> Any {
    any(&MsgInstantiateContract {
        sender: sender.into(),
        admin: admin.unwrap_or_default().into(),
        code_id,
        label: label.into(),
        msg,
        funds: funds.iter().map(Into::into).collect(),
    })
}

#[allow(clippy::too_many_arguments)] // one per field of the message
pub fn msg_instantiate2(
    sender: &str,
    admin: Option<&str>,
    code_id: u64,
    label: &str,
    msg: Vec<u8>,
    funds: &[Coin],
    salt: Vec<u8>,
    fix_msg: bool,
) -> Any {
    any(&MsgInstantiateContract2 {
        sender: sender.into(),
        admin: admin.unwrap_or_default().into(),
        code_id,
        label: label.into(),
        msg,
        funds: funds.iter().map(Into::into).collect(),
        salt,
        fix_msg,
    })
}

pub fn msg_execute(sender: &str, contract: &str, msg: Vec<u8>, funds: &[Coin]) -> Any {
    any(&MsgExecuteContract { sender: sender.into(), contract: contract.into(), msg, funds: funds.iter().map(Into::into).collect() })
}

pub fn msg_migrate(sender: &str, contract: &str, code_id: u64, msg: Vec<u8>) -> Any {
    any(&MsgMigrateContract { sender: sender.into(), contract: contract.into(), code_id, msg })
}

pub fn msg_update_admin(sender: &str, contract: &str, new_admin: &str) -> Any {
    any(&MsgUpdateAdmin { sender: sender.into(), new_admin: new_admin.into(), contract: contract.into() })
}

pub fn msg_clear_admin(sender: &str, contract: &str) -> Any {
    any(&MsgClearAdmin { sender: sender.into(), contract: contract.into() })
}

/// An address argument, or the address of a keyring key of that name (as
/// wasmd resolves `--admin`).
fn address_or_key(keyring: &Keyring, s: &str) -> Result<String> {
    if Address::decode(s).is_ok() {
        return Ok(s.to_string());
    }
    keyring.get(s).map(|k| k.address)
}

/// Signs `build(sender)` with `--from` and broadcasts it per the tx flags.
pub async fn sign_and_send(cli: &Cli, sender: &Signer, build: impl FnOnce(&str, &Keyring) -> Result<Vec<Any>>) -> Result<()> {
    let opts = sender.flags.options(cli)?;
    let keyring = Keyring::open(&crate::home_dir(cli)?, cli.keyring_backend);
    let key = keyring.get(&sender.from)?;
    let msgs = build(&key.address, &keyring)?;
    let node = node(cli)?;
    let outcome = broadcast::sign_and_broadcast(&node, &keyring, &key, msgs, &opts).await?;
    print_outcome(cli, outcome)
}

/// `MsgExecuteContract` of a JSON message, signed by `--from`.
pub async fn execute_contract(cli: &Cli, sender: &Signer, contract: &str, msg: &serde_json::Value, funds: &[Coin]) -> Result<()> {
    Address::parse_arg(contract)?;
    let bytes = serde_json::to_vec(msg).expect("a JSON value serialises");
    sign_and_send(cli, sender, |from, _| Ok(vec![msg_execute(from, contract, bytes, funds)])).await
}

impl TxCmd {
    pub async fn run(&self, cli: &Cli) -> Result<()> {
        match self {
            TxCmd::Store { wasm_file, permission, sender } => {
                let raw = std::fs::read(wasm_file).map_err(|e| CliError::io(format!("read {}", wasm_file.display()), e))?;
                let code = prepare_wasm(raw)?;
                let access = permission.access_config()?;
                sign_and_send(cli, sender, |from, _| Ok(vec![msg_store_code(from, code, access)])).await
            }
            TxCmd::Instantiate { code_id, json_encoded_init_args, init, sender } => {
                let msg = json_arg("init message", json_encoded_init_args)?;
                let funds = funds(init.amount.as_deref())?;
                sign_and_send(cli, sender, |from, keyring| {
                    let admin = init.admin.as_deref().map(|a| address_or_key(keyring, a)).transpose()?;
                    Ok(vec![msg_instantiate(from, admin.as_deref(), *code_id, &init.label, msg, &funds)])
                })
                .await
            }
            TxCmd::Instantiate2 { code_id, json_encoded_init_args, salt, init, salt_encoding, fix_msg, sender } => {
                let msg = json_arg("init message", json_encoded_init_args)?;
                let funds = funds(init.amount.as_deref())?;
                let salt = salt_encoding.decode(salt, false)?;
                sign_and_send(cli, sender, |from, keyring| {
                    let admin = init.admin.as_deref().map(|a| address_or_key(keyring, a)).transpose()?;
                    Ok(vec![msg_instantiate2(from, admin.as_deref(), *code_id, &init.label, msg, &funds, salt, *fix_msg)])
                })
                .await
            }
            TxCmd::Execute { contract_address, json_encoded_send_args, amount, sender } => {
                Address::parse_arg(contract_address)?;
                let msg = json_arg("execute message", json_encoded_send_args)?;
                let funds = funds(amount.as_deref())?;
                sign_and_send(cli, sender, |from, _| Ok(vec![msg_execute(from, contract_address, msg, &funds)])).await
            }
            TxCmd::Migrate { contract_address, new_code_id, json_encoded_migration_args, sender } => {
                Address::parse_arg(contract_address)?;
                let msg = json_arg("migrate message", json_encoded_migration_args)?;
                sign_and_send(cli, sender, |from, _| Ok(vec![msg_migrate(from, contract_address, *new_code_id, msg)])).await
            }
            TxCmd::SetContractAdmin { contract_address, new_admin, sender } => {
                Address::parse_arg(contract_address)?;
                sign_and_send(cli, sender, |from, keyring| {
                    Ok(vec![msg_update_admin(from, contract_address, &address_or_key(keyring, new_admin)?)])
                })
                .await
            }
            TxCmd::ClearContractAdmin { contract_address, sender } => {
                Address::parse_arg(contract_address)?;
                sign_and_send(cli, sender, |from, _| Ok(vec![msg_clear_admin(from, contract_address)])).await
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn store_code_gzips_wasm_and_keeps_gzip() {
        let wasm = [WASM_MAGIC, &[1, 0, 0, 0], &[0u8; 4096]].concat();
        let gz = prepare_wasm(wasm.clone()).unwrap();
        assert!(gz.starts_with(GZIP_MAGIC) && gz.len() < wasm.len());
        let mut back = Vec::new();
        flate2::read::GzDecoder::new(gz.as_slice()).read_to_end(&mut back).unwrap();
        assert_eq!(back, wasm);
        assert_eq!(prepare_wasm(gz.clone()).unwrap(), gz, "gzip input is sent as it is");
        assert!(prepare_wasm(b"not wasm".to_vec()).is_err());

        let perm = InstantiatePermission {
            instantiate_everybody: false,
            instantiate_nobody: false,
            instantiate_anyof_addresses: vec![Address::module("x").to_bech32()],
        };
        let any = msg_store_code("venice1s", gz.clone(), perm.access_config().unwrap());
        assert_eq!(any.type_url, "/cosmwasm.wasm.v1.MsgStoreCode");
        let m = MsgStoreCode::decode(any.value.as_slice()).unwrap();
        assert_eq!((m.sender.as_str(), m.wasm_byte_code), ("venice1s", gz));
        let p = m.instantiate_permission.unwrap();
        assert_eq!((p.permission, p.addresses.len()), (AccessType::AnyOfAddresses as i32, 1));
        let none = InstantiatePermission { instantiate_everybody: false, instantiate_nobody: false, instantiate_anyof_addresses: vec![] };
        assert_eq!(none.access_config().unwrap(), None);
        let bad = InstantiatePermission { instantiate_anyof_addresses: vec!["nope".into()], ..none };
        assert!(bad.access_config().is_err());
    }

    #[test]
    fn instantiate_messages_carry_every_field() {
        let funds = parse_coins("5uvvv", false).unwrap();
        let any = msg_instantiate("venice1s", None, 7, "lbl", br#"{"a":1}"#.to_vec(), &funds);
        assert_eq!(any.type_url, "/cosmwasm.wasm.v1.MsgInstantiateContract");
        let m = MsgInstantiateContract::decode(any.value.as_slice()).unwrap();
        assert_eq!((m.code_id, m.label.as_str(), m.admin.as_str(), m.msg.as_slice()), (7, "lbl", "", br#"{"a":1}"#.as_slice()));
        assert_eq!((m.funds[0].denom.as_str(), m.funds[0].amount.as_str()), ("uvvv", "5"));

        let any = msg_instantiate2("venice1s", Some("venice1adm"), 3, "l2", b"{}".to_vec(), &[], b"salt".to_vec(), true);
        assert_eq!(any.type_url, "/cosmwasm.wasm.v1.MsgInstantiateContract2");
        let m = MsgInstantiateContract2::decode(any.value.as_slice()).unwrap();
        assert_eq!((m.admin.as_str(), m.salt.as_slice(), m.fix_msg, m.funds.len()), ("venice1adm", b"salt".as_slice(), true, 0));
    }

    #[test]
    fn execute_migrate_admin_messages() {
        let any = msg_execute("venice1s", "venice1c", br#"{"x":{}}"#.to_vec(), &parse_coins("1uvvv,2uzzz", false).unwrap());
        assert_eq!(any.type_url, "/cosmwasm.wasm.v1.MsgExecuteContract");
        let m = MsgExecuteContract::decode(any.value.as_slice()).unwrap();
        assert_eq!((m.contract.as_str(), m.msg.as_slice(), m.funds.len()), ("venice1c", br#"{"x":{}}"#.as_slice(), 2));
        let m = MsgMigrateContract::decode(msg_migrate("s", "c", 9, b"{}".to_vec()).value.as_slice()).unwrap();
        assert_eq!((m.code_id, m.contract.as_str()), (9, "c"));
        let any = msg_update_admin("s", "c", "n");
        assert_eq!(any.type_url, "/cosmwasm.wasm.v1.MsgUpdateAdmin");
        assert_eq!(MsgUpdateAdmin::decode(any.value.as_slice()).unwrap().new_admin, "n");
        assert_eq!(msg_clear_admin("s", "c").type_url, "/cosmwasm.wasm.v1.MsgClearAdmin");
    }

    #[test]
    fn json_and_salt_arguments() {
        assert_eq!(json_arg("m", r#"{"a": 1}"#).unwrap(), br#"{"a": 1}"#.to_vec(), "sent as written");
        assert!(json_arg("m", "{a:1}").is_err());
        let enc = SaltEncoding::default();
        assert_eq!(enc.decode("ab", false).unwrap(), b"ab");
        assert_eq!(enc.decode("ab", true).unwrap(), vec![0xab]);
        assert_eq!(SaltEncoding { b64: true, ..Default::default() }.decode("AQI=", false).unwrap(), vec![1, 2]);
        assert_eq!(SaltEncoding { ascii: true, ..Default::default() }.decode("ab", true).unwrap(), b"ab");
        assert!(enc.decode("", false).is_err());
        assert!(enc.decode(&"a".repeat(65), false).is_err());
        assert!(enc.decode("zz", true).is_err());
    }
}
