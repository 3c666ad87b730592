//! A real crash test: this test binary re-executes itself as a child that
//! commits heights in a loop; the parent SIGKILLs it at random moments,
//! reopens the store and checks that the durable height's data and root
//! match a recomputation of the same blocks.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::Rng;
use venice_store::{ChangeSet, Store, StoreError, StoreOptions};

const CHILD_ENV: &str = "VENICE_STORE_KILL_CHILD_DIR";
const TEST_NAME: &str = "sigkill_during_commits";
/// Small pruning window, so kills also land in pruning batches.
const OPTS: StoreOptions = StoreOptions { keep_recent: 4 };

/// The block of `height`, a pure function of the height: 300 new keys, 50
/// rewrites and 30 deletes of earlier heights' keys.
fn block(height: u64) -> ChangeSet {
    let mut rng = Rng(height);
    let mut cs = ChangeSet::new();
    for i in 0..300u64 {
        let len = 1 + rng.below(64) as usize;
        cs.insert(key(height, i), Some(rng.bytes(len)));
    }
    if height > 1 {
        for _ in 0..80 {
            let h = 1 + rng.below(height - 1);
            let k = key(h, rng.below(300));
            let v = if rng.below(8) < 5 { Some(rng.bytes(8)) } else { None };
            cs.insert(k, v);
        }
    }
    cs
}

fn key(height: u64, i: u64) -> Vec<u8> {
    let mut k = b"k/".to_vec();
    k.extend_from_slice(&(Rng(height * 1_000_003 + i).next() % 50_000).to_be_bytes());
    k
}

fn child(dir: &str) {
    let store = Store::open(std::path::Path::new(dir), OPTS).expect("child open");
    loop {
        let h = store.last_commit().height + 1;
        store.stage(h, &block(h)).expect("child stage");
        let info = store.commit().expect("child commit");
        println!("committed {}", info.height);
    }
}

#[test]
fn sigkill_during_commits() {
    if let Ok(dir) = std::env::var(CHILD_ENV) {
        child(&dir);
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let seed = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64;
    println!("kill test seed {seed}");
    let mut rng = Rng(seed);

    // The reference: the same blocks applied in-process, never killed.
    let ref_dir = tempfile::tempdir().unwrap();
    let reference = Store::open(ref_dir.path(), StoreOptions::default()).unwrap();

    let mut last_height = 0;
    let mut kills = 0;
    let deadline = Instant::now() + Duration::from_secs(60);
    while kills < 10 && Instant::now() < deadline {
        let mut proc = Command::new(std::env::current_exe().unwrap())
            .args(["--exact", TEST_NAME, "--nocapture", "--test-threads=1"])
            .env(CHILD_ENV, dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn child");
        let (tx, rx) = mpsc::channel();
        let out = proc.stdout.take().unwrap();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                if let Some(h) = line.strip_prefix("committed ") {
                    let _ = tx.send(h.parse::<u64>().unwrap());
                }
            }
        });
        // Let it make progress, then kill at a random moment.
        let first = rx.recv_timeout(Duration::from_secs(30)).expect("child made no progress");
        assert!(first > last_height, "child went back from {last_height} to {first}");
        std::thread::sleep(Duration::from_millis(rng.below(400)));
        proc.kill().expect("SIGKILL child");
        proc.wait().unwrap();
        kills += 1;
        reader.join().unwrap();
        let printed = rx.try_iter().last().unwrap_or(first);

        let store = Store::open(dir.path(), OPTS).expect("reopen after kill");
        let info = store.last_commit();
        // Whatever the child reported as committed is durable (at most one
        // more height may have become durable after its last line).
        assert!(info.height >= printed && info.height <= printed + 1, "durable {} printed {printed}", info.height);
        while reference.last_commit().height < info.height {
            let h = reference.last_commit().height + 1;
            reference.stage(h, &block(h)).unwrap();
            reference.commit().unwrap();
        }
        let want_root = reference_root(&reference, info.height);
        assert_eq!(info.app_hash, want_root, "root at {}", info.height);
        let got = store.iter_prefix_at(b"", info.height, None, usize::MAX).unwrap();
        let want = reference.iter_prefix_at(b"", info.height, None, usize::MAX).unwrap();
        assert_eq!(got, want, "state at {}", info.height);
        // Nothing above the durable height is visible, and the next block
        // builds on it with the reference's root.
        assert!(matches!(store.get_at(b"k/", info.height + 1), Err(StoreError::FutureHeight { .. })));
        let next = info.height + 1;
        let staged = store.stage(next, &block(next)).unwrap();
        store.discard_staged();
        assert_eq!(staged, reference_next_root(&reference, next));
        last_height = info.height;
    }
    assert!(kills >= 3, "only {kills} kills in time");
    assert!(last_height >= 3, "too little progress: {last_height}");
}

fn reference_root(reference: &Store, height: u64) -> [u8; 32] {
    assert_eq!(reference.last_commit().height, height);
    reference.last_commit().app_hash
}

/// The root the reference gets for `next` (staged, then discarded).
fn reference_next_root(reference: &Store, next: u64) -> [u8; 32] {
    let root = reference.stage(next, &block(next)).unwrap();
    reference.discard_staged();
    root
}
