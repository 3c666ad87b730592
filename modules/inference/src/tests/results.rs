//! The 2/3 rule, reputation, slashing reports, fee routing and refunds.

use proptest::prelude::*;

use super::*;
use crate::results::supermajority;
use crate::state::TaskStatus;

/// A model with committee size 4 (all four validators), one task of fee
/// 100 from address 2, assigned at height 1.
fn assigned_task(edit: impl FnOnce(&mut Params)) -> (Env, u64) {
    let mut env = Env::new(edit);
    let model = env.list(1, 100, 4);
    let id = env.submit(2, &model, b"in", 100, 0).unwrap();
    env.end_block();
    assert_eq!(members(&env.task(id)).len(), 4);
    (env, id)
}

#[test]
fn more_than_two_thirds_strictly() {
    assert!(!supermajority(2, 3));
    assert!(supermajority(3, 4));
    assert!(!supermajority(20, 30));
    assert!(supermajority(21, 30));
    assert!(!supermajority(0, 0));
}

#[test]
fn exactly_two_thirds_of_the_committee_power_is_not_enough() {
    // Powers 10, 20, 30: 10 + 30 = 40 of 60 is exactly 2/3.
    let mut env = Env::new(|_| {});
    env.set_validators(&[10, 20, 30]);
    let model = env.list(1, 100, 3);
    let id = env.submit(2, &model, b"in", 100, 0).unwrap();
    env.end_block();
    env.report(1, &[(0, id, 7), (2, id, 7), (1, id, 8)]);
    assert_eq!(env.task(id).status, TaskStatus::Assigned);
    assert!(env.d.book().routed.is_empty());
    // The 20 switching its answer is ignored: its first answer counts.
    env.report(2, &[(1, id, 7)]);
    assert_eq!(env.task(id).status, TaskStatus::Assigned);
    env.invariant_holds();
}

#[test]
fn agreement_finalises_pays_and_moves_reputation() {
    let (mut env, id) = assigned_task(|_| {});
    let owner_before = env.balance(&addr(1));
    // 20 + 30 + 40 = 90 of 100 agree on 7; 10 said 9.
    let events = env.report(1, &[(1, id, 7), (2, id, 7), (3, id, 7), (0, id, 9)]);
    assert!(kinds(&events).contains(&"inference_result"));
    let t = env.task(id);
    assert_eq!(t.status, TaskStatus::Final);
    let r = env.scoped(|ctx, _| state::result(ctx, id)).unwrap().unwrap();
    assert_eq!(r.output_hash, [7; 32]);
    let routed = env.d.book().routed.clone();
    assert_eq!(routed.len(), 1);
    let (fee, owner, executors) = &routed[0];
    assert_eq!((*fee, owner), (100, &addr(1)));
    assert_eq!(executors.len(), 3);
    assert!(!executors.contains(&op(0)));
    assert_eq!(env.balance(&addr(1)), owner_before + 100);
    assert_eq!(env.module_balance(), 0);
    assert_eq!([env.reputation(0), env.reputation(1), env.reputation(2), env.reputation(3)], [-10, 1, 1, 1]);
    // Late answers to a final task change nothing.
    env.report(2, &[(0, id, 7)]);
    assert_eq!(env.reputation(0), -10);
    env.invariant_holds();
}

#[test]
fn silence_costs_less_than_disagreement_and_results_before_assignment_are_ignored() {
    let (mut env, id) = assigned_task(|_| {});
    // A result "from" height 0 predates the assignment (height 1).
    env.report(0, &[(0, id, 7), (1, id, 7), (2, id, 7), (3, id, 7)]);
    assert_eq!(env.task(id).status, TaskStatus::Assigned);
    // Validator 0 (power 10) stays silent, everyone else agrees.
    env.report(1, &[(1, id, 7), (2, id, 7), (3, id, 7)]);
    assert_eq!(env.task(id).status, TaskStatus::Final);
    assert_eq!(env.reputation(0), -2);
}

