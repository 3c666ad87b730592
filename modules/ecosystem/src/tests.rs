//! Unit tests of grants over a real store, with small in-store stand-ins
//! for bank and auth (the e2e tests run the real ones).

use std::sync::{Arc, Mutex};

use cosmos_sdk_proto::Any;
use prost::Message;
use venice_auth::Vesting;
use venice_auth::vesting::Schedule;
use venice_sdk::{Address, BlockInfo, Coin, Coins, Ctx, Error, GasMeter, Result, gov_authority};
use venice_store::{ChangeSet, Store, StoreOptions};

use crate::expected_keepers::{AccountKeeper, BankKeeper};
use crate::proto::{MsgGrant, QueryPoolResponse, VestingSchedule};
use crate::{Ecosystem, handlers, pool_address, query};

const T: &[u8] = b"t/";

fn bal_key(a: &Address, denom: &str) -> Vec<u8> {
    [T, b"bal/", a.as_bytes(), b"/", denom.as_bytes()].concat()
}

struct TestBank {
    blocked: Address,
}

fn get(ctx: &mut Ctx, a: &Address, denom: &str) -> u128 {
    ctx.scoped(T, |ctx| ctx.get_borsh::<u128>(&bal_key(a, denom)).unwrap().unwrap_or(0))
}

fn put(ctx: &mut Ctx, a: &Address, denom: &str, v: u128) {
    ctx.scoped(T, |ctx| ctx.set_borsh(bal_key(a, denom), &v).unwrap())
}

impl BankKeeper for TestBank {
    fn check_send_enabled(&self, _ctx: &mut Ctx, coins: &Coins) -> Result<()> {
        match coins.iter().find(|c| c.denom == "frozen") {
            Some(_) => Err(Error::InvalidRequest("frozen transfers are currently disabled".into())),
            None => Ok(()),
        }
    }
    fn check_receiver(&self, to: &Address) -> Result<()> {
        if *to == self.blocked {
            return Err(Error::Unauthorized(format!("{to} is not allowed to receive funds")));
        }
        Ok(())
    }
    fn send(&self, ctx: &mut Ctx, from: &Address, to: &Address, coins: &Coins) -> Result<()> {
        for c in coins.iter() {
            let have = get(ctx, from, &c.denom);
            let left = have.checked_sub(c.amount).ok_or_else(|| Error::InsufficientFunds(format!("{have} < {c}")))?;
            put(ctx, from, &c.denom, left);
            let to_have = get(ctx, to, &c.denom);
            put(ctx, to, &c.denom, to_have + c.amount);
        }
        Ok(())
    }
    fn all_balances(&self, ctx: &mut Ctx, addr: &Address) -> Result<Vec<Coin>> {
        Ok(["frozen", "uvvv"].iter().map(|d| Coin::new(d.to_string(), get(ctx, addr, d))).filter(|c| c.amount > 0).collect())
    }
}

/// An account that exists, with the vesting schedule it was created with.
type AccountRow = (Address, Option<Vesting>);

/// Accounts that exist, and the vesting schedules created.
#[derive(Clone, Default)]
struct TestAccounts(Arc<Mutex<Vec<AccountRow>>>);

impl AccountKeeper for TestAccounts {
    fn create_vesting_account(&self, _ctx: &mut Ctx, addr: &Address, vesting: &Vesting) -> Result<()> {
        let mut list = self.0.lock().unwrap();
        if list.iter().any(|(a, _)| a == addr) {
            return Err(Error::InvalidRequest(format!("account {addr} already exists")));
        }
        list.push((addr.clone(), Some(vesting.clone())));
        Ok(())
    }
}

struct Env {
    _dir: tempfile::TempDir,
    store: Store,
    pending: ChangeSet,
    eco: Ecosystem,
    accounts: TestAccounts,
}

const NOW: i64 = 1_700_000_000;

impl Env {
    fn new(pool: u128) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("db"), StoreOptions::default()).unwrap();
        let accounts = TestAccounts::default();
        let eco = Ecosystem::new(Arc::new(TestBank { blocked: Address::module("distribution") }), Arc::new(accounts.clone()));
        let mut env = Env { _dir: dir, store, pending: ChangeSet::new(), eco, accounts };
        put(&mut env.ctx(), &pool_address(), "uvvv", pool);
        env
    }
    fn ctx(&mut self) -> Ctx<'_> {
        let info = BlockInfo { chain_id: "test".into(), height: 5, time_secs: NOW, ..Default::default() };
        Ctx::new(&self.store, &mut self.pending, info, GasMeter::infinite())
    }
    /// Run a grant as the manager would: signers first, then in a layer
    /// that is dropped when the handler fails.
    fn run(&mut self, m: &MsgGrant) -> Result<Any> {
        let any = Any { type_url: handlers::MSG_GRANT.into(), value: m.encode_to_vec() };
        handlers::signers(&any)?;
        let eco = self.eco.clone();
        let mut ctx = self.ctx();
        ctx.push_layer();
        let out = handlers::handle(&eco, &mut ctx, &any);
        if out.is_ok() {
            ctx.commit_layer()
        } else {
            ctx.discard_layer()
        }
        out
    }
    fn balance(&mut self, a: &Address) -> u128 {
        get(&mut self.ctx(), a, "uvvv")
    }
}

fn grant(to: &Address, amount: u128, vesting: Option<VestingSchedule>) -> MsgGrant {
    MsgGrant {
        authority: gov_authority().to_bech32(),
        recipient: to.to_bech32(),
        amount: vec![Coin::new("uvvv", amount).to_proto()],
        vesting,
    }
}

