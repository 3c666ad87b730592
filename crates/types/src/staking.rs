//! What a new validator is made of, built one way for `veniced genesis
//! gentx` and `venice tx staking create-validator`: the description, the
//! commission rates (decimal text such as `0.10`), the minimum
//! self-delegation, and the ed25519 consensus key in the JSON that
//! `comet show-validator` prints (`{"@type":"/cosmos.crypto.ed25519.PubKey",
//! "key":"<base64>"}`).

use base64::Engine;
use cosmos_sdk_proto::Any;
use cosmos_sdk_proto::cosmos::crypto::ed25519::PubKey as Ed25519PubKey;
use cosmos_sdk_proto::cosmos::staking::v1beta1::{CommissionRates, Description, MsgCreateValidator};
use prost::Message;
use serde::{Deserialize, Serialize};

use crate::error::TypesError;
use crate::paths::{ED25519_PUBKEY_URL, MSG_CREATE_VALIDATOR_URL};
use crate::{Coin, Dec};

fn bad(reason: impl Into<String>) -> TypesError {
    TypesError::BadValidator(reason.into())
}

/// A consensus public key as `comet show-validator` prints it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsensusKeyJson {
    #[serde(rename = "@type")]
    pub type_url: String,
    pub key: String,
}

impl ConsensusKeyJson {
    pub fn ed25519(key: &[u8]) -> Self {
        ConsensusKeyJson { type_url: ED25519_PUBKEY_URL.into(), key: base64::engine::general_purpose::STANDARD.encode(key) }
    }

    /// The 32 raw key bytes; only ed25519 keys are accepted (the chain's rule).
    pub fn ed25519_bytes(&self) -> Result<Vec<u8>, TypesError> {
        if self.type_url != ED25519_PUBKEY_URL {
            return Err(bad(format!("consensus key type {:?} is not supported, only {ED25519_PUBKEY_URL}", self.type_url)));
        }
        let key = base64::engine::general_purpose::STANDARD.decode(&self.key).map_err(|e| bad(format!("consensus key: {e}")))?;
        if key.len() != 32 {
            return Err(bad(format!("consensus key: ed25519 keys are 32 bytes, got {}", key.len())));
        }
        Ok(key)
    }
}

/// An ed25519 key as the `Any` the SDK puts in `consensus_pubkey`.
pub fn ed25519_pubkey_any(key: &[u8]) -> Any {
    Any { type_url: ED25519_PUBKEY_URL.into(), value: Ed25519PubKey { key: key.to_vec() }.encode_to_vec() }
}

/// The human-readable description of a validator.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ValidatorDescription {
    pub moniker: String,
    pub identity: String,
    pub website: String,
    pub security_contact: String,
    pub details: String,
}

impl ValidatorDescription {
    pub fn to_proto(&self) -> Description {
        Description {
            moniker: self.moniker.clone(),
            identity: self.identity.clone(),
            website: self.website.clone(),
            security_contact: self.security_contact.clone(),
            details: self.details.clone(),
        }
    }
}

/// Commission rates as decimal text, e.g. `0.10`, `0.20`, `0.01`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommissionText {
    pub rate: String,
    pub max_rate: String,
    pub max_change_rate: String,
}

/// A decimal option (`--commission-rate 0.1`) as the atto integer the
/// protobuf field carries.
pub fn dec_field(text: &str, name: &str) -> Result<String, TypesError> {
    Dec::parse(text).map(Dec::to_atto_string).ok_or_else(|| bad(format!("{name}: {text:?} is not a decimal like 0.10")))
}

impl CommissionText {
    pub fn to_proto(&self) -> Result<CommissionRates, TypesError> {
        Ok(CommissionRates {
            rate: dec_field(&self.rate, "commission-rate")?,
            max_rate: dec_field(&self.max_rate, "commission-max-rate")?,
            max_change_rate: dec_field(&self.max_change_rate, "commission-max-change-rate")?,
        })
    }
}

/// `MsgCreateValidator` of operator `valoper` (its `venicevaloper…`
/// address) self-delegating `value` for consensus key `cons_key`.
pub fn msg_create_validator(
    description: &ValidatorDescription,
    commission: &CommissionText,
    min_self_delegation: &str,
    valoper: &str,
    cons_key: &[u8],
    value: &Coin,
) -> Result<Any, TypesError> {
    if min_self_delegation.is_empty() || !min_self_delegation.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad(format!("min-self-delegation: {min_self_delegation:?} is not a positive integer")));
    }
    let msg = MsgCreateValidator {
        description: Some(description.to_proto()),
        commission: Some(commission.to_proto()?),
        min_self_delegation: min_self_delegation.to_string(),
        #[allow(deprecated)]
        delegator_address: String::new(),
        validator_address: valoper.to_string(),
        pubkey: Some(ed25519_pubkey_any(cons_key)),
        value: Some(value.to_proto()),
    };
    Ok(Any { type_url: MSG_CREATE_VALIDATOR_URL.into(), value: msg.encode_to_vec() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn consensus_key_json() {
        let j: ConsensusKeyJson =
            serde_json::from_str(r#"{"@type":"/cosmos.crypto.ed25519.PubKey","key":"AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE="}"#)
                .unwrap();
        assert_eq!(j.ed25519_bytes().unwrap(), vec![1u8; 32]);
        assert_eq!(ConsensusKeyJson::ed25519(&[1u8; 32]), j);
        let short = ConsensusKeyJson { key: "AQID".into(), ..j.clone() };
        assert!(short.ed25519_bytes().is_err());
        let secp = ConsensusKeyJson { type_url: "/cosmos.crypto.secp256k1.PubKey".into(), ..j };
        assert!(secp.ed25519_bytes().unwrap_err().to_string().contains("not supported"));
    }

    #[test]
    fn create_validator_message() {
        let d = ValidatorDescription { moniker: "v".into(), ..Default::default() };
        let c = CommissionText { rate: "0.1".into(), max_rate: "0.2".into(), max_change_rate: "0.01".into() };
        let any = msg_create_validator(&d, &c, "5", "venicevaloper1x", &[2u8; 32], &Coin::new("uvvv", 9)).unwrap();
        assert_eq!(any.type_url, MSG_CREATE_VALIDATOR_URL);
        let m = MsgCreateValidator::decode(any.value.as_slice()).unwrap();
        let rates = m.commission.unwrap();
        assert_eq!((rates.rate.as_str(), rates.max_change_rate.as_str()), ("100000000000000000", "10000000000000000"));
        assert_eq!(m.pubkey.unwrap(), ed25519_pubkey_any(&[2u8; 32]));
        assert_eq!(m.value.unwrap().amount, "9");
        assert!(msg_create_validator(&d, &c, "-1", "v", &[2u8; 32], &Coin::new("uvvv", 9)).is_err());
        let bad_rate = CommissionText { rate: "ten".into(), ..c };
        assert!(msg_create_validator(&d, &bad_rate, "1", "v", &[2u8; 32], &Coin::new("uvvv", 9)).is_err());
    }
}
