//! 300 pseudo-random cw20 calls on the compiled compute-credit contract in
//! cosmwasm-vm, each outcome and every balance, allowance and the supply
//! checked against a small ledger model of the cw20 rules. This exercises
//! the allocator and storage paths of the real wasm over many calls (a
//! contract built against cosmwasm-std 2.0.0 aborted on its first call).

use std::collections::BTreeMap;

use serde_json::{Value, json};
use venice_contracts_vm::Harness;

const CAP: u128 = 4_000;

#[derive(Default)]
struct Ledger {
    balances: BTreeMap<String, u128>,
    allowances: BTreeMap<(String, String), u128>,
    supply: u128,
}

impl Ledger {
    fn bal(&self, a: &str) -> u128 {
        self.balances.get(a).copied().unwrap_or(0)
    }
    fn allow(&self, o: &str, s: &str) -> u128 {
        self.allowances.get(&(o.to_string(), s.to_string())).copied().unwrap_or(0)
    }
    fn move_funds(&mut self, from: &str, to: &str, amt: u128) {
        *self.balances.entry(from.to_string()).or_default() -= amt;
        *self.balances.entry(to.to_string()).or_default() += amt;
    }
}

#[test]
fn random_cw20_calls_match_the_ledger() {
    let mut h = Harness::new("compute_credit", &[]).unwrap_or_else(|e| panic!("{e}"));
    let users: Vec<String> = (0..4).map(|i| h.addr(&format!("user{i}"))).collect();
    let minter = users[0].clone();
    h.instantiate(
        &users[0],
        &[],
        &json!({"name": "Credits", "symbol": "CRD", "decimals": 6,
                "initial_balances": users.iter().map(|u| json!({"address": u, "amount": "500"})).collect::<Vec<_>>(),
                "mint": {"minter": minter, "cap": CAP.to_string()}, "marketing": null, "admin": null}),
    )
    .unwrap();
    let mut model = Ledger { supply: 2_000, ..Default::default() };
    for u in &users {
        model.balances.insert(u.clone(), 500);
    }

    let mut seed: u64 = 0x0ddc_0ffe;
    let mut next = |n: u64| {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (seed >> 33) % n
    };
    let (mut ok, mut failed, mut checks) = (0u32, 0u32, 0u32);
    for step in 0..300 {
        let sender = users[next(4) as usize].clone();
        let to = users[next(4) as usize].clone();
        let owner = users[next(4) as usize].clone();
        let amt = u128::from(next(400));
        let a = amt.to_string();
        // Each arm: the message and whether the model says it succeeds
        // (applying it to the model when it does).
        let (msg, expect_ok): (Value, bool) = match next(8) {
            0 | 1 => {
                let fine = model.bal(&sender) >= amt;
                if fine {
                    model.move_funds(&sender, &to, amt);
                }
                (json!({"transfer": {"recipient": to, "amount": a}}), fine)
            }
            2 => {
                let fine = model.bal(&sender) >= amt;
                if fine {
                    *model.balances.get_mut(&sender).unwrap() -= amt;
                    model.supply -= amt;
                }
                (json!({"burn": {"amount": a}}), fine)
            }
            3 => {
                let fine = to != sender;
                if fine {
                    *model.allowances.entry((sender.clone(), to.clone())).or_default() += amt;
                }
                (json!({"increase_allowance": {"spender": to, "amount": a, "expires": null}}), fine)
            }
            4 => {
                let key = (sender.clone(), to.clone());
                // cw20-base: no entry is an error; decreasing to or below zero removes it.
                let fine = to != sender && model.allowances.contains_key(&key);
                if fine {
                    let cur = model.allowances[&key];
                    if amt < cur {
                        model.allowances.insert(key, cur - amt);
                    } else {
                        model.allowances.remove(&key);
                    }
                }
                (json!({"decrease_allowance": {"spender": to, "amount": a, "expires": null}}), fine)
            }
            5 => {
                let key = (owner.clone(), sender.clone());
                let fine = model.allowances.contains_key(&key) && model.allow(&owner, &sender) >= amt && model.bal(&owner) >= amt;
                if fine {
                    *model.allowances.get_mut(&key).unwrap() -= amt;
                    model.move_funds(&owner, &to, amt);
                }
                (json!({"transfer_from": {"owner": owner, "recipient": to, "amount": a}}), fine)
            }
            6 => {
                let key = (owner.clone(), sender.clone());
                let fine = model.allowances.contains_key(&key) && model.allow(&owner, &sender) >= amt && model.bal(&owner) >= amt;
                if fine {
                    *model.allowances.get_mut(&key).unwrap() -= amt;
                    *model.balances.get_mut(&owner).unwrap() -= amt;
                    model.supply -= amt;
                }
                (json!({"burn_from": {"owner": owner, "amount": a}}), fine)
            }
            _ => {
                let fine = sender == minter && model.supply + amt <= CAP;
                if fine {
                    *model.balances.entry(to.clone()).or_default() += amt;
                    model.supply += amt;
                }
                (json!({"mint": {"recipient": to, "amount": a}}), fine)
            }
        };
        let res = h.execute(&sender, &[], &msg);
        assert_eq!(res.is_ok(), expect_ok, "step {step}: {msg} -> {res:?}");
        if expect_ok {
            ok += 1
        } else {
            failed += 1
        }

        for u in &users {
            let (b, _) = h.query(&json!({"balance": {"address": u}})).unwrap();
            assert_eq!(b["balance"], json!(model.bal(u).to_string()), "step {step}: balance of {u}");
            checks += 1;
            for s in &users {
                let (al, _) = h.query(&json!({"allowance": {"owner": u, "spender": s}})).unwrap();
                assert_eq!(al["allowance"], json!(model.allow(u, s).to_string()), "step {step}: allowance {u}->{s}");
                checks += 1;
            }
        }
        let (info, _) = h.query(&json!({"token_info": {}})).unwrap();
        assert_eq!(info["total_supply"], json!(model.supply.to_string()), "step {step}: supply");
        checks += 1;
    }
    println!("cw20 random run: {ok} calls succeeded, {failed} failed as expected, {checks} values checked");
    // The sequence must exercise both outcomes substantially.
    assert!(ok > 60 && failed > 30, "{ok} ok, {failed} failed");
}
