//! venice-sidecar: the ONNX Runtime execution service a validator runs beside
//! `veniced`. Models are content-addressed by sha256; each run returns the
//! outputs, their canonical quantisation and the output hash from
//! `venice_model_types::quant` (the chain's own check, never duplicated here).
//!
//! The client side (gRPC types, connection, transport, wire tensors and
//! rules) is the `venice-sidecar-client` crate, which has no ONNX Runtime;
//! it is re-exported here under its old paths.

pub mod engine;
pub mod error;
pub mod metrics;
pub mod runtime;
pub mod server;
pub mod service;
pub mod store;
pub mod tensor;
pub mod watchdog;

pub use venice_sidecar_client::{client, pb, rules, transport};

pub use error::SidecarError;
