//! jmt's storage traits over the sled tree.

use std::collections::{BTreeMap, BTreeSet};

use jmt::storage::{HasPreimage, LeafNode, Node, NodeKey, TreeReader, TreeUpdateBatch};
use jmt::{KeyHash, OwnedValue, Sha256Jmt, Version};

use crate::flat;
use crate::keys::{is_root, node_key, preimage_key, root_node_key};

/// Reads jmt nodes from sled; values come from the flat table through the
/// preimage map, so values are stored once (not again by key hash).
pub(crate) struct SledReader<'a> {
    pub(crate) tree: &'a sled::Tree,
    /// Version whose root reads as the empty (`Null`) node although nothing
    /// is stored: jmt builds version V on top of root V-1, and the very first
    /// height (which may be > 1, CometBFT's `initial_height`) has no parent.
    pub(crate) null_root: Option<Version>,
}

impl TreeReader for SledReader<'_> {
    fn get_node_option(&self, key: &NodeKey) -> anyhow::Result<Option<Node>> {
        if self.null_root == Some(key.version()) && is_root(key) {
            return Ok(Some(Node::Null));
        }
        match self.tree.get(node_key(key)?)? {
            None => Ok(None),
            Some(bytes) => Ok(Some(borsh::from_slice(&bytes)?)),
        }
    }

    fn get_value_option(&self, max_version: Version, key_hash: KeyHash) -> anyhow::Result<Option<OwnedValue>> {
        match self.tree.get(preimage_key(&key_hash.0))? {
            None => Ok(None),
            Some(raw) => Ok(flat::get(self.tree, &raw, max_version)?),
        }
    }

    fn get_rightmost_leaf(&self) -> anyhow::Result<Option<(NodeKey, LeafNode)>> {
        // Only jmt's state-sync restore uses this; the store never restores.
        anyhow::bail!("get_rightmost_leaf is not supported by the venice store")
    }
}

impl HasPreimage for SledReader<'_> {
    fn preimage(&self, key_hash: KeyHash) -> anyhow::Result<Option<Vec<u8>>> {
        Ok(self.tree.get(preimage_key(&key_hash.0))?.map(|v| v.to_vec()))
    }
}

/// Phase-1 nodes seen through the base store, with the parent root
/// redirected to the phase-1 root (see `update`).
struct OverlayReader<'a> {
    base: &'a SledReader<'a>,
    nodes: &'a BTreeMap<NodeKey, Node>,
    parent_root: NodeKey,
    new_root: NodeKey,
}

impl TreeReader for OverlayReader<'_> {
    fn get_node_option(&self, key: &NodeKey) -> anyhow::Result<Option<Node>> {
        let key = if *key == self.parent_root { &self.new_root } else { key };
        match self.nodes.get(key) {
            Some(node) => Ok(Some(node.clone())),
            None => self.base.get_node_option(key),
        }
    }

    fn get_value_option(&self, max_version: Version, key_hash: KeyHash) -> anyhow::Result<Option<OwnedValue>> {
        self.base.get_value_option(max_version, key_hash)
    }

    fn get_rightmost_leaf(&self) -> anyhow::Result<Option<(NodeKey, LeafNode)>> {
        self.base.get_rightmost_leaf()
    }
}

/// The tree of `version`: its root, the nodes to store, and the stored
/// nodes it makes stale. Nodes stay in jmt's batches (no copy of the map).
pub(crate) struct Update {
    pub(crate) root: [u8; 32],
    /// Phase-1 nodes (or the only batch).
    first: TreeUpdateBatch,
    /// Phase-2 nodes, which win over phase 1's at the same key.
    second: Option<TreeUpdateBatch>,
    /// Phase-1 nodes that phase 2 made unreachable.
    dropped: BTreeSet<NodeKey>,
    pub(crate) stale: BTreeSet<NodeKey>,
}

