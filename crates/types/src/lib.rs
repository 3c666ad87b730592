//! Store-free types of the Venice chain, shared by the state machine
//! (`venice-sdk` re-exports them), the `venice` CLI and the test harnesses,
//! so that both sides apply one rule:
//!
//! - [`address`]: bech32 `venice1…` addresses of 1–255 bytes, key and
//!   module-account derivation; [`contract_address`]: wasmd's contract
//!   addresses (classic and `instantiate2`).
//! - [`coin`]: `Coin`, `Coins`, `DecCoin`, denom validation; [`coin_text`]:
//!   the user-facing notation (`1000uvvv,5stake`, `0.0025uvvv`).
//! - [`tx`]: SIGN_MODE_DIRECT sign bytes, `TxRaw` building, tx hashes.
//! - [`paths`]: type URLs and ABCI query paths.
//! - [`error::TypesError`]: what all of the above can fail with.

pub mod address;
pub mod coin;
pub mod coin_text;
pub mod contract_address;
pub mod error;
pub mod json;
pub mod paths;
pub mod tx;

pub use address::{Address, AddressError, BECH32_PREFIX};
pub use coin::{Coin, Coins, DecCoin, JsonCoin};
pub use coin_text::Dec;
pub use error::TypesError;
