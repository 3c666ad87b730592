//! Typed errors of the CLI. Every variant renders as one readable line: the
//! binary prints `Error: <line>` on stderr and exits non-zero.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error("cannot reach node at {url}: {detail}")]
    NodeUnreachable { url: String, detail: String },

    #[error("node at {url} returned an error: {detail}")]
    Rpc { url: String, detail: String },

    #[error("invalid node address {url:?}: {detail}")]
    BadNodeUrl { url: String, detail: String },

    #[error("query {path} failed: code {code}{}: {log}", codespace_suffix(.codespace))]
    QueryFailed { path: String, code: u32, codespace: String, log: String },

    #[error("account {0} not found on chain (an account exists only after it first receives funds)")]
    AccountNotFound(String),

    #[error("key {name:?} not found in the {backend} keyring ({dir})")]
    KeyNotFound { name: String, backend: &'static str, dir: PathBuf },

    #[error("key {0:?} already exists (delete it first with `venice keys delete {0}`)")]
    KeyExists(String),

    #[error("cannot add key {name:?}: the same private key is already stored as {existing:?}")]
    DuplicateKey { name: String, existing: String },

    #[error("invalid key name {0:?}: use 1-64 characters from A-Z a-z 0-9 . _ - , not starting with '.'")]
    BadKeyName(String),

    #[error("incorrect keyring passphrase")]
    WrongPassphrase,

    #[error("corrupt key file {path}: {detail}")]
    CorruptKey { path: PathBuf, detail: String },

    #[error("invalid mnemonic: {0}")]
    BadMnemonic(String),

    /// Address and coin arguments (`invalid address "…": …`,
    /// `invalid coin amount "…": …`), worded in venice-types.
    #[error(transparent)]
    Types(#[from] venice_types::TypesError),

    #[error("invalid value for {flag}: {reason}")]
    BadFlag { flag: &'static str, reason: String },

    #[error("{context}: {source}")]
    Io {
        context: String,
        #[source]
        source: std::io::Error,
    },

    #[error("cannot decode {what}: {detail}")]
    Decode { what: String, detail: String },

    #[error("cannot build transaction: {0}")]
    TxBuild(String),

    #[error("gas estimation failed: code {code}{}: {log}", codespace_suffix(.codespace))]
    Simulate { code: u32, codespace: String, log: String },

    #[error("transaction {hash} rejected by CheckTx: code {code}{}: {log}", codespace_suffix(.codespace))]
    CheckTx { hash: String, code: u32, codespace: String, log: String },

    #[error("transaction {hash} failed in block {height}: code {code}{}: {log}", codespace_suffix(.codespace))]
    DeliverTx { hash: String, height: u64, code: u32, codespace: String, log: String },

    #[error(
        "transaction {hash} was accepted into the mempool but not found in a block within {secs} s (is the node's kv tx indexer enabled? check later with `venice query tx {hash}`)"
    )]
    InclusionTimeout { hash: String, secs: u64 },

    #[error("transaction {0} not found (not yet in a block, or the node does not index transactions)")]
    TxNotFound(String),

    #[error("aborted: not confirmed (answer y, or pass --yes)")]
    Aborted,

    #[error("inference task {id} expired at height {height} without an agreed result (its fee is refunded)")]
    TaskExpired { id: u64, height: u64 },

    #[error("inference task {id} is still {status} after {secs} s; follow it with `venice query inference task {id}`")]
    ResultTimeout { id: u64, secs: u64, status: String },

    /// A query whose answer is "nothing" where the SDK's CLI fails ("no upgrade scheduled").
    #[error("{0}")]
    NothingFound(String),
}

fn codespace_suffix(codespace: &str) -> String {
    if codespace.is_empty() { String::new() } else { format!(" (codespace {codespace})") }
}

impl CliError {
    pub fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        CliError::Io { context: context.into(), source }
    }

    pub fn decode(what: impl Into<String>, detail: impl ToString) -> Self {
        CliError::Decode { what: what.into(), detail: detail.to_string() }
    }
}

/// A coin argument the CLI itself refuses (overflow, too small to split).
pub fn bad_coin(input: impl Into<String>, reason: impl Into<String>) -> CliError {
    CliError::Types(venice_types::TypesError::BadCoin { input: input.into(), reason: reason.into() })
}

pub type Result<T, E = CliError> = std::result::Result<T, E>;
