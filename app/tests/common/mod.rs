//! Shared test fixture: a real `App` over a real sled store, a genesis that
//! funds deterministic test keys, and helpers to run blocks.
#![allow(dead_code)]

use cosmos_sdk_proto::cosmos::bank::v1beta1 as bankpb;
use prost::Message;
use tendermint_proto::v0_38::abci as pb;
use venice_sdk::testing::{TestKey, TxParams};
use venice_store::{Store, StoreOptions};
use veniced::App;
use veniced::genesis::AppGenesis;

pub const CHAIN_ID: &str = "venice-test";
pub const FUNDS: u128 = 1_000_000_000;

/// The sequence each test key signs its next tx with (genesis account
/// numbers follow the key order).
pub struct Sequences(pub Vec<u64>);

impl std::ops::Index<usize> for Sequences {
    type Output = u64;
    fn index(&self, i: usize) -> &u64 {
        &self.0[i]
    }
}

impl std::ops::IndexMut<usize> for Sequences {
    fn index_mut(&mut self, i: usize) -> &mut u64 {
        &mut self.0[i]
    }
}

impl Sequences {
    pub fn new(keys: usize) -> Self {
        Sequences(vec![0; keys])
    }

    /// The params of key `from`'s next tx with `gas`; its sequence advances
    /// (the ante handler keeps it even when a message fails).
    pub fn next(&mut self, from: usize, gas: u64) -> TxParams {
        let p = TxParams { chain_id: CHAIN_ID.into(), account_number: from as u64, sequence: self.0[from], gas, ..Default::default() };
        self.0[from] += 1;
        p
    }
}

pub struct Fixture {
    pub dir: tempfile::TempDir,
    pub app: App,
    pub keys: Vec<TestKey>,
    pub height: u64,
}

pub fn genesis(keys: &[TestKey]) -> serde_json::Value {
    let mut g = AppGenesis::new_default();
    for k in keys {
        g.add_account(&k.address(), &venice_sdk::Coins::parse(&format!("{FUNDS}uvvv")).unwrap()).unwrap();
    }
    // These tests count exact supplies and balances: no emissions (the
    // distribution and mint tests turn them on).
    g.update::<venice_mint::genesis::GenesisState>("mint", |m| {
        m.minter.inflation = venice_types::Dec::ZERO;
        m.params.inflation_min = venice_types::Dec::ZERO;
        m.params.inflation_max = venice_types::Dec::ZERO;
    })
    .unwrap();
    serde_json::json!({
        "chain_id": CHAIN_ID,
        "consensus_params": {"block": {"max_gas": "10000000"}},
        "app_state": serde_json::to_value(&g).unwrap(),
    })
}

impl Fixture {
    pub fn new(n_keys: u64) -> Self {
        Self::with_options(n_keys, StoreOptions::default(), vec![])
    }

    pub fn with_options(n_keys: u64, opts: StoreOptions, min_gas: Vec<venice_sdk::DecCoin>) -> Self {
        let keys: Vec<TestKey> = (0..n_keys).map(TestKey::from_seed).collect();
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("db"), opts).unwrap();
        let app = App::new(store, min_gas);
        let req = veniced::genesis::init_chain_request(&genesis(&keys)).unwrap();
        app.init_chain(req).unwrap();
        Fixture { dir, app, keys, height: 0 }
    }

    /// Run one block with `txs` and commit it; returns the results and app hash.
    pub fn block(&mut self, txs: Vec<Vec<u8>>) -> (Vec<pb::ExecTxResult>, Vec<u8>) {
        self.height += 1;
        let resp = run_block(&self.app, self.height, txs);
        (resp.tx_results, resp.app_hash.to_vec())
    }

    pub fn send(&self, from: usize, to: usize, amount: u128, seq: u64) -> Vec<u8> {
        let k = &self.keys[from];
        k.sign_send(&self.keys[to].address(), amount, CHAIN_ID, from as u64, seq, 5000, 200_000)
    }

    pub fn params(&self, from: usize, seq: u64) -> TxParams {
        TxParams { chain_id: CHAIN_ID.into(), account_number: from as u64, sequence: seq, ..Default::default() }
    }

    pub fn query(&self, path: &str, data: Vec<u8>) -> pb::ResponseQuery {
        self.app.query(pb::RequestQuery { path: path.into(), data: data.into(), height: 0, prove: false })
    }

    pub fn balance(&self, who: usize) -> u128 {
        let req = bankpb::QueryBalanceRequest { address: self.keys[who].address().to_bech32(), denom: "uvvv".into() };
        let resp = self.query("/cosmos.bank.v1beta1.Query/Balance", req.encode_to_vec());
        assert_eq!(resp.code, 0, "{}", resp.log);
        let b = bankpb::QueryBalanceResponse::decode(resp.value.as_ref()).unwrap();
        b.balance.unwrap().amount.parse().unwrap()
    }

    pub fn check(&self, tx: Vec<u8>) -> pb::ResponseCheckTx {
        self.app.check_tx(pb::RequestCheckTx { tx: tx.into(), r#type: 0 })
    }
}

/// FinalizeBlock at `height` (block time derived from it) and Commit.
pub fn run_block(app: &App, height: u64, txs: Vec<Vec<u8>>) -> pb::ResponseFinalizeBlock {
    let req = pb::RequestFinalizeBlock {
        txs: txs.into_iter().map(Into::into).collect(),
        height: height as i64,
        time: Some(tendermint_proto::google::protobuf::Timestamp { seconds: 1_700_000_000 + height as i64, nanos: 0 }),
        ..Default::default()
    };
    let resp = app.finalize_block(req).unwrap();
    app.commit().unwrap();
    resp
}

/// Every module's invariants (the crisis routes) over the last committed
/// state; panics naming each broken one.
pub fn assert_invariants(app: &App) {
    let (height, list) = veniced::invariants::check_store(&app.store, &app.modules, None).unwrap();
    assert!(!list.is_empty(), "no invariants registered");
    let broken: Vec<String> = list.iter().filter_map(|i| i.broken.as_ref().map(|b| format!("{}: {b}", i.route))).collect();
    assert!(broken.is_empty(), "invariants broken after height {height}:\n{}", broken.join("\n"));
}

/// `run_block`, then every invariant must hold (the SDK's crisis check
/// after each block, for tests).
pub fn run_block_checked(app: &App, height: u64, txs: Vec<Vec<u8>>) -> pb::ResponseFinalizeBlock {
    let resp = run_block(app, height, txs);
    assert_invariants(app);
    resp
}

pub fn event_attr(events: &[tendermint_proto::v0_38::abci::Event], kind: &str, key: &str) -> Vec<String> {
    events.iter().filter(|e| e.r#type == kind).flat_map(|e| e.attributes.iter().filter(|a| a.key == key).map(|a| a.value.clone())).collect()
}

/// A test key's uvvv balance, by query.
pub fn balance_of(app: &App, k: &TestKey) -> u128 {
    let req = bankpb::QueryBalanceRequest { address: k.address().to_bech32(), denom: "uvvv".into() };
    let resp = app.query(pb::RequestQuery {
        path: "/cosmos.bank.v1beta1.Query/Balance".into(),
        data: req.encode_to_vec().into(),
        height: 0,
        prove: false,
    });
    assert_eq!(resp.code, 0, "{}", resp.log);
    bankpb::QueryBalanceResponse::decode(resp.value.as_ref()).unwrap().balance.unwrap().amount.parse().unwrap()
}
