//! Venice state store: one sled database per node, a Jellyfish Merkle Tree
//! (sha256) over every key giving the app hash, versioned by block height.
//!
//! Layout (see `keys`): jmt nodes, a stale-node index for pruning, a flat
//! ordered table `key || version` for reads and prefix scans at any retained
//! height, key-hash preimages for ICS23 non-existence proofs, a per-height
//! log of written keys, and a metadata record. All writes of one height go
//! into ONE sled batch followed by a flush, so after a crash the metadata
//! record names a height whose data is complete.
//!
//! Block flow: `stage(h, changes)` computes the root (FinalizeBlock),
//! `commit()` makes it durable (Commit). Commit writes a small write-ahead
//! record (the height's changes and the metadata) and flushes it; the bulky
//! index (tree nodes, flat entries, pruning) is written by a background
//! thread while consensus moves on, and any read of that height or the next
//! `stage` waits for it. After a crash, `open` re-derives a missing index
//! from the write-ahead record, so durability is decided by that record. Reads (`get_at`, `iter_prefix_at`,
//! `get_with_proof`) never take the staging lock; they pin their height so
//! that a concurrent commit's pruning leaves what they read in place.
//!
//! Keys and values must be non-empty: ICS23 cannot prove empty values, and
//! non-existence proofs embed the neighbours' existence proofs.
//!
//! This file is the public API; each concern has its own module so it can be
//! read alone: `staged` (computing a height), `record` (the write-ahead
//! commit record and metadata), `index` (the background index writer and
//! crash recovery), `pins` (reads holding back pruning), plus the on-disk
//! `keys`, the `tree` and `flat` tables, `prune` and `proof`.

mod flat;
mod index;
mod keys;
mod pins;
mod proof;
mod prune;
mod record;
mod staged;
mod tree;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, RwLock};
use std::time::{Duration, Instant};

use jmt::Sha256Jmt;

pub use proof::{proof_spec, verify_membership, verify_non_membership};

use index::IndexSync;
use keys::{INDEXED_KEY, TAG_LOG, TAG_NODE, TAG_STALE};
use record::Meta;
use staged::Staged;
use tree::SledReader;

/// A block's app hash: the JMT root.
pub type AppHash = [u8; 32];

/// Writes of one block: key -> `Some(value)` set, `None` delete. A BTreeMap
/// so that iteration order is deterministic. Keys and values must be
/// non-empty (ICS23 proofs need both).
pub type ChangeSet = BTreeMap<Vec<u8>, Option<Vec<u8>>>;

/// Key/value pairs returned by prefix iteration, in ascending key order.
pub type KvPairs = Vec<(Vec<u8>, Vec<u8>)>;

/// The root hash of the empty tree (height 0, nothing committed).
pub const EMPTY_ROOT: AppHash = Sha256Jmt::<SledReader<'static>>::EMPTY_ROOT.0;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StoreOptions {
    /// How many recent heights stay readable/provable; 0 keeps everything.
    pub keep_recent: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CommitInfo {
    pub height: u64,
    pub app_hash: AppHash,
}