fn who(n: u8) -> Address {
    Address::from_bytes(&[n; 20]).unwrap()
}

#[test]
fn only_gov_grants() {
    let mut env = Env::new(1_000);
    let mut m = grant(&who(1), 10, None);
    m.authority = who(9).to_bech32();
    let e = env.run(&m).unwrap_err();
    assert_eq!(e.abci_code(), ("gov", 13), "{e}");
    assert_eq!(env.balance(&who(1)), 0);
    assert_eq!(env.balance(&pool_address()), 1_000);
}

#[test]
fn a_lump_sum_grant_pays_from_the_pool() {
    let mut env = Env::new(1_000);
    env.run(&grant(&who(1), 300, None)).unwrap();
    assert_eq!((env.balance(&who(1)), env.balance(&pool_address())), (300, 700));
    // No account was created with a schedule.
    assert!(env.accounts.0.lock().unwrap().is_empty());
    let resp = query::query(&env.eco.clone(), &mut env.ctx(), "Pool", &[]).unwrap();
    let pool = QueryPoolResponse::decode(resp.as_slice()).unwrap();
    assert_eq!(pool.address, pool_address().to_bech32());
    assert_eq!((pool.pool[0].denom.as_str(), pool.pool[0].amount.as_str()), ("uvvv", "700"));
}

#[test]
fn more_than_the_pool_holds_is_refused_and_moves_nothing() {
    let mut env = Env::new(1_000);
    let e = env.run(&grant(&who(1), 1_001, Some(VestingSchedule { start_time: 0, end_time: NOW + 10, delayed: false }))).unwrap_err();
    assert_eq!(e.abci_code(), ("ecosystem", 2), "{e}");
    assert!(e.to_string().contains("1000uvvv") && e.to_string().contains("1001uvvv"), "{e}");
    assert_eq!((env.balance(&who(1)), env.balance(&pool_address())), (0, 1_000));
    assert!(env.accounts.0.lock().unwrap().is_empty());
}

#[test]
fn a_vesting_grant_creates_the_recipients_schedule() {
    let mut env = Env::new(1_000);
    env.run(&grant(&who(1), 100, Some(VestingSchedule { start_time: 0, end_time: NOW + 1_000, delayed: false }))).unwrap();
    env.run(&grant(&who(2), 50, Some(VestingSchedule { start_time: 0, end_time: NOW + 60, delayed: true }))).unwrap();
    env.run(&grant(&who(3), 10, Some(VestingSchedule { start_time: NOW + 100, end_time: NOW + 200, delayed: false }))).unwrap();
    let list = env.accounts.0.lock().unwrap().clone();
    let v = |a: &Address| list.iter().find(|(x, _)| x == a).unwrap().1.clone().unwrap();
    let one = v(&who(1));
    assert_eq!((one.schedule.clone(), one.end_time), (Schedule::Continuous { start_time: NOW }, NOW + 1_000));
    assert_eq!(one.original_vesting, Coins::normalize([Coin::new("uvvv", 100)]).unwrap());
    assert_eq!((v(&who(2)).schedule, v(&who(2)).end_time), (Schedule::Delayed, NOW + 60));
    assert_eq!(v(&who(3)).schedule, Schedule::Continuous { start_time: NOW + 100 });
    assert_eq!((env.balance(&who(1)), env.balance(&pool_address())), (100, 840));
}

#[test]
fn a_vesting_grant_to_an_existing_account_is_refused() {
    let mut env = Env::new(1_000);
    env.accounts.0.lock().unwrap().push((who(1), None));
    let e = env.run(&grant(&who(1), 100, Some(VestingSchedule { start_time: 0, end_time: NOW + 10, delayed: false }))).unwrap_err();
    assert!(e.to_string().contains("already exists"), "{e}");
    assert_eq!((env.balance(&who(1)), env.balance(&pool_address())), (0, 1_000));
    // A lump sum to an existing account is fine.
    env.run(&grant(&who(1), 100, None)).unwrap();
}

#[test]
fn bad_grants_are_refused() {
    let mut env = Env::new(1_000);
    let bad_schedules = [
        VestingSchedule { start_time: 0, end_time: 0, delayed: false },
        VestingSchedule { start_time: -1, end_time: NOW + 10, delayed: false },
        VestingSchedule { start_time: 0, end_time: NOW, delayed: false },
        VestingSchedule { start_time: NOW + 10, end_time: NOW + 5, delayed: false },
    ];
    for s in bad_schedules {
        let e = env.run(&grant(&who(1), 10, Some(s.clone()))).unwrap_err();
        assert_eq!(e.abci_code(), ("ecosystem", 3), "{s:?}: {e}");
    }
    assert!(env.run(&grant(&who(1), 0, None)).is_err());
    let e = env.run(&grant(&Address::module("distribution"), 10, None)).unwrap_err();
    assert!(e.to_string().contains("not allowed to receive funds"), "{e}");
    let mut frozen = grant(&who(1), 10, None);
    frozen.amount = vec![Coin::new("frozen", 1).to_proto()];
    assert!(env.run(&frozen).unwrap_err().to_string().contains("disabled"));
    let mut bad = grant(&who(1), 10, None);
    bad.recipient = "nope".into();
    assert_eq!(env.run(&bad).unwrap_err().abci_code(), ("sdk", 7));
    assert_eq!(env.balance(&pool_address()), 1_000);
}
