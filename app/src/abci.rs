//! The ABCI 2.0 socket server: `tendermint-abci` calls in, `App` answers.
//! Nothing here decides anything; errors on the consensus connection are
//! fatal by design (a node must not continue on a state it cannot commit).

use std::sync::Arc;

use tendermint_abci::Application;
use tendermint_proto::v0_38::abci as pb;
use tracing::error;

use crate::app::App;

#[derive(Clone)]
pub struct AbciApp(pub Arc<App>);

impl Application for AbciApp {
    fn info(&self, req: pb::RequestInfo) -> pb::ResponseInfo {
        self.0.info(req)
    }

    fn init_chain(&self, req: pb::RequestInitChain) -> pb::ResponseInitChain {
        match self.0.init_chain(req) {
            Ok(r) => r,
            Err(e) => fatal("InitChain", &e),
        }
    }

    fn query(&self, req: pb::RequestQuery) -> pb::ResponseQuery {
        self.0.query(req)
    }

    fn check_tx(&self, req: pb::RequestCheckTx) -> pb::ResponseCheckTx {
        self.0.check_tx(req)
    }

    fn commit(&self) -> pb::ResponseCommit {
        match self.0.commit() {
            Ok(r) => r,
            Err(e) => fatal("Commit", &e),
        }
    }

    fn list_snapshots(&self) -> pb::ResponseListSnapshots {
        self.0.list_snapshots()
    }

    fn offer_snapshot(&self, req: pb::RequestOfferSnapshot) -> pb::ResponseOfferSnapshot {
        self.0.offer_snapshot(req)
    }

    fn load_snapshot_chunk(&self, req: pb::RequestLoadSnapshotChunk) -> pb::ResponseLoadSnapshotChunk {
        self.0.load_snapshot_chunk(req)
    }

    fn apply_snapshot_chunk(&self, req: pb::RequestApplySnapshotChunk) -> pb::ResponseApplySnapshotChunk {
        self.0.apply_snapshot_chunk(req)
    }

    fn prepare_proposal(&self, req: pb::RequestPrepareProposal) -> pb::ResponsePrepareProposal {
        self.0.prepare_proposal(req)
    }

    fn process_proposal(&self, req: pb::RequestProcessProposal) -> pb::ResponseProcessProposal {
        self.0.process_proposal(req)
    }

    fn extend_vote(&self, req: pb::RequestExtendVote) -> pb::ResponseExtendVote {
        self.0.extend_vote(req)
    }

    fn verify_vote_extension(&self, req: pb::RequestVerifyVoteExtension) -> pb::ResponseVerifyVoteExtension {
        self.0.verify_vote_extension(req)
    }

    fn finalize_block(&self, req: pb::RequestFinalizeBlock) -> pb::ResponseFinalizeBlock {
        match self.0.finalize_block(req) {
            Ok(r) => r,
            Err(e) if venice_upgrade::is_halt(&e) => upgrade_halt(&self.0),
            Err(e) => fatal("FinalizeBlock", &e),
        }
    }
}

/// A deliberate stop asked by the upgrade module (see `upgrades.rs`): the
/// block at the plan's height is not finalised; wait for the last commit to
/// be durable and indexed, then exit with the halt's own status, after a
/// grace period.
fn upgrade_halt(app: &App) -> ! {
    app.shutdown();
    if let Err(err) = app.store.wait_indexed() {
        error!(error = %err, "store index on upgrade halt");
    }
    // CometBFT has stored the block and its commit and keeps gossiping them
    // while this call waits: a peer still one height behind can decide the
    // halt height too (and halt), rather than be stranded below it when
    // every node it could learn it from has gone.
    std::thread::sleep(crate::upgrades::HALT_GRACE);
    // The plan's own line was logged when the block stopped (app.rs).
    error!(last_committed = app.store.last_commit().height, exit_code = crate::upgrades::HALT_EXIT_CODE, "stopped by the upgrade module");
    std::process::exit(crate::upgrades::HALT_EXIT_CODE)
}

/// The consensus connection cannot answer "error": stop the process and let
/// the operator (and CometBFT's handshake on restart) take it from the last
/// durable height.
fn fatal(call: &str, e: &venice_sdk::Error) -> ! {
    error!(%call, error = %e, "unrecoverable error on the consensus connection; stopping");
    eprintln!("veniced: {call} failed: {e}");
    std::process::exit(1)
}
