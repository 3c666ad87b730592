//! Versioned reads, tombstones, prefix iteration, staging, reopen, simulated
//! crash and determinism.

mod common;

use common::{Rng, apply, cs, open};
use venice_store::{ChangeSet, EMPTY_ROOT, Store, StoreError, StoreOptions};

#[test]
fn empty_store() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    let info = store.last_commit();
    assert_eq!(info.height, 0);
    assert_eq!(info.app_hash, EMPTY_ROOT);
    assert_eq!(store.get(b"a").unwrap(), None);
    assert_eq!(store.iter_prefix_at(b"", 0, None, 10).unwrap(), vec![]);
    assert!(matches!(store.get_at(b"a", 1), Err(StoreError::FutureHeight { height: 1, latest: 0 })));
    assert!(matches!(store.commit(), Err(StoreError::NothingStaged)));
    assert_eq!(store.earliest_height(), 0);
}

#[test]
fn versioned_writes_and_reads_at_every_height() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    let mut roots = vec![];
    for h in 1..=20u64 {
        let mut changes = ChangeSet::new();
        changes.insert(b"counter".to_vec(), Some(h.to_be_bytes().to_vec()));
        changes.insert(format!("key/{h:03}").into_bytes(), Some(vec![h as u8]));
        if h % 3 == 0 {
            // Delete the key written three heights ago.
            changes.insert(format!("key/{:03}", h - 3).into_bytes(), None);
        }
        roots.push(apply(&store, &changes).app_hash);
    }
    assert_eq!(store.earliest_height(), 1);
    for h in 1..=20u64 {
        assert_eq!(store.get_at(b"counter", h).unwrap(), Some(h.to_be_bytes().to_vec()));
        for k in 1..=20u64 {
            let key = format!("key/{k:03}").into_bytes();
            let expected = if k > h {
                None
            } else if k % 3 == 0 && k + 3 <= h {
                // Keys k ≡ 0 (mod 3) are deleted at height k + 3.
                None
            } else {
                Some(vec![k as u8])
            };
            assert_eq!(store.get_at(&key, h).unwrap(), expected, "key {k} at height {h}");
        }
    }
    // Distinct roots per height (each height changes the counter).
    let mut sorted = roots.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), roots.len());
    assert!(matches!(store.get_at(b"counter", 21), Err(StoreError::FutureHeight { height: 21, latest: 20 })));
    assert!(matches!(store.get_at(b"counter", 0), Err(StoreError::Pruned { height: 0, earliest: 1 })));
}

#[test]
fn tombstones_and_reinsert() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    let r1 = apply(&store, &cs(&[(b"a", Some(b"1")), (b"b", Some(b"2"))])).app_hash;
    let r2 = apply(&store, &cs(&[(b"a", None)])).app_hash;
    let r3 = apply(&store, &cs(&[(b"a", Some(b"1"))])).app_hash;
    assert_eq!(store.get_at(b"a", 1).unwrap(), Some(b"1".to_vec()));
    assert_eq!(store.get_at(b"a", 2).unwrap(), None);
    assert_eq!(store.get_at(b"a", 3).unwrap(), Some(b"1".to_vec()));
    assert_ne!(r1, r2);
    // Same content as height 1 => same root.
    assert_eq!(r1, r3);
    // Deleting a missing key changes nothing.
    let r4 = apply(&store, &cs(&[(b"zzz", None)])).app_hash;
    assert_eq!(r4, r3);
    // Deleting everything gives the empty root.
    let r5 = apply(&store, &cs(&[(b"a", None), (b"b", None)])).app_hash;
    assert_eq!(r5, EMPTY_ROOT);
    assert_eq!(store.iter_prefix_at(b"", 5, None, 100).unwrap(), vec![]);
    assert_eq!(store.iter_prefix_at(b"", 4, None, 100).unwrap().len(), 2);
}

