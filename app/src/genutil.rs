//! genutil: genesis transactions, as the Cosmos SDK's x/genutil. A gentx is
//! a signed `MsgCreateValidator` tx (account number 0, sequence 0, no fee)
//! kept in `app_state.genutil.gen_txs` in the SDK's JSON form; InitChain
//! delivers each through the normal tx path (ante handler, signatures,
//! messages) after every module's genesis, then asks staking for the
//! validator set, so the first validators are the gentxs' self-delegations.
//!
//! The section's owner is the `Genutil` module (it only checks the shape);
//! delivery needs the app's tx executor, so it lives here beside it.

use base64::Engine;
use cosmos_sdk_proto::Any;
use cosmos_sdk_proto::cosmos::staking::v1beta1::{CommissionRates, Description, MsgCreateValidator};
use cosmos_sdk_proto::cosmos::tx::v1beta1::{AuthInfo, Fee, ModeInfo, SignerInfo, TxBody, TxRaw, mode_info};
use prost::Message;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use venice_sdk::coin::JsonCoin;
use venice_sdk::json::int_str;
use venice_sdk::module::ValidatorUpdate;
use venice_sdk::{Coin, Ctx, Error, Module, Result};
use venice_staking::genesis::PubKeyJson;
use venice_types::{Dec, paths};

use crate::exec::{self, ExecMode};
use crate::modules::Modules;

pub const MODULE: &str = "genutil";
const PREFIX: &[u8] = b"genutil/";

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct GenesisState {
    #[serde(default)]
    pub gen_txs: Vec<Value>,
}

impl GenesisState {
    /// Each gentx as `TxRaw` bytes, the field at fault named.
    pub fn txs(&self) -> Result<Vec<Vec<u8>>> {
        self.gen_txs
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let tx: TxJson = serde_json::from_value(v.clone()).map_err(|e| Error::Genesis(format!("genutil.gen_txs[{i}]: {e}")))?;
                tx.to_raw().map_err(|e| Error::Genesis(format!("genutil.gen_txs[{i}]: {e}")))
            })
            .collect()
    }
}

pub fn parse(section: &Value) -> Result<GenesisState> {
    serde_json::from_value(section.clone()).map_err(|e| Error::Genesis(format!("app_state.genutil: {e}")))
}

/// Owns `app_state.genutil`; holds no state of its own.
pub struct Genutil;

impl Module for Genutil {
    fn name(&self) -> &'static str {
        MODULE
    }
    fn store_prefix(&self) -> &'static [u8] {
        PREFIX
    }
    fn default_genesis(&self) -> Value {
        serde_json::to_value(GenesisState::default()).expect("genutil genesis serialises")
    }
    fn validate_genesis(&self, section: &Value) -> Result<()> {
        parse(section)?.txs().map(|_| ())
    }
    fn init_genesis(&self, _ctx: &mut Ctx, _section: &Value) -> Result<Vec<ValidatorUpdate>> {
        // Delivered by `deliver_gentxs`, after every module's genesis.
        Ok(vec![])
    }
    fn export_genesis(&self, _ctx: &mut Ctx) -> Result<Value> {
        // An exported state has its validators in staking already.
        Ok(self.default_genesis())
    }
}

/// Deliver the gentxs of `section` in order, then return the validator set
/// they bonded. Any failing gentx fails genesis, naming it and why.
pub fn deliver_gentxs(modules: &Modules, ctx: &mut Ctx, section: Option<&Value>) -> Result<Option<Vec<ValidatorUpdate>>> {
    let Some(section) = section else { return Ok(None) };
    let txs = parse(section)?.txs()?;
    if txs.is_empty() {
        return Ok(None);
    }
    for (i, tx) in txs.iter().enumerate() {
        let out = exec::run_tx(modules, ctx, tx, ExecMode::Deliver, &[], None);
        if let Err(e) = out.result {
            return Err(Error::Genesis(format!("genutil.gen_txs[{i}]: {e}")));
        }
    }
    ctx.set_gas_meter(venice_sdk::GasMeter::infinite());
    let staking = modules.staking.clone();
    ctx.scoped(venice_staking::state::PREFIX, |ctx| staking.apply_validator_set_updates(ctx)).map(Some)
}

