//! wasm as the app sees it: its name, prefix, messages, queries and genesis.

use cosmos_sdk_proto::Any;
use serde_json::Value;
use venice_sdk::module::ValidatorUpdate;
use venice_sdk::{Address, Ctx, Error, Module, MsgRouter, Result};

use crate::vm::VmCache;
use crate::{MODULE, Wasm, genesis, handlers, query, state};

impl Wasm {
    pub(crate) fn inner_cache(&self) -> Result<&VmCache> {
        self.inner.vm.cache()
    }
}

impl Module for Wasm {
    fn name(&self) -> &'static str {
        MODULE
    }
    fn store_prefix(&self) -> &'static [u8] {
        state::PREFIX
    }

    fn default_genesis(&self) -> Value {
        serde_json::to_value(genesis::GenesisState::default()).expect("wasm genesis serialises")
    }
    fn validate_genesis(&self, section: &Value) -> Result<()> {
        genesis::parse(section).map(|_| ())
    }
    fn init_genesis(&self, ctx: &mut Ctx, section: &Value) -> Result<Vec<ValidatorUpdate>> {
        genesis::init_genesis(self, ctx, &genesis::parse(section)?)?;
        Ok(vec![])
    }
    fn export_genesis(&self, ctx: &mut Ctx) -> Result<Value> {
        serde_json::to_value(genesis::export_genesis(self, ctx)?).map_err(|e| Error::Internal(format!("wasm genesis: {e}")))
    }

    fn msg_type_urls(&self) -> &'static [&'static str] {
        handlers::MSG_TYPE_URLS
    }
    fn msg_signers(&self, msg: &Any) -> Result<Vec<Address>> {
        handlers::signers(msg)
    }
    fn handle_msg(&self, ctx: &mut Ctx, router: &dyn MsgRouter, msg: &Any) -> Result<Any> {
        handlers::handle(self, ctx, router, msg)
    }

    fn query_services(&self) -> &'static [&'static str] {
        &[query::SERVICE]
    }
    fn query_with_router(&self, ctx: &mut Ctx, router: &dyn MsgRouter, _service: &str, method: &str, request: &[u8]) -> Result<Vec<u8>> {
        self.grpc_query(ctx, router, method, request)
    }

    /// Pin the codes state marks pinned, once per process (no state change).
    fn begin_block(&self, ctx: &mut Ctx) -> Result<()> {
        self.inner.vm.sync_pins(ctx);
        Ok(())
    }
}
