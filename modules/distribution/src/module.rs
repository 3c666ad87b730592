//! distribution as the app sees it: messages, queries, genesis, the
//! begin-block allocation and the invariants.

use cosmos_sdk_proto::Any;
use serde_json::Value;
use venice_sdk::module::ValidatorUpdate;
use venice_sdk::{Address, Ctx, Error, Invariant, Module, MsgRouter, Result};

use crate::{Distribution, MODULE, genesis, handlers, query, state};

impl Module for Distribution {
    fn name(&self) -> &'static str {
        MODULE
    }
    fn store_prefix(&self) -> &'static [u8] {
        state::PREFIX
    }

    fn default_genesis(&self) -> Value {
        serde_json::to_value(genesis::GenesisState::default()).expect("distribution genesis serialises")
    }
    fn validate_genesis(&self, section: &Value) -> Result<()> {
        genesis::parse(section).map(|_| ())
    }
    fn init_genesis(&self, ctx: &mut Ctx, section: &Value) -> Result<Vec<ValidatorUpdate>> {
        genesis::init_genesis(self, ctx, &genesis::parse(section)?)?;
        Ok(vec![])
    }
    fn export_genesis(&self, ctx: &mut Ctx) -> Result<Value> {
        serde_json::to_value(genesis::export_genesis(ctx)?).map_err(|e| Error::Internal(format!("distribution genesis: {e}")))
    }

    fn msg_type_urls(&self) -> &'static [&'static str] {
        handlers::TYPE_URLS
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

    /// The previous block's fees and emissions to the validators that
    /// signed it. The first block has no previous commit (as the SDK skips
    /// height 1).
    fn begin_block(&self, ctx: &mut Ctx) -> Result<()> {
        if ctx.info.height > 1 {
            self.allocate_tokens(ctx)?;
        }
        Ok(())
    }

    fn invariants(&self, ctx: &mut Ctx) -> Result<Vec<Invariant>> {
        self.check_invariants(ctx)
    }
}
