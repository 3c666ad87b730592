//! Property test: random block sequences (with re-staging, discards, reopens
//! and pruning) against an in-memory `BTreeMap` model at every height.

mod common;

use std::collections::BTreeMap;

use proptest::prelude::*;
use venice_store::{ChangeSet, EMPTY_ROOT, Store, StoreError, StoreOptions, verify_membership, verify_non_membership};

type Model = BTreeMap<Vec<u8>, Vec<u8>>;

#[derive(Debug, Clone)]
enum Step {
    /// Stage and commit a block.
    Block(ChangeSet),
    /// Stage a throw-away block first, then the real one (second wins).
    Restage(ChangeSet, ChangeSet),
    /// Stage then discard (nothing changes).
    Discard(ChangeSet),
    /// Close and reopen the store.
    Reopen,
}

/// Keys over a tiny alphabet, so that prefixes, zero bytes and 0xFF collide often.
fn key() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(prop::sample::select(vec![0x00u8, 0x01, b'a', b'b', 0xFF]), 1..5)
}

fn changes() -> impl Strategy<Value = ChangeSet> {
    prop::collection::btree_map(key(), prop::option::weighted(0.7, prop::collection::vec(any::<u8>(), 1..6)), 0..12)
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        6 => changes().prop_map(Step::Block),
        1 => (changes(), changes()).prop_map(|(a, b)| Step::Restage(a, b)),
        1 => changes().prop_map(Step::Discard),
        1 => Just(Step::Reopen),
    ]
}

fn apply_model(model: &Model, changes: &ChangeSet) -> Model {
    let mut next = model.clone();
    for (k, v) in changes {
        match v {
            Some(v) => next.insert(k.clone(), v.clone()),
            None => next.remove(k),
        };
    }
    next
}

fn universe() -> Vec<Vec<u8>> {
    // Every key the strategy can produce up to length 2, plus a few longer.
    let alphabet = [0x00u8, 0x01, b'a', b'b', 0xFF];
    let mut out = vec![];
    for a in alphabet {
        out.push(vec![a]);
        for b in alphabet {
            out.push(vec![a, b]);
            out.push(vec![a, b, a]);
        }
    }
    out
}

fn check_height(store: &Store, height: u64, model: &Model, root: &[u8; 32]) {
    for k in universe() {
        assert_eq!(store.get_at(&k, height).unwrap(), model.get(&k).cloned(), "key {k:?} at {height}");
    }
    let all: Vec<(Vec<u8>, Vec<u8>)> = model.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    assert_eq!(store.iter_prefix_at(b"", height, None, usize::MAX).unwrap(), all);
    for prefix in [&[0x00u8][..], b"a", &[0xFF], &[b'a', 0x00], &[0xFF, 0xFF]] {
        let expected: Vec<_> = all.iter().filter(|(k, _)| k.starts_with(prefix)).cloned().collect();
        // Paginate by 3.
        let mut got = vec![];
        let mut after: Option<Vec<u8>> = None;
        loop {
            let page = store.iter_prefix_at(prefix, height, after.as_deref(), 3).unwrap();
            if page.is_empty() {
                break;
            }
            after = Some(page.last().unwrap().0.clone());
            got.extend(page);
        }
        assert_eq!(got, expected, "prefix {prefix:?} at {height}");
    }
    if model.is_empty() {
        assert_eq!(*root, EMPTY_ROOT);
        return;
    }
    for k in universe().into_iter().take(12) {
        let (v, proof) = store.get_with_proof(&k, height).unwrap();
        assert_eq!(v, model.get(&k).cloned());
        match v {
            Some(v) => assert!(verify_membership(&proof, root, &k, &v)),
            None => assert!(verify_non_membership(&proof, root, &k), "absent {k:?} at {height}"),
        }
    }
}

fn run(steps: Vec<Step>, keep_recent: u64) {
    let dir = tempfile::tempdir().unwrap();
    let opts = StoreOptions { keep_recent };
    let mut store = Store::open(dir.path(), opts).unwrap();
    // history[h] = (model, root) at height h; history[0] is the empty state.
    let mut history: Vec<(Model, [u8; 32])> = vec![(Model::new(), EMPTY_ROOT)];
    for step in steps {
        let height = history.len() as u64;
        let prev = history.last().unwrap().0.clone();
        match step {
            Step::Block(c) => {
                let root = store.stage(height, &c).unwrap();
                assert_eq!(store.commit().unwrap().app_hash, root);
                history.push((apply_model(&prev, &c), root));
            }
            Step::Restage(a, c) => {
                store.stage(height, &a).unwrap();
                let root = store.stage(height, &c).unwrap();
                assert_eq!(store.commit().unwrap().app_hash, root);
                history.push((apply_model(&prev, &c), root));
            }
            Step::Discard(c) => {
                store.stage(height, &c).unwrap();
                store.discard_staged();
                assert!(matches!(store.commit(), Err(StoreError::NothingStaged)));
            }
            Step::Reopen => {
                drop(store);
                store = Store::open(dir.path(), opts).unwrap();
            }
        }
        let last = history.len() as u64 - 1;
        assert_eq!(store.last_commit().height, last);
        assert_eq!(store.last_commit().app_hash, history[last as usize].1);
        // Every retained height reads as the model; pruned ones say so.
        let earliest = store.earliest_height();
        if keep_recent > 0 && last >= keep_recent {
            assert_eq!(earliest, last + 1 - keep_recent);
        }
        for h in 1..=last {
            if h < earliest {
                assert!(matches!(store.get_at(b"a", h), Err(StoreError::Pruned { .. })));
            } else {
                check_height(&store, h, &history[h as usize].0, &history[h as usize].1);
            }
        }
    }
    // History independence: the final state written as one block into a
    // fresh store gives the same root.
    let (model, root) = history.last().unwrap();
    let fresh_dir = tempfile::tempdir().unwrap();
    let fresh = Store::open(fresh_dir.path(), StoreOptions::default()).unwrap();
    let as_block: ChangeSet = model.iter().map(|(k, v)| (k.clone(), Some(v.clone()))).collect();
    assert_eq!(fresh.stage(1, &as_block).unwrap(), *root);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, max_shrink_iters: 200, ..ProptestConfig::default() })]

    #[test]
    fn matches_model_keep_all(steps in prop::collection::vec(step(), 1..14)) {
        run(steps, 0);
    }

    #[test]
    fn matches_model_pruned(steps in prop::collection::vec(step(), 1..14), keep in 1u64..4) {
        run(steps, keep);
    }
}
