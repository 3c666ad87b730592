//! Slashing through real staking, bank and auth: the slash arithmetic
//! (unbonding and redelegated stake reached, exact burns, supply), downtime
//! over the signed-blocks window, double-sign evidence (slash, jail,
//! tombstone, kept for queries), MsgUnjail's rules, queries and genesis.

mod common;

use common::*;
use cosmos_sdk_proto::cosmos::base::query::v1beta1::PageRequest;
use cosmos_sdk_proto::cosmos::evidence::v1beta1 as evpb;
use cosmos_sdk_proto::cosmos::slashing::v1beta1 as pb;
use venice_sdk::{CometInfo, Module};
use venice_slashing::evidence::{DOUBLE_SIGN_JAIL_END, MAX_AGE_NUM_BLOCKS};
use venice_staking::{BondStatus, bonded_pool, not_bonded_pool};
use venice_types::Dec;

fn setup() -> Env {
    let mut env = Env::new(Env::staking_params(), Env::slashing_params());
    for i in [1, 2, 9] {
        env.fund(&addr(i), 1_000 * VVV);
    }
    env
}

fn code(e: &venice_sdk::Error) -> (&'static str, u32) {
    e.abci_code()
}

fn slash(env: &mut Env, height: u64, val: u8, infraction: i64, power: i64, fraction: &str) -> u128 {
    let f = Dec::parse(fraction).unwrap();
    env.at(height, |ctx, env| env.staking.slash(ctx, &cons(val), infraction, power, f)).unwrap()
}

fn ubd_balances(env: &mut Env, del: u8, val: u8) -> Vec<u128> {
    env.at(0, |ctx, _| ctx.scoped(venice_staking::state::PREFIX, |ctx| venice_staking::state::ubd(ctx, &addr(del), &addr(val))).unwrap())
        .map(|u| u.entries.iter().map(|e| e.balance).collect())
        .unwrap_or_default()
}

#[test]
fn slash_reaches_unbonding_and_redelegated_stake_and_burns_exactly() {
    let mut env = setup();
    env.staking_msg(1, create(1, 100 * VVV)).unwrap();
    env.staking_msg(1, create(2, 100 * VVV)).unwrap();
    env.block(1, CometInfo::default());
    assert!(env.signing_info(1).is_some_and(|i| i.start_height == 1), "signing info made when it bonded");
    env.staking_msg(2, delegate(&addr(9), 1, 50 * VVV)).unwrap();
    env.block(2, CometInfo::default());
    env.staking_msg(3, redelegate(&addr(9), 1, 2, 10 * VVV)).unwrap();
    env.block(3, CometInfo::default());
    env.staking_msg(5, undelegate(&addr(9), 1, 20 * VVV)).unwrap();
    env.block(5, CometInfo::default());
    assert_eq!(env.validator(1).tokens, 120 * VVV);
    let (supply, bonded, not_bonded) = (env.supply(), env.balance(&bonded_pool()), env.balance(&not_bonded_pool()));
    assert_eq!((bonded, not_bonded), (230 * VVV, 20 * VVV));

    // Infraction at 4: the unbonding of height 5 pays 10% of 20; the
    // redelegation of height 3 predates it; the validator pays the rest of 14.
    let burned = slash(&mut env, 6, 1, 4, 140, "0.1");
    assert_eq!(burned, 12 * VVV);
    assert_eq!(env.validator(1).tokens, 108 * VVV);
    assert_eq!(ubd_balances(&mut env, 9, 1), vec![18 * VVV]);
    assert_eq!(env.validator(2).tokens, 110 * VVV, "redelegation before the infraction untouched");
    assert_eq!(env.supply(), supply - 14 * VVV, "supply falls by exactly the burn");
    assert_eq!(env.balance(&bonded_pool()), bonded - 12 * VVV);
    assert_eq!(env.balance(&not_bonded_pool()), not_bonded - 2 * VVV);

    // Infraction at 2: now the redelegation is reached too: 10% of its
    // destination shares are unbonded from validator 2 and burned.
    let supply = env.supply();
    let burned = slash(&mut env, 7, 1, 2, 100, "0.1");
    assert_eq!(burned, 7 * VVV, "10 - 2 (unbonding) - 1 (redelegation)");
    assert_eq!(env.validator(1).tokens, 101 * VVV);
    assert_eq!(ubd_balances(&mut env, 9, 1), vec![16 * VVV]);
    assert_eq!(env.validator(2).tokens, 109 * VVV);
    let shares = env.at(0, |ctx, _| {
        ctx.scoped(venice_staking::state::PREFIX, |ctx| venice_staking::state::delegation(ctx, &addr(9), &addr(2))).unwrap()
    });
    assert_eq!(shares, Some(Dec::from_int(9 * VVV).unwrap()));
    assert_eq!(env.supply(), supply - 10 * VVV);
    // The power index follows the slashed tokens.
    let updates = env.block(7, CometInfo::default());
    let mut powers: Vec<i64> = updates.iter().map(|u| u.power).collect();
    powers.sort();
    assert_eq!(powers, vec![101, 109]);

    // Refused: a future infraction, a fraction above one; unknown consensus addresses burn nothing.
    let f = Dec::parse("0.1").unwrap();
    assert!(env.at(8, |ctx, env| env.staking.slash(ctx, &cons(1), 9, 100, f)).is_err());
    assert!(env.at(8, |ctx, env| env.staking.slash(ctx, &cons(1), 7, 100, Dec::from_int(2).unwrap())).is_err());
    assert_eq!(env.at(8, |ctx, env| env.staking.slash(ctx, &cons(7), 7, 100, f)).unwrap(), 0);
}

