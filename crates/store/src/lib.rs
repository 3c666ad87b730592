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

mod flat;
mod keys;
mod proof;
mod prune;
mod tree;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, RwLock};
use std::time::{Duration, Instant};

use borsh::{BorshDeserialize, BorshSerialize};
use jmt::storage::NodeKey;
use jmt::{KeyHash, Sha256Jmt};
use sha2::Sha256;

pub use proof::{proof_spec, verify_membership, verify_non_membership};

use keys::{
    INDEXED_KEY, META_KEY, TAG_LOG, TAG_NODE, TAG_STALE, TAG_WAL, encode_flat_value, flat_key, is_root, node_key,
    preimage_key, root_node_key, tagged_version,
};
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

/// The durable metadata record; what `open` trusts.
#[derive(Clone, Copy, Debug, BorshSerialize, BorshDeserialize)]
struct Meta {
    height: u64,
    app_hash: AppHash,
    /// Earliest height still readable (0 before the first commit).
    earliest: u64,
}

/// A computed, not yet durable height.
struct Staged {
    height: u64,
    app_hash: AppHash,
    /// jmt nodes, stale index, flat entries, preimages, key log: everything
    /// but pruning and the metadata record, which `commit` adds.
    batch: sled::Batch,
    /// Keys set (not deleted) at this height: pruning must not drop their preimages.
    set_keys: Vec<Vec<u8>>,
    /// borsh of the change set: the write-ahead record `commit` makes durable.
    wal: Vec<u8>,
}

/// Progress of the background index writer.
#[derive(Debug, Default)]
struct IndexState {
    /// Highest height whose index is written.
    height: u64,
    /// A failed index write: every later read and stage reports it.
    error: Option<String>,
}

struct Inner {
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

#[derive(Default)]
struct IndexSync {
    state: Mutex<IndexState>,
    done: Condvar,
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
        let config = sled::Config::new()
            .path(path)
            .mode(sled::Mode::HighThroughput)
            .cache_capacity(512 * 1024 * 1024);
        let db = open_retrying(&config)?;
        let tree = db.open_tree(TREE_NAME)?;
        let meta = match tree.get(META_KEY)? {
            Some(bytes) => Meta::try_from_slice(&bytes)
                .map_err(|e| StoreError::Corrupt(format!("metadata record: {e}")))?,
            None => Meta { height: 0, app_hash: EMPTY_ROOT, earliest: 0 },
        };
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
                db,
                tree,
                opts,
                earliest: AtomicU64::new(meta.earliest),
                committed: RwLock::new(meta),
                staged: Mutex::new(None),
                readers: Mutex::new(BTreeMap::new()),
                stats: Mutex::new(CommitStats::default()),
                index: Arc::new(IndexSync { state: Mutex::new(IndexState { height: indexed, error: None }), done: Condvar::new() }),
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

    /// Re-derive the index of the committed height `meta.height` from its
    /// write-ahead record (the process died before the background write).
    fn recover_index(&self, indexed: u64, meta: Meta) -> Result<(), StoreError> {
        let height = meta.height;
        if height != indexed + 1 && indexed != 0 {
            return Err(StoreError::Corrupt(format!("index at {indexed}, committed {height}: more than one height behind")));
        }
        let wal = self.inner.tree.get(tagged_version(TAG_WAL, height))?.ok_or_else(|| StoreError::Corrupt(format!("no write-ahead record for height {height}")))?;
        let pairs: Vec<(Vec<u8>, Option<Vec<u8>>)> = borsh::from_slice(&wal).map_err(|e| StoreError::Corrupt(format!("write-ahead record of height {height}: {e}")))?;
        let changes: ChangeSet = pairs.into_iter().collect();
        let staged = self.build_staged(indexed, height, &changes)?;
        if staged.app_hash != meta.app_hash {
            return Err(StoreError::Corrupt(format!("replayed height {height} gives root {} but the metadata says {}", keys::hex(&staged.app_hash), keys::hex(&meta.app_hash))));
        }
        tracing::warn!(height, "store: rebuilding the index of the last committed height from its write-ahead record");
        apply_index(&self.inner, staged, meta.earliest, indexed)?;
        self.inner.db.flush()?;
        self.inner.index.state.lock().unwrap_or_else(|p| p.into_inner()).height = height;
        Ok(())
    }

    /// Block until the index of `height` is written (or its writer failed).
    fn wait_index(&self, height: u64) -> Result<(), StoreError> {
        let sync = &self.inner.index;
        let mut st = sync.state.lock().unwrap_or_else(|p| p.into_inner());
        loop {
            if let Some(e) = &st.error {
                return Err(StoreError::Corrupt(format!("background index write failed: {e}")));
            }
            if st.height >= height {
                return Ok(());
            }
            st = sync.done.wait(st).unwrap_or_else(|p| p.into_inner());
        }
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

    /// Checks that `height` is readable now and keeps it from being pruned
    /// until the returned pin is dropped.
    fn pin(&self, height: u64) -> Result<ReadPin<'_>, StoreError> {
        if height <= self.meta().height {
            self.wait_index(height)?;
        }
        let mut readers = self.inner.readers.lock().unwrap_or_else(|p| p.into_inner());
        let latest = self.meta().height;
        if height > latest {
            return Err(StoreError::FutureHeight { height, latest });
        }
        // Checked under the registry lock: `commit` raises `earliest` before
        // it reads the registry, so either it sees this reader or this
        // reader sees the raised `earliest`.
        let earliest = self.earliest_height();
        if height < earliest {
            return Err(StoreError::Pruned { height, earliest });
        }
        *readers.entry(height).or_default() += 1;
        Ok(ReadPin { store: self, height })
    }

