//! staking's own errors, in codespace `staking` with the Cosmos SDK's
//! x/staking codes (`x/staking/types/errors.go`). Failures the SDK reports
//! with its root errors (invalid request, invalid address…) use
//! `venice_sdk::Error` instead.

use venice_sdk::module::module_error;

use crate::MODULE;

#[derive(thiserror::Error, Debug, Clone, PartialEq, Eq)]
pub enum StakingError {
    #[error("empty validator address")]
    EmptyValidatorAddr,
    #[error("validator does not exist")]
    NoValidatorFound,
    #[error("validator already exist for this operator address; must use new validator operator address")]
    ValidatorOwnerExists,
    #[error("validator already exist for this pubkey; must use new validator pubkey")]
    ValidatorPubKeyExists,
    #[error("got: {0}, expected: [ed25519]: validator pubkey type is not supported")]
    ValidatorPubKeyTypeNotSupported(String),
    #[error("validator for this address is currently jailed")]
    ValidatorJailed,
    #[error("commission must be positive")]
    CommissionNegative,
    #[error("commission cannot be more than 100%")]
    CommissionHuge,
    #[error("commission cannot be more than the max rate")]
    CommissionGTMaxRate,
    #[error("commission cannot be changed more than once in 24h")]
    CommissionUpdateTime,
    #[error("commission change rate must be positive")]
    CommissionChangeRateNegative,
    #[error("commission change rate cannot be more than the max rate")]
    CommissionChangeRateGTMaxRate,
    #[error("commission cannot be changed more than max change rate")]
    CommissionGTMaxChangeRate,
    #[error("validator's self delegation must be greater than their minimum self delegation")]
    SelfDelegationBelowMinimum,
    #[error("minimum self delegation cannot be decrease")]
    MinSelfDelegationDecreased,
    #[error("no delegation for (address, validator) tuple")]
    NoDelegation,
    #[error("delegator does not contain delegation")]
    NoDelegatorForAddress,
    #[error("insufficient delegation shares")]
    InsufficientShares,
    #[error("not enough delegation shares")]
    NotEnoughDelegationShares,
    #[error("no unbonding delegation found")]
    NoUnbondingDelegation,
    #[error("too many unbonding delegation entries for (delegator, validator) tuple")]
    MaxUnbondingDelegationEntries,
    #[error("no redelegation found")]
    NoRedelegation,
    #[error("cannot redelegate to the same validator")]
    SelfRedelegation,
    #[error("too few tokens to redelegate (truncates to zero tokens)")]
    TinyRedelegationAmount,
    #[error("redelegation destination validator not found")]
    BadRedelegationDst,
    #[error(
        "redelegation to this validator already in progress; first redelegation to this validator must complete before next redelegation"
    )]
    TransitiveRedelegation,
    #[error("too many redelegation entries for (delegator, src-validator, dst-validator) tuple")]
    MaxRedelegationEntries,
    #[error("cannot delegate to validators with invalid (zero) ex-rate")]
    DelegatorShareExRateInvalid,
    #[error("no historical info found")]
    NoHistoricalInfo,
    #[error("empty validator public key")]
    EmptyValidatorPubKey,
    /// Venice: compute credits lock bonded stake (inference); not an SDK code.
    #[error("bonded stake {left} would be below the {locked} locked by compute credits; burn credits first")]
    StakeLocked { locked: u128, left: u128 },
}

impl StakingError {
    pub fn code(&self) -> u32 {
        use StakingError::*;
        match self {
            EmptyValidatorAddr => 2,
            NoValidatorFound => 3,
            ValidatorOwnerExists => 4,
            ValidatorPubKeyExists => 5,
            ValidatorPubKeyTypeNotSupported(_) => 6,
            ValidatorJailed => 7,
            CommissionNegative => 9,
            CommissionHuge => 10,
            CommissionGTMaxRate => 11,
            CommissionUpdateTime => 12,
            CommissionChangeRateNegative => 13,
            CommissionChangeRateGTMaxRate => 14,
            CommissionGTMaxChangeRate => 15,
            SelfDelegationBelowMinimum => 16,
            MinSelfDelegationDecreased => 17,
            NoDelegation => 19,
            NoDelegatorForAddress => 21,
            InsufficientShares => 22,
            NotEnoughDelegationShares => 24,
            NoUnbondingDelegation => 26,
            MaxUnbondingDelegationEntries => 27,
            NoRedelegation => 28,
            SelfRedelegation => 29,
            TinyRedelegationAmount => 30,
            BadRedelegationDst => 31,
            TransitiveRedelegation => 32,
            MaxRedelegationEntries => 33,
            DelegatorShareExRateInvalid => 34,
            NoHistoricalInfo => 38,
            EmptyValidatorPubKey => 39,
            StakeLocked { .. } => 100,
        }
    }
}

impl From<StakingError> for venice_sdk::Error {
    fn from(e: StakingError) -> Self {
        module_error(MODULE, e.code(), e)
    }
}

/// Arithmetic that cannot fail for any reachable state; if it does, the
/// message fails (never the node).
pub fn overflow(what: &str) -> venice_sdk::Error {
    venice_sdk::Error::Internal(format!("staking arithmetic overflow: {what}"))
}