#[derive(thiserror::Error, Debug)]
pub enum StoreError {
    #[error("storage I/O: {0}")]
    Io(#[from] sled::Error),
    #[error("corrupt store: {0}")]
    Corrupt(String),
    #[error("height {height} is pruned; earliest available is {earliest}")]
    Pruned { height: u64, earliest: u64 },
    #[error("height {height} is above the last committed height {latest}")]
    FutureHeight { height: u64, latest: u64 },
    #[error("nothing staged to commit")]
    NothingStaged,
    #[error("cannot stage height {got}: expected {expected}")]
    HeightMismatch { expected: u64, got: u64 },
    #[error("empty keys are not allowed (ICS23 non-existence proofs need non-empty keys)")]
    EmptyKey,
    /// ICS23 refuses empty values in existence proofs, and a non-existence
    /// proof embeds its neighbours' existence proofs: one empty value would
    /// make its neighbours' absence unprovable. So the store refuses them.
    #[error("empty values are not allowed (ICS23 cannot prove them)")]
    EmptyValue,
    #[error("the state at height {height} is empty: there is nothing to prove against")]
    EmptyTree { height: u64 },
    #[error("merkle tree: {0}")]
    Tree(String),
}

impl From<anyhow::Error> for StoreError {
    fn from(e: anyhow::Error) -> Self {
        match e.downcast::<StoreError>() {
            Ok(s) => s,
            Err(e) => match e.downcast::<sled::Error>() {
                Ok(s) => StoreError::Io(s),
                Err(e) => StoreError::Tree(format!("{e:#}")),
            },
        }
    }
}

struct Inner {
    /// Where the database lives (node-local files beside it, e.g. the wasm cache).
    path: PathBuf,
    db: sled::Db,
    tree: sled::Tree,
    opts: StoreOptions,
    committed: RwLock<Meta>,
    /// Earliest readable height; raised by `commit` before it prunes.
    earliest: AtomicU64,
    /// Heights being read right now (height -> number of readers). Pruning
    /// never deletes what these need, so a query racing a commit finishes
    /// on intact data (jmt panics on a missing node); what it leaves behind
    /// is pruned by a later commit.
    readers: Mutex<BTreeMap<u64, usize>>,
    staged: Mutex<Option<Staged>>,
    stats: Mutex<CommitStats>,
    /// Index progress, apart from `Inner` so the writer thread can release
    /// its handle on the database before it signals (see `Drop for Store`).
    index: Arc<IndexSync>,
}

/// Where the time of the last `stage` + `commit` went (diagnostics and
/// benchmarks only; never part of chain state).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CommitStats {
    pub keys: usize,
    /// `stage`: the jmt update (tree reads from sled + hashing).
    pub stage_tree: Duration,
    /// `stage`: encoding nodes, flat entries, preimages into the batch.
    pub stage_encode: Duration,
    /// `commit`: reading what pruning removes.
    pub commit_prune: Duration,
    /// `commit`: `apply_batch` (in memory, sled's log buffer).
    pub commit_apply: Duration,
    /// `commit`: `flush` (write + fsync).
    pub commit_flush: Duration,
    /// Background, after `commit` returned: pruning reads plus writing the
    /// index (tree nodes, flat entries) into sled.
    pub index_apply: Duration,
    /// Size of the write-ahead record `commit` made durable.
    pub wal_bytes: usize,
    /// Number of sled writes (inserts + removes) in the batch.
    pub batch_ops: usize,
}

/// Handle to the store; cheap to clone, `Send + Sync`.
#[derive(Clone)]
pub struct Store {
    inner: Arc<Inner>,
}

const TREE_NAME: &[u8] = b"venice-state";

impl Store {
    pub fn open(path: &Path, opts: StoreOptions) -> Result<Store, StoreError> {
        let config = sled::Config::new().path(path).mode(sled::Mode::HighThroughput).cache_capacity(512 * 1024 * 1024);
        let db = open_retrying(&config)?;
        let tree = db.open_tree(TREE_NAME)?;
        let meta = record::read_meta(&tree)?;
        let indexed = match tree.get(INDEXED_KEY)? {
            Some(b) => u64::from_be_bytes(b.as_ref().try_into().map_err(|_| StoreError::Corrupt("indexed-height record".into()))?),
            None => meta.height,
        };
        if indexed > meta.height {
            return Err(StoreError::Corrupt(format!("index at height {indexed} is above the committed height {}", meta.height)));
        }
        prune::cleanup_above(&db, &tree, indexed)?;
        let store = Store {
            inner: Arc::new(Inner {
                path: path.to_path_buf(),
                db,
                tree,
                opts,
                earliest: AtomicU64::new(meta.earliest),
                committed: RwLock::new(meta),
                staged: Mutex::new(None),
                readers: Mutex::new(BTreeMap::new()),
                stats: Mutex::new(CommitStats::default()),
                index: Arc::new(IndexSync::new(indexed)),
            }),
        };
        if indexed < meta.height {
            store.recover_index(indexed, meta)?;
        }
        let tree = &store.inner.tree;
        if meta.height > 0 {
            // The record and the tree must agree, or every later root is wrong.
            let reader = SledReader { tree, null_root: None };
            let root = Sha256Jmt::new(&reader)
                .get_root_hash_option(meta.height)?
                .ok_or_else(|| StoreError::Corrupt(format!("no root node at height {}", meta.height)))?;
            if root.0 != meta.app_hash {
                return Err(StoreError::Corrupt(format!(
                    "root at height {} is {} but the metadata says {}",
                    meta.height,
                    keys::hex(&root.0),
                    keys::hex(&meta.app_hash)
                )));
            }
        }
        Ok(store)
    }

    /// The directory the database was opened at.
    pub fn path(&self) -> &Path {
        &self.inner.path
    }

