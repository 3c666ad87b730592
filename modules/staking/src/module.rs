//! staking as the app sees it: the genesis validators.

use serde_json::Value;
use venice_sdk::module::ValidatorUpdate;
use venice_sdk::{Ctx, Error, Module, Result};

use crate::{MODULE, Staking, genesis, state};

impl Module for Staking {
    fn name(&self) -> &'static str {
        MODULE
    }
    fn store_prefix(&self) -> &'static [u8] {
        state::PREFIX
    }
    fn default_genesis(&self) -> Value {
        serde_json::to_value(genesis::GenesisState::default()).expect("staking genesis serialises")
    }
    fn validate_genesis(&self, section: &Value) -> Result<()> {
        genesis::validators(&genesis::parse(section)?).map(|_| ())
    }
    fn init_genesis(&self, ctx: &mut Ctx, section: &Value) -> Result<Vec<ValidatorUpdate>> {
        genesis::init_genesis(ctx, &genesis::parse(section)?)
    }
    fn export_genesis(&self, ctx: &mut Ctx) -> Result<Value> {
        serde_json::to_value(genesis::export_genesis(ctx)?).map_err(|e| Error::Internal(format!("staking genesis: {e}")))
    }
}
