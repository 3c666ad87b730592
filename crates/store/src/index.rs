//! The background index writer. `commit` only makes the write-ahead record
//! durable; the bulky index of a height (tree nodes, flat entries, pruning)
//! is written here, on its own thread, while consensus moves on. Reads of
//! that height and the next `stage` wait for it (`wait_index`), and `open`
//! re-derives an index that a crash left unwritten (`recover_index`).

use std::sync::{Arc, Condvar, Mutex};
use std::time::Instant;

use crate::keys::{INDEXED_KEY, TAG_WAL, tagged_version};
use crate::pins::prune_floor;
use crate::record::{Meta, read_wal};
use crate::staged::Staged;
use crate::{Inner, Store, StoreError, keys, prune};

/// Progress of the background index writer.
#[derive(Debug, Default)]
pub(crate) struct IndexState {
    /// Highest height whose index is written.
    pub(crate) height: u64,
    /// A failed index write: every later read and stage reports it.
    pub(crate) error: Option<String>,
}

/// Index progress and its signal. Held apart from `Inner` (behind its own
/// `Arc`) so the writer thread can release its handle on the database before
/// it signals (see `spawn_writer`).
#[derive(Default)]
pub(crate) struct IndexSync {
    pub(crate) state: Mutex<IndexState>,
    pub(crate) done: Condvar,
}

impl IndexSync {
    pub(crate) fn new(indexed: u64) -> Self {
        IndexSync { state: Mutex::new(IndexState { height: indexed, error: None }), done: Condvar::new() }
    }
}

impl Store {
    /// Re-derive the index of the committed height `meta.height` from its
    /// write-ahead record (the process died before the background write).
    pub(crate) fn recover_index(&self, indexed: u64, meta: Meta) -> Result<(), StoreError> {
        let height = meta.height;
        if height != indexed + 1 && indexed != 0 {
            return Err(StoreError::Corrupt(format!("index at {indexed}, committed {height}: more than one height behind")));
        }
        let changes = read_wal(&self.inner.tree, height)?;
        let staged = self.build_staged(indexed, height, &changes)?;
        if staged.app_hash != meta.app_hash {
            return Err(StoreError::Corrupt(format!(
                "replayed height {height} gives root {} but the metadata says {}",
                keys::hex(&staged.app_hash),
                keys::hex(&meta.app_hash)
            )));
        }
        tracing::warn!(height, "store: rebuilding the index of the last committed height from its write-ahead record");
        apply_index(&self.inner, staged, meta.earliest, indexed)?;
        self.inner.db.flush()?;
        self.inner.index.state.lock().unwrap_or_else(|p| p.into_inner()).height = height;
        Ok(())
    }

    /// Block until the index of `height` is written (or its writer failed).
    pub(crate) fn wait_index(&self, height: u64) -> Result<(), StoreError> {
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
}

/// Start the thread that writes the index of the just-committed `staged`
/// height (`previous` is the height committed before it).
pub(crate) fn spawn_writer(inner: Arc<Inner>, staged: Staged, earliest: u64, previous: u64) -> Result<(), StoreError> {
    let height = staged.height;
    let sync = inner.index.clone();
    std::thread::Builder::new()
        .name("store-index".into())
        .spawn(move || {
            let t = Instant::now();
            let result = apply_index(&inner, staged, earliest, previous);
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
    Ok(())
}

/// Write the index of a committed height: its nodes, flat entries, the
/// pruning it allows, the indexed-height record, and drop its write-ahead
/// record — one atomic batch. Not flushed here: the next commit's flush (or
/// sled's own) persists it, and until then the write-ahead record covers it.
fn apply_index(inner: &Inner, staged: Staged, earliest: u64, previous: u64) -> Result<(), StoreError> {
    let height = staged.height;
    let mut batch = staged.batch;
    let prune_below = prune_floor(inner, earliest);
    if previous > 0 && prune_below > 1 {
        // Idempotent: each call resumes where the last one stopped.
        prune::prune_to(&inner.tree, &mut batch, prune_below, &staged.set_keys)?;
    }
    batch.insert(INDEXED_KEY, &height.to_be_bytes()[..]);
    batch.remove(&tagged_version(TAG_WAL, height)[..]);
    inner.tree.apply_batch(batch)?;
    Ok(())
}