#[test]
fn slash_at_the_current_height_spares_unbonding_and_caps_at_the_tokens() {
    let mut env = setup();
    env.staking_msg(1, create(1, 100 * VVV)).unwrap();
    env.block(1, CometInfo::default());
    env.staking_msg(2, undelegate(&addr(1), 1, 10 * VVV)).unwrap();
    env.block(2, CometInfo::default());
    let supply = env.supply();
    // Infraction height == current height: only the validator pays.
    assert_eq!(slash(&mut env, 2, 1, 2, 90, "0.5"), 45 * VVV);
    assert_eq!(ubd_balances(&mut env, 1, 1), vec![10 * VVV]);
    // A power above its tokens: at most what it has is burned.
    assert_eq!(slash(&mut env, 3, 1, 3, 1000, "1"), 45 * VVV);
    assert_eq!(env.validator(1).tokens, 0);
    assert_eq!(env.supply(), supply - 90 * VVV);
}

#[test]
fn downtime_over_the_window_slashes_and_jails_until_unjailed() {
    let mut env = setup();
    env.staking_msg(1, create(1, 100 * VVV)).unwrap();
    env.staking_msg(1, create(2, 300 * VVV)).unwrap();
    env.block(1, CometInfo::default());
    let supply = env.supply();
    env.take_events();
    // Window 10, half must sign: more than 5 missed after start + 10 jails.
    for h in 2..=11 {
        let updates = env.block(h, votes(&[(1, 100, false), (2, 300, true)]));
        assert!(updates.is_empty(), "not jailed at {h}");
    }
    let info = env.signing_info(1).unwrap();
    assert_eq!((info.missed_blocks_counter, info.index_offset), (10, 10));
    assert_eq!(env.signing_info(2).unwrap().missed_blocks_counter, 0);
    let liveness: Vec<_> = env.take_events().into_iter().filter(|e| e.kind == "liveness").collect();
    assert_eq!(liveness.len(), 10);
    assert_eq!(liveness[9].get("missed_blocks"), Some("10"));
    assert_eq!(liveness[9].get("address"), Some(cons(1).to_valcons().as_str()));
    assert_eq!(liveness[9].get("height"), Some("11"));

    let updates = env.block(12, votes(&[(1, 100, false), (2, 300, true)]));
    assert_eq!(updates.len(), 1);
    assert_eq!(updates[0].power, 0, "leaves CometBFT's set");
    let v = env.validator(1);
    assert!(v.jailed);
    assert_eq!(v.status, BondStatus::Unbonding);
    assert_eq!(v.tokens, 99 * VVV, "1% of the power that missed");
    assert_eq!(env.supply(), supply - VVV);
    let slash_ev = env.take_events().into_iter().find(|e| e.kind == "slash").expect("slash event");
    assert_eq!(slash_ev.get("reason"), Some("missing_signature"));
    assert_eq!(slash_ev.get("burned_coins"), Some("1000000"));
    assert_eq!(slash_ev.get("power"), Some("100"));
    assert_eq!(slash_ev.get("jailed"), Some(cons(1).to_valcons().as_str()));
    let info = env.signing_info(1).unwrap();
    assert_eq!((info.missed_blocks_counter, info.index_offset), (0, 0), "a fresh window");
    assert_eq!(info.jailed_until.secs, time(12) + 30);
    assert!(
        env.at(0, |ctx, _| ctx.scoped(venice_slashing::state::PREFIX, |ctx| venice_slashing::state::missed_indices(ctx, &cons(1))))
            .unwrap()
            .is_empty()
    );

    // Jailed: its votes no longer count, and it is not slashed twice.
    env.block(13, votes(&[(1, 100, false), (2, 300, true)]));
    assert_eq!(env.signing_info(1).unwrap().index_offset, 0);
    assert_eq!(env.validator(1).tokens, 99 * VVV);

    // Unjail: too early, then after the jail time.
    let e = env.slashing_msg(20, unjail(1)).unwrap_err();
    assert_eq!(code(&e), ("slashing", 4), "{e}");
    assert_eq!(code(&env.slashing_msg(20, unjail(2)).unwrap_err()), ("slashing", 5), "not jailed");
    assert_eq!(code(&env.slashing_msg(20, unjail(7)).unwrap_err()), ("slashing", 2), "no validator");
    env.slashing_msg(42, unjail(1)).unwrap();
    let updates = env.block(42, CometInfo::default());
    assert_eq!(updates.iter().map(|u| u.power).collect::<Vec<_>>(), vec![99]);
    assert_eq!(env.validator(1).status, BondStatus::Bonded);
    assert_eq!(env.signing_info(1).unwrap().start_height, 42, "window restarts at the rebond");
}

