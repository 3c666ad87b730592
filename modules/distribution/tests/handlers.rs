//! Every distribution message, the block allocation and the staking hooks,
//! with exact amounts and the SDK's codes.

mod common;

use common::*;
use cosmos_sdk_proto::cosmos::distribution::v1beta1 as pb;
use venice_distribution::module_account;
use venice_types::Dec;

fn d(s: &str) -> Dec {
    Dec::parse(s).unwrap()
}

/// One validator (10% commission, 100 VVV self) and a delegator with 100 VVV.
fn setup() -> Env {
    let mut env = Env::new();
    for i in [1, 2, 10, 11] {
        env.mint(&addr(i), 1_000 * VVV);
    }
    env.exec(create(1, 100 * VVV, "0.1")).unwrap();
    env.exec(delegate(&addr(10), 1, 100 * VVV)).unwrap();
    env.next_block(&[]);
    env
}

fn rewards(env: &mut Env, del: &Address, val: u8) -> Vec<(String, String)> {
    let r: pb::QueryDelegationRewardsResponse = env
        .query(
            "DelegationRewards",
            pb::QueryDelegationRewardsRequest { delegator_address: del.to_bech32(), validator_address: addr(val).to_valoper() },
        )
        .unwrap();
    r.rewards.into_iter().map(|c| (c.denom, c.amount)).collect()
}

use venice_sdk::Address;

#[test]
fn fees_split_by_power_commission_and_tax_exactly() {
    let mut env = setup();
    env.mint(&fee_collector(), 1_000);
    let events = env.next_block(&[(1, true)]);
    assert_eq!(env.balance(&fee_collector()), 0);
    assert_eq!(env.balance(&module_account()), 1_000);
    // 2% tax: 20 to the pool; 980 to the validator, 98 of it commission.
    let comm = events.iter().find(|e| e.kind == "commission").unwrap();
    assert_eq!(comm.get("amount"), Some("98.000000000000000000uvvv"));
    let rew = events.iter().find(|e| e.kind == "rewards").unwrap();
    assert_eq!(rew.get("amount"), Some("980.000000000000000000uvvv"));
    assert_eq!(rew.get("validator"), Some(addr(1).to_valoper().as_str()));
    let pool: pb::QueryCommunityPoolResponse = env.query("CommunityPool", pb::QueryCommunityPoolRequest {}).unwrap();
    assert_eq!(pool.pool[0].amount, d("20").to_atto_string());
    // The two equal delegations share 882.
    assert_eq!(rewards(&mut env, &addr(10), 1), vec![("uvvv".into(), d("441").to_atto_string())]);
    assert_eq!(rewards(&mut env, &addr(1), 1), vec![("uvvv".into(), d("441").to_atto_string())]);
    let before = env.balance(&addr(10));
    let events = env.exec(withdraw(&addr(10), 1)).unwrap();
    assert_eq!(env.balance(&addr(10)), before + 441);
    let w = events.iter().find(|e| e.kind == "withdraw_rewards").unwrap();
    assert_eq!(w.get("amount"), Some("441uvvv"));
    assert_eq!(w.get("delegator"), Some(addr(10).to_bech32().as_str()));
    // A second withdrawal in the same block pays nothing, with the SDK's `0<denom>`.
    let events = env.exec(withdraw(&addr(10), 1)).unwrap();
    assert_eq!(events.iter().find(|e| e.kind == "withdraw_rewards").unwrap().get("amount"), Some("0uvvv"));
    // Commission: 98 whole coins.
    let before = env.balance(&addr(1));
    let events = env.exec(withdraw_commission(1)).unwrap();
    assert_eq!(env.balance(&addr(1)), before + 98);
    assert_eq!(events.iter().find(|e| e.kind == "withdraw_commission").unwrap().get("amount"), Some("98uvvv"));
    assert_eq!(code(&env.exec(withdraw_commission(1)).unwrap_err()), ("distribution".into(), 7));
    env.assert_sound();
}

