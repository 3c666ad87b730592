//! staking genesis in the SDK's JSON shape: params, last_total_power,
//! last_validator_powers, validators, delegations, unbonding_delegations,
//! redelegations, exported. A new chain's validators usually come from
//! gentxs (delivered after this module's genesis, see the app's genutil);
//! an exported state carries them here, with the pools' balances in bank.

use base64::Engine;
use serde::{Deserialize, Serialize};
use venice_sdk::json::int_str;
use venice_sdk::module::ValidatorUpdate;
use venice_sdk::{Address, Ctx, Error, Result};
use venice_types::time::Timestamp;
use venice_types::{Dec, paths};

use crate::params::Params;
use crate::types::{
    BondStatus, Commission, CommissionRates, Description, Redelegation, RedelegationEntry, UnbondingDelegation, UnbondingEntry, Validator,
};
use crate::{Staking, bonded_pool, not_bonded_pool, state};

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct GenesisState {
    #[serde(default)]
    pub params: Params,
    #[serde(default, with = "int_str")]
    pub last_total_power: i64,
    #[serde(default)]
    pub last_validator_powers: Vec<LastValidatorPower>,
    #[serde(default)]
    pub validators: Vec<GenesisValidator>,
    #[serde(default)]
    pub delegations: Vec<GenesisDelegation>,
    #[serde(default)]
    pub unbonding_delegations: Vec<GenesisUnbonding>,
    #[serde(default)]
    pub redelegations: Vec<GenesisRedelegation>,
    #[serde(default)]
    pub exported: bool,
    /// Venice: bonded stake locked by compute credits (absent when none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub locked_stakes: Vec<LockedStake>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct LockedStake {
    pub delegator_address: String,
    #[serde(with = "int_str")]
    pub amount: u128,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct LastValidatorPower {
    pub address: String,
    #[serde(with = "int_str")]
    pub power: i64,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct PubKeyJson {
    #[serde(rename = "@type")]
    pub type_url: String,
    pub key: String,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct DescriptionJson {
    #[serde(default)]
    pub moniker: String,
    #[serde(default)]
    pub identity: String,
    #[serde(default)]
    pub website: String,
    #[serde(default)]
    pub security_contact: String,
    #[serde(default)]
    pub details: String,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct CommissionRatesJson {
    pub rate: String,
    pub max_rate: String,
    pub max_change_rate: String,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct CommissionJson {
    pub commission_rates: CommissionRatesJson,
    pub update_time: String,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct GenesisValidator {
    pub operator_address: String,
    pub consensus_pubkey: PubKeyJson,
    #[serde(default)]
    pub jailed: bool,
    pub status: String,
    pub tokens: String,
    pub delegator_shares: String,
    #[serde(default)]
    pub description: DescriptionJson,
    #[serde(default, with = "int_str")]
    pub unbonding_height: i64,
    #[serde(default = "epoch")]
    pub unbonding_time: String,
    pub commission: CommissionJson,
    pub min_self_delegation: String,
    #[serde(default, with = "int_str")]
    pub unbonding_on_hold_ref_count: i64,
    #[serde(default)]
    pub unbonding_ids: Vec<String>,
}

fn epoch() -> String {
    Timestamp::default().to_rfc3339()
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct GenesisDelegation {
    pub delegator_address: String,
    pub validator_address: String,
    pub shares: String,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct GenesisUnbondingEntry {
    #[serde(with = "int_str")]
    pub creation_height: i64,
    pub completion_time: String,
    pub initial_balance: String,
    pub balance: String,
    #[serde(default, with = "int_str")]
    pub unbonding_id: u64,
    #[serde(default, with = "int_str")]
    pub unbonding_on_hold_ref_count: i64,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct GenesisUnbonding {
    pub delegator_address: String,
    pub validator_address: String,
    pub entries: Vec<GenesisUnbondingEntry>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct GenesisRedelegationEntry {
    #[serde(with = "int_str")]
    pub creation_height: i64,
    pub completion_time: String,
    pub initial_balance: String,
    pub shares_dst: String,
    #[serde(default, with = "int_str")]
    pub unbonding_id: u64,
    #[serde(default, with = "int_str")]
    pub unbonding_on_hold_ref_count: i64,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct GenesisRedelegation {
    pub delegator_address: String,
    pub validator_src_address: String,
    pub validator_dst_address: String,
    pub entries: Vec<GenesisRedelegationEntry>,
}

pub fn parse(section: &serde_json::Value) -> Result<GenesisState> {
    let g: GenesisState = serde_json::from_value(section.clone()).map_err(|e| Error::Genesis(format!("app_state.staking: {e}")))?;
    g.params.validate().map_err(Error::Genesis)?;
    Ok(g)
}

fn gerr(field: &str, e: impl std::fmt::Display) -> Error {
    Error::Genesis(format!("{field}: {e}"))
}

fn dec(s: &str, field: &str) -> Result<Dec> {
    Dec::parse(s).ok_or_else(|| gerr(field, format!("{s:?} is not a decimal")))
}

fn int(s: &str, field: &str) -> Result<u128> {
    s.parse().map_err(|_| gerr(field, format!("{s:?} is not a non-negative integer")))
}

fn time(s: &str, field: &str) -> Result<Timestamp> {
    Timestamp::parse_rfc3339(s).ok_or_else(|| gerr(field, format!("{s:?} is not an RFC 3339 time")))
}

impl GenesisValidator {
    pub fn from_validator(v: &Validator) -> Self {
        let r = &v.commission.rates;
        GenesisValidator {
            operator_address: v.operator.to_valoper(),
            consensus_pubkey: PubKeyJson {
                type_url: paths::ED25519_PUBKEY_URL.into(),
                key: base64::engine::general_purpose::STANDARD.encode(&v.consensus_pubkey),
            },
            jailed: v.jailed,
            status: v.status.to_proto().as_str_name().into(),
            tokens: v.tokens.to_string(),
            delegator_shares: v.delegator_shares.to_sdk_string(),
            description: DescriptionJson {
                moniker: v.description.moniker.clone(),
                identity: v.description.identity.clone(),
                website: v.description.website.clone(),
                security_contact: v.description.security_contact.clone(),
                details: v.description.details.clone(),
            },
            unbonding_height: v.unbonding_height,
            unbonding_time: v.unbonding_time.to_rfc3339(),
            commission: CommissionJson {
                commission_rates: CommissionRatesJson {
                    rate: r.rate.to_sdk_string(),
                    max_rate: r.max_rate.to_sdk_string(),
                    max_change_rate: r.max_change_rate.to_sdk_string(),
                },
                update_time: v.commission.update_time.to_rfc3339(),
            },
            min_self_delegation: v.min_self_delegation.to_string(),
            unbonding_on_hold_ref_count: v.unbonding_on_hold_ref_count,
            unbonding_ids: v.unbonding_ids.iter().map(u64::to_string).collect(),
        }
    }

    pub fn to_validator(&self, field: &str) -> Result<Validator> {
        if self.consensus_pubkey.type_url != paths::ED25519_PUBKEY_URL {
            return Err(gerr(&format!("{field}.consensus_pubkey"), format!("unsupported key type {}", self.consensus_pubkey.type_url)));
        }
        let key = base64::engine::general_purpose::STANDARD
            .decode(&self.consensus_pubkey.key)
            .map_err(|e| gerr(&format!("{field}.consensus_pubkey"), e))?;
        if key.len() != 32 {
            return Err(gerr(&format!("{field}.consensus_pubkey"), format!("ed25519 keys are 32 bytes, got {}", key.len())));
        }
        let c = &self.commission.commission_rates;
        let rates = CommissionRates {
            rate: dec(&c.rate, &format!("{field}.commission.rate"))?,
            max_rate: dec(&c.max_rate, &format!("{field}.commission.max_rate"))?,
            max_change_rate: dec(&c.max_change_rate, &format!("{field}.commission.max_change_rate"))?,
        };
        rates.validate().map_err(|e| gerr(&format!("{field}.commission"), e))?;
        let d = &self.description;
        Ok(Validator {
            operator: Address::parse_valoper(&self.operator_address).map_err(|e| gerr(&format!("{field}.operator_address"), e))?,
            consensus_pubkey: key,
            jailed: self.jailed,
            status: BondStatus::from_name(&self.status)
                .ok_or_else(|| gerr(&format!("{field}.status"), format!("unknown status {}", self.status)))?,
            tokens: int(&self.tokens, &format!("{field}.tokens"))?,
            delegator_shares: dec(&self.delegator_shares, &format!("{field}.delegator_shares"))?,
            description: Description {
                moniker: d.moniker.clone(),
                identity: d.identity.clone(),
                website: d.website.clone(),
                security_contact: d.security_contact.clone(),
                details: d.details.clone(),
            },
            unbonding_height: self.unbonding_height,
            unbonding_time: time(&self.unbonding_time, &format!("{field}.unbonding_time"))?,
            commission: Commission { rates, update_time: time(&self.commission.update_time, &format!("{field}.commission.update_time"))? },
            min_self_delegation: int(&self.min_self_delegation, &format!("{field}.min_self_delegation"))?,
            unbonding_on_hold_ref_count: self.unbonding_on_hold_ref_count,
            unbonding_ids: self
                .unbonding_ids
                .iter()
                .map(|s| s.parse().map_err(|_| gerr(&format!("{field}.unbonding_ids"), s)))
                .collect::<Result<_>>()?,
        })
    }
}

/// Stateless checks of every record (addresses, numbers, keys).
pub fn validate(g: &GenesisState) -> Result<()> {
    for (i, v) in g.validators.iter().enumerate() {
        v.to_validator(&format!("staking.validators[{i}]"))?;
    }
    for l in &g.locked_stakes {
        Address::parse(&l.delegator_address)?;
    }
    Ok(())
}

pub fn init_genesis(k: &Staking, ctx: &mut Ctx, g: &GenesisState) -> Result<Vec<ValidatorUpdate>> {
    state::set_params(ctx, &g.params)?;
    for l in &g.locked_stakes {
        state::set_locked_stake(ctx, &Address::parse(&l.delegator_address)?, l.amount)?;
    }
    state::set_last_total_power(ctx, g.last_total_power)?;
    let (mut bonded, mut not_bonded) = (0u128, 0u128);
    for (i, gv) in g.validators.iter().enumerate() {
        let v = gv.to_validator(&format!("staking.validators[{i}]"))?;
        if state::validator(ctx, &v.operator)?.is_some() || state::validator_by_cons(ctx, &v.cons_address())?.is_some() {
            return Err(gerr(&format!("staking.validators[{i}]"), "duplicate validator"));
        }
        state::set_validator(ctx, &v)?;
        state::set_validator_by_cons(ctx, &v)?;
        state::set_power_index(ctx, &v)?;
        if !g.exported {
            k.hooks.after_validator_created(ctx, &v.operator)?;
        }
        if v.status == BondStatus::Unbonding {
            state::push_val_queue(ctx, &v)?;
        }
        match v.status {
            BondStatus::Bonded => bonded += v.tokens,
            _ => not_bonded += v.tokens,
        }
    }
    for (i, d) in g.delegations.iter().enumerate() {
        let f = format!("staking.delegations[{i}]");
        let del = Address::parse(&d.delegator_address).map_err(|e| gerr(&format!("{f}.delegator_address"), e))?;
        let val = Address::parse_valoper(&d.validator_address).map_err(|e| gerr(&format!("{f}.validator_address"), e))?;
        if !g.exported {
            k.hooks.before_delegation_created(ctx, &del, &val)?;
        }
        state::set_delegation(ctx, &del, &val, dec(&d.shares, &format!("{f}.shares"))?)?;
        if !g.exported {
            k.hooks.after_delegation_modified(ctx, &del, &val)?;
        }
    }
    for (i, u) in g.unbonding_delegations.iter().enumerate() {
        let f = format!("staking.unbonding_delegations[{i}]");
        let ubd = UnbondingDelegation {
            delegator: Address::parse(&u.delegator_address).map_err(|e| gerr(&format!("{f}.delegator_address"), e))?,
            validator: Address::parse_valoper(&u.validator_address).map_err(|e| gerr(&format!("{f}.validator_address"), e))?,
            entries: u
                .entries
                .iter()
                .map(|e| {
                    Ok(UnbondingEntry {
                        creation_height: e.creation_height,
                        completion_time: time(&e.completion_time, &format!("{f}.completion_time"))?,
                        initial_balance: int(&e.initial_balance, &format!("{f}.initial_balance"))?,
                        balance: int(&e.balance, &format!("{f}.balance"))?,
                        unbonding_id: e.unbonding_id,
                        unbonding_on_hold_ref_count: e.unbonding_on_hold_ref_count,
                    })
                })
                .collect::<Result<_>>()?,
        };
        state::set_ubd(ctx, &ubd)?;
        for e in &ubd.entries {
            state::push_ubd_queue(ctx, e.completion_time, &ubd.delegator, &ubd.validator)?;
            not_bonded += e.balance;
        }
    }
    for (i, r) in g.redelegations.iter().enumerate() {
        let f = format!("staking.redelegations[{i}]");
        let red = Redelegation {
            delegator: Address::parse(&r.delegator_address).map_err(|e| gerr(&format!("{f}.delegator_address"), e))?,
            src: Address::parse_valoper(&r.validator_src_address).map_err(|e| gerr(&format!("{f}.validator_src_address"), e))?,
            dst: Address::parse_valoper(&r.validator_dst_address).map_err(|e| gerr(&format!("{f}.validator_dst_address"), e))?,
            entries: r
                .entries
                .iter()
                .map(|e| {
                    Ok(RedelegationEntry {
                        creation_height: e.creation_height,
                        completion_time: time(&e.completion_time, &format!("{f}.completion_time"))?,
                        initial_balance: int(&e.initial_balance, &format!("{f}.initial_balance"))?,
                        shares_dst: dec(&e.shares_dst, &format!("{f}.shares_dst"))?,
                        unbonding_id: e.unbonding_id,
                        unbonding_on_hold_ref_count: e.unbonding_on_hold_ref_count,
                    })
                })
                .collect::<Result<_>>()?,
        };
        state::set_red(ctx, &red)?;
        for e in &red.entries {
            state::push_red_queue(ctx, e.completion_time, &red.delegator, &red.src, &red.dst)?;
        }
    }
    // The pools must hold exactly what the records say (bank's genesis ran first).
    let denom = g.params.bond_denom.clone();
    for (pool, want, name) in [(bonded_pool(), bonded, "bonded"), (not_bonded_pool(), not_bonded, "not bonded")] {
        let have = k.bank.balance(ctx, &pool, &denom)?;
        if have != want {
            return Err(Error::Genesis(format!("{name} pool balance is different from {name} coins: {have}{denom} <-> {want}{denom}")));
        }
    }
    if g.exported {
        let mut out = Vec::new();
        for (i, lv) in g.last_validator_powers.iter().enumerate() {
            let op = Address::parse_valoper(&lv.address).map_err(|e| gerr(&format!("staking.last_validator_powers[{i}].address"), e))?;
            state::set_last_power(ctx, &op, lv.power)?;
            let v = k.get_validator(ctx, &op).map_err(|e| gerr(&format!("staking.last_validator_powers[{i}]"), e))?;
            out.push(v.abci_update(lv.power));
        }
        Ok(out)
    } else {
        k.apply_validator_set_updates(ctx)
    }
}

pub fn export_genesis(ctx: &mut Ctx) -> Result<GenesisState> {
    let params = state::params(ctx)?;
    let validators = state::validators(ctx, None, usize::MAX)?.iter().map(GenesisValidator::from_validator).collect();
    let last_validator_powers =
        state::last_powers(ctx)?.into_iter().map(|(op, power)| LastValidatorPower { address: op.to_valoper(), power }).collect();
    let delegations = state::all_delegations(ctx)?
        .into_iter()
        .map(|(d, v, s)| GenesisDelegation {
            delegator_address: d.to_bech32(),
            validator_address: v.to_valoper(),
            shares: s.to_sdk_string(),
        })
        .collect();
    let unbonding_delegations = state::all_ubds(ctx)?
        .into_iter()
        .map(|u| GenesisUnbonding {
            delegator_address: u.delegator.to_bech32(),
            validator_address: u.validator.to_valoper(),
            entries: u
                .entries
                .iter()
                .map(|e| GenesisUnbondingEntry {
                    creation_height: e.creation_height,
                    completion_time: e.completion_time.to_rfc3339(),
                    initial_balance: e.initial_balance.to_string(),
                    balance: e.balance.to_string(),
                    unbonding_id: e.unbonding_id,
                    unbonding_on_hold_ref_count: e.unbonding_on_hold_ref_count,
                })
                .collect(),
        })
        .collect();
    let redelegations = state::all_reds(ctx)?
        .into_iter()
        .map(|r| GenesisRedelegation {
            delegator_address: r.delegator.to_bech32(),
            validator_src_address: r.src.to_valoper(),
            validator_dst_address: r.dst.to_valoper(),
            entries: r
                .entries
                .iter()
                .map(|e| GenesisRedelegationEntry {
                    creation_height: e.creation_height,
                    completion_time: e.completion_time.to_rfc3339(),
                    initial_balance: e.initial_balance.to_string(),
                    shares_dst: e.shares_dst.to_sdk_string(),
                    unbonding_id: e.unbonding_id,
                    unbonding_on_hold_ref_count: e.unbonding_on_hold_ref_count,
                })
                .collect(),
        })
        .collect();
    Ok(GenesisState {
        params,
        last_total_power: state::last_total_power(ctx)?,
        last_validator_powers,
        validators,
        delegations,
        unbonding_delegations,
        redelegations,
        exported: true,
        locked_stakes: state::all_locked_stakes(ctx)?
            .into_iter()
            .map(|(d, amount)| LockedStake { delegator_address: d.to_bech32(), amount })
            .collect(),
    })
}
