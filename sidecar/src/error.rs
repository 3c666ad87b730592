//! Typed errors of the sidecar and their gRPC status codes.

use tonic::{Code, Status};
use venice_model_types::quant::QuantError;
use venice_sidecar_client::ClientError;

#[derive(Debug, thiserror::Error)]
pub enum SidecarError {
    #[error("invalid model id `{0}`: expected 64 lower-case hex characters (sha256)")]
    BadModelId(String),
    #[error("model {0} is not in the model store")]
    ModelNotFound(String),
    #[error("model bytes hash to {actual}, not {expected}: refused, nothing cached")]
    HashMismatch { expected: String, actual: String },
    #[error("cannot fetch model from `{uri}`: {reason}")]
    Fetch { uri: String, reason: String },
    #[error("model is {size} bytes, over the {limit}-byte limit")]
    ModelTooLarge { size: u64, limit: u64 },
    #[error("model {model} cannot be loaded: {reason}")]
    BadModel { model: String, reason: String },
    #[error("input `{name}`: {reason}")]
    Input { name: String, reason: String },
    #[error("inputs are {size} bytes, over the {limit}-byte limit")]
    InputTooLarge { size: usize, limit: usize },
    #[error("request queue is full ({0} waiting): retry later")]
    QueueFull(usize),
    #[error("deadline exceeded ({0} ms budget)")]
    Deadline(u64),
    #[error("no quantisation rule for model {0}: pass one with the request or register it at load")]
    NoRule(String),
    #[error("quantisation: {0}")]
    Quant(#[from] QuantError),
    #[error("output `{name}`: {reason}")]
    Output { name: String, reason: String },
    #[error("ONNX Runtime library: {0}")]
    Library(String),
    #[error("ONNX Runtime: {0}")]
    Runtime(String),
    #[error("the sidecar is shutting down")]
    ShuttingDown,
    #[error("invalid request: {0}")]
    Request(String),
    /// An error status from a remote sidecar (client side).
    #[error("{code:?}: {message}")]
    Remote { code: Code, message: String },
    #[error("I/O: {0}")]
    Io(#[from] std::io::Error),
}

impl SidecarError {
    pub fn input(name: impl Into<String>, reason: impl Into<String>) -> Self {
        SidecarError::Input { name: name.into(), reason: reason.into() }
    }

    /// Short label for the `errors_total{kind=…}` metric.
    pub fn kind(&self) -> &'static str {
        match self {
            SidecarError::BadModelId(_) | SidecarError::Request(_) => "bad_request",
            SidecarError::Remote { .. } => "remote",
            SidecarError::ModelNotFound(_) => "not_found",
            SidecarError::HashMismatch { .. } => "hash_mismatch",
            SidecarError::Fetch { .. } => "fetch",
            SidecarError::ModelTooLarge { .. } => "model_too_large",
            SidecarError::BadModel { .. } => "bad_model",
            SidecarError::Input { .. } | SidecarError::InputTooLarge { .. } => "bad_input",
            SidecarError::QueueFull(_) => "queue_full",
            SidecarError::Deadline(_) => "deadline",
            SidecarError::NoRule(_) | SidecarError::Quant(_) => "quantisation",
            SidecarError::Output { .. } => "bad_output",
            SidecarError::Library(_) | SidecarError::Runtime(_) | SidecarError::Io(_) => "internal",
            SidecarError::ShuttingDown => "shutting_down",
        }
    }

    pub fn code(&self) -> Code {
        match self {
            SidecarError::BadModelId(_) | SidecarError::Input { .. } | SidecarError::InputTooLarge { .. } | SidecarError::Request(_) => {
                Code::InvalidArgument
            }
            SidecarError::ModelNotFound(_) => Code::NotFound,
            SidecarError::HashMismatch { .. } | SidecarError::BadModel { .. } => Code::FailedPrecondition,
            SidecarError::ModelTooLarge { .. } | SidecarError::QueueFull(_) => Code::ResourceExhausted,
            SidecarError::Fetch { .. } => Code::Unavailable,
            SidecarError::Deadline(_) => Code::DeadlineExceeded,
            SidecarError::NoRule(_) | SidecarError::Quant(_) | SidecarError::Output { .. } => Code::FailedPrecondition,
            SidecarError::ShuttingDown => Code::Unavailable,
            SidecarError::Remote { code, .. } => *code,
            SidecarError::Library(_) | SidecarError::Runtime(_) | SidecarError::Io(_) => Code::Internal,
        }
    }
}

impl From<SidecarError> for Status {
    fn from(e: SidecarError) -> Status {
        Status::new(e.code(), e.to_string())
    }
}

impl From<Status> for SidecarError {
    fn from(s: Status) -> Self {
        SidecarError::Remote { code: s.code(), message: s.message().to_string() }
    }
}

/// One for one: the client crate's errors (wire tensors, rules, JSON files,
/// connections) keep their message and gRPC code inside the server.
impl From<ClientError> for SidecarError {
    fn from(e: ClientError) -> Self {
        match e {
            ClientError::Input { name, reason } => SidecarError::Input { name, reason },
            ClientError::Output { name, reason } => SidecarError::Output { name, reason },
            ClientError::Request(m) => SidecarError::Request(m),
            ClientError::Remote { code, message } => SidecarError::Remote { code, message },
            ClientError::Io(e) => SidecarError::Io(e),
        }
    }
}

impl From<ort::Error> for SidecarError {
    fn from(e: ort::Error) -> Self {
        SidecarError::Runtime(e.to_string())
    }
}
