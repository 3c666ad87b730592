//! The application's genesis state (`app_state` of CometBFT's genesis.json):
//! one section per module, Cosmos SDK style. Unknown fields are rejected and
//! every error names the field at fault.

use serde::{Deserialize, Serialize};
use venice_sdk::{Ctx, Error, Result};

use crate::router::Router;

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct AppGenesis {
    #[serde(default)]
    pub auth: venice_auth::genesis::GenesisState,
    #[serde(default)]
    pub bank: venice_bank::genesis::GenesisState,
    #[serde(default)]
    pub staking: StakingGenesis,
}

/// The validators of the chain's first block. Staking proper (delegations,
/// bonding) comes with the staking module; this section is its seed.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct StakingGenesis {
    #[serde(default)]
    pub validators: Vec<GenesisValidator>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct GenesisValidator {
    pub moniker: String,
    /// Base64 ed25519 consensus public key (as in priv_validator_key.json).
    pub consensus_pubkey: String,
    #[serde(with = "i64_str")]
    pub power: i64,
}

mod i64_str {
    use serde::{Deserialize, Deserializer, Serializer};
    pub fn serialize<S: Serializer>(v: &i64, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&v.to_string())
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum N {
            S(String),
            N(i64),
        }
        match N::deserialize(d)? {
            N::N(n) => Ok(n),
            N::S(s) => s.parse().map_err(|_| serde::de::Error::custom(format!("expected an integer, got {s:?}"))),
        }
    }
}

impl AppGenesis {
    /// Parse `app_state` bytes; an empty document is the default genesis.
    pub fn parse(bytes: &[u8]) -> Result<Self> {
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(AppGenesis::default());
        }
        serde_json::from_slice(bytes).map_err(|e| Error::Genesis(format!("app_state: {e}")))
    }

    /// A fresh chain's genesis: VVV metadata and default params.
    pub fn new_default() -> Self {
        let mut g = AppGenesis::default();
        g.bank.denom_metadata.push(venice_bank::genesis::vvv_metadata());
        g
    }

    /// Validators as (ed25519 key bytes, power), checked.
    pub fn validators(&self) -> Result<Vec<(Vec<u8>, i64)>> {
        use base64::Engine;
        let mut out: Vec<(Vec<u8>, i64)> = Vec::new();
        for (i, v) in self.staking.validators.iter().enumerate() {
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
            if out.iter().any(|(k, _)| *k == key) {
                return Err(Error::Genesis(format!("{field}.consensus_pubkey: duplicate validator")));
            }
            out.push((key, v.power));
        }
        Ok(out)
    }

    /// Write every module's genesis into `ctx`.
    pub fn init(&self, router: &Router, ctx: &mut Ctx) -> Result<()> {
        venice_auth::genesis::init_genesis(ctx, &self.auth)?;
        // The fee collector exists from the start, as a module account.
        let collector = venice_auth::ante::fee_collector();
        if venice_auth::state::get_account(ctx, &collector)?.is_none() {
            venice_auth::state::create_account(ctx, &collector, None)?;
        }
        venice_bank::genesis::init_genesis(&router.bank, ctx, &self.bank)?;
        self.validators()?;
        Ok(())
    }
}

/// The `InitChain` request CometBFT builds from a genesis.json document
/// (used by `veniced genesis validate` and by tests driving the app directly).
pub fn init_chain_request(genesis_json: &serde_json::Value) -> anyhow::Result<tendermint_proto::v0_38::abci::RequestInitChain> {
    use tendermint_proto::v0_38::types::{BlockParams, ConsensusParams};
    let chain_id = genesis_json["chain_id"].as_str().ok_or_else(|| anyhow::anyhow!("genesis.json: chain_id missing"))?;
    let max_gas = match &genesis_json["consensus_params"]["block"]["max_gas"] {
        serde_json::Value::String(s) => s.parse::<i64>().map_err(|_| anyhow::anyhow!("genesis.json: consensus_params.block.max_gas: {s:?}"))?,
        serde_json::Value::Number(n) => n.as_i64().unwrap_or(-1),
        _ => -1,
    };
    let app_state = serde_json::to_vec(&genesis_json["app_state"])?;
    Ok(tendermint_proto::v0_38::abci::RequestInitChain {
        time: None,
        chain_id: chain_id.to_string(),
        consensus_params: Some(ConsensusParams { block: Some(BlockParams { max_bytes: 22_020_096, max_gas }), ..Default::default() }),
        validators: vec![],
        app_state_bytes: app_state.into(),
        initial_height: 1,
    })
}
