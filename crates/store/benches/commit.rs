//! Stage + commit time versus keys written in one height (1k, 10k, 100k
//! random 32-byte keys, 64-byte values) on top of a store that already
//! holds state. A plain harness (`harness = false`): each sample changes the
//! store, which a statistics harness's repeated-closure model does not fit.
//!
//! `cargo bench -p venice-store` ; environment knobs:
//! `VENICE_BENCH_BASE` keys preloaded (default 200000),
//! `VENICE_BENCH_KEEP` pruning window (default 0 = keep all),
//! `VENICE_BENCH_UPDATE_PCT` share of writes to existing keys (default 0),
//! `VENICE_BENCH_SIZES` e.g. `1000,10000` (default 1000,10000,100000),
//! `VENICE_BENCH_DIR` where the database goes (default: a temp dir on disk).

use std::time::{Duration, Instant};

use venice_store::{ChangeSet, CommitStats, Store, StoreOptions};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn fill(&mut self, out: &mut [u8]) {
        for chunk in out.chunks_mut(8) {
            let v = self.next().to_le_bytes();
            chunk.copy_from_slice(&v[..chunk.len()]);
        }
    }
}

/// `n` writes of 64-byte values: `update_pct` % to keys already in the
/// store (like balance updates), the rest to new random 32-byte keys.
fn random_changes(rng: &mut Rng, n: usize, update_pct: u64, existing: &mut Vec<Vec<u8>>) -> ChangeSet {
    let mut cs = ChangeSet::new();
    while cs.len() < n {
        let mut v = vec![0u8; 64];
        rng.fill(&mut v);
        if !existing.is_empty() && rng.next() % 100 < update_pct {
            let k = existing[(rng.next() % existing.len() as u64) as usize].clone();
            cs.insert(k, Some(v));
        } else {
            let mut k = vec![0u8; 32];
            rng.fill(&mut k);
            existing.push(k.clone());
            cs.insert(k, Some(v));
        }
    }
    cs
}

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    // `cargo bench` passes `--bench`; a filter argument, if any, is ignored.
    let base = env_u64("VENICE_BENCH_BASE", 200_000) as usize;
    let keep = env_u64("VENICE_BENCH_KEEP", 0);
    let update_pct = env_u64("VENICE_BENCH_UPDATE_PCT", 0).min(100);
    let mut existing: Vec<Vec<u8>> = Vec::new();
    let sizes: Vec<usize> = std::env::var("VENICE_BENCH_SIZES")
        .ok()
        .map(|s| s.split(',').filter_map(|x| x.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![1_000, 10_000, 100_000]);
    let tmp;
    let path = match std::env::var("VENICE_BENCH_DIR") {
        Ok(p) => std::path::PathBuf::from(p),
        Err(_) => {
            // Under the target dir (on disk), not a tmpfs, so flush timings are real.
            let parent = std::env::var("CARGO_TARGET_DIR").unwrap_or_else(|_| "target".into());
            std::fs::create_dir_all(&parent).expect("create bench parent dir");
            tmp = tempfile::tempdir_in(parent).expect("temp dir");
            tmp.path().to_path_buf()
        }
    };
    let store = Store::open(&path, StoreOptions { keep_recent: keep }).expect("open store");
    let mut rng = Rng(0x5EED);

    // Preload in blocks of 20k keys.
    let t = Instant::now();
    let mut loaded = 0;
    while loaded < base {
        let n = (base - loaded).min(20_000);
        let h = store.last_commit().height + 1;
        store.stage(h, &random_changes(&mut rng, n, 0, &mut existing)).expect("stage");
        store.commit().expect("commit");
        loaded += n;
    }
    println!(
        "venice-store commit bench: base state {base} keys preloaded in {:.1} s, keep_recent={keep}, updates {update_pct}%, db {}",
        t.elapsed().as_secs_f64(),
        path.display()
    );
    println!(
        "{:>8} {:>5} {:>10} {:>10} {:>10} {:>10} {:>12} | {:>9} {:>9} {:>9} {:>9} {:>9} {:>9}",
        "keys", "runs", "stage ms", "commit ms", "index ms", "total ms", "keys/s", "jmt", "encode", "wal", "flush", "wal KiB", "batch ops"
    );

    for &n in &sizes {
        let runs = match n {
            0..=2_000 => 20,
            2_001..=20_000 => 10,
            _ => 3,
        };
        // One warm-up height, not reported.
        let h = store.last_commit().height + 1;
        store.stage(h, &random_changes(&mut rng, n, update_pct, &mut existing)).expect("stage");
        store.commit().expect("commit");
        store.wait_indexed().expect("index");

        let (mut stage, mut commit, mut index, mut total) = (vec![], vec![], vec![], vec![]);
        let mut stats: Vec<CommitStats> = vec![];
        for _ in 0..runs {
            let changes = random_changes(&mut rng, n, update_pct, &mut existing);
            let h = store.last_commit().height + 1;
            let t0 = Instant::now();
            store.stage(h, &changes).expect("stage");
            let t1 = Instant::now();
            store.commit().expect("commit");
            let t2 = Instant::now();
            // The background index write: the next block waits for it, so
            // it counts in the total (throughput), not in Commit's latency.
            store.wait_indexed().expect("index");
            let t3 = Instant::now();
            stage.push(t1 - t0);
            commit.push(t2 - t1);
            index.push(t3 - t2);
            total.push(t3 - t0);
            stats.push(store.last_commit_stats());
        }
        let med = |f: fn(&CommitStats) -> Duration| median(stats.iter().map(f).collect());
        let ops = {
            let mut v: Vec<usize> = stats.iter().map(|s| s.batch_ops).collect();
            v.sort();
            v[v.len() / 2]
        };
        let total_med = median(total);
        println!(
            "{:>8} {:>5} {:>10.1} {:>10.1} {:>10.1} {:>10.1} {:>12.0} | {:>9.1} {:>9.1} {:>9.1} {:>9.1} {:>9.0} {:>9}",
            n,
            runs,
            ms(median(stage)),
            ms(median(commit)),
            ms(median(index)),
            ms(total_med),
            n as f64 / total_med.as_secs_f64(),
            ms(med(|s| s.stage_tree)),
            ms(med(|s| s.stage_encode)),
            ms(med(|s| s.commit_apply)),
            ms(med(|s| s.commit_flush)),
            stats.iter().map(|s| s.wal_bytes).max().unwrap_or(0) as f64 / 1024.0,
            ops,
        );
    }
    println!(
        "(medians; stage = FinalizeBlock side: jmt update + batch encoding; commit = ABCI Commit: write-ahead record + metadata, flushed; index = background write of nodes/flat entries/pruning that the next block waits for; total = all three; db size {:.1} MiB)",
        store.size_on_disk().unwrap_or(0) as f64 / (1024.0 * 1024.0)
    );
}
