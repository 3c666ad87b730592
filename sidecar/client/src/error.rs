//! The errors a caller of the sidecar meets: bad input files or requests, a
//! connection that fails, an error status from the sidecar. The server's
//! `SidecarError` has a variant for each (same messages), so a client error
//! met inside the server keeps its text and gRPC code.

use tonic::{Code, Status};

#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error("input `{name}`: {reason}")]
    Input { name: String, reason: String },
    #[error("output `{name}`: {reason}")]
    Output { name: String, reason: String },
    #[error("invalid request: {0}")]
    Request(String),
    /// An error status from a remote sidecar.
    #[error("{code:?}: {message}")]
    Remote { code: Code, message: String },
    #[error("I/O: {0}")]
    Io(#[from] std::io::Error),
}

impl ClientError {
    pub fn input(name: impl Into<String>, reason: impl Into<String>) -> Self {
        ClientError::Input { name: name.into(), reason: reason.into() }
    }
}

impl From<Status> for ClientError {
    fn from(s: Status) -> Self {
        ClientError::Remote { code: s.code(), message: s.message().to_string() }
    }
}
