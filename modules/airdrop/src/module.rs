//! airdrop as the app sees it.

use cosmos_sdk_proto::Any;
use serde_json::Value;
use venice_sdk::module::ValidatorUpdate;
use venice_sdk::{Address, Ctx, Error, Invariant, Module, MsgRouter, Result};

use crate::handlers::{self, MSG_CLAIM};
use crate::{Airdrop, MODULE, genesis, module_address, query, state};

impl Module for Airdrop {
    fn name(&self) -> &'static str {
        MODULE
    }
    fn store_prefix(&self) -> &'static [u8] {
        state::PREFIX
    }
    fn default_genesis(&self) -> Value {
        serde_json::to_value(genesis::GenesisState::default()).expect("airdrop genesis serialises")
    }
    fn validate_genesis(&self, section: &Value) -> Result<()> {
        genesis::parse(section)?.params.to_state().map(|_| ())
    }
    fn init_genesis(&self, ctx: &mut Ctx, section: &Value) -> Result<Vec<ValidatorUpdate>> {
        genesis::init_genesis(self, ctx, &genesis::parse(section)?)?;
        Ok(vec![])
    }
    fn export_genesis(&self, ctx: &mut Ctx) -> Result<Value> {
        serde_json::to_value(genesis::export_genesis(ctx)?).map_err(|e| Error::Internal(format!("airdrop genesis: {e}")))
    }
    fn msg_type_urls(&self) -> &'static [&'static str] {
        &[MSG_CLAIM]
    }
    fn msg_signers(&self, msg: &Any) -> Result<Vec<Address>> {
        handlers::signers(msg)
    }
    fn handle_msg(&self, ctx: &mut Ctx, _router: &dyn MsgRouter, msg: &Any) -> Result<Any> {
        handlers::handle(self, ctx, msg)
    }
    fn query_services(&self) -> &'static [&'static str] {
        &[query::SERVICE]
    }
    fn query(&self, ctx: &mut Ctx, _service: &str, method: &str, request: &[u8]) -> Result<Vec<u8>> {
        query::query(self, ctx, method, request)
    }
    fn begin_block(&self, ctx: &mut Ctx) -> Result<()> {
        handlers::sweep_if_ended(self, ctx)
    }
    /// Until the sweep, the module account holds at least what is still
    /// claimable (coins anyone sends it are swept with the rest).
    fn invariants(&self, ctx: &mut Ctx) -> Result<Vec<Invariant>> {
        let p = state::params(ctx)?;
        let claimed = state::claimed_total(ctx)?;
        let held = self.bank.balance(ctx, &module_address(), &p.denom)?;
        let broken = if claimed > p.total {
            Some(format!("claimed {claimed} exceeds the total {}", p.total))
        } else if !state::swept(ctx)? && held < p.total - claimed {
            Some(format!("module account holds {held}{} but total - claimed = {}", p.denom, p.total - claimed))
        } else {
            None
        };
        Ok(vec![Invariant { route: format!("{MODULE}/module-balance"), broken }])
    }
}
