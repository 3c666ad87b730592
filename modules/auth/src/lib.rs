//! `auth`: accounts (number, sequence, public key), created on first receipt;
//! its `ante` handler runs before every transaction's messages: size, memo,
//! gas, fee, signatures, sequence.

pub mod ante;
pub mod events;
pub mod expected_keepers;
pub mod genesis;
pub mod handlers;
pub mod module;
pub mod params;
pub mod query;
pub mod state;
pub mod vesting;

use venice_sdk::{Address, Coins, Ctx, Error, Result};

pub use params::Params;
pub use state::Account;
pub use vesting::Vesting;

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

    /// Coins of `addr`'s balance that its vesting schedule locks at this
    /// block's time (none for an ordinary account).
    pub fn locked_coins(&self, ctx: &mut Ctx, addr: &Address) -> Result<Coins> {
        let t = ctx.info.time_secs;
        ctx.scoped(state::PREFIX, |ctx| Ok(state::vesting(ctx, addr)?.map(|v| v.locked(t)).unwrap_or_default()))
    }

    /// A delegation of `amount` out of `balance` leaves `addr` (a no-op for
    /// an ordinary account).
    pub fn track_delegation(&self, ctx: &mut Ctx, addr: &Address, balance: &Coins, amount: &Coins) -> Result<()> {
        let t = ctx.info.time_secs;
        ctx.scoped(state::PREFIX, |ctx| match state::vesting(ctx, addr)? {
            Some(mut v) => {
                v.track_delegation(t, balance, amount)?;
                state::set_vesting(ctx, addr, &v)
            }
            None => Ok(()),
        })
    }

    /// Undelegated coins come back to `addr`.
    pub fn track_undelegation(&self, ctx: &mut Ctx, addr: &Address, amount: &Coins) -> Result<()> {
        ctx.scoped(state::PREFIX, |ctx| match state::vesting(ctx, addr)? {
            Some(mut v) => {
                v.track_undelegation(amount);
                state::set_vesting(ctx, addr, &v)
            }
            None => Ok(()),
        })
    }

    /// Create `addr` as a new vesting account (the vesting messages); it
    /// must not exist yet, as the SDK requires.
    pub fn create_vesting_account(&self, ctx: &mut Ctx, addr: &Address, v: &Vesting) -> Result<()> {
        ctx.scoped(state::PREFIX, |ctx| {
            if state::has_account(ctx, addr)? {
                return Err(Error::InvalidRequest(format!("account {addr} already exists")));
            }
            state::create_account(ctx, addr, None)?;
            state::set_vesting(ctx, addr, v)
        })
    }

    /// `addr`'s vesting schedule, if it is a vesting account.
    pub fn vesting(&self, ctx: &mut Ctx, addr: &Address) -> Result<Option<Vesting>> {
        ctx.scoped(state::PREFIX, |ctx| state::vesting(ctx, addr))
    }
}