#[test]
fn empty_blocks_keep_the_root() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    // An empty first block (genesis with no state) and later empty blocks.
    let r1 = apply(&store, &ChangeSet::new()).app_hash;
    assert_eq!(r1, EMPTY_ROOT);
    let r2 = apply(&store, &cs(&[(b"k", Some(b"v"))])).app_hash;
    let r3 = apply(&store, &ChangeSet::new()).app_hash;
    let r4 = apply(&store, &ChangeSet::new()).app_hash;
    assert_eq!(r2, r3);
    assert_eq!(r3, r4);
    assert_eq!(store.get_at(b"k", 4).unwrap(), Some(b"v".to_vec()));
}

#[test]
fn empty_keys_are_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    assert!(matches!(store.stage(1, &cs(&[(b"", Some(b"x"))])), Err(StoreError::EmptyKey)));
}

#[test]
fn initial_height_above_one() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    let root = store.stage(100, &cs(&[(b"a", Some(b"1"))])).unwrap();
    let info = store.commit().unwrap();
    assert_eq!((info.height, info.app_hash), (100, root));
    assert_eq!(store.earliest_height(), 100);
    assert!(matches!(store.stage(102, &ChangeSet::new()), Err(StoreError::HeightMismatch { expected: 101, got: 102 })));
    apply(&store, &cs(&[(b"b", Some(b"2"))]));
    assert_eq!(store.get_at(b"a", 101).unwrap(), Some(b"1".to_vec()));
    assert!(matches!(store.get_at(b"a", 99), Err(StoreError::Pruned { height: 99, earliest: 100 })));
    // Same content at height 1 in another store: the root does not depend on the height.
    let dir2 = tempfile::tempdir().unwrap();
    let other = open(&dir2);
    assert_eq!(apply(&other, &cs(&[(b"a", Some(b"1"))])).app_hash, root);
}

#[test]
fn prefix_iteration_with_pagination_and_nested_keys() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    let keys: Vec<&[u8]> = vec![
        b"a",
        b"a\x00",
        b"a\x00\x00",
        b"a\x00\x01",
        b"a\x01",
        b"ab",
        b"abc",
        b"abd",
        b"a\xff",
        b"a\xff\xff",
        b"b",
        b"\x00",
        b"\x00\x00",
        b"\xff",
        b"\xff\x00",
    ];
    let h1: Vec<(&[u8], Option<&[u8]>)> = keys.iter().map(|k| (*k, Some(&b"v1"[..]))).collect();
    apply(&store, &cs(&h1));
    // Height 2: delete "ab", change "abc", add "abe".
    apply(&store, &cs(&[(b"ab", None), (b"abc", Some(b"v2")), (b"abe", Some(b"v2"))]));

    let all1 = store.iter_prefix_at(b"", 1, None, 1000).unwrap();
    let mut sorted: Vec<Vec<u8>> = keys.iter().map(|k| k.to_vec()).collect();
    sorted.sort();
    assert_eq!(all1.iter().map(|(k, _)| k.clone()).collect::<Vec<_>>(), sorted);

    let a1: Vec<Vec<u8>> = store.iter_prefix_at(b"a", 1, None, 1000).unwrap().into_iter().map(|(k, _)| k).collect();
    let expect_a1: Vec<Vec<u8>> = sorted.iter().filter(|k| k.starts_with(b"a")).cloned().collect();
    assert_eq!(a1, expect_a1);

    let ab2 = store.iter_prefix_at(b"ab", 2, None, 1000).unwrap();
    assert_eq!(ab2, vec![(b"abc".to_vec(), b"v2".to_vec()), (b"abd".to_vec(), b"v1".to_vec()), (b"abe".to_vec(), b"v2".to_vec())]);
    let ab1 = store.iter_prefix_at(b"ab", 1, None, 1000).unwrap();
    assert_eq!(ab1, vec![(b"ab".to_vec(), b"v1".to_vec()), (b"abc".to_vec(), b"v1".to_vec()), (b"abd".to_vec(), b"v1".to_vec())]);
    // Prefix containing a zero byte.
    let a0: Vec<Vec<u8>> = store.iter_prefix_at(b"a\x00", 2, None, 100).unwrap().into_iter().map(|(k, _)| k).collect();
    assert_eq!(a0, vec![b"a\x00".to_vec(), b"a\x00\x00".to_vec(), b"a\x00\x01".to_vec()]);
    let ff: Vec<Vec<u8>> = store.iter_prefix_at(b"\xff", 2, None, 100).unwrap().into_iter().map(|(k, _)| k).collect();
    assert_eq!(ff, vec![b"\xff".to_vec(), b"\xff\x00".to_vec()]);

    // Pagination in pages of 2 reproduces the full listing, at both heights.
    for h in [1, 2] {
        let full = store.iter_prefix_at(b"a", h, None, 1000).unwrap();
        let mut paged = vec![];
        let mut after: Option<Vec<u8>> = None;
        loop {
            let page = store.iter_prefix_at(b"a", h, after.as_deref(), 2).unwrap();
            if page.is_empty() {
                break;
            }
            assert!(page.len() <= 2);
            after = Some(page.last().unwrap().0.clone());
            paged.extend(page);
        }
        assert_eq!(paged, full);
    }
    // start_after before the prefix, and after it.
    assert_eq!(store.iter_prefix_at(b"ab", 2, Some(b"a"), 1).unwrap()[0].0, b"abc".to_vec());
    assert!(store.iter_prefix_at(b"ab", 2, Some(b"b"), 10).unwrap().is_empty());
    assert!(store.iter_prefix_at(b"ab", 2, None, 0).unwrap().is_empty());
}

