//! gov's own errors, in codespace `gov` with the Cosmos SDK's x/gov codes
//! (`x/gov/types/errors.go`).

use venice_sdk::module::module_error;

use crate::MODULE;

#[derive(thiserror::Error, Debug, Clone, PartialEq, Eq)]
pub enum GovError {
    #[error("proposal {0} doesn't exist: unknown proposal")]
    UnknownProposal(u64),
    #[error("{0}: inactive proposal")]
    InactiveProposal(u64),
    #[error("{0}: invalid proposal content")]
    InvalidProposalContent(String),
    #[error("{0}: invalid vote option")]
    InvalidVote(String),
    #[error("{0}: no handler exists for proposal type")]
    NoProposalHandlerExists(String),
    #[error("{0}: proposal message not recognized by router")]
    UnroutableProposalMsg(String),
    #[error("{0}: invalid proposal message")]
    InvalidProposalMsg(String),
    #[error("{0}: expected gov account as only signer for proposal message")]
    InvalidSigner(String),
    #[error("{0}: metadata too long")]
    MetadataTooLong(String),
    #[error("{0}: minimum deposit is too small")]
    MinDepositTooSmall(String),
    #[error("{0}: invalid proposer")]
    InvalidProposer(String),
    #[error("voting period is already ended for this proposal {0}: voting period already ended")]
    VotingPeriodEnded(u64),
    #[error("{0}: invalid proposal")]
    InvalidProposal(String),
    #[error("expected {expected} got {got}: expected gov account as only signer for proposal message")]
    InvalidAuthority { expected: String, got: String },
}

impl GovError {
    pub fn code(&self) -> u32 {
        use GovError::*;
        match self {
            UnknownProposal(_) => 2,
            InactiveProposal(_) => 3,
            InvalidProposalContent(_) => 5,
            InvalidVote(_) => 7,
            NoProposalHandlerExists(_) => 9,
            UnroutableProposalMsg(_) => 10,
            InvalidProposalMsg(_) => 12,
            InvalidSigner(_) | InvalidAuthority { .. } => 13,
            MetadataTooLong(_) => 15,
            MinDepositTooSmall(_) => 16,
            InvalidProposer(_) => 18,
            VotingPeriodEnded(_) => 20,
            InvalidProposal(_) => 21,
        }
    }
}

impl From<GovError> for venice_sdk::Error {
    fn from(e: GovError) -> Self {
        module_error(MODULE, e.code(), e)
    }
}
