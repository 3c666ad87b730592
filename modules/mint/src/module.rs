//! mint as the app sees it: genesis, queries, and the begin block that
//! mints (before distribution's, which hands the coins out).

use cosmos_sdk_proto::Any;
use serde_json::Value;
use venice_sdk::module::ValidatorUpdate;
use venice_sdk::{Address, Coin, Coins, Ctx, Error, Event, Module, MsgRouter, Result};
use venice_types::Dec;

use crate::{FEE_COLLECTOR, MODULE, Mint, genesis, handlers, module_account, query, state};

impl Mint {
    /// Recompute inflation from the bonded ratio, mint this block's
    /// provision and send it to the fee collector (x/mint's `BeginBlocker`).
    pub fn mint_block(&self, ctx: &mut Ctx) -> Result<u128> {
        let mut minter = state::minter(ctx)?;
        let params = state::params(ctx)?;
        let bond_denom = self.staking.bond_denom(ctx)?;
        let staking_supply = self.bank.supply(ctx, &bond_denom)?;
        let bonded = self.staking.total_bonded_tokens(ctx)?;
        let bonded_ratio = if staking_supply == 0 {
            Dec::ZERO
        } else {
            Dec::from_int(bonded).and_then(|b| b.quo_int(staking_supply)).ok_or_else(|| overflow("bonded ratio"))?
        };
        minter.inflation = minter.next_inflation_rate(&params, bonded_ratio).ok_or_else(|| overflow("inflation"))?;
        minter.annual_provisions = minter.next_annual_provisions(staking_supply).ok_or_else(|| overflow("annual provisions"))?;
        state::set_minter(ctx, &minter)?;
        let amount = minter.block_provision(&params);
        if amount > 0 {
            let coins = Coins::normalize([Coin::new(params.mint_denom.clone(), amount)])?;
            self.bank.mint(ctx, &module_account(), &coins)?;
            self.bank.send(ctx, &module_account(), &venice_sdk::Address::module(FEE_COLLECTOR), &coins)?;
        }
        ctx.emit(
            Event::new("mint")
                .attr("bonded_ratio", bonded_ratio.to_sdk_string())
                .attr("inflation", minter.inflation.to_sdk_string())
                .attr("annual_provisions", minter.annual_provisions.to_sdk_string())
                .attr("amount", amount.to_string()),
        );
        Ok(amount)
    }
}

fn overflow(what: &str) -> Error {
    Error::Internal(format!("mint arithmetic overflow: {what}"))
}

impl Module for Mint {
    fn name(&self) -> &'static str {
        MODULE
    }
    fn store_prefix(&self) -> &'static [u8] {
        state::PREFIX
    }
    fn default_genesis(&self) -> Value {
        serde_json::to_value(genesis::GenesisState::default()).expect("mint genesis serialises")
    }
    fn validate_genesis(&self, section: &Value) -> Result<()> {
        genesis::parse(section).map(|_| ())
    }
    fn init_genesis(&self, ctx: &mut Ctx, section: &Value) -> Result<Vec<ValidatorUpdate>> {
        genesis::init_genesis(ctx, &genesis::parse(section)?)?;
        Ok(vec![])
    }
    fn export_genesis(&self, ctx: &mut Ctx) -> Result<Value> {
        serde_json::to_value(genesis::export_genesis(ctx)?).map_err(|e| Error::Internal(format!("mint genesis: {e}")))
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
    fn begin_block(&self, ctx: &mut Ctx) -> Result<()> {
        self.mint_block(ctx).map(|_| ())
    }
}
