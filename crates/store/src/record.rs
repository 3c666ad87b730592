//! The write-ahead commit record: what `commit` makes durable before it
//! returns, and what `open` trusts after a crash. Kept apart from the index
//! (see `index`) because durability is decided here alone: a height exists
//! once its record and metadata are flushed, whatever the index says.

use borsh::{BorshDeserialize, BorshSerialize};

use crate::keys::{META_KEY, TAG_WAL, tagged_version};
use crate::{AppHash, ChangeSet, EMPTY_ROOT, StoreError};

/// The durable metadata record; what `open` trusts.
#[derive(Clone, Copy, Debug, BorshSerialize, BorshDeserialize)]
pub(crate) struct Meta {
    pub(crate) height: u64,
    pub(crate) app_hash: AppHash,
    /// Earliest height still readable (0 before the first commit).
    pub(crate) earliest: u64,
}

/// The metadata record on disk; height 0 and the empty root when nothing
/// was ever committed.
pub(crate) fn read_meta(tree: &sled::Tree) -> Result<Meta, StoreError> {
    Ok(match tree.get(META_KEY)? {
        Some(bytes) => Meta::try_from_slice(&bytes).map_err(|e| StoreError::Corrupt(format!("metadata record: {e}")))?,
        None => Meta { height: 0, app_hash: EMPTY_ROOT, earliest: 0 },
    })
}

/// The write-ahead record of a change set.
pub(crate) fn wal_record(changes: &ChangeSet) -> Result<Vec<u8>, StoreError> {
    let pairs: Vec<(&Vec<u8>, &Option<Vec<u8>>)> = changes.iter().collect();
    borsh::to_vec(&pairs).map_err(|e| StoreError::Corrupt(format!("encode write-ahead record: {e}")))
}

/// The change set of `height` from its write-ahead record (crash recovery).
pub(crate) fn read_wal(tree: &sled::Tree, height: u64) -> Result<ChangeSet, StoreError> {
    let wal = tree
        .get(tagged_version(TAG_WAL, height))?
        .ok_or_else(|| StoreError::Corrupt(format!("no write-ahead record for height {height}")))?;
    let pairs: Vec<(Vec<u8>, Option<Vec<u8>>)> =
        borsh::from_slice(&wal).map_err(|e| StoreError::Corrupt(format!("write-ahead record of height {height}: {e}")))?;
    Ok(pairs.into_iter().collect())
}

/// Commit's one durable batch: the record of `meta.height` and the metadata
/// naming it, together, so a crash leaves both or neither.
pub(crate) fn durable_batch(wal: &[u8], meta: &Meta) -> Result<sled::Batch, StoreError> {
    let meta_bytes = borsh::to_vec(meta).map_err(|e| StoreError::Corrupt(format!("encode meta: {e}")))?;
    let mut batch = sled::Batch::default();
    batch.insert(&tagged_version(TAG_WAL, meta.height)[..], wal);
    batch.insert(META_KEY, meta_bytes);
    Ok(batch)
}