    /// Wait until everything committed is indexed and flushed to disk
    /// (clean shutdown, benchmarks).
    pub fn wait_indexed(&self) -> Result<(), StoreError> {
        self.wait_index(self.meta().height)?;
        self.inner.db.flush()?;
        Ok(())
    }

    fn meta(&self) -> Meta {
        *self.inner.committed.read().unwrap_or_else(|p| p.into_inner())
    }

    fn staged(&self) -> MutexGuard<'_, Option<Staged>> {
        self.inner.staged.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Last durable height and its app hash; height 0 and the empty-tree root
    /// when nothing is committed.
    pub fn last_commit(&self) -> CommitInfo {
        let m = self.meta();
        CommitInfo { height: m.height, app_hash: m.app_hash }
    }

    /// Earliest height still readable (0 before the first commit).
    pub fn earliest_height(&self) -> u64 {
        self.inner.earliest.load(Ordering::SeqCst)
    }

    fn read_at<T>(&self, height: u64, f: impl FnOnce(&sled::Tree) -> Result<T, StoreError>) -> Result<T, StoreError> {
        let _pin = self.pin(height)?;
        f(&self.inner.tree)
    }

    /// Value at the last committed height.
    pub fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>, StoreError> {
        self.get_at(key, self.meta().height)
    }

    pub fn get_at(&self, key: &[u8], height: u64) -> Result<Option<Vec<u8>>, StoreError> {
        self.read_at(height, |tree| flat::get(tree, key, height))
    }

    /// All (key, value) with key starting with `prefix`, ascending, at
    /// `height`; strictly after `start_after` when given; at most `limit`.
    pub fn iter_prefix_at(&self, prefix: &[u8], height: u64, start_after: Option<&[u8]>, limit: usize) -> Result<KvPairs, StoreError> {
        self.read_at(height, |tree| flat::iter_prefix(tree, prefix, height, start_after, limit))
    }

    /// Calls `f` on every live (key, value) at `height`, in ascending key
    /// order, reading `page` pairs at a time. The height stays pinned against
    /// pruning for the whole walk (a state-sync snapshot may take a while).
    pub fn for_each_at<E: From<StoreError>>(
        &self,
        height: u64,
        page: usize,
        mut f: impl FnMut(&[u8], &[u8]) -> Result<(), E>,
    ) -> Result<(), E> {
        let _pin = self.pin(height)?;
        let mut after: Option<Vec<u8>> = None;
        loop {
            let pairs = flat::iter_prefix(&self.inner.tree, &[], height, after.as_deref(), page.max(1))?;
            for (k, v) in &pairs {
                f(k, v)?;
            }
            match pairs.into_iter().last() {
                Some((k, _)) => after = Some(k),
                None => return Ok(()),
            }
        }
    }

    /// Value plus an ICS23 existence proof (value `Some`) or non-existence
    /// proof (`None`) against the app hash of `height`.
    pub fn get_with_proof(&self, key: &[u8], height: u64) -> Result<(Option<Vec<u8>>, ics23::CommitmentProof), StoreError> {
        if key.is_empty() {
            return Err(StoreError::EmptyKey);
        }
        self.read_at(height, |tree| {
            let reader = SledReader { tree, null_root: None };
            let jmt = Sha256Jmt::new(&reader);
            match jmt.get_root_hash_option(height)? {
                None if height == 0 => return Err(StoreError::EmptyTree { height }),
                None => return Err(StoreError::Corrupt(format!("no root at height {height}"))),
                Some(root) if root.0 == EMPTY_ROOT => return Err(StoreError::EmptyTree { height }),
                Some(_) => {}
            }
            Ok(jmt.get_with_ics23_proof(key.to_vec(), height)?)
        })
    }

    /// The ICS23 ProofSpec that proofs verify against (jmt's).
    pub fn proof_spec() -> ics23::ProofSpec {
        proof::proof_spec()
    }

    /// Computes (without persisting) the root of `height` = last committed
    /// height + 1 (any height >= 1 before the first commit, for CometBFT's
    /// `initial_height`) with `changes` applied on top of the last committed
    /// state, and keeps it staged. Staging the same height again replaces it.
    pub fn stage(&self, height: u64, changes: &ChangeSet) -> Result<AppHash, StoreError> {
        let mut staged = self.staged();
        let last = self.meta().height;
        let valid = if last == 0 { height >= 1 } else { height == last + 1 };
        if !valid {
            return Err(StoreError::HeightMismatch { expected: last + 1, got: height });
        }
        *staged = None;
        // The tree of `last` must be fully written before building on it.
        self.wait_index(last)?;
        let built = self.build_staged(last, height, changes)?;
        let root = built.app_hash;
        *staged = Some(built);
        Ok(root)
    }

