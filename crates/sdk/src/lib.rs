//! The module framework of Venice: what every module builds on.
//!
//! - [`ctx::Ctx`]: gas-metered, layered access to chain state (block, tx and
//!   message layers that commit or roll back), plus the events being emitted.
//! - [`error::Error`]: the one typed error of the state machine, mapped to
//!   ABCI codes and codespaces in one place (`Error::abci_code`).
//! - [`coin`], [`address`]: Cosmos-compatible coins and bech32 addresses.
//! - [`tx`]: Cosmos SDK `TxRaw` decoding and the sign bytes it commits to.
//! - [`module::Module`] and [`manager::ModuleManager`]: what a module
//!   declares, and the ordered list that routes to it, runs its hooks, keeps
//!   it inside its store prefix and turns its panics into errors.
//! - [`sigverify`]: secp256k1 signature checks (libsecp256k1; k256 beside it).

pub mod address;
pub mod coin;
pub mod ctx;
pub mod error;
pub mod events;
pub mod gas;
pub mod manager;
pub mod module;
pub mod sigverify;
#[cfg(any(test, feature = "testing"))]
pub mod testing;
pub mod tx;

pub use address::{Address, BECH32_PREFIX};
pub use coin::{Coin, Coins, DecCoin};
pub use ctx::{BlockInfo, CometInfo, Ctx, Misbehavior, MisbehaviorKind, TxInfo, VoteInfo};
pub use error::{Error, Result};
pub use events::Event;
pub use gas::GasMeter;
pub use manager::{ModuleManager, Phase};
pub use module::{EndBlockUpdates, Invariant, Module, MsgRouter, check_gov_authority, gov_authority, gov_params, response_any};
/// wasmd's contract addresses (classic and predictable), shared with the CLI.
pub use venice_types::contract_address;
/// The Cosmos SDK's JSON conventions (integers as strings).
pub use venice_types::json;
/// Type URLs and query paths, named once for the chain and its clients.
pub use venice_types::paths;

/// Base denomination of VVV (6 decimals).
pub const BASE_DENOM: &str = "uvvv";
/// Display denomination.
pub const DISPLAY_DENOM: &str = "VVV";
