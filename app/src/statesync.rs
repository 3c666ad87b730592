//! The app's side of CometBFT's state sync: the four snapshot calls, on
//! the snapshot connection. Serving reads finished snapshots from disk;
//! restoring (see `snapshots::restore`) fills an empty store.

use tendermint_proto::v0_38::abci as pb;
use tracing::info;

use crate::app::App;
use crate::snapshots::{Restore, Snapshots};

impl App {
    /// Serve and take snapshots from `snapshots` (configured in `app.toml`).
    pub fn with_snapshots(mut self, snapshots: Snapshots) -> Self {
        self.snapshots = Some(snapshots);
        self
    }

    pub fn snapshots(&self) -> Option<&Snapshots> {
        self.snapshots.as_ref()
    }

    pub fn list_snapshots(&self) -> pb::ResponseListSnapshots {
        pb::ResponseListSnapshots { snapshots: self.snapshots.as_ref().map(Snapshots::list).unwrap_or_default() }
    }

    pub fn load_snapshot_chunk(&self, req: pb::RequestLoadSnapshotChunk) -> pb::ResponseLoadSnapshotChunk {
        let chunk = self.snapshots.as_ref().map(|s| s.load_chunk(req.height, req.format, req.chunk)).unwrap_or_default();
        pb::ResponseLoadSnapshotChunk { chunk: chunk.into() }
    }

    pub fn offer_snapshot(&self, req: pb::RequestOfferSnapshot) -> pb::ResponseOfferSnapshot {
        use pb::response_offer_snapshot::Result as R;
        let Some(snapshots) = self.snapshots.as_ref() else {
            return pb::ResponseOfferSnapshot { result: R::Abort as i32 };
        };
        let result = match Restore::offer(&self.store, &req) {
            Ok(restore) => {
                *snapshots.restore.lock().unwrap_or_else(|p| p.into_inner()) = Some(restore);
                R::Accept
            }
            Err(r) => r,
        };
        pb::ResponseOfferSnapshot { result: result as i32 }
    }

    pub fn apply_snapshot_chunk(&self, req: pb::RequestApplySnapshotChunk) -> pb::ResponseApplySnapshotChunk {
        use pb::response_apply_snapshot_chunk::Result as R;
        let abort = pb::ResponseApplySnapshotChunk { result: R::Abort as i32, ..Default::default() };
        let Some(snapshots) = self.snapshots.as_ref() else {
            return abort;
        };
        let mut slot = snapshots.restore.lock().unwrap_or_else(|p| p.into_inner());
        let Some(restore) = slot.as_mut() else {
            return abort;
        };
        let (response, over) = restore.apply(&self.store, &req);
        if over {
            let height = restore.height();
            *slot = None;
            if response.result == R::Accept as i32 {
                // App-level values cached in memory come from the new state.
                self.reload_chain_params();
                info!(height, "state sync: state restored; CometBFT continues from the next height");
            }
        }
        response
    }
}
