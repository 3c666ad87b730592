//! bank's invariants, as the SDK's x/bank registers them with crisis:
//!
//! - `bank/nonnegative-outstanding`: every stored balance is a valid coin
//!   (a well-formed amount above zero — zero balances are deleted, never
//!   stored — and a valid denom).
//! - `bank/total-supply`: for every denom, the recorded supply equals the
//!   sum of all accounts' balances (module accounts included).

use std::collections::BTreeMap;

use venice_sdk::coin::denom_problem;
use venice_sdk::{Ctx, Invariant, Result};

use crate::{Bank, MODULE, state};

fn invariant(name: &str, broken: Vec<String>) -> Invariant {
    Invariant { route: format!("{MODULE}/{name}"), broken: (!broken.is_empty()).then(|| broken.join("; ")) }
}

impl Bank {
    /// Both checks over the state in `ctx` (bank's scope): one pass over
    /// every balance, one over the supply records.
    pub fn check_invariants(&self, ctx: &mut Ctx) -> Result<Vec<Invariant>> {
        let mut bad_balances = Vec::new();
        let mut sums: BTreeMap<String, u128> = BTreeMap::new();
        for entry in state::all_balance_entries(ctx)? {
            let who = entry.address.map_or_else(|| "<corrupt address>".to_string(), |a| a.to_bech32());
            match entry.amount {
                None => bad_balances.push(format!("{who}: {:?} amount is not a 16-byte integer", entry.denom)),
                Some(0) => bad_balances.push(format!("{who}: zero {:?} balance stored", entry.denom)),
                Some(amount) => {
                    if let Some(reason) = denom_problem(&entry.denom) {
                        bad_balances.push(format!("{who}: denom {:?}: {reason}", entry.denom));
                    }
                    let sum = sums.entry(entry.denom).or_insert(0);
                    *sum = sum.saturating_add(amount);
                }
            }
        }
        let mut bad_supply = Vec::new();
        for c in state::all_supply(ctx, None, usize::MAX)? {
            let held = sums.remove(&c.denom).unwrap_or(0);
            if held != c.amount {
                bad_supply.push(format!("{}: supply {} but balances sum to {held}", c.denom, c.amount));
            }
        }
        for (denom, held) in sums {
            bad_supply.push(format!("{denom}: no supply recorded but balances sum to {held}"));
        }
        Ok(vec![invariant("nonnegative-outstanding", bad_balances), invariant("total-supply", bad_supply)])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use venice_sdk::{Address, BlockInfo, Coins, GasMeter};
    use venice_store::{ChangeSet, Store, StoreOptions};

    struct NoAccounts;
    impl crate::expected_keepers::AccountKeeper for NoAccounts {
        fn ensure_account(&self, _: &mut Ctx, _: &Address) -> Result<()> {
            Ok(())
        }
    }

    fn broken(list: &[Invariant]) -> Vec<(String, String)> {
        list.iter().filter_map(|i| i.broken.clone().map(|b| (i.route.clone(), b))).collect()
    }

    #[test]
    fn each_bank_invariant_reports_a_bad_write() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("db"), StoreOptions::default()).unwrap();
        let mut pending = ChangeSet::new();
        let mut ctx = Ctx::new(&store, &mut pending, BlockInfo::default(), GasMeter::infinite());
        let bank = Bank::new(Arc::new(NoAccounts));
        let (a, b) = (Address::from_bytes(&[1; 20]).unwrap(), Address::from_bytes(&[2; 20]).unwrap());
        ctx.scoped(state::PREFIX, |ctx| {
            bank.mint(ctx, &a, &Coins::parse("100uvvv,7ufoo").unwrap())?;
            bank.mint(ctx, &b, &Coins::parse("50uvvv").unwrap())?;
            bank.send(ctx, &a, &b, &Coins::parse("30uvvv").unwrap())
        })
        .unwrap();
        let check = |ctx: &mut Ctx| ctx.scoped(state::PREFIX, |ctx| bank.check_invariants(ctx)).unwrap();
        let ok = check(&mut ctx);
        assert_eq!(ok.len(), 2);
        assert!(broken(&ok).is_empty(), "{ok:?}");

        // A balance written behind the supply's back.
        ctx.scoped(state::PREFIX, |ctx| state::set_balance(ctx, &b, "uvvv", 81)).unwrap();
        let got = broken(&check(&mut ctx));
        assert_eq!(got, vec![("bank/total-supply".to_string(), "uvvv: supply 150 but balances sum to 151".to_string())]);
        ctx.scoped(state::PREFIX, |ctx| state::set_balance(ctx, &b, "uvvv", 80)).unwrap();

        // A denom with balances and no supply record.
        ctx.scoped(state::PREFIX, |ctx| state::set_supply(ctx, "ufoo", 0)).unwrap();
        let got = broken(&check(&mut ctx));
        assert_eq!(got, vec![("bank/total-supply".to_string(), "ufoo: no supply recorded but balances sum to 7".to_string())]);
        ctx.scoped(state::PREFIX, |ctx| state::set_supply(ctx, "ufoo", 7)).unwrap();

        // A stored zero, a malformed amount and an invalid denom.
        let key = [state::balances_prefix(&a).as_slice(), b"ubar"].concat();
        ctx.set(key.clone(), 0u128.to_be_bytes().to_vec()).unwrap();
        let got = broken(&check(&mut ctx));
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].0, "bank/nonnegative-outstanding");
        assert!(got[0].1.contains("zero \"ubar\" balance"), "{got:?}");
        ctx.set(key.clone(), vec![1, 2, 3]).unwrap();
        assert!(broken(&check(&mut ctx))[0].1.contains("not a 16-byte integer"));
        ctx.delete(&key).unwrap();
        let bad_denom = [state::balances_prefix(&a).as_slice(), b"1x"].concat();
        ctx.set(bad_denom, 5u128.to_be_bytes().to_vec()).unwrap();
        let got = broken(&check(&mut ctx));
        assert_eq!(got.len(), 2, "the bad denom is both invalid and unsupplied: {got:?}");
        assert!(got[0].1.contains("denom \"1x\""), "{got:?}");
    }
}
