//! wasm's own errors, in codespace `wasm` with wasmd's codes
//! (`x/wasm/types/errors.go`), so clients switching on them read ours alike.
//! Every other failure (out of gas, insufficient funds, bad address) keeps
//! the SDK's code, as in wasmd.

use venice_sdk::module::module_error;

use crate::MODULE;

#[derive(thiserror::Error, Debug, Clone, PartialEq, Eq)]
pub enum WasmError {
    /// Store code: validation, compilation, gzip.
    #[error("{0}: create wasm contract failed")]
    CreateFailed(String),
    #[error("{0}: contract account already exists")]
    AccountExists(String),
    /// The contract's `instantiate` returned an error.
    #[error("{0}: instantiate wasm contract failed")]
    InstantiateFailed(String),
    /// The contract's `execute` or `reply` returned an error.
    #[error("{0}: execute wasm contract failed")]
    ExecuteFailed(String),
    #[error("{0}: invalid genesis")]
    InvalidGenesis(String),
    #[error("{0}: not found")]
    NotFound(String),
    /// The contract's `query` returned an error.
    #[error("{0}: query wasm contract failed")]
    QueryFailed(String),
    #[error("{0}: invalid CosmosMsg from the contract")]
    InvalidMsg(String),
    /// The contract's `migrate` returned an error.
    #[error("{0}: migrate wasm contract failed")]
    MigrationFailed(String),
    #[error("{0}: empty")]
    Empty(String),
    #[error("{0}: exceeds limit")]
    Limit(String),
    #[error("{0}: invalid")]
    Invalid(String),
    #[error("{0}: duplicate")]
    Duplicate(String),
    #[error("{0}: unknown message from the contract")]
    UnknownMsg(String),
    #[error("{0}: invalid event")]
    InvalidEvent(String),
    #[error("no such contract: {0}")]
    NoSuchContract(String),
    #[error("max query stack size exceeded")]
    QueryStackSize,
    #[error("no such code: {0}")]
    NoSuchCode(u64),
    /// The VM failed (a trap, a panic of the contract, a memory limit): not
    /// the contract's own `Err`.
    #[error("{0}: wasmvm error")]
    Vm(String),
    #[error("max call depth exceeded")]
    CallDepth,
}

impl WasmError {
    pub fn code(&self) -> u32 {
        use WasmError::*;
        match self {
            CreateFailed(_) => 2,
            AccountExists(_) => 3,
            InstantiateFailed(_) => 4,
            ExecuteFailed(_) => 5,
            InvalidGenesis(_) => 7,
            NotFound(_) => 8,
            QueryFailed(_) => 9,
            InvalidMsg(_) => 10,
            MigrationFailed(_) => 11,
            Empty(_) => 12,
            Limit(_) => 13,
            Invalid(_) => 14,
            Duplicate(_) => 15,
            UnknownMsg(_) => 20,
            InvalidEvent(_) => 21,
            NoSuchContract(_) => 22,
            QueryStackSize => 27,
            NoSuchCode(_) => 28,
            Vm(_) => 29,
            CallDepth => 30,
        }
    }
}

impl From<WasmError> for venice_sdk::Error {
    fn from(e: WasmError) -> Self {
        module_error(MODULE, e.code(), e)
    }
}

/// Codes whose text is the contract's own (deterministic) error, passed to a
/// `reply` in full; everything else reaches a reply redacted to its code, as
/// wasmd's `redactError` does (error texts of other modules may change
/// between releases; codes may not).
const CONTRACT_ERROR_CODES: [u32; 5] = [4, 5, 9, 11, 22];

/// The error string a contract's `reply` (or a failed sub-query) sees.
pub fn reply_error_text(e: &venice_sdk::Error) -> String {
    let (codespace, code) = e.abci_code();
    if codespace == MODULE && CONTRACT_ERROR_CODES.contains(&code) {
        e.to_string()
    } else {
        format!("codespace: {codespace}, code: {code}")
    }
}
