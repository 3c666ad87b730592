//! What staking needs of other modules, declared here by staking (the SDK's
//! `x/staking/types/expected_keepers.go`) and wired by the app.

use venice_sdk::{Address, Coins, Ctx, Result};

/// Coins between accounts and the pools. Provided by `bank`: every move is
/// a transfer, so total supply never changes through staking.
pub trait BankKeeper: Send + Sync {
    fn send(&self, ctx: &mut Ctx, from: &Address, to: &Address, coins: &Coins) -> Result<()>;
    fn balance(&self, ctx: &mut Ctx, addr: &Address, denom: &str) -> Result<u128>;
}
