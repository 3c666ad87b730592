//! slashing genesis in the SDK's JSON shape: `params`, `signing_infos`
//! (`{address, validator_signing_info}`), `missed_blocks`
//! (`{address, missed_blocks: [{index, missed}]}`).

use serde::{Deserialize, Serialize};
use serde_json::Value;
use venice_sdk::json::int_str;
use venice_sdk::{Address, Ctx, Error, Result};
use venice_types::time::Timestamp;

use crate::params::Params;
use crate::state::{self, SigningInfo};

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct GenesisState {
    #[serde(default)]
    pub params: Params,
    #[serde(default)]
    pub signing_infos: Vec<GenesisSigningInfo>,
    #[serde(default)]
    pub missed_blocks: Vec<GenesisMissedBlocks>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct GenesisSigningInfo {
    pub address: String,
    pub validator_signing_info: SigningInfoJson,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct SigningInfoJson {
    pub address: String,
    #[serde(with = "int_str")]
    pub start_height: i64,
    #[serde(with = "int_str")]
    pub index_offset: i64,
    pub jailed_until: String,
    pub tombstoned: bool,
    #[serde(with = "int_str")]
    pub missed_blocks_counter: i64,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct GenesisMissedBlocks {
    pub address: String,
    pub missed_blocks: Vec<MissedBlock>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct MissedBlock {
    #[serde(with = "int_str")]
    pub index: i64,
    pub missed: bool,
}

pub fn parse(section: &Value) -> Result<GenesisState> {
    serde_json::from_value(section.clone()).map_err(|e| Error::Genesis(format!("app_state.slashing: {e}")))
}

fn info_from_json(j: &GenesisSigningInfo) -> Result<SigningInfo> {
    let bad = |what: &str| Error::Genesis(format!("slashing.signing_infos: {what}"));
    let address = Address::parse_valcons(&j.address).map_err(|e| bad(&format!("{}: {e}", j.address)))?;
    let i = &j.validator_signing_info;
    if !i.address.is_empty() && i.address != j.address {
        return Err(bad(&format!("{} holds the record of {}", j.address, i.address)));
    }
    let jailed_until = Timestamp::parse_rfc3339(&i.jailed_until).ok_or_else(|| bad(&format!("jailed_until {:?}", i.jailed_until)))?;
    Ok(SigningInfo {
        address,
        start_height: i.start_height,
        index_offset: i.index_offset,
        jailed_until,
        tombstoned: i.tombstoned,
        missed_blocks_counter: i.missed_blocks_counter,
    })
}

fn info_to_json(i: &SigningInfo) -> GenesisSigningInfo {
    GenesisSigningInfo {
        address: i.address.to_valcons(),
        validator_signing_info: SigningInfoJson {
            address: i.address.to_valcons(),
            start_height: i.start_height,
            index_offset: i.index_offset,
            jailed_until: i.jailed_until.to_rfc3339(),
            tombstoned: i.tombstoned,
            missed_blocks_counter: i.missed_blocks_counter,
        },
    }
}

pub fn validate(g: &GenesisState) -> Result<()> {
    g.params.validate().map_err(|e| Error::Genesis(format!("slashing.params: {e}")))?;
    for i in &g.signing_infos {
        info_from_json(i)?;
    }
    for m in &g.missed_blocks {
        Address::parse_valcons(&m.address).map_err(|e| Error::Genesis(format!("slashing.missed_blocks: {}: {e}", m.address)))?;
        if let Some(b) = m.missed_blocks.iter().find(|b| b.index < 0 || b.index >= g.params.signed_blocks_window) {
            return Err(Error::Genesis(format!("slashing.missed_blocks: {}: index {} outside the window", m.address, b.index)));
        }
    }
    Ok(())
}

pub fn init_genesis(ctx: &mut Ctx, g: &GenesisState) -> Result<()> {
    validate(g)?;
    state::set_params(ctx, &g.params)?;
    for j in &g.signing_infos {
        state::set_signing_info(ctx, &info_from_json(j)?)?;
    }
    for m in &g.missed_blocks {
        let cons = Address::parse_valcons(&m.address)?;
        for b in m.missed_blocks.iter().filter(|b| b.missed) {
            state::set_missed(ctx, &cons, b.index, true)?;
        }
    }
    Ok(())
}

pub fn export_genesis(ctx: &mut Ctx) -> Result<GenesisState> {
    let params = state::params(ctx)?;
    let infos = state::signing_infos(ctx, None, usize::MAX)?;
    let mut missed_blocks = Vec::new();
    for i in &infos {
        let missed: Vec<MissedBlock> =
            state::missed_indices(ctx, &i.address)?.into_iter().map(|index| MissedBlock { index, missed: true }).collect();
        missed_blocks.push(GenesisMissedBlocks { address: i.address.to_valcons(), missed_blocks: missed });
    }
    Ok(GenesisState { params, signing_infos: infos.iter().map(info_to_json).collect(), missed_blocks })
}
