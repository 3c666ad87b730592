//! venice-sidecar-client: what a caller of the sidecar needs, and nothing
//! that loads ONNX Runtime. The gRPC types of
//! `proto/venice/sidecar/v1/sidecar.proto` (generated here once; the server
//! crate `venice-sidecar` re-exports them), connecting over TCP or a Unix
//! socket, the coalescing / busy-polling transport both ends use, the wire
//! form of tensors and quantisation rules, the CLI's JSON forms, and the
//! allowlist of URIs a validator fetches models and datasets from.
//!
//! Kept apart from the server so that `veniced` can call a sidecar without
//! building or loading ONNX Runtime.

pub mod client;
pub mod error;
pub mod rules;
pub mod tensor;
pub mod transport;
pub mod uris;

/// Generated gRPC types of `proto/venice/sidecar/v1/sidecar.proto`.
pub mod pb {
    tonic::include_proto!("venice.sidecar.v1");
}

pub use error::ClientError;
