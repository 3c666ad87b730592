//! What bank needs of other modules, declared here by bank (the Cosmos SDK's
//! `expected_keepers.go`) and implemented by the module that provides it.

use venice_sdk::{Address, Coins, Ctx, Result};

/// Accounts: created on first receipt of coins, as in the Cosmos SDK.
/// Provided by `auth` (wired in the app's module list).
pub trait AccountKeeper: Send + Sync {
    fn ensure_account(&self, ctx: &mut Ctx, addr: &Address) -> Result<()>;

    /// Coins of `addr`'s balance its vesting schedule locks at block time
    /// (the SDK's `LockedCoins`); the default suits keepers without vesting.
    fn locked_coins(&self, _ctx: &mut Ctx, _addr: &Address) -> Result<Coins> {
        Ok(Coins::empty())
    }
    /// `amount` of `balance` leaves `addr` for a delegation (vesting accounts
    /// record which part was still vesting).
    fn track_delegation(&self, _ctx: &mut Ctx, _addr: &Address, _balance: &Coins, _amount: &Coins) -> Result<()> {
        Ok(())
    }
    /// `amount` comes back to `addr` from an undelegation.
    fn track_undelegation(&self, _ctx: &mut Ctx, _addr: &Address, _amount: &Coins) -> Result<()> {
        Ok(())
    }
}
