//! The credit mint curve, the daily allowance, and the vote-extension format.

use proptest::prelude::*;
use sha2::{Digest, Sha256};
use venice_types::inference::{InferenceVoteExtension, TaskResult};

use super::*;
use crate::credits::{self, mint_cost, price};
use crate::extension::{Limits, build_extension, verify_extension_format};

fn curve(base: u128, scale: u128, k: u32) -> Params {
    Params { credit_base_rate: base, credit_curve_scale: scale, credit_curve_exponent: k, ..Params::default() }
}

/// The sum the closed forms stand for, one credit at a time (small cases).
fn brute(p: &Params, s: u128, m: u128) -> u128 {
    let den = p.credit_curve_scale.pow(p.credit_curve_exponent);
    let num: u128 = (s..s + m).map(|i| p.credit_base_rate * (p.credit_curve_scale + i).pow(p.credit_curve_exponent)).sum();
    num.div_ceil(den)
}

#[test]
fn mint_curve_exact_values() {
    // Linear: the i-th credit costs 1000 * (10 + i) / 10.
    let p = curve(1_000, 10, 1);
    assert_eq!(price(&p, 0), Some(1_000));
    assert_eq!(price(&p, 10), Some(2_000));
    assert_eq!(mint_cost(&p, 0, 10), Some(14_500)); // 1000 * (10+...+19) / 10
    assert_eq!(mint_cost(&p, 0, 3), Some(3_300));
    // Flat with exponent 0.
    assert_eq!(mint_cost(&curve(7, 10, 0), 123, 5), Some(35));
    // Quadratic, rounded up once: 3 * (5^2 + 6^2) / 25 = 183/25 -> 8.
    assert_eq!(mint_cost(&curve(3, 5, 2), 0, 2), Some(8));
    // Past the range or overflowing: refused, never wrapped.
    assert_eq!(mint_cost(&curve(u128::MAX / 2, 1, 4), 0, 1_000_000), None);
    assert_eq!(mint_cost(&p, credits::MAX_CREDITS_OUTSTANDING, 1), None);
}

proptest! {
    #[test]
    fn closed_forms_equal_the_sum(base in 1u128..10_000, scale in 1u128..50, k in 0u32..=4, s in 0u128..200, m in 0u128..50) {
        let p = curve(base, scale, k);
        prop_assert_eq!(mint_cost(&p, s, m), Some(brute(&p, s, m)));
    }

    /// The price never falls as credits outstanding grow, and a split mint
    /// never costs less than one mint (rounding favours the chain).
    #[test]
    fn price_is_monotone_and_splitting_does_not_pay(base in 1u128..1_000_000_000, scale in 1u128..1_000_000_000_000, k in 0u32..=4,
                                                    s in 0u128..1_000_000_000, a in 1u128..1_000_000, b in 1u128..1_000_000) {
        let p = curve(base, scale, k);
        prop_assert!(price(&p, s).unwrap() <= price(&p, s + a).unwrap());
        let whole = mint_cost(&p, s, a + b).unwrap();
        let split = mint_cost(&p, s, a).unwrap() + mint_cost(&p, s + a, b).unwrap();
        prop_assert!(split >= whole && split <= whole + 1);
    }
}

