//! The module framework, proven with test-only modules registered beside
//! the real ones: hook orders, end-block validator updates reaching
//! FinalizeBlock, genesis sections round-tripping through export, unknown
//! sections refused, panics failing only their tx (or query, or hook),
//! store prefixes enforced, typed responses and message dispatch.

mod common;

use std::sync::{Arc, Mutex};

use common::{CHAIN_ID, FUNDS};
use cosmos_sdk_proto::Any;
use cosmos_sdk_proto::cosmos::bank::v1beta1 as bankpb;
use cosmos_sdk_proto::cosmos::base::abci::v1beta1::TxMsgData;
use prost::Message;
use serde_json::{Value, json};
use tendermint_proto::v0_38::abci as pb;
use venice_bank::Bank;
use venice_sdk::module::{EndBlockUpdates, ValidatorUpdate, crypto};
use venice_sdk::testing::{TestKey, TxParams};
use venice_sdk::{Address, Ctx, Error, Module, ModuleManager, MsgRouter, Phase, Result};
use venice_store::Store;
use veniced::genesis::AppGenesis;
use veniced::{App, Modules};

const MSG_PANIC: &str = "/venice.probe.v1.MsgPanic";
const MSG_WRITE_THEN_PANIC: &str = "/venice.probe.v1.MsgWriteThenPanic";
const MSG_TRESPASS: &str = "/venice.probe.v1.MsgTrespass";
const MSG_DISPATCH: &str = "/venice.probe.v1.MsgDispatch";
const MSG_NOTE: &str = "/venice.probe.v1.MsgNote";

/// A test module. Messages carry their signer's bech32 address as bytes.
struct Probe {
    name: &'static str,
    prefix: &'static [u8],
    log: Arc<Mutex<Vec<String>>>,
    /// Heights at which end_block returns a validator update.
    update_at: Vec<u64>,
    panic_in_begin_at: Option<u64>,
}

fn new_val_key() -> Vec<u8> {
    vec![7u8; 32]
}

impl Probe {
    fn key(&self, k: &str) -> Vec<u8> {
        [self.prefix, k.as_bytes()].concat()
    }
    fn account(&self) -> Address {
        Address::module(self.name)
    }
}

