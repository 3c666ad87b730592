//! Property test: random sequences of delegations, undelegations,
//! redelegations, cancellations and block-time advances (with end blocks).
//! After every step: the bonded pool holds exactly the bonded validators'
//! tokens, the not-bonded pool the others' plus every unbonding entry's
//! balance; each validator's tokens are what its delegations' shares are
//! worth (never more); supply never changes; no account ends with more
//! than it put in.

mod common;

use common::*;
use proptest::prelude::*;
use venice_staking::{BondStatus, Params, bonded_pool, not_bonded_pool, state};
use venice_types::Dec;

const VVV: u128 = 1_000_000;
const VALS: u8 = 3;
const DELS: u8 = 3;

#[derive(Clone, Debug)]
enum Op {
    Delegate { del: u8, val: u8, amount: u128 },
    Undelegate { del: u8, val: u8, amount: u128 },
    Redelegate { del: u8, src: u8, dst: u8, amount: u128 },
    Cancel { del: u8, val: u8, amount: u128 },
    Advance { secs: i64 },
}

fn op() -> impl Strategy<Value = Op> {
    let amount = prop_oneof![1u128..10, 1u128..(20 * VVV), Just(7 * VVV)];
    prop_oneof![
        (0..DELS, 1..=VALS, amount.clone()).prop_map(|(del, val, amount)| Op::Delegate { del, val, amount }),
        (0..DELS, 1..=VALS, amount.clone()).prop_map(|(del, val, amount)| Op::Undelegate { del, val, amount }),
        (0..DELS, 1..=VALS, 1..=VALS, amount.clone()).prop_map(|(del, src, dst, amount)| Op::Redelegate { del, src, dst, amount }),
        (0..DELS, 1..=VALS, amount).prop_map(|(del, val, amount)| Op::Cancel { del, val, amount }),
        (1i64..80).prop_map(|secs| Op::Advance { secs }),
    ]
}

fn delegator(i: u8) -> venice_sdk::Address {
    addr(100 + i)
}

fn check(env: &mut Env, supply: u128) {
    let (bonded, not_bonded) = (env.balance(&bonded_pool()), env.balance(&not_bonded_pool()));
    env.with(|ctx, _| {
        ctx.scoped(state::PREFIX, |ctx| {
            let (mut b, mut nb) = (0u128, 0u128);
            for v in state::validators(ctx, None, usize::MAX).unwrap() {
                if v.status == BondStatus::Bonded {
                    b += v.tokens
                } else {
                    nb += v.tokens
                }
                // The shares outstanding are worth at most the tokens (no unit created).
                let mut shares = Dec::ZERO;
                let mut worth = 0u128;
                for (d, val, s) in state::all_delegations(ctx).unwrap() {
                    if val == v.operator {
                        shares = shares.checked_add(s).unwrap();
                        worth += v.tokens_from_shares_truncated(s).unwrap().truncate_int();
                        let _ = d;
                    }
                }
                assert_eq!(shares, v.delegator_shares, "shares of {:?}", v.operator);
                assert!(worth <= v.tokens, "delegations worth {worth} > tokens {}", v.tokens);
            }
            for u in state::all_ubds(ctx).unwrap() {
                nb += u.entries.iter().map(|e| e.balance).sum::<u128>();
            }
            assert_eq!(bonded, b, "bonded pool");
            assert_eq!(not_bonded, nb, "not-bonded pool");
        })
    });
    assert_eq!(env.supply(), supply);
    // The module's own crisis routes agree with the checks above.
    let crisis = env.with(|ctx, k| ctx.scoped(state::PREFIX, |ctx| k.check_invariants(ctx)).unwrap());
    assert!(crisis.iter().all(|i| i.broken.is_none()), "{crisis:?}");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn pools_match_the_records_and_no_unit_is_created(ops in proptest::collection::vec(op(), 1..40)) {
        let mut env = Env::new(Params { max_validators: 2, max_entries: 4, ..Env::default_params() });
        let start = 100 * VVV;
        for i in 1..=VALS { env.fund(&addr(i), start); }
        for i in 0..DELS { env.fund(&delegator(i), start); }
        for i in 1..=VALS { env.exec(create(i, (i as u128) * 3 * VVV)).unwrap(); }
        let supply = env.supply();
        let (mut height, mut time) = (1u64, 1_000i64);
        env.end_block(height, time);
        check(&mut env, supply);
        for op in ops {
            let d = |i: u8| delegator(i);
            let r = match op {
                Op::Delegate { del, val, amount } => env.exec_at(height, time, delegate(&d(del), val, amount)).map(|_| ()),
                Op::Undelegate { del, val, amount } => env.exec_at(height, time, undelegate(&d(del), val, amount)).map(|_| ()),
                Op::Redelegate { del, src, dst, amount } => env.exec_at(height, time, redelegate(&d(del), src, dst, amount)).map(|_| ()),
                Op::Cancel { del, val, amount } => {
                    let h = height as i64 - 1;
                    env.exec_at(height, time, cancel(&d(del), val, amount, h.max(1))).map(|_| ())
                }
                Op::Advance { secs } => {
                    time += secs;
                    height += 1;
                    env.end_block(height, time);
                    Ok(())
                }
            };
            // A failed message leaves no trace; either way the books balance.
            let _ = r;
            check(&mut env, supply);
        }
        // Let everything mature: every delegator can get back at most what it put in.
        height += 1;
        time += 1_000;
        env.end_block(height, time);
        check(&mut env, supply);
        for i in 0..DELS {
            let mut total = env.balance(&delegator(i));
            for v in 1..=VALS {
                if let Some(s) = env.shares(&delegator(i), &addr(v)) {
                    let val = env.validator(&addr(v)).unwrap();
                    total += val.tokens_from_shares_truncated(s).unwrap().truncate_int();
                }
            }
            prop_assert!(total <= start, "delegator {i} has {total} > {start}");
        }
    }
}
