//! Queue order, the work budget, committee determinism and stake weighting.

use proptest::prelude::*;
use sha2::{Digest, Sha256};

use super::*;
use crate::committee::{eligible, select};
use crate::queue::{fee_per_work, key, take_within_budget};
use crate::state::TaskStatus;

fn vals(powers: &[u64]) -> Vec<ValidatorInfo> {
    powers
        .iter()
        .enumerate()
        .map(|(i, &power)| ValidatorInfo { operator: op(i as u8), consensus_address: cons(i as u8), power, jailed: false })
        .collect()
}

fn seed(n: u64) -> [u8; 32] {
    Sha256::digest(n.to_be_bytes()).into()
}

#[test]
fn queue_keys_order_allowance_first_then_fee_per_work_then_id() {
    let mut keys = [
        (key(false, 100, 1, 1), "paid 100/1 #1"),
        (key(false, 300, 2, 2), "paid 150/1 #2"),
        (key(true, 0, 1, 7), "allowance #7"),
        (key(false, 100, 1, 0), "paid 100/1 #0"),
        (key(true, 5, 1, 9), "allowance tip 5 #9"),
        (key(false, 200, 4, 3), "paid 50/1 #3"),
    ];
    keys.sort();
    let order: Vec<&str> = keys.iter().map(|(_, n)| *n).collect();
    assert_eq!(order, ["allowance tip 5 #9", "allowance #7", "paid 150/1 #2", "paid 100/1 #0", "paid 100/1 #1", "paid 50/1 #3"]);
}

proptest! {
    /// Byte order of keys is exactly (tier, fee per work descending, id).
    #[test]
    fn queue_key_order_matches_the_rule(a in (any::<bool>(), 0u128..1u128 << 100, 1u64..1000, any::<u64>()),
                                        b in (any::<bool>(), 0u128..1u128 << 100, 1u64..1000, any::<u64>())) {
        let rank = |(allow, fee, work, id): (bool, u128, u64, u64)| (!allow, std::cmp::Reverse(fee_per_work(fee, work)), id);
        prop_assert_eq!(key(a.0, a.1, a.2, a.3).cmp(&key(b.0, b.1, b.2, b.3)), rank(a).cmp(&rank(b)));
    }

    /// Budgeted selection takes a prefix that fits, and the next task would not.
    #[test]
    fn budget_takes_the_longest_fitting_prefix(works in prop::collection::vec(1u64..50, 0..40), budget in 1u64..300) {
        let head: Vec<(u64, u64)> = works.iter().enumerate().map(|(i, w)| (i as u64, *w)).collect();
        let got = take_within_budget(&head, budget);
        let used: u64 = works[..got.len()].iter().sum();
        prop_assert!(used <= budget);
        prop_assert_eq!(got.clone(), (0..got.len() as u64).collect::<Vec<_>>());
        if got.len() < works.len() {
            prop_assert!(used + works[got.len()] > budget);
        }
    }

    /// Same inputs, same committee; members are distinct and eligible.
    #[test]
    fn committees_are_deterministic_and_distinct(n in any::<u64>(), size in 1usize..6, jailed in 0usize..5) {
        let mut v = vals(&[5, 1, 7, 3, 9]);
        v[jailed].jailed = true;
        let e = eligible(v.clone());
        let a = select(&seed(n), &e, size);
        let mut shuffled = v;
        shuffled.reverse();
        prop_assert_eq!(&a, &select(&seed(n), &eligible(shuffled), size));
        prop_assert_eq!(a.len(), size.min(4));
        prop_assert!(a.iter().all(|m| m.operator != op(jailed as u8)));
        let mut ops: Vec<_> = a.iter().map(|m| m.operator.clone()).collect();
        ops.dedup();
        prop_assert_eq!(ops.len(), a.len());
    }
}

#[test]
fn single_member_committees_follow_stake() {
    let e = eligible(vals(&[10, 20, 30, 40]));
    let mut counts = [0u32; 4];
    for n in 0..100_000 {
        let c = select(&seed(n), &e, 1);
        counts[(c[0].operator.as_bytes()[0] - 100) as usize] += 1;
    }
    // Within 3% of the stake shares, and exact: the draw is deterministic.
    for (i, c) in counts.iter().enumerate() {
        let expect = 10_000 * (i as u32 + 1);
        assert!(c.abs_diff(expect) * 100 <= expect * 3, "validator {i}: {c} vs {expect}");
    }
    assert_eq!(counts, [9928, 20061, 30186, 39825]);
}

#[test]
fn zero_power_and_jailed_validators_are_never_drawn() {
    let mut v = vals(&[0, 50, 50, 50]);
    v[3].jailed = true;
    let e = eligible(v);
    assert_eq!(e.len(), 2);
    for n in 0..500 {
        let c = select(&seed(n), &e, 4);
        assert_eq!(c.len(), 2);
        assert!(c.iter().all(|m| m.operator == op(1) || m.operator == op(2)));
    }
}

#[test]
fn end_block_assigns_in_queue_order_within_the_budget_with_chain_seeded_committees() {
    let mut env = Env::new(|p| p.block_work_budget = 3);
    let model = env.list(1, 100, 2);
    let ids: Vec<u64> = (0..5u128).map(|tip| env.submit(2, &model, b"in", 1_000, tip * 10).unwrap()).collect();
    env.end_block();
    // Highest tips first: tasks 5, 4, 3 are assigned; 2 and 1 wait.
    let status: Vec<TaskStatus> = ids.iter().map(|&id| env.task(id).status).collect();
    use TaskStatus::*;
    assert_eq!(status, [Queued, Queued, Assigned, Assigned, Assigned]);
    let committee = members(&env.task(5));
    assert_eq!(committee.len(), 2);
    // Another chain executing the same blocks draws the same committees.
    let mut twin = Env::new(|p| p.block_work_budget = 3);
    let model = twin.list(1, 100, 2);
    for tip in 0..5u128 {
        twin.submit(2, &model, b"in", 1_000, tip * 10).unwrap();
    }
    twin.end_block();
    for id in 3..=5 {
        assert_eq!(env.task(id).committee, twin.task(id).committee);
    }
    env.next_block();
    env.end_block();
    assert_eq!(env.task(1).status, Assigned);
    assert_eq!(env.task(1).assigned_height, 2);
    env.invariant_holds();
}

#[test]
fn without_eligible_validators_tasks_wait() {
    let mut env = Env::new(|_| {});
    env.set_validators(&[]);
    let model = env.list(1, 100, 2);
    let id = env.submit(2, &model, b"in", 100, 0).unwrap();
    env.end_block();
    assert_eq!(env.task(id).status, TaskStatus::Queued);
}
