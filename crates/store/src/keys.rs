//! On-disk key layout. Everything lives in ONE sled tree so that a height's
//! writes can go into one atomic `sled::Batch` (a batch spans a single tree);
//! the first byte of each key names the table.

use jmt::storage::{NibblePath, NodeKey};

use crate::StoreError;

/// `m` → borsh(`Meta`): the committed height, its app hash, the earliest
/// readable height. The single source of truth on open.
pub(crate) const META_KEY: &[u8] = b"m";
/// `n || be(version) || borsh(nibble path)` → borsh(jmt `Node`).
pub(crate) const TAG_NODE: u8 = b'n';
/// `s || be(stale_since_version)` → borsh(`Vec<NodeKey>`): jmt nodes no
/// longer part of the tree from that version on (pruning index).
pub(crate) const TAG_STALE: u8 = b's';
/// `f || esc(raw key) || 00 00 || be(version)` → `[0]` tombstone or
/// `[1] || value`: the flat, ordered, versioned copy of the state used for
/// reads, prefix scans, and as jmt's value store.
pub(crate) const TAG_FLAT: u8 = b'f';
/// `p || sha256(raw key)` → raw key: preimages, needed to turn jmt's
/// key-hash neighbours into ICS23 non-existence proofs.
pub(crate) const TAG_PREIMAGE: u8 = b'p';
/// `l || be(version)` → borsh(`Vec<Vec<u8>>`): raw keys written at that
/// version, so pruning finds superseded flat entries without a full scan.
pub(crate) const TAG_LOG: u8 = b'l';

/// `w || be(version)` → borsh(`Vec<(key, Option<value>)>`): the write-ahead
/// record of a committed height whose index (nodes, flat entries…) is still
/// being written; removed in the same batch that writes the index.
pub(crate) const TAG_WAL: u8 = b'w';
/// `i` → be(u64): the highest height whose index is fully written.
pub(crate) const INDEXED_KEY: &[u8] = b"i";

/// Flat-table terminator after the escaped raw key. The escape maps `00` to
/// `00 FF`, so `00 00` never occurs inside an escaped key: the encoding is
/// prefix-free and preserves the byte order of raw keys (a key sorts before
/// every longer key it is a prefix of).
const TERMINATOR: [u8; 2] = [0x00, 0x00];

/// Appends the escaped form of `raw` (no terminator).
pub(crate) fn escape_into(out: &mut Vec<u8>, raw: &[u8]) {
    for &b in raw {
        out.push(b);
        if b == 0 {
            out.push(0xFF);
        }
    }
}

/// `f || esc(raw)`: every flat key of a raw key starting with `raw` starts with this.
pub(crate) fn flat_prefix(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(1 + raw.len() + 2);
    out.push(TAG_FLAT);
    escape_into(&mut out, raw);
    out
}

/// `f || esc(raw) || 00 00`: the common prefix of all versions of one raw key.
pub(crate) fn flat_key_base(raw: &[u8]) -> Vec<u8> {
    let mut out = flat_prefix(raw);
    out.extend_from_slice(&TERMINATOR);
    out
}

pub(crate) fn flat_key(raw: &[u8], version: u64) -> Vec<u8> {
    let mut out = flat_key_base(raw);
    out.extend_from_slice(&version.to_be_bytes());
    out
}

/// Splits a flat key into (raw key, version).
pub(crate) fn decode_flat_key(key: &[u8]) -> Result<(Vec<u8>, u64), StoreError> {
    let corrupt = || StoreError::Corrupt(format!("bad flat key {}", hex(key)));
    if key.first() != Some(&TAG_FLAT) || key.len() < 1 + 2 + 8 {
        return Err(corrupt());
    }
    let (body, ver) = key[1..].split_at(key.len() - 1 - 8);
    let version = u64::from_be_bytes(ver.try_into().map_err(|_| corrupt())?);
    let mut raw = Vec::with_capacity(body.len());
    let mut i = 0;
    while i < body.len() {
        let b = body[i];
        if b != 0 {
            raw.push(b);
            i += 1;
            continue;
        }
        match body.get(i + 1) {
            Some(0xFF) => {
                raw.push(0);
                i += 2;
            }
            Some(0x00) if i + 2 == body.len() => return Ok((raw, version)),
            _ => return Err(corrupt()),
        }
    }
    Err(corrupt())
}

/// Flat value encoding: `None` (tombstone) is `[0]`, `Some(v)` is `[1] || v`.
pub(crate) fn encode_flat_value(value: Option<&[u8]>) -> Vec<u8> {
    match value {
        None => vec![0],
        Some(v) => {
            let mut out = Vec::with_capacity(1 + v.len());
            out.push(1);
            out.extend_from_slice(v);
            out
        }
    }
}

