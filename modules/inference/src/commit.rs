//! The injected extended commit: how the vote extensions of height `H-1`
//! reach the state machine in block `H`.
//!
//! The proposer of `H` puts CometBFT's `ExtendedCommitInfo` for `H-1` (every
//! validator's extension with its signature) at the front of its block,
//! behind a prefix no Cosmos transaction can start with. Every validator
//! checks it in `ProcessProposal` against the validator set that signed
//! `H-1` (recorded in state, see [`crate::state::Signer`]): each ed25519
//! signature over the length-delimited protobuf `CanonicalVoteExtension
//! {extension, height, round, chain_id}` CometBFT signs, and more than 2/3
//! of that set's power present. The state machine then takes the results
//! from the block alone, so block sync and replay reach the same state.

use std::collections::BTreeSet;

use prost::Message;
use tendermint_proto::v0_38::abci::ExtendedCommitInfo;
use tendermint_proto::v0_38::types::CanonicalVoteExtension;

use crate::error::InferenceError;
use crate::results::supermajority;
use crate::state::Signer;

/// Starts the injected transaction. A Cosmos `TxRaw` starts with a protobuf
/// tag (0x0a), so no user transaction can be mistaken for it.
pub const INJECTED_PREFIX: &[u8] = b"\x00venice/inference/extended-commit/v1\x00";

/// CometBFT's `BlockIDFlagCommit`: a precommit for the block, which carries
/// a signed extension once extensions are enabled.
const FLAG_COMMIT: i32 = 2;

fn bad(why: impl Into<String>) -> InferenceError {
    InferenceError::InvalidExtendedCommit(why.into())
}

pub fn is_injected(tx: &[u8]) -> bool {
    tx.starts_with(INJECTED_PREFIX)
}

pub fn encode_injected(commit: &ExtendedCommitInfo) -> Vec<u8> {
    [INJECTED_PREFIX, &commit.encode_to_vec()].concat()
}

pub fn decode_injected(tx: &[u8]) -> Result<ExtendedCommitInfo, InferenceError> {
    let body = tx.strip_prefix(INJECTED_PREFIX).ok_or_else(|| bad("missing prefix"))?;
    ExtendedCommitInfo::decode(body).map_err(|e| bad(format!("not an ExtendedCommitInfo: {e}")))
}

/// The bytes a validator signs for its extension (CometBFT's
/// `VoteExtensionSignBytes`: length-delimited `CanonicalVoteExtension`).
pub fn sign_bytes(extension: &[u8], height: u64, round: i32, chain_id: &str) -> Vec<u8> {
    CanonicalVoteExtension { extension: extension.to_vec(), height: height as i64, round: i64::from(round), chain_id: chain_id.into() }
        .encode_length_delimited_to_vec()
}

/// One validator's verified extension.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignedExtension {
    pub consensus_address: Vec<u8>,
    /// The whole extension as signed (the app's envelope of module parts).
    pub extension: Vec<u8>,
}

