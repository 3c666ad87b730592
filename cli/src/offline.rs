//! Offline and multisig signing on tx JSON files, as the SDK CLI does it:
//! `tx sign FILE --from KEY [--offline --account-number N --sequence N]
//! [--multisig ADDR]` and `tx multisign FILE MULTISIG SIG...`.
//!
//! A multisig member signs in SIGN_MODE_LEGACY_AMINO_JSON: its document
//! does not depend on the other members' signer info, so members can sign
//! independently, in any order (SIGN_MODE_DIRECT would commit to the final
//! bit array). Its signature file is the tx with the member's key, mode and
//! signature, which `multisign` checks before combining.

use std::path::PathBuf;

use clap::Args;
use cosmos_sdk_proto::cosmos::tx::signing::v1beta1::SignMode;
use cosmos_sdk_proto::cosmos::tx::v1beta1::mode_info;
use venice_types::pubkey::BitArray;
use venice_types::tx::{SignerData, multi_mode, multi_signature, signer_info};
use venice_types::{Address, PubKey};

use crate::broadcast::{self, SignModeArg};
use crate::error::{CliError, Result};
use crate::keyring::Keyring;
use crate::modules::{auth, node};
use crate::txfile::TxFile;
use crate::{Cli, input};

/// Where the signer's account number and sequence come from.
#[derive(Args, Debug, Clone)]
pub struct AccountArgs {
    /// Do not contact the node: take --account-number and --sequence (and --chain-id) as given
    #[arg(long)]
    pub offline: bool,
    /// The signing account's number (required with --offline)
    #[arg(long, short = 'a')]
    pub account_number: Option<u64>,
    /// The signing account's sequence (required with --offline)
    #[arg(long, short = 's')]
    pub sequence: Option<u64>,
    /// Write the result to this file instead of stdout
    #[arg(long, value_name = "FILE")]
    pub output_document: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct SignArgs {
    /// The transaction JSON file
    pub file: PathBuf,
    /// Key name or address in the keyring
    #[arg(long)]
    pub from: String,
    /// Sign as a member of this multisig address (writes a signature file for `tx multisign`)
    #[arg(long, value_name = "ADDR")]
    pub multisig: Option<String>,
    /// How to sign (a multisig member always signs amino-json)
    #[arg(long, value_enum, default_value = "direct")]
    pub sign_mode: SignModeArg,
    #[command(flatten)]
    pub account: AccountArgs,
}

#[derive(Args, Debug)]
pub struct MultisignArgs {
    /// The unsigned transaction JSON file
    pub file: PathBuf,
    /// The multisig key's name (or address) in the keyring
    pub multisig: String,
    /// Members' signature files, from `tx sign --multisig`
    #[arg(required = true)]
    pub signatures: Vec<PathBuf>,
    #[command(flatten)]
    pub account: AccountArgs,
}

/// Chain id, account number and sequence of `address`.
async fn signer_data(cli: &Cli, args: &AccountArgs, address: &str) -> Result<SignerData> {
    if args.offline {
        let (Some(account_number), Some(sequence)) = (args.account_number, args.sequence) else {
            return Err(CliError::BadFlag { flag: "--offline", reason: "needs --account-number and --sequence".into() });
        };
        let chain_id = cli.chain_id.clone().ok_or(CliError::BadFlag { flag: "--offline", reason: "needs --chain-id".into() })?;
        return Ok(SignerData { chain_id, account_number, sequence });
    }
    let node = node(cli)?;
    let chain_id = match &cli.chain_id {
        Some(c) => c.clone(),
        None => node.chain_id().await?,
    };
    let acc = auth::fetch_account(&node, address, None).await?;
    Ok(SignerData {
        chain_id,
        account_number: args.account_number.unwrap_or(acc.account_number),
        sequence: args.sequence.unwrap_or(acc.sequence),
    })
}

fn write_out(args: &AccountArgs, tx: &TxFile) -> Result<()> {
    let text = format!("{}\n", tx.to_json());
    match &args.output_document {
        Some(p) => std::fs::write(p, text).map_err(|e| CliError::io(format!("writing {}", p.display()), e)),
        None => {
            print!("{text}");
            Ok(())
        }
    }
}

pub async fn sign(cli: &Cli, args: &SignArgs) -> Result<()> {
    let mut tx = TxFile::read(&args.file)?;
    let keyring = Keyring::open(&crate::home_dir(cli)?, cli.keyring_backend);
    let key = keyring.get(&args.from)?;
    key.pubkey_bytes()?;
    let (address, mode) = match &args.multisig {
        Some(m) => {
            // A multisig given by name resolves through the keyring.
            let addr = match Address::parse_arg(m) {
                Ok(a) => a.to_bech32(),
                Err(_) => keyring.get(m)?.address,
            };
            (addr, SignMode::LegacyAminoJson)
        }
        None => (key.address.clone(), args.sign_mode.proto()),
    };
    let signer = signer_data(cli, &args.account, &address).await?;
    let passphrase = if keyring.needs_passphrase() { Some(input::passphrase(false)?) } else { None };
    let private_key = keyring.private_key(&key, passphrase.as_deref().map(String::as_str))?;
    broadcast::sign_single(&private_key, &mut tx, mode, &signer)?;
    write_out(&args.account, &tx)
}

pub async fn multisign(cli: &Cli, args: &MultisignArgs) -> Result<()> {
    let mut tx = TxFile::read(&args.file)?;
    let keyring = Keyring::open(&crate::home_dir(cli)?, cli.keyring_backend);
    let record = keyring.get(&args.multisig)?;
    let Some(PubKey::Multisig(ms)) = record.multisig_key() else {
        return Err(CliError::BadFlag { flag: "MULTISIG", reason: format!("{:?} is not a multisig key", record.name) });
    };
    let signer = signer_data(cli, &args.account, &record.address).await?;
    let mut members: Vec<(usize, SignMode, Vec<u8>)> = Vec::new();
    for path in &args.signatures {
        let bad = |reason: String| CliError::decode(format!("signature file {}", path.display()), reason);
        let sf = TxFile::read(path)?;
        let (Some(si), Some(sig)) = (sf.auth_info.signer_infos.first(), sf.signatures.first()) else {
            return Err(bad("no signer info or signature".into()));
        };
        let member = si.public_key.as_ref().map(PubKey::from_any).transpose().map_err(bad)?.ok_or_else(|| bad("no public key".into()))?;
        let Some(index) = member.as_secp256k1().and_then(|k| ms.keys.iter().position(|m| m.as_slice() == k)) else {
            return Err(bad(format!("its key is not a member of {}", record.address)));
        };
        let mode = match si.mode_info.as_ref().and_then(|m| m.sum.as_ref()) {
            Some(mode_info::Sum::Single(s)) if s.mode == SignMode::LegacyAminoJson as i32 => SignMode::LegacyAminoJson,
            _ => return Err(bad("members must sign with SIGN_MODE_LEGACY_AMINO_JSON (tx sign --multisig)".into())),
        };
        // The member must have signed this tx, for this account.
        let bytes = broadcast::signer_bytes(&tx, mode, &signer)?;
        crate::hd::verify(&ms.keys[index], &bytes, sig).map_err(|_| {
            bad(format!("signature does not match this tx for account {} sequence {}", signer.account_number, signer.sequence))
        })?;
        if members.iter().any(|(i, _, _)| *i == index) {
            return Err(bad("a second signature of the same member".into()));
        }
        members.push((index, mode, sig.clone()));
    }
    members.sort_by_key(|(i, _, _)| *i);
    let mut bits = BitArray::new(ms.keys.len());
    members.iter().for_each(|(i, _, _)| bits.set(*i, true));
    let modes: Vec<SignMode> = members.iter().map(|(_, m, _)| *m).collect();
    let key = PubKey::Multisig(ms.clone());
    tx.auth_info.signer_infos = vec![signer_info(Some(&key), signer.sequence, multi_mode(&bits, &modes))];
    tx.signatures = vec![multi_signature(members.into_iter().map(|(_, _, s)| s).collect())];
    write_out(&args.account, &tx)
}
