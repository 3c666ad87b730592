//! What airdrop needs of other modules (wired by the app).

use venice_sdk::{Address, Coins, Ctx, Result};

/// Paying claims out of the module account. Provided by `bank`.
pub trait BankKeeper: Send + Sync {
    fn send(&self, ctx: &mut Ctx, from: &Address, to: &Address, coins: &Coins) -> Result<()>;
    fn balance(&self, ctx: &mut Ctx, addr: &Address, denom: &str) -> Result<u128>;
}

/// Where the unclaimed remainder goes at the deadline. Provided by
/// `distribution` (its `FundCommunityPool`).
pub trait CommunityPool: Send + Sync {
    fn fund(&self, ctx: &mut Ctx, from: &Address, coins: &Coins) -> Result<()>;
}