impl Module for Probe {
    fn name(&self) -> &'static str {
        self.name
    }
    fn store_prefix(&self) -> &'static [u8] {
        self.prefix
    }
    fn default_genesis(&self) -> Value {
        json!({"counter": 0})
    }
    fn init_genesis(&self, ctx: &mut Ctx, section: &Value) -> Result<Vec<ValidatorUpdate>> {
        let obj = section.as_object().ok_or_else(|| Error::Genesis(format!("{}: expected an object", self.name)))?;
        if let Some(k) = obj.keys().find(|k| *k != "counter") {
            return Err(Error::Genesis(format!("app_state.{}: unknown field `{k}`", self.name)));
        }
        let n = obj
            .get("counter")
            .and_then(Value::as_u64)
            .ok_or_else(|| Error::Genesis(format!("{}.counter: expected a number", self.name)))?;
        ctx.set(self.key("counter"), n.to_be_bytes().to_vec())?;
        self.log.lock().unwrap().push(format!("init:{}", self.name));
        Ok(vec![])
    }
    fn export_genesis(&self, ctx: &mut Ctx) -> Result<Value> {
        let n = ctx.get(&self.key("counter"))?.map_or(0, |b| u64::from_be_bytes(b.try_into().unwrap()));
        Ok(json!({"counter": n}))
    }

    fn msg_type_urls(&self) -> &'static [&'static str] {
        if self.name == "probe_a" { &[MSG_PANIC, MSG_WRITE_THEN_PANIC, MSG_TRESPASS, MSG_DISPATCH, MSG_NOTE] } else { &[] }
    }
    fn msg_signers(&self, msg: &Any) -> Result<Vec<Address>> {
        Ok(vec![Address::parse(std::str::from_utf8(&msg.value).map_err(|e| Error::TxDecode(e.to_string()))?)?])
    }
    fn handle_msg(&self, ctx: &mut Ctx, router: &dyn MsgRouter, msg: &Any) -> Result<Any> {
        match msg.type_url.as_str() {
            MSG_PANIC => panic!("probe handler panics"),
            MSG_WRITE_THEN_PANIC => {
                ctx.set(self.key("half-done"), b"1".to_vec())?;
                let v: Vec<u8> = vec![];
                let _ = v[3]; // an index out of bounds, as a real bug would
                unreachable!()
            }
            MSG_TRESPASS => {
                // Reads bank's keys directly instead of asking its keeper.
                ctx.get(b"bank/params")?;
                Ok(Any::default())
            }
            MSG_DISPATCH => {
                // Pays the signer out of this module's own account through bank's MsgSend.
                let to = Address::parse(std::str::from_utf8(&msg.value).unwrap())?;
                let send = bankpb::MsgSend {
                    from_address: self.account().to_bech32(),
                    to_address: to.to_bech32(),
                    amount: vec![cosmos_sdk_proto::cosmos::base::v1beta1::Coin { denom: "uvvv".into(), amount: "77".into() }],
                };
                let send = Any { type_url: "/cosmos.bank.v1beta1.MsgSend".into(), value: send.encode_to_vec() };
                ctx.set(self.key("dispatched"), b"1".to_vec())?;
                let response = router.dispatch(ctx, &send, &self.account())?;
                // The signer check: the tx's own signer is not this authority.
                let forged = router.dispatch(ctx, &send, &to).unwrap_err();
                assert!(matches!(forged, Error::Unauthorized(_)), "{forged}");
                Ok(Any { type_url: "/venice.probe.v1.MsgDispatchResponse".into(), value: response.type_url.into_bytes() })
            }
            MSG_NOTE => {
                ctx.set(self.key("note"), b"1".to_vec())?;
                Ok(Any { type_url: "/venice.probe.v1.MsgNoteResponse".into(), value: vec![] })
            }
            other => Err(Error::UnknownMessage(other.into())),
        }
    }
    fn query_services(&self) -> &'static [&'static str] {
        if self.name == "probe_a" { &["venice.probe.v1.Query"] } else { &[] }
    }
    fn query(&self, ctx: &mut Ctx, _service: &str, method: &str, _request: &[u8]) -> Result<Vec<u8>> {
        match method {
            "Panic" => panic!("probe query panics"),
            "Counter" => Ok(ctx.get(&self.key("counter"))?.unwrap_or_default()),
            _ => Err(Error::UnknownQuery(method.into())),
        }
    }

    fn begin_block(&self, ctx: &mut Ctx) -> Result<()> {
        self.log.lock().unwrap().push(format!("begin:{}", self.name));
        ctx.set(self.key("begin"), ctx.info.height.to_be_bytes().to_vec())?;
        if self.panic_in_begin_at == Some(ctx.info.height) {
            panic!("probe begin_block panics");
        }
        Ok(())
    }
    fn end_block(&self, ctx: &mut Ctx) -> Result<EndBlockUpdates> {
        self.log.lock().unwrap().push(format!("end:{}", self.name));
        ctx.set(self.key("end"), ctx.info.height.to_be_bytes().to_vec())?;
        let mut u = EndBlockUpdates::default();
        if self.update_at.contains(&ctx.info.height) {
            u.validators.push(ValidatorUpdate {
                pub_key: Some(crypto::PublicKey { sum: Some(crypto::public_key::Sum::Ed25519(new_val_key())) }),
                power: 5,
            });
        }
        Ok(u)
    }
}

struct Harness {
    _dir: tempfile::TempDir,
    app: App,
    log: Arc<Mutex<Vec<String>>>,
    keys: Vec<TestKey>,
    height: u64,
}

