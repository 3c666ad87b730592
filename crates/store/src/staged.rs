//! Staging a height (FinalizeBlock): the jmt update and everything the index
//! of that height will hold, computed in memory and written by nobody yet.
//! `commit` makes the write-ahead record durable; the background writer
//! (`index`) later writes this batch.

use std::time::Instant;

use jmt::KeyHash;
use jmt::storage::NodeKey;
use sha2::Sha256;

use crate::keys::{TAG_LOG, TAG_STALE, encode_flat_value, flat_key, is_root, node_key, preimage_key, root_node_key, tagged_version};
use crate::record::wal_record;
use crate::tree::{self, SledReader};
use crate::{AppHash, ChangeSet, CommitStats, Store, StoreError};

/// A computed, not yet durable height.
pub(crate) struct Staged {
    pub(crate) height: u64,
    pub(crate) app_hash: AppHash,
    /// jmt nodes, stale index, flat entries, preimages, key log: everything
    /// but pruning and the metadata record, which `commit` adds.
    pub(crate) batch: sled::Batch,
    /// Keys set (not deleted) at this height: pruning must not drop their preimages.
    pub(crate) set_keys: Vec<Vec<u8>>,
    /// borsh of the change set: the write-ahead record `commit` makes durable.
    pub(crate) wal: Vec<u8>,
}

/// Below this many keys a block's flat entries are built inline.
const PARALLEL_MIN_KEYS: usize = 512;

impl Store {
    /// Compute the index batch and root of `height` on top of `last`.
    pub(crate) fn build_staged(&self, last: u64, height: u64, changes: &ChangeSet) -> Result<Staged, StoreError> {
        for (k, v) in changes {
            if k.is_empty() {
                return Err(StoreError::EmptyKey);
            }
            if v.as_ref().is_some_and(|v| v.is_empty()) {
                return Err(StoreError::EmptyValue);
            }
        }
        let tree = &self.inner.tree;
        let reader = SledReader { tree, null_root: (last == 0).then(|| height - 1) };
        let t0 = Instant::now();
        let tree_work = || {
            let mut sets = Vec::with_capacity(changes.len());
            let mut deletes = Vec::new();
            for (k, v) in changes {
                let hash = KeyHash::with::<Sha256>(k);
                match v {
                    Some(v) => sets.push((hash, v.clone())),
                    None => deletes.push((hash, None)),
                }
            }
            let update = tree::update(&reader, height, sets, deletes);
            (update, Instant::now())
        };
        // The flat entries, preimages and key log do not depend on the tree:
        // on big blocks they are built on another core while jmt works. The
        // batch's content does not depend on which thread built it.
        let ((update, t1), flat) = if changes.len() >= PARALLEL_MIN_KEYS {
            std::thread::scope(|scope| {
                let flat = scope.spawn(|| flat_batch(tree, height, changes).and_then(|f| Ok((f, wal_record(changes)?))));
                let tree_result = tree_work();
                let flat = flat.join().unwrap_or_else(|p| std::panic::resume_unwind(p));
                (tree_result, flat)
            })
        } else {
            (tree_work(), flat_batch(tree, height, changes).and_then(|f| Ok((f, wal_record(changes)?))))
        };
        let update = update?;
        let ((mut batch, set_keys, mut ops), wal) = flat?;
        let root = update.root;

        let mut have_root = false;
        for (key, node) in update.nodes() {
            // jmt only creates nodes at `height`; anything else would be the
            // synthetic parent root, which is never stored.
            if key.version() != height {
                continue;
            }
            have_root |= is_root(key);
            let bytes = borsh::to_vec(node).map_err(|e| StoreError::Corrupt(format!("encode node: {e}")))?;
            batch.insert(node_key(key)?, bytes);
            ops += 1;
        }
        if !have_root {
            return Err(StoreError::Tree(format!("jmt produced no root for height {height}")));
        }

        let mut stale: Vec<NodeKey> = update.stale.into_iter().filter(|k| !(last == 0 && k.version() == height - 1)).collect();
        // On a no-op block jmt copies the root to the new version without
        // marking the old one stale; record it so pruning reclaims it.
        if last > 0 {
            let old_root = root_node_key(last);
            if !stale.contains(&old_root) {
                stale.push(old_root);
            }
        }
        if !stale.is_empty() {
            let bytes = borsh::to_vec(&stale).map_err(|e| StoreError::Corrupt(format!("encode stale: {e}")))?;
            batch.insert(&tagged_version(TAG_STALE, height)[..], bytes);
        }

        ops += usize::from(!stale.is_empty());
        *self.inner.stats.lock().unwrap_or_else(|p| p.into_inner()) =
            CommitStats { keys: changes.len(), stage_tree: t1 - t0, stage_encode: t1.elapsed(), batch_ops: ops, ..CommitStats::default() };
        Ok(Staged { height, app_hash: root, batch, set_keys, wal })
    }
}

/// The flat entries, preimages (for keys that have none yet) and key log of
/// one height: a batch, the keys set (sorted), and the number of writes.
fn flat_batch(tree: &sled::Tree, height: u64, changes: &ChangeSet) -> Result<(sled::Batch, Vec<Vec<u8>>, usize), StoreError> {
    let mut batch = sled::Batch::default();
    let mut set_keys = Vec::new();
    let mut ops = 0;
    for (key, value) in changes {
        batch.insert(flat_key(key, height), encode_flat_value(value.as_deref()));
        ops += 1;
        if value.is_some() {
            // A read is much cheaper than a write in sled, and most writes
            // update existing keys, which already have one.
            let pre = preimage_key(&KeyHash::with::<Sha256>(key).0);
            if !tree.contains_key(pre)? {
                batch.insert(&pre[..], key.as_slice());
                ops += 1;
            }
            set_keys.push(key.clone());
        }
    }
    let written: Vec<&Vec<u8>> = changes.keys().collect();
    let log = borsh::to_vec(&written).map_err(|e| StoreError::Corrupt(format!("encode log: {e}")))?;
    batch.insert(&tagged_version(TAG_LOG, height)[..], log);
    Ok((batch, set_keys, ops + 1))
}