#[test]
fn stage_twice_second_wins() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    apply(&store, &cs(&[(b"base", Some(b"0"))]));
    let first = store.stage(2, &cs(&[(b"x", Some(b"first"))])).unwrap();
    let second = store.stage(2, &cs(&[(b"y", Some(b"second"))])).unwrap();
    assert_ne!(first, second);
    let info = store.commit().unwrap();
    assert_eq!(info.app_hash, second);
    assert_eq!(store.get(b"x").unwrap(), None);
    assert_eq!(store.get(b"y").unwrap(), Some(b"second".to_vec()));
    assert!(matches!(store.commit(), Err(StoreError::NothingStaged)));
    // discard_staged drops a staged height.
    store.stage(3, &cs(&[(b"z", Some(b"1"))])).unwrap();
    store.discard_staged();
    assert!(matches!(store.commit(), Err(StoreError::NothingStaged)));
    assert_eq!(store.last_commit().height, 2);
}

#[test]
fn reopen_after_commit() {
    let dir = tempfile::tempdir().unwrap();
    let (info, listing) = {
        let store = open(&dir);
        for h in 1..=5u8 {
            apply(&store, &cs(&[(&[b'k', h], Some(&[h; 40])), (b"last", Some(&[h]))]));
        }
        (store.last_commit(), store.iter_prefix_at(b"", 5, None, 100).unwrap())
    };
    let store = open(&dir);
    assert_eq!(store.last_commit(), info);
    assert_eq!(store.iter_prefix_at(b"", 5, None, 100).unwrap(), listing);
    assert_eq!(store.get_at(b"last", 3).unwrap(), Some(vec![3]));
    assert_eq!(store.earliest_height(), 1);
    // Building on the reopened store works and matches a fresh recomputation.
    let next = apply(&store, &cs(&[(b"after", Some(b"reopen"))]));
    assert_eq!(next.height, 6);
}

