//! vesting as the app sees it: three messages, no state or genesis of its
//! own (vesting accounts are in auth's genesis).

use cosmos_sdk_proto::Any;
use serde_json::Value;
use venice_sdk::module::ValidatorUpdate;
use venice_sdk::{Address, Ctx, Module, MsgRouter, Result};

use crate::handlers::{self, MSG_CREATE_PERIODIC, MSG_CREATE_PERMANENT_LOCKED, MSG_CREATE_VESTING};
use crate::{MODULE, VestingModule};

impl Module for VestingModule {
    fn name(&self) -> &'static str {
        MODULE
    }
    /// Unused: every write goes through auth and bank.
    fn store_prefix(&self) -> &'static [u8] {
        b"vesting/"
    }
    fn default_genesis(&self) -> Value {
        serde_json::json!({})
    }
    fn validate_genesis(&self, section: &Value) -> Result<()> {
        match section {
            Value::Object(m) if m.is_empty() => Ok(()),
            Value::Null => Ok(()),
            other => Err(venice_sdk::Error::Genesis(format!("app_state.vesting: expected {{}}, got {other}"))),
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
        &[MSG_CREATE_VESTING, MSG_CREATE_PERMANENT_LOCKED, MSG_CREATE_PERIODIC]
    }
    fn msg_signers(&self, msg: &Any) -> Result<Vec<Address>> {
        handlers::signers(msg)
    }
    fn handle_msg(&self, ctx: &mut Ctx, _router: &dyn MsgRouter, msg: &Any) -> Result<Any> {
        handlers::handle(self, ctx, msg)
    }
}
