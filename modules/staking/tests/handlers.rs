//! Every staking message, its happy path and its failures (with the SDK's
//! codespace and code), and the end-block behaviour CometBFT sees.

mod common;

use common::*;
use cosmos_sdk_proto::cosmos::staking::v1beta1 as pb;
use venice_staking::{BondStatus, Params, bonded_pool, not_bonded_pool};
use venice_types::{Dec, paths};

const VVV: u128 = 1_000_000;

fn setup() -> Env {
    let mut env = Env::new(Env::default_params());
    for i in 1..=5 {
        env.fund(&addr(i), 1_000 * VVV);
    }
    env
}

fn staking_code(e: &venice_sdk::Error) -> u32 {
    let (space, code) = e.abci_code();
    assert_eq!(space, "staking", "{e}");
    code
}

#[test]
fn create_validator_bonds_at_end_block_and_moves_the_pool() {
    let mut env = setup();
    let supply = env.supply();
    let events = env.exec(create(1, 10 * VVV)).unwrap();
    assert!(events.iter().any(|e| e.kind == "create_validator" && e.get("amount") == Some("10000000uvvv")));
    assert!(!events.iter().any(|e| e.kind == "delegate"), "the self-delegation has no delegate event (as the SDK)");
    let v = env.validator(&addr(1)).unwrap();
    assert_eq!((v.status, v.tokens), (BondStatus::Unbonded, 10 * VVV));
    assert_eq!(env.balance(&not_bonded_pool()), 10 * VVV);
    let updates = env.end_block(1, 1_000);
    assert_eq!(updates.len(), 1);
    assert_eq!(updates[0].power, 10);
    assert_eq!(env.validator(&addr(1)).unwrap().status, BondStatus::Bonded);
    assert_eq!((env.balance(&bonded_pool()), env.balance(&not_bonded_pool())), (10 * VVV, 0));
    assert_eq!(env.balance(&addr(1)), 990 * VVV);
    assert!(env.end_block(2, 1_001).is_empty(), "only changes are returned");
    assert_eq!(env.supply(), supply);
}

#[test]
fn create_validator_failures() {
    let mut env = setup();
    env.exec(create(1, 10 * VVV)).unwrap();
    assert_eq!(staking_code(&env.exec(create(1, 10 * VVV)).unwrap_err()), 4, "operator exists");
    let mut m = create_msg(2, 10 * VVV);
    m.pubkey = Some(venice_staking::types::ed25519_any(&cons_key(1)));
    assert_eq!(staking_code(&env.exec(any(paths::MSG_CREATE_VALIDATOR_URL, &m)).unwrap_err()), 5, "pubkey exists");
    let mut m = create_msg(2, 10 * VVV);
    m.commission.as_mut().unwrap().rate = rate("0.3");
    assert_eq!(staking_code(&env.exec(any(paths::MSG_CREATE_VALIDATOR_URL, &m)).unwrap_err()), 11);
    let mut m = create_msg(2, 10 * VVV);
    m.commission.as_mut().unwrap().max_rate = rate("1.5");
    assert_eq!(staking_code(&env.exec(any(paths::MSG_CREATE_VALIDATOR_URL, &m)).unwrap_err()), 10);
    let mut m = create_msg(2, 10 * VVV);
    m.commission.as_mut().unwrap().max_change_rate = rate("0.5");
    assert_eq!(staking_code(&env.exec(any(paths::MSG_CREATE_VALIDATOR_URL, &m)).unwrap_err()), 14);
    let mut m = create_msg(2, 10 * VVV);
    m.min_self_delegation = (20 * VVV).to_string();
    assert_eq!(staking_code(&env.exec(any(paths::MSG_CREATE_VALIDATOR_URL, &m)).unwrap_err()), 16);
    let mut m = create_msg(2, 10 * VVV);
    m.pubkey = Some(venice_types::tx::secp256k1_pubkey_any(&[2u8; 33]));
    assert_eq!(staking_code(&env.exec(any(paths::MSG_CREATE_VALIDATOR_URL, &m)).unwrap_err()), 6);
    let mut m = create_msg(2, 10 * VVV);
    m.value.as_mut().unwrap().denom = "stake".into();
    let e = env.exec(any(paths::MSG_CREATE_VALIDATOR_URL, &m)).unwrap_err();
    assert_eq!(e.abci_code(), ("sdk", 18));
    assert!(e.to_string().contains("invalid coin denomination: got stake, expected uvvv"), "{e}");
    let mut m = create_msg(2, 10 * VVV);
    m.description = None;
    assert_eq!(env.exec(any(paths::MSG_CREATE_VALIDATOR_URL, &m)).unwrap_err().abci_code(), ("sdk", 18));
    let mut m = create_msg(2, 10 * VVV);
    m.validator_address = addr(2).to_bech32();
    assert_eq!(env.exec(any(paths::MSG_CREATE_VALIDATOR_URL, &m)).unwrap_err().abci_code(), ("sdk", 7));
    // Not enough funds: bank's insufficient funds, nothing written.
    let e = env.exec(create(2, 2_000 * VVV)).unwrap_err();
    assert_eq!(e.abci_code(), ("sdk", 5));
    assert!(env.validator(&addr(2)).is_none());
    // The chain's minimum commission.
    let mut env = Env::new(Params { min_commission_rate: Dec::parse("0.05").unwrap(), ..Env::default_params() });
    env.fund(&addr(2), 100 * VVV);
    let mut m = create_msg(2, 10 * VVV);
    m.commission.as_mut().unwrap().rate = rate("0.01");
    let e = env.exec(any(paths::MSG_CREATE_VALIDATOR_URL, &m)).unwrap_err();
    assert!(e.to_string().contains("cannot set validator commission to less than minimum rate of 0.050000000000000000"), "{e}");
}

