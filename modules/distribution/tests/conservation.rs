//! Property: over random sequences of delegations, undelegations,
//! redelegations, fee allocations (with random signers), withdrawals,
//! commission withdrawals, slashes, community pool funding and withdraw
//! address changes, no unit is created or lost (every balance adds up to
//! the supply, and the distribution module holds exactly what it owes,
//! truncated) and every distribution invariant holds after every step.

mod common;

use common::*;
use proptest::prelude::*;
use venice_types::Dec;

#[derive(Clone, Debug)]
enum Op {
    Delegate { del: u8, val: u8, amount: u128 },
    Undelegate { del: u8, val: u8, amount: u128 },
    Redelegate { del: u8, src: u8, dst: u8, amount: u128 },
    Block { fees: u128, signers: [bool; 3] },
    Withdraw { del: u8, val: u8 },
    WithdrawCommission { val: u8 },
    Slash { val: u8, per_mille: u64 },
    Fund { del: u8, amount: u128 },
    SetWithdraw { del: u8, to: u8 },
}

fn op() -> impl Strategy<Value = Op> {
    let del = 10u8..14;
    let val = 1u8..4;
    prop_oneof![
        1 => (del.clone(), val.clone(), 1u128..50_000_000).prop_map(|(del, val, amount)| Op::Delegate { del, val, amount }),
        1 => (del.clone(), val.clone(), 1u128..60_000_000).prop_map(|(del, val, amount)| Op::Undelegate { del, val, amount }),
        1 => (del.clone(), val.clone(), val.clone(), 1u128..60_000_000).prop_map(|(del, src, dst, amount)| Op::Redelegate { del, src, dst, amount }),
        3 => (0u128..5_000_000, proptest::prelude::any::<[bool; 3]>()).prop_map(|(fees, signers)| Op::Block { fees, signers }),
        1 => (del.clone(), val.clone()).prop_map(|(del, val)| Op::Withdraw { del, val }),
        1 => val.clone().prop_map(|val| Op::WithdrawCommission { val }),
        1 => (val.clone(), 1u64..300).prop_map(|(val, per_mille)| Op::Slash { val, per_mille }),
        1 => (del.clone(), 1u128..1_000_000).prop_map(|(del, amount)| Op::Fund { del, amount }),
        1 => (del.clone(), 10u8..16).prop_map(|(del, to)| Op::SetWithdraw { del, to }),
    ]
}

fn setup() -> Env {
    let mut env = Env::new();
    for i in [1, 2, 3, 10, 11, 12, 13] {
        env.mint(&addr(i), 1_000 * VVV);
    }
    env.exec(create(1, 10 * VVV + 7, "0.1")).unwrap();
    env.exec(create(2, 33 * VVV + 1, "0.05")).unwrap();
    env.exec(create(3, 5 * VVV + 3, "0.333")).unwrap();
    env.next_block(&[]);
    env
}

fn apply(env: &mut Env, op: &Op) {
    // Messages may fail (no such delegation, too few shares…): a failure
    // must leave everything sound too.
    let _ = match *op {
        Op::Delegate { del, val, amount } => env.exec(delegate(&addr(del), val, amount)),
        Op::Undelegate { del, val, amount } => env.exec(undelegate(&addr(del), val, amount)),
        Op::Redelegate { del, src, dst, amount } => env.exec(redelegate(&addr(del), src, dst, amount)),
        Op::Block { fees, signers } => {
            if fees > 0 {
                env.mint(&fee_collector(), fees);
            }
            let s: Vec<(u8, bool)> = (1..=3).map(|i| (i, signers[i as usize - 1])).collect();
            env.next_block(&s);
            Ok(vec![])
        }
        Op::Withdraw { del, val } => env.exec(withdraw(&addr(del), val)),
        Op::WithdrawCommission { val } => env.exec(withdraw_commission(val)),
        Op::Slash { val, per_mille } => {
            // Slashes happen at the start of a block (evidence and downtime
            // are handled in begin block), before any transaction of it.
            env.next_block(&[]);
            if env.validator(&addr(val)).is_some_and(|v| v.tokens > 0) {
                env.slash(val, Dec::from_atto(per_mille as u128 * 1_000_000_000_000_000));
            }
            Ok(vec![])
        }
        Op::Fund { del, amount } => env.exec(fund_pool(&addr(del), amount)),
        Op::SetWithdraw { del, to } => env.exec(set_withdraw(&addr(del), &addr(to))),
    };
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn nothing_created_or_lost(ops in proptest::collection::vec(op(), 1..40)) {
        let mut env = setup();
        let mut supply = env.supply();
        for op in &ops {
            let minted = match op {
                Op::Block { fees, .. } => *fees,
                _ => 0,
            };
            let before = env.supply();
            apply(&mut env, op);
            env.assert_sound();
            // Only the test's fee mints and the slashes' burns change the supply.
            if !matches!(op, Op::Slash { .. }) {
                prop_assert_eq!(env.supply(), before + minted, "{:?}", op);
            }
            supply = env.supply();
        }
        // In the end, everyone can take everything owed: only dust stays behind.
        for del in 10..14 {
            for val in 1..4 {
                let _ = env.exec(withdraw(&addr(del), val));
            }
        }
        for val in 1..4 {
            let _ = env.exec(withdraw_commission(val));
        }
        env.assert_sound();
        prop_assert_eq!(env.sum_of_balances(), supply);
    }
}
