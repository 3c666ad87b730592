//! auth as the app sees it: accounts' genesis (with the fee collector's
//! module account) and the `cosmos.auth.v1beta1.Query` service. auth has no
//! messages of its own; its ante handler is wired by the app.

use cosmos_sdk_proto::Any;
use serde_json::Value;
use venice_sdk::module::ValidatorUpdate;
use venice_sdk::{Address, Ctx, Error, Module, MsgRouter, Result};

use crate::genesis;
use crate::{Auth, MODULE, handlers, query, state};

impl Module for Auth {
    fn name(&self) -> &'static str {
        MODULE
    }
    fn store_prefix(&self) -> &'static [u8] {
        state::PREFIX
    }

    fn default_genesis(&self) -> Value {
        serde_json::to_value(genesis::GenesisState::default()).expect("auth genesis serialises")
    }
    fn validate_genesis(&self, section: &Value) -> Result<()> {
        genesis::parse(section).map(|_| ())
    }
    fn init_genesis(&self, ctx: &mut Ctx, section: &Value) -> Result<Vec<ValidatorUpdate>> {
        genesis::init_genesis(ctx, &genesis::parse(section)?)?;
        Ok(vec![])
    }
    fn export_genesis(&self, ctx: &mut Ctx) -> Result<Value> {
        serde_json::to_value(genesis::export_genesis(ctx)?).map_err(|e| Error::Internal(format!("auth genesis: {e}")))
    }

    fn msg_type_urls(&self) -> &'static [&'static str] {
        handlers::TYPE_URLS
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
}
