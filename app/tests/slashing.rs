//! Slashing and evidence through the app: gentx validators get signing
//! infos at InitChain; FinalizeBlock's last-commit votes jail and slash a
//! validator that misses the window (CometBFT gets its power 0), its
//! misbehaviour slashes, jails and tombstones, supply falls by exactly the
//! burn, and a `MsgUnjail` tx after the jail time brings it back.

mod common;

use common::{CHAIN_ID, event_attr};
use cosmos_sdk_proto::Any;
use cosmos_sdk_proto::cosmos::bank::v1beta1 as bankpb;
use cosmos_sdk_proto::cosmos::evidence::v1beta1 as evpb;
use cosmos_sdk_proto::cosmos::slashing::v1beta1 as slpb;
use cosmos_sdk_proto::cosmos::staking::v1beta1 as pb;
use prost::Message;
use tendermint_proto::v0_38::abci;
use venice_sdk::Address;
use venice_sdk::testing::{TestKey, TxParams};
use venice_store::{Store, StoreOptions};
use venice_types::paths;
use veniced::App;
use veniced::genutil::TxJson;

const VVV: u128 = 1_000_000;

fn create_msg(k: &TestKey, cons: u8, amount: u128) -> Any {
    k.create_validator_msg(&[cons; 32], amount)
}

fn gentx(k: &TestKey, cons: u8, amount: u128) -> serde_json::Value {
    let raw = k.sign_tx(
        vec![create_msg(k, cons, amount)],
        &TxParams { chain_id: CHAIN_ID.into(), account_number: 0, sequence: 0, fee: 0, gas: 400_000, ..Default::default() },
    );
    serde_json::to_value(TxJson::from_raw(&raw).unwrap()).unwrap()
}

fn cons(i: u8) -> Address {
    Address::consensus(&[i; 32])
}

/// FinalizeBlock at `height` with the last commit's votes (`signed` per
/// validator byte) and misbehaviour, then Commit.
fn block(
    app: &App,
    height: u64,
    votes: &[(u8, i64, bool)],
    misbehavior: Vec<abci::Misbehavior>,
    txs: Vec<Vec<u8>>,
) -> abci::ResponseFinalizeBlock {
    let votes = votes
        .iter()
        .map(|&(i, power, signed)| abci::VoteInfo {
            validator: Some(abci::Validator { address: cons(i).as_bytes().to_vec().into(), power }),
            block_id_flag: if signed { 2 } else { 1 },
        })
        .collect();
    let req = abci::RequestFinalizeBlock {
        txs: txs.into_iter().map(Into::into).collect(),
        height: height as i64,
        time: Some(tendermint_proto::google::protobuf::Timestamp { seconds: 1_700_000_000 + height as i64, nanos: 0 }),
        decided_last_commit: Some(abci::CommitInfo { round: 0, votes }),
        misbehavior,
        ..Default::default()
    };
    let resp = app.finalize_block(req).unwrap();
    app.commit().unwrap();
    resp
}

fn query<Resp: Message + Default>(app: &App, path: &str, req: impl Message) -> Resp {
    let r = app.query(abci::RequestQuery { path: path.into(), data: req.encode_to_vec().into(), height: 0, prove: false });
    assert_eq!(r.code, 0, "{path}: {}", r.log);
    Resp::decode(r.value.as_ref()).unwrap()
}

fn validator(app: &App, k: &TestKey) -> pb::Validator {
    let r: pb::QueryValidatorResponse =
        query(app, paths::staking::VALIDATOR, pb::QueryValidatorRequest { validator_addr: k.address().to_valoper() });
    r.validator.unwrap()
}

fn supply(app: &App) -> u128 {
    let r: bankpb::QuerySupplyOfResponse = query(app, paths::bank::SUPPLY_OF, bankpb::QuerySupplyOfRequest { denom: "uvvv".into() });
    r.amount.unwrap().amount.parse().unwrap()
}

fn signing_info(app: &App, i: u8) -> slpb::ValidatorSigningInfo {
    let r: slpb::QuerySigningInfoResponse =
        query(app, paths::slashing::SIGNING_INFO, slpb::QuerySigningInfoRequest { cons_address: cons(i).to_valcons() });
    r.val_signing_info.unwrap()
}

