//! The vote extension's wire format: `InferenceVoteExtension { repeated
//! TaskResult results }` in protobuf, and the check `VerifyVoteExtension`
//! runs on it: size and format only, deterministic, no state, no sidecar.
//!
//! A well-formed extension (empty bytes are one: no results) is at most
//! `max_bytes` long, decodes, re-encodes to the very same bytes (no unknown
//! fields, no non-canonical varints, so one meaning has one encoding), has at
//! most `max_results` results with strictly increasing non-zero task ids,
//! 32-byte output hashes, and inline outputs of at most
//! `max_inline_output_bytes` that hash (sha256) to their output hash.

use prost::Message;
use sha2::{Digest, Sha256};
use venice_types::inference::{InferenceVoteExtension, TaskResult};

use crate::error::InferenceError;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    pub max_bytes: u64,
    pub max_results: u32,
    pub max_inline_output_bytes: u64,
}

fn bad(why: impl Into<String>) -> InferenceError {
    InferenceError::InvalidExtension(why.into())
}

/// Check `bytes` against the format and `limits`; the decoded extension.
pub fn verify_extension_format(bytes: &[u8], limits: &Limits) -> Result<InferenceVoteExtension, InferenceError> {
    if bytes.len() as u64 > limits.max_bytes {
        return Err(bad(format!("{} bytes exceed the limit of {}", bytes.len(), limits.max_bytes)));
    }
    let ext = InferenceVoteExtension::decode(bytes).map_err(|e| bad(format!("not an InferenceVoteExtension: {e}")))?;
    if ext.encode_to_vec() != bytes {
        return Err(bad("not in canonical encoding"));
    }
    if ext.results.len() as u64 > u64::from(limits.max_results) {
        return Err(bad(format!("{} results exceed the limit of {}", ext.results.len(), limits.max_results)));
    }
    let mut last = 0u64;
    for r in &ext.results {
        if r.task_id <= last {
            return Err(bad(format!("task id {} is zero, repeated or out of order", r.task_id)));
        }
        last = r.task_id;
        if r.output_hash.len() != 32 {
            return Err(bad(format!("task {}: output hash of {} bytes, not 32", r.task_id, r.output_hash.len())));
        }
        if r.output.len() as u64 > limits.max_inline_output_bytes {
            return Err(bad(format!(
                "task {}: inline output of {} bytes exceeds {}",
                r.task_id,
                r.output.len(),
                limits.max_inline_output_bytes
            )));
        }
        if !r.output.is_empty() && Sha256::digest(&r.output).as_slice() != r.output_hash.as_slice() {
            return Err(bad(format!("task {}: inline output does not match its hash", r.task_id)));
        }
    }
    Ok(ext)
}

/// Build a validator's extension from its finished results (sorted by task
/// id, deduplicated, cut to the limits: outputs over the inline limit are
/// left out, results past the count or byte limit are kept for later).
pub fn build_extension(mut results: Vec<TaskResult>, limits: &Limits) -> Vec<u8> {
    results.sort_by_key(|r| r.task_id);
    results.dedup_by_key(|r| r.task_id);
    let mut ext = InferenceVoteExtension::default();
    for mut r in results.into_iter().filter(|r| r.task_id != 0 && r.output_hash.len() == 32) {
        if ext.results.len() as u64 >= u64::from(limits.max_results) {
            break;
        }
        if r.output.len() as u64 > limits.max_inline_output_bytes {
            r.output.clear();
        }
        ext.results.push(r);
        if ext.encoded_len() as u64 > limits.max_bytes {
            ext.results.pop();
            break;
        }
    }
    ext.encode_to_vec()
}
