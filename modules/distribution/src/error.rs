//! distribution's own errors, in codespace `distribution` with the Cosmos
//! SDK's x/distribution codes (`x/distribution/types/errors.go`).

use venice_sdk::module::module_error;

use crate::MODULE;

#[derive(thiserror::Error, Debug, Clone, PartialEq, Eq)]
pub enum DistributionError {
    #[error("delegator address is empty")]
    EmptyDelegatorAddr,
    #[error("withdraw address is empty")]
    EmptyWithdrawAddr,
    #[error("validator address is empty")]
    EmptyValidatorAddr,
    #[error("no delegation distribution info")]
    EmptyDelegationDistInfo,
    #[error("no validator distribution info")]
    NoValidatorDistInfo,
    #[error("no validator commission to withdraw")]
    NoValidatorCommission,
    #[error("set withdraw address disabled")]
    SetWithdrawAddrDisabled,
    #[error("community pool does not have sufficient coins to distribute")]
    BadDistribution,
    #[error("validator does not exist")]
    NoValidatorExists,
    #[error("delegation does not exist")]
    NoDelegationExists,
}

impl DistributionError {
    pub fn code(&self) -> u32 {
        use DistributionError::*;
        match self {
            EmptyDelegatorAddr => 2,
            EmptyWithdrawAddr => 3,
            EmptyValidatorAddr => 4,
            EmptyDelegationDistInfo => 5,
            NoValidatorDistInfo => 6,
            NoValidatorCommission => 7,
            SetWithdrawAddrDisabled => 8,
            BadDistribution => 9,
            NoValidatorExists => 12,
            NoDelegationExists => 13,
        }
    }
}

impl From<DistributionError> for venice_sdk::Error {
    fn from(e: DistributionError) -> Self {
        module_error(MODULE, e.code(), e)
    }
}
