//! `veniced genesis export`: the state at a committed height as a
//! genesis.json that `veniced init`'s format reads, for the Cosmos SDK's
//! export → new chain workflow (upgrades, testnets from mainnet state).
//!
//! The new chain starts at height 1 (as the SDK's `--for-zero-height`):
//! accounts keep their numbers and sequences, balances, supply, params and
//! validators carry over; block history does not.

use std::path::Path;

use anyhow::{Context, Result, anyhow, bail};
use base64::Engine;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use venice_sdk::{BlockInfo, Ctx};
use venice_store::{ChangeSet, Store, StoreOptions};

use crate::genesis::AppGenesis;
use crate::home;
use crate::modules::Modules;

/// Export the state of `height` (default: the last committed one) of the
/// node at `home`, over its genesis.json as a template.
pub fn export(home: &Path, height: Option<u64>, chain_id: Option<&str>) -> Result<Value> {
    let template = home::read_json(&home::genesis_path(home))?;
    // sled holds an exclusive lock: a running node must be stopped first.
    let store = Store::open(&home::store_path(home), StoreOptions::default())
        .with_context(|| format!("opening {} (stop veniced before exporting)", home::store_path(home).display()))?;
    let modules = Modules::with_wasm(venice_wasm::WasmConfig::at(home::wasm_dir(home)));
    let out = export_store_with(&store, &modules, &template, height, chain_id);
    store.wait_indexed().context("store index")?;
    out
}

/// Export from an open store (tests use this directly); contract code is
/// read from the wasm directory beside the store, as `App::new` keeps it.
pub fn export_store(store: &Store, template: &Value, height: Option<u64>, chain_id: Option<&str>) -> Result<Value> {
    let modules = Modules::with_wasm(crate::app::wasm_config_for(store));
    export_store_with(store, &modules, template, height, chain_id)
}

pub fn export_store_with(store: &Store, modules: &Modules, template: &Value, height: Option<u64>, chain_id: Option<&str>) -> Result<Value> {
    let last = store.last_commit().height;
    let height = height.unwrap_or(last);
    if height == 0 || height > last {
        bail!("cannot export height {height}: the store's committed heights are {}..={last}", store.earliest_height().max(1));
    }
    let mut scratch = ChangeSet::new();
    let chain = chain_id
        .map(str::to_string)
        .or_else(|| template["chain_id"].as_str().map(str::to_string))
        .ok_or_else(|| anyhow!("genesis.json: chain_id missing"))?;
    let info = BlockInfo { chain_id: chain.clone(), height, ..Default::default() };
    let mut ctx = Ctx::at_height(store, height, &mut scratch, info);
    let app_state = AppGenesis(modules.manager.export_genesis(&mut ctx).with_context(|| format!("exporting height {height}"))?);

    let mut g = template.clone();
    g["chain_id"] = json!(chain);
    g["initial_height"] = json!("1");
    g["app_hash"] = json!("");
    g["validators"] = cometbft_validators(&app_state)?;
    g["app_state"] = serde_json::to_value(&app_state)?;
    Ok(g)
}

/// The last bonded set in genesis.json's CometBFT form, so the file is
/// consistent on its own (CometBFT takes InitChain's set anyway).
fn cometbft_validators(app_state: &AppGenesis) -> Result<Value> {
    let staking: venice_staking::genesis::GenesisState = app_state.section("staking")?;
    let b64 = base64::engine::general_purpose::STANDARD;
    let vals = staking
        .last_validator_powers
        .iter()
        .map(|lv| {
            let v = staking
                .validators
                .iter()
                .find(|v| v.operator_address == lv.address)
                .ok_or_else(|| anyhow!("staking: last power of {} without its validator", lv.address))?;
            let key = b64.decode(&v.consensus_pubkey.key).context("staking validator key")?;
            Ok(json!({
                "address": hex::encode_upper(&Sha256::digest(&key)[..20]),
                "pub_key": {"type": "tendermint/PubKeyEd25519", "value": v.consensus_pubkey.key},
                "power": lv.power.to_string(),
                "name": v.description.moniker,
            }))
        })
        .collect::<Result<Vec<Value>>>()?;
    Ok(Value::Array(vals))
}