#[test]
fn only_signers_earn_and_by_power() {
    let mut env = setup();
    env.exec(create(2, 300 * VVV, "0")).unwrap();
    env.next_block(&[]);
    env.mint(&fee_collector(), 10_000);
    // Validator 1 (200 VVV) absent, validator 2 (300 VVV) signed: all to 2.
    env.next_block(&[(1, false), (2, true)]);
    let out: pb::QueryValidatorOutstandingRewardsResponse = env
        .query("ValidatorOutstandingRewards", pb::QueryValidatorOutstandingRewardsRequest { validator_address: addr(1).to_valoper() })
        .unwrap();
    assert!(out.rewards.unwrap().rewards.is_empty());
    // 9800 / 300 VVV per token, truncated at 18 digits, times the stake: the
    // last digits are the F1 dust that withdrawal leaves to the pool.
    assert_eq!(rewards(&mut env, &addr(2), 2), vec![("uvvv".into(), d("9799.9999999998").to_atto_string())]);
    // Both sign: 2/5 and 3/5 of 9800.
    env.mint(&fee_collector(), 10_000);
    env.next_block(&[(1, true), (2, true)]);
    let out: pb::QueryValidatorOutstandingRewardsResponse = env
        .query("ValidatorOutstandingRewards", pb::QueryValidatorOutstandingRewardsRequest { validator_address: addr(1).to_valoper() })
        .unwrap();
    assert_eq!(out.rewards.unwrap().rewards[0].amount, d("3920").to_atto_string());
    env.assert_sound();
}

#[test]
fn no_signers_sends_everything_to_the_community_pool() {
    let mut env = setup();
    env.mint(&fee_collector(), 777);
    env.next_block(&[(1, false)]);
    let pool: pb::QueryCommunityPoolResponse = env.query("CommunityPool", pb::QueryCommunityPoolRequest {}).unwrap();
    assert_eq!(pool.pool[0].amount, d("777").to_atto_string());
    env.assert_sound();
}

#[test]
fn changing_a_delegation_withdraws_its_rewards_first() {
    let mut env = setup();
    env.mint(&fee_collector(), 1_000);
    env.next_block(&[(1, true)]);
    let before = env.balance(&addr(10));
    let events = env.exec(delegate(&addr(10), 1, 10 * VVV)).unwrap();
    assert_eq!(env.balance(&addr(10)), before + 441 - 10 * VVV);
    assert!(events.iter().any(|e| e.kind == "withdraw_rewards" && e.get("amount") == Some("441uvvv")));
    assert!(rewards(&mut env, &addr(10), 1).is_empty());
    // Undelegating and redelegating withdraw too.
    env.exec(create(2, 10 * VVV, "0")).unwrap();
    env.mint(&fee_collector(), 2_100);
    env.next_block(&[(1, true)]);
    let pending = rewards(&mut env, &addr(10), 1);
    let owed: u128 = Dec::from_atto_str(&pending[0].1).unwrap().truncate_int();
    let before = env.balance(&addr(10));
    env.exec(redelegate(&addr(10), 1, 2, 5 * VVV)).unwrap();
    assert_eq!(env.balance(&addr(10)), before + owed);
    env.mint(&fee_collector(), 2_100);
    env.next_block(&[(1, true), (2, true)]);
    env.exec(undelegate(&addr(10), 1, 5 * VVV)).unwrap();
    env.assert_sound();
}

#[test]
fn withdraw_address_receives_rewards_and_is_checked() {
    let mut env = setup();
    let events = env.exec(set_withdraw(&addr(10), &addr(11))).unwrap();
    assert_eq!(
        events.iter().find(|e| e.kind == "set_withdraw_address").unwrap().get("withdraw_address"),
        Some(addr(11).to_bech32().as_str())
    );
    let q: pb::QueryDelegatorWithdrawAddressResponse = env
        .query("DelegatorWithdrawAddress", pb::QueryDelegatorWithdrawAddressRequest { delegator_address: addr(10).to_bech32() })
        .unwrap();
    assert_eq!(q.withdraw_address, addr(11).to_bech32());
    env.mint(&fee_collector(), 1_000);
    env.next_block(&[(1, true)]);
    let (b10, b11) = (env.balance(&addr(10)), env.balance(&addr(11)));
    env.exec(withdraw(&addr(10), 1)).unwrap();
    assert_eq!((env.balance(&addr(10)), env.balance(&addr(11))), (b10, b11 + 441));
    // Module accounts may not receive rewards.
    let e = env.exec(set_withdraw(&addr(10), &module_account())).unwrap_err();
    assert_eq!(code(&e), ("sdk".into(), 4));
    let e = env.exec(set_withdraw(&addr(10), &venice_staking::bonded_pool())).unwrap_err();
    assert_eq!(code(&e), ("sdk".into(), 4));
    // Back to the delegator: the record is removed.
    env.exec(set_withdraw(&addr(10), &addr(10))).unwrap();
    let q: pb::QueryDelegatorWithdrawAddressResponse = env
        .query("DelegatorWithdrawAddress", pb::QueryDelegatorWithdrawAddressRequest { delegator_address: addr(10).to_bech32() })
        .unwrap();
    assert_eq!(q.withdraw_address, addr(10).to_bech32());
    env.assert_sound();
}