    /// Makes the staged height durable (its write-ahead record and the
    /// metadata, in one batch, then a flush) and returns its `CommitInfo`.
    /// The index is written in the background; reads of this height and the
    /// next `stage` wait for it.
    pub fn commit(&self) -> Result<CommitInfo, StoreError> {
        let mut staged_guard = self.staged();
        let staged = staged_guard.take().ok_or(StoreError::NothingStaged)?;
        let old = self.meta();
        let height = staged.height;
        if !(height == old.height + 1 || (old.height == 0 && height >= 1)) {
            return Err(StoreError::HeightMismatch { expected: old.height + 1, got: height });
        }
        let earliest = self.next_earliest(old, height);
        let meta = Meta { height, app_hash: staged.app_hash, earliest };
        let durable = record::durable_batch(&staged.wal, &meta)?;
        let t0 = Instant::now();
        self.inner.tree.apply_batch(durable)?;
        let t1 = Instant::now();
        self.inner.db.flush()?;
        {
            let mut stats = self.inner.stats.lock().unwrap_or_else(|p| p.into_inner());
            stats.commit_prune = Duration::ZERO;
            stats.commit_apply = t1 - t0;
            stats.commit_flush = t1.elapsed();
            stats.wal_bytes = staged.wal.len();
            stats.index_apply = Duration::ZERO;
        }
        // Heights that fall out of the window are refused from now on, even
        // before the background writer prunes them.
        self.inner.earliest.fetch_max(earliest, Ordering::SeqCst);
        *self.inner.committed.write().unwrap_or_else(|p| p.into_inner()) = meta;

        let app_hash = staged.app_hash;
        index::spawn_writer(self.inner.clone(), staged, earliest, old.height)?;
        Ok(CommitInfo { height, app_hash })
    }

    /// Heights kept for past-height reads (0: all), as configured.
    pub fn keep_recent(&self) -> u64 {
        self.inner.opts.keep_recent
    }

    /// The earliest readable height once `height` is committed.
    fn next_earliest(&self, old: Meta, height: u64) -> u64 {
        let floor = if old.height == 0 { height } else { old.earliest };
        let keep = self.inner.opts.keep_recent;
        if keep == 0 || height < keep {
            return floor;
        }
        floor.max(height + 1 - keep)
    }

    /// Timings of the last stage/commit.
    pub fn last_commit_stats(&self) -> CommitStats {
        *self.inner.stats.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Drops whatever is staged.
    pub fn discard_staged(&self) {
        *self.staged() = None;
    }

    /// Number of sled entries of one table (tests and diagnostics).
    #[doc(hidden)]
    pub fn debug_count_entries(&self, table: u8) -> usize {
        let _ = self.wait_index(self.meta().height);
        self.inner.tree.scan_prefix([table]).count()
    }

    /// Size of the database on disk, in bytes.
    pub fn size_on_disk(&self) -> Result<u64, StoreError> {
        self.wait_indexed()?;
        Ok(self.inner.db.size_on_disk()?)
    }
}

/// A handle going away waits for the index writer, so the database is never
/// closed by the writer thread itself (see `commit`).
impl Drop for Store {
    fn drop(&mut self) {
        let height = self.meta().height;
        let _ = self.wait_index(height);
    }
}

/// Opens sled, waiting briefly for the file lock: a store dropped a moment
/// ago in this process may still hold it while sled's flusher thread exits.
fn open_retrying(config: &sled::Config) -> Result<sled::Db, StoreError> {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        match config.open() {
            Err(sled::Error::Io(e)) if e.to_string().contains("could not acquire lock") && Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(20));
            }
            other => return Ok(other?),
        }
    }
}

/// Table tags, for `debug_count_entries`.
#[doc(hidden)]
pub mod tables {
    pub const NODES: u8 = super::TAG_NODE;
    pub const STALE: u8 = super::TAG_STALE;
    pub const FLAT: u8 = super::keys::TAG_FLAT;
    pub const PREIMAGES: u8 = super::keys::TAG_PREIMAGE;
    pub const LOG: u8 = super::TAG_LOG;
}

#[cfg(test)]
mod tests;