#[test]
fn fee_routing_with_one_and_n_executors_and_none_on_refund() {
    // One executor: a committee of one.
    let mut env = Env::new(|_| {});
    let model = env.list(1, 100, 1);
    let id = env.submit(2, &model, b"in", 150, 50).unwrap();
    env.end_block();
    let only = members(&env.task(id))[0];
    env.report(1, &[(only, id, 3)]);
    assert_eq!(env.d.book().routed, vec![(150, addr(1), vec![op(only)])]);
    env.invariant_holds();

    // N executors, paid at their payout addresses when set.
    let (mut env, id) = assigned_task(|_| {});
    let set = pb::MsgSetPayoutAddress { validator_address: op(2).to_valoper(), payout_address: addr(9).to_bech32() };
    env.exec(handlers::MSG_SET_PAYOUT_ADDRESS, &set).unwrap();
    env.report(1, &[(0, id, 4), (1, id, 4), (2, id, 4), (3, id, 4)]);
    let (fee, _, executors) = env.d.book().routed[0].clone();
    assert_eq!(fee, 100);
    let mut want = vec![op(0), op(1), addr(9), op(3)];
    let mut got = executors.clone();
    want.sort();
    got.sort();
    assert_eq!(got, want);

    // Zero executors: no agreement by the deadline, no routing, full refund.
    let (mut env, id) = assigned_task(|p| p.task_timeout_blocks = 3);
    let before = env.balance(&addr(2));
    env.report(1, &[(0, id, 1), (1, id, 2), (2, id, 3)]);
    env.next_block();
    env.next_block();
    assert_eq!(env.task(id).status, TaskStatus::Assigned);
    let events = env.next_block(); // height 4 = 1 + 3
    assert!(kinds(&events).contains(&"inference_expire"));
    assert_eq!(env.task(id).status, TaskStatus::Expired);
    assert!(env.d.book().routed.is_empty());
    assert_eq!(env.balance(&addr(2)), before + 100);
    assert_eq!(env.module_balance(), 0);
    // Those who answered keep their reputation; the silent one pays.
    assert_eq!([env.reputation(0), env.reputation(1), env.reputation(2), env.reputation(3)], [0, 0, 0, -2]);
    env.invariant_holds();
}

#[test]
fn queued_tasks_are_refunded_at_the_deadline_too() {
    let mut env = Env::new(|p| p.task_timeout_blocks = 2);
    env.set_validators(&[]);
    let model = env.list(1, 100, 2);
    let id = env.submit(2, &model, b"in", 100, 0).unwrap();
    assert_eq!(env.balance(&addr(2)), 1_000_000 - 100);
    env.next_block();
    assert_eq!(env.task(id).status, TaskStatus::Queued);
    env.next_block();
    assert_eq!(env.task(id).status, TaskStatus::Expired);
    assert_eq!(env.balance(&addr(2)), 1_000_000);
    let queue = env.scoped(|ctx, _| state::queue_head(ctx, 10)).unwrap();
    assert!(queue.is_empty());
    env.invariant_holds();
}

#[test]
fn a_result_in_the_deadline_block_wins_over_the_refund() {
    let (mut env, id) = assigned_task(|p| p.task_timeout_blocks = 2);
    env.next_block(); // height 2
    env.height += 1; // height 3 = deadline: results come before begin block
    env.report(2, &[(1, id, 5), (2, id, 5), (3, id, 5)]);
    env.height -= 1;
    env.next_block();
    assert_eq!(env.task(id).status, TaskStatus::Final);
    env.invariant_holds();
}

