//! distribution's invariants (x/distribution's `keeper/invariants.go`):
//! outstanding rewards cover the commission, the module account holds
//! exactly the outstanding rewards plus the community pool (truncated),
//! every delegation can withdraw, and historical reference counts add up.

use venice_sdk::{Coins, Ctx, Invariant, Result};

use crate::dec_coins::DecCoins;
use crate::{Distribution, MODULE, module_account, state};

fn invariant(name: &str, broken: Option<String>) -> Invariant {
    Invariant { route: format!("{MODULE}/{name}"), broken }
}

impl Distribution {
    pub fn check_invariants(&self, ctx: &mut Ctx) -> Result<Vec<Invariant>> {
        Ok(vec![
            invariant("nonnegative-outstanding", self.nonnegative_outstanding(ctx)?),
            invariant("module-account", self.module_account_balance(ctx)?),
            invariant("can-withdraw", self.can_withdraw(ctx)?),
            invariant("reference-count", self.reference_count(ctx)?),
        ])
    }

    /// Amounts are unsigned, so "non-negative" means each validator's
    /// outstanding rewards still cover its accumulated commission.
    fn nonnegative_outstanding(&self, ctx: &mut Ctx) -> Result<Option<String>> {
        for (val, outstanding) in state::all_outstanding(ctx)? {
            let commission = state::commission(ctx, &val)?;
            if !commission.is_all_lte(&outstanding) {
                return Ok(Some(format!(
                    "validator {} outstanding rewards {} below its commission {}",
                    val.to_valoper(),
                    outstanding.to_sdk_string(),
                    commission.to_sdk_string()
                )));
            }
        }
        Ok(None)
    }

    fn module_account_balance(&self, ctx: &mut Ctx) -> Result<Option<String>> {
        let mut expected = state::community_pool(ctx)?;
        for (_, o) in state::all_outstanding(ctx)? {
            expected = expected.add(&o)?;
        }
        let (want, _) = expected.truncate_decimal()?;
        let have = Coins::normalize(self.bank.all_balances(ctx, &module_account())?)?;
        Ok((have != want).then(|| format!("module account holds {have}, records owe {want} (truncated from {})", expected.to_sdk_string())))
    }

    /// Withdraw every commission and delegation in a discarded layer: each
    /// must succeed, and the outstanding rewards left must only be dust.
    fn can_withdraw(&self, ctx: &mut Ctx) -> Result<Option<String>> {
        ctx.push_layer();
        let out = self.withdraw_everything(ctx);
        ctx.discard_layer();
        out
    }

    fn withdraw_everything(&self, ctx: &mut Ctx) -> Result<Option<String>> {
        for val in self.staking.all_validators(ctx)? {
            if !state::commission(ctx, &val)?.is_zero()
                && let Err(e) = self.withdraw_validator_commission(ctx, &val)
            {
                return Ok(Some(format!("commission of {}: {e}", val.to_valoper())));
            }
        }
        for (del, val) in self.staking.all_delegations(ctx)? {
            if let Err(e) = self.withdraw_rewards(ctx, &del, &val) {
                return Ok(Some(format!("rewards of {} from {}: {e}", del.to_bech32(), val.to_valoper())));
            }
        }
        Ok(None)
    }

    /// Each historical record is referenced by the validator's current
    /// period, its delegations' starting infos and its slash events.
    fn reference_count(&self, ctx: &mut Ctx) -> Result<Option<String>> {
        let refs: u64 = state::all_historical(ctx)?.iter().map(|(_, _, h)| u64::from(h.reference_count)).sum();
        let expected = state::all_current(ctx)?.len() + state::all_starting_infos(ctx)?.len() + state::all_slash_events(ctx)?.len();
        Ok((refs != expected as u64).then(|| format!("historical reference counts sum to {refs}, expected {expected}")))
    }
}

/// The sum of what distribution owes, for the chain-wide supply check.
pub fn holdings(ctx: &mut Ctx) -> Result<DecCoins> {
    let mut total = state::community_pool(ctx)?;
    for (_, o) in state::all_outstanding(ctx)? {
        total = total.add(&o)?;
    }
    Ok(total)
}
