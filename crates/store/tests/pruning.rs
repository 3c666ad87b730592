//! Pruning: heights below the window error, the window still reads and
//! proves, and disk entries are actually removed.

mod common;

use common::{apply, open, open_keep};
use venice_store::{ChangeSet, StoreError, tables, verify_membership, verify_non_membership};

fn block(h: u64) -> ChangeSet {
    let mut c = ChangeSet::new();
    // A hot key rewritten every height, a growing set, and a key deleted later.
    c.insert(b"hot".to_vec(), Some(h.to_be_bytes().to_vec()));
    c.insert(format!("grow/{h:04}").into_bytes(), Some(vec![h as u8; 16]));
    if h == 3 {
        c.insert(b"temp".to_vec(), Some(b"t".to_vec()));
    }
    if h == 6 {
        c.insert(b"temp".to_vec(), None);
    }
    c
}

#[test]
fn pruned_heights_error_and_recent_ones_work() {
    let dir = tempfile::tempdir().unwrap();
    let store = open_keep(&dir, 3);
    let mut roots = vec![[0u8; 32]];
    for h in 1..=30 {
        roots.push(apply(&store, &block(h)).app_hash);
        let earliest = if h >= 3 { h - 2 } else { 1 };
        assert_eq!(store.earliest_height(), earliest, "after height {h}");
    }
    assert_eq!(store.earliest_height(), 28);
    for h in 1..28 {
        assert!(matches!(store.get_at(b"hot", h), Err(StoreError::Pruned { height, earliest: 28 }) if height == h), "height {h}");
        assert!(matches!(store.get_with_proof(b"hot", h), Err(StoreError::Pruned { .. })));
        assert!(matches!(store.iter_prefix_at(b"", h, None, 10), Err(StoreError::Pruned { .. })));
    }
    for h in 28..=30u64 {
        assert_eq!(store.get_at(b"hot", h).unwrap(), Some(h.to_be_bytes().to_vec()));
        // Old keys written long ago (superseded never) survive.
        assert_eq!(store.get_at(b"grow/0001", h).unwrap(), Some(vec![1; 16]));
        assert_eq!(store.get_at(b"temp", h).unwrap(), None);
        assert_eq!(store.iter_prefix_at(b"grow/", h, None, 1000).unwrap().len() as u64, h);
        let root = &roots[h as usize];
        let (v, proof) = store.get_with_proof(b"hot", h).unwrap();
        assert!(verify_membership(&proof, root, b"hot", &v.unwrap()));
        let (v, proof) = store.get_with_proof(b"grow/0002", h).unwrap();
        assert!(verify_membership(&proof, root, b"grow/0002", &v.unwrap()));
        let (v, proof) = store.get_with_proof(b"temp", h).unwrap();
        assert_eq!(v, None);
        assert!(verify_non_membership(&proof, root, b"temp"));
    }
}

#[test]
fn disk_entries_are_removed() {
    let run = |keep: u64| {
        let dir = tempfile::tempdir().unwrap();
        let store = open_keep(&dir, keep);
        for h in 1..=40 {
            apply(&store, &block(h));
        }
        (
            store.debug_count_entries(tables::NODES),
            store.debug_count_entries(tables::FLAT),
            store.debug_count_entries(tables::STALE),
            store.debug_count_entries(tables::LOG),
            store.debug_count_entries(tables::PREIMAGES),
        )
    };
    let (nodes_all, flat_all, stale_all, log_all, pre_all) = run(0);
    let (nodes_p, flat_p, stale_p, log_p, pre_p) = run(2);
    // Everything kept: one flat entry per write (2 per height + temp twice).
    assert_eq!(flat_all, 40 * 2 + 2);
    assert_eq!(log_all, 40);
    assert_eq!(pre_all, 40 + 2); // hot, temp, 40 grow keys
    // Pruned to 2 heights: the hot key keeps 2 versions, temp is gone
    // entirely (tombstone and preimage), grow keys keep their one entry.
    assert_eq!(flat_p, 40 + 2);
    assert_eq!(log_p, 1); // only the log of the newest height is still needed
    assert_eq!(stale_p, 1);
    assert_eq!(pre_p, 41);
    // The live tree alone: the final state written as one block.
    let fresh_dir = tempfile::tempdir().unwrap();
    let fresh = open(&fresh_dir);
    let mut state = ChangeSet::new();
    for h in 1..=40 {
        for (k, v) in block(h) {
            state.insert(k, v);
        }
    }
    state.retain(|_, v| v.is_some());
    apply(&fresh, &state);
    let live_nodes = fresh.debug_count_entries(tables::NODES);
    // Pruned: the live tree plus the nodes that height 40 replaced (two
    // root-to-leaf paths of a tree of depth ~2); unpruned: every version.
    assert!(nodes_p >= live_nodes && nodes_p <= live_nodes + 8, "nodes {nodes_p} vs live {live_nodes}");
    assert!(nodes_all > 2 * live_nodes, "nodes {nodes_all} vs live {live_nodes}");
    assert!(stale_all >= 39);
}

#[test]
fn pruning_survives_reopen_and_option_change() {
    let dir = tempfile::tempdir().unwrap();
    {
        let store = open(&dir);
        for h in 1..=10 {
            apply(&store, &block(h));
        }
        assert_eq!(store.earliest_height(), 1);
    }
    {
        // Turning pruning on later prunes the whole backlog at the next commit.
        let store = open_keep(&dir, 2);
        assert_eq!(store.earliest_height(), 1);
        apply(&store, &block(11));
        assert_eq!(store.earliest_height(), 10);
        assert_eq!(store.get_at(b"hot", 10).unwrap(), Some(10u64.to_be_bytes().to_vec()));
        assert!(matches!(store.get_at(b"hot", 9), Err(StoreError::Pruned { height: 9, earliest: 10 })));
    }
    // Reopened without pruning: earliest stays where it was, nothing returns.
    let store = open(&dir);
    assert_eq!(store.earliest_height(), 10);
    apply(&store, &block(12));
    assert_eq!(store.earliest_height(), 10);
    assert_eq!(store.get_at(b"grow/0001", 10).unwrap(), Some(vec![1; 16]));
}
