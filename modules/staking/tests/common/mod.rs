//! A staking keeper over a real store, with the real bank and auth behind
//! its expected keeper; helpers to build messages and advance blocks.
#![allow(dead_code, unused_imports)]

use std::sync::Arc;

use cosmos_sdk_proto::Any;
use cosmos_sdk_proto::cosmos::staking::v1beta1 as pb;
use prost::Message;
use venice_bank::Bank;
use venice_sdk::module::ValidatorUpdate;
use venice_sdk::{Address, BlockInfo, Coins, Ctx, Error, GasMeter};
pub use venice_staking::testing::{BankKeeper, DENOM, addr, any, cancel, cons_key, delegate, rate, redelegate, undelegate};
use venice_staking::{Params, Staking, state};
use venice_store::{ChangeSet, Store, StoreOptions};
use venice_types::time::Duration;
use venice_types::{Dec, paths};

pub const UNBONDING: i64 = 100;

pub struct Env {
    pub _dir: tempfile::TempDir,
    pub store: Store,
    pub pending: ChangeSet,
    pub bank: Arc<Bank>,
    pub staking: Staking,
}

impl Env {
    pub fn new(params: Params) -> Env {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("db"), StoreOptions::default()).unwrap();
        let bank = venice_staking::testing::bank();
        let staking = Staking::new(Arc::new(BankKeeper(bank.clone())));
        let mut env = Env { _dir: dir, store, pending: ChangeSet::new(), bank, staking };
        env.with(|ctx, _| {
            ctx.scoped(b"bank/", |ctx| venice_bank::state::set_params(ctx, &venice_bank::Params::default())).unwrap();
            ctx.scoped(state::PREFIX, |ctx| state::set_params(ctx, &params)).unwrap();
        });
        env
    }

    pub fn default_params() -> Params {
        Params { unbonding_time: Duration::from_secs(UNBONDING), ..Params::default() }
    }

    /// Run `f` over a context at (height, time) of the current block.
    pub fn with<R>(&mut self, f: impl FnOnce(&mut Ctx, &Staking) -> R) -> R {
        self.at(1, 1_000, f)
    }

    pub fn at<R>(&mut self, height: u64, time: i64, f: impl FnOnce(&mut Ctx, &Staking) -> R) -> R {
        let info = BlockInfo { chain_id: "t".into(), height, time_secs: time, time_nanos: 0, ..Default::default() };
        let mut ctx = Ctx::new(&self.store, &mut self.pending, info, GasMeter::infinite());
        f(&mut ctx, &self.staking)
    }

    pub fn fund(&mut self, who: &Address, amount: u128) {
        let bank = self.bank.clone();
        self.with(|ctx, _| ctx.scoped(b"bank/", |ctx| bank.mint(ctx, who, &Coins::parse(&format!("{amount}{DENOM}")).unwrap())).unwrap());
    }

    pub fn balance(&mut self, who: &Address) -> u128 {
        let bank = self.bank.clone();
        self.with(|ctx, _| bank.balance(ctx, who, DENOM).unwrap())
    }

    pub fn supply(&mut self) -> u128 {
        self.with(|ctx, _| ctx.scoped(b"bank/", |ctx| venice_bank::state::supply(ctx, DENOM)).unwrap())
    }

    /// Execute a message as the manager does (staking's scope), at (height, time).
    pub fn exec_at(&mut self, height: u64, time: i64, msg: Any) -> Result<Vec<venice_sdk::Event>, Error> {
        self.at(height, time, |ctx, k| {
            venice_staking::handlers::signers(&msg)?;
            ctx.push_layer();
            let r = ctx.scoped(state::PREFIX, |ctx| venice_staking::handlers::handle(k, ctx, &msg));
            match r {
                Ok(_) => {
                    ctx.commit_layer();
                    Ok(ctx.take_events())
                }
                Err(e) => {
                    ctx.discard_layer();
                    Err(e)
                }
            }
        })
    }

    pub fn exec(&mut self, msg: Any) -> Result<Vec<venice_sdk::Event>, Error> {
        self.exec_at(1, 1_000, msg)
    }

    pub fn end_block(&mut self, height: u64, time: i64) -> Vec<ValidatorUpdate> {
        self.at(height, time, |ctx, k| ctx.scoped(state::PREFIX, |ctx| k.end_block(ctx)).unwrap())
    }

    pub fn validator(&mut self, op: &Address) -> Option<venice_staking::Validator> {
        self.with(|ctx, _| ctx.scoped(state::PREFIX, |ctx| state::validator(ctx, op)).unwrap())
    }

    pub fn shares(&mut self, del: &Address, val: &Address) -> Option<Dec> {
        self.with(|ctx, _| ctx.scoped(state::PREFIX, |ctx| state::delegation(ctx, del, val)).unwrap())
    }

    pub fn query<Resp: Message + Default>(&mut self, method: &str, req: impl Message) -> Result<Resp, Error> {
        self.with(|ctx, k| {
            let bytes = ctx.scoped(state::PREFIX, |ctx| venice_staking::query::query(k, ctx, method, &req.encode_to_vec()))?;
            Ok(Resp::decode(bytes.as_slice()).unwrap())
        })
    }
}

pub fn create_msg(i: u8, amount: u128) -> pb::MsgCreateValidator {
    venice_staking::testing::create_msg(i, amount, "0.1", "0.2")
}

pub fn create(i: u8, amount: u128) -> Any {
    any(paths::MSG_CREATE_VALIDATOR_URL, &create_msg(i, amount))
}

/// (codespace, code) of an error.
pub fn code(e: &Error) -> (&'static str, u32) {
    e.abci_code()
}