/// The standard modules plus probe_a and probe_b, with probe_b before
/// probe_a in begin-block order and after it in end-block order.
fn modules(log: &Arc<Mutex<Vec<String>>>) -> Modules {
    let auth = Arc::new(venice_auth::Auth);
    let bank = Arc::new(Bank::new(Arc::new(veniced::modules::AuthAccounts(auth.clone()))));
    let a = Probe { name: "probe_a", prefix: b"probe_a/", log: log.clone(), update_at: vec![2, 3], panic_in_begin_at: Some(4) };
    let b = Probe { name: "probe_b", prefix: b"probe_b/", log: log.clone(), update_at: vec![3], panic_in_begin_at: None };
    let staking = Arc::new(venice_staking::Staking::new(Arc::new(veniced::modules::BankForStaking(bank.clone()))));
    let genutil = Arc::new(veniced::genutil::Genutil);
    let wasm = venice_wasm::Wasm::new(
        venice_wasm::WasmConfig::default(),
        Arc::new(veniced::modules::WasmBank(bank.clone())),
        Arc::new(veniced::modules::AuthAccounts(auth.clone())),
    );
    let distribution = Arc::new(venice_distribution::Distribution::new(
        Arc::new(veniced::modules::StakingForDistribution),
        Arc::new(veniced::modules::BankForDistribution(bank.clone())),
    ));
    let mint = Arc::new(venice_mint::Mint::new(
        Arc::new(veniced::modules::StakingForMint(bank.clone())),
        Arc::new(veniced::modules::BankForMint(bank.clone())),
    ));
    let list: Vec<Arc<dyn Module>> =
        vec![auth, bank.clone(), staking.clone(), distribution.clone(), mint, Arc::new(wasm.clone()), genutil, Arc::new(a), Arc::new(b)];
    let manager = ModuleManager::new(list)
        .unwrap()
        .set_order(Phase::InitGenesis, &["auth", "bank", "staking", "distribution", "mint", "wasm", "genutil", "probe_b", "probe_a"])
        .unwrap()
        .set_order(Phase::BeginBlock, &["probe_b", "mint", "distribution", "auth", "bank", "staking", "wasm", "genutil", "probe_a"])
        .unwrap()
        .set_order(Phase::EndBlock, &["probe_a", "staking", "auth", "bank", "distribution", "mint", "wasm", "genutil", "probe_b"])
        .unwrap();
    Modules {
        manager,
        bank,
        staking,
        wasm,
        distribution,
        upgrade: Arc::new(venice_upgrade::Upgrade::new(Default::default())),
        fee_policy: None,
        inference: None,
    }
}

fn genesis_doc(keys: &[TestKey], edit: impl FnOnce(&mut Value)) -> Value {
    let mut g = common::genesis(keys);
    // The probe module's account holds coins it pays out by dispatch.
    let mut app = AppGenesis::from_value(g["app_state"].take()).unwrap();
    app.add_account(&Address::module("probe_a"), &venice_sdk::Coins::parse("1000uvvv").unwrap()).unwrap();
    g["app_state"] = serde_json::to_value(&app).unwrap();
    // This harness runs a subset of the chain's modules: only their sections.
    const HARNESS: [&str; 5] = ["auth", "bank", "staking", "wasm", "genutil"];
    g["app_state"].as_object_mut().unwrap().retain(|k, _| HARNESS.contains(&k.as_str()));
    g["app_state"]["probe_a"] = json!({"counter": 41});
    edit(&mut g);
    g
}

impl Harness {
    fn new() -> Harness {
        Self::with_genesis(|_| {}).unwrap()
    }

    fn with_genesis(edit: impl FnOnce(&mut Value)) -> std::result::Result<Harness, Error> {
        let log = Arc::new(Mutex::new(Vec::new()));
        let keys: Vec<TestKey> = (0..3).map(TestKey::from_seed).collect();
        let dir = tempfile::tempdir().unwrap();
        let app = App::with_modules(Store::open(&dir.path().join("db"), Default::default()).unwrap(), vec![], modules(&log));
        app.init_chain(veniced::genesis::init_chain_request(&genesis_doc(&keys, edit)).unwrap())?;
        Ok(Harness { _dir: dir, app, log, keys, height: 0 })
    }

    fn block(&mut self, txs: Vec<Vec<u8>>) -> pb::ResponseFinalizeBlock {
        self.height += 1;
        self.log.lock().unwrap().clear();
        common::run_block(&self.app, self.height, txs)
    }