#[test]
fn delegate_and_undelegate_then_complete_after_the_unbonding_time() {
    let mut env = setup();
    env.exec(create(1, 10 * VVV)).unwrap();
    env.end_block(1, 1_000);
    let d = addr(3);
    let ev = env.exec(delegate(&d, 1, 5 * VVV)).unwrap();
    assert!(ev.iter().any(|e| e.kind == "delegate" && e.get("delegator") == Some(d.to_bech32().as_str())));
    assert_eq!(env.shares(&d, &addr(1)), Dec::from_int(5 * VVV));
    assert_eq!(env.end_block(2, 1_010)[0].power, 15);
    assert_eq!(env.balance(&bonded_pool()), 15 * VVV);

    let ev = env.exec_at(3, 1_020, undelegate(&d, 1, 2 * VVV)).unwrap();
    let unbond = ev.iter().find(|e| e.kind == "unbond").unwrap();
    assert_eq!(unbond.get("amount"), Some("2000000uvvv"));
    assert_eq!(unbond.get("completion_time"), Some("1970-01-01T00:18:40Z"), "1020 + 100 s");
    assert_eq!((env.balance(&bonded_pool()), env.balance(&not_bonded_pool())), (13 * VVV, 2 * VVV));
    assert_eq!(env.end_block(3, 1_020)[0].power, 13);
    assert_eq!(env.balance(&d), 995 * VVV);
    // Not yet mature.
    env.end_block(4, 1_119);
    assert_eq!(env.balance(&d), 995 * VVV);
    let q: pb::QueryUnbondingDelegationResponse = env
        .query(
            "UnbondingDelegation",
            pb::QueryUnbondingDelegationRequest { delegator_addr: d.to_bech32(), validator_addr: addr(1).to_valoper() },
        )
        .unwrap();
    assert_eq!(q.unbond.unwrap().entries[0].balance, "2000000");
    // Mature: paid out of the not-bonded pool.
    env.end_block(5, 1_120);
    assert_eq!(env.balance(&d), 997 * VVV);
    assert_eq!(env.balance(&not_bonded_pool()), 0);
    assert!(
        env.query::<pb::QueryUnbondingDelegationResponse>(
            "UnbondingDelegation",
            pb::QueryUnbondingDelegationRequest { delegator_addr: d.to_bech32(), validator_addr: addr(1).to_valoper() }
        )
        .is_err()
    );
}

