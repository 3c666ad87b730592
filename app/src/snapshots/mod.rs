//! State-sync snapshots (ABCI `ListSnapshots`, `LoadSnapshotChunk`,
//! `OfferSnapshot`, `ApplySnapshotChunk`), as the Cosmos SDK's snapshot
//! manager serves them: every `interval` heights, after `Commit`, a
//! background thread writes the state of that height to
//! `<home>/data/snapshots/<height>-<format>/` (chunk files plus metadata,
//! written under a temporary name and renamed when complete, so a crash
//! never leaves a half snapshot on offer); the newest `keep_recent` are
//! kept. A new node restores one through CometBFT's `[statesync]` (see
//! `restore`), checking every chunk's hash and, at the end, the app hash
//! that CometBFT's light client trusts.

pub mod format;
mod restore;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use tendermint_proto::v0_38::abci as pb;
use tracing::{info, warn};
use venice_store::{Store, StoreError};

use format::{ChunkWriter, FORMAT, Metadata};
pub use restore::Restore;

/// Pairs read from the store per page while a snapshot is written.
const PAGE: usize = 4096;

pub struct Snapshots {
    dir: PathBuf,
    /// Take a snapshot at every multiple of this height (0: never).
    interval: u64,
    /// How many snapshots stay on disk (at least 1).
    keep_recent: usize,
    /// A snapshot is being written (one at a time; a height that comes
    /// while one is running is skipped, as the SDK does).
    busy: Arc<AtomicBool>,
    /// The restore in progress on this node, if any.
    pub(crate) restore: Mutex<Option<Restore>>,
}

#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    #[error("snapshot I/O: {0}")]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Format(#[from] format::FormatError),
}

impl Snapshots {
    pub fn new(dir: PathBuf, interval: u64, keep_recent: u32) -> Self {
        // A snapshot interrupted by a crash left only its temporary folder.
        for e in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            if e.file_name().to_string_lossy().starts_with(".tmp-") {
                let _ = std::fs::remove_dir_all(e.path());
            }
        }
        Snapshots {
            dir,
            interval,
            keep_recent: keep_recent.max(1) as usize,
            busy: Arc::new(AtomicBool::new(false)),
            restore: Mutex::new(None),
        }
    }

    pub fn interval(&self) -> u64 {
        self.interval
    }

    /// After `Commit` of `height`: start writing its snapshot when due.
    pub fn on_commit(&self, store: &Store, height: u64) {
        if self.interval == 0 || !height.is_multiple_of(self.interval) {
            return;
        }
        if self.busy.swap(true, Ordering::SeqCst) {
            warn!(height, "skipping snapshot: the previous one is still being written");
            return;
        }
        let (store, dir, keep, busy) = (store.clone(), self.dir.clone(), self.keep_recent, self.busy.clone());
        let spawned = std::thread::Builder::new().name("snapshot".into()).spawn(move || {
            let started = std::time::Instant::now();
            match write_snapshot(&store, &dir, height) {
                Ok(meta) => {
                    info!(
                        height,
                        chunks = meta.chunk_hashes.len(),
                        records = meta.records,
                        bytes = meta.total_bytes,
                        ms = started.elapsed().as_millis() as u64,
                        "snapshot taken"
                    );
                    if let Err(e) = prune(&dir, keep) {
                        warn!(error = %e, "pruning old snapshots");
                    }
                }
                Err(e) => warn!(height, error = %e, "snapshot failed"),
            }
            busy.store(false, Ordering::SeqCst);
        });
        if let Err(e) = spawned {
            warn!(error = %e, "cannot start the snapshot thread");
            self.busy.store(false, Ordering::SeqCst);
        }
    }

    /// Wait until no snapshot is being written (tests, shutdown).
    pub fn wait_idle(&self) {
        while self.busy.load(Ordering::SeqCst) {
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
    }

    /// The complete snapshots on disk, newest first.
    pub fn list(&self) -> Vec<pb::Snapshot> {
        let mut out = Vec::new();
        for (height, path) in complete_snapshots(&self.dir) {
            match std::fs::read(path.join("metadata")).map_err(SnapshotError::from).and_then(|b| Ok((Metadata::decode(&b)?, b))) {
                Ok((meta, bytes)) => out.push(pb::Snapshot {
                    height,
                    format: FORMAT,
                    chunks: meta.chunk_hashes.len() as u32,
                    hash: meta.hash().to_vec().into(),
                    metadata: bytes.into(),
                }),
                Err(e) => warn!(height, error = %e, "unreadable snapshot metadata"),
            }
        }
        out
    }

    /// One chunk's bytes (empty when this node does not have it).
    pub fn load_chunk(&self, height: u64, format: u32, chunk: u32) -> Vec<u8> {
        if format != FORMAT {
            return vec![];
        }
        std::fs::read(snapshot_dir(&self.dir, height).join(chunk.to_string())).unwrap_or_default()
    }
}

fn snapshot_dir(dir: &Path, height: u64) -> PathBuf {
    dir.join(format!("{height}-{FORMAT}"))
}

/// Write the state of `height` as chunk files and metadata, then publish it
/// with one rename.
fn write_snapshot(store: &Store, dir: &Path, height: u64) -> Result<Metadata, SnapshotError> {
    let tmp = dir.join(format!(".tmp-{height}-{FORMAT}"));
    if tmp.exists() {
        std::fs::remove_dir_all(&tmp)?;
    }
    std::fs::create_dir_all(&tmp)?;
    let mut writer = ChunkWriter::new(|i, bytes: &[u8]| std::fs::write(tmp.join(i.to_string()), bytes));
    store.for_each_at(height, PAGE, |k, v| writer.push(k, v).map_err(SnapshotError::from))?;
    let meta = writer.finish()?;
    std::fs::write(tmp.join("metadata"), meta.encode())?;
    let done = snapshot_dir(dir, height);
    if done.exists() {
        std::fs::remove_dir_all(&done)?;
    }
    std::fs::rename(&tmp, &done)?;
    Ok(meta)
}

/// (height, path) of published snapshots, newest first.
fn complete_snapshots(dir: &Path) -> Vec<(u64, PathBuf)> {
    let suffix = format!("-{FORMAT}");
    let mut found: Vec<(u64, PathBuf)> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            let height = name.strip_suffix(&suffix)?.parse::<u64>().ok()?;
            Some((height, e.path()))
        })
        .collect();
    found.sort_by_key(|f| std::cmp::Reverse(f.0));
    found
}

fn prune(dir: &Path, keep: usize) -> std::io::Result<()> {
    for (_, path) in complete_snapshots(dir).into_iter().skip(keep) {
        std::fs::remove_dir_all(path)?;
    }
    Ok(())
}
