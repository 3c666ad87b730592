//! slashing's own errors, in codespace `slashing` with the SDK's codes
//! (`x/slashing/types/errors.go`); evidence's in codespace `evidence`.

use venice_sdk::module::module_error;

use crate::MODULE;

#[derive(thiserror::Error, Debug, Clone, PartialEq, Eq)]
pub enum SlashingError {
    #[error("address is not associated with any known validator")]
    NoValidatorForAddress,
    #[error("validator does not exist for that address")]
    BadValidatorAddr,
    #[error("validator still jailed; cannot be unjailed")]
    ValidatorJailed,
    #[error("validator not jailed; cannot be unjailed")]
    ValidatorNotJailed,
    #[error("validator has no self-delegation; cannot be unjailed")]
    MissingSelfDelegation,
    #[error("{0}: validator's self delegation less than minimum; cannot be unjailed")]
    SelfDelegationTooLowToUnjail(String),
    #[error("no validator signing info found")]
    NoSigningInfoFound,
    #[error("validator already tombstoned")]
    ValidatorTombstoned,
}

impl SlashingError {
    pub fn code(&self) -> u32 {
        use SlashingError::*;
        match self {
            NoValidatorForAddress => 2,
            BadValidatorAddr => 3,
            ValidatorJailed => 4,
            ValidatorNotJailed => 5,
            MissingSelfDelegation => 6,
            SelfDelegationTooLowToUnjail(_) => 7,
            NoSigningInfoFound => 8,
            ValidatorTombstoned => 9,
        }
    }
}

impl From<SlashingError> for venice_sdk::Error {
    fn from(e: SlashingError) -> Self {
        module_error(MODULE, e.code(), e)
    }
}

/// x/evidence's errors (codespace `evidence`).
#[derive(thiserror::Error, Debug, Clone, PartialEq, Eq)]
pub enum EvidenceError {
    #[error("{0}: evidence does not exist")]
    NoEvidenceExists(String),
}

impl From<EvidenceError> for venice_sdk::Error {
    fn from(e: EvidenceError) -> Self {
        match e {
            EvidenceError::NoEvidenceExists(_) => module_error(crate::evidence::MODULE, 4, e),
        }
    }
}