#[test]
fn withdraw_address_can_be_disabled() {
    let params = venice_distribution::Params { withdraw_addr_enabled: false, ..Default::default() };
    let mut env = Env::with_params(params);
    env.mint(&addr(10), VVV);
    assert_eq!(code(&env.exec(set_withdraw(&addr(10), &addr(11))).unwrap_err()), ("distribution".into(), 8));
}

#[test]
fn fund_community_pool_and_errors() {
    let mut env = setup();
    env.exec(fund_pool(&addr(11), 12_345)).unwrap();
    let pool: pb::QueryCommunityPoolResponse = env.query("CommunityPool", pb::QueryCommunityPoolRequest {}).unwrap();
    assert_eq!(pool.pool[0].amount, d("12345").to_atto_string());
    assert!(env.exec(fund_pool(&addr(99), 1)).is_err(), "no funds");
    // The keeper call other modules use.
    let dist = env.dist.clone();
    env.with(|ctx, _, _| dist.fund_community_pool(ctx, &addr(11), &venice_sdk::Coins::parse("5uvvv").unwrap())).unwrap();
    let pool: pb::QueryCommunityPoolResponse = env.query("CommunityPool", pb::QueryCommunityPoolRequest {}).unwrap();
    assert_eq!(pool.pool[0].amount, d("12350").to_atto_string());
    // Withdrawing from a validator without a delegation.
    assert_eq!(code(&env.exec(withdraw(&addr(11), 1)).unwrap_err()), ("distribution".into(), 5));
    assert_eq!(code(&env.exec(withdraw(&addr(11), 7)).unwrap_err()), ("distribution".into(), 6));
    env.assert_sound();
}

#[test]
fn slashes_split_the_reward_periods() {
    let mut env = setup();
    env.mint(&fee_collector(), 1_000);
    env.next_block(&[(1, true)]);
    // Half of validator 1 is slashed: rewards before at full stake, after at half.
    env.slash(1, d("0.5"));
    let slashes: pb::QueryValidatorSlashesResponse = env
        .query(
            "ValidatorSlashes",
            pb::QueryValidatorSlashesRequest {
                validator_address: addr(1).to_valoper(),
                starting_height: 0,
                ending_height: 100,
                pagination: None,
            },
        )
        .unwrap();
    assert_eq!(slashes.slashes.len(), 1);
    assert_eq!(slashes.slashes[0].fraction, d("0.5").to_atto_string());
    env.mint(&fee_collector(), 1_000);
    env.next_block(&[(1, true)]);
    // 441 before the slash; then 882 shared over 100 VVV of tokens, each half 441.
    assert_eq!(rewards(&mut env, &addr(10), 1), vec![("uvvv".into(), d("882").to_atto_string())]);
    env.assert_sound();
    let before = env.balance(&addr(10));
    env.exec(withdraw(&addr(10), 1)).unwrap();
    assert_eq!(env.balance(&addr(10)), before + 882);
    env.assert_sound();
}

#[test]
fn a_removed_validator_pays_its_commission_and_leaves_dust_to_the_pool() {
    let mut env = setup();
    env.mint(&fee_collector(), 1_001);
    env.next_block(&[(1, true)]);
    env.exec(undelegate(&addr(10), 1, 100 * VVV)).unwrap();
    let before = env.balance(&addr(1));
    env.exec(undelegate(&addr(1), 1, 100 * VVV)).unwrap();
    // Unbonding completes after 100 s; the validator goes when it is unbonded.
    for _ in 0..25 {
        env.next_block(&[]);
    }
    assert!(env.validator(&addr(1)).is_none(), "removed");
    // Its self-delegation rewards (441.4...) and commission (98.098) were paid, whole.
    assert!(env.balance(&addr(1)) >= before + 441 + 98);
    let out = env.with(|ctx, _, _| venice_distribution::state::all_outstanding(ctx).unwrap());
    assert!(out.is_empty());
    env.assert_sound();
}

