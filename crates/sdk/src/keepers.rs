//! The narrow traits through which modules use each other. A module never
//! reads another module's keys; it asks through one of these.

use crate::address::Address;
use crate::coin::Coins;
use crate::ctx::Ctx;
use crate::error::Result;

/// What other modules need from `auth`.
pub trait AccountKeeper: Send + Sync {
    /// Create an account for `addr` if none exists (accounts are created on
    /// first receipt, as in the Cosmos SDK).
    fn ensure_account(&self, ctx: &mut Ctx, addr: &Address) -> Result<()>;
}

/// What other modules need from `bank`.
pub trait BankKeeper: Send + Sync {
    /// Move coins between accounts, emitting the SDK's transfer events.
    fn send(&self, ctx: &mut Ctx, from: &Address, to: &Address, coins: &Coins) -> Result<()>;
    fn balance(&self, ctx: &mut Ctx, addr: &Address, denom: &str) -> Result<u128>;
}
