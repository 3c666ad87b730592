//! `auth`: accounts (number, sequence, public key), created on first receipt;
//! its `ante` handler runs before every transaction's messages: size, memo,
//! gas, fee, signatures, sequence.

pub mod ante;
pub mod events;
pub mod expected_keepers;
pub mod genesis;
pub mod module;
pub mod params;
pub mod query;
pub mod state;

use venice_sdk::{Address, Ctx, Result};

pub use params::Params;
pub use state::Account;

pub const MODULE: &str = "auth";
/// Module account that collects transaction fees.
pub const FEE_COLLECTOR: &str = "fee_collector";

/// The auth module (stateless handle; its state lives in the store).
#[derive(Clone, Copy, Debug, Default)]
pub struct Auth;

/// What auth provides to other modules (each call enters auth's own store
/// scope); the app wires these into the consumers' expected keepers.
impl Auth {
    /// Create an account for `addr` if none exists.
    pub fn ensure_account(&self, ctx: &mut Ctx, addr: &Address) -> Result<()> {
        ctx.scoped(state::PREFIX, |ctx| {
            if !state::has_account(ctx, addr)? {
                state::create_account(ctx, addr, None)?;
            }
            Ok(())
        })
    }
}
