//! venice-sidecar: the ONNX Runtime execution service a validator runs beside
//! `veniced`. Models are content-addressed by sha256; each run returns the
//! outputs, their canonical quantisation and the output hash from
//! `venice_model_types::quant` (the chain's own check, never duplicated here).

pub mod client;
pub mod engine;
pub mod error;
pub mod metrics;
pub mod rules;
pub mod runtime;
pub mod server;
pub mod service;
pub mod store;
pub mod tensor;
pub mod transport;
pub mod watchdog;

/// Generated gRPC types of `proto/venice/sidecar/v1/sidecar.proto`.
pub mod pb {
    tonic::include_proto!("venice.sidecar.v1");
}

pub use error::SidecarError;
