//! ICS23 proof spec and verification helpers.

use ics23::HostFunctionsManager;

use crate::AppHash;

/// The ICS23 spec of the store's proofs: jmt's (sha256 leaves over
/// sha256(key) and sha256(value), binary inner nodes, keys compared by hash).
pub fn proof_spec() -> ics23::ProofSpec {
    jmt::ics23_spec()
}

/// True when `proof` shows `key` (raw, unhashed) holds `value` under `root`.
pub fn verify_membership(proof: &ics23::CommitmentProof, root: &AppHash, key: &[u8], value: &[u8]) -> bool {
    ics23::verify_membership::<HostFunctionsManager>(proof, &proof_spec(), &root.to_vec(), key, value)
}

/// True when `proof` shows `key` (raw, unhashed) is absent under `root`.
pub fn verify_non_membership(proof: &ics23::CommitmentProof, root: &AppHash, key: &[u8]) -> bool {
    ics23::verify_non_membership::<HostFunctionsManager>(proof, &proof_spec(), &root.to_vec(), key)
}