    fn probe_tx(&self, from: usize, seq: u64, type_url: &str, value: &str) -> Vec<u8> {
        let msg = Any { type_url: type_url.into(), value: value.as_bytes().to_vec() };
        self.keys[from]
            .sign_tx(vec![msg], &TxParams { chain_id: CHAIN_ID.into(), account_number: from as u64, sequence: seq, ..Default::default() })
    }

    fn signed(&self, from: usize, seq: u64, type_url: &str) -> Vec<u8> {
        self.probe_tx(from, seq, type_url, &self.keys[from].address().to_bech32())
    }

    fn raw(&self, key: &[u8]) -> Option<Vec<u8>> {
        self.app.store.get(key).unwrap()
    }

    fn balance(&self, addr: &Address) -> u128 {
        let req = bankpb::QueryBalanceRequest { address: addr.to_bech32(), denom: "uvvv".into() };
        let r = self.app.query(pb::RequestQuery {
            path: "/cosmos.bank.v1beta1.Query/Balance".into(),
            data: req.encode_to_vec().into(),
            height: 0,
            prove: false,
        });
        assert_eq!(r.code, 0, "{}", r.log);
        bankpb::QueryBalanceResponse::decode(r.value.as_ref()).unwrap().balance.unwrap().amount.parse().unwrap()
    }
}

#[test]
fn hooks_run_in_the_declared_orders() {
    let mut h = Harness::new();
    h.block(vec![]);
    let log = h.log.lock().unwrap().clone();
    assert_eq!(log, vec!["begin:probe_b", "begin:probe_a", "end:probe_a", "end:probe_b"]);
    assert_eq!(h.raw(b"probe_a/begin"), Some(1u64.to_be_bytes().to_vec()));
    assert_eq!(h.raw(b"probe_b/end"), Some(1u64.to_be_bytes().to_vec()));
    let m = &h.app.modules.manager;
    assert_eq!(
        m.names(Phase::InitGenesis),
        vec!["auth", "bank", "staking", "distribution", "mint", "wasm", "genutil", "probe_b", "probe_a"]
    );
}

#[test]
fn init_genesis_runs_in_its_order() {
    let h = Harness::new();
    let log = h.log.lock().unwrap().clone();
    assert_eq!(log, vec!["init:probe_b", "init:probe_a"]);
}

#[test]
fn an_end_block_validator_update_reaches_finalize_block_with_one_owner() {
    let mut h = Harness::new();
    assert!(h.block(vec![]).validator_updates.is_empty());
    let at2 = h.block(vec![]);
    assert_eq!(at2.validator_updates.len(), 1);
    assert_eq!(at2.validator_updates[0].power, 5);
    // At 3 both probes set validators: probe_a (first in end-block order)
    // owns them; probe_b's hook is rolled back whole.
    let at3 = h.block(vec![]);
    assert_eq!(at3.validator_updates.len(), 1);
    assert_eq!(h.raw(b"probe_a/end"), Some(3u64.to_be_bytes().to_vec()));
    assert_eq!(h.raw(b"probe_b/end"), Some(2u64.to_be_bytes().to_vec()), "probe_b's end-block writes at 3 were rolled back");
}

#[test]
fn a_panicking_begin_block_hook_is_rolled_back_and_the_block_goes_on() {
    let mut h = Harness::new();
    for _ in 0..3 {
        h.block(vec![]);
    }
    let tx = h.keys[0].sign_send(&h.keys[1].address(), 5, CHAIN_ID, 0, 0, 5000, 200_000);
    let r = h.block(vec![tx]);
    assert_eq!(r.tx_results[0].code, 0, "{}", r.tx_results[0].log);
    assert_eq!(h.raw(b"probe_a/begin"), Some(3u64.to_be_bytes().to_vec()), "the panicking hook's write at 4 is gone");
    assert_eq!(h.raw(b"probe_b/begin"), Some(4u64.to_be_bytes().to_vec()));
}