#[test]
fn repeated_disagreement_reaches_the_slash_threshold_once() {
    let mut env = Env::new(|p| {
        p.slash_threshold = 25;
        p.disagree_penalty = 10;
    });
    let model = env.list(1, 10, 4);
    for round in 0..3u64 {
        let id = env.submit(2, &model, b"in", 10, 0).unwrap();
        env.end_block();
        env.report(env.height, &[(0, id, 66), (1, id, 1), (2, id, 1), (3, id, 1)]);
        assert_eq!(env.task(id).status, TaskStatus::Final, "round {round}");
        env.next_block();
    }
    // -10, -20, -30 -> slashed at the third, reputation starts again at 0.
    let slashed = env.d.book().slashed.clone();
    assert_eq!(slashed.len(), 1);
    assert_eq!(slashed[0].0, cons(0));
    assert_eq!(slashed[0].2, 10);
    assert_eq!(slashed[0].3, Params::default().slash_fraction);
    assert_eq!(env.reputation(0), 0);
    assert_eq!(env.reputation(1), 3);
}

#[test]
fn inline_outputs_are_kept_only_when_they_hash_to_the_agreed_value() {
    use sha2::{Digest, Sha256};
    let (mut env, id) = assigned_task(|_| {});
    let out = b"canonical output".to_vec();
    let hash: [u8; 32] = Sha256::digest(&out).into();
    let r = |v: u8, output: Vec<u8>| ValidatorResults {
        consensus_address: cons(v),
        results: vec![ReportedResult { task_id: id, output_hash: hash, output }],
    };
    let results = Results { validators: vec![r(0, b"forged".to_vec()), r(1, vec![]), r(2, out.clone()), r(3, vec![])] };
    env.scoped(|ctx, i| i.apply_results(ctx, 1, &results)).unwrap();
    let rec = env.scoped(|ctx, _| state::result(ctx, id)).unwrap().unwrap();
    assert_eq!(rec.output, out);
    // The same bytes through MsgSubmitResult are accepted; others are not.
    let m = pb::MsgSubmitResult { sender: addr(5).to_bech32(), task_id: id, output: b"other".to_vec() };
    let e = env.exec(handlers::MSG_SUBMIT_RESULT, &m).unwrap_err();
    assert_eq!(e.abci_code(), ("inference", 13));
    let m = pb::MsgSubmitResult { output: out, ..m };
    env.exec(handlers::MSG_SUBMIT_RESULT, &m).unwrap();
}

#[test]
fn a_failing_fee_router_rolls_back_that_task_only_and_it_is_refunded_later() {
    let (mut env, id) = assigned_task(|p| p.task_timeout_blocks = 2);
    env.d.book().fail_routing = true;
    let events = env.report(1, &[(0, id, 7), (1, id, 7), (2, id, 7), (3, id, 7)]);
    assert!(events.iter().any(|e| e.kind == "inference_error" && e.get("error") == Some("internal error: router down")));
    assert!(!kinds(&events).contains(&"inference_reputation"), "the task's other writes are rolled back");
    assert_eq!(env.task(id).status, TaskStatus::Assigned);
    assert_eq!(env.reputation(1), 0);
    env.invariant_holds();
    env.next_block();
    env.next_block();
    assert_eq!(env.task(id).status, TaskStatus::Expired);
    assert_eq!(env.balance(&addr(2)), 1_000_000);
    env.invariant_holds();
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Whatever the powers and answers, a task is final exactly when one
    /// hash holds more than 2/3 of the committee's power; then exactly its
    /// voters are paid and gain reputation, the others lose it.
    #[test]
    fn the_two_thirds_rule_over_random_committees(powers in prop::collection::vec(1u64..100, 4),
                                                  answers in prop::collection::vec(prop::option::of(0u8..3), 4)) {
        let mut env = Env::new(|_| {});
        env.set_validators(&powers);
        let model = env.list(1, 100, 4);
        let id = env.submit(2, &model, b"in", 100, 0).unwrap();
        env.end_block();
        let votes: Vec<(u8, u64, u8)> = answers.iter().enumerate().filter_map(|(v, a)| a.map(|h| (v as u8, id, h))).collect();
        env.report(1, &votes);
        let total: u64 = powers.iter().sum();
        let winner = (0u8..3).find(|h| {
            let p: u64 = answers.iter().zip(&powers).filter(|(a, _)| **a == Some(*h)).map(|(_, p)| p).sum();
            3 * p > 2 * total
        });
        let t = env.task(id);
        match winner {
            None => {
                prop_assert_eq!(t.status, TaskStatus::Assigned);
                prop_assert!(env.d.book().routed.is_empty());
            }
            Some(h) => {
                prop_assert_eq!(t.status, TaskStatus::Final);
                let mut paid = env.d.book().routed[0].2.clone();
                paid.sort();
                let want: Vec<Address> = (0..4u8).filter(|&v| answers[v as usize] == Some(h)).map(op).collect();
                prop_assert_eq!(paid, want);
                for v in 0..4u8 {
                    let r = env.reputation(v);
                    match answers[v as usize] {
                        Some(a) if a == h => prop_assert_eq!(r, 1),
                        Some(_) => prop_assert_eq!(r, -10),
                        None => prop_assert_eq!(r, -2),
                    }
                }
            }
        }
        env.invariant_holds();
    }
}

