//! Vesting accounts end to end over a real store: created by the vesting
//! messages, their locked coins refused by bank's send path but delegated
//! through staking, the delegation tracked out and back.

use std::sync::Arc;

use cosmos_sdk_proto::Any;
use cosmos_sdk_proto::cosmos::bank::v1beta1 as bankpb;
use cosmos_sdk_proto::cosmos::base::v1beta1::Coin as PCoin;
use cosmos_sdk_proto::cosmos::staking::v1beta1 as stakingpb;
use cosmos_sdk_proto::cosmos::vesting::v1beta1 as pb;
use prost::Message;
use venice_auth::{Auth, Vesting};
use venice_bank::Bank;
use venice_sdk::{Address, BlockInfo, Coins, Ctx, Error, GasMeter, Module};
use venice_staking::Staking;
use venice_store::{ChangeSet, Store, StoreOptions};
use venice_types::time::Duration;
use venice_types::{Dec, paths};
use venice_vesting::VestingModule;

const DENOM: &str = "uvvv";
const UNBONDING: i64 = 100;

struct Accounts;
impl venice_bank::expected_keepers::AccountKeeper for Accounts {
    fn ensure_account(&self, ctx: &mut Ctx, addr: &Address) -> venice_sdk::Result<()> {
        Auth.ensure_account(ctx, addr)
    }
    fn locked_coins(&self, ctx: &mut Ctx, addr: &Address) -> venice_sdk::Result<Coins> {
        Auth.locked_coins(ctx, addr)
    }
    fn track_delegation(&self, ctx: &mut Ctx, addr: &Address, balance: &Coins, amount: &Coins) -> venice_sdk::Result<()> {
        Auth.track_delegation(ctx, addr, balance, amount)
    }
    fn track_undelegation(&self, ctx: &mut Ctx, addr: &Address, amount: &Coins) -> venice_sdk::Result<()> {
        Auth.track_undelegation(ctx, addr, amount)
    }
}
impl venice_vesting::expected_keepers::AccountKeeper for Accounts {
    fn create_vesting_account(&self, ctx: &mut Ctx, addr: &Address, v: &Vesting) -> venice_sdk::Result<()> {
        Auth.create_vesting_account(ctx, addr, v)
    }
}

struct BankK(Arc<Bank>);
impl venice_staking::expected_keepers::BankKeeper for BankK {
    fn send(&self, ctx: &mut Ctx, from: &Address, to: &Address, coins: &Coins) -> venice_sdk::Result<()> {
        self.0.send(ctx, from, to, coins)
    }
    fn balance(&self, ctx: &mut Ctx, addr: &Address, denom: &str) -> venice_sdk::Result<u128> {
        self.0.balance(ctx, addr, denom)
    }
    fn delegate_coins(&self, ctx: &mut Ctx, d: &Address, pool: &Address, coins: &Coins) -> venice_sdk::Result<()> {
        self.0.delegate_coins(ctx, d, pool, coins)
    }
    fn undelegate_coins(&self, ctx: &mut Ctx, pool: &Address, d: &Address, coins: &Coins) -> venice_sdk::Result<()> {
        self.0.undelegate_coins(ctx, pool, d, coins)
    }
    fn burn(&self, ctx: &mut Ctx, from: &Address, coins: &Coins) -> venice_sdk::Result<()> {
        self.0.burn(ctx, from, coins)
    }
}
impl venice_vesting::expected_keepers::BankKeeper for BankK {
    fn check_send_enabled(&self, ctx: &mut Ctx, coins: &Coins) -> venice_sdk::Result<()> {
        self.0.check_send_enabled_scoped(ctx, coins)
    }
    fn send(&self, ctx: &mut Ctx, from: &Address, to: &Address, coins: &Coins) -> venice_sdk::Result<()> {
        self.0.send(ctx, from, to, coins)
    }
}

struct Env {
    _dir: tempfile::TempDir,
    store: Store,
    pending: ChangeSet,
    bank: Arc<Bank>,
    staking: Staking,
    vesting: VestingModule,
}

fn addr(i: u8) -> Address {
    Address::from_bytes(&[i; 20]).unwrap()
}

