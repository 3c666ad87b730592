//! staking's crisis invariants: they hold over a real sequence of messages
//! and end blocks, and each one reports a state broken on purpose (a record
//! written directly, behind the keeper's back).

mod common;

use common::*;
use venice_sdk::Invariant;
use venice_staking::{bonded_pool, state};
use venice_types::Dec;

const VVV: u128 = 1_000_000;

fn check(env: &mut Env) -> Vec<Invariant> {
    env.with(|ctx, k| ctx.scoped(state::PREFIX, |ctx| k.check_invariants(ctx)).unwrap())
}

fn broken(env: &mut Env) -> Vec<(String, String)> {
    check(env).into_iter().filter_map(|i| i.broken.map(|b| (i.route, b))).collect()
}

fn setup() -> Env {
    let mut env = Env::new(Env::default_params());
    for i in 1..=2 {
        env.fund(&addr(i), 100 * VVV);
    }
    env.fund(&addr(50), 100 * VVV);
    env.exec(create(1, 10 * VVV)).unwrap();
    env.exec(create(2, 5 * VVV)).unwrap();
    env.end_block(1, 1_000);
    env.exec_at(2, 1_010, delegate(&addr(50), 1, 7 * VVV)).unwrap();
    env.exec_at(2, 1_010, undelegate(&addr(50), 1, 2 * VVV)).unwrap();
    env.exec_at(2, 1_010, redelegate(&addr(50), 1, 2, VVV)).unwrap();
    env.end_block(2, 1_010);
    env
}

#[test]
fn invariants_hold_after_real_operations() {
    let mut env = setup();
    let all = check(&mut env);
    let routes: Vec<&str> = all.iter().map(|i| i.route.as_str()).collect();
    assert_eq!(routes, ["staking/module-accounts", "staking/nonnegative-power", "staking/positive-delegation", "staking/delegator-shares"]);
    assert!(broken(&mut env).is_empty(), "{all:?}");
}

#[test]
fn a_pool_out_of_step_with_the_validators_is_reported() {
    let mut env = setup();
    // One uvvv more in the bonded pool than the bonded validators hold.
    env.fund(&bonded_pool(), 1);
    let got = broken(&mut env);
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].0, "staking/module-accounts");
    assert!(got[0].1.contains("bonded pool holds 20000001uvvv, bonded validators' tokens sum to 20000000uvvv"), "{got:?}");

    // An unbonding entry's balance that the not-bonded pool never received.
    let mut env = setup();
    env.with(|ctx, _| {
        ctx.scoped(state::PREFIX, |ctx| {
            let mut u = state::ubd(ctx, &addr(50), &addr(1)).unwrap().expect("an unbonding delegation");
            u.entries[0].balance += 5;
            state::set_ubd(ctx, &u)
        })
        .unwrap()
    });
    let got = broken(&mut env);
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(got[0].1.starts_with("not-bonded pool holds 2000000uvvv"), "{got:?}");
}

#[test]
fn share_records_out_of_step_are_reported() {
    let mut env = setup();
    // A delegation whose shares no validator counts.
    env.with(|ctx, _| ctx.scoped(state::PREFIX, |ctx| state::set_delegation(ctx, &addr(60), &addr(2), Dec::ONE)).unwrap());
    let got = broken(&mut env);
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].0, "staking/delegator-shares");
    assert!(
        got[0].1.contains("delegator_shares 6000000.000000000000000000 but its delegations hold 6000001.000000000000000000"),
        "{got:?}"
    );

    // A zero-share delegation: positive-delegation (the sum still matches).
    let mut env = setup();
    env.with(|ctx, _| ctx.scoped(state::PREFIX, |ctx| state::set_delegation(ctx, &addr(61), &addr(2), Dec::ZERO)).unwrap());
    let got = broken(&mut env);
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].0, "staking/positive-delegation");

    // A validator record removed while its power-index entry stays.
    let mut env = setup();
    env.with(|ctx, _| {
        ctx.scoped(state::PREFIX, |ctx| {
            let v = state::validator(ctx, &addr(2))?.unwrap();
            state::remove_validator_record(ctx, &v)?;
            state::set_power_index(ctx, &v)
        })
        .unwrap()
    });
    let got = broken(&mut env);
    let routes: Vec<&str> = got.iter().map(|(r, _)| r.as_str()).collect();
    assert!(routes.contains(&"staking/nonnegative-power"), "{got:?}");
    assert!(routes.contains(&"staking/module-accounts"), "the removed validator's tokens are still pooled: {got:?}");

    // Tokens changed without re-indexing: a stale power-index entry.
    let mut env = setup();
    env.with(|ctx, _| {
        ctx.scoped(state::PREFIX, |ctx| {
            let mut v = state::validator(ctx, &addr(2))?.unwrap();
            v.tokens += 3 * VVV;
            state::set_validator(ctx, &v)
        })
        .unwrap()
    });
    let got = broken(&mut env);
    let power = got.iter().find(|(r, _)| r == "staking/nonnegative-power").expect("stale index reported");
    assert!(power.1.contains("is indexed at power 6 but has power 9"), "{got:?}");
}
