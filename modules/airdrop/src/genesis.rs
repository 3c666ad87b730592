//! airdrop genesis:
//!
//! ```json
//! {"params": {"merkle_root": "<hex>", "denom": "uvvv", "total": "1000",
//!             "deadline": "2027-01-01T00:00:00Z"},
//!  "claims": [{"address": "venice1…", "amount": "10"}], "swept": false}
//! ```
//!
//! An empty root means no airdrop. The module account (`airdrop`) must hold
//! total − claimed in bank's genesis (nothing once swept).

use serde::{Deserialize, Serialize};
use venice_sdk::{Address, Ctx, Error, Result};
use venice_types::time::Timestamp;

use crate::{Airdrop, module_address, state};

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct GenesisParams {
    /// Hex of the 32-byte merkle root; empty: no airdrop.
    #[serde(default)]
    pub merkle_root: String,
    #[serde(default = "default_denom")]
    pub denom: String,
    #[serde(default, with = "venice_sdk::json::int_str")]
    pub total: u128,
    /// RFC 3339; claims are accepted while block time is before it.
    #[serde(default = "epoch")]
    pub deadline: String,
}

fn default_denom() -> String {
    venice_sdk::BASE_DENOM.into()
}

fn epoch() -> String {
    Timestamp::default().to_rfc3339()
}

impl Default for GenesisParams {
    fn default() -> Self {
        GenesisParams { merkle_root: String::new(), denom: default_denom(), total: 0, deadline: epoch() }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ClaimRecord {
    pub address: String,
    #[serde(with = "venice_sdk::json::int_str")]
    pub amount: u128,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct GenesisState {
    #[serde(default)]
    pub params: GenesisParams,
    #[serde(default)]
    pub claims: Vec<ClaimRecord>,
    #[serde(default)]
    pub swept: bool,
}

impl GenesisParams {
    pub fn to_state(&self) -> Result<state::Params> {
        let merkle_root = if self.merkle_root.is_empty() {
            None
        } else {
            let bytes = hex::decode(&self.merkle_root).map_err(|e| Error::Genesis(format!("airdrop.params.merkle_root: {e}")))?;
            Some(bytes.try_into().map_err(|_| Error::Genesis("airdrop.params.merkle_root: must be 32 bytes".into()))?)
        };
        venice_sdk::coin::validate_denom(&self.denom).map_err(|e| Error::Genesis(format!("airdrop.params.denom: {e}")))?;
        let deadline = Timestamp::parse_rfc3339(&self.deadline)
            .ok_or_else(|| Error::Genesis(format!("airdrop.params.deadline: not an RFC 3339 time: {:?}", self.deadline)))?;
        if merkle_root.is_none() && self.total != 0 {
            return Err(Error::Genesis("airdrop.params: a total without a merkle_root".into()));
        }
        Ok(state::Params { merkle_root, denom: self.denom.clone(), total: self.total, deadline })
    }

    pub fn from_state(p: &state::Params) -> Self {
        GenesisParams {
            merkle_root: p.merkle_root.map(hex::encode).unwrap_or_default(),
            denom: p.denom.clone(),
            total: p.total,
            deadline: p.deadline.to_rfc3339(),
        }
    }
}

pub fn parse(section: &serde_json::Value) -> Result<GenesisState> {
    serde_json::from_value(section.clone()).map_err(|e| Error::Genesis(format!("app_state.airdrop: {e}")))
}

pub fn init_genesis(a: &Airdrop, ctx: &mut Ctx, g: &GenesisState) -> Result<()> {
    let params = g.params.to_state()?;
    let mut total = 0u128;
    for (i, c) in g.claims.iter().enumerate() {
        let addr = Address::parse(&c.address).map_err(|e| Error::Genesis(format!("airdrop.claims[{i}].address: {e}")))?;
        if state::claimed(ctx, &addr)?.is_some() {
            return Err(Error::Genesis(format!("airdrop.claims[{i}]: duplicate claim of {addr}")));
        }
        state::set_claimed(ctx, &addr, c.amount)?;
        total = total.checked_add(c.amount).ok_or_else(|| Error::Genesis("airdrop.claims: total overflows".into()))?;
    }
    if total > params.total {
        return Err(Error::Genesis(format!("airdrop.claims: {total} claimed of a total of {}", params.total)));
    }
    // The module account must hold what is still claimable (checked
    // against bank, whose genesis runs first).
    let expected = if g.swept { 0 } else { params.total - total };
    let held = a.bank.balance(ctx, &module_address(), &params.denom)?;
    if held < expected {
        return Err(Error::Genesis(format!(
            "airdrop: the module account {} holds {held}{} but {expected}{} is still claimable",
            module_address(),
            params.denom,
            params.denom
        )));
    }
    state::set_params(ctx, &params)?;
    state::set_claimed_total(ctx, total)?;
    if g.swept {
        state::set_swept(ctx)?;
    }
    Ok(())
}

pub fn export_genesis(ctx: &mut Ctx) -> Result<GenesisState> {
    let params = GenesisParams::from_state(&state::params(ctx)?);
    let claims = state::all_claims(ctx)?.into_iter().map(|(a, amount)| ClaimRecord { address: a.to_bech32(), amount }).collect::<Vec<_>>();
    Ok(GenesisState { params, claims, swept: state::swept(ctx)? })
}