#[test]
fn mint_locks_stake_and_burn_unlocks_it() {
    let mut env = Env::new(|p| {
        p.credit_base_rate = 1_000;
        p.credit_curve_scale = 10;
        p.credit_curve_exponent = 1;
        p.credit_contract = credit_contract().to_bech32();
    });
    env.d.book().stake.insert(addr(3), (20_000, 0));
    let mint = |n: &str, max: &str| pb::MsgMintCredits { owner: addr(3).to_bech32(), credits: n.into(), max_stake: max.into() };
    let e = env.exec(handlers::MSG_MINT_CREDITS, &mint("10", "14499")).unwrap_err();
    assert_eq!(e.abci_code(), ("inference", 17));
    let r = env.exec(handlers::MSG_MINT_CREDITS, &mint("10", "")).unwrap();
    assert_eq!(pb::MsgMintCreditsResponse::decode(r.value.as_slice()).unwrap().locked, "14500");
    assert_eq!(env.d.book().stake[&addr(3)], (20_000, 14_500));
    assert_eq!(env.d.book().credit_tokens[&addr(3)], 10);
    // The next 10 cost 1000 * (20+...+29) / 10 = 24500: more than is left.
    let e = env.exec(handlers::MSG_MINT_CREDITS, &mint("10", "")).unwrap_err();
    assert_eq!(e.abci_code(), ("sdk", 5));
    let burn = |n: &str| pb::MsgBurnCredits { owner: addr(3).to_bech32(), credits: n.into() };
    let r = env.exec(handlers::MSG_BURN_CREDITS, &burn("4")).unwrap();
    assert_eq!(pb::MsgBurnCreditsResponse::decode(r.value.as_slice()).unwrap().unlocked, "5800");
    let r = env.exec(handlers::MSG_BURN_CREDITS, &burn("6")).unwrap();
    assert_eq!(pb::MsgBurnCreditsResponse::decode(r.value.as_slice()).unwrap().unlocked, "8700");
    assert_eq!(env.d.book().stake[&addr(3)], (20_000, 0));
    assert_eq!(env.d.book().credit_tokens[&addr(3)], 0);
    assert_eq!(env.scoped(|ctx, _| state::credits_total(ctx)).unwrap(), 0);
    let e = env.exec(handlers::MSG_BURN_CREDITS, &burn("1")).unwrap_err();
    assert_eq!(e.abci_code(), ("inference", 16));
}

#[test]
fn the_daily_allowance_pays_first_and_resets_at_the_utc_day_boundary() {
    let mut env = Env::new(|p| {
        p.credit_base_rate = 1;
        p.credit_curve_scale = 1_000_000;
        p.allowance_per_credit = 1;
    });
    env.time = 86_400 * 20_001 - 20; // 20 s before midnight UTC
    env.d.book().stake.insert(addr(4), (1_000, 0));
    let m = pb::MsgMintCredits { owner: addr(4).to_bech32(), credits: "2".into(), max_stake: String::new() };
    env.exec(handlers::MSG_MINT_CREDITS, &m).unwrap();
    let model = env.list(1, 100, 1);
    let before = env.balance(&addr(4));
    // Two calls from the allowance (free, max fee 0 is enough), the third pays.
    let a = env.submit(4, &model, b"x", 0, 0).unwrap();
    let b = env.submit(4, &model, b"x", 0, 0).unwrap();
    let e = env.submit(4, &model, b"x", 0, 0).unwrap_err();
    assert_eq!(e.abci_code(), ("inference", 9));
    let c = env.submit(4, &model, b"x", 100, 0).unwrap();
    assert_eq!([env.task(a).allowance_used, env.task(b).allowance_used, env.task(c).allowance_used], [1, 1, 0]);
    assert_eq!(env.balance(&addr(4)), before - 100);
    // Allowance tasks are ahead of the paid one in the queue.
    let q: Vec<u64> = env.scoped(|ctx, _| state::queue_head(ctx, 10)).unwrap().into_iter().map(|(_, id)| id).collect();
    assert_eq!(q, [a, b, c]);
    // One second before midnight: still spent. At midnight: reset.
    env.time += 19;
    assert!(env.submit(4, &model, b"x", 0, 0).is_err());
    env.time += 1;
    assert_eq!(env.time % 86_400, 0);
    let d = env.submit(4, &model, b"x", 0, 0).unwrap();
    assert_eq!(env.task(d).allowance_used, 1);
    assert_eq!(env.task(d).allowance_day, 20_001);
    env.invariant_holds();
}

fn limits() -> Limits {
    Limits { max_bytes: 1024, max_results: 4, max_inline_output_bytes: 64 }
}

fn result(id: u64, output: &[u8]) -> TaskResult {
    let hash = if output.is_empty() { vec![id as u8; 32] } else { Sha256::digest(output).to_vec() };
    TaskResult { task_id: id, output_hash: hash, output: output.to_vec() }
}

fn encode(results: Vec<TaskResult>) -> Vec<u8> {
    InferenceVoteExtension { results }.encode_to_vec()
}

