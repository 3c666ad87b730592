//! What mint needs of other modules (the SDK's `x/mint/types/expected_keepers.go`).

use venice_sdk::{Address, Coins, Ctx, Result};

/// Provided by `staking`.
pub trait StakingKeeper: Send + Sync {
    /// Tokens of bonded validators (the bonded pool).
    fn total_bonded_tokens(&self, ctx: &mut Ctx) -> Result<u128>;
    /// The staking token, whose supply the bonded ratio divides by.
    fn bond_denom(&self, ctx: &mut Ctx) -> Result<String>;
}

/// Provided by `bank`.
pub trait BankKeeper: Send + Sync {
    fn supply(&self, ctx: &mut Ctx, denom: &str) -> Result<u128>;
    /// Create `coins` in `to`, raising the supply.
    fn mint(&self, ctx: &mut Ctx, to: &Address, coins: &Coins) -> Result<()>;
    fn send(&self, ctx: &mut Ctx, from: &Address, to: &Address, coins: &Coins) -> Result<()>;
}
