//! gov as the app sees it: messages, queries, genesis, and the end block
//! that settles proposals (it runs passed proposals' messages, so it takes
//! the router).

use cosmos_sdk_proto::Any;
use serde_json::Value;
use venice_sdk::module::ValidatorUpdate;
use venice_sdk::{Address, Ctx, EndBlockUpdates, Error, Module, MsgRouter, Result};

use crate::{Gov, MODULE, genesis, handlers, query, state};

impl Module for Gov {
    fn name(&self) -> &'static str {
        MODULE
    }
    fn store_prefix(&self) -> &'static [u8] {
        state::PREFIX
    }

    fn default_genesis(&self) -> Value {
        serde_json::to_value(genesis::GenesisState::default()).expect("gov genesis serialises")
    }
    fn validate_genesis(&self, section: &Value) -> Result<()> {
        genesis::validate(&genesis::parse(section)?).map(|_| ())
    }
    fn init_genesis(&self, ctx: &mut Ctx, section: &Value) -> Result<Vec<ValidatorUpdate>> {
        genesis::init_genesis(self, ctx, &genesis::parse(section)?)?;
        Ok(vec![])
    }
    fn export_genesis(&self, ctx: &mut Ctx) -> Result<Value> {
        serde_json::to_value(genesis::export_genesis(ctx)?).map_err(|e| Error::Internal(format!("gov genesis: {e}")))
    }

    fn msg_type_urls(&self) -> &'static [&'static str] {
        handlers::TYPE_URLS
    }
    fn msg_signers(&self, msg: &Any) -> Result<Vec<Address>> {
        handlers::signers(msg)
    }
    fn handle_msg(&self, ctx: &mut Ctx, router: &dyn MsgRouter, msg: &Any) -> Result<Any> {
        self.handle(ctx, router, msg)
    }

    fn query_services(&self) -> &'static [&'static str] {
        &[query::SERVICE_V1, query::SERVICE_V1BETA1]
    }
    fn query(&self, ctx: &mut Ctx, service: &str, method: &str, request: &[u8]) -> Result<Vec<u8>> {
        Gov::query(self, ctx, service, method, request)
    }

    /// The SDK's `ModuleAccountInvariant`: the gov account holds the
    /// deposits of the proposals still open (at least: this chain does not
    /// block plain sends to module accounts, so it may hold more).
    fn invariants(&self, ctx: &mut Ctx) -> Result<Vec<venice_sdk::Invariant>> {
        let mut total = venice_sdk::Coins::empty();
        for p in state::proposals(ctx, None, usize::MAX)? {
            for (_, amount) in state::deposits(ctx, p.id, None, usize::MAX)? {
                total = total.checked_add(&amount)?;
            }
        }
        let mut broken = None;
        for c in total.iter() {
            let held = self.bank.balance(ctx, &crate::authority(), &c.denom)?;
            if held < c.amount {
                broken = Some(format!("deposits sum to {c}, the gov module account holds {held}{}", c.denom));
                break;
            }
        }
        Ok(vec![venice_sdk::Invariant { route: "gov/module-account".into(), broken }])
    }

    fn end_block_with_router(&self, ctx: &mut Ctx, router: &dyn MsgRouter) -> Result<EndBlockUpdates> {
        Gov::end_block(self, ctx, router)?;
        Ok(EndBlockUpdates::default())
    }
}
