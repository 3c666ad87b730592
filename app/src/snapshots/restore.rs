//! Restoring a snapshot offered by CometBFT's state sync into an empty
//! store. Chunks are checked against the metadata's hashes as they arrive
//! (a bad chunk is refetched and its sender rejected); when the last one is
//! in, the state is staged at the snapshot height and committed only if its
//! root equals the app hash CometBFT's light client trusts.

use tendermint_proto::v0_38::abci::response_apply_snapshot_chunk::Result as ApplyResult;
use tendermint_proto::v0_38::abci::response_offer_snapshot::Result as OfferResult;
use tendermint_proto::v0_38::abci::{RequestApplySnapshotChunk, RequestOfferSnapshot, ResponseApplySnapshotChunk};
use tracing::{info, warn};
use venice_store::{ChangeSet, Store};

use super::format::{self, FORMAT, Metadata};

pub struct Restore {
    height: u64,
    meta: Metadata,
    app_hash: Vec<u8>,
    chunks: Vec<Option<Vec<u8>>>,
}

impl Restore {
    /// Decide on an offered snapshot; `Ok` starts a restore.
    pub fn offer(store: &Store, req: &RequestOfferSnapshot) -> Result<Restore, OfferResult> {
        let Some(s) = req.snapshot.as_ref() else {
            return Err(OfferResult::Reject);
        };
        if store.last_commit().height != 0 {
            // State sync only fills an empty node; no snapshot can help.
            warn!(height = s.height, "refusing snapshot: this node already has state");
            return Err(OfferResult::Abort);
        }
        if s.format != FORMAT {
            return Err(OfferResult::RejectFormat);
        }
        let meta = match Metadata::decode(&s.metadata) {
            Ok(m) => m,
            Err(e) => {
                warn!(height = s.height, error = %e, "rejecting snapshot");
                return Err(OfferResult::Reject);
            }
        };
        if meta.hash().as_slice() != s.hash.as_ref() || meta.chunk_hashes.len() != s.chunks as usize || s.height == 0 {
            warn!(height = s.height, "rejecting snapshot: hash, chunk count or height does not match its metadata");
            return Err(OfferResult::Reject);
        }
        if req.app_hash.len() != 32 {
            return Err(OfferResult::Reject);
        }
        info!(height = s.height, chunks = s.chunks, "restoring snapshot");
        let chunks = vec![None; meta.chunk_hashes.len()];
        Ok(Restore { height: s.height, meta, app_hash: req.app_hash.to_vec(), chunks })
    }

    pub fn height(&self) -> u64 {
        self.height
    }

    /// Take one chunk. Returns the response and whether the restore is over
    /// (completed or abandoned).
    pub fn apply(&mut self, store: &Store, req: &RequestApplySnapshotChunk) -> (ResponseApplySnapshotChunk, bool) {
        let respond = |result: ApplyResult| ResponseApplySnapshotChunk { result: result as i32, ..Default::default() };
        let index = req.index as usize;
        let Some(expected) = self.meta.chunk_hashes.get(index) else {
            warn!(index, "chunk index outside the snapshot");
            return (respond(ApplyResult::RejectSnapshot), true);
        };
        if format::chunk_hash(&req.chunk) != *expected {
            // Ask for it again, from someone else.
            warn!(index, sender = %req.sender, "chunk hash mismatch: refetching and rejecting the sender");
            let r = ResponseApplySnapshotChunk {
                result: ApplyResult::Retry as i32,
                refetch_chunks: vec![req.index],
                reject_senders: if req.sender.is_empty() { vec![] } else { vec![req.sender.clone()] },
            };
            return (r, false);
        }
        self.chunks[index] = Some(req.chunk.to_vec());
        if self.chunks.iter().any(Option::is_none) {
            return (respond(ApplyResult::Accept), false);
        }
        match self.finish(store) {
            Ok(()) => (respond(ApplyResult::Accept), true),
            Err(e) => {
                warn!(height = self.height, error = %e, "snapshot rejected");
                store.discard_staged();
                (respond(ApplyResult::RejectSnapshot), true)
            }
        }
    }

    /// All chunks are in: rebuild the state and commit it at the snapshot height.
    fn finish(&mut self, store: &Store) -> Result<(), String> {
        let stream: Vec<u8> = self.chunks.iter_mut().flat_map(|c| c.take().unwrap_or_default()).collect();
        let pairs = format::decode_stream(&stream, self.meta.records).map_err(|e| e.to_string())?;
        let changes: ChangeSet = pairs.into_iter().map(|(k, v)| (k, Some(v))).collect();
        let root = store.stage(self.height, &changes).map_err(|e| e.to_string())?;
        if root.as_slice() != self.app_hash.as_slice() {
            return Err(format!("restored app hash {} is not the trusted {}", hex::encode_upper(root), hex::encode_upper(&self.app_hash)));
        }
        store.commit().map_err(|e| e.to_string())?;
        info!(height = self.height, app_hash = %hex::encode_upper(root), "snapshot restored");
        Ok(())
    }
}
