//! bank as the app sees it: its name, prefix, messages, queries and genesis.

use cosmos_sdk_proto::Any;
use serde_json::Value;
use venice_sdk::module::ValidatorUpdate;
use venice_sdk::{Address, Ctx, Error, Invariant, Module, MsgRouter, Result};

use crate::genesis::{self, GenesisState};
use crate::handlers::{self, MSG_MULTI_SEND, MSG_SEND, MSG_UPDATE_PARAMS};
use crate::{Bank, MODULE, query, state};

impl Module for Bank {
    fn name(&self) -> &'static str {
        MODULE
    }
    fn store_prefix(&self) -> &'static [u8] {
        state::PREFIX
    }

    fn default_genesis(&self) -> Value {
        let g = GenesisState { denom_metadata: vec![genesis::vvv_metadata()], ..Default::default() };
        serde_json::to_value(g).expect("bank genesis serialises")
    }
    fn validate_genesis(&self, section: &Value) -> Result<()> {
        genesis::parse(section).map(|_| ())
    }
    fn init_genesis(&self, ctx: &mut Ctx, section: &Value) -> Result<Vec<ValidatorUpdate>> {
        genesis::init_genesis(self, ctx, &genesis::parse(section)?)?;
        Ok(vec![])
    }
    fn export_genesis(&self, ctx: &mut Ctx) -> Result<Value> {
        serde_json::to_value(genesis::export_genesis(ctx)?).map_err(|e| Error::Internal(format!("bank genesis: {e}")))
    }

    fn msg_type_urls(&self) -> &'static [&'static str] {
        &[MSG_SEND, MSG_MULTI_SEND, MSG_UPDATE_PARAMS]
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

    fn invariants(&self, ctx: &mut Ctx) -> Result<Vec<Invariant>> {
        self.check_invariants(ctx)
    }
}
