//! The application's genesis state (`app_state` of CometBFT's genesis.json):
//! one section per module, keyed by module name, Cosmos SDK style. The
//! module manager rejects sections no module owns; each module parses its
//! own section and names the field at fault.

use std::collections::BTreeMap;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use venice_auth::genesis::{GenesisAccount, GenesisState as AuthGenesis};
use venice_bank::genesis::{Balance, GenesisState as BankGenesis};
use venice_sdk::coin::JsonCoin;
use venice_sdk::{Address, Coins, Error, Result};

use crate::modules::Modules;

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(transparent)]
pub struct AppGenesis(pub BTreeMap<String, Value>);

impl AppGenesis {
    /// Parse `app_state` bytes; an empty document is the default genesis.
    pub fn parse(bytes: &[u8]) -> Result<Self> {
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(AppGenesis::default());
        }
        Self::from_value(serde_json::from_slice(bytes).map_err(|e| Error::Genesis(format!("app_state: {e}")))?)
    }

    /// `app_state` as JSON (null is the default genesis).
    pub fn from_value(value: Value) -> Result<Self> {
        match value {
            Value::Null => Ok(AppGenesis::default()),
            Value::Object(map) => Ok(AppGenesis(map.into_iter().collect())),
            other => Err(Error::Genesis(format!("app_state: expected an object of module sections, got {other}"))),
        }
    }

    /// A fresh chain's genesis: every module's default section.
    pub fn new_default() -> Self {
        AppGenesis(Modules::standard().manager.default_genesis())
    }

    /// One module's section, typed (the module's default when absent).
    pub fn section<T: DeserializeOwned + Default>(&self, module: &str) -> Result<T> {
        match self.0.get(module) {
            None => Ok(T::default()),
            Some(v) => serde_json::from_value(v.clone()).map_err(|e| Error::Genesis(format!("app_state.{module}: {e}"))),
        }
    }

    pub fn set_section<T: Serialize>(&mut self, module: &str, value: &T) -> Result<()> {
        let v = serde_json::to_value(value).map_err(|e| Error::Genesis(format!("app_state.{module}: {e}")))?;
        self.0.insert(module.to_string(), v);
        Ok(())
    }

    /// Add an account holding `coins`, with the next account number (what
    /// `veniced genesis add-genesis-account` does). The bank supply is left
    /// empty so that it is computed from the balances.
    pub fn add_account(&mut self, addr: &Address, coins: &Coins) -> Result<()> {
        let mut auth: AuthGenesis = self.section("auth")?;
        let mut bank: BankGenesis = self.section("bank")?;
        let bech = addr.to_bech32();
        if auth.accounts.iter().any(|a| a.address == bech) {
            return Err(Error::Genesis(format!("account {bech} already exists in genesis")));
        }
        let next = auth.accounts.iter().map(|a| a.account_number + 1).max().unwrap_or(0);
        auth.accounts.push(GenesisAccount::new(addr, next));
        bank.balances.push(Balance { address: bech, coins: coins.iter().map(JsonCoin::from).collect() });
        bank.supply.clear();
        self.set_section("auth", &auth)?;
        self.set_section("bank", &bank)
    }

    /// Edit one module's section in place.
    pub fn update<T: DeserializeOwned + Serialize + Default>(&mut self, module: &str, edit: impl FnOnce(&mut T)) -> Result<()> {
        let mut s: T = self.section(module)?;
        edit(&mut s);
        self.set_section(module, &s)
    }
}

/// The `InitChain` request CometBFT builds from a genesis.json document
/// (used by `veniced genesis validate` and by tests driving the app directly).
pub fn init_chain_request(genesis_json: &serde_json::Value) -> anyhow::Result<tendermint_proto::v0_38::abci::RequestInitChain> {
    use tendermint_proto::v0_38::types::{AbciParams, BlockParams, ConsensusParams};
    let chain_id = genesis_json["chain_id"].as_str().ok_or_else(|| anyhow::anyhow!("genesis.json: chain_id missing"))?;
    let max_gas = match &genesis_json["consensus_params"]["block"]["max_gas"] {
        serde_json::Value::String(s) => {
            s.parse::<i64>().map_err(|_| anyhow::anyhow!("genesis.json: consensus_params.block.max_gas: {s:?}"))?
        }
        serde_json::Value::Number(n) => n.as_i64().unwrap_or(-1),
        _ => -1,
    };
    let ve_height = match &genesis_json["consensus_params"]["abci"]["vote_extensions_enable_height"] {
        serde_json::Value::String(s) => {
            s.parse::<i64>().map_err(|_| anyhow::anyhow!("genesis.json: consensus_params.abci.vote_extensions_enable_height: {s:?}"))?
        }
        serde_json::Value::Number(n) => n.as_i64().unwrap_or(0),
        _ => 0,
    };
    let app_state = serde_json::to_vec(&genesis_json["app_state"])?;
    Ok(tendermint_proto::v0_38::abci::RequestInitChain {
        time: None,
        chain_id: chain_id.to_string(),
        consensus_params: Some(ConsensusParams {
            block: Some(BlockParams { max_bytes: 22_020_096, max_gas }),
            abci: Some(AbciParams { vote_extensions_enable_height: ve_height }),
            ..Default::default()
        }),
        validators: vec![],
        app_state_bytes: app_state.into(),
        initial_height: 1,
    })
}
