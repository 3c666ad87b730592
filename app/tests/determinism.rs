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

/// Contracts on two nodes: store (gzip), instantiate, cw20 transfers (some
/// failing), a looping contract running out of gas; node B restarts midway
/// and loads the compiled module from its disk cache. Hashes and results
/// agree at every height.
#[test]
fn two_nodes_agree_on_contract_calls_across_a_restart() {
    use cosmos_sdk_proto::cosmwasm::wasm::v1 as wpb;
    use prost::Name;
    fn any<M: Name>(m: &M) -> cosmos_sdk_proto::Any {
        cosmos_sdk_proto::Any { type_url: format!("/{}", M::full_name()), value: m.encode_to_vec() }
    }
    let keys: Vec<TestKey> = (0..4).map(TestKey::from_seed).collect();
    let init = veniced::genesis::init_chain_request(&genesis(&keys)).unwrap();
    let a = Node::start(tempfile::tempdir().unwrap());
    let mut b = Node::start(tempfile::tempdir().unwrap());
    let (mut ca, mut cb) = (a.client(), b.client());
    assert_eq!(ca.init_chain(init.clone()).unwrap().app_hash, cb.init_chain(init).unwrap().app_hash);

    let wasm = std::fs::read(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../artifacts/compute_credit.wasm")).unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(&mut gz, &wasm).unwrap();
    let gz = gz.finish().unwrap();
    let token = venice_wasm::classic_address(1, 1).to_bech32();
    let mut seqs = vec![0u64; keys.len()];
    let mut sign = |k: usize, msg: cosmos_sdk_proto::Any, gas: u64| {
        let p = venice_sdk::testing::TxParams {
            chain_id: CHAIN_ID.into(),
            account_number: k as u64,
            sequence: seqs[k],
            gas,
            ..Default::default()
        };
        seqs[k] += 1;
        keys[k].sign_tx(vec![msg], &p).into()
    };
    let mut rng = Lcg(11);
    let (mut passed, mut failed) = (0, 0);
    for height in 1..=12i64 {
        let mut txs: Vec<prost::bytes::Bytes> = Vec::new();
        match height {
            1 => txs.push(sign(
                0,
                any(&wpb::MsgStoreCode { sender: keys[0].address().to_bech32(), wasm_byte_code: gz.clone(), instantiate_permission: None }),
                9_000_000,
            )),
            2 => {
                let balances: Vec<serde_json::Value> =
                    keys.iter().map(|k| serde_json::json!({"address": k.address().to_bech32(), "amount": "1000"})).collect();
                let msg = serde_json::json!({"name": "Credit", "symbol": "CRED", "decimals": 6, "initial_balances": balances,
                                             "mint": null, "marketing": null, "admin": null});
                let m = wpb::MsgInstantiateContract {
                    sender: keys[0].address().to_bech32(),
                    admin: String::new(),
                    code_id: 1,
                    label: "credit".into(),
                    msg: serde_json::to_vec(&msg).unwrap(),
                    funds: vec![],
                };
                txs.push(sign(0, any(&m), 2_000_000));
            }
            _ => {
                for _ in 0..(1 + rng.next() % 6) {
                    let from = (rng.next() % keys.len() as u64) as usize;
                    let to = keys[(rng.next() % keys.len() as u64) as usize].address().to_bech32();
                    // Some overspend: the contract refuses, deterministically.
                    let amount = rng.next() % 1500;
                    let msg = serde_json::json!({"transfer": {"recipient": to, "amount": amount.to_string()}});
                    let m = wpb::MsgExecuteContract {
                        sender: keys[from].address().to_bech32(),
                        contract: token.clone(),
                        msg: serde_json::to_vec(&msg).unwrap(),
                        funds: vec![],
                    };
                    // Some run out of gas.
                    let gas = if rng.next().is_multiple_of(5) { 75_000 } else { 1_000_000 };
                    txs.push(sign(from, any(&m), gas));
                }
            }
        }
        let req = pb::RequestFinalizeBlock {
            txs,
            height,
            time: Some(tendermint_proto::google::protobuf::Timestamp { seconds: 1_700_000_000 + height, nanos: 0 }),
            ..Default::default()
        };
        let ra = ca.finalize_block(req.clone()).unwrap();
        let rb = cb.finalize_block(req).unwrap();
        assert_eq!(ra.tx_results, rb.tx_results, "results diverged at height {height}");
        assert_eq!(ra.app_hash, rb.app_hash, "app hash diverged at height {height}");
        if height <= 2 {
            assert!(ra.tx_results.iter().all(|r| r.code == 0), "height {height}: {:?}", ra.tx_results);
        } else {
            passed += ra.tx_results.iter().filter(|r| r.code == 0).count();
            failed += ra.tx_results.iter().filter(|r| r.code != 0).count();
        }
        ca.commit().unwrap();
        cb.commit().unwrap();
        if height == 6 {
            drop(cb);
            let home = b.kill();
            assert!(home.path().join("data/wasm").is_dir(), "the VM's files live under the home");
            b = Node::start(home);
            cb = b.client();
            assert_eq!(cb.info(pb::RequestInfo::default()).unwrap().last_block_height, 6);
        }
    }
    assert!(passed > 5 && failed > 0, "{passed} contract calls passed, {failed} failed");
    let (ia, ib) = (ca.info(pb::RequestInfo::default()).unwrap(), cb.info(pb::RequestInfo::default()).unwrap());
    assert_eq!(ia.last_block_app_hash, ib.last_block_app_hash);
    drop(a);
}
