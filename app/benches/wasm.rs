//! `make bench` (wasm part): at the ABCI level, in one run,
//! - storing the unmodified cw20-base 2.0.0 (artifacts/thirdparty) and the
//!   project's compute_credit.wasm (FinalizeBlock + Commit of one
//!   MsgStoreCode) and each one's first instantiate;
//! - a block of N signed cw20 `transfer` executions of each vs a block of N
//!   signed bank sends (tx/s each, and the ratio);
//! - restart with the compiled module cache on disk: reopen the store and
//!   the app, then the first contract call (vs a warm call).
//!
//! Prints numbers, asserts only that every tx succeeds.
//! Run: `cargo bench -p veniced --bench wasm` (BENCH_WASM_TXS=N, default 1000).

use std::time::{Duration, Instant};

use cosmos_sdk_proto::Any;
use cosmos_sdk_proto::cosmwasm::wasm::v1 as wasm;
use prost::Name;
use tendermint_proto::v0_38::abci as pb;
use venice_sdk::testing::{TestKey, TxParams};
use venice_store::{Store, StoreOptions};
use veniced::App;

const CHAIN_ID: &str = "venice-bench";

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn any<M: Name>(m: &M) -> Any {
    Any { type_url: format!("/{}", M::full_name()), value: m.encode_to_vec() }
}

fn artifact(name: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../artifacts").join(format!("{name}.wasm"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e} (run `make contracts`)", path.display()))
}

struct Node {
    app: App,
    height: u64,
}

impl Node {
    /// FinalizeBlock + Commit + the background index (the next block waits
    /// for it, so sustained throughput counts it); returns the results and
    /// the time taken.
    fn block(&mut self, txs: Vec<Vec<u8>>) -> (pb::ResponseFinalizeBlock, Duration) {
        self.height += 1;
        let req = pb::RequestFinalizeBlock {
            txs: txs.into_iter().map(Into::into).collect(),
            height: self.height as i64,
            time: Some(tendermint_proto::google::protobuf::Timestamp { seconds: 1_700_000_000 + self.height as i64, nanos: 0 }),
            ..Default::default()
        };
        let t = Instant::now();
        let resp = self.app.finalize_block(req).unwrap();
        self.app.commit().unwrap();
        self.app.store.wait_indexed().unwrap();
        let took = t.elapsed();
        if let Some(bad) = resp.tx_results.iter().find(|r| r.code != 0) {
            panic!("bench tx failed: code {} {}", bad.code, bad.log);
        }
        (resp, took)
    }
}

