//! State-sync snapshots at the ABCI level: a node takes a snapshot of a
//! height, a new node restores it chunk by chunk (a corrupted chunk is
//! refetched, a wrong app hash rejects the snapshot), and both then compute
//! the same app hash for the next blocks.

mod common;

use common::*;
use tendermint_proto::v0_38::abci as pb;
use venice_store::Store;
use veniced::App;
use veniced::snapshots::Snapshots;

use pb::response_apply_snapshot_chunk::Result as Apply;
use pb::response_offer_snapshot::Result as Offer;

fn source(blocks: u64) -> Fixture {
    let mut f = Fixture::new(4);
    for h in 0..blocks {
        let txs = (0..4).map(|i| f.send(i, (i + 1) % 4, 1000 + h as u128, h)).collect();
        let (results, _) = f.block(txs);
        assert!(results.iter().all(|r| r.code == 0), "{results:?}");
    }
    f
}

fn empty_node(dir: &tempfile::TempDir) -> App {
    let store = Store::open(&dir.path().join("db"), Default::default()).unwrap();
    App::new(store, vec![]).with_snapshots(Snapshots::new(dir.path().join("snapshots"), 0, 2))
}

fn offer(app: &App, s: &pb::Snapshot, app_hash: &[u8]) -> i32 {
    app.offer_snapshot(pb::RequestOfferSnapshot { snapshot: Some(s.clone()), app_hash: app_hash.to_vec().into() }).result
}

fn apply(app: &App, index: u32, chunk: Vec<u8>, sender: &str) -> pb::ResponseApplySnapshotChunk {
    app.apply_snapshot_chunk(pb::RequestApplySnapshotChunk { index, chunk: chunk.into(), sender: sender.into() })
}

fn take(f: &Fixture, snaps: &Snapshots, height: u64) {
    snaps.on_commit(&f.app.store, height);
    snaps.wait_idle();
}

#[test]
fn a_new_node_restores_a_snapshot_and_follows_with_the_same_app_hash() {
    let mut f = source(5);
    let snap_dir = tempfile::tempdir().unwrap();
    let snaps = Snapshots::new(snap_dir.path().to_path_buf(), 5, 2);
    take(&f, &snaps, 4);
    assert!(snaps.list().is_empty(), "4 is not a multiple of the interval");
    take(&f, &snaps, 5);
    let list = snaps.list();
    assert_eq!(list.len(), 1);
    let s = list[0].clone();
    assert_eq!((s.height, s.format), (5, 1));
    let source_info = f.app.info(Default::default());
    assert_eq!(source_info.last_block_height, 5);
    let trusted = source_info.last_block_app_hash.to_vec();

    let dir = tempfile::tempdir().unwrap();
    let node = empty_node(&dir);
    // A snapshot whose state does not hash to the trusted app hash is
    // rejected after its last chunk, and nothing is committed.
    assert_eq!(offer(&node, &s, &[7u8; 32]), Offer::Accept as i32);
    let mut last = None;
    for i in 0..s.chunks {
        last = Some(apply(&node, i, snaps.load_chunk(5, 1, i), "peer-a"));
    }
    assert_eq!(last.unwrap().result, Apply::RejectSnapshot as i32);
    assert_eq!(node.info(Default::default()).last_block_height, 0);

    // The real offer: a corrupted chunk is refetched and its sender rejected.
    assert_eq!(offer(&node, &s, &trusted), Offer::Accept as i32);
    let mut bad = snaps.load_chunk(5, 1, 0);
    assert!(!bad.is_empty());
    bad[0] ^= 0xff;
    let r = apply(&node, 0, bad, "peer-bad");
    assert_eq!(r.result, Apply::Retry as i32);
    assert_eq!(r.refetch_chunks, vec![0]);
    assert_eq!(r.reject_senders, vec!["peer-bad".to_string()]);
    for i in 0..s.chunks {
        let r = apply(&node, i, snaps.load_chunk(5, 1, i), "peer-good");
        assert_eq!(r.result, Apply::Accept as i32);
    }
    let info = node.info(Default::default());
    assert_eq!((info.last_block_height, info.last_block_app_hash.to_vec()), (5, trusted.clone()));
    assert_eq!(node.chain_id(), CHAIN_ID, "app-level values are read from the restored state");

    // Same balances, then the same app hash for the next blocks.
    let keys = (0..4).map(venice_sdk::testing::TestKey::from_seed).collect();
    let restored = Fixture { dir, app: node, keys, height: 5 };
    for who in 0..4 {
        assert_eq!(restored.balance(who), f.balance(who));
    }
    let mut restored = restored;
    for h in 5..8u64 {
        let txs: Vec<Vec<u8>> = (0..4).map(|i| f.send(i, (i + 2) % 4, 7, h)).collect();
        let (ra, ha) = f.block(txs.clone());
        let (rb, hb) = restored.block(txs);
        assert_eq!(ha, hb, "height {}", h + 1);
        assert_eq!(ra, rb);
        assert!(ra.iter().all(|r| r.code == 0));
    }

    // A node with state refuses every snapshot.
    assert_eq!(offer(&restored.app, &s, &trusted), Offer::Abort as i32);
}

#[test]
fn bad_offers_are_refused_and_old_snapshots_pruned() {
    let mut f = source(2);
    let snap_dir = tempfile::tempdir().unwrap();
    let snaps = Snapshots::new(snap_dir.path().to_path_buf(), 2, 2);
    take(&f, &snaps, 2);
    for _ in 0..4 {
        f.block(vec![]);
        let h = f.height;
        take(&f, &snaps, h);
    }
    let heights: Vec<u64> = snaps.list().iter().map(|s| s.height).collect();
    assert_eq!(heights, vec![6, 4], "the newest keep_recent snapshots stay");
    assert!(snaps.load_chunk(2, 1, 0).is_empty(), "pruned snapshots are no longer served");

    let s = snaps.list()[0].clone();
    let hash = vec![1u8; 32];
    let dir = tempfile::tempdir().unwrap();
    let node = empty_node(&dir);
    let mut other_format = s.clone();
    other_format.format = 2;
    assert_eq!(offer(&node, &other_format, &hash), Offer::RejectFormat as i32);
    let mut tampered = s.clone();
    tampered.hash = vec![0u8; 32].into();
    assert_eq!(offer(&node, &tampered, &hash), Offer::Reject as i32);
    let mut bad_meta = s.clone();
    bad_meta.metadata = b"garbage".to_vec().into();
    assert_eq!(offer(&node, &bad_meta, &hash), Offer::Reject as i32);
    // No restore in progress: chunks are refused.
    assert_eq!(apply(&node, 0, vec![], "x").result, Apply::Abort as i32);
    // An index outside the snapshot rejects it.
    assert_eq!(offer(&node, &s, &hash), Offer::Accept as i32);
    assert_eq!(apply(&node, s.chunks + 3, vec![], "x").result, Apply::RejectSnapshot as i32);
}

#[test]
fn a_node_without_snapshots_configured_serves_none() {
    let f = source(1);
    assert!(f.app.list_snapshots().snapshots.is_empty());
    assert!(f.app.load_snapshot_chunk(pb::RequestLoadSnapshotChunk { height: 1, format: 1, chunk: 0 }).chunk.is_empty());
}
