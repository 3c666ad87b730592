//! The ABCI 2.0 calls other than FinalizeBlock: proposals honour the block
//! gas limit, vote extensions are wired (empty for now), Info after commits.

mod common;

use common::*;
use tendermint_proto::v0_38::abci as pb;

#[test]
fn prepare_proposal_keeps_the_block_under_its_gas_limit() {
    let f = Fixture::new(3);
    // Block max_gas is 10,000,000 in the fixture; each tx asks 200,000 → 50 fit.
    let mut txs: Vec<Vec<u8>> = (0..60u64).map(|s| f.send(0, 1, 1, s)).collect();
    txs.insert(3, b"not a tx".to_vec());
    let resp = f.app.prepare_proposal(pb::RequestPrepareProposal {
        max_tx_bytes: 1 << 20,
        txs: txs.iter().cloned().map(Into::into).collect(),
        height: 1,
        ..Default::default()
    });
    assert_eq!(resp.txs.len(), 50);
    assert!(resp.txs.iter().all(|t| t.as_ref() != b"not a tx"));
    // Byte limit too.
    let small = f.app.prepare_proposal(pb::RequestPrepareProposal {
        max_tx_bytes: (txs[0].len() + txs[1].len()) as i64,
        txs: txs.iter().cloned().map(Into::into).collect(),
        height: 1,
        ..Default::default()
    });
    assert_eq!(small.txs.len(), 2);
}

#[test]
fn process_proposal_rejects_what_prepare_would_not_build() {
    use pb::response_process_proposal::ProposalStatus;
    let f = Fixture::new(2);
    let ok: Vec<_> = (0..10u64).map(|s| f.send(0, 1, 1, s).into()).collect();
    let r = f.app.process_proposal(pb::RequestProcessProposal { txs: ok, height: 1, ..Default::default() });
    assert_eq!(r.status, ProposalStatus::Accept as i32);
    let too_much: Vec<_> = (0..51u64).map(|s| f.send(0, 1, 1, s).into()).collect();
    let r = f.app.process_proposal(pb::RequestProcessProposal { txs: too_much, height: 1, ..Default::default() });
    assert_eq!(r.status, ProposalStatus::Reject as i32);
    let junk = vec![b"\x0a\x01".to_vec().into()];
    let r = f.app.process_proposal(pb::RequestProcessProposal { txs: junk, height: 1, ..Default::default() });
    assert_eq!(r.status, ProposalStatus::Reject as i32);
}

#[test]
fn vote_extensions_are_wired_and_size_checked() {
    use pb::response_verify_vote_extension::VerifyStatus;
    let f = Fixture::new(1);
    let ext = f.app.extend_vote(pb::RequestExtendVote { height: 1, ..Default::default() });
    assert!(ext.vote_extension.is_empty());
    let ok =
        f.app.verify_vote_extension(pb::RequestVerifyVoteExtension { vote_extension: ext.vote_extension, height: 1, ..Default::default() });
    assert_eq!(ok.status, VerifyStatus::Accept as i32);
    let big = f.app.verify_vote_extension(pb::RequestVerifyVoteExtension {
        vote_extension: vec![1u8; 64].into(),
        height: 1,
        ..Default::default()
    });
    assert_eq!(big.status, VerifyStatus::Reject as i32);
}

#[test]
fn info_reports_the_last_commit_and_finalize_checks_heights() {
    let mut f = Fixture::new(2);
    let info = f.app.info(pb::RequestInfo::default());
    assert_eq!(info.last_block_height, 0);
    assert!(info.last_block_app_hash.is_empty());
    let (_, h1) = f.block(vec![f.send(0, 1, 1, 0)]);
    let info = f.app.info(pb::RequestInfo::default());
    assert_eq!((info.last_block_height, info.last_block_app_hash.to_vec()), (1, h1));
    // A height that skips ahead is refused, not applied.
    assert!(f.app.finalize_block(pb::RequestFinalizeBlock { height: 5, ..Default::default() }).is_err());
    // Commit without FinalizeBlock is an error too.
    assert!(f.app.commit().is_err());
}

#[test]
fn finalize_then_crash_before_commit_replays_to_the_same_hash() {
    // FinalizeBlock computes the hash; only Commit makes it durable. Dropping
    // the app in between (a crash) and replaying the block gives the same hash.
    let keys: Vec<_> = (0..2).map(venice_sdk::testing::TestKey::from_seed).collect();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    let tx = keys[0].sign_send(&keys[1].address(), 9, CHAIN_ID, 0, 0, 5000, 200_000);
    let req = |h: i64, txs: Vec<Vec<u8>>| pb::RequestFinalizeBlock {
        height: h,
        txs: txs.into_iter().map(Into::into).collect(),
        ..Default::default()
    };
    let first_hash = {
        let app = veniced::App::new(venice_store::Store::open(&path, Default::default()).unwrap(), vec![]);
        app.init_chain(veniced::genesis::init_chain_request(&genesis(&keys)).unwrap()).unwrap();
        app.finalize_block(req(1, vec![])).unwrap();
        app.commit().unwrap();
        app.finalize_block(req(2, vec![tx.clone()])).unwrap().app_hash
        // dropped here without Commit
    };
    let app = veniced::App::new(venice_store::Store::open(&path, Default::default()).unwrap(), vec![]);
    assert_eq!(app.info(pb::RequestInfo::default()).last_block_height, 1);
    let again = app.finalize_block(req(2, vec![tx])).unwrap();
    assert_eq!(again.tx_results[0].code, 0, "{}", again.tx_results[0].log);
    assert_eq!(again.app_hash, first_hash);
    app.commit().unwrap();
    assert_eq!(app.info(pb::RequestInfo::default()).last_block_height, 2);
}
