//! What auth's ante handler needs of other modules, declared here by auth
//! (the Cosmos SDK's `x/auth/ante/expected_keepers.go`) and implemented by
//! the module that provides it.

use venice_sdk::{Address, Coins, Ctx, Result};

/// Moving the fee to the fee collector. Provided by `bank`.
pub trait BankKeeper: Send + Sync {
    /// Move coins between accounts, emitting the SDK's transfer events.
    fn send(&self, ctx: &mut Ctx, from: &Address, to: &Address, coins: &Coins) -> Result<()>;
}