fn coin(amount: u128) -> Vec<PCoin> {
    vec![PCoin { denom: DENOM.into(), amount: amount.to_string() }]
}

impl Env {
    fn new() -> Env {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("db"), StoreOptions::default()).unwrap();
        let bank = Arc::new(Bank::new(Arc::new(Accounts)));
        let staking = Staking::new(Arc::new(BankK(bank.clone())));
        let vesting = VestingModule::new(Arc::new(Accounts), Arc::new(BankK(bank.clone())));
        let mut env = Env { _dir: dir, store, pending: ChangeSet::new(), bank, staking, vesting };
        env.at(1, |ctx, _| {
            ctx.scoped(b"auth/", |ctx| venice_auth::state::set_params(ctx, &venice_auth::Params::default())).unwrap();
            ctx.scoped(b"bank/", |ctx| venice_bank::state::set_params(ctx, &venice_bank::Params::default())).unwrap();
            let p = venice_staking::Params { unbonding_time: Duration::from_secs(UNBONDING), ..Default::default() };
            ctx.scoped(b"staking/", |ctx| venice_staking::state::set_params(ctx, &p)).unwrap();
        });
        env
    }

    fn at<R>(&mut self, time: i64, f: impl FnOnce(&mut Ctx, &Env) -> R) -> R {
        let info = BlockInfo { chain_id: "t".into(), height: 1, time_secs: time, time_nanos: 0, ..Default::default() };
        let mut pending = std::mem::take(&mut self.pending);
        let r = {
            let mut ctx = Ctx::new(&self.store, &mut pending, info, GasMeter::infinite());
            f(&mut ctx, self)
        };
        self.pending = pending;
        r
    }

    fn fund(&mut self, who: &Address, amount: u128) {
        self.at(1, |ctx, e| {
            ctx.scoped(b"bank/", |ctx| e.bank.mint(ctx, who, &Coins::parse(&format!("{amount}{DENOM}")).unwrap())).unwrap()
        });
    }

    fn balance(&mut self, who: &Address) -> u128 {
        self.at(1, |ctx, e| e.bank.balance(ctx, who, DENOM).unwrap())
    }

    fn vesting_of(&mut self, who: &Address) -> Vesting {
        self.at(1, |ctx, _| Auth.vesting(ctx, who).unwrap().unwrap())
    }

    /// Run a message in its own layer (rolled back on failure), as the app does.
    fn exec(&mut self, time: i64, msg: Any) -> Result<(), Error> {
        self.at(time, |ctx, e| {
            ctx.push_layer();
            let r = if msg.type_url.starts_with("/cosmos.staking") {
                ctx.scoped(b"staking/", |ctx| venice_staking::handlers::handle(&e.staking, ctx, &msg)).map(|_| ())
            } else if msg.type_url.starts_with("/cosmos.vesting") {
                venice_vesting::handlers::signers(&msg)?;
                ctx.scoped(b"vesting/", |ctx| e.vesting.handle_msg(ctx, &NoRouter, &msg)).map(|_| ())
            } else {
                ctx.scoped(b"bank/", |ctx| venice_bank::handlers::handle(&e.bank, ctx, &msg)).map(|_| ())
            };
            if r.is_ok() {
                ctx.commit_layer()
            } else {
                ctx.discard_layer()
            }
            r
        })
    }

    fn send(&mut self, time: i64, from: &Address, to: &Address, amount: u128) -> Result<(), Error> {
        let m = bankpb::MsgSend { from_address: from.to_bech32(), to_address: to.to_bech32(), amount: coin(amount) };
        self.exec(time, Any { type_url: paths::MSG_SEND_URL.into(), value: m.encode_to_vec() })
    }

    fn spendable(&mut self, time: i64, who: &Address) -> u128 {
        self.at(time, |ctx, e| {
            let req = bankpb::QuerySpendableBalanceByDenomRequest { address: who.to_bech32(), denom: DENOM.into() };
            let bytes = ctx.scoped(b"bank/", |ctx| e.bank.query(ctx, "", "SpendableBalanceByDenom", &req.encode_to_vec())).unwrap();
            bankpb::QuerySpendableBalanceByDenomResponse::decode(bytes.as_slice()).unwrap().balance.unwrap().amount.parse().unwrap()
        })
    }
}