pub(crate) fn decode_flat_value(bytes: &[u8]) -> Result<Option<Vec<u8>>, StoreError> {
    match bytes.split_first() {
        Some((0, [])) => Ok(None),
        Some((1, v)) => Ok(Some(v.to_vec())),
        _ => Err(StoreError::Corrupt("bad flat value".into())),
    }
}

pub(crate) fn tagged_version(tag: u8, version: u64) -> [u8; 9] {
    let mut out = [0u8; 9];
    out[0] = tag;
    out[1..].copy_from_slice(&version.to_be_bytes());
    out
}

pub(crate) fn preimage_key(key_hash: &[u8; 32]) -> [u8; 33] {
    let mut out = [0u8; 33];
    out[0] = TAG_PREIMAGE;
    out[1..].copy_from_slice(key_hash);
    out
}

/// `n || be(version) || borsh(nibble path)`. Version first so that a range
/// scan finds every node written above a height (crash clean-up).
pub(crate) fn node_key(key: &NodeKey) -> Result<Vec<u8>, StoreError> {
    let mut out = Vec::with_capacity(1 + 8 + 8 + 4 + 32);
    out.push(TAG_NODE);
    out.extend_from_slice(&key.version().to_be_bytes());
    borsh::to_writer(&mut out, key.nibble_path()).map_err(|e| StoreError::Corrupt(format!("encode nibble path: {e}")))?;
    Ok(out)
}

#[cfg(test)]
pub(crate) fn decode_node_key(key: &[u8]) -> Result<NodeKey, StoreError> {
    if key.first() != Some(&TAG_NODE) || key.len() < 9 {
        return Err(StoreError::Corrupt("bad node key".into()));
    }
    let version = u64::from_be_bytes(key[1..9].try_into().expect("8 bytes"));
    let path: NibblePath = borsh::from_slice(&key[9..]).map_err(|e| StoreError::Corrupt(format!("bad nibble path: {e}")))?;
    Ok(NodeKey::new(version, path))
}

/// The key of the root node at `version` (jmt's own constructor is private).
pub(crate) fn root_node_key(version: u64) -> NodeKey {
    // borsh(NibblePath { num_nibbles: 0usize as u64, bytes: vec![] })
    let empty: NibblePath = borsh::from_slice(&[0u8; 12]).expect("empty nibble path decodes");
    NodeKey::new(version, empty)
}

pub(crate) fn is_root(key: &NodeKey) -> bool {
    key.nibble_path().nibbles().next().is_none()
}

/// The smallest key strictly greater than every key starting with `prefix`,
/// or `None` if there is none (all 0xFF).
pub(crate) fn prefix_end(prefix: &[u8]) -> Option<Vec<u8>> {
    let mut end = prefix.to_vec();
    while let Some(last) = end.pop() {
        if last < 0xFF {
            end.push(last + 1);
            return Some(end);
        }
    }
    None
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flat_key_roundtrip_and_order() {
        let keys: Vec<Vec<u8>> =
            vec![vec![], vec![0], vec![0, 0], vec![0, 1], vec![0, 0xFF], vec![1], vec![1, 0], vec![0xFF], vec![0xFF, 0, 0]];
        for k in &keys {
            for v in [0u64, 1, 7, u64::MAX] {
                assert_eq!(decode_flat_key(&flat_key(k, v)).unwrap(), (k.clone(), v));
            }
        }
        // Ordering of encoded keys follows raw-key order, whatever the versions.
        for a in &keys {
            for b in &keys {
                let ea = flat_key(a, u64::MAX);
                let eb = flat_key(b, 0);
                if a < b {
                    assert!(ea < eb, "{a:?} < {b:?}");
                }
                // Prefix property: b starts with a iff enc(b) starts with esc(a).
                assert_eq!(b.starts_with(a), flat_key(b, 3).starts_with(&flat_prefix(a)), "{a:?} {b:?}");
            }
        }
    }

    #[test]
    fn node_key_roundtrip_and_root() {
        let root = root_node_key(42);
        assert!(is_root(&root));
        assert_eq!(root.version(), 42);
        let enc = node_key(&root).unwrap();
        assert_eq!(decode_node_key(&enc).unwrap(), root);
    }

    #[test]
    fn prefix_end_works() {
        assert_eq!(prefix_end(b"ab"), Some(b"ac".to_vec()));
        assert_eq!(prefix_end(&[1, 0xFF]), Some(vec![2]));
        assert_eq!(prefix_end(&[0xFF, 0xFF]), None);
    }
}
