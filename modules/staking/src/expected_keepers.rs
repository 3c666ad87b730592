//! What staking needs of other modules, declared here by staking (the SDK's
//! `x/staking/types/expected_keepers.go`) and wired by the app.

use venice_sdk::{Address, Coins, Ctx, Result};

/// Coins between accounts and the pools. Provided by `bank`: every move is
/// a transfer, so total supply changes through staking only by a slash's burn.
pub trait BankKeeper: Send + Sync {
    fn send(&self, ctx: &mut Ctx, from: &Address, to: &Address, coins: &Coins) -> Result<()>;
    fn balance(&self, ctx: &mut Ctx, addr: &Address, denom: &str) -> Result<u128>;
    /// A delegator's coins into a pool: vesting (locked) coins may be
    /// delegated, and the vesting account records it (the SDK's
    /// `DelegateCoinsFromAccountToModule`). Default: a plain send.
    fn delegate_coins(&self, ctx: &mut Ctx, delegator: &Address, pool: &Address, coins: &Coins) -> Result<()> {
        self.send(ctx, delegator, pool, coins)
    }
    /// A completed unbonding back to its delegator (the SDK's
    /// `UndelegateCoinsFromModuleToAccount`). Default: a plain send.
    fn undelegate_coins(&self, ctx: &mut Ctx, pool: &Address, delegator: &Address, coins: &Coins) -> Result<()> {
        self.send(ctx, pool, delegator, coins)
    }
    /// Destroy coins held by a pool (a slash), lowering the supply.
    fn burn(&self, ctx: &mut Ctx, from: &Address, coins: &Coins) -> Result<()>;
}