#[test]
fn genesis_sections_round_trip_through_export_and_unknown_ones_are_refused() {
    let mut h = Harness::new();
    h.block(vec![]);
    let mut scratch = venice_store::ChangeSet::new();
    let mut ctx = Ctx::at_height(&h.app.store, 1, &mut scratch, Default::default());
    let exported = h.app.modules.manager.export_genesis(&mut ctx).unwrap();
    assert_eq!(exported["probe_a"], json!({"counter": 41}));
    assert_eq!(exported["probe_b"], json!({"counter": 0}));
    assert!(exported.contains_key("auth") && exported.contains_key("bank") && exported.contains_key("staking"));

    let err = Harness::with_genesis(|g| g["app_state"]["nope"] = json!({})).err().unwrap();
    assert!(err.to_string().contains("unknown field `nope`"), "{err}");
    let err = Harness::with_genesis(|g| g["app_state"]["probe_a"] = json!({"counter": 1, "extra": 2})).err().unwrap();
    assert!(err.to_string().contains("app_state.probe_a: unknown field `extra`"), "{err}");
}

#[test]
fn a_panicking_handler_fails_its_tx_only_and_two_nodes_agree() {
    let run = || {
        let mut h = Harness::new();
        let txs = vec![
            h.keys[0].sign_send(&h.keys[1].address(), 10, CHAIN_ID, 0, 0, 5000, 200_000),
            h.signed(2, 0, MSG_PANIC),
            h.signed(1, 0, MSG_WRITE_THEN_PANIC),
            h.keys[1].sign_send(&h.keys[0].address(), 3, CHAIN_ID, 1, 1, 5000, 200_000),
        ];
        let r = h.block(txs);
        (h, r)
    };
    let (h, r) = run();
    let codes: Vec<(String, u32)> = r.tx_results.iter().map(|t| (t.codespace.clone(), t.code)).collect();
    assert_eq!(codes, vec![("".into(), 0), ("sdk".into(), 111222), ("sdk".into(), 111222), ("".into(), 0)], "{:?}", r.tx_results);
    assert!(r.tx_results[1].log.contains("probe handler panics"), "{}", r.tx_results[1].log);
    assert_eq!(h.raw(b"probe_a/half-done"), None, "the panicking handler's write is rolled back");
    // The fee and the sequence of the panicking txs are still taken.
    assert_eq!(h.balance(&h.keys[2].address()), FUNDS - 5000);
    assert_eq!(h.balance(&h.keys[0].address()), FUNDS - 10 - 5000 + 3);
    assert_eq!(h.balance(&h.keys[1].address()), FUNDS + 10 - 5000 - 5000 - 3);
    let (_, again) = run();
    assert_eq!(r.app_hash, again.app_hash, "two nodes running the same block agree");
    assert_eq!(r.tx_results, again.tx_results);
}

#[test]
fn a_module_reading_another_modules_prefix_is_refused() {
    let mut h = Harness::new();
    let r = h.block(vec![h.signed(0, 0, MSG_TRESPASS)]);
    let t = &r.tx_results[0];
    assert_eq!((t.codespace.as_str(), t.code), ("undefined", 1), "{}", t.log);
    assert!(t.log.contains("bank/params") && t.log.contains("probe_a/"), "{}", t.log);
}

#[test]
fn messages_return_typed_responses_and_dispatch_others_with_rollback() {
    let mut h = Harness::new();
    let to = h.keys[1].address();
    let send = h.keys[0].sign_send(&to, 10, CHAIN_ID, 0, 0, 5000, 200_000);
    let dispatch = h.signed(1, 0, MSG_DISPATCH);
    let note = h.signed(2, 0, MSG_NOTE);
    let r = h.block(vec![send, dispatch, note]);
    for t in &r.tx_results {
        assert_eq!(t.code, 0, "{}", t.log);
    }
    let data = |i: usize| TxMsgData::decode(r.tx_results[i].data.as_ref()).unwrap().msg_responses;
    assert_eq!(data(0)[0].type_url, "/cosmos.bank.v1beta1.MsgSendResponse");
    let d = data(1);
    assert_eq!(d[0].type_url, "/venice.probe.v1.MsgDispatchResponse");
    assert_eq!(d[0].value, b"/cosmos.bank.v1beta1.MsgSendResponse", "the dispatched message's own typed response");
    assert_eq!(data(2)[0].type_url, "/venice.probe.v1.MsgNoteResponse");
    assert_eq!(h.balance(&Address::module("probe_a")), 1000 - 77);
    assert_eq!(h.balance(&to), FUNDS + 10 + 77 - 5000);
    // The dispatched send's events are the tx's.
    let recipients = common::event_attr(&r.tx_results[1].events, "transfer", "recipient");
    assert!(recipients.contains(&to.to_bech32()), "{recipients:?}");
}