fn attr(resp: &pb::ResponseFinalizeBlock, ty: &str, key: &str) -> String {
    resp.tx_results
        .iter()
        .flat_map(|r| r.events.iter())
        .filter(|e| e.r#type == ty)
        .flat_map(|e| e.attributes.iter())
        .find(|a| a.key == key)
        .map(|a| a.value.clone())
        .unwrap_or_else(|| panic!("no {ty}.{key}"))
}

fn main() {
    let n: usize = std::env::var("BENCH_WASM_TXS").ok().and_then(|v| v.parse().ok()).unwrap_or(1000);
    println!("== veniced wasm benchmark: cw20 transfers vs bank sends, {n} txs per block ==");
    // Key 0 deploys; keys 1..=n each send one cw20 transfer and one bank send.
    let keys: Vec<TestKey> = (0..=n as u64).map(TestKey::from_seed).collect();
    let addr = |i: usize| keys[i].address().to_bech32();
    let mut g = veniced::genesis::AppGenesis::new_default();
    let funds = venice_sdk::Coins::parse("1000000000000uvvv").unwrap();
    for k in &keys {
        g.add_account(&k.address(), &funds).unwrap();
    }
    let genesis = serde_json::json!({"chain_id": CHAIN_ID, "consensus_params": {"block": {"max_gas": "-1"}}, "app_state": g});
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let app = App::new(Store::open(&db, StoreOptions::default()).unwrap(), vec![]);
    app.init_chain(veniced::genesis::init_chain_request(&genesis).unwrap()).unwrap();
    let mut node = Node { app, height: 0 };
    node.block(vec![]);

    let params = |i: usize, seq: u64, gas: u64| TxParams {
        chain_id: CHAIN_ID.into(),
        account_number: i as u64,
        sequence: seq,
        fee: 5000,
        gas,
        ..Default::default()
    };
    // Each contract: store (key 0), instantiate with a balance for keys
    // 1..=n, then a block of n transfers (key i at sequence `round`).
    // Signing is not measured: every block is signed up front.
    let mut deploy_seq = 0u64;
    let mut cw20_round = |node: &mut Node, name: &str, path: &str, round: u64| {
        let code = artifact(path);
        let store_msg = wasm::MsgStoreCode { sender: addr(0), wasm_byte_code: code.clone(), instantiate_permission: None };
        let (resp, store_time) = node.block(vec![keys[0].sign_tx(vec![any(&store_msg)], &params(0, deploy_seq, 50_000_000))]);
        let code_id: u64 = attr(&resp, "store_code", "code_id").parse().unwrap();
        println!(
            "{name}: store code ({} KiB): {:.1} ms FinalizeBlock+Commit, gas used {}",
            code.len() / 1024,
            ms(store_time),
            resp.tx_results[0].gas_used
        );
        let balances: Vec<_> = (1..=n).map(|i| serde_json::json!({"address": addr(i), "amount": "1000000"})).collect();
        let init = serde_json::json!({"name": "Venice compute", "symbol": "VCU", "decimals": 6, "initial_balances": balances,
            "mint": null, "marketing": null});
        let inst = wasm::MsgInstantiateContract {
            sender: addr(0),
            admin: String::new(),
            code_id,
            label: name.into(),
            msg: init.to_string().into_bytes(),
            funds: vec![],
        };
        let (resp, inst_time) = node.block(vec![keys[0].sign_tx(vec![any(&inst)], &params(0, deploy_seq + 1, 500_000_000))]);
        deploy_seq += 2;
        let token = attr(&resp, "instantiate", "_contract_address");
        println!(
            "{name}: first instantiate ({n} initial balances): {:.1} ms FinalizeBlock+Commit, gas used {}",
            ms(inst_time),
            resp.tx_results[0].gas_used
        );
        let transfers: Vec<Vec<u8>> = (1..=n)
            .map(|i| {
                let msg = serde_json::json!({"transfer": {"recipient": addr(i % n + 1), "amount": "7"}});
                let exec =
                    wasm::MsgExecuteContract { sender: addr(i), contract: token.clone(), msg: msg.to_string().into_bytes(), funds: vec![] };
                keys[i].sign_tx(vec![any(&exec)], &params(i, round, 1_000_000))
            })
            .collect();
        let times = node.app.modules.wasm.call_times();
        let load = |c: &std::sync::atomic::AtomicU64| c.load(std::sync::atomic::Ordering::Relaxed);
        let before = [load(&times.calls), load(&times.instance_ns), load(&times.execute_ns), load(&times.storage_ns)];
        let (resp, time) = node.block(transfers);
        let times = node.app.modules.wasm.call_times();
        let d = |i: usize, c: &std::sync::atomic::AtomicU64| load(c) - before[i];
        let calls = d(0, &times.calls).max(1) as f64;
        let (inst, exec, io) = (d(1, &times.instance_ns) as f64, d(2, &times.execute_ns) as f64, d(3, &times.storage_ns) as f64);
        println!(
            "{name}: a warm transfer call: instance {:.1} us, execution {:.1} us (of which state I/O {:.1} us, wasm + host {:.1} us); \
             the rest of the block per tx (decode, ante, signature, events, commit) {:.1} us",
            inst / calls / 1e3,
            exec / calls / 1e3,
            io / calls / 1e3,
            (exec - io) / calls / 1e3,
            (time.as_nanos() as f64 - inst - exec) / calls / 1e3
        );
        (token, time, resp.tx_results[0].gas_used)
    };
    let (_, cw20_time, cw20_gas) = cw20_round(&mut node, "cw20-base 2.0.0", "thirdparty/cw20_base", 0);
    let (token, credit_time, credit_gas) = cw20_round(&mut node, "compute_credit", "compute_credit", 1);
    let sends: Vec<Vec<u8>> =
        (1..=n).map(|i| keys[i].sign_send(&keys[i % n + 1].address(), 7, CHAIN_ID, i as u64, 2, 5000, 200_000)).collect();
    let (resp, bank_time) = node.block(sends);
    let bank_gas = resp.tx_results[0].gas_used;
    let tps = |t: Duration| n as f64 / t.as_secs_f64();
    let bank_tps = tps(bank_time);
    for (name, t, gas) in [("cw20-base transfers", cw20_time, cw20_gas), ("compute_credit transfers", credit_time, credit_gas)] {
        println!(
            "block of {n} {name:<25} {:>8.1} ms -> {:>7.0} tx/s (gas {gas} per tx); {:.3} of bank's throughput",
            ms(t),
            tps(t),
            tps(t) / bank_tps
        );
    }
    println!("block of {n} {:<25} {:>8.1} ms -> {:>7.0} tx/s (gas {bank_gas} per tx)", "bank sends", ms(bank_time), bank_tps);

    // A warm call for reference, then a restart over the same store and
    // wasm directory (the compiled module is read back, not recompiled).
    let one = |node: &mut Node, i: usize, seq: u64| {
        let msg = serde_json::json!({"transfer": {"recipient": addr(i % n + 1), "amount": "1"}});
        let exec = wasm::MsgExecuteContract { sender: addr(i), contract: token.clone(), msg: msg.to_string().into_bytes(), funds: vec![] };
        node.block(vec![keys[i].sign_tx(vec![any(&exec)], &params(i, seq, 1_000_000))]).1
    };
    let warm = one(&mut node, 1, 3);
    let height = node.height;
    drop(node);
    let t = Instant::now();
    let app = App::new(Store::open(&db, StoreOptions::default()).unwrap(), vec![]);
    let open = t.elapsed();
    let mut node = Node { app, height };
    let first = one(&mut node, 2, 3);
    let stats = node.app.modules.wasm.cache_stats();
    println!(
        "restart: open store + app {:.1} ms; first contract call after it {:.1} ms (warm call before: {:.1} ms); cache {stats:?}",
        ms(open),
        ms(first),
        ms(warm)
    );
}