#[test]
fn delegate_and_undelegate_failures() {
    let mut env = Env::new(Params { max_entries: 2, ..Env::default_params() });
    for i in 1..=3 {
        env.fund(&addr(i), 1_000 * VVV);
    }
    let d = addr(3);
    assert_eq!(staking_code(&env.exec(delegate(&d, 1, VVV)).unwrap_err()), 3, "no validator");
    env.exec(create(1, 10 * VVV)).unwrap();
    assert_eq!(env.exec(delegate(&d, 1, 0)).unwrap_err().abci_code(), ("sdk", 18), "zero amount");
    assert_eq!(staking_code(&env.exec(undelegate(&d, 1, VVV)).unwrap_err()), 19, "no delegation");
    env.exec(delegate(&d, 1, 5 * VVV)).unwrap();
    let e = env.exec(undelegate(&d, 1, 6 * VVV)).unwrap_err();
    assert!(e.to_string().contains("invalid shares amount"), "{e}");
    env.exec_at(2, 1_000, undelegate(&d, 1, VVV)).unwrap();
    env.exec_at(2, 1_000, undelegate(&d, 1, VVV)).unwrap();
    let u =
        env.with(|ctx, _| ctx.scoped(venice_staking::state::PREFIX, |ctx| venice_staking::state::ubd(ctx, &d, &addr(1))).unwrap().unwrap());
    assert_eq!(u.entries.len(), 1, "same height and completion: one entry");
    assert_eq!(u.entries[0].balance, 2 * VVV);
    env.exec_at(3, 1_001, undelegate(&d, 1, VVV)).unwrap();
    assert_eq!(staking_code(&env.exec_at(4, 1_002, undelegate(&d, 1, VVV)).unwrap_err()), 27, "max entries");
    // Undelegating everything removes the delegation.
    env.exec_at(4, 1_002, undelegate(&addr(1), 1, 10 * VVV)).unwrap();
    assert!(env.shares(&addr(1), &addr(1)).is_none());
}

#[test]
fn redelegation_rules() {
    let mut env = Env::new(Params { max_entries: 2, ..Env::default_params() });
    for i in 1..=4 {
        env.fund(&addr(i), 1_000 * VVV);
    }
    env.exec(create(1, 10 * VVV)).unwrap();
    env.exec(create(2, 10 * VVV)).unwrap();
    env.exec(create(3, 10 * VVV)).unwrap();
    env.end_block(1, 1_000);
    let d = addr(4);
    env.exec(delegate(&d, 1, 9 * VVV)).unwrap();
    assert_eq!(staking_code(&env.exec(redelegate(&d, 1, 1, VVV)).unwrap_err()), 29, "self redelegation");
    assert_eq!(staking_code(&env.exec(redelegate(&d, 1, 9, VVV)).unwrap_err()), 31, "no destination");
    let ev = env.exec_at(2, 1_000, redelegate(&d, 1, 2, 3 * VVV)).unwrap();
    assert!(ev.iter().any(|e| e.kind == "redelegate" && e.get("destination_validator") == Some(addr(2).to_valoper().as_str())));
    assert_eq!(env.shares(&d, &addr(2)), Dec::from_int(3 * VVV));
    assert_eq!(env.shares(&d, &addr(1)), Dec::from_int(6 * VVV));
    // The stake that arrived at 2 cannot hop on to 3 until it matures.
    assert_eq!(staking_code(&env.exec(redelegate(&d, 2, 3, VVV)).unwrap_err()), 32, "transitive");
    env.exec_at(3, 1_001, redelegate(&d, 1, 2, VVV)).unwrap();
    assert_eq!(staking_code(&env.exec_at(4, 1_002, redelegate(&d, 1, 2, VVV)).unwrap_err()), 33, "max entries");
    // Mature: the entries go, and the transitive rule no longer applies.
    let ev = env.at(5, 1_101, |ctx, k| {
        ctx.scoped(venice_staking::state::PREFIX, |ctx| k.end_block(ctx)).unwrap();
        ctx.take_events()
    });
    assert!(ev.iter().any(|e| e.kind == "complete_redelegation"), "{ev:?}");
    env.exec_at(6, 1_102, redelegate(&d, 2, 3, VVV)).unwrap();
    assert_eq!(env.balance(&bonded_pool()), 39 * VVV);
}

