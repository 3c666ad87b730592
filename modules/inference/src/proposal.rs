//! inference's ABCI 2.0 hooks: the vote extension a validator signs, the
//! extended commit the proposer injects, the checks every validator makes
//! of it, and how the block applies it (see [`crate::commit`]).

use tendermint_proto::v0_38::abci::{RequestExtendVote, RequestPrepareProposal, RequestProcessProposal};
use venice_sdk::manager::VoteExtension;
use venice_sdk::{Ctx, Result};

use crate::commit::{self, SignedExtension};
use crate::error::InferenceError;
use crate::extension::{build_extension, verify_extension_format};
use crate::results::Results;
use crate::{Inference, MODULE, state};

/// Most bytes inference's part of a vote extension may take under any
/// params (the envelope's static bound; `max_extension_bytes` is the
/// governable one and must stay below it).
pub const MAX_EXTENSION_BYTES_CAP: u64 = 1024 * 1024;

/// Signer sets kept behind the current height (only `H-1` is read).
const SIGNER_SETS_KEPT: u64 = 3;

impl Inference {
    /// Whether the block at `height` must carry the extended commit of
    /// `height - 1`: from the height after the one extensions start at.
    fn expects_commit(ctx: &Ctx, height: u64) -> bool {
        let enable = ctx.info.vote_extensions_enable_height;
        enable > 0 && height > enable
    }

    /// The proposer's injected transaction: CometBFT's extended commit of
    /// the previous height, as it handed it over.
    pub fn inject(&self, ctx: &mut Ctx, req: &RequestPrepareProposal) -> Result<Vec<Vec<u8>>> {
        let height = u64::try_from(req.height).unwrap_or(0);
        match &req.local_last_commit {
            Some(c) if Self::expects_commit(ctx, height) => Ok(vec![commit::encode_injected(c)]),
            _ => Ok(vec![]),
        }
    }

    /// A proposal's injected transaction: exactly one, first, verifying
    /// against the set that signed the previous height (when the block
    /// must carry one); none otherwise.
    pub fn check_proposal(&self, ctx: &mut Ctx, req: &RequestProcessProposal) -> Result<()> {
        let height = u64::try_from(req.height).unwrap_or(0);
        let positions: Vec<usize> = req.txs.iter().enumerate().filter(|(_, t)| commit::is_injected(t)).map(|(i, _)| i).collect();
        if !Self::expects_commit(ctx, height) {
            return match positions.is_empty() {
                true => Ok(()),
                false => Err(InferenceError::InvalidExtendedCommit("vote extensions are not enabled at this height".into()).into()),
            };
        }
        if positions != [0] {
            return Err(InferenceError::InvalidExtendedCommit(format!(
                "the block must start with the one extended commit, found it at positions {positions:?}"
            ))
            .into());
        }
        let signers = state::signers(ctx, height - 1)?.unwrap_or_default();
        if signers.is_empty() {
            // No set recorded (the module joined the chain later, or a test
            // chain without validators yet): nothing to check against, and
            // `apply_injected` applies nothing.
            return Ok(());
        }
        let c = commit::decode_injected(&req.txs[0])?;
        let limits = state::params(ctx)?.extension_limits();
        commit::verify(&c, &ctx.info.chain_id, height - 1, &signers, |ext| match VoteExtension::part(ext, MODULE) {
            Some(part) => verify_extension_format(&part, &limits).map(|_| ()).map_err(|e| e.to_string()),
            None => Ok(()),
        })?;
        Ok(())
    }

    /// Apply the extended commit at the front of the block (checked by
    /// `ProcessProposal` before it could commit): the results it carries are
    /// those of height `H-1`. Also records the set that signs this height
    /// at the first block.
    pub fn apply_injected(&self, ctx: &mut Ctx, txs: &[venice_sdk::module::Bytes]) -> Result<()> {
        let height = ctx.info.height;
        if height == 1 && state::signers(ctx, 1)?.is_none() {
            // InitChain's set signs heights 1 and 2.
            let set = self.validators.consensus_set(ctx)?;
            state::set_signers(ctx, 1, &set)?;
        }
        let Some(first) = txs.first().filter(|t| commit::is_injected(t)) else { return Ok(()) };
        let Some(signers) = state::signers(ctx, height.saturating_sub(1))? else { return Ok(()) };
        let c = commit::decode_injected(first)?;
        let limits = state::params(ctx)?.extension_limits();
        let exts: Vec<(Vec<u8>, Vec<u8>)> = commit::extensions(&c, &signers)
            .into_iter()
            .filter_map(|SignedExtension { consensus_address, extension }| {
                VoteExtension::part(&extension, MODULE).map(|part| (consensus_address, part))
            })
            .collect();
        let results = Results::from_extensions(&exts, &limits);
        self.apply_results(ctx, height - 1, &results)
    }

    /// Record the set that signs the next height (staking has not yet
    /// applied this block's changes, which count two heights on) and forget
    /// old sets.
    pub fn record_signers(&self, ctx: &mut Ctx) -> Result<()> {
        let height = ctx.info.height;
        let set = self.validators.consensus_set(ctx)?;
        state::set_signers(ctx, height + 1, &set)?;
        if height > SIGNER_SETS_KEPT {
            state::delete_signers(ctx, height - SIGNER_SETS_KEPT)?;
        }
        Ok(())
    }

    /// This validator's extension: what its executor finished that the
    /// chain still wants from it.
    pub fn extend(&self, ctx: &mut Ctx, _req: &RequestExtendVote) -> Result<Vec<u8>> {
        let Some(local) = self.local.get() else { return Ok(vec![]) };
        let Some(me) = local.consensus_address() else { return Ok(vec![]) };
        let mut wanted = Vec::new();
        for r in local.finished() {
            if self.wants_result(ctx, r.task_id, &me)? {
                wanted.push(r);
            }
        }
        if wanted.is_empty() {
            return Ok(vec![]);
        }
        Ok(build_extension(wanted, &state::params(ctx)?.extension_limits()))
    }

    /// Format and size only: never the sidecar, never who sent it.
    pub fn verify_extension(&self, ctx: &mut Ctx, part: &[u8]) -> Result<()> {
        verify_extension_format(part, &state::params(ctx)?.extension_limits())?;
        Ok(())
    }
}