#[test]
fn queries_answer_as_the_sdk() {
    let mut env = setup();
    env.mint(&fee_collector(), 1_000);
    env.next_block(&[(1, true)]);
    let p: pb::QueryParamsResponse = env.query("Params", pb::QueryParamsRequest {}).unwrap();
    assert_eq!(p.params.unwrap().community_tax, d("0.02").to_atto_string());
    let info: pb::QueryValidatorDistributionInfoResponse = env
        .query("ValidatorDistributionInfo", pb::QueryValidatorDistributionInfoRequest { validator_address: addr(1).to_valoper() })
        .unwrap();
    assert_eq!(info.operator_address, addr(1).to_bech32());
    assert_eq!(info.commission[0].amount, d("98").to_atto_string());
    assert_eq!(info.self_bond_rewards[0].amount, d("441").to_atto_string());
    let c: pb::QueryValidatorCommissionResponse =
        env.query("ValidatorCommission", pb::QueryValidatorCommissionRequest { validator_address: addr(1).to_valoper() }).unwrap();
    assert_eq!(c.commission.unwrap().commission[0].amount, d("98").to_atto_string());
    let t: pb::QueryDelegationTotalRewardsResponse =
        env.query("DelegationTotalRewards", pb::QueryDelegationTotalRewardsRequest { delegator_address: addr(10).to_bech32() }).unwrap();
    assert_eq!(t.total[0].amount, d("441").to_atto_string());
    assert_eq!(t.rewards[0].validator_address, addr(1).to_valoper());
    let v: pb::QueryDelegatorValidatorsResponse =
        env.query("DelegatorValidators", pb::QueryDelegatorValidatorsRequest { delegator_address: addr(10).to_bech32() }).unwrap();
    assert_eq!(v.validators, vec![addr(1).to_valoper()]);
    let e = env
        .query::<pb::QueryValidatorCommissionResponse>(
            "ValidatorCommission",
            pb::QueryValidatorCommissionRequest { validator_address: addr(9).to_valoper() },
        )
        .unwrap_err();
    assert_eq!(code(&e), ("distribution".into(), 12));
    // Queries never write: the pending rewards are unchanged by asking twice.
    assert_eq!(rewards(&mut env, &addr(10), 1), rewards(&mut env, &addr(10), 1));
}

#[test]
fn genesis_round_trips_every_record() {
    let mut env = setup();
    env.exec(set_withdraw(&addr(10), &addr(11))).unwrap();
    env.mint(&fee_collector(), 1_003);
    env.next_block(&[(1, true)]);
    env.slash(1, d("0.1"));
    env.mint(&fee_collector(), 999);
    env.next_block(&[(1, true)]);
    let exported = env.with(|ctx, _, _| venice_distribution::genesis::export_genesis(ctx).unwrap());
    let json = serde_json::to_value(&exported).unwrap();
    assert_eq!(json["params"]["community_tax"], "0.020000000000000000");
    assert!(json["fee_pool"]["community_pool"][0]["amount"].as_str().unwrap().contains('.'));
    assert_eq!(json["validator_slash_events"].as_array().unwrap().len(), 1);
    assert!(!json["delegator_starting_infos"].as_array().unwrap().is_empty());
    // Into a fresh store holding the same module balance: the same export.
    let held = env.balance(&module_account());
    let mut fresh = Env::new();
    fresh.mint(&module_account(), held);
    let dist = fresh.dist.clone();
    let g = venice_distribution::genesis::parse(&json).unwrap();
    fresh.with(|ctx, _, _| venice_distribution::genesis::init_genesis(&dist, ctx, &g)).unwrap();
    let again = fresh.with(|ctx, _, _| venice_distribution::genesis::export_genesis(ctx).unwrap());
    assert_eq!(serde_json::to_value(&again).unwrap(), json);
    // A balance that does not match is refused.
    let mut wrong = Env::new();
    wrong.mint(&module_account(), held + 1);
    let dist = wrong.dist.clone();
    assert!(wrong.with(|ctx, _, _| venice_distribution::genesis::init_genesis(&dist, ctx, &g)).is_err());
}

#[test]
fn invariants_detect_a_broken_module_account() {
    let mut env = setup();
    env.mint(&fee_collector(), 1_000);
    env.next_block(&[(1, true)]);
    env.assert_sound();
    env.mint(&module_account(), 1);
    let broken: Vec<_> = env.invariants().into_iter().filter(|i| i.broken.is_some()).map(|i| i.route).collect();
    assert_eq!(broken, vec!["distribution/module-account".to_string()]);
}
