//! staking genesis: `{"validators": [{"moniker", "consensus_pubkey" (base64
//! ed25519, as in priv_validator_key.json), "power" (string or number)}]}`.

use base64::Engine;
use serde::{Deserialize, Serialize};
use venice_sdk::module::ValidatorUpdate;
use venice_sdk::{Ctx, Error, Result};

use crate::state::{self, Validator};

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct GenesisState {
    #[serde(default)]
    pub validators: Vec<GenesisValidator>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct GenesisValidator {
    pub moniker: String,
    pub consensus_pubkey: String,
    #[serde(with = "venice_sdk::json::int_str")]
    pub power: i64,
}

pub fn parse(section: &serde_json::Value) -> Result<GenesisState> {
    serde_json::from_value(section.clone()).map_err(|e| Error::Genesis(format!("app_state.staking: {e}")))
}

/// The validators, checked, with the field at fault named.
pub fn validators(g: &GenesisState) -> Result<Vec<Validator>> {
    let mut out: Vec<Validator> = Vec::new();
    for (i, v) in g.validators.iter().enumerate() {
        let field = format!("staking.validators[{i}]");
        let key = base64::engine::general_purpose::STANDARD
            .decode(&v.consensus_pubkey)
            .map_err(|e| Error::Genesis(format!("{field}.consensus_pubkey: {e}")))?;
        if key.len() != 32 {
            return Err(Error::Genesis(format!("{field}.consensus_pubkey: ed25519 keys are 32 bytes, got {}", key.len())));
        }
        if v.power <= 0 {
            return Err(Error::Genesis(format!("{field}.power: must be positive")));
        }
        if out.iter().any(|o| o.consensus_pubkey == key) {
            return Err(Error::Genesis(format!("{field}.consensus_pubkey: duplicate validator")));
        }
        out.push(Validator { moniker: v.moniker.clone(), consensus_pubkey: key, power: v.power });
    }
    Ok(out)
}

/// Store the validators; they are CometBFT's first validator set.
pub fn init_genesis(ctx: &mut Ctx, g: &GenesisState) -> Result<Vec<ValidatorUpdate>> {
    let vals = validators(g)?;
    for v in &vals {
        state::set_validator(ctx, v)?;
    }
    Ok(vals.iter().map(update_of).collect())
}

pub fn export_genesis(ctx: &mut Ctx) -> Result<GenesisState> {
    let validators = state::validators(ctx)?
        .into_iter()
        .map(|v| GenesisValidator {
            moniker: v.moniker,
            consensus_pubkey: base64::engine::general_purpose::STANDARD.encode(&v.consensus_pubkey),
            power: v.power,
        })
        .collect();
    Ok(GenesisState { validators })
}

pub fn update_of(v: &Validator) -> ValidatorUpdate {
    use venice_sdk::module::crypto::{PublicKey, public_key::Sum};
    ValidatorUpdate { pub_key: Some(PublicKey { sum: Some(Sum::Ed25519(v.consensus_pubkey.clone())) }), power: v.power }
}
