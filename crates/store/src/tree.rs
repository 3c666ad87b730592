//! jmt's storage traits over the sled tree.

use jmt::storage::{HasPreimage, LeafNode, Node, NodeKey, TreeReader};
use jmt::{KeyHash, OwnedValue, Version};

use crate::flat;
use crate::keys::{is_root, node_key, preimage_key};

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

    fn get_value_option(
        &self,
        max_version: Version,
        key_hash: KeyHash,
    ) -> anyhow::Result<Option<OwnedValue>> {
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