struct NoRouter;
impl venice_sdk::MsgRouter for NoRouter {
    fn dispatch(&self, _: &mut Ctx, _: &Any, _: &Address) -> venice_sdk::Result<Any> {
        unreachable!()
    }
    fn query(&self, _: &mut Ctx, _: &str, _: &[u8]) -> venice_sdk::Result<Vec<u8>> {
        unreachable!()
    }
}

fn create_vesting(from: &Address, to: &Address, amount: u128, end: i64, delayed: bool) -> Any {
    let m = pb::MsgCreateVestingAccount {
        from_address: from.to_bech32(),
        to_address: to.to_bech32(),
        amount: coin(amount),
        end_time: end,
        delayed,
    };
    Any { type_url: venice_vesting::handlers::MSG_CREATE_VESTING.into(), value: m.encode_to_vec() }
}

fn validator(env: &mut Env, i: u8, amount: u128) {
    env.fund(&addr(i), amount);
    let rate = |s: &str| Dec::parse(s).unwrap().to_atto_string();
    let m = stakingpb::MsgCreateValidator {
        description: Some(stakingpb::Description { moniker: format!("v{i}"), ..Default::default() }),
        commission: Some(stakingpb::CommissionRates { rate: rate("0.1"), max_rate: rate("0.2"), max_change_rate: rate("0.01") }),
        min_self_delegation: "1".into(),
        #[allow(deprecated)]
        delegator_address: String::new(),
        validator_address: addr(i).to_valoper(),
        pubkey: Some(venice_staking::types::ed25519_any(&[i; 32])),
        value: coin(amount).pop(),
    };
    env.exec(1, Any { type_url: paths::MSG_CREATE_VALIDATOR_URL.into(), value: m.encode_to_vec() }).unwrap();
}

fn delegate_msg(url: &str, del: &Address, val: u8, amount: u128) -> Any {
    let value = if url == paths::MSG_DELEGATE_URL {
        stakingpb::MsgDelegate { delegator_address: del.to_bech32(), validator_address: addr(val).to_valoper(), amount: coin(amount).pop() }
            .encode_to_vec()
    } else {
        stakingpb::MsgUndelegate {
            delegator_address: del.to_bech32(),
            validator_address: addr(val).to_valoper(),
            amount: coin(amount).pop(),
        }
        .encode_to_vec()
    };
    Any { type_url: url.into(), value }
}

#[test]
fn locked_coins_cannot_be_sent_but_can_be_delegated_and_come_back_tracked() {
    let mut env = Env::new();
    let (funder, v, other) = (addr(10), addr(11), addr(12));
    validator(&mut env, 1, 1_000_000);
    env.fund(&funder, 10_000);
    // 1000 delayed until t=10_000, created at t=1; 100 free on top.
    env.exec(1, create_vesting(&funder, &v, 1000, 10_000, true)).unwrap();
    env.send(1, &funder, &v, 100).unwrap();
    assert_eq!(env.balance(&v), 1100);
    assert_eq!(env.spendable(5, &v), 100);

    // More than the free part: refused with insufficient funds, nothing moved.
    let e = env.send(5, &v, &other, 101).unwrap_err();
    assert!(matches!(e, Error::InsufficientFunds(_)), "{e:?}");
    assert!(e.to_string().contains("spendable balance 100uvvv is smaller than 101uvvv"), "{e}");
    assert_eq!(env.balance(&v), 1100);
    env.send(5, &v, &other, 50).unwrap();

    // Delegating locked coins works; they count as delegated vesting.
    env.exec(5, delegate_msg(paths::MSG_DELEGATE_URL, &v, 1, 800)).unwrap();
    let tracked = env.vesting_of(&v);
    assert_eq!(tracked.delegated_vesting, Coins::parse("800uvvv").unwrap());
    assert_eq!(tracked.delegated_free, Coins::empty());
    assert_eq!(env.balance(&v), 250);
    // Locked = 1000 vesting - 800 delegated = 200 of the 250 held.
    assert_eq!(env.spendable(5, &v), 50);
    assert!(env.send(5, &v, &other, 51).is_err());
    // Delegating beyond the whole balance fails.
    assert!(env.exec(5, delegate_msg(paths::MSG_DELEGATE_URL, &v, 1, 251)).is_err());
    // A delegation may use free and locked coins alike: 250 → 200 vesting + 50 free.
    env.exec(5, delegate_msg(paths::MSG_DELEGATE_URL, &v, 1, 250)).unwrap();
    let tracked = env.vesting_of(&v);
    assert_eq!((tracked.delegated_vesting.amount_of(DENOM), tracked.delegated_free.amount_of(DENOM)), (1000, 50));
    assert_eq!(env.balance(&v), 0);

    // Undelegate 300: paid when the unbonding matures; free coins come back first.
    env.exec(6, delegate_msg(paths::MSG_UNDELEGATE_URL, &v, 1, 300)).unwrap();
    let mature = 6 + UNBONDING;
    env.at(mature, |ctx, e| ctx.scoped(b"staking/", |ctx| e.staking.end_block(ctx)).unwrap());
    assert_eq!(env.balance(&v), 300);
    let tracked = env.vesting_of(&v);
    assert_eq!((tracked.delegated_vesting.amount_of(DENOM), tracked.delegated_free.amount_of(DENOM)), (750, 0));
    // Locked = 1000 - 750 = 250 of the 300 back.
    assert_eq!(env.spendable(mature, &v), 50);
    // After the end time everything held is spendable.
    assert_eq!(env.spendable(10_000, &v), 300);
    env.send(10_000, &v, &other, 300).unwrap();
}