#[test]
fn results_from_extensions_skip_malformed_ones() {
    use venice_types::inference::{InferenceVoteExtension, TaskResult};
    let limits = Params::default().extension_limits();
    let good =
        InferenceVoteExtension { results: vec![TaskResult { task_id: 4, output_hash: vec![9; 32], output: vec![] }] }.encode_to_vec();
    let r = Results::from_extensions(&[(cons(0), good), (cons(1), vec![0xff; 3]), (cons(2), vec![])], &limits);
    assert_eq!(r.validators.len(), 2);
    assert_eq!(r.validators[0].results, vec![ReportedResult { task_id: 4, output_hash: [9; 32], output: vec![] }]);
    assert!(r.validators[1].results.is_empty());
}

#[test]
fn ended_tasks_and_results_are_pruned_after_the_retention() {
    let (mut env, id) = assigned_task(|p| {
        p.ended_task_retention_blocks = 3;
        p.task_timeout_blocks = 4;
    });
    let model = model_id(1);
    let open = env.submit(3, &model, b"in", 100, 0).unwrap();
    env.report(1, &[(1, id, 7), (2, id, 7), (3, id, 7)]);
    let final_at = env.height;
    assert_eq!(env.task(id).ended_height, final_at);
    let task_and_result =
        |env: &mut Env, id: u64| env.scoped(|ctx, _| Ok((state::task(ctx, id)?.is_some(), state::result(ctx, id)?.is_some()))).unwrap();
    while env.height < final_at + 2 {
        env.next_block();
    }
    assert_eq!(task_and_result(&mut env, id), (true, true), "kept for the retention");
    env.next_block(); // final_at + 3: pruned in its begin block
    assert_eq!(task_and_result(&mut env, id), (false, false));
    // The other task expires at its deadline and is pruned 3 blocks later.
    let deadline = env.task(open).deadline_height;
    while env.height < deadline {
        env.next_block();
    }
    let expired = env.task(open);
    assert_eq!((expired.status, expired.ended_height), (TaskStatus::Expired, deadline));
    while env.height < deadline + 2 {
        env.next_block();
    }
    assert!(task_and_result(&mut env, open).0);
    env.next_block();
    assert_eq!(task_and_result(&mut env, open), (false, false));
    env.invariant_holds();
}

#[test]
fn a_zero_retention_keeps_ended_tasks() {
    let (mut env, id) = assigned_task(|p| p.ended_task_retention_blocks = 0);
    env.report(1, &[(1, id, 7), (2, id, 7), (3, id, 7)]);
    for _ in 0..10 {
        env.next_block();
    }
    assert_eq!(env.task(id).status, TaskStatus::Final);
}