#[test]
fn a_failed_dispatch_rolls_back_with_its_caller() {
    // The probe account holds 1000; a second dispatch of 77 each time keeps
    // working until the funds run out, and a failing one leaves no trace.
    let mut h = Harness::with_genesis(|g| {
        let balances = g["app_state"]["bank"]["balances"].as_array_mut().unwrap();
        let probe = Address::module("probe_a").to_bech32();
        let b = balances.iter_mut().find(|b| b["address"] == json!(probe)).unwrap();
        b["coins"] = json!([{"denom": "uvvv", "amount": "50"}]);
    })
    .unwrap();
    let r = h.block(vec![h.signed(1, 0, MSG_DISPATCH)]);
    assert_eq!(r.tx_results[0].code, 5, "{}", r.tx_results[0].log);
    assert_eq!(h.raw(b"probe_a/dispatched"), None, "the caller's write is rolled back with the failed dispatch");
    assert_eq!(h.balance(&Address::module("probe_a")), 50);
}

#[test]
fn a_panicking_query_is_an_error_and_the_node_answers_the_next() {
    let mut h = Harness::new();
    h.block(vec![]);
    let q = |path: &str| h.app.query(pb::RequestQuery { path: path.into(), data: Default::default(), height: 0, prove: false });
    let r = q("/venice.probe.v1.Query/Panic");
    assert_eq!((r.codespace.as_str(), r.code), ("sdk", 111222), "{}", r.log);
    let r = q("/venice.probe.v1.Query/Counter");
    assert_eq!(r.code, 0, "{}", r.log);
    assert_eq!(r.value.as_ref(), 41u64.to_be_bytes());
}

#[test]
fn wiring_mistakes_are_found_when_the_app_is_built() {
    let log = Arc::new(Mutex::new(Vec::new()));
    let p = |name: &'static str, prefix: &'static [u8]| -> Arc<dyn Module> {
        Arc::new(Probe { name, prefix, log: log.clone(), update_at: vec![], panic_in_begin_at: None })
    };
    assert!(ModuleManager::new(vec![p("x", b"x/"), p("x", b"y/")]).is_err());
    assert!(ModuleManager::new(vec![p("x", b"x/"), p("y", b"x/y/")]).is_err(), "overlapping prefixes");
    assert!(
        ModuleManager::new(vec![p("probe_a", b"a/"), p("y", b"y/")]).unwrap().set_order(Phase::BeginBlock, &["y"]).is_err(),
        "a module missing from an order"
    );
    assert!(Modules::with_extra(vec![p("bank", b"bank2/")]).is_err(), "a second bank");
}

#[test]
fn injected_and_vote_extension_defaults_are_inert() {
    let h = Harness::new();
    let m = &h.app.modules.manager;
    assert_eq!(m.max_vote_extension_bytes(), 0);
    let verify = |ext: &[u8]| {
        h.app
            .verify_vote_extension(pb::RequestVerifyVoteExtension { vote_extension: ext.to_vec().into(), height: 1, ..Default::default() })
            .status
    };
    use pb::response_verify_vote_extension::VerifyStatus;
    assert_eq!(verify(&[]), VerifyStatus::Accept as i32);
    assert_eq!(verify(&[1, 2, 3]), VerifyStatus::Reject as i32, "no module extends votes, so any bytes are refused");
    let ext = h.app.extend_vote(pb::RequestExtendVote { height: 1, ..Default::default() });
    assert!(ext.vote_extension.is_empty());
}
