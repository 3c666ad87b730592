//! Staking, bank and auth over a real store with slashing's hooks joined,
//! and blocks driven as the app drives them: slashing and evidence begin
//! the block (with crafted votes and misbehaviour), staking ends it.
#![allow(dead_code, unused_imports)]

use std::sync::Arc;

use cosmos_sdk_proto::Any;
use prost::Message;
use venice_bank::Bank;
use venice_sdk::module::ValidatorUpdate;
use venice_sdk::{Address, BlockInfo, Coins, CometInfo, Ctx, Error, Event, GasMeter, Misbehavior, MisbehaviorKind, Module, VoteInfo};
use venice_slashing::evidence::Evidence;
use venice_slashing::hooks::SlashingHooks;
use venice_slashing::{Params as SlashingParams, Slashing};
use venice_staking::hooks::MultiHooks;
pub use venice_staking::testing::{BankKeeper, DENOM, addr, any, cons_key, delegate, redelegate, undelegate};
use venice_staking::{Params, Staking, Validator, state as sstate};
use venice_store::{ChangeSet, Store, StoreOptions};
use venice_types::paths;
use venice_types::time::Duration;

pub const VVV: u128 = 1_000_000;
/// Block times: height h is at T0 + h seconds.
pub const T0: i64 = 1_000_000;

pub struct Env {
    pub _dir: tempfile::TempDir,
    pub store: Store,
    pub pending: ChangeSet,
    pub bank: Arc<Bank>,
    pub staking: Arc<Staking>,
    pub slashing: Arc<Slashing>,
    pub evidence: Evidence,
    pub events: Vec<Event>,
}

pub fn cons(i: u8) -> Address {
    Address::consensus(&cons_key(i))
}

pub fn time(h: u64) -> i64 {
    T0 + h as i64
}

