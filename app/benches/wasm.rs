//! `make bench` (wasm part): at the ABCI level, in one run,
//! - storing compute_credit.wasm (FinalizeBlock + Commit of one MsgStoreCode)
//!   and its first instantiate;
//! - a block of N signed cw20 `transfer` executions vs a block of N signed
//!   bank sends (tx/s each, and the ratio);
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
    let code = artifact("compute_credit");
    let store_msg = wasm::MsgStoreCode { sender: addr(0), wasm_byte_code: code.clone(), instantiate_permission: None };
    let (resp, store_time) = node.block(vec![keys[0].sign_tx(vec![any(&store_msg)], &params(0, 0, 50_000_000))]);
    let code_id: u64 = attr(&resp, "store_code", "code_id").parse().unwrap();
    println!(
        "store code (compute_credit, {} KiB): {:.1} ms FinalizeBlock+Commit, gas used {}",
        code.len() / 1024,
        ms(store_time),
        resp.tx_results[0].gas_used
    );

    let balances: Vec<_> = (1..=n).map(|i| serde_json::json!({"address": addr(i), "amount": "1000000"})).collect();
    let init = serde_json::json!({"name": "Venice compute", "symbol": "VCU", "decimals": 6, "initial_balances": balances,
        "mint": null, "marketing": null, "admin": null});
    let inst = wasm::MsgInstantiateContract {
        sender: addr(0),
        admin: String::new(),
        code_id,
        label: "credits".into(),
        msg: init.to_string().into_bytes(),
        funds: vec![],
    };
    let (resp, inst_time) = node.block(vec![keys[0].sign_tx(vec![any(&inst)], &params(0, 1, 500_000_000))]);
    let token = attr(&resp, "instantiate", "_contract_address");
    println!(
        "first instantiate ({n} initial balances): {:.1} ms FinalizeBlock+Commit, gas used {}",
        ms(inst_time),
        resp.tx_results[0].gas_used
    );

    // Signing is not measured: both blocks are signed up front.
    let transfers: Vec<Vec<u8>> = (1..=n)
        .map(|i| {
            let msg = serde_json::json!({"transfer": {"recipient": addr(i % n + 1), "amount": "7"}});
            let exec =
                wasm::MsgExecuteContract { sender: addr(i), contract: token.clone(), msg: msg.to_string().into_bytes(), funds: vec![] };
            keys[i].sign_tx(vec![any(&exec)], &params(i, 0, 1_000_000))
        })
        .collect();
    let sends: Vec<Vec<u8>> =
        (1..=n).map(|i| keys[i].sign_send(&keys[i % n + 1].address(), 7, CHAIN_ID, i as u64, 1, 5000, 200_000)).collect();
    let (resp, cw20_time) = node.block(transfers);
    let cw20_gas = resp.tx_results[0].gas_used;
    let (resp, bank_time) = node.block(sends);
    let bank_gas = resp.tx_results[0].gas_used;
    let (cw20_tps, bank_tps) = (n as f64 / cw20_time.as_secs_f64(), n as f64 / bank_time.as_secs_f64());
    println!("block of {n} cw20 transfers: {:>8.1} ms -> {:>7.0} tx/s (gas {} per tx)", ms(cw20_time), cw20_tps, cw20_gas);
    println!("block of {n} bank sends:     {:>8.1} ms -> {:>7.0} tx/s (gas {} per tx)", ms(bank_time), bank_tps, bank_gas);
    println!("    cw20 / bank throughput: {:.3} (bank is {:.1}x faster)", cw20_tps / bank_tps, bank_tps / cw20_tps);

    // A warm call for reference, then a restart over the same store and
    // wasm directory (the compiled module is read back, not recompiled).
    let one = |node: &mut Node, i: usize, seq: u64| {
        let msg = serde_json::json!({"transfer": {"recipient": addr(i % n + 1), "amount": "1"}});
        let exec = wasm::MsgExecuteContract { sender: addr(i), contract: token.clone(), msg: msg.to_string().into_bytes(), funds: vec![] };
        node.block(vec![keys[i].sign_tx(vec![any(&exec)], &params(i, seq, 1_000_000))]).1
    };
    let warm = one(&mut node, 1, 2);
    let height = node.height;
    drop(node);
    let t = Instant::now();
    let app = App::new(Store::open(&db, StoreOptions::default()).unwrap(), vec![]);
    let open = t.elapsed();
    let mut node = Node { app, height };
    let first = one(&mut node, 2, 2);
    let stats = node.app.modules.wasm.cache_stats();
    println!(
        "restart: open store + app {:.1} ms; first contract call after it {:.1} ms (warm call before: {:.1} ms); cache {stats:?}",
        ms(open),
        ms(first),
        ms(warm)
    );
}
