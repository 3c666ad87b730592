//! fees as the app sees it.

use cosmos_sdk_proto::Any;
use serde_json::Value;
use venice_sdk::module::ValidatorUpdate;
use venice_sdk::{Address, Ctx, Error, Invariant, Module, MsgRouter, Result};

use crate::handlers::{self, MSG_UPDATE_PARAMS};
use crate::{Fees, MODULE, genesis, module_address, query, state};

impl Module for Fees {
    fn name(&self) -> &'static str {
        MODULE
    }
    fn store_prefix(&self) -> &'static [u8] {
        state::PREFIX
    }
    fn default_genesis(&self) -> Value {
        serde_json::to_value(genesis::GenesisState::default()).expect("fees genesis serialises")
    }
    fn validate_genesis(&self, section: &Value) -> Result<()> {
        genesis::parse(section).map(|_| ())
    }
    fn init_genesis(&self, ctx: &mut Ctx, section: &Value) -> Result<Vec<ValidatorUpdate>> {
        genesis::init_genesis(ctx, &genesis::parse(section)?)?;
        Ok(vec![])
    }
    fn export_genesis(&self, ctx: &mut Ctx) -> Result<Value> {
        serde_json::to_value(genesis::export_genesis(ctx)?).map_err(|e| Error::Internal(format!("fees genesis: {e}")))
    }
    fn msg_type_urls(&self) -> &'static [&'static str] {
        &[MSG_UPDATE_PARAMS]
    }
    fn msg_signers(&self, msg: &Any) -> Result<Vec<Address>> {
        handlers::signers(msg)
    }
    fn handle_msg(&self, ctx: &mut Ctx, _router: &dyn MsgRouter, msg: &Any) -> Result<Any> {
        handlers::handle(ctx, msg)
    }
    fn query_services(&self) -> &'static [&'static str] {
        &[query::SERVICE]
    }
    fn query(&self, ctx: &mut Ctx, _service: &str, method: &str, request: &[u8]) -> Result<Vec<u8>> {
        query::query(ctx, method, request)
    }
    /// Runs first in the begin-block order: the previous block's tx fees
    /// are split before mint adds to the fee collector and distribution
    /// hands it out. Distribution allocates only from height 2 on (as the
    /// SDK's), so at height 2 the fee collector also holds block 1's
    /// emission: block 1's fees are left whole to the stakers, and the
    /// split starts at height 3, when the collector holds only fees.
    fn begin_block(&self, ctx: &mut Ctx) -> Result<()> {
        if ctx.info.height <= 2 {
            return Ok(());
        }
        self.route_tx_fees(ctx).map(|_| ())
    }
    /// Fees move straight from the payer to each leg: the module's own
    /// account never holds coins.
    fn invariants(&self, ctx: &mut Ctx) -> Result<Vec<Invariant>> {
        let held = self.bank.all_balances(ctx, &module_address())?;
        let broken = (!held.is_empty())
            .then(|| format!("the fees module account holds {}", held.iter().map(|c| c.to_string()).collect::<Vec<_>>().join(",")));
        Ok(vec![Invariant { route: format!("{MODULE}/no-balance"), broken }])
    }
}
