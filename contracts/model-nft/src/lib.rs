//! Venice model NFTs: cw721 tokens whose extension describes an AI model
//! (see `venice_model_types::ModelDescriptor`).
//!
//! The standard cw721 execute and query messages keep their JSON shapes, so
//! NFT wallets and indexers work unchanged. On top: minting open to any
//! publisher for a configurable fee, owner updates that keep the model hash
//! and quantisation rule fixed, royalties that follow the token's owner, and
//! queries by owner and by ONNX hash.

pub mod contract;
pub mod error;
pub mod msg;
mod query;
pub mod state;

pub use crate::error::ContractError;