#[test]
fn unjail_needs_the_minimum_self_delegation() {
    let mut env = setup();
    let mut m = cosmos_sdk_proto::cosmos::staking::v1beta1::MsgCreateValidator::default();
    let any = create(1, 100 * VVV);
    prost::Message::merge(&mut m, any.value.as_slice()).unwrap();
    m.min_self_delegation = (100 * VVV).to_string();
    env.staking_msg(1, common::any(&any.type_url, &m)).unwrap();
    env.block(1, CometInfo::default());
    // Unbonding below the minimum jails it (staking's rule)...
    env.staking_msg(2, undelegate(&addr(1), 1, VVV)).unwrap();
    env.block(2, CometInfo::default());
    assert!(env.validator(1).jailed);
    // ...and it cannot unjail until it is back above it.
    let e = env.slashing_msg(3, unjail(1)).unwrap_err();
    assert_eq!(code(&e), ("slashing", 7), "{e}");
    env.staking_msg(3, delegate(&addr(1), 1, VVV)).unwrap();
    env.slashing_msg(3, unjail(1)).unwrap();
    assert!(!env.validator(1).jailed);
    // The signer is the operator's account; a bad address is refused statelessly.
    let bad = common::any(venice_types::paths::MSG_UNJAIL_URL, &pb::MsgUnjail { validator_addr: "venicevaloper1xyz".into() });
    assert_eq!(code(&env.slashing_msg(3, bad).unwrap_err()), ("sdk", 7));
    assert_eq!(venice_slashing::handlers::signers(&unjail(1)).unwrap(), vec![addr(1)]);
}

