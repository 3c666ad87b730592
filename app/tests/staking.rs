//! Staking through the app: gentxs at InitChain give CometBFT's first set;
//! FinalizeBlock's validator updates follow delegations; max_validators cuts
//! the set, the one pushed out leaving with power 0.

mod common;

// Every block of these tests is followed by the crisis invariants.
use common::{CHAIN_ID, FUNDS, run_block_checked as run_block};
use cosmos_sdk_proto::Any;
use cosmos_sdk_proto::cosmos::base::v1beta1::Coin as PCoin;
use cosmos_sdk_proto::cosmos::staking::v1beta1 as pb;
use prost::Message;
use tendermint_proto::v0_38::abci;
use venice_sdk::testing::{TestKey, TxParams};
use venice_store::{Store, StoreOptions};
use venice_types::paths;
use veniced::App;
use veniced::genutil::TxJson;

const VVV: u128 = 1_000_000;

fn create_msg(k: &TestKey, cons: u8, amount: u128) -> Any {
    k.create_validator_msg(&[cons; 32], amount)
}

fn delegate_msg(k: &TestKey, val: &TestKey, amount: u128) -> Any {
    let m = pb::MsgDelegate {
        delegator_address: k.address().to_bech32(),
        validator_address: val.address().to_valoper(),
        amount: Some(PCoin { denom: "uvvv".into(), amount: amount.to_string() }),
    };
    Any { type_url: paths::MSG_DELEGATE_URL.into(), value: m.encode_to_vec() }
}

fn app_with(keys: &[TestKey], edit: impl FnOnce(&mut serde_json::Value)) -> (tempfile::TempDir, App, abci::ResponseInitChain) {
    let mut g = common::genesis(keys);
    edit(&mut g);
    let dir = tempfile::tempdir().unwrap();
    let app = App::new(Store::open(&dir.path().join("db"), StoreOptions::default()).unwrap(), vec![]);
    let resp = app.init_chain(veniced::genesis::init_chain_request(&g).unwrap());
    match resp {
        Ok(r) => (dir, app, r),
        Err(e) => panic!("init_chain: {e}"),
    }
}

fn tx(k: &TestKey, idx: u64, seq: u64, msg: Any) -> Vec<u8> {
    k.sign_tx(vec![msg], &TxParams { chain_id: CHAIN_ID.into(), account_number: idx, sequence: seq, gas: 500_000, ..Default::default() })
}

fn powers(resp: &abci::ResponseFinalizeBlock) -> Vec<(u8, i64)> {
    resp.validator_updates
        .iter()
        .map(|u| match u.pub_key.as_ref().unwrap().sum.as_ref().unwrap() {
            tendermint_proto::v0_38::crypto::public_key::Sum::Ed25519(k) => (k[0], u.power),
            _ => unreachable!(),
        })
        .collect()
}

fn gentx(k: &TestKey, cons: u8, amount: u128) -> serde_json::Value {
    // Genesis transactions: account number 0, sequence 0, no fee.
    let raw = k.sign_tx(
        vec![create_msg(k, cons, amount)],
        &TxParams { chain_id: CHAIN_ID.into(), account_number: 0, sequence: 0, fee: 0, gas: 400_000, ..Default::default() },
    );
    serde_json::to_value(TxJson::from_raw(&raw).unwrap()).unwrap()
}

#[test]
fn gentxs_give_the_first_validator_set() {
    let keys: Vec<TestKey> = (0..3).map(TestKey::from_seed).collect();
    let (g1, g2) = (gentx(&keys[1], 1, 300 * VVV), gentx(&keys[2], 2, 200 * VVV));
    let (_d, app, resp) = app_with(&keys, |g| g["app_state"]["genutil"]["gen_txs"] = serde_json::json!([g1, g2]));
    let mut set: Vec<(u8, i64)> = resp
        .validators
        .iter()
        .map(|u| match u.pub_key.as_ref().unwrap().sum.as_ref().unwrap() {
            tendermint_proto::v0_38::crypto::public_key::Sum::Ed25519(k) => (k[0], u.power),
            _ => unreachable!(),
        })
        .collect();
    set.sort();
    assert_eq!(set, vec![(1, 300), (2, 200)]);
    // The JSON form round-trips to the signed bytes (else the signature would fail).
    let first = run_block(&app, 1, vec![]);
    assert!(first.validator_updates.is_empty(), "nothing changed since InitChain");

    // A gentx with a bad signature fails genesis, naming it.
    let mut bad = gentx(&keys[1], 1, 300 * VVV);
    bad["signatures"][0] = serde_json::json!(base64_sig());
    let mut g = common::genesis(&keys);
    g["app_state"]["genutil"]["gen_txs"] = serde_json::json!([bad]);
    let dir = tempfile::tempdir().unwrap();
    let app = App::new(Store::open(&dir.path().join("db"), StoreOptions::default()).unwrap(), vec![]);
    let e = app.init_chain(veniced::genesis::init_chain_request(&g).unwrap()).unwrap_err();
    assert!(e.to_string().contains("genutil.gen_txs[0]") && e.to_string().contains("signature verification failed"), "{e}");
}