#[test]
fn cancel_unbonding_delegation() {
    let mut env = setup();
    env.exec(create(1, 10 * VVV)).unwrap();
    env.end_block(1, 1_000);
    let d = addr(3);
    env.exec(delegate(&d, 1, 5 * VVV)).unwrap();
    env.exec_at(7, 1_000, undelegate(&d, 1, 3 * VVV)).unwrap();
    env.end_block(7, 1_000);
    assert_eq!(env.exec(cancel(&d, 1, VVV, 8)).unwrap_err().abci_code(), ("sdk", 38), "no entry at that height");
    assert!(env.exec(cancel(&d, 1, 4 * VVV, 7)).unwrap_err().to_string().contains("greater than the unbonding delegation entry balance"));
    assert_eq!(env.exec(cancel(&d, 1, VVV, 0)).unwrap_err().abci_code(), ("sdk", 18));
    let ev = env.exec_at(8, 1_050, cancel(&d, 1, VVV, 7)).unwrap();
    assert!(ev.iter().any(|e| e.kind == "cancel_unbonding_delegation" && e.get("creation_height") == Some("7")));
    assert_eq!(env.shares(&d, &addr(1)), Dec::from_int(3 * VVV));
    env.end_block(8, 1_050);
    assert_eq!((env.balance(&bonded_pool()), env.balance(&not_bonded_pool())), (13 * VVV, 2 * VVV));
    env.exec_at(9, 1_060, cancel(&d, 1, 2 * VVV, 7)).unwrap();
    assert_eq!(staking_code(&env.exec_at(9, 1_060, cancel(&d, 1, VVV, 7)).unwrap_err()), 26, "nothing left");
    // The queued maturity finds nothing to pay.
    env.end_block(10, 2_000);
    assert_eq!(env.balance(&d), 995 * VVV);
    assert_eq!(env.balance(&not_bonded_pool()), 0);
}

#[test]
fn edit_validator_commission_once_a_day_within_max_change() {
    let mut env = setup();
    env.exec(create(1, 10 * VVV)).unwrap();
    let edit = |rate_s: Option<&str>, min_self: &str| {
        any(
            paths::MSG_EDIT_VALIDATOR_URL,
            &pb::MsgEditValidator {
                description: Some(pb::Description {
                    moniker: "[do-not-modify]".into(),
                    website: "https://v.example".into(),
                    ..Default::default()
                }),
                validator_address: addr(1).to_valoper(),
                commission_rate: rate_s.map(rate).unwrap_or_default(),
                min_self_delegation: min_self.into(),
            },
        )
    };
    let day = 24 * 3600;
    assert_eq!(staking_code(&env.exec_at(2, 1_000 + day - 1, edit(Some("0.105"), "")).unwrap_err()), 12);
    assert_eq!(staking_code(&env.exec_at(2, 1_000 + day, edit(Some("0.12"), "")).unwrap_err()), 15);
    assert_eq!(staking_code(&env.exec_at(2, 1_000 + day, edit(Some("0.25"), "")).unwrap_err()), 11);
    let ev = env.exec_at(2, 1_000 + day, edit(Some("0.11"), "")).unwrap();
    assert_eq!(ev[0].get("commission_rate"), Some("0.110000000000000000"));
    let v = env.validator(&addr(1)).unwrap();
    assert_eq!(v.description.moniker, "val1", "[do-not-modify] kept it");
    assert_eq!(v.description.website, "https://v.example");
    assert_eq!(staking_code(&env.exec_at(3, 1_000 + day + 10, edit(Some("0.1"), "")).unwrap_err()), 12, "again within 24h");
    assert_eq!(staking_code(&env.exec(edit(None, "1")).unwrap_err()), 17, "not an increase");
    assert_eq!(staking_code(&env.exec(edit(None, &(11 * VVV).to_string())).unwrap_err()), 16, "above its tokens");
    env.exec(edit(None, &(5 * VVV).to_string())).unwrap();
    assert_eq!(env.validator(&addr(1)).unwrap().min_self_delegation, 5 * VVV);
    // Below the minimum by its own unbonding: jailed, leaves the set.
    env.end_block(4, 2_000);
    env.exec_at(5, 2_000, undelegate(&addr(1), 1, 6 * VVV)).unwrap();
    assert!(env.validator(&addr(1)).unwrap().jailed);
    let u = env.end_block(5, 2_000);
    assert_eq!((u.len(), u[0].power), (1, 0));
    assert_eq!(env.validator(&addr(1)).unwrap().status, BondStatus::Unbonding);
}

