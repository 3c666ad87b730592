//! bank's own errors, in codespace `bank` with the Cosmos SDK's x/bank codes
//! (`x/bank/types/errors.go`), so clients switching on them read ours alike.

use venice_sdk::module::module_error;

use crate::MODULE;

#[derive(thiserror::Error, Debug, Clone, PartialEq, Eq)]
pub enum BankError {
    #[error("{0} transfers are currently disabled: send transactions are disabled")]
    SendDisabled(String),
}

impl BankError {
    pub fn code(&self) -> u32 {
        match self {
            BankError::SendDisabled(_) => 4,
        }
    }
}

impl From<BankError> for venice_sdk::Error {
    fn from(e: BankError) -> Self {
        module_error(MODULE, e.code(), e)
    }
}
