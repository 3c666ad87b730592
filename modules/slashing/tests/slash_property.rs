//! Property test: random delegations, undelegations, redelegations, block
//! advances and slashes (at random past infraction heights and fractions).
//! After every step the pools hold exactly what the validators and the
//! unbonding entries are owed, and the supply has fallen by exactly the
//! coins bank burned: no unit created or lost by a slash.

mod common;

use common::*;
use proptest::prelude::*;
use venice_sdk::CometInfo;
use venice_staking::{BondStatus, bonded_pool, not_bonded_pool, state};
use venice_types::Dec;

const VALS: u8 = 3;

#[derive(Clone, Debug)]
enum Op {
    Delegate { del: u8, val: u8, amount: u128 },
    Undelegate { del: u8, val: u8, amount: u128 },
    Redelegate { del: u8, src: u8, dst: u8, amount: u128 },
    Slash { val: u8, back: u64, power: i64, permille: u128 },
    Advance,
}

fn op() -> impl Strategy<Value = Op> {
    let amount = prop_oneof![1u128..10, 1u128..(20 * VVV)];
    prop_oneof![
        (0u8..2, 1..=VALS, amount.clone()).prop_map(|(del, val, amount)| Op::Delegate { del, val, amount }),
        (0u8..2, 1..=VALS, amount.clone()).prop_map(|(del, val, amount)| Op::Undelegate { del, val, amount }),
        (0u8..2, 1..=VALS, 1..=VALS, amount).prop_map(|(del, src, dst, amount)| Op::Redelegate { del, src, dst, amount }),
        (1..=VALS, 0u64..6, 1i64..200, 0u128..=1000).prop_map(|(val, back, power, permille)| Op::Slash { val, back, power, permille }),
        Just(Op::Advance),
    ]
}

fn delegator(i: u8) -> venice_sdk::Address {
    addr(50 + i)
}

fn burned(env: &mut Env) -> u128 {
    env.take_events()
        .iter()
        .filter(|e| e.kind == "burn")
        .map(|e| e.get("amount").unwrap().trim_end_matches(DENOM).parse::<u128>().unwrap())
        .sum()
}

fn check(env: &mut Env) {
    let (bonded, not_bonded) = (env.balance(&bonded_pool()), env.balance(&not_bonded_pool()));
    env.at(0, |ctx, _| {
        ctx.scoped(state::PREFIX, |ctx| {
            let (mut b, mut nb) = (0u128, 0u128);
            for v in state::validators(ctx, None, usize::MAX).unwrap() {
                if v.status == BondStatus::Bonded { b += v.tokens } else { nb += v.tokens }
            }
            for u in state::all_ubds(ctx).unwrap() {
                nb += u.entries.iter().map(|e| e.balance).sum::<u128>();
            }
            assert_eq!((bonded, not_bonded), (b, nb), "pools against what they back");
        })
    });
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]
    #[test]
    fn slashes_burn_exactly_what_leaves_the_pools(ops in proptest::collection::vec(op(), 1..40)) {
        let mut env = Env::new(Env::staking_params(), Env::slashing_params());
        for i in 1..=VALS {
            env.fund(&addr(i), 1_000 * VVV);
            env.staking_msg(1, create(i, 100 * VVV)).unwrap();
        }
        for d in 0..2 {
            env.fund(&delegator(d), 1_000 * VVV);
        }
        env.block(1, CometInfo::default());
        let start = env.supply();
        let mut total_burned = 0u128;
        let mut height = 1u64;
        for op in ops {
            height += 1;
            let before = env.supply();
            env.take_events();
            match op {
                Op::Delegate { del, val, amount } => { let _ = env.staking_msg(height, delegate(&delegator(del), val, amount)); }
                Op::Undelegate { del, val, amount } => { let _ = env.staking_msg(height, undelegate(&delegator(del), val, amount)); }
                Op::Redelegate { del, src, dst, amount } => { let _ = env.staking_msg(height, redelegate(&delegator(del), src, dst, amount)); }
                Op::Slash { val, back, power, permille } => {
                    let f = Dec::from_atto(permille * 1_000_000_000_000_000);
                    let infraction = height.saturating_sub(back) as i64;
                    let from_validator = env.at(height, |ctx, env| {
                        ctx.push_layer();
                        let r = env.staking.slash(ctx, &cons(val), infraction, power, f);
                        if r.is_ok() { ctx.commit_layer() } else { ctx.discard_layer() }
                        r
                    });
                    if let Ok(b) = from_validator {
                        let cap = f.mul_int(power as u128 * VVV).unwrap().truncate_int();
                        prop_assert!(b <= cap, "burned {b} from the validator, more than the slash {cap}");
                    }
                }
                Op::Advance => {}
            }
            env.block(height, CometInfo::default());
            let b = burned(&mut env);
            total_burned += b;
            prop_assert_eq!(before - env.supply(), b, "supply falls by exactly the burn");
            check(&mut env);
        }
        prop_assert_eq!(start - env.supply(), total_burned);
    }
}