#[test]
fn max_validators_cut_off_with_deterministic_ties_and_unbonding() {
    let mut env = Env::new(Params { max_validators: 2, ..Env::default_params() });
    for i in 1..=5 {
        env.fund(&addr(i), 1_000 * VVV);
    }
    env.exec(create(3, 10 * VVV)).unwrap();
    env.exec(create(2, 10 * VVV)).unwrap();
    env.exec(create(1, 5 * VVV)).unwrap();
    let u = env.end_block(1, 1_000);
    // Equal power: the lower operator address wins.
    let keys: Vec<Vec<u8>> = u
        .iter()
        .map(|u| match u.pub_key.as_ref().unwrap().sum.as_ref().unwrap() {
            venice_sdk::module::crypto::public_key::Sum::Ed25519(k) => k.clone(),
            _ => unreachable!(),
        })
        .collect();
    assert_eq!(keys, vec![cons_key(2), cons_key(3)]);
    assert_eq!(env.validator(&addr(1)).unwrap().status, BondStatus::Unbonded);
    assert_eq!((env.balance(&bonded_pool()), env.balance(&not_bonded_pool())), (20 * VVV, 5 * VVV));
    // 1 overtakes 3: 1 enters, 3 leaves with power 0 and starts unbonding.
    env.exec_at(2, 1_010, delegate(&addr(4), 1, 6 * VVV)).unwrap();
    let u = env.end_block(2, 1_010);
    assert_eq!(u.len(), 2);
    assert_eq!(u.iter().map(|u| u.power).collect::<Vec<_>>(), vec![11, 0]);
    let v3 = env.validator(&addr(3)).unwrap();
    assert_eq!((v3.status, v3.unbonding_time.secs, v3.unbonding_height), (BondStatus::Unbonding, 1_110, 2));
    assert_eq!((env.balance(&bonded_pool()), env.balance(&not_bonded_pool())), (21 * VVV, 10 * VVV));
    env.end_block(3, 1_109);
    assert_eq!(env.validator(&addr(3)).unwrap().status, BondStatus::Unbonding);
    env.end_block(4, 1_110);
    assert_eq!(env.validator(&addr(3)).unwrap().status, BondStatus::Unbonded);
    // Its operator leaves entirely: the validator is removed.
    env.exec_at(5, 1_200, undelegate(&addr(3), 3, 10 * VVV)).unwrap();
    assert!(env.validator(&addr(3)).is_none());
    // Queries by status.
    let q: pb::QueryValidatorsResponse =
        env.query("Validators", pb::QueryValidatorsRequest { status: "BOND_STATUS_BONDED".into(), pagination: None }).unwrap();
    assert_eq!(q.validators.len(), 2);
    let pool: pb::QueryPoolResponse = env.query("Pool", pb::QueryPoolRequest {}).unwrap();
    assert_eq!(pool.pool.unwrap().bonded_tokens, (21 * VVV).to_string());
}