#[test]
fn double_sign_slashes_jails_tombstones_and_keeps_the_evidence() {
    let mut env = setup();
    env.staking_msg(1, create(1, 100 * VVV)).unwrap();
    env.staking_msg(1, create(2, 300 * VVV)).unwrap();
    env.staking_msg(1, delegate(&addr(9), 1, 20 * VVV)).unwrap();
    env.block(1, CometInfo::default());
    env.staking_msg(2, undelegate(&addr(9), 1, 10 * VVV)).unwrap();
    env.block(2, CometInfo::default());
    let supply = env.supply();
    env.take_events();

    // Double sign at 3 with power 120; the stake of height 2 pays.
    let comet = CometInfo { misbehavior: vec![double_sign(1, 120, 3)], ..Default::default() };
    let updates = env.block(5, comet);
    assert_eq!(updates.iter().map(|u| u.power).collect::<Vec<_>>(), vec![0]);
    let v = env.validator(1);
    assert!(v.jailed);
    // 5% of 120 = 6: 0.5 from the unbonding of height 2, 5.5 from the validator.
    assert_eq!(v.tokens, 110 * VVV - 5_500_000);
    assert_eq!(ubd_balances(&mut env, 9, 1), vec![9_500_000]);
    assert_eq!(env.supply(), supply - 6 * VVV);
    let info = env.signing_info(1).unwrap();
    assert!(info.tombstoned);
    assert_eq!(info.jailed_until, DOUBLE_SIGN_JAIL_END);
    let evs = env.take_events();
    let slash_ev = evs.iter().find(|e| e.kind == "slash" && e.get("reason").is_some()).unwrap();
    assert_eq!(slash_ev.get("reason"), Some("double_sign"));
    assert_eq!(slash_ev.get("burned_coins"), Some("5500000"));
    assert!(evs.iter().any(|e| e.kind == "slash" && e.get("jailed") == Some(cons(1).to_valcons().as_str())));

    // Kept for cosmos.evidence.v1beta1.Query.
    let ev = env.evidence.clone();
    let all: evpb::QueryAllEvidenceResponse =
        env.query(&ev, venice_slashing::evidence::PREFIX, "AllEvidence", evpb::QueryAllEvidenceRequest { pagination: None }).unwrap();
    assert_eq!(all.evidence.len(), 1);
    assert_eq!(all.evidence[0].type_url, "/cosmos.evidence.v1beta1.Equivocation");
    let e = <evpb::Equivocation as prost::Message>::decode(all.evidence[0].value.as_slice()).unwrap();
    assert_eq!((e.height, e.power, e.consensus_address.clone()), (3, 120, cons(1).to_valcons()));
    let hash = hex::encode(venice_slashing::evidence::hash(&e));
    #[allow(deprecated)]
    let one: evpb::QueryEvidenceResponse = env
        .query(&ev, venice_slashing::evidence::PREFIX, "Evidence", evpb::QueryEvidenceRequest { evidence_hash: vec![], hash: hash.clone() })
        .unwrap();
    assert_eq!(one.evidence.unwrap(), all.evidence[0]);
    #[allow(deprecated)]
    let missing = env
        .query::<evpb::QueryEvidenceResponse>(
            &ev,
            venice_slashing::evidence::PREFIX,
            "Evidence",
            evpb::QueryEvidenceRequest { evidence_hash: vec![], hash: "00".repeat(32) },
        )
        .unwrap_err();
    assert_eq!(code(&missing), ("evidence", 4));

    // Tombstoned: further evidence is ignored, and it can never unjail.
    let supply = env.supply();
    env.block(6, CometInfo { misbehavior: vec![double_sign(1, 120, 4)], ..Default::default() });
    assert_eq!(env.supply(), supply);
    let e = env.slashing_msg(1_000, unjail(1)).unwrap_err();
    assert_eq!(code(&e), ("slashing", 4));

    // Evidence older than both max ages is ignored.
    let h = MAX_AGE_NUM_BLOCKS as u64 * 2 + 10;
    let tokens = env.validator(2).tokens;
    env.block(h, CometInfo { misbehavior: vec![double_sign(2, 300, 7)], ..Default::default() });
    assert_eq!(env.validator(2).tokens, tokens);
    assert!(!env.signing_info(2).unwrap().tombstoned);
}

#[test]
fn queries_answer_params_and_signing_infos() {
    let mut env = setup();
    env.staking_msg(1, create(1, 100 * VVV)).unwrap();
    env.staking_msg(1, create(2, 300 * VVV)).unwrap();
    env.block(1, CometInfo::default());
    env.block(2, votes(&[(1, 100, false), (2, 300, true)]));
    let s = env.slashing.clone();
    let prefix = venice_slashing::state::PREFIX;
    let p: pb::QueryParamsResponse = env.query(s.as_ref(), prefix, "Params", pb::QueryParamsRequest {}).unwrap();
    let p = p.params.unwrap();
    assert_eq!(p.signed_blocks_window, 10);
    assert_eq!(p.min_signed_per_window, b"500000000000000000".to_vec());
    assert_eq!(p.downtime_jail_duration.unwrap().seconds, 30);
    let one: pb::QuerySigningInfoResponse =
        env.query(s.as_ref(), prefix, "SigningInfo", pb::QuerySigningInfoRequest { cons_address: cons(1).to_valcons() }).unwrap();
    let info = one.val_signing_info.unwrap();
    assert_eq!((info.address, info.start_height, info.missed_blocks_counter, info.index_offset), (cons(1).to_valcons(), 1, 1, 1));
    assert_eq!(info.jailed_until.unwrap().seconds, 0);
    let e = env
        .query::<pb::QuerySigningInfoResponse>(
            s.as_ref(),
            prefix,
            "SigningInfo",
            pb::QuerySigningInfoRequest { cons_address: cons(5).to_valcons() },
        )
        .unwrap_err();
    assert_eq!(code(&e), ("sdk", 38));
    let page = |key: Vec<u8>| pb::QuerySigningInfosRequest {
        pagination: Some(PageRequest { key, limit: 1, count_total: true, ..Default::default() }),
    };
    let first: pb::QuerySigningInfosResponse = env.query(s.as_ref(), prefix, "SigningInfos", page(vec![])).unwrap();
    assert_eq!(first.info.len(), 1);
    let pg = first.pagination.unwrap();
    assert_eq!(pg.total, 2);
    let second: pb::QuerySigningInfosResponse = env.query(s.as_ref(), prefix, "SigningInfos", page(pg.next_key)).unwrap();
    assert_eq!(second.info.len(), 1);
    assert_ne!(second.info[0].address, first.info[0].address);
    assert!(second.pagination.unwrap().next_key.is_empty());
}