#[test]
fn extension_format_accepts_well_formed_extensions() {
    assert_eq!(verify_extension_format(&[], &limits()).unwrap().results.len(), 0);
    let ok = encode(vec![result(1, b""), result(2, b"out"), result(9, b"")]);
    assert_eq!(verify_extension_format(&ok, &limits()).unwrap().results.len(), 3);
}

#[test]
fn extension_format_refuses_oversize_garbage_and_too_many_results() {
    let code = |bytes: &[u8]| verify_extension_format(bytes, &limits()).unwrap_err().code();
    // Oversize.
    assert_eq!(code(&vec![0u8; 1025]), 15);
    let big_output = encode(vec![result(1, &[1u8; 65])]);
    assert!(verify_extension_format(&big_output, &limits()).is_err());
    // Garbage, and well-formed protobuf with unknown fields.
    assert!(verify_extension_format(&[0xff, 0xff, 0xff], &limits()).is_err());
    let mut unknown = encode(vec![result(1, b"")]);
    unknown.extend_from_slice(&[0x10, 0x01]); // field 2, varint 1
    assert!(verify_extension_format(&unknown, &limits()).is_err());
    // Too many results.
    assert!(verify_extension_format(&encode((1..=5).map(|i| result(i, b"")).collect()), &limits()).is_err());
    // Repeated or unordered ids, task id 0, short hashes, outputs not matching.
    assert!(verify_extension_format(&encode(vec![result(2, b""), result(1, b"")]), &limits()).is_err());
    assert!(verify_extension_format(&encode(vec![result(1, b""), result(1, b"")]), &limits()).is_err());
    assert!(verify_extension_format(&encode(vec![result(0, b"")]), &limits()).is_err());
    let short = TaskResult { task_id: 1, output_hash: vec![1; 31], output: vec![] };
    assert!(verify_extension_format(&encode(vec![short]), &limits()).is_err());
    let lying = TaskResult { task_id: 1, output_hash: vec![1; 32], output: b"x".to_vec() };
    assert!(verify_extension_format(&encode(vec![lying]), &limits()).is_err());
}

#[test]
fn built_extensions_always_pass_the_format_check() {
    let many: Vec<TaskResult> = (1..=10).rev().map(|i| result(i, if i % 2 == 0 { &[7u8; 100] } else { b"ok" })).collect();
    let bytes = build_extension(many, &limits());
    let ext = verify_extension_format(&bytes, &limits()).unwrap();
    assert_eq!(ext.results.iter().map(|r| r.task_id).collect::<Vec<_>>(), [1, 2, 3, 4]);
    assert!(ext.results[1].output.is_empty(), "outputs over the inline limit are left out");
    assert_eq!(ext.results[0].output, b"ok");
}

#[test]
fn without_a_credit_contract_credits_live_in_module_state_only() {
    let mut env = Env::new(|p| {
        p.credit_base_rate = 1_000;
        p.credit_curve_scale = 10;
    });
    env.d.book().stake.insert(addr(3), (20_000, 0));
    let mint = pb::MsgMintCredits { owner: addr(3).to_bech32(), credits: "2".into(), max_stake: String::new() };
    env.exec(handlers::MSG_MINT_CREDITS, &mint).unwrap();
    assert_eq!(env.scoped(|ctx, _| state::credits_total(ctx)).unwrap(), 2);
    assert!(env.d.book().credit_tokens.is_empty(), "no token contract was called");
    let burn = pb::MsgBurnCredits { owner: addr(3).to_bech32(), credits: "2".into() };
    env.exec(handlers::MSG_BURN_CREDITS, &burn).unwrap();
    assert_eq!(env.d.book().stake[&addr(3)], (20_000, 0));
}

#[test]
fn a_bad_credit_contract_param_is_refused() {
    let p = Params { credit_contract: "not-an-address".into(), ..Params::default() };
    assert!(p.validate().unwrap_err().contains("credit_contract"));
    assert!(Params { credit_contract: credit_contract().to_bech32(), ..Params::default() }.validate().is_ok());
}
