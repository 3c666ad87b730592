#![allow(dead_code)]

use venice_store::{ChangeSet, CommitInfo, Store, StoreOptions};

pub fn open(dir: &tempfile::TempDir) -> Store {
    Store::open(dir.path(), StoreOptions::default()).expect("open store")
}

pub fn open_keep(dir: &tempfile::TempDir, keep_recent: u64) -> Store {
    Store::open(dir.path(), StoreOptions { keep_recent }).expect("open store")
}

pub fn cs(items: &[(&[u8], Option<&[u8]>)]) -> ChangeSet {
    items.iter().map(|(k, v)| (k.to_vec(), v.map(|v| v.to_vec()))).collect()
}

/// Stages and commits `changes` at the next height.
pub fn apply(store: &Store, changes: &ChangeSet) -> CommitInfo {
    let height = store.last_commit().height + 1;
    let root = store.stage(height, changes).expect("stage");
    let info = store.commit().expect("commit");
    assert_eq!(info.height, height);
    assert_eq!(info.app_hash, root);
    info
}

/// A small deterministic PRNG (splitmix64) so tests need no rand crate.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn bytes(&mut self, n: usize) -> Vec<u8> {
        let mut out = Vec::with_capacity(n);
        while out.len() < n {
            out.extend_from_slice(&self.next().to_le_bytes());
        }
        out.truncate(n);
        out
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}