#[test]
fn genesis_round_trips_signing_infos_missed_blocks_and_evidence() {
    let mut env = setup();
    env.staking_msg(1, create(1, 100 * VVV)).unwrap();
    env.staking_msg(1, create(2, 300 * VVV)).unwrap();
    env.block(1, CometInfo::default());
    env.block(2, votes(&[(1, 100, false), (2, 300, true)]));
    env.block(3, votes(&[(1, 100, true), (2, 300, true)]));
    env.block(4, votes(&[(1, 100, false), (2, 300, true)]));
    env.block(5, CometInfo { misbehavior: vec![double_sign(2, 300, 4)], ..Default::default() });
    let s = env.slashing.clone();
    let ev = env.evidence.clone();
    let (g, eg) = env.at(0, |ctx, _| {
        (
            ctx.scoped(venice_slashing::state::PREFIX, |ctx| s.export_genesis(ctx)).unwrap(),
            ctx.scoped(venice_slashing::evidence::PREFIX, |ctx| ev.export_genesis(ctx)).unwrap(),
        )
    });
    assert_eq!(g["params"]["signed_blocks_window"], "10");
    let infos = g["signing_infos"].as_array().unwrap();
    assert_eq!(infos.len(), 2);
    let mine = infos.iter().find(|i| i["address"] == cons(1).to_valcons()).unwrap();
    assert_eq!(mine["validator_signing_info"]["missed_blocks_counter"], "2");
    assert_eq!(mine["validator_signing_info"]["jailed_until"], "1970-01-01T00:00:00Z");
    let missed = g["missed_blocks"].as_array().unwrap().iter().find(|m| m["address"] == cons(1).to_valcons()).unwrap().clone();
    assert_eq!(missed["missed_blocks"], serde_json::json!([{"index": "0", "missed": true}, {"index": "2", "missed": true}]));
    assert_eq!(eg["evidence"][0]["@type"], "/cosmos.evidence.v1beta1.Equivocation");
    assert_eq!(eg["evidence"][0]["consensus_address"], cons(2).to_valcons());

    // Into a fresh chain and out again: the same sections.
    let mut fresh = Env::new(Env::staking_params(), venice_slashing::Params::default());
    let (s2, ev2) = (fresh.slashing.clone(), fresh.evidence.clone());
    s2.validate_genesis(&g).unwrap();
    ev2.validate_genesis(&eg).unwrap();
    let (g2, eg2) = fresh.at(0, |ctx, _| {
        ctx.scoped(venice_slashing::state::PREFIX, |ctx| s2.init_genesis(ctx, &g)).unwrap();
        ctx.scoped(venice_slashing::evidence::PREFIX, |ctx| ev2.init_genesis(ctx, &eg)).unwrap();
        (
            ctx.scoped(venice_slashing::state::PREFIX, |ctx| s2.export_genesis(ctx)).unwrap(),
            ctx.scoped(venice_slashing::evidence::PREFIX, |ctx| ev2.export_genesis(ctx)).unwrap(),
        )
    });
    assert_eq!((g2, eg2), (g.clone(), eg));

    // Bad sections are refused.
    let mut bad = g.clone();
    bad["params"]["signed_blocks_window"] = "0".into();
    assert!(s2.validate_genesis(&bad).is_err());
    let mut bad = g;
    bad["missed_blocks"][0]["missed_blocks"] = serde_json::json!([{"index": "10", "missed": true}]);
    assert!(s2.validate_genesis(&bad).is_err());
    assert!(ev2.validate_genesis(&serde_json::json!({"evidence": [{"@type": "/x.Y"}]})).is_err());
}
