//! bank's keeper: the balance arithmetic every transfer goes through, and the
//! `BankKeeper` trait other modules use.

use venice_auth::expected_keepers::BankKeeper;
use venice_sdk::{Address, Coins, Ctx, Error, Result};

use crate::error::BankError;
use crate::{Bank, events, state};

impl Bank {
    /// Subtract `coins` from `addr`'s spendable balance (its balance less
    /// what a vesting schedule locks); fails without writing if any is short.
    pub fn sub_coins(&self, ctx: &mut Ctx, addr: &Address, coins: &Coins) -> Result<()> {
        let locked = self.accounts.locked_coins(ctx, addr)?;
        let mut new = Vec::with_capacity(coins.len());
        for c in coins.iter() {
            let have = state::balance(ctx, addr, &c.denom)?;
            let spendable = have.saturating_sub(locked.amount_of(&c.denom));
            if spendable < c.amount {
                return Err(Error::InsufficientFunds(format!("spendable balance {spendable}{} is smaller than {c}", c.denom)));
            }
            new.push((c.denom.as_str(), have - c.amount));
        }
        for (denom, amount) in new {
            state::set_balance(ctx, addr, denom, amount)?;
        }
        ctx.emit(events::coin_spent(addr, coins));
        Ok(())
    }

    /// Add `coins` to `addr`, creating its account on first receipt.
    pub fn add_coins(&self, ctx: &mut Ctx, addr: &Address, coins: &Coins) -> Result<()> {
        for c in coins.iter() {
            let have = state::balance(ctx, addr, &c.denom)?;
            let sum = have.checked_add(c.amount).ok_or_else(|| Error::InvalidCoins(format!("balance overflow for {}", c.denom)))?;
            state::set_balance(ctx, addr, &c.denom, sum)?;
        }
        self.accounts.ensure_account(ctx, addr)?;
        ctx.emit(events::coin_received(addr, coins));
        Ok(())
    }

    /// Fail with the SDK's error when any denom of `coins` is not transferable.
    pub fn check_send_enabled(&self, ctx: &mut Ctx, coins: &Coins) -> Result<()> {
        let params = state::params(ctx)?;
        match coins.iter().find(|c| !params.is_send_enabled(&c.denom)) {
            Some(c) => Err(BankError::SendDisabled(c.denom.clone()).into()),
            None => Ok(()),
        }
    }

    /// Create new coins in `addr` (genesis, later mint/IBC), raising supply.
    pub fn mint(&self, ctx: &mut Ctx, addr: &Address, coins: &Coins) -> Result<()> {
        for c in coins.iter() {
            let s = state::supply(ctx, &c.denom)?;
            let s = s.checked_add(c.amount).ok_or_else(|| Error::InvalidCoins(format!("supply overflow for {}", c.denom)))?;
            state::set_supply(ctx, &c.denom, s)?;
        }
        self.add_coins(ctx, addr, coins)
    }
}

/// What bank provides to other modules: each call enters bank's own store
/// scope, the only place bank's keys may be touched from.
impl Bank {
    pub fn send(&self, ctx: &mut Ctx, from: &Address, to: &Address, coins: &Coins) -> Result<()> {
        ctx.scoped(state::PREFIX, |ctx| {
            self.sub_coins(ctx, from, coins)?;
            self.add_coins(ctx, to, coins)?;
            ctx.emit(events::transfer(to, Some(from), coins));
            Ok(())
        })
    }

    /// Move `coins` from a delegator into a staking pool: locked (vesting)
    /// coins may go, and a vesting account records the delegation (the
    /// SDK's `DelegateCoins`; no `transfer` event, as there).
    pub fn delegate_coins(&self, ctx: &mut Ctx, delegator: &Address, pool: &Address, coins: &Coins) -> Result<()> {
        ctx.scoped(state::PREFIX, |ctx| {
            let mut balances = Vec::with_capacity(coins.len());
            for c in coins.iter() {
                let have = state::balance(ctx, delegator, &c.denom)?;
                if have < c.amount {
                    return Err(Error::InsufficientFunds(format!("failed to delegate; {have}{} is smaller than {c}", c.denom)));
                }
                balances.push(venice_sdk::Coin::new(c.denom.clone(), have));
            }
            self.accounts.track_delegation(ctx, delegator, &Coins::normalize(balances)?, coins)?;
            for c in coins.iter() {
                let have = state::balance(ctx, delegator, &c.denom)?;
                state::set_balance(ctx, delegator, &c.denom, have - c.amount)?;
            }
            ctx.emit(events::coin_spent(delegator, coins));
            self.add_coins(ctx, pool, coins)
        })
    }

    /// Move undelegated `coins` from a staking pool back to the delegator,
    /// whose vesting account (if any) records their return (the SDK's
    /// `UndelegateCoins`).
    pub fn undelegate_coins(&self, ctx: &mut Ctx, pool: &Address, delegator: &Address, coins: &Coins) -> Result<()> {
        ctx.scoped(state::PREFIX, |ctx| {
            self.sub_coins(ctx, pool, coins)?;
            self.accounts.track_undelegation(ctx, delegator, coins)?;
            self.add_coins(ctx, delegator, coins)
        })
    }

    pub fn balance(&self, ctx: &mut Ctx, addr: &Address, denom: &str) -> Result<u128> {
        ctx.scoped(state::PREFIX, |ctx| state::balance(ctx, addr, denom))
    }

    /// [`Bank::check_send_enabled`] from outside bank (funds sent to a contract).
    pub fn check_send_enabled_scoped(&self, ctx: &mut Ctx, coins: &Coins) -> Result<()> {
        ctx.scoped(state::PREFIX, |ctx| self.check_send_enabled(ctx, coins))
    }

    pub fn all_balances(&self, ctx: &mut Ctx, addr: &Address) -> Result<Vec<venice_sdk::Coin>> {
        ctx.scoped(state::PREFIX, |ctx| state::all_balances(ctx, addr, None, usize::MAX))
    }

    pub fn supply_of(&self, ctx: &mut Ctx, denom: &str) -> Result<u128> {
        ctx.scoped(state::PREFIX, |ctx| state::supply(ctx, denom))
    }

    /// Destroy `coins` held by `from`, lowering the supply (a contract's
    /// `BankMsg::Burn`); emits the SDK's `burn` event.
    pub fn burn(&self, ctx: &mut Ctx, from: &Address, coins: &Coins) -> Result<()> {
        ctx.scoped(state::PREFIX, |ctx| {
            self.sub_coins(ctx, from, coins)?;
            for c in coins.iter() {
                let s = state::supply(ctx, &c.denom)?;
                let left = s.checked_sub(c.amount).ok_or_else(|| Error::InvalidCoins(format!("supply of {} below zero", c.denom)))?;
                state::set_supply(ctx, &c.denom, left)?;
            }
            ctx.emit(events::burn(from, coins));
            Ok(())
        })
    }
}

/// The ante handler's fee payment (auth's expected keeper).
impl BankKeeper for Bank {
    fn send(&self, ctx: &mut Ctx, from: &Address, to: &Address, coins: &Coins) -> Result<()> {
        Bank::send(self, ctx, from, to, coins)
    }
}
