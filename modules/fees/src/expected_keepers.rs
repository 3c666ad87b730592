//! What fees needs of other modules (wired by the app).

use venice_sdk::{Address, Coin, Coins, Ctx, Result};

/// Moving and burning the legs. Provided by `bank`.
pub trait BankKeeper: Send + Sync {
    fn send(&self, ctx: &mut Ctx, from: &Address, to: &Address, coins: &Coins) -> Result<()>;
    /// Destroy coins held by `from` (total supply shrinks).
    fn burn(&self, ctx: &mut Ctx, from: &Address, coins: &Coins) -> Result<()>;
    fn all_balances(&self, ctx: &mut Ctx, addr: &Address) -> Result<Vec<Coin>>;
}

/// The community pool leg and the remainder sink. Provided by
/// `distribution` (its `FundCommunityPool`).
pub trait CommunityPool: Send + Sync {
    fn fund(&self, ctx: &mut Ctx, from: &Address, coins: &Coins) -> Result<()>;
}