#[test]
fn vesting_messages_follow_the_sdk_rules() {
    let mut env = Env::new();
    let (funder, v) = (addr(10), addr(11));
    env.fund(&funder, 10_000);
    // Continuous from the block time.
    env.exec(100, create_vesting(&funder, &v, 1000, 1100, false)).unwrap();
    let s = env.vesting_of(&v);
    assert_eq!(s.start_time(), Some(100));
    assert_eq!(s.vested(600), Coins::parse("500uvvv").unwrap());
    assert_eq!(env.spendable(600, &v), 500);
    // The account exists now: a second creation fails, nothing sent.
    let e = env.exec(100, create_vesting(&funder, &v, 1, 1100, false)).unwrap_err();
    assert!(e.to_string().contains("already exists"), "{e}");
    assert_eq!(env.balance(&funder), 9000);
    // Invalid end time; more than the funder has (rolled back: no account).
    assert!(env.exec(100, create_vesting(&funder, &addr(20), 1, 0, false)).is_err());
    assert!(env.exec(100, create_vesting(&funder, &addr(21), 1_000_000, 200, false)).is_err());
    assert!(env.at(1, |ctx, _| Auth.vesting(ctx, &addr(21)).unwrap()).is_none());

    // Permanent locked: never spendable, but held.
    let m = pb::MsgCreatePermanentLockedAccount { from_address: funder.to_bech32(), to_address: addr(22).to_bech32(), amount: coin(70) };
    env.exec(100, Any { type_url: venice_vesting::handlers::MSG_CREATE_PERMANENT_LOCKED.into(), value: m.encode_to_vec() }).unwrap();
    assert_eq!((env.balance(&addr(22)), env.spendable(i64::MAX, &addr(22))), (70, 0));

    // Periodic: the total of the periods is sent; zero lengths are refused.
    let period = |length, amount| pb::Period { length, amount: coin(amount) };
    let periodic = |to: &Address, periods| {
        let m = pb::MsgCreatePeriodicVestingAccount {
            from_address: funder.to_bech32(),
            to_address: to.to_bech32(),
            start_time: 1000,
            vesting_periods: periods,
        };
        Any { type_url: venice_vesting::handlers::MSG_CREATE_PERIODIC.into(), value: m.encode_to_vec() }
    };
    assert!(env.exec(100, periodic(&addr(23), vec![period(0, 5)])).is_err());
    env.exec(100, periodic(&addr(23), vec![period(10, 5), period(20, 7)])).unwrap();
    assert_eq!(env.balance(&addr(23)), 12);
    let at = |env: &mut Env, t| env.spendable(t, &addr(23));
    assert_eq!([at(&mut env, 1009), at(&mut env, 1010), at(&mut env, 1029), at(&mut env, 1030)], [0, 5, 5, 12]);
}
