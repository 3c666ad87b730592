//! Venice data credentials: paid, expiring, countable and revocable access
//! to datasets.
//!
//! An issuer registers a dataset (hash, URI, terms) with an offer; whoever
//! pays the offer's price gets a credential (expiry by height or time, a use
//! count, transferable or bound). Consumers authorised by the admin or by the
//! dataset's issuer — the inference module, a training contract — call
//! `Consume` to spend a use (and `Refund` to give back one spent on work that
//! did not happen); anyone can ask `Verify` whether a holder may use a
//! dataset now.

pub mod contract;
pub mod error;
pub mod msg;
mod query;
pub mod state;

pub use crate::error::ContractError;
