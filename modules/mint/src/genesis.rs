//! mint genesis in the SDK's JSON shape: `{"minter": {"inflation",
//! "annual_provisions"}, "params": {...}}`.

use serde::{Deserialize, Serialize};
use venice_sdk::{Ctx, Error, Result};

use crate::{Minter, Params, state};

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct GenesisState {
    pub minter: Minter,
    pub params: Params,
}

impl Default for GenesisState {
    fn default() -> Self {
        GenesisState { minter: Minter::vvv(), params: Params::vvv() }
    }
}

pub fn parse(section: &serde_json::Value) -> Result<GenesisState> {
    let g: GenesisState = serde_json::from_value(section.clone()).map_err(|e| Error::Genesis(format!("mint: {e}")))?;
    g.params.validate().map_err(Error::Genesis)?;
    Ok(g)
}

pub fn init_genesis(ctx: &mut Ctx, g: &GenesisState) -> Result<()> {
    state::set_minter(ctx, &g.minter)?;
    state::set_params(ctx, &g.params)
}

pub fn export_genesis(ctx: &mut Ctx) -> Result<GenesisState> {
    Ok(GenesisState { minter: state::minter(ctx)?, params: state::params(ctx)? })
}
