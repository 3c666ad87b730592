//! Reads over the flat, versioned table (`f || esc(key) || 00 00 || be(version)`).

use std::ops::Bound;

use crate::keys::{decode_flat_key, decode_flat_value, flat_key, flat_prefix, prefix_end};
use crate::{KvPairs, StoreError};

/// The value of `key` at `height`: the newest entry with version <= height.
pub(crate) fn get(tree: &sled::Tree, key: &[u8], height: u64) -> Result<Option<Vec<u8>>, StoreError> {
    let lo = flat_key(key, 0);
    let hi = flat_key(key, height);
    match tree.range(lo..=hi).next_back() {
        None => Ok(None),
        Some(entry) => {
            let (_, v) = entry?;
            decode_flat_value(&v)
        }
    }
}

/// Up to `limit` live (key, value) pairs with keys starting with `prefix`,
/// ascending, as of `height`, strictly after `start_after` when given.
///
/// Each distinct key costs two range seeks (find the next key, then its
/// newest version <= height), so a key with a long history is not scanned
/// version by version.
pub(crate) fn iter_prefix(
    tree: &sled::Tree,
    prefix: &[u8],
    height: u64,
    start_after: Option<&[u8]>,
    limit: usize,
) -> Result<KvPairs, StoreError> {
    let mut out = Vec::new();
    if limit == 0 {
        return Ok(out);
    }
    let pfx = flat_prefix(prefix);
    let upper = match prefix_end(&pfx) {
        Some(end) => Bound::Excluded(end),
        None => Bound::Unbounded,
    };
    let mut lower = Bound::Included(pfx.clone());
    if let Some(after) = start_after {
        // Every version of every key > `after` sorts above this bound.
        let past = flat_key(after, u64::MAX);
        if past >= pfx {
            lower = Bound::Excluded(past);
        }
    }
    while out.len() < limit {
        let Some(first) = tree.range::<Vec<u8>, _>((lower.clone(), upper.clone())).next() else {
            break;
        };
        let (k, _) = first?;
        let (raw, _) = decode_flat_key(&k)?;
        let newest = tree.range(flat_key(&raw, 0)..=flat_key(&raw, height)).next_back();
        if let Some(entry) = newest {
            let (_, v) = entry?;
            if let Some(value) = decode_flat_value(&v)? {
                out.push((raw.clone(), value));
            }
        }
        lower = Bound::Excluded(flat_key(&raw, u64::MAX));
    }
    Ok(out)
}