#[test]
fn downtime_and_double_sign_through_finalize_block() {
    let keys: Vec<TestKey> = (0..4).map(TestKey::from_seed).collect();
    let mut g = common::genesis(&keys);
    g["app_state"]["genutil"]["gen_txs"] =
        serde_json::json!([gentx(&keys[1], 1, 300 * VVV), gentx(&keys[2], 2, 200 * VVV), gentx(&keys[3], 3, 100 * VVV)]);
    g["app_state"]["slashing"]["params"]["signed_blocks_window"] = "10".into();
    g["app_state"]["slashing"]["params"]["downtime_jail_duration"] = "30s".into();
    let dir = tempfile::tempdir().unwrap();
    let app = App::new(Store::open(&dir.path().join("db"), StoreOptions::default()).unwrap(), vec![]);
    app.init_chain(veniced::genesis::init_chain_request(&g).unwrap()).unwrap();
    // Validator 2 misses every block: jailed once past its first window.
    let all_but_2 = [(1, 300, true), (2, 200, false), (3, 100, true)];
    block(&app, 1, &all_but_2, vec![], vec![]);
    let infos: slpb::QuerySigningInfosResponse =
        query(&app, paths::slashing::SIGNING_INFOS, slpb::QuerySigningInfosRequest { pagination: None });
    assert_eq!(infos.info.len(), 3, "the gentx validators bonded at genesis");
    let start = supply(&app);
    // Genesis validators start at height 0 (InitChain's), as in the SDK.
    assert_eq!(signing_info(&app, 2).start_height, 0);
    for h in 2..=10 {
        let r = block(&app, h, &all_but_2, vec![], vec![]);
        assert!(r.validator_updates.is_empty(), "height {h}");
    }
    assert_eq!(signing_info(&app, 2).missed_blocks_counter, 10);
    let r = block(&app, 11, &all_but_2, vec![], vec![]);
    assert_eq!(r.validator_updates.len(), 1);
    assert_eq!(
        (r.validator_updates[0].power, r.validator_updates[0].pub_key.clone()),
        (0, Some(venice_sdk::module::crypto::PublicKey { sum: Some(venice_sdk::module::crypto::public_key::Sum::Ed25519(vec![2; 32])) }))
    );
    assert_eq!(event_attr(&r.events, "slash", "reason"), vec!["missing_signature"]);
    assert_eq!(event_attr(&r.events, "slash", "burned_coins"), vec!["2000000"]);
    assert!(!event_attr(&r.events, "liveness", "missed_blocks").is_empty());
    let v = validator(&app, &keys[2]);
    assert!(v.jailed);
    assert_eq!(v.tokens, (198 * VVV).to_string());
    assert_eq!(supply(&app), start - 2 * VVV);

    // Validator 3 double-signed at height 10: 5% of its 100, jailed, tombstoned.
    let evidence = abci::Misbehavior {
        r#type: abci::MisbehaviorType::DuplicateVote as i32,
        validator: Some(abci::Validator { address: cons(3).as_bytes().to_vec().into(), power: 100 }),
        height: 10,
        time: Some(tendermint_proto::google::protobuf::Timestamp { seconds: 1_700_000_010, nanos: 0 }),
        total_voting_power: 600,
    };
    let live = [(1, 300, true), (3, 100, true)];
    let r = block(&app, 12, &live, vec![evidence], vec![]);
    assert_eq!(r.validator_updates.iter().map(|u| u.power).collect::<Vec<_>>(), vec![0]);
    assert_eq!(event_attr(&r.events, "slash", "reason"), vec!["double_sign"]);
    let v = validator(&app, &keys[3]);
    assert!(v.jailed);
    assert_eq!(v.tokens, (95 * VVV).to_string());
    assert!(signing_info(&app, 3).tombstoned);
    assert_eq!(supply(&app), start - 7 * VVV);
    let all: evpb::QueryAllEvidenceResponse =
        query(&app, paths::evidence::ALL_EVIDENCE, evpb::QueryAllEvidenceRequest { pagination: None });
    assert_eq!(all.evidence.len(), 1);

    // MsgUnjail: refused while jailed, accepted after 30 s; tombstoned never.
    let unjail = |k: &TestKey, idx: u64, seq: u64| {
        let m = slpb::MsgUnjail { validator_addr: k.address().to_valoper() };
        k.sign_tx(
            vec![Any { type_url: paths::MSG_UNJAIL_URL.into(), value: m.encode_to_vec() }],
            &TxParams { chain_id: CHAIN_ID.into(), account_number: idx, sequence: seq, ..Default::default() },
        )
    };
    let r = block(&app, 13, &[(1, 300, true)], vec![], vec![unjail(&keys[2], 2, 1)]);
    assert_eq!((r.tx_results[0].codespace.as_str(), r.tx_results[0].code), ("slashing", 4), "{}", r.tx_results[0].log);
    for h in 14..41 {
        block(&app, h, &[(1, 300, true)], vec![], vec![]);
    }
    let r = block(&app, 41, &[(1, 300, true)], vec![], vec![unjail(&keys[2], 2, 2), unjail(&keys[3], 3, 1)]);
    assert_eq!(r.tx_results[0].code, 0, "{}", r.tx_results[0].log);
    assert_eq!((r.tx_results[1].codespace.as_str(), r.tx_results[1].code), ("slashing", 4), "tombstoned: {}", r.tx_results[1].log);
    assert_eq!(r.validator_updates.iter().map(|u| u.power).collect::<Vec<_>>(), vec![198]);
    assert!(!validator(&app, &keys[2]).jailed);
}
