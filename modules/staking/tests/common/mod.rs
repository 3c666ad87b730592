//! A staking keeper over a real store, with the real bank and auth behind
//! its expected keeper; helpers to build messages and advance blocks.
#![allow(dead_code)]

use std::sync::Arc;

use cosmos_sdk_proto::Any;
use cosmos_sdk_proto::cosmos::base::v1beta1::Coin as PCoin;
use cosmos_sdk_proto::cosmos::staking::v1beta1 as pb;
use prost::Message;
use venice_bank::Bank;
use venice_sdk::module::ValidatorUpdate;
use venice_sdk::{Address, BlockInfo, Coins, Ctx, Error, GasMeter};
use venice_staking::{Params, Staking, state};
use venice_store::{ChangeSet, Store, StoreOptions};
use venice_types::time::Duration;
use venice_types::{Dec, paths};

pub const DENOM: &str = "uvvv";
pub const UNBONDING: i64 = 100;

pub struct Accounts;
impl venice_bank::expected_keepers::AccountKeeper for Accounts {
    fn ensure_account(&self, ctx: &mut Ctx, addr: &Address) -> venice_sdk::Result<()> {
        venice_auth::Auth.ensure_account(ctx, addr)
    }
}

pub struct BankKeeper(pub Arc<Bank>);
impl venice_staking::expected_keepers::BankKeeper for BankKeeper {
    fn send(&self, ctx: &mut Ctx, from: &Address, to: &Address, coins: &Coins) -> venice_sdk::Result<()> {
        self.0.send(ctx, from, to, coins)
    }
    fn balance(&self, ctx: &mut Ctx, addr: &Address, denom: &str) -> venice_sdk::Result<u128> {
        self.0.balance(ctx, addr, denom)
    }
    fn burn(&self, ctx: &mut Ctx, from: &Address, coins: &Coins) -> venice_sdk::Result<()> {
        self.0.burn(ctx, from, coins)
    }
}

pub struct Env {
    pub _dir: tempfile::TempDir,
    pub store: Store,
    pub pending: ChangeSet,
    pub bank: Arc<Bank>,
    pub staking: Staking,
}

pub fn addr(i: u8) -> Address {
    Address::from_bytes(&[i; 20]).unwrap()
}

pub fn cons_key(i: u8) -> Vec<u8> {
    vec![i; 32]
}

impl Env {
    pub fn new(params: Params) -> Env {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("db"), StoreOptions::default()).unwrap();
        let bank = Arc::new(Bank::new(Arc::new(Accounts)));
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

pub fn any<M: Message + prost::Name>(type_url: &str, m: &M) -> Any {
    Any { type_url: type_url.into(), value: m.encode_to_vec() }
}

pub fn coin(amount: u128) -> Option<PCoin> {
    Some(PCoin { denom: DENOM.into(), amount: amount.to_string() })
}

pub fn rate(s: &str) -> String {
    Dec::parse(s).unwrap().to_atto_string()
}

pub fn create_msg(i: u8, amount: u128) -> pb::MsgCreateValidator {
    pb::MsgCreateValidator {
        description: Some(pb::Description { moniker: format!("val{i}"), ..Default::default() }),
        commission: Some(pb::CommissionRates { rate: rate("0.1"), max_rate: rate("0.2"), max_change_rate: rate("0.01") }),
        min_self_delegation: "1".into(),
        #[allow(deprecated)]
        delegator_address: String::new(),
        validator_address: addr(i).to_valoper(),
        pubkey: Some(venice_staking::types::ed25519_any(&cons_key(i))),
        value: coin(amount),
    }
}

pub fn create(i: u8, amount: u128) -> Any {
    any(paths::MSG_CREATE_VALIDATOR_URL, &create_msg(i, amount))
}

pub fn delegate(del: &Address, val: u8, amount: u128) -> Any {
    any(
        paths::MSG_DELEGATE_URL,
        &pb::MsgDelegate { delegator_address: del.to_bech32(), validator_address: addr(val).to_valoper(), amount: coin(amount) },
    )
}

pub fn undelegate(del: &Address, val: u8, amount: u128) -> Any {
    any(
        paths::MSG_UNDELEGATE_URL,
        &pb::MsgUndelegate { delegator_address: del.to_bech32(), validator_address: addr(val).to_valoper(), amount: coin(amount) },
    )
}

pub fn redelegate(del: &Address, src: u8, dst: u8, amount: u128) -> Any {
    any(
        paths::MSG_BEGIN_REDELEGATE_URL,
        &pb::MsgBeginRedelegate {
            delegator_address: del.to_bech32(),
            validator_src_address: addr(src).to_valoper(),
            validator_dst_address: addr(dst).to_valoper(),
            amount: coin(amount),
        },
    )
}

pub fn cancel(del: &Address, val: u8, amount: u128, height: i64) -> Any {
    any(
        paths::MSG_CANCEL_UNBONDING_DELEGATION_URL,
        &pb::MsgCancelUnbondingDelegation {
            delegator_address: del.to_bech32(),
            validator_address: addr(val).to_valoper(),
            amount: coin(amount),
            creation_height: height,
        },
    )
}

/// (codespace, code) of an error.
pub fn code(e: &Error) -> (&'static str, u32) {
    e.abci_code()
}