impl Update {
    /// Every node of the new version, each key once.
    pub(crate) fn nodes(&self) -> impl Iterator<Item = (&NodeKey, &Node)> {
        let second = self.second.as_ref().map(|b| b.node_batch.nodes());
        let first = self
            .first
            .node_batch
            .nodes()
            .iter()
            .filter(move |(k, _)| !self.dropped.contains(*k) && !second.is_some_and(|s| s.contains_key(*k)));
        first.chain(second.into_iter().flatten())
    }
}

/// Applies one height's writes to the tree of `version - 1`.
///
/// jmt's key-by-key `put_value_set` rehashes the whole root path for every
/// key; its sorted `batch_put_value_sets` builds each new node once but
/// cannot delete. So sets go through the batch path (phase 1) and deletes,
/// usually few, through the key-by-key path (phase 2) on top of phase 1's
/// nodes, at the same version; the two results are then merged.
pub(crate) fn update(
    base: &SledReader<'_>,
    version: Version,
    sets: Vec<(KeyHash, OwnedValue)>,
    deletes: Vec<(KeyHash, Option<OwnedValue>)>,
) -> anyhow::Result<Update> {
    let jmt = Sha256Jmt::new(base);
    let stale_of = |b: &TreeUpdateBatch| b.stale_node_index_batch.iter().map(|s| s.node_key.clone()).collect();
    if sets.is_empty() {
        let (root, first) = jmt.put_value_set(deletes, version)?;
        let stale = stale_of(&first);
        return Ok(Update { root: root.0, first, second: None, dropped: BTreeSet::new(), stale });
    }
    let (roots, first) = jmt.batch_put_value_sets(vec![sets], None, version)?;
    let mut stale: BTreeSet<NodeKey> = stale_of(&first);
    if deletes.is_empty() {
        return Ok(Update { root: roots[0].0, first, second: None, dropped: BTreeSet::new(), stale });
    }

    let overlay =
        OverlayReader { base, nodes: first.node_batch.nodes(), parent_root: root_node_key(version - 1), new_root: root_node_key(version) };
    let (root, second) = Sha256Jmt::new(&overlay).put_value_set(deletes, version)?;
    let mut dropped = BTreeSet::new();
    for s in &second.stale_node_index_batch {
        if s.node_key.version() == version {
            // A phase-1 node that phase 2 replaced or removed: never stored.
            dropped.insert(s.node_key.clone());
        } else {
            stale.insert(s.node_key.clone());
        }
    }
    Ok(Update { root: root.0, first, second: Some(second), dropped, stale })
}

#[cfg(test)]
mod tests {
    use sha2::Sha256;

    use super::*;
    use crate::{ChangeSet, Store, StoreOptions};

    /// The two-phase update gives the same root as jmt's plain key-by-key
    /// path, over random histories mixing sets, updates and deletes.
    #[test]
    fn two_phase_update_matches_key_by_key() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path(), StoreOptions::default()).unwrap();
        let mut seed = 1u64;
        let mut next = move || {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            seed >> 33
        };
        for height in 1..=40u64 {
            let mut changes = ChangeSet::new();
            let n = next() % 60;
            for _ in 0..n {
                // Small key space: collisions, updates, deletes of present keys.
                let k = format!("k{}", next() % 150).into_bytes();
                let v = if next() % 3 == 0 { None } else { Some(vec![1 + (next() % 200) as u8; 3]) };
                changes.insert(k, v);
            }
            let tree = &store.inner.tree;
            let reader = SledReader { tree, null_root: (height == 1).then_some(0) };
            let (want, _) = Sha256Jmt::new(&reader)
                .put_value_set(changes.iter().map(|(k, v)| (KeyHash::with::<Sha256>(k), v.clone())), height)
                .unwrap();
            let got = store.stage(height, &changes).unwrap();
            assert_eq!(got, want.0, "height {height}");
            store.commit().unwrap();
            // This test reads sled directly: let the background index land.
            store.wait_indexed().unwrap();
        }
    }
}
