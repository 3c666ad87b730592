//! White-box tests that need the store's internals.

use super::*;
use crate::keys::{META_KEY, TAG_WAL, flat_key, tagged_version};

fn cs(items: &[(&[u8], Option<&[u8]>)]) -> ChangeSet {
    items.iter().map(|(k, v)| (k.to_vec(), v.map(|v| v.to_vec()))).collect()
}

/// Data written above the durable height (as a non-atomic writer would
/// leave it) is ignored by reads and removed on open.
#[test]
fn leftovers_above_the_durable_height_are_cleaned_on_open() {
    let dir = tempfile::tempdir().unwrap();
    let block3 = cs(&[(b"a", Some(b"3")), (b"c", Some(b"new"))]);
    let root3 = {
        let store = Store::open(dir.path(), StoreOptions::default()).unwrap();
        store.stage(1, &cs(&[(b"a", Some(b"1")), (b"b", Some(b"1"))])).unwrap();
        store.commit().unwrap();
        store.stage(2, &cs(&[(b"a", Some(b"2"))])).unwrap();
        store.commit().unwrap();
        // Write height 3's data but not its metadata record.
        let root3 = store.stage(3, &block3).unwrap();
        let staged = store.staged().take().unwrap();
        store.inner.tree.apply_batch(staged.batch).unwrap();
        store.inner.db.flush().unwrap();
        // Reads ignore it already.
        assert_eq!(store.get(b"a").unwrap(), Some(b"2".to_vec()));
        assert_eq!(store.iter_prefix_at(b"", 2, None, 10).unwrap().len(), 2);
        root3
    };
    let store = Store::open(dir.path(), StoreOptions::default()).unwrap();
    assert_eq!(store.last_commit().height, 2);
    let tree = &store.inner.tree;
    assert!(tree.range(tagged_version(TAG_NODE, 3).to_vec()..vec![TAG_NODE + 1]).next().is_none());
    assert!(tree.get(tagged_version(TAG_LOG, 3)).unwrap().is_none());
    assert!(tree.get(flat_key(b"c", 3)).unwrap().is_none());
    assert!(tree.get(flat_key(b"a", 3)).unwrap().is_none());
    assert!(tree.get(flat_key(b"a", 2)).unwrap().is_some());
    // Height 3 again gives the same root.
    assert_eq!(store.stage(3, &block3).unwrap(), root3);
    store.commit().unwrap();
    assert_eq!(store.get(b"c").unwrap(), Some(b"new".to_vec()));
}

/// Queries running while blocks commit (with pruning) either answer
/// correctly or say the height was pruned, never anything else.
#[test]
fn concurrent_reads_during_commits_and_pruning() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), StoreOptions { keep_recent: 2 }).unwrap();
    let value = |h: u64| h.to_be_bytes().to_vec();
    let block = |h: u64| {
        let mut c = ChangeSet::new();
        c.insert(b"hot".to_vec(), Some(value(h)));
        c.insert(format!("k{}", h % 37).into_bytes(), Some(value(h)));
        c
    };
    store.stage(1, &block(1)).unwrap();
    store.commit().unwrap();
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let readers: Vec<_> = (0..2)
        .map(|_| {
            let store = store.clone();
            let stop = stop.clone();
            std::thread::spawn(move || {
                let (mut ok, mut pruned) = (0u32, 0u32);
                while !stop.load(Ordering::SeqCst) {
                    let info = store.last_commit();
                    for h in [info.height, info.height.saturating_sub(1), info.height.saturating_sub(2)] {
                        match store.get_with_proof(b"hot", h) {
                            Ok((Some(v), proof)) => {
                                assert_eq!(v, h.to_be_bytes().to_vec());
                                if h == info.height {
                                    assert!(verify_membership(&proof, &info.app_hash, b"hot", &v));
                                }
                                ok += 1;
                            }
                            Err(StoreError::Pruned { .. }) => pruned += 1,
                            other => panic!("height {h}: {other:?}"),
                        }
                        match store.iter_prefix_at(b"k", h, None, 100) {
                            Ok(items) => assert!(!items.is_empty() || h == 0),
                            Err(StoreError::Pruned { .. }) => pruned += 1,
                            Err(e) => panic!("height {h}: {e}"),
                        }
                    }
                }
                (ok, pruned)
            })
        })
        .collect();
    for h in 2..=150 {
        store.stage(h, &block(h)).unwrap();
        store.commit().unwrap();
    }
    stop.store(true, Ordering::SeqCst);
    let mut total_ok = 0;
    for r in readers {
        total_ok += r.join().unwrap().0;
    }
    assert!(total_ok > 0);
}

#[test]
fn store_is_send_sync_and_clone() {
    fn check<T: Send + Sync + Clone + 'static>() {}
    check::<Store>();
}

/// A crash after Commit made the write-ahead record durable but before the
/// background writer wrote the index: open rebuilds the index from the
/// record, and the height reads, proves and builds on as if nothing happened.
#[test]
fn index_missing_after_crash_is_rebuilt_from_the_write_ahead_record() {
    let dir = tempfile::tempdir().unwrap();
    let block2 = cs(&[(b"a", Some(b"2")), (b"b", None), (b"c", Some(b"new"))]);
    let root2 = {
        let store = Store::open(dir.path(), StoreOptions::default()).unwrap();
        store.stage(1, &cs(&[(b"a", Some(b"1")), (b"b", Some(b"1"))])).unwrap();
        store.commit().unwrap();
        store.wait_indexed().unwrap();
        let root2 = store.stage(2, &block2).unwrap();
        // Commit's durable half only: the record and the metadata.
        let staged = store.staged().take().unwrap();
        let meta = Meta { height: 2, app_hash: staged.app_hash, earliest: 1 };
        let mut wal = sled::Batch::default();
        wal.insert(&tagged_version(TAG_WAL, 2)[..], staged.wal.as_slice());
        wal.insert(META_KEY, borsh::to_vec(&meta).unwrap());
        store.inner.tree.apply_batch(wal).unwrap();
        store.inner.db.flush().unwrap();
        root2
    };
    let store = Store::open(dir.path(), StoreOptions::default()).unwrap();
    assert_eq!(store.last_commit(), CommitInfo { height: 2, app_hash: root2 });
    assert_eq!(store.get(b"a").unwrap(), Some(b"2".to_vec()));
    assert_eq!(store.get(b"b").unwrap(), None);
    assert_eq!(store.get_at(b"b", 1).unwrap(), Some(b"1".to_vec()));
    let (v, proof) = store.get_with_proof(b"c", 2).unwrap();
    assert!(verify_membership(&proof, &root2, b"c", &v.unwrap()));
    assert!(store.inner.tree.get(tagged_version(TAG_WAL, 2)).unwrap().is_none(), "record dropped once indexed");
    // And the chain goes on from it.
    store.stage(3, &cs(&[(b"d", Some(b"3"))])).unwrap();
    store.commit().unwrap();
    assert_eq!(store.get(b"d").unwrap(), Some(b"3".to_vec()));
}
