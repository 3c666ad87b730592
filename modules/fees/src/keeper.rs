//! What fees provides to the app and other modules; each call enters the
//! fees store scope itself.

use venice_sdk::{Address, Coins, Ctx, Result};

use crate::split::{self, Leg, Recipient};
use crate::{Fees, events, fee_collector, state};

impl Fees {
    /// The consensus fee rules for a tx (auth's ante handler, CheckTx and
    /// DeliverTx; see [`crate::Params::check_fee`]).
    pub fn check_tx_fee(&self, ctx: &mut Ctx, fee: &Coins, gas_limit: u64, msg_types: &[&str]) -> Result<()> {
        ctx.scoped(state::PREFIX, state::params)?.check_fee(fee, gas_limit, msg_types)
    }

    /// Begin block: split the fee collector's balance (the previous block's
    /// tx fees; mint and distribution empty it later in this begin block)
    /// by `tx_fee_split`. The stakers' leg stays where it is.
    pub fn route_tx_fees(&self, ctx: &mut Ctx) -> Result<Vec<Leg>> {
        let collector = fee_collector();
        let held = Coins::normalize(self.bank.all_balances(ctx, &collector)?)?;
        if held.is_empty() {
            return Ok(vec![]);
        }
        let ratios = ctx.scoped(state::PREFIX, state::params)?.tx_fee_split;
        let legs = split::split(&held, &ratios, None, &[])?;
        self.pay(ctx, "tx", &collector, &legs)?;
        Ok(legs)
    }

    /// Split an inference fee held by `from` by `inference_fee_split` and
    /// pay every leg: the stakers' to the fee collector (distributed with
    /// the next block's fees), the model owner's, each executor's equal
    /// share of the compute leg, the community pool, the ecosystem pool,
    /// the burn. Returns the legs paid.
    pub fn route_inference_fee(
        &self,
        ctx: &mut Ctx,
        from: &Address,
        fee: &Coins,
        model_owner: Option<&Address>,
        executors: &[Address],
    ) -> Result<Vec<Leg>> {
        let ratios = ctx.scoped(state::PREFIX, state::params)?.inference_fee_split;
        let legs = split::split(fee, &ratios, model_owner, executors)?;
        self.pay(ctx, "inference", from, &legs)?;
        Ok(legs)
    }

    /// Move each leg from `from` to its recipient, one `fee_split` event each.
    fn pay(&self, ctx: &mut Ctx, source: &str, from: &Address, legs: &[Leg]) -> Result<()> {
        for leg in legs {
            match &leg.recipient {
                Recipient::FeeCollector => {
                    let to = fee_collector();
                    if from != &to {
                        self.bank.send(ctx, from, &to, &leg.amount)?;
                    }
                }
                Recipient::CommunityPool => self.community_pool.fund(ctx, from, &leg.amount)?,
                Recipient::Ecosystem => self.bank.send(ctx, from, &crate::ecosystem_pool(), &leg.amount)?,
                Recipient::Burn => self.bank.burn(ctx, from, &leg.amount)?,
                Recipient::Account(a) => self.bank.send(ctx, from, a, &leg.amount)?,
            }
            ctx.emit(events::fee_split(source, leg.kind.name(), &leg.recipient.address(), &leg.amount));
        }
        Ok(())
    }
}