#[test]
fn queries_and_pagination() {
    let mut env = setup();
    for i in 1..=3 {
        env.exec(create(i, 10 * VVV)).unwrap();
    }
    let d = addr(4);
    for i in 1..=3 {
        env.exec(delegate(&d, i, VVV)).unwrap();
    }
    env.end_block(1, 1_000);
    let page = |key: Vec<u8>| cosmos_sdk_proto::cosmos::base::query::v1beta1::PageRequest {
        key,
        limit: 2,
        count_total: true,
        ..Default::default()
    };
    let q: pb::QueryDelegatorDelegationsResponse = env
        .query(
            "DelegatorDelegations",
            pb::QueryDelegatorDelegationsRequest { delegator_addr: d.to_bech32(), pagination: Some(page(vec![])) },
        )
        .unwrap();
    assert_eq!(q.delegation_responses.len(), 2);
    let p = q.pagination.unwrap();
    assert_eq!(p.total, 3);
    let q2: pb::QueryDelegatorDelegationsResponse = env
        .query(
            "DelegatorDelegations",
            pb::QueryDelegatorDelegationsRequest { delegator_addr: d.to_bech32(), pagination: Some(page(p.next_key)) },
        )
        .unwrap();
    assert_eq!(q2.delegation_responses.len(), 1);
    assert!(q2.pagination.unwrap().next_key.is_empty());
    let r = &q.delegation_responses[0];
    assert_eq!(r.balance.as_ref().unwrap().amount, VVV.to_string());
    assert_eq!(r.delegation.as_ref().unwrap().shares, Dec::from_int(VVV).unwrap().to_atto_string());
    let q: pb::QueryValidatorDelegationsResponse = env
        .query("ValidatorDelegations", pb::QueryValidatorDelegationsRequest { validator_addr: addr(2).to_valoper(), pagination: None })
        .unwrap();
    assert_eq!(q.delegation_responses.len(), 2, "self and d");
    let q: pb::QueryDelegatorValidatorsResponse =
        env.query("DelegatorValidators", pb::QueryDelegatorValidatorsRequest { delegator_addr: d.to_bech32(), pagination: None }).unwrap();
    assert_eq!(q.validators.len(), 3);
    let q: pb::QueryValidatorResponse = env.query("Validator", pb::QueryValidatorRequest { validator_addr: addr(1).to_valoper() }).unwrap();
    let v = q.validator.unwrap();
    assert_eq!((v.status, v.tokens.as_str()), (pb::BondStatus::Bonded as i32, "11000000"));
    assert_eq!(v.consensus_pubkey.unwrap().type_url, paths::ED25519_PUBKEY_URL);
    assert_eq!(
        env.query::<pb::QueryValidatorResponse>("Validator", pb::QueryValidatorRequest { validator_addr: addr(9).to_valoper() })
            .unwrap_err()
            .abci_code(),
        ("sdk", 38)
    );
    let q: pb::QueryParamsResponse = env.query("Params", pb::QueryParamsRequest {}).unwrap();
    assert_eq!(q.params.unwrap().bond_denom, "uvvv");
    // Historical info of this height, from begin block.
    env.at(2, 1_001, |ctx, k| ctx.scoped(venice_staking::state::PREFIX, |ctx| k.track_historical_info(ctx)).unwrap());
    let h: pb::QueryHistoricalInfoResponse = env.query("HistoricalInfo", pb::QueryHistoricalInfoRequest { height: 2 }).unwrap();
    assert_eq!(h.hist.unwrap().valset.len(), 3);
}

#[test]
fn genesis_round_trips_through_export() {
    let mut env = setup();
    env.exec(create(1, 10 * VVV)).unwrap();
    env.exec(create(2, 7 * VVV)).unwrap();
    env.end_block(1, 1_000);
    env.exec_at(2, 1_000, delegate(&addr(3), 1, 3 * VVV)).unwrap();
    env.exec_at(2, 1_000, undelegate(&addr(3), 1, VVV)).unwrap();
    env.exec_at(2, 1_000, redelegate(&addr(3), 1, 2, VVV)).unwrap();
    env.end_block(2, 1_000);
    let exported = env.with(|ctx, _| ctx.scoped(venice_staking::state::PREFIX, venice_staking::genesis::export_genesis).unwrap());
    let json = serde_json::to_value(&exported).unwrap();
    assert_eq!(json["validators"][0]["status"], "BOND_STATUS_BONDED");
    assert_eq!(json["params"]["unbonding_time"], "100s");
    assert_eq!(json["last_validator_powers"].as_array().unwrap().len(), 2);
    // A second chain: the same balances (pools included), then this genesis.
    let mut env2 = Env::new(Env::default_params());
    for who in [addr(1), addr(2), addr(3), bonded_pool(), not_bonded_pool()] {
        let b = env.balance(&who);
        if b > 0 {
            env2.fund(&who, b);
        }
    }
    let parsed = venice_staking::genesis::parse(&json).unwrap();
    let updates = env2
        .with(|ctx, k| ctx.scoped(venice_staking::state::PREFIX, |ctx| venice_staking::genesis::init_genesis(k, ctx, &parsed)).unwrap());
    assert_eq!(updates.iter().map(|u| u.power).sum::<i64>(), 19);
    let again = env2.with(|ctx, _| ctx.scoped(venice_staking::state::PREFIX, venice_staking::genesis::export_genesis).unwrap());
    assert_eq!(serde_json::to_value(&again).unwrap(), json);
    // Pools that do not match the records are refused.
    let mut env3 = Env::new(Env::default_params());
    let e = env3.with(|ctx, k| {
        ctx.scoped(venice_staking::state::PREFIX, |ctx| venice_staking::genesis::init_genesis(k, ctx, &parsed)).unwrap_err()
    });
    assert!(e.to_string().contains("bonded pool balance is different"), "{e}");
}