impl Env {
    pub fn new(staking_params: Params, slashing_params: SlashingParams) -> Env {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("db"), StoreOptions::default()).unwrap();
        let bank = venice_staking::testing::bank();
        let hooks = Arc::new(MultiHooks::default());
        let staking = Arc::new(Staking::new(Arc::new(BankKeeper(bank.clone()))).with_hooks(hooks.clone()));
        let slashing = Arc::new(Slashing::new(staking.clone()));
        hooks.set(vec![Arc::new(SlashingHooks)]).unwrap();
        let evidence = Evidence::new(slashing.clone());
        let mut env = Env { _dir: dir, store, pending: ChangeSet::new(), bank, staking, slashing, evidence, events: vec![] };
        env.at(0, |ctx, _| {
            ctx.scoped(b"bank/", |ctx| venice_bank::state::set_params(ctx, &venice_bank::Params::default())).unwrap();
            ctx.scoped(sstate::PREFIX, |ctx| sstate::set_params(ctx, &staking_params)).unwrap();
            ctx.scoped(venice_slashing::state::PREFIX, |ctx| venice_slashing::state::set_params(ctx, &slashing_params)).unwrap();
        });
        env
    }

    pub fn staking_params() -> Params {
        Params { unbonding_time: Duration::from_secs(1000), ..Params::default() }
    }

    /// Window 10, half signed, 30 s jail, 5% double sign, 1% downtime.
    pub fn slashing_params() -> SlashingParams {
        SlashingParams { signed_blocks_window: 10, downtime_jail_duration: Duration::from_secs(30), ..SlashingParams::default() }
    }

    pub fn at<R>(&mut self, height: u64, f: impl FnOnce(&mut Ctx, &Env) -> R) -> R {
        self.at_with(height, CometInfo::default(), f)
    }

    pub fn at_with<R>(&mut self, height: u64, comet: CometInfo, f: impl FnOnce(&mut Ctx, &Env) -> R) -> R {
        let info = BlockInfo { chain_id: "t".into(), height, time_secs: time(height), time_nanos: 0, comet, ..Default::default() };
        let mut pending = std::mem::take(&mut self.pending);
        let mut ctx = Ctx::new(&self.store, &mut pending, info, GasMeter::infinite());
        let r = f(&mut ctx, self);
        let evs = ctx.take_events();
        drop(ctx);
        self.pending = pending;
        self.events.extend(evs);
        r
    }

    pub fn fund(&mut self, who: &Address, amount: u128) {
        self.at(0, |ctx, env| {
            ctx.scoped(b"bank/", |ctx| env.bank.mint(ctx, who, &Coins::parse(&format!("{amount}{DENOM}")).unwrap())).unwrap()
        });
    }

    pub fn balance(&mut self, who: &Address) -> u128 {
        self.at(0, |ctx, env| env.bank.balance(ctx, who, DENOM).unwrap())
    }

    pub fn supply(&mut self) -> u128 {
        self.at(0, |ctx, _| ctx.scoped(b"bank/", |ctx| venice_bank::state::supply(ctx, DENOM)).unwrap())
    }

    /// A staking message at `height`, as the manager runs it.
    pub fn staking_msg(&mut self, height: u64, msg: Any) -> Result<(), Error> {
        self.at(height, |ctx, env| {
            ctx.push_layer();
            let r = ctx.scoped(sstate::PREFIX, |ctx| venice_staking::handlers::handle(&env.staking, ctx, &msg));
            if r.is_ok() {
                ctx.commit_layer()
            } else {
                ctx.discard_layer()
            }
            r.map(|_| ())
        })
    }

    /// A slashing message (MsgUnjail) at `height`; signers are checked too.
    pub fn slashing_msg(&mut self, height: u64, msg: Any) -> Result<(), Error> {
        venice_slashing::handlers::signers(&msg)?;
        self.at(height, |ctx, env| {
            ctx.push_layer();
            let r = ctx.scoped(venice_slashing::state::PREFIX, |ctx| venice_slashing::handlers::handle(&env.slashing, ctx, &msg));
            if r.is_ok() {
                ctx.commit_layer()
            } else {
                ctx.discard_layer()
            }
            r.map(|_| ())
        })
    }

    /// One block: slashing and evidence begin it (as the app orders them),
    /// staking ends it; returns staking's validator updates.
    pub fn block(&mut self, height: u64, comet: CometInfo) -> Vec<ValidatorUpdate> {
        self.at_with(height, comet, |ctx, env| {
            ctx.scoped(venice_slashing::state::PREFIX, |ctx| Module::begin_block(env.slashing.as_ref(), ctx)).unwrap();
            ctx.scoped(venice_slashing::evidence::PREFIX, |ctx| env.evidence.begin_block(ctx)).unwrap();
            ctx.scoped(sstate::PREFIX, |ctx| env.staking.end_block(ctx)).unwrap()
        })
    }

    pub fn validator(&mut self, i: u8) -> Validator {
        self.at(0, |ctx, _| ctx.scoped(sstate::PREFIX, |ctx| sstate::validator(ctx, &addr(i))).unwrap().unwrap())
    }

    pub fn signing_info(&mut self, i: u8) -> Option<venice_slashing::SigningInfo> {
        self.at(0, |ctx, env| env.slashing.signing_info(ctx, &cons(i)).unwrap())
    }

    pub fn query<Resp: Message + Default>(
        &mut self,
        module: &dyn Module,
        prefix: &'static [u8],
        method: &str,
        req: impl Message,
    ) -> Result<Resp, Error> {
        self.at(0, |ctx, _| {
            let bytes = ctx.scoped(prefix, |ctx| module.query(ctx, "", method, &req.encode_to_vec()))?;
            Ok(Resp::decode(bytes.as_slice()).unwrap())
        })
    }

    pub fn take_events(&mut self) -> Vec<Event> {
        std::mem::take(&mut self.events)
    }
}

/// The last commit's votes: `signed[i]` for validator `ids[i]` at `power`.
pub fn votes(v: &[(u8, i64, bool)]) -> CometInfo {
    CometInfo {
        votes: v
            .iter()
            .map(|&(i, power, signed)| VoteInfo { address: cons(i).as_bytes().to_vec(), power, signed, absent: !signed })
            .collect(),
        ..Default::default()
    }
}

pub fn double_sign(i: u8, power: i64, height: i64) -> Misbehavior {
    Misbehavior {
        kind: MisbehaviorKind::DuplicateVote,
        address: cons(i).as_bytes().to_vec(),
        power,
        height,
        time_secs: time(height as u64),
        time_nanos: 0,
        total_voting_power: 1000,
    }
}

pub fn create(i: u8, amount: u128) -> Any {
    any(paths::MSG_CREATE_VALIDATOR_URL, &venice_staking::testing::create_msg(i, amount, "0.1", "0.2"))
}

pub fn unjail(i: u8) -> Any {
    any(paths::MSG_UNJAIL_URL, &venice_slashing_unjail(i))
}

fn venice_slashing_unjail(i: u8) -> cosmos_sdk_proto::cosmos::slashing::v1beta1::MsgUnjail {
    cosmos_sdk_proto::cosmos::slashing::v1beta1::MsgUnjail { validator_addr: addr(i).to_valoper() }
}
