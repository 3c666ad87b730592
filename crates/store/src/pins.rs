//! Read pins: a read registers the height it reads so that pruning (done by
//! the background index writer) leaves that height's data in place until the
//! read finishes. jmt panics on a missing node, so a query racing a commit
//! must never see half-pruned data; what a pin holds back is pruned by a
//! later commit.

use std::sync::atomic::Ordering;

use crate::{Inner, Store, StoreError};

impl Store {
    /// Checks that `height` is readable now and keeps it from being pruned
    /// until the returned pin is dropped.
    pub(crate) fn pin(&self, height: u64) -> Result<ReadPin<'_>, StoreError> {
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
}

/// The height pruning may go up to (exclusive): `earliest`, or lower while
/// a pinned read still needs an older height. Raises `earliest` first, so
/// no new reader can pin below it once the registry has been read.
pub(crate) fn prune_floor(inner: &Inner, earliest: u64) -> u64 {
    // New readers below `earliest` are refused from here on; readers
    // already running keep what they need (see `Store::pin`).
    inner.earliest.fetch_max(earliest, Ordering::SeqCst);
    let readers = inner.readers.lock().unwrap_or_else(|p| p.into_inner());
    readers.keys().next().map_or(earliest, |&oldest| oldest.min(earliest))
}

/// Keeps a height from being pruned while a read uses it.
pub(crate) struct ReadPin<'a> {
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
