//! What grants need of other modules (wired by the app).

use venice_auth::Vesting;
use venice_sdk::{Address, Coin, Coins, Ctx, Result};

/// Provided by `auth`.
pub trait AccountKeeper: Send + Sync {
    /// Create `addr` with this schedule; fails if the account exists.
    fn create_vesting_account(&self, ctx: &mut Ctx, addr: &Address, vesting: &Vesting) -> Result<()>;
}

/// Provided by `bank`.
pub trait BankKeeper: Send + Sync {
    /// Fail when a denom of `coins` may not be sent.
    fn check_send_enabled(&self, ctx: &mut Ctx, coins: &Coins) -> Result<()>;
    /// Fail when `to` may not receive funds (bank's blocked addresses).
    fn check_receiver(&self, to: &Address) -> Result<()>;
    /// A transfer (spendable coins only), with the SDK's events.
    fn send(&self, ctx: &mut Ctx, from: &Address, to: &Address, coins: &Coins) -> Result<()>;
    fn all_balances(&self, ctx: &mut Ctx, addr: &Address) -> Result<Vec<Coin>>;
}
