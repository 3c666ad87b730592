//! `inference` (`venice.inference.v1`): the state machine of inference in
//! blocks (DESIGN.md, "Inference in blocks").
//!
//! - a model NFT's owner lists it (`MsgRegisterModel`): price, quantisation
//!   rule and I/O schema come from the NFT, the model id is its ONNX sha256;
//! - `MsgSubmitInference` escrows the fee in the `inference` module account
//!   and queues a task ([`queue`]: stakers' allowance first, then fee per
//!   unit of work, ties by task id); its input is inline, or a dataset
//!   opened by a credential of the data-credential contract (one use spent);
//! - each end block assigns queued tasks, within a governable work budget,
//!   to stake-weighted committees seeded from chain data ([`committee`]);
//! - the app turns the injected vote extensions into [`results::Results`]
//!   and calls [`Inference::apply_results`]: a task is final once members
//!   holding more than 2/3 of its committee's power agree on an output
//!   hash; the fee goes through [`expected_keepers::FeeRouter`], reputation
//!   moves, members past the threshold are reported to the slasher, and
//!   tasks past their deadline are refunded in full;
//! - compute credits ([`credits`]): bonded VVV locked along a rising mint
//!   curve; each credit grants a daily allowance of work, spent before fees;
//! - [`extension`]: the vote extension's wire format and its format check.
//!
//! `state` is the only code that knows key layouts; `expected_keepers` is
//! all this module needs of bank, staking, slashing, fees and wasm.

pub mod abci;
pub mod commit;
pub mod committee;
pub mod credits;
pub mod error;
pub mod events;
pub mod expected_keepers;
pub mod extension;
pub mod genesis;
pub mod handlers;
pub mod json;
pub mod local;
pub mod module;
pub mod params;
pub mod proposal;
pub mod query;
pub mod queue;
pub mod results;
pub mod state;

use std::sync::{Arc, OnceLock};

use expected_keepers::{BankKeeper, CreditToken, DataCredentials, FeeRouter, ModelNfts, Slasher, StakeLocker, Validators};
use local::LocalResults;
use venice_sdk::Address;

pub use error::InferenceError;
pub use params::Params;

pub const MODULE: &str = "inference";

/// The module account holding escrowed fees.
pub fn module_address() -> Address {
    Address::module(MODULE)
}

/// The inference module and the keepers it reaches other modules through.
#[derive(Clone)]
pub struct Inference {
    pub bank: Arc<dyn BankKeeper>,
    pub nfts: Arc<dyn ModelNfts>,
    pub validators: Arc<dyn Validators>,
    pub fees: Arc<dyn FeeRouter>,
    pub slasher: Arc<dyn Slasher>,
    pub stake: Arc<dyn StakeLocker>,
    pub credit_token: Arc<dyn CreditToken>,
    pub data_credentials: Arc<dyn DataCredentials>,
    /// This node's executor, set once when `veniced` starts one (node-local:
    /// read by `ExtendVote` only, never by the state machine).
    pub local: Arc<OnceLock<Arc<dyn LocalResults>>>,
}

impl Inference {
    /// Attach this node's executor (a second call is ignored).
    pub fn set_local_results(&self, local: Arc<dyn LocalResults>) {
        let _ = self.local.set(local);
    }
}

#[cfg(test)]
mod tests;
