//! Pruning of heights below the retention window, and the clean-up of data
//! above the durable height on open.

use jmt::KeyHash;
use jmt::storage::NodeKey;
use sha2::Sha256;

use crate::StoreError;
use crate::keys::{
    TAG_FLAT, TAG_LOG, TAG_NODE, TAG_STALE, decode_flat_key, decode_flat_value, flat_key, node_key, preimage_key, tagged_version,
};

fn decode<T: borsh::BorshDeserialize>(what: &str, bytes: &[u8]) -> Result<T, StoreError> {
    borsh::from_slice(bytes).map_err(|e| StoreError::Corrupt(format!("{what}: {e}")))
}

fn version_of(key: &[u8]) -> Result<u64, StoreError> {
    key.get(1..9).and_then(|b| b.try_into().ok()).map(u64::from_be_bytes).ok_or_else(|| StoreError::Corrupt("short versioned key".into()))
}

/// Adds to `batch` the removals that make every height below `earliest`
/// unreadable while keeping `earliest` and later intact:
/// - jmt nodes that went stale at a version <= `earliest` (no root >=
///   `earliest` reaches them);
/// - flat entries superseded by a write at a version <= `earliest`, and
///   tombstones at such versions (a missing entry reads as `None` too);
/// - preimages of keys deleted for good (`set_keys`, sorted, are the keys
///   the batch itself sets again).
pub(crate) fn prune_to(tree: &sled::Tree, batch: &mut sled::Batch, earliest: u64, set_keys: &[Vec<u8>]) -> Result<usize, StoreError> {
    let mut removed = 0;
    for entry in tree.range(tagged_version(TAG_STALE, 0)..=tagged_version(TAG_STALE, earliest)) {
        let (k, v) = entry?;
        let nodes: Vec<NodeKey> = decode("stale index", &v)?;
        for node in &nodes {
            batch.remove(node_key(node)?);
        }
        removed += nodes.len() + 1;
        batch.remove(k);
    }
    for entry in tree.range(tagged_version(TAG_LOG, 0)..=tagged_version(TAG_LOG, earliest)) {
        let (k, v) = entry?;
        let version = version_of(&k)?;
        let written: Vec<Vec<u8>> = decode("key log", &v)?;
        for key in &written {
            for old in tree.range(flat_key(key, 0)..flat_key(key, version)) {
                batch.remove(old?.0);
                removed += 1;
            }
            let current = flat_key(key, version);
            let is_tombstone = match tree.get(&current)? {
                Some(v) => decode_flat_value(&v)?.is_none(),
                None => false,
            };
            if is_tombstone {
                batch.remove(current);
                removed += 1;
                let later = tree.range(flat_key(key, version.saturating_add(1))..=flat_key(key, u64::MAX)).next().is_some();
                if !later && set_keys.binary_search(key).is_err() {
                    let hash = KeyHash::with::<Sha256>(key);
                    batch.remove(&preimage_key(&hash.0)[..]);
                }
            }
        }
        batch.remove(k);
        removed += 1;
    }
    Ok(removed)
}

/// Removes anything written for a height above `height` (the durable
/// metadata height). Commits are single atomic batches, so this finds
/// nothing unless the database was tampered with or written by a buggy
/// version; it keeps such leftovers from leaking into later heights.
pub(crate) fn cleanup_above(db: &sled::Db, tree: &sled::Tree, height: u64) -> Result<(), StoreError> {
    let Some(above) = height.checked_add(1) else { return Ok(()) };
    let mut batch = sled::Batch::default();
    let mut found = 0usize;
    for tag in [TAG_NODE, TAG_STALE, TAG_LOG] {
        for entry in tree.range(tagged_version(tag, above).to_vec()..vec![tag + 1]) {
            batch.remove(entry?.0);
            found += 1;
        }
    }
    if found == 0 {
        return Ok(());
    }
    tracing::warn!(height, found, "store: removing data written above the durable height");
    for entry in tree.scan_prefix([TAG_FLAT]) {
        let (k, _) = entry?;
        if decode_flat_key(&k)?.1 > height {
            batch.remove(k);
        }
    }
    tree.apply_batch(batch)?;
    db.flush()?;
    Ok(())
}