fn base64_sig() -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode([7u8; 64])
}

#[test]
fn finalize_block_updates_follow_delegations_and_max_validators() {
    let keys: Vec<TestKey> = (0..4).map(TestKey::from_seed).collect();
    let (_d, app, _) = app_with(&keys, |g| g["app_state"]["staking"]["params"]["max_validators"] = 2.into());
    let r = run_block(
        &app,
        1,
        vec![tx(&keys[1], 1, 0, create_msg(&keys[1], 1, 30 * VVV)), tx(&keys[2], 2, 0, create_msg(&keys[2], 2, 20 * VVV))],
    );
    assert!(r.tx_results.iter().all(|t| t.code == 0), "{:?}", r.tx_results);
    assert_eq!(powers(&r), vec![(1, 30), (2, 20)]);
    // A third, smaller validator stays out of a set of two.
    let r = run_block(&app, 2, vec![tx(&keys[3], 3, 0, create_msg(&keys[3], 3, 10 * VVV))]);
    assert_eq!(r.tx_results[0].code, 0, "{}", r.tx_results[0].log);
    assert!(r.validator_updates.is_empty());
    // A delegation lifts it above 2: it enters, 2 leaves with power 0.
    let r = run_block(&app, 3, vec![tx(&keys[0], 0, 0, delegate_msg(&keys[0], &keys[3], 15 * VVV))]);
    assert_eq!(r.tx_results[0].code, 0, "{}", r.tx_results[0].log);
    assert_eq!(powers(&r), vec![(3, 25), (2, 0)]);
    let evs = &r.tx_results[0].events;
    assert!(evs.iter().any(|e| e.r#type == "delegate"), "delegate event");
    // A delegation to a bonded validator changes only its power.
    let r = run_block(&app, 4, vec![tx(&keys[0], 0, 1, delegate_msg(&keys[0], &keys[1], 5 * VVV))]);
    assert_eq!(powers(&r), vec![(1, 35)]);
    assert_eq!(common::balance_of(&app, &keys[0]), FUNDS - 20 * VVV - 10_000);
}

/// Keplr and Ledger users sign staking messages in amino JSON mode
/// (`cosmos-sdk/MsgCreateValidator`, `cosmos-sdk/MsgDelegate`): accepted on
/// chain, and a document signed for other values is refused.
#[test]
fn amino_signed_create_validator_and_delegate_are_accepted() {
    let keys: Vec<TestKey> = (0..2).map(TestKey::from_seed).collect();
    let (_d, app, _) = app_with(&keys, |_| {});
    let params =
        |idx: u64, seq: u64| TxParams { chain_id: CHAIN_ID.into(), account_number: idx, sequence: seq, gas: 500_000, ..Default::default() };
    let create = keys[1].sign_tx_amino(vec![create_msg(&keys[1], 1, 30 * VVV)], &params(1, 0));
    let r = run_block(&app, 1, vec![create]);
    assert_eq!(r.tx_results[0].code, 0, "{}", r.tx_results[0].log);
    assert_eq!(powers(&r), vec![(1, 30)]);
    let delegate = keys[0].sign_tx_amino(vec![delegate_msg(&keys[0], &keys[1], 5 * VVV)], &params(0, 0));
    let r = run_block(&app, 2, vec![delegate]);
    assert_eq!(r.tx_results[0].code, 0, "{}", r.tx_results[0].log);
    assert_eq!(powers(&r), vec![(1, 35)]);
    // Signed at one sequence, sent claiming another: the amino document the
    // chain rebuilds differs, so the signature does not verify.
    let mut raw = cosmos_sdk_proto::cosmos::tx::v1beta1::TxRaw::decode(
        keys[0].sign_tx_amino(vec![delegate_msg(&keys[0], &keys[1], VVV)], &params(0, 1)).as_slice(),
    )
    .unwrap();
    let other = cosmos_sdk_proto::cosmos::tx::v1beta1::TxRaw::decode(
        keys[0].sign_tx_amino(vec![delegate_msg(&keys[0], &keys[1], 2 * VVV)], &params(0, 1)).as_slice(),
    )
    .unwrap();
    raw.signatures = other.signatures;
    let r = run_block(&app, 3, vec![raw.encode_to_vec()]);
    assert_eq!((r.tx_results[0].codespace.as_str(), r.tx_results[0].code), ("sdk", 4), "{}", r.tx_results[0].log);
}