    fn read_at<T>(
        &self,
        height: u64,
        f: impl FnOnce(&sled::Tree) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
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
    pub fn iter_prefix_at(
        &self,
        prefix: &[u8],
        height: u64,
        start_after: Option<&[u8]>,
        limit: usize,
    ) -> Result<KvPairs, StoreError> {
        self.read_at(height, |tree| flat::iter_prefix(tree, prefix, height, start_after, limit))
    }

    /// Value plus an ICS23 existence proof (value `Some`) or non-existence
    /// proof (`None`) against the app hash of `height`.
    pub fn get_with_proof(
        &self,
        key: &[u8],
        height: u64,
    ) -> Result<(Option<Vec<u8>>, ics23::CommitmentProof), StoreError> {
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

    /// Compute the index batch and root of `height` on top of `last`.
    fn build_staged(&self, last: u64, height: u64, changes: &ChangeSet) -> Result<Staged, StoreError> {
        for (k, v) in changes {
            if k.is_empty() {
                return Err(StoreError::EmptyKey);
            }
            if v.as_ref().is_some_and(|v| v.is_empty()) {
                return Err(StoreError::EmptyValue);
            }
        }
        let tree = &self.inner.tree;
        let reader = SledReader { tree, null_root: (last == 0).then(|| height - 1) };
        let t0 = Instant::now();
        let tree_work = || {
            let mut sets = Vec::with_capacity(changes.len());
            let mut deletes = Vec::new();
            for (k, v) in changes {
                let hash = KeyHash::with::<Sha256>(k);
                match v {
                    Some(v) => sets.push((hash, v.clone())),
                    None => deletes.push((hash, None)),
                }
            }
            let update = tree::update(&reader, height, sets, deletes);
            (update, Instant::now())
        };
        // The flat entries, preimages and key log do not depend on the tree:
        // on big blocks they are built on another core while jmt works. The
        // batch's content does not depend on which thread built it.
        let ((update, t1), flat) = if changes.len() >= PARALLEL_MIN_KEYS {
            std::thread::scope(|scope| {
                let flat = scope.spawn(|| flat_batch(tree, height, changes).and_then(|f| Ok((f, wal_record(changes)?))));
                let tree_result = tree_work();
                let flat = flat.join().unwrap_or_else(|p| std::panic::resume_unwind(p));
                (tree_result, flat)
            })
        } else {
            (tree_work(), flat_batch(tree, height, changes).and_then(|f| Ok((f, wal_record(changes)?))))
        };
        let update = update?;
        let ((mut batch, set_keys, mut ops), wal) = flat?;
        let root = update.root;

        let mut have_root = false;
        for (key, node) in update.nodes() {
            // jmt only creates nodes at `height`; anything else would be the
            // synthetic parent root, which is never stored.
            if key.version() != height {
                continue;
            }
            have_root |= is_root(key);
            let bytes = borsh::to_vec(node).map_err(|e| StoreError::Corrupt(format!("encode node: {e}")))?;
            batch.insert(node_key(key)?, bytes);
            ops += 1;
        }
        if !have_root {
            return Err(StoreError::Tree(format!("jmt produced no root for height {height}")));
        }

        let mut stale: Vec<NodeKey> = update
            .stale
            .into_iter()
            .filter(|k| !(last == 0 && k.version() == height - 1))
            .collect();
        // On a no-op block jmt copies the root to the new version without
        // marking the old one stale; record it so pruning reclaims it.
        if last > 0 {
            let old_root = root_node_key(last);
            if !stale.contains(&old_root) {
                stale.push(old_root);
            }
        }
        if !stale.is_empty() {
            let bytes = borsh::to_vec(&stale).map_err(|e| StoreError::Corrupt(format!("encode stale: {e}")))?;
            batch.insert(&tagged_version(TAG_STALE, height)[..], bytes);
        }

        ops += usize::from(!stale.is_empty());
        *self.inner.stats.lock().unwrap_or_else(|p| p.into_inner()) = CommitStats {
            keys: changes.len(),
            stage_tree: t1 - t0,
            stage_encode: t1.elapsed(),
            batch_ops: ops,
            ..CommitStats::default()
        };
        Ok(Staged { height, app_hash: root, batch, set_keys, wal })
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
        let meta_bytes = borsh::to_vec(&meta).map_err(|e| StoreError::Corrupt(format!("encode meta: {e}")))?;
        let t0 = Instant::now();
        let mut wal = sled::Batch::default();
        wal.insert(&tagged_version(TAG_WAL, height)[..], staged.wal.as_slice());
        wal.insert(META_KEY, meta_bytes);
        self.inner.tree.apply_batch(wal)?;
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
        let inner = self.inner.clone();
        let sync = self.inner.index.clone();
        std::thread::Builder::new()
            .name("store-index".into())
            .spawn(move || {
                let t = Instant::now();
                let result = apply_index(&inner, staged, earliest, old.height);
                inner.stats.lock().unwrap_or_else(|p| p.into_inner()).index_apply = t.elapsed();
                // Release the database before signalling: whoever waits may
                // then drop the last handle, and sled must close in that
                // thread, not here (closing sled while another sled database
                // writes in the same process can deadlock in sled 0.34).
                drop(inner);
                let mut st = sync.state.lock().unwrap_or_else(|p| p.into_inner());
                match result {
                    Ok(()) => st.height = height,
                    Err(e) => {
                        tracing::error!(height, error = %e, "store: background index write failed");
                        st.error = Some(e.to_string());
                    }
                }
                drop(st);
                sync.done.notify_all();
            })
            .map_err(|e| StoreError::Corrupt(format!("cannot start the index writer: {e}")))?;
        Ok(CommitInfo { height, app_hash })
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

/// Below this many keys a block's flat entries are built inline.
const PARALLEL_MIN_KEYS: usize = 512;

/// The flat entries, preimages (for keys that have none yet) and key log of
/// one height: a batch, the keys set (sorted), and the number of writes.
fn flat_batch(
    tree: &sled::Tree,
    height: u64,
    changes: &ChangeSet,
) -> Result<(sled::Batch, Vec<Vec<u8>>, usize), StoreError> {
    let mut batch = sled::Batch::default();
    let mut set_keys = Vec::new();
    let mut ops = 0;
    for (key, value) in changes {
        batch.insert(flat_key(key, height), encode_flat_value(value.as_deref()));
        ops += 1;
        if value.is_some() {
            // A read is much cheaper than a write in sled, and most writes
            // update existing keys, which already have one.
            let pre = preimage_key(&KeyHash::with::<Sha256>(key).0);
            if !tree.contains_key(pre)? {
                batch.insert(&pre[..], key.as_slice());
                ops += 1;
            }
            set_keys.push(key.clone());
        }
    }
    let written: Vec<&Vec<u8>> = changes.keys().collect();
    let log = borsh::to_vec(&written).map_err(|e| StoreError::Corrupt(format!("encode log: {e}")))?;
    batch.insert(&tagged_version(TAG_LOG, height)[..], log);
    Ok((batch, set_keys, ops + 1))
}

/// The write-ahead record of a change set.
fn wal_record(changes: &ChangeSet) -> Result<Vec<u8>, StoreError> {
    let pairs: Vec<(&Vec<u8>, &Option<Vec<u8>>)> = changes.iter().collect();
    borsh::to_vec(&pairs).map_err(|e| StoreError::Corrupt(format!("encode write-ahead record: {e}")))
}

/// Write the index of a committed height: its nodes, flat entries, the
/// pruning it allows, the indexed-height record, and drop its write-ahead
/// record — one atomic batch. Not flushed here: the next commit's flush (or
/// sled's own) persists it, and until then the write-ahead record covers it.
fn apply_index(inner: &Inner, staged: Staged, earliest: u64, previous: u64) -> Result<(), StoreError> {
    let height = staged.height;
    let mut batch = staged.batch;
    // New readers below `earliest` are refused from here on; readers
    // already running keep what they need (see `pin`).
    inner.earliest.fetch_max(earliest, Ordering::SeqCst);
    let prune_below = {
        let readers = inner.readers.lock().unwrap_or_else(|p| p.into_inner());
        readers.keys().next().map_or(earliest, |&oldest| oldest.min(earliest))
    };
    if previous > 0 && prune_below > 1 {
        // Idempotent: each call resumes where the last one stopped.
        prune::prune_to(&inner.tree, &mut batch, prune_below, &staged.set_keys)?;
    }
    batch.insert(INDEXED_KEY, &height.to_be_bytes()[..]);
    batch.remove(&tagged_version(TAG_WAL, height)[..]);
    inner.tree.apply_batch(batch)?;
    Ok(())
}

/// A handle going away waits for the index writer, so the database is never
/// closed by the writer thread itself (see `commit`).
impl Drop for Store {
    fn drop(&mut self) {
        let height = self.meta().height;
        let _ = self.wait_index(height);
    }
}

/// Keeps a height from being pruned while a read uses it.
struct ReadPin<'a> {
    store: &'a Store,
    height: u64,
}

impl Drop for ReadPin<'_> {
    fn drop(&mut self) {
        let mut readers = self.store.inner.readers.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(n) = readers.get_mut(&self.height) {
            *n -= 1;
            if *n == 0 {
                readers.remove(&self.height);
            }
        }
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