#[test]
fn simulated_crash_between_stage_and_commit() {
    let dir = tempfile::tempdir().unwrap();
    let block = cs(&[(b"pending", Some(b"yes")), (b"a", None)]);
    let (info, staged_root) = {
        let store = open(&dir);
        apply(&store, &cs(&[(b"a", Some(b"1")), (b"b", Some(b"2"))]));
        let info = apply(&store, &cs(&[(b"c", Some(b"3"))]));
        let root = store.stage(3, &block).unwrap();
        (info, root)
        // Dropped without commit: the "crash".
    };
    let store = open(&dir);
    assert_eq!(store.last_commit(), info);
    assert_eq!(store.get(b"pending").unwrap(), None);
    assert_eq!(store.get(b"a").unwrap(), Some(b"1".to_vec()));
    assert!(matches!(store.get_at(b"a", 3), Err(StoreError::FutureHeight { .. })));
    // Replaying the block gives the same hash.
    assert_eq!(store.stage(3, &block).unwrap(), staged_root);
    assert_eq!(store.commit().unwrap().app_hash, staged_root);
}

#[test]
fn determinism_independent_of_insertion_order() {
    let mut rng = Rng(7);
    type Block = Vec<(Vec<u8>, Option<Vec<u8>>)>;
    let mut blocks: Vec<Block> = vec![];
    let mut pool: Vec<Vec<u8>> = vec![];
    for _ in 0..15 {
        let mut block = vec![];
        for _ in 0..50 {
            if !pool.is_empty() && rng.below(4) == 0 {
                let k = pool[rng.below(pool.len() as u64) as usize].clone();
                block.push((k, None));
            } else {
                let len = 1 + rng.below(12) as usize;
                let k = rng.bytes(len);
                pool.push(k.clone());
                let vlen = 1 + rng.below(80) as usize;
                block.push((k, Some(rng.bytes(vlen))));
            }
        }
        blocks.push(block);
    }
    let d1 = tempfile::tempdir().unwrap();
    let d2 = tempfile::tempdir().unwrap();
    let s1 = open(&d1);
    let s2 = Store::open(d2.path(), StoreOptions { keep_recent: 3 }).unwrap();
    for block in &blocks {
        // Same final change set, built in opposite insertion orders; the last
        // write of a key wins in both.
        let mut forward = ChangeSet::new();
        for (k, v) in block {
            forward.insert(k.clone(), v.clone());
        }
        let mut backward = ChangeSet::new();
        let mut seen = std::collections::BTreeSet::new();
        for (k, v) in block.iter().rev() {
            if seen.insert(k.clone()) {
                backward.insert(k.clone(), v.clone());
            }
        }
        assert_eq!(forward, backward);
        let a = apply(&s1, &forward);
        let b = apply(&s2, &backward);
        assert_eq!(a, b);
    }
}

#[test]
fn big_blocks_match_small_blocks() {
    // Blocks above the parallel-encoding threshold, with deletes, give the
    // same state and root as the same writes split into small blocks.
    let mut rng = Rng(99);
    let mut blocks = vec![];
    for b in 0..3u64 {
        let mut c = ChangeSet::new();
        for i in 0..3000u64 {
            let k = format!("big/{}", rng.below(6000)).into_bytes();
            let len = 1 + rng.below(40) as usize;
            let v = if b > 0 && i % 5 == 0 { None } else { Some(rng.bytes(len)) };
            c.insert(k, v);
        }
        blocks.push(c);
    }
    let d1 = tempfile::tempdir().unwrap();
    let d2 = tempfile::tempdir().unwrap();
    let big = open(&d1);
    let small = open(&d2);
    for block in &blocks {
        let root = apply(&big, block).app_hash;
        let entries: Vec<_> = block.iter().collect();
        let mut last = None;
        for chunk in entries.chunks(100) {
            let c: ChangeSet = chunk.iter().map(|(k, v)| ((*k).clone(), (*v).clone())).collect();
            last = Some(apply(&small, &c).app_hash);
        }
        assert_eq!(Some(root), last);
        let h = big.last_commit().height;
        assert_eq!(
            big.iter_prefix_at(b"big/", h, None, usize::MAX).unwrap(),
            small.iter_prefix_at(b"big/", small.last_commit().height, None, usize::MAX).unwrap()
        );
    }
}
