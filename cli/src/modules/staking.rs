//! `tx staking …`: the x/staking messages with the Cosmos SDK's command
//! names, arguments and flags (`simd tx staking …`). The queries are in
//! `staking_query.rs`.
//!
//! `create-validator` reads the validator JSON file of SDK v0.50+:
//!
//! ```json
//! {"pubkey": {"@type":"/cosmos.crypto.ed25519.PubKey","key":"<base64>"},
//!  "amount": "1000000uvvv", "moniker": "myvalidator", "identity": "",
//!  "website": "", "security": "", "details": "",
//!  "commission-rate": "0.1", "commission-max-rate": "0.2",
//!  "commission-max-change-rate": "0.01", "min-self-delegation": "1"}
//! ```

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use cosmos_sdk_proto::Any;
use cosmos_sdk_proto::cosmos::staking::v1beta1::{
    Description, MsgBeginRedelegate, MsgCancelUnbondingDelegation, MsgDelegate, MsgEditValidator, MsgUndelegate,
};
use prost::Message;
use serde::Deserialize;
use venice_types::coin_text::parse_coin;
use venice_types::paths::{
    MSG_BEGIN_REDELEGATE_URL, MSG_CANCEL_UNBONDING_DELEGATION_URL, MSG_DELEGATE_URL, MSG_EDIT_VALIDATOR_URL, MSG_UNDELEGATE_URL,
};
use venice_types::staking::{CommissionText, ConsensusKeyJson, ValidatorDescription, dec_field, msg_create_validator};
use venice_types::{Address, Coin};

use super::wasm::{Signer, sign_and_send};
use crate::Cli;
use crate::error::{CliError, Result};

/// What the SDK puts in an edit-validator string field to leave it alone.
pub const DO_NOT_MODIFY: &str = "[do-not-modify]";

#[derive(Subcommand, Debug)]
pub enum TxCmd {
    /// Create a validator operated by --from, self-delegating the file's amount
    #[command(name = "create-validator")]
    CreateValidator {
        /// Validator JSON file (pubkey, amount, moniker, commission rates, min-self-delegation…)
        validator_file: PathBuf,
        #[command(flatten)]
        sender: Signer,
    },
    /// Edit the description, commission rate or min self-delegation of --from's validator
    #[command(name = "edit-validator")]
    EditValidator {
        #[command(flatten)]
        edit: EditFlags,
        #[command(flatten)]
        sender: Signer,
    },
    /// Delegate AMOUNT of liquid tokens to a validator
    Delegate {
        validator_addr: String,
        amount: String,
        #[command(flatten)]
        sender: Signer,
    },
    /// Undelegate AMOUNT from a validator (paid out after the unbonding period)
    Unbond {
        validator_addr: String,
        amount: String,
        #[command(flatten)]
        sender: Signer,
    },
    /// Move AMOUNT of bonded stake from one validator to another
    Redelegate {
        src_validator_addr: String,
        dst_validator_addr: String,
        amount: String,
        #[command(flatten)]
        sender: Signer,
    },
    /// Cancel (part of) an unbonding entry, re-delegating it to the validator
    #[command(name = "cancel-unbond")]
    CancelUnbond {
        validator_addr: String,
        amount: String,
        /// The height the unbonding entry was created at
        creation_height: i64,
        #[command(flatten)]
        sender: Signer,
    },
}

/// `edit-validator`'s flags; an absent string flag is left unchanged.
#[derive(Args, Debug, Clone)]
pub struct EditFlags {
    /// The validator's new name
    #[arg(long, default_value = DO_NOT_MODIFY)]
    pub new_moniker: String,
    #[arg(long, default_value = DO_NOT_MODIFY)]
    pub identity: String,
    #[arg(long, default_value = DO_NOT_MODIFY)]
    pub website: String,
    #[arg(long, default_value = DO_NOT_MODIFY)]
    pub security_contact: String,
    #[arg(long, default_value = DO_NOT_MODIFY)]
    pub details: String,
    /// New commission rate (at most once a day, within the max change rate)
    #[arg(long)]
    pub commission_rate: Option<String>,
    /// New minimum self-delegation (may only grow)
    #[arg(long)]
    pub min_self_delegation: Option<String>,
}

/// The SDK v0.50 validator JSON file of `create-validator`.
#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct ValidatorFile {
    pub pubkey: ConsensusKeyJson,
    pub amount: String,
    pub moniker: String,
    #[serde(default)]
    pub identity: String,
    #[serde(default)]
    pub website: String,
    #[serde(default)]
    pub security: String,
    #[serde(default)]
    pub details: String,
    #[serde(rename = "commission-rate")]
    pub commission_rate: String,
    #[serde(rename = "commission-max-rate")]
    pub commission_max_rate: String,
    #[serde(rename = "commission-max-change-rate")]
    pub commission_max_change_rate: String,
    #[serde(rename = "min-self-delegation", default = "one")]
    pub min_self_delegation: String,
}

