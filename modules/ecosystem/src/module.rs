//! ecosystem as the app sees it: one message, one query, no state of its
//! own (the pool is a bank balance; vesting accounts are auth's).

use cosmos_sdk_proto::Any;
use serde_json::Value;
use venice_sdk::module::ValidatorUpdate;
use venice_sdk::{Address, Ctx, Module, MsgRouter, Result};

use crate::handlers::{self, MSG_GRANT};
use crate::{Ecosystem, MODULE, query};

impl Module for Ecosystem {
    fn name(&self) -> &'static str {
        MODULE
    }
    /// Unused: every write goes through auth and bank.
    fn store_prefix(&self) -> &'static [u8] {
        b"ecosystem/"
    }
    fn default_genesis(&self) -> Value {
        serde_json::json!({})
    }
    fn validate_genesis(&self, section: &Value) -> Result<()> {
        match section {
            Value::Object(m) if m.is_empty() => Ok(()),
            Value::Null => Ok(()),
            other => Err(venice_sdk::Error::Genesis(format!("app_state.ecosystem: expected {{}}, got {other}"))),
        }
    }
    fn init_genesis(&self, _ctx: &mut Ctx, section: &Value) -> Result<Vec<ValidatorUpdate>> {
        self.validate_genesis(section)?;
        Ok(vec![])
    }
    fn export_genesis(&self, _ctx: &mut Ctx) -> Result<Value> {
        Ok(serde_json::json!({}))
    }
    fn msg_type_urls(&self) -> &'static [&'static str] {
        &[MSG_GRANT]
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
}
