//! The fees module through the real App: the ante handler applies the
//! chain's fee rules in CheckTx and FinalizeBlock (listed denoms, minimum
//! gas price, base fees), simulation still estimates, and the next block's
//! begin block splits the collected fees by the governed ratios.

mod common;

use common::*;
use prost::Message;
use tendermint_proto::v0_38::abci as pb;
use venice_sdk::Coin;
use venice_sdk::testing::TestKey;
use venice_store::{Store, StoreOptions};
use veniced::App;
use veniced::genesis::AppGenesis;

const SEND: &str = "/cosmos.bank.v1beta1.MsgSend";

/// Two keys holding uvvv and ustable; uvvv at 0.01 per gas, ustable free;
/// MsgSend's base fee 100ustable; tx fees split 0.6 stakers / 0.2
/// community / 0.1 ecosystem / 0.1 burn.
fn app() -> (tempfile::TempDir, App, Vec<TestKey>) {
    let keys: Vec<TestKey> = (0..2).map(TestKey::from_seed).collect();
    let mut g = AppGenesis::new_default();
    for k in &keys {
        g.add_account(&k.address(), &venice_sdk::Coins::parse(&format!("{FUNDS}uvvv,{FUNDS}ustable")).unwrap()).unwrap();
    }
    g.update::<venice_mint::genesis::GenesisState>("mint", |m| {
        m.minter.inflation = venice_types::Dec::ZERO;
        m.params.inflation_min = venice_types::Dec::ZERO;
        m.params.inflation_max = venice_types::Dec::ZERO;
    })
    .unwrap();
    let mut app_state = serde_json::to_value(&g).unwrap();
    app_state["fees"] = serde_json::json!({"params": {
        "tx_fee_split": {"stakers": "0.6", "community_pool": "0.2", "ecosystem": "0.1", "burn": "0.1"},
        "inference_fee_split": {"stakers": "1"},
        "min_gas_prices": [{"denom": "ustable", "amount": "0"}, {"denom": "uvvv", "amount": "0.01"}],
        "base_fees": [{"msg_type_url": SEND, "amount": [{"denom": "ustable", "amount": "100"}]}]
    }});
    let genesis = serde_json::json!({
        "chain_id": CHAIN_ID,
        "consensus_params": {"block": {"max_gas": "10000000"}},
        "app_state": app_state,
    });
    let dir = tempfile::tempdir().unwrap();
    let app = App::new(Store::open(&dir.path().join("db"), StoreOptions::default()).unwrap(), vec![]);
    app.init_chain(veniced::genesis::init_chain_request(&genesis).unwrap()).unwrap();
    (dir, app, keys)
}

fn send(keys: &[TestKey], seq: u64, fee: &str) -> Vec<u8> {
    let p = venice_sdk::testing::TxParams { chain_id: CHAIN_ID.into(), account_number: 0, sequence: seq, ..Default::default() };
    let fee: Vec<Coin> = venice_sdk::Coins::parse(fee).unwrap().into_vec();
    keys[0].sign_tx_with_fee(vec![keys[0].send_msg(&keys[1].address(), 5)], &p, fee)
}

fn query_balance(app: &App, addr: &str, denom: &str) -> u128 {
    use cosmos_sdk_proto::cosmos::bank::v1beta1 as bank;
    let req = bank::QueryBalanceRequest { address: addr.into(), denom: denom.into() };
    let r = app.query(pb::RequestQuery {
        path: "/cosmos.bank.v1beta1.Query/Balance".into(),
        data: req.encode_to_vec().into(),
        ..Default::default()
    });
    assert_eq!(r.code, 0, "{}", r.log);
    bank::QueryBalanceResponse::decode(r.value.as_ref()).unwrap().balance.unwrap().amount.parse().unwrap()
}

fn supply(app: &App, denom: &str) -> u128 {
    use cosmos_sdk_proto::cosmos::bank::v1beta1 as bank;
    let req = bank::QuerySupplyOfRequest { denom: denom.into() };
    let r = app.query(pb::RequestQuery {
        path: "/cosmos.bank.v1beta1.Query/SupplyOf".into(),
        data: req.encode_to_vec().into(),
        ..Default::default()
    });
    bank::QuerySupplyOfResponse::decode(r.value.as_ref()).unwrap().amount.unwrap().amount.parse().unwrap()
}