fn one() -> String {
    "1".into()
}

impl ValidatorFile {
    pub fn read(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|e| CliError::io(format!("reading {}", path.display()), e))?;
        serde_json::from_str(&text).map_err(|e| CliError::decode(format!("validator file {}", path.display()), e))
    }

    /// `MsgCreateValidator` for the operator account `operator`.
    pub fn msg(&self, operator: &str) -> Result<Any> {
        if self.moniker.trim().is_empty() {
            return Err(CliError::TxBuild("validator file: moniker must not be empty".into()));
        }
        let amount = parse_coin(&self.amount)?;
        let valoper = Address::parse_arg(operator)?.to_valoper();
        let description = ValidatorDescription {
            moniker: self.moniker.clone(),
            identity: self.identity.clone(),
            website: self.website.clone(),
            security_contact: self.security.clone(),
            details: self.details.clone(),
        };
        let commission = CommissionText {
            rate: self.commission_rate.clone(),
            max_rate: self.commission_max_rate.clone(),
            max_change_rate: self.commission_max_change_rate.clone(),
        };
        let key = self.pubkey.ed25519_bytes()?;
        Ok(msg_create_validator(&description, &commission, &self.min_self_delegation, &valoper, &key, &amount)?)
    }
}

impl EditFlags {
    pub fn msg(&self, operator: &str) -> Result<Any> {
        let valoper = Address::parse_arg(operator)?.to_valoper();
        let commission_rate = self.commission_rate.as_deref().map(|r| dec_field(r, "--commission-rate")).transpose()?.unwrap_or_default();
        let min_self_delegation = match &self.min_self_delegation {
            Some(m) if m.is_empty() || !m.bytes().all(|b| b.is_ascii_digit()) => {
                return Err(CliError::BadFlag { flag: "--min-self-delegation", reason: format!("{m:?} is not a positive integer") });
            }
            Some(m) => m.clone(),
            None => String::new(),
        };
        let msg = MsgEditValidator {
            description: Some(Description {
                moniker: self.new_moniker.clone(),
                identity: self.identity.clone(),
                website: self.website.clone(),
                security_contact: self.security_contact.clone(),
                details: self.details.clone(),
            }),
            validator_address: valoper,
            commission_rate,
            min_self_delegation,
        };
        Ok(Any { type_url: MSG_EDIT_VALIDATOR_URL.into(), value: msg.encode_to_vec() })
    }
}

fn valoper_arg(s: &str) -> Result<String> {
    Address::parse_valoper(s).map_err(|e| CliError::BadFlag { flag: "validator address", reason: format!("{s:?}: {e}") })?;
    Ok(s.to_string())
}

fn amount_arg(s: &str) -> Result<Coin> {
    Ok(parse_coin(s)?)
}

pub fn msg_delegate(delegator: &str, validator: &str, amount: &Coin) -> Any {
    let msg = MsgDelegate { delegator_address: delegator.into(), validator_address: validator.into(), amount: Some(amount.to_proto()) };
    Any { type_url: MSG_DELEGATE_URL.into(), value: msg.encode_to_vec() }
}

pub fn msg_undelegate(delegator: &str, validator: &str, amount: &Coin) -> Any {
    let msg = MsgUndelegate { delegator_address: delegator.into(), validator_address: validator.into(), amount: Some(amount.to_proto()) };
    Any { type_url: MSG_UNDELEGATE_URL.into(), value: msg.encode_to_vec() }
}

pub fn msg_redelegate(delegator: &str, src: &str, dst: &str, amount: &Coin) -> Any {
    let msg = MsgBeginRedelegate {
        delegator_address: delegator.into(),
        validator_src_address: src.into(),
        validator_dst_address: dst.into(),
        amount: Some(amount.to_proto()),
    };
    Any { type_url: MSG_BEGIN_REDELEGATE_URL.into(), value: msg.encode_to_vec() }
}

pub fn msg_cancel_unbond(delegator: &str, validator: &str, amount: &Coin, creation_height: i64) -> Any {
    let msg = MsgCancelUnbondingDelegation {
        delegator_address: delegator.into(),
        validator_address: validator.into(),
        amount: Some(amount.to_proto()),
        creation_height,
    };
    Any { type_url: MSG_CANCEL_UNBONDING_DELEGATION_URL.into(), value: msg.encode_to_vec() }
}

