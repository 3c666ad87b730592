//! What bank needs of other modules, declared here by bank (the Cosmos SDK's
//! `expected_keepers.go`) and implemented by the module that provides it.

use venice_sdk::{Address, Ctx, Result};

/// Accounts: created on first receipt of coins, as in the Cosmos SDK.
/// Provided by `auth` (wired in the app's module list).
pub trait AccountKeeper: Send + Sync {
    fn ensure_account(&self, ctx: &mut Ctx, addr: &Address) -> Result<()>;
}
