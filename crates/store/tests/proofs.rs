//! ICS23 existence / non-existence proofs verified with the `ics23` crate.

mod common;

use common::{Rng, apply, cs, open};
use ics23::HostFunctionsManager;
use venice_store::{ChangeSet, Store, StoreError, verify_membership, verify_non_membership};

/// Verifies with the `ics23` crate directly (not only through our helpers).
fn ics23_exists(store_root: &[u8; 32], proof: &ics23::CommitmentProof, key: &[u8], value: &[u8]) -> bool {
    ics23::verify_membership::<HostFunctionsManager>(proof, &Store::proof_spec(), &store_root.to_vec(), key, value)
}

fn ics23_absent(store_root: &[u8; 32], proof: &ics23::CommitmentProof, key: &[u8]) -> bool {
    ics23::verify_non_membership::<HostFunctionsManager>(proof, &Store::proof_spec(), &store_root.to_vec(), key)
}

#[test]
fn existence_and_non_existence_proofs_verify() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    let mut rng = Rng(11);
    let mut roots = vec![];
    let mut live: Vec<(Vec<u8>, Vec<u8>)> = vec![];
    for _ in 1..=4 {
        let mut changes = ChangeSet::new();
        for _ in 0..60 {
            let len = 1 + rng.below(20) as usize;
            let vlen = 1 + rng.below(50) as usize;
            changes.insert(rng.bytes(len), Some(rng.bytes(vlen)));
        }
        roots.push(apply(&store, &changes).app_hash);
        live.extend(changes.into_iter().map(|(k, v)| (k, v.unwrap())));
    }
    let h = store.last_commit().height;
    let root = store.last_commit().app_hash;
    let wrong_root = roots[0];
    for (key, value) in &live {
        let (got, proof) = store.get_with_proof(key, h).unwrap();
        assert_eq!(got.as_ref(), Some(value));
        assert!(verify_membership(&proof, &root, key, value));
        assert!(ics23_exists(&root, &proof, key, value));
        // Wrong root, wrong value, wrong key, and a membership proof used as absence: all fail.
        assert!(!verify_membership(&proof, &wrong_root, key, value));
        let mut bad = value.clone();
        bad.push(1);
        assert!(!verify_membership(&proof, &root, key, &bad));
        let mut other = key.clone();
        other.push(0);
        assert!(!verify_membership(&proof, &root, &other, value));
        assert!(!verify_non_membership(&proof, &root, key));
    }
    // Absent keys: leftmost, rightmost and middle cases all occur among 300 random keys.
    for _ in 0..300 {
        let len = 1 + rng.below(20) as usize;
        let key = rng.bytes(len);
        let (got, proof) = store.get_with_proof(&key, h).unwrap();
        assert_eq!(got, None);
        assert!(verify_non_membership(&proof, &root, &key));
        assert!(ics23_absent(&root, &proof, &key));
        assert!(!verify_non_membership(&proof, &wrong_root, &key));
        assert!(!verify_membership(&proof, &root, &key, b""));
        // The proof is about this key, not another one.
        let (present, _) = &live[0];
        assert!(!verify_non_membership(&proof, &root, present));
    }
    // Past heights prove against their own roots.
    for (i, root_i) in roots.iter().enumerate() {
        let height = i as u64 + 1;
        let (k, v) = &live[i * 60];
        let (got, proof) = store.get_with_proof(k, height).unwrap();
        assert_eq!(got.as_ref(), Some(v));
        assert!(verify_membership(&proof, root_i, k, v));
        // Keys written later are absent at earlier heights.
        if i > 0 {
            let (later, _) = &live[i * 60];
            let (got, proof) = store.get_with_proof(later, height - 1).unwrap();
            assert_eq!(got, None);
            assert!(verify_non_membership(&proof, &roots[i - 1], later));
        }
    }
}

#[test]
fn deleted_key_proves_absent() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    apply(&store, &cs(&[(b"a", Some(b"1")), (b"b", Some(b"2")), (b"c", Some(b"3"))]));
    let info = apply(&store, &cs(&[(b"b", None)]));
    let (got, proof) = store.get_with_proof(b"b", 2).unwrap();
    assert_eq!(got, None);
    assert!(verify_non_membership(&proof, &info.app_hash, b"b"));
    let (got, proof) = store.get_with_proof(b"b", 1).unwrap();
    assert_eq!(got, Some(b"2".to_vec()));
    assert!(!verify_membership(&proof, &info.app_hash, b"b", b"2"));
}

#[test]
fn single_key_tree_proofs() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    let info = apply(&store, &cs(&[(b"only", Some(b"one"))]));
    let (got, proof) = store.get_with_proof(b"only", 1).unwrap();
    assert_eq!(got, Some(b"one".to_vec()));
    assert!(verify_membership(&proof, &info.app_hash, b"only", b"one"));
    for absent in [&b"a"[..], b"zzzz", b"onl", b"only\x00"] {
        let (got, proof) = store.get_with_proof(absent, 1).unwrap();
        assert_eq!(got, None);
        assert!(verify_non_membership(&proof, &info.app_hash, absent), "{absent:?}");
    }
}

#[test]
fn empty_values_are_refused() {
    // One empty value would break the non-existence proofs of its neighbours.
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    assert!(matches!(store.stage(1, &cs(&[(b"marker", Some(b"")), (b"x", Some(b"1"))])), Err(StoreError::EmptyValue)));
    assert!(matches!(store.commit(), Err(StoreError::NothingStaged)));
}

#[test]
fn proof_errors() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    assert!(matches!(store.get_with_proof(b"a", 0), Err(StoreError::EmptyTree { height: 0 })));
    apply(&store, &ChangeSet::new());
    assert!(matches!(store.get_with_proof(b"a", 1), Err(StoreError::EmptyTree { height: 1 })));
    apply(&store, &cs(&[(b"a", Some(b"1"))]));
    assert!(matches!(store.get_with_proof(b"", 2), Err(StoreError::EmptyKey)));
    assert!(matches!(store.get_with_proof(b"a", 3), Err(StoreError::FutureHeight { height: 3, latest: 2 })));
}