/// Check `commit` (the extensions of `height`) against `signers`, the set
/// that signed `height`. A proposer that adds anything a correct one would
/// not is rejected: unknown or repeated validators, a signature or an
/// extension on a vote that is not a commit, a bad signature, an extension
/// `check_format` refuses, or commits holding at most 2/3 of the power.
pub fn verify(
    commit: &ExtendedCommitInfo,
    chain_id: &str,
    height: u64,
    signers: &[Signer],
    check_format: impl Fn(&[u8]) -> Result<(), String>,
) -> Result<Vec<SignedExtension>, InferenceError> {
    let total: u128 = signers.iter().map(|s| u128::from(s.power)).sum();
    let mut seen = BTreeSet::new();
    let mut present: u128 = 0;
    let mut out = Vec::new();
    // (key, signature, signed bytes) of each commit, verified together below.
    let mut sigs: Vec<(ed25519_consensus::VerificationKeyBytes, ed25519_consensus::Signature, Vec<u8>)> = Vec::new();
    for vote in &commit.votes {
        let addr = vote.validator.as_ref().map(|v| v.address.to_vec()).unwrap_or_default();
        let signer = signers
            .iter()
            .find(|s| s.consensus_address == addr)
            .ok_or_else(|| bad(format!("vote of unknown validator {}", hex::encode_upper(&addr))))?;
        if !seen.insert(addr.clone()) {
            return Err(bad(format!("two votes of validator {}", hex::encode_upper(&addr))));
        }
        if vote.block_id_flag != FLAG_COMMIT {
            if !vote.vote_extension.is_empty() || !vote.extension_signature.is_empty() {
                return Err(bad(format!("validator {} did not commit but has an extension", hex::encode_upper(&addr))));
            }
            continue;
        }
        let key = <[u8; 32]>::try_from(signer.pubkey.as_slice())
            .map(ed25519_consensus::VerificationKeyBytes::from)
            .map_err(|_| bad(format!("validator {} has no ed25519 key", hex::encode_upper(&addr))))?;
        let sig = <[u8; 64]>::try_from(vote.extension_signature.as_ref())
            .map_err(|_| bad(format!("validator {}: signature of {} bytes", hex::encode_upper(&addr), vote.extension_signature.len())))?;
        sigs.push((key, ed25519_consensus::Signature::from(sig), sign_bytes(&vote.vote_extension, height, commit.round, chain_id)));
        check_format(&vote.vote_extension).map_err(|e| bad(format!("validator {}: {e}", hex::encode_upper(&addr))))?;
        present += u128::from(signer.power);
        out.push(SignedExtension { consensus_address: addr, extension: vote.vote_extension.to_vec() });
    }
    if !supermajority(present, total) {
        return Err(bad(format!("extensions hold {present} of {total} power, not more than 2/3")));
    }
    verify_signatures(&sigs, &out)?;
    Ok(out)
}

/// All signatures at once (a batch costs about half of one check each);
/// when the batch fails, one by one, to name the validator at fault. The
/// batch's random coefficients come from the signed data itself, so every
/// node decides the same, and nobody who signs can predict them.
fn verify_signatures(
    sigs: &[(ed25519_consensus::VerificationKeyBytes, ed25519_consensus::Signature, Vec<u8>)],
    signed: &[SignedExtension],
) -> Result<(), InferenceError> {
    use rand_chacha::rand_core::SeedableRng;
    use sha2::{Digest, Sha256};
    let mut seed = Sha256::new();
    let mut batch = ed25519_consensus::batch::Verifier::new();
    for (key, sig, msg) in sigs {
        seed.update(key.as_bytes());
        seed.update(sig.to_bytes());
        seed.update(Sha256::digest(msg));
        batch.queue((*key, *sig, msg));
    }
    if batch.verify(rand_chacha::ChaCha20Rng::from_seed(seed.finalize().into())).is_ok() {
        return Ok(());
    }
    for ((key, sig, msg), s) in sigs.iter().zip(signed) {
        let ok = ed25519_consensus::VerificationKey::try_from(*key).is_ok_and(|k| k.verify(sig, msg).is_ok());
        if !ok {
            return Err(bad(format!("validator {}: bad extension signature", hex::encode_upper(&s.consensus_address))));
        }
    }
    Err(bad("the signatures do not verify together"))
}

/// The commits' extensions as they stand in a committed block, without
/// re-checking signatures (`ProcessProposal` did, before the block could
/// commit): votes of validators in `signers` that committed.
pub fn extensions(commit: &ExtendedCommitInfo, signers: &[Signer]) -> Vec<SignedExtension> {
    let mut seen = BTreeSet::new();
    commit
        .votes
        .iter()
        .filter(|v| v.block_id_flag == FLAG_COMMIT)
        .filter_map(|v| {
            let addr = v.validator.as_ref()?.address.to_vec();
            (signers.iter().any(|s| s.consensus_address == addr) && seen.insert(addr.clone()))
                .then(|| SignedExtension { consensus_address: addr, extension: v.vote_extension.to_vec() })
        })
        .collect()
}