impl TxCmd {
    pub async fn run(&self, cli: &Cli) -> Result<()> {
        match self {
            TxCmd::CreateValidator { validator_file, sender } => {
                let file = ValidatorFile::read(validator_file)?;
                sign_and_send(cli, sender, |from, _| Ok(vec![file.msg(from)?])).await
            }
            TxCmd::EditValidator { edit, sender } => sign_and_send(cli, sender, |from, _| Ok(vec![edit.msg(from)?])).await,
            TxCmd::Delegate { validator_addr, amount, sender } => {
                let (val, amount) = (valoper_arg(validator_addr)?, amount_arg(amount)?);
                sign_and_send(cli, sender, |from, _| Ok(vec![msg_delegate(from, &val, &amount)])).await
            }
            TxCmd::Unbond { validator_addr, amount, sender } => {
                let (val, amount) = (valoper_arg(validator_addr)?, amount_arg(amount)?);
                sign_and_send(cli, sender, |from, _| Ok(vec![msg_undelegate(from, &val, &amount)])).await
            }
            TxCmd::Redelegate { src_validator_addr, dst_validator_addr, amount, sender } => {
                let (src, dst, amount) = (valoper_arg(src_validator_addr)?, valoper_arg(dst_validator_addr)?, amount_arg(amount)?);
                sign_and_send(cli, sender, |from, _| Ok(vec![msg_redelegate(from, &src, &dst, &amount)])).await
            }
            TxCmd::CancelUnbond { validator_addr, amount, creation_height, sender } => {
                let (val, amount) = (valoper_arg(validator_addr)?, amount_arg(amount)?);
                if *creation_height <= 0 {
                    return Err(CliError::BadFlag { flag: "creation-height", reason: format!("{creation_height} is not a block height") });
                }
                sign_and_send(cli, sender, |from, _| Ok(vec![msg_cancel_unbond(from, &val, &amount, *creation_height)])).await
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cosmos_sdk_proto::cosmos::staking::v1beta1::MsgCreateValidator;

    fn operator() -> String {
        Address::from_bytes(&[1u8; 20]).unwrap().to_bech32()
    }

    fn file(extra: &str) -> std::result::Result<ValidatorFile, serde_json::Error> {
        serde_json::from_str(&format!(
            r#"{{"pubkey": {{"@type":"/cosmos.crypto.ed25519.PubKey","key":"AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE="}},
            "amount": "1000000uvvv", "moniker": "val", "security": "sec@x", "commission-rate": "0.1",
            "commission-max-rate": "0.2", "commission-max-change-rate": "0.01"{extra}}}"#
        ))
    }

    #[test]
    fn create_validator_from_the_sdk_file() {
        let f = file(r#", "min-self-delegation": "5""#).unwrap();
        let any = f.msg(&operator()).unwrap();
        let m = MsgCreateValidator::decode(any.value.as_slice()).unwrap();
        assert_eq!(m.validator_address, Address::parse(&operator()).unwrap().to_valoper());
        assert_eq!(m.description.as_ref().unwrap().security_contact, "sec@x");
        assert_eq!(m.min_self_delegation, "5");
        assert_eq!(m.commission.unwrap().max_rate, "200000000000000000");
        assert_eq!(m.value.unwrap().amount, "1000000");
        assert_eq!(file("").unwrap().min_self_delegation, "1", "defaults to 1 as the SDK");
        assert!(file(r#", "unknown": 1"#).is_err(), "misspelt fields are refused");
        let mut bad = file("").unwrap();
        bad.amount = "1000000uvvv,5ufoo".into();
        assert!(bad.msg(&operator()).is_err());
        let mut bad = file("").unwrap();
        bad.moniker = " ".into();
        assert!(bad.msg(&operator()).is_err());
    }

    #[test]
    fn edit_validator_leaves_absent_fields_alone() {
        let edit = EditFlags {
            new_moniker: "renamed".into(),
            identity: DO_NOT_MODIFY.into(),
            website: DO_NOT_MODIFY.into(),
            security_contact: DO_NOT_MODIFY.into(),
            details: DO_NOT_MODIFY.into(),
            commission_rate: Some("0.15".into()),
            min_self_delegation: None,
        };
        let m = MsgEditValidator::decode(edit.msg(&operator()).unwrap().value.as_slice()).unwrap();
        assert_eq!(m.description.as_ref().unwrap().moniker, "renamed");
        assert_eq!(m.description.unwrap().website, DO_NOT_MODIFY);
        assert_eq!((m.commission_rate.as_str(), m.min_self_delegation.as_str()), ("150000000000000000", ""));
        let bad = EditFlags { min_self_delegation: Some("1.5".into()), ..edit };
        assert!(bad.msg(&operator()).is_err());
    }
}
