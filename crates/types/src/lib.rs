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
//! - [`dec::Dec`]: the SDK's 18-digit `LegacyDec`, exact integer arithmetic.
//! - [`time::Timestamp`]: block times, RFC 3339 text and durations.
//! - [`amino`]: SIGN_MODE_LEGACY_AMINO_JSON sign documents and the one
//!   table of amino names; [`pubkey`]: secp256k1 and multisig keys.
//! - [`paths`]: type URLs and ABCI query paths.
//! - [`inference`]: `venice.inference.v1` messages and vote extensions.
//! - [`staking`]: `MsgCreateValidator` as gentx and the CLI build it, and
//!   the consensus-key JSON of `comet show-validator`.
//! - [`error::TypesError`]: what all of the above can fail with.

pub mod address;
pub mod airdrop;
pub mod amino;
pub mod coin;
pub mod coin_text;
pub mod contract_address;
pub mod dec;
pub mod ecosystem;
pub mod error;
pub mod fees;
pub mod inference;
pub mod json;
pub mod paths;
pub mod pubkey;
pub mod staking;
pub mod time;
pub mod tx;

pub use address::{Address, AddressError, BECH32_PREFIX, VALCONS_PREFIX, VALOPER_PREFIX};
pub use coin::{Coin, Coins, DecCoin, JsonCoin};
pub use dec::Dec;
pub use error::TypesError;
pub use pubkey::{MultisigKey, PubKey};
pub use time::Timestamp;
