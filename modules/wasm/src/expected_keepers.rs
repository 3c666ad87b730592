//! What wasm needs of other modules, declared here (the Cosmos SDK's
//! `expected_keepers.go`) and implemented by the app over bank and auth.

use venice_sdk::{Address, Coin, Coins, Ctx, Result};

/// Balances: funds moved to contracts, `BankMsg::Burn`, bank queries.
pub trait BankKeeper: Send + Sync {
    fn send(&self, ctx: &mut Ctx, from: &Address, to: &Address, coins: &Coins) -> Result<()>;
    /// Remove `coins` from `from` and from the supply.
    fn burn(&self, ctx: &mut Ctx, from: &Address, coins: &Coins) -> Result<()>;
    fn balance(&self, ctx: &mut Ctx, addr: &Address, denom: &str) -> Result<u128>;
    fn all_balances(&self, ctx: &mut Ctx, addr: &Address) -> Result<Vec<Coin>>;
    fn supply(&self, ctx: &mut Ctx, denom: &str) -> Result<u128>;
}

/// Accounts: a contract gets one at instantiation, as in wasmd.
pub trait AccountKeeper: Send + Sync {
    fn ensure_account(&self, ctx: &mut Ctx, addr: &Address) -> Result<()>;
}