fn check(app: &App, tx: Vec<u8>) -> pb::ResponseCheckTx {
    app.check_tx(pb::RequestCheckTx { tx: tx.into(), r#type: 0 })
}

#[test]
fn the_ante_handler_applies_the_chains_fee_rules_in_check_and_deliver() {
    let (_dir, app, keys) = app();
    run_block(&app, 1, vec![]);
    // Unlisted denom: refused in CheckTx and in a block, with the fees code.
    let r = check(&app, send(&keys, 0, "12unotlisted"));
    assert_eq!((r.codespace.as_str(), r.code), ("fees", 2), "{}", r.log);
    assert!(r.log.contains("fee denom unotlisted is not accepted"), "{}", r.log);
    let res = run_block(&app, 2, vec![send(&keys, 0, "12unotlisted")]);
    assert_eq!((res.tx_results[0].codespace.as_str(), res.tx_results[0].code), ("fees", 2), "{}", res.tx_results[0].log);
    // Under the base fee of MsgSend (100ustable): sdk 13, in a block too.
    let res = run_block(&app, 3, vec![send(&keys, 0, "99ustable")]);
    assert_eq!((res.tx_results[0].codespace.as_str(), res.tx_results[0].code), ("sdk", 13), "{}", res.tx_results[0].log);
    // uvvv alone: 2000uvvv covers the gas but not the ustable base fee.
    let r = check(&app, send(&keys, 0, "2000uvvv"));
    assert_eq!(r.code, 13, "{}", r.log);
    // Accepted: the base fee in ustable (its gas price is 0).
    let before = supply(&app, "ustable");
    let res = run_block(&app, 4, vec![send(&keys, 0, "1001ustable")]);
    assert_eq!(res.tx_results[0].code, 0, "{}", res.tx_results[0].log);
    let fc = venice_fees::fee_collector().to_bech32();
    assert_eq!(query_balance(&app, &fc, "ustable"), 1001, "the fee waits in the fee collector for the next block");
    // Next block: fees' begin block splits it (before distribution hands
    // out the stakers' leg): community 200 + remainder 1, ecosystem 100, burn 100.
    let res = run_block(&app, 5, vec![]);
    let legs = event_attr(&res.events, "fee_split", "leg");
    assert_eq!(legs, vec!["stakers", "community_pool", "ecosystem", "burn", "remainder"], "{:?}", res.events);
    assert_eq!(query_balance(&app, &venice_fees::ecosystem_pool().to_bech32(), "ustable"), 100);
    assert_eq!(supply(&app, "ustable"), before - 100, "the burn leg left the supply");
    let dist = venice_sdk::Address::module("distribution").to_bech32();
    assert!(query_balance(&app, &dist, "ustable") >= 201, "community pool (and the stakers' leg, distributed) in distribution");
    assert_eq!(query_balance(&app, &fc, "ustable"), 0, "distribution emptied the stakers' leg");
    assert_invariants(&app);
}

fn simulate(app: &App, tx: Vec<u8>, fee: Option<Vec<cosmos_sdk_proto::cosmos::base::v1beta1::Coin>>) -> pb::ResponseQuery {
    let mut raw = cosmos_sdk_proto::cosmos::tx::v1beta1::TxRaw::decode(tx.as_slice()).unwrap();
    if let Some(fee) = fee {
        let mut auth = cosmos_sdk_proto::cosmos::tx::v1beta1::AuthInfo::decode(raw.auth_info_bytes.as_slice()).unwrap();
        auth.fee.as_mut().unwrap().amount = fee;
        raw.auth_info_bytes = auth.encode_to_vec();
    }
    raw.signatures = vec![vec![]];
    let req = cosmos_sdk_proto::cosmos::tx::v1beta1::SimulateRequest { tx_bytes: raw.encode_to_vec(), ..Default::default() };
    app.query(pb::RequestQuery {
        path: "/cosmos.tx.v1beta1.Service/Simulate".into(),
        data: req.encode_to_vec().into(),
        ..Default::default()
    })
}

#[test]
fn simulation_estimates_whatever_the_fee() {
    let (_dir, app, keys) = app();
    run_block(&app, 1, vec![]);
    // Gas estimation does not judge the fee: none, or an unlisted denom.
    let r = simulate(&app, send(&keys, 0, "1001ustable"), Some(vec![]));
    assert_eq!(r.code, 0, "{}", r.log);
    let r = simulate(&app, send(&keys, 0, "1001ustable"), Some(venice_sdk::Coins::parse("5uvvv").unwrap().to_proto()));
    assert_eq!(r.code, 0, "under the base fee, still estimated: {}", r.log);
    // The estimate of the tx as it will be sent covers the real one (the
    // fee checks' reads are charged in simulation too).
    let r = simulate(&app, send(&keys, 0, "1001ustable"), None);
    assert_eq!(r.code, 0, "{}", r.log);
    let used = cosmos_sdk_proto::cosmos::tx::v1beta1::SimulateResponse::decode(r.value.as_ref()).unwrap().gas_info.unwrap().gas_used;
    let res = run_block(&app, 2, vec![send(&keys, 0, "1001ustable")]);
    assert_eq!(res.tx_results[0].code, 0, "{}", res.tx_results[0].log);
    let real = res.tx_results[0].gas_used as u64;
    assert!(used >= real && used < real + 2000, "simulated {used}, real {real}");
}
