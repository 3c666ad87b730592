//! The state machine's error type and its ABCI mapping.
//!
//! Codes follow the Cosmos SDK's `types/errors` registry (codespace `sdk`) so
//! clients that switch on them (cosmjs, Keplr, Hermes) read ours the same way;
//! module-specific failures use the module's name as codespace.

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(thiserror::Error, Debug, Clone, PartialEq, Eq)]
pub enum Error {
    #[error("tx parse error: {0}")]
    TxDecode(String),
    #[error("signature verification failed; please verify account number ({account_number}) and chain-id ({chain_id}): unauthorized")]
    SignatureVerification { account_number: u64, chain_id: String },
    #[error("unauthorized: {0}")]
    Unauthorized(String),
    #[error("{0}: insufficient funds")]
    InsufficientFunds(String),
    #[error("unrecognized message type: {0}: unknown request")]
    UnknownMessage(String),
    #[error("unknown query path: {0}: unknown request")]
    UnknownQuery(String),
    #[error("invalid address: {0}")]
    InvalidAddress(String),
    #[error("invalid pubkey: {0}")]
    InvalidPubKey(String),
    #[error("account {0} does not exist: unknown address")]
    UnknownAddress(String),
    #[error("invalid coins: {0}")]
    InvalidCoins(String),
    #[error("out of gas in location: {location}; gasWanted: {limit}, gasUsed: {used}: out of gas")]
    OutOfGas { location: String, limit: u64, used: u64 },
    #[error("maximum number of characters is {max} but received {got} characters: memo too large")]
    MemoTooLarge { max: u64, got: u64 },
    #[error("insufficient fees; got: {got} required: {required}: insufficient fee")]
    InsufficientFee { got: String, required: String },
    #[error("signatures: {got}, limit: {limit}: too many signatures")]
    TooManySignatures { got: usize, limit: u64 },
    #[error("no signatures supplied")]
    NoSignatures,
    #[error("invalid request: {0}")]
    InvalidRequest(String),
    #[error("tx size {size} exceeds limit {max}: tx too large")]
    TxTooLarge { size: usize, max: u64 },
    #[error("invalid chain-id: {0}")]
    InvalidChainId(String),
    #[error("invalid height: {0}")]
    InvalidHeight(String),
    #[error("account sequence mismatch, expected {expected}, got {got}: incorrect account sequence")]
    WrongSequence { expected: u64, got: u64 },
    #[error("blocked by timeout height: current {current}, timeout {timeout}: tx timeout height")]
    TimeoutHeight { current: u64, timeout: u64 },
    #[error("unknown extension options: {0}")]
    UnknownExtensionOptions(String),
    #[error("not found: {0}")]
    NotFound(String),
    #[error("invalid gas limit: {0}")]
    InvalidGasLimit(String),
    #[error("invalid genesis: {0}")]
    Genesis(String),
    #[error("store error: {0}")]
    Store(String),
    /// A module touched a key outside its own prefix (a bug in that module).
    #[error("store access outside the module's prefix: {key:?} is not under {scope:?}")]
    StoreAccess { scope: String, key: String },
    /// A handler, hook or query panicked; its writes were rolled back.
    #[error("panic: {0}")]
    Panic(String),
    /// A module's own error, in its own codespace.
    #[error("{msg}")]
    Module { codespace: &'static str, code: u32, msg: String },
    #[error("internal error: {0}")]
    Internal(String),
}

/// Codespace of the Cosmos SDK's root errors.
pub const SDK_CODESPACE: &str = "sdk";

impl Error {
    /// (codespace, code) as a Cosmos SDK node would report them.
    pub fn abci_code(&self) -> (&'static str, u32) {
        use Error::*;
        match self {
            TxDecode(_) => (SDK_CODESPACE, 2),
            SignatureVerification { .. } | Unauthorized(_) => (SDK_CODESPACE, 4),
            InsufficientFunds(_) => (SDK_CODESPACE, 5),
            UnknownMessage(_) | UnknownQuery(_) => (SDK_CODESPACE, 6),
            InvalidAddress(_) => (SDK_CODESPACE, 7),
            InvalidPubKey(_) => (SDK_CODESPACE, 8),
            UnknownAddress(_) => (SDK_CODESPACE, 9),
            InvalidCoins(_) => (SDK_CODESPACE, 10),
            OutOfGas { .. } => (SDK_CODESPACE, 11),
            MemoTooLarge { .. } => (SDK_CODESPACE, 12),
            InsufficientFee { .. } => (SDK_CODESPACE, 13),
            TooManySignatures { .. } => (SDK_CODESPACE, 14),
            NoSignatures => (SDK_CODESPACE, 15),
            InvalidRequest(_) => (SDK_CODESPACE, 18),
            TxTooLarge { .. } => (SDK_CODESPACE, 21),
            InvalidHeight(_) => (SDK_CODESPACE, 26),
            InvalidChainId(_) => (SDK_CODESPACE, 28),
            WrongSequence { .. } => (SDK_CODESPACE, 32),
            TimeoutHeight { .. } => (SDK_CODESPACE, 30),
            UnknownExtensionOptions(_) => (SDK_CODESPACE, 31),
            NotFound(_) => (SDK_CODESPACE, 38),
            InvalidGasLimit(_) => (SDK_CODESPACE, 41),
            Genesis(_) => (SDK_CODESPACE, 18),
            Store(_) | Internal(_) | StoreAccess { .. } => ("undefined", 1),
            // The Cosmos SDK's ErrPanic.
            Panic(_) => (SDK_CODESPACE, 111222),
            Module { codespace, code, .. } => (codespace, *code),
        }
    }

    pub fn is_out_of_gas(&self) -> bool {
        matches!(self, Error::OutOfGas { .. })
    }
}

impl From<venice_store::StoreError> for Error {
    fn from(e: venice_store::StoreError) -> Self {
        Error::Store(e.to_string())
    }
}

/// Same variant, same text: the code moved to venice-types changed no ABCI
/// code or log line.
impl From<venice_types::TypesError> for Error {
    fn from(e: venice_types::TypesError) -> Self {
        use venice_types::TypesError as T;
        match e {
            T::InvalidAddress(s) => Error::InvalidAddress(s),
            T::InvalidCoins(s) => Error::InvalidCoins(s),
            // Command-line wordings; the chain never produces them, but keep
            // the class (and so the ABCI code) if one ever arrives here.
            T::BadAddress { addr, source } => Error::InvalidAddress(format!("{addr}: {source}")),
            T::BadCoin { input, reason } => Error::InvalidCoins(format!("{input}: {reason}")),
            T::BadValidator(s) => Error::InvalidRequest(s),
        }
    }
}

impl From<prost::DecodeError> for Error {
    fn from(e: prost::DecodeError) -> Self {
        Error::TxDecode(e.to_string())
    }
}
