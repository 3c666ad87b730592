//! fees genesis: `{"params": <venice.fees.v1.Params as JSON>}`, e.g.
//!
//! ```json
//! {"params": {"tx_fee_split": {"stakers": "0.8", "community_pool": "0.1", "ecosystem": "0.05", "burn": "0.05"},
//!             "inference_fee_split": {...},
//!             "min_gas_prices": [{"denom": "ustable", "amount": "0"}, {"denom": "uvvv", "amount": "0"}],
//!             "base_fees": [{"msg_type_url": "/cosmwasm.wasm.v1.MsgStoreCode", "amount": [{"denom": "uvvv", "amount": "1000"}]}]}}
//! ```
//!
//! Shares not named are 0. Validated as `MsgUpdateParams` is.

use serde::{Deserialize, Serialize};
use venice_sdk::{Ctx, Error, Result};
use venice_types::fees as pb;

use crate::params::Params;
use crate::state;

#[derive(Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GenesisState {
    pub params: pb::Params,
}

impl Default for GenesisState {
    fn default() -> Self {
        GenesisState { params: Params::default().to_proto() }
    }
}

pub fn parse(section: &serde_json::Value) -> Result<Params> {
    let g: GenesisState = serde_json::from_value(section.clone()).map_err(|e| Error::Genesis(format!("fees: {e}")))?;
    Params::from_proto(&g.params).map_err(|e| Error::Genesis(format!("fees: {e}")))
}

pub fn init_genesis(ctx: &mut Ctx, params: &Params) -> Result<()> {
    state::set_params(ctx, params)
}

pub fn export_genesis(ctx: &mut Ctx) -> Result<GenesisState> {
    Ok(GenesisState { params: state::params(ctx)?.to_proto() })
}
