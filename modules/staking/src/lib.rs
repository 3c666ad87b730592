//! `staking`: the validator set. Today it holds the genesis validators that
//! CometBFT starts with (the seed of proof of stake); bonding, delegation
//! and power changes from end-block build on this crate.

pub mod genesis;
pub mod module;
pub mod state;

pub const MODULE: &str = "staking";

/// The staking module (stateless handle; its state lives in the store).
#[derive(Clone, Copy, Debug, Default)]
pub struct Staking;