// ---- the SDK's JSON form of a gentx ------------------------------------------

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct TxJson {
    pub body: BodyJson,
    pub auth_info: AuthInfoJson,
    pub signatures: Vec<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct BodyJson {
    pub messages: Vec<CreateValidatorJson>,
    #[serde(default)]
    pub memo: String,
    #[serde(default, with = "int_str")]
    pub timeout_height: u64,
    #[serde(default)]
    pub extension_options: Vec<Value>,
    #[serde(default)]
    pub non_critical_extension_options: Vec<Value>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct CreateValidatorJson {
    #[serde(rename = "@type")]
    pub type_url: String,
    pub description: venice_staking::genesis::DescriptionJson,
    pub commission: venice_staking::genesis::CommissionRatesJson,
    pub min_self_delegation: String,
    #[serde(default)]
    pub delegator_address: String,
    pub validator_address: String,
    pub pubkey: PubKeyJson,
    pub value: JsonCoin,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct AuthInfoJson {
    pub signer_infos: Vec<SignerInfoJson>,
    pub fee: FeeJson,
    #[serde(default)]
    pub tip: Option<Value>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct SignerInfoJson {
    pub public_key: PubKeyJson,
    pub mode_info: Value,
    #[serde(with = "int_str")]
    pub sequence: u64,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct FeeJson {
    #[serde(default)]
    pub amount: Vec<JsonCoin>,
    #[serde(with = "int_str")]
    pub gas_limit: u64,
    #[serde(default)]
    pub payer: String,
    #[serde(default)]
    pub granter: String,
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn unb64(s: &str, what: &str) -> std::result::Result<Vec<u8>, String> {
    base64::engine::general_purpose::STANDARD.decode(s).map_err(|e| format!("{what}: {e}"))
}

fn dec_json(s: &str, what: &str) -> std::result::Result<String, String> {
    Dec::parse(s).map(Dec::to_atto_string).ok_or_else(|| format!("{what}: {s:?} is not a decimal"))
}

impl TxJson {
    /// The `TxRaw` the signatures were made over (protobuf re-encoding of
    /// the same fields gives the same bytes).
    pub fn to_raw(&self) -> std::result::Result<Vec<u8>, String> {
        if self.body.messages.len() != 1 || self.body.messages[0].type_url != paths::MSG_CREATE_VALIDATOR_URL {
            return Err(format!("a gentx holds exactly one {}", paths::MSG_CREATE_VALIDATOR_URL));
        }
        let m = &self.body.messages[0];
        if m.pubkey.type_url != paths::ED25519_PUBKEY_URL {
            return Err(format!("pubkey: unsupported key type {}", m.pubkey.type_url));
        }
        let d = &m.description;
        let msg = MsgCreateValidator {
            description: Some(Description {
                moniker: d.moniker.clone(),
                identity: d.identity.clone(),
                website: d.website.clone(),
                security_contact: d.security_contact.clone(),
                details: d.details.clone(),
            }),
            commission: Some(CommissionRates {
                rate: dec_json(&m.commission.rate, "commission.rate")?,
                max_rate: dec_json(&m.commission.max_rate, "commission.max_rate")?,
                max_change_rate: dec_json(&m.commission.max_change_rate, "commission.max_change_rate")?,
            }),
            min_self_delegation: m.min_self_delegation.clone(),
            #[allow(deprecated)]
            delegator_address: m.delegator_address.clone(),
            validator_address: m.validator_address.clone(),
            pubkey: Some(venice_staking::types::ed25519_any(&unb64(&m.pubkey.key, "pubkey")?)),
            value: Some(cosmos_sdk_proto::cosmos::base::v1beta1::Coin { denom: m.value.denom.clone(), amount: m.value.amount.clone() }),
        };
        let body = TxBody {
            messages: vec![Any { type_url: paths::MSG_CREATE_VALIDATOR_URL.into(), value: msg.encode_to_vec() }],
            memo: self.body.memo.clone(),
            timeout_height: self.body.timeout_height,
            extension_options: vec![],
            non_critical_extension_options: vec![],
        };
        let [signer] = self.auth_info.signer_infos.as_slice() else { return Err("a gentx has exactly one signer".into()) };
        if signer.public_key.type_url != paths::SECP256K1_PUBKEY_URL {
            return Err(format!("signer public key: unsupported type {}", signer.public_key.type_url));
        }
        let fee = &self.auth_info.fee;
        #[allow(deprecated)]
        let auth = AuthInfo {
            signer_infos: vec![SignerInfo {
                public_key: Some(venice_types::tx::secp256k1_pubkey_any(&unb64(&signer.public_key.key, "signer public key")?)),
                mode_info: Some(ModeInfo {
                    sum: Some(mode_info::Sum::Single(mode_info::Single {
                        mode: cosmos_sdk_proto::cosmos::tx::signing::v1beta1::SignMode::Direct as i32,
                    })),
                }),
                sequence: signer.sequence,
            }],
            fee: Some(Fee {
                amount: fee
                    .amount
                    .iter()
                    .map(|c| Coin::try_from(c).map(|c| c.to_proto()).map_err(|e| format!("fee: {e}")))
                    .collect::<std::result::Result<_, _>>()?,
                gas_limit: fee.gas_limit,
                payer: fee.payer.clone(),
                granter: fee.granter.clone(),
            }),
            tip: None,
        };
        let signatures = self.signatures.iter().map(|s| unb64(s, "signature")).collect::<std::result::Result<_, _>>()?;
        Ok(TxRaw { body_bytes: body.encode_to_vec(), auth_info_bytes: auth.encode_to_vec(), signatures }.encode_to_vec())
    }

    /// The JSON form of a gentx's `TxRaw`.
    pub fn from_raw(raw: &[u8]) -> std::result::Result<TxJson, String> {
        let raw = TxRaw::decode(raw).map_err(|e| e.to_string())?;
        let body = TxBody::decode(raw.body_bytes.as_slice()).map_err(|e| e.to_string())?;
        let auth = AuthInfo::decode(raw.auth_info_bytes.as_slice()).map_err(|e| e.to_string())?;
        let [any] = body.messages.as_slice() else { return Err("a gentx holds exactly one message".into()) };
        let m = MsgCreateValidator::decode(any.value.as_slice()).map_err(|e| e.to_string())?;
        let pk = venice_staking::types::ed25519_from_any(m.pubkey.as_ref().ok_or("pubkey missing")?).map_err(|e| e.to_string())?;
        let d = m.description.clone().unwrap_or_default();
        let c = m.commission.clone().unwrap_or_default();
        let rate = |s: &str| Dec::from_atto_str(s).map(Dec::to_sdk_string).ok_or_else(|| format!("bad rate {s:?}"));
        let value = m.value.clone().ok_or("value missing")?;
        let [si] = auth.signer_infos.as_slice() else { return Err("a gentx has exactly one signer".into()) };
        let spk = cosmos_sdk_proto::cosmos::crypto::secp256k1::PubKey::decode(
            si.public_key.as_ref().ok_or("signer key missing")?.value.as_slice(),
        )
        .map_err(|e| e.to_string())?;
        let fee = auth.fee.clone().unwrap_or_default();
        Ok(TxJson {
            body: BodyJson {
                messages: vec![CreateValidatorJson {
                    type_url: any.type_url.clone(),
                    description: venice_staking::genesis::DescriptionJson {
                        moniker: d.moniker,
                        identity: d.identity,
                        website: d.website,
                        security_contact: d.security_contact,
                        details: d.details,
                    },
                    commission: venice_staking::genesis::CommissionRatesJson {
                        rate: rate(&c.rate)?,
                        max_rate: rate(&c.max_rate)?,
                        max_change_rate: rate(&c.max_change_rate)?,
                    },
                    min_self_delegation: m.min_self_delegation.clone(),
                    #[allow(deprecated)]
                    delegator_address: m.delegator_address.clone(),
                    validator_address: m.validator_address.clone(),
                    pubkey: PubKeyJson { type_url: paths::ED25519_PUBKEY_URL.into(), key: b64(&pk) },
                    value: JsonCoin { denom: value.denom, amount: value.amount },
                }],
                memo: body.memo,
                timeout_height: body.timeout_height,
                extension_options: vec![],
                non_critical_extension_options: vec![],
            },
            auth_info: AuthInfoJson {
                signer_infos: vec![SignerInfoJson {
                    public_key: PubKeyJson { type_url: paths::SECP256K1_PUBKEY_URL.into(), key: b64(&spk.key) },
                    mode_info: serde_json::json!({"single": {"mode": "SIGN_MODE_DIRECT"}}),
                    sequence: si.sequence,
                }],
                fee: FeeJson {
                    amount: fee.amount.iter().map(|c| JsonCoin { denom: c.denom.clone(), amount: c.amount.clone() }).collect(),
                    gas_limit: fee.gas_limit,
                    payer: fee.payer,
                    granter: fee.granter,
                },
                tip: None,
            },
            signatures: raw.signatures.iter().map(|s| b64(s)).collect(),
        })
    }
}
