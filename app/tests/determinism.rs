//! Two real `veniced` processes fed the same blocks through an ABCI socket
//! client must compute identical app hashes and results at every height —
//! including across a restart of one of them.

mod common;

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{CHAIN_ID, genesis};
use tendermint_abci::{Client, ClientBuilder};
use tendermint_proto::v0_38::abci as pb;
use venice_sdk::testing::TestKey;

struct Node {
    child: Child,
    home: Option<tempfile::TempDir>,
    addr: String,
}

fn free_addr() -> String {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().to_string()
}

impl Node {
    fn start(home: tempfile::TempDir) -> Node {
        let addr = free_addr();
        let child = Command::new(env!("CARGO_BIN_EXE_veniced"))
            .args(["start", "--home"])
            .arg(home.path())
            .args(["--abci", &addr])
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("spawn veniced");
        Node { child, home: Some(home), addr }
    }

    fn client(&self) -> Client {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            match ClientBuilder::default().connect(self.addr.as_str()) {
                Ok(c) => return c,
                Err(_) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(50)),
                Err(e) => panic!("cannot connect to veniced at {}: {e}", self.addr),
            }
        }
    }

    /// SIGKILL, keeping the home for a restart.
    fn kill(mut self) -> tempfile::TempDir {
        self.child.kill().ok();
        self.child.wait().ok();
        self.home.take().expect("home present until killed")
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
    }
}

/// A deterministic pseudo-random stream (the test must replay identically).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

#[test]
fn two_nodes_compute_identical_hashes_at_every_height() {
    let keys: Vec<TestKey> = (0..12).map(TestKey::from_seed).collect();
    let init = veniced::genesis::init_chain_request(&genesis(&keys)).unwrap();
    let a = Node::start(tempfile::tempdir().unwrap());
    let mut b = Node::start(tempfile::tempdir().unwrap());
    let (mut ca, mut cb) = (a.client(), b.client());
    let ha = ca.init_chain(init.clone()).unwrap().app_hash;
    let hb = cb.init_chain(init).unwrap().app_hash;
    assert_eq!(ha, hb);
    assert_eq!(ha.len(), 32);

    let mut rng = Lcg(7);
    let mut seqs = vec![0u64; keys.len()];
    let mut prev = ha.to_vec();
    for height in 1..=30i64 {
        let mut txs = Vec::new();
        for _ in 0..(rng.next() % 25) {
            let from = (rng.next() % keys.len() as u64) as usize;
            let to = (rng.next() % keys.len() as u64) as usize;
            let amount = (rng.next() % 5_000_000) as u128;
            // Some txs are meant to fail: stale sequences, overspends.
            let seq = if rng.next().is_multiple_of(10) { seqs[from].saturating_sub(1) } else { seqs[from] };
            let tx = keys[from].sign_send(&keys[to].address(), amount, CHAIN_ID, from as u64, seq, 5000, 200_000);
            if seq == seqs[from] {
                seqs[from] += 1;
            }
            txs.push(tx.into());
        }
        if height % 7 == 0 {
            txs.push(b"garbage".to_vec().into());
        }
        let req = pb::RequestFinalizeBlock {
            txs,
            height,
            time: Some(tendermint_proto::google::protobuf::Timestamp { seconds: 1_700_000_000 + height, nanos: 0 }),
            ..Default::default()
        };
        let ra = ca.finalize_block(req.clone()).unwrap();
        let rb = cb.finalize_block(req).unwrap();
        assert_eq!(ra.app_hash, rb.app_hash, "app hash diverged at height {height}");
        assert_eq!(ra.tx_results, rb.tx_results, "results diverged at height {height}");
        assert_ne!(ra.app_hash.to_vec(), prev, "state must change at height {height}");
        prev = ra.app_hash.to_vec();
        ca.commit().unwrap();
        cb.commit().unwrap();

        if height == 15 {
            // Restart node B from its durable state: Info must report it.
            drop(cb);
            let home = b.kill();
            b = Node::start(home);
            cb = b.client();
            let info = cb.info(pb::RequestInfo::default()).unwrap();
            assert_eq!(info.last_block_height, 15);
            assert_eq!(info.last_block_app_hash.to_vec(), prev);
        }
    }
    let ia = ca.info(pb::RequestInfo::default()).unwrap();
    let ib = cb.info(pb::RequestInfo::default()).unwrap();
    assert_eq!((ia.last_block_height, ia.last_block_app_hash.clone()), (30, ib.last_block_app_hash));
    drop(a);
}
