//! upgrade as the app sees it. Its block decision is not a `begin_block`
//! hook: the app calls [`Upgrade::pre_block`] itself, first in the block,
//! because its outcome (a halt) stops the block rather than failing a hook.
//! No genesis state (the SDK's x/upgrade exports none either): a plan is
//! scheduled by governance on a running chain.

use cosmos_sdk_proto::Any;
use serde_json::Value;
use venice_sdk::module::ValidatorUpdate;
use venice_sdk::{Address, Ctx, Module, MsgRouter, Result};

use crate::handlers::{self, MSG_CANCEL_UPGRADE, MSG_SOFTWARE_UPGRADE};
use crate::{MODULE, Upgrade, query, state};

impl Module for Upgrade {
    fn name(&self) -> &'static str {
        MODULE
    }
    fn store_prefix(&self) -> &'static [u8] {
        state::PREFIX
    }
    fn default_genesis(&self) -> Value {
        serde_json::json!({})
    }
    fn validate_genesis(&self, section: &Value) -> Result<()> {
        match section {
            Value::Object(m) if m.is_empty() => Ok(()),
            Value::Null => Ok(()),
            other => Err(venice_sdk::Error::Genesis(format!("app_state.upgrade: expected {{}}, got {other}"))),
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
        &[MSG_SOFTWARE_UPGRADE, MSG_CANCEL_UPGRADE]
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
