//! What auth's ante handler needs of other modules, declared here by auth
//! (the Cosmos SDK's `x/auth/ante/expected_keepers.go`) and implemented by
//! the module that provides it.

use venice_sdk::{Address, Coins, Ctx, Result};

/// Moving the fee to the fee collector. Provided by `bank`.
pub trait BankKeeper: Send + Sync {
    /// Move coins between accounts, emitting the SDK's transfer events.
    fn send(&self, ctx: &mut Ctx, from: &Address, to: &Address, coins: &Coins) -> Result<()>;
}

/// The chain's own (consensus) fee rules: accepted denoms, minimum gas
/// prices, per-message base fees. Provided by `fees`; checked in CheckTx
/// and DeliverTx alike (not when simulating).
pub trait FeePolicy: Send + Sync {
    /// Err when `fee` for a tx of `gas_limit` carrying messages of
    /// `msg_types` (one entry per message) breaks a rule.
    fn check_fee(&self, ctx: &mut Ctx, fee: &Coins, gas_limit: u64, msg_types: &[&str]) -> Result<()>;
}
