//! staking + distribution over a real store, with the real bank and auth
//! behind their expected keepers and distribution joined to staking's
//! hooks, as the app wires them.
#![allow(dead_code, unused_imports)]

use std::sync::Arc;

use cosmos_sdk_proto::Any;
use prost::Message;
use venice_bank::Bank;
use venice_distribution::expected_keepers::ValidatorInfo;
use venice_distribution::{Distribution, module_account};
use venice_sdk::{Address, BlockInfo, Coin, Coins, CometInfo, Ctx, Error, Event, GasMeter, Invariant, VoteInfo};
use venice_staking::hooks::MultiHooks;
pub use venice_staking::testing::{DENOM, addr, any, coin, cons_key, delegate, redelegate, undelegate};
use venice_staking::{Staking, state as sstate};
use venice_store::{ChangeSet, Store, StoreOptions};
use venice_types::time::Duration;
use venice_types::{Dec, paths};

pub const VVV: u128 = 1_000_000;

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
impl venice_distribution::expected_keepers::BankKeeper for BankKeeper {
    fn send(&self, ctx: &mut Ctx, from: &Address, to: &Address, coins: &Coins) -> venice_sdk::Result<()> {
        self.0.send(ctx, from, to, coins)
    }
    fn all_balances(&self, ctx: &mut Ctx, addr: &Address) -> venice_sdk::Result<Vec<Coin>> {
        self.0.all_balances(ctx, addr)
    }
}

pub struct StakingView;
fn info(v: venice_staking::Validator) -> ValidatorInfo {
    ValidatorInfo { operator: v.operator, tokens: v.tokens, delegator_shares: v.delegator_shares, commission_rate: v.commission.rates.rate }
}
impl venice_distribution::expected_keepers::StakingKeeper for StakingView {
    fn validator(&self, ctx: &mut Ctx, op: &Address) -> venice_sdk::Result<Option<ValidatorInfo>> {
        ctx.scoped(sstate::PREFIX, |ctx| Ok(sstate::validator(ctx, op)?.map(info)))
    }
    fn validator_by_cons(&self, ctx: &mut Ctx, cons: &Address) -> venice_sdk::Result<Option<ValidatorInfo>> {
        ctx.scoped(sstate::PREFIX, |ctx| match sstate::validator_by_cons(ctx, cons)? {
            Some(op) => Ok(sstate::validator(ctx, &op)?.map(info)),
            None => Ok(None),
        })
    }
    fn delegation(&self, ctx: &mut Ctx, del: &Address, val: &Address) -> venice_sdk::Result<Option<Dec>> {
        ctx.scoped(sstate::PREFIX, |ctx| sstate::delegation(ctx, del, val))
    }
    fn delegator_delegations(&self, ctx: &mut Ctx, del: &Address) -> venice_sdk::Result<Vec<(Address, Dec)>> {
        ctx.scoped(sstate::PREFIX, |ctx| sstate::delegator_delegations(ctx, del, None, usize::MAX))
    }
    fn all_validators(&self, ctx: &mut Ctx) -> venice_sdk::Result<Vec<Address>> {
        ctx.scoped(sstate::PREFIX, |ctx| Ok(sstate::validators(ctx, None, usize::MAX)?.into_iter().map(|v| v.operator).collect()))
    }
    fn all_delegations(&self, ctx: &mut Ctx) -> venice_sdk::Result<Vec<(Address, Address)>> {
        ctx.scoped(sstate::PREFIX, |ctx| Ok(sstate::all_delegations(ctx)?.into_iter().map(|(d, v, _)| (d, v)).collect()))
    }
}

pub struct Env {
    pub _dir: tempfile::TempDir,
    pub store: Store,
    pub pending: ChangeSet,
    pub bank: Arc<Bank>,
    pub staking: Staking,
    pub dist: Arc<Distribution>,
    pub height: u64,
    pub time: i64,
}

pub fn fee_collector() -> Address {
    Address::module("fee_collector")
}

impl Env {
    pub fn new() -> Env {
        Env::with_params(venice_distribution::Params::default())
    }

    pub fn with_params(params: venice_distribution::Params) -> Env {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("db"), StoreOptions::default()).unwrap();
        let bank = venice_staking::testing::bank();
        let hooks = Arc::new(MultiHooks::default());
        let staking = Staking::new(Arc::new(BankKeeper(bank.clone()))).with_hooks(hooks.clone());
        let dist = Arc::new(
            Distribution::new(Arc::new(StakingView), Arc::new(BankKeeper(bank.clone())))
                .with_blocked([venice_staking::bonded_pool(), venice_staking::not_bonded_pool()]),
        );
        hooks.set(vec![dist.clone()]).unwrap();
        let mut env = Env { _dir: dir, store, pending: ChangeSet::new(), bank, staking, dist, height: 1, time: 1_000 };
        env.with(|ctx, _, _| {
            ctx.scoped(b"bank/", |ctx| venice_bank::state::set_params(ctx, &venice_bank::Params::default())).unwrap();
            let sp = venice_staking::Params { unbonding_time: Duration::from_secs(100), ..Default::default() };
            ctx.scoped(sstate::PREFIX, |ctx| sstate::set_params(ctx, &sp)).unwrap();
            venice_distribution::state::set_params(ctx, &params).unwrap();
        });
        env
    }

    pub fn with<R>(&mut self, f: impl FnOnce(&mut Ctx, &Staking, &Distribution) -> R) -> R {
        self.with_votes(vec![], f)
    }

    pub fn with_votes<R>(&mut self, votes: Vec<VoteInfo>, f: impl FnOnce(&mut Ctx, &Staking, &Distribution) -> R) -> R {
        let info = BlockInfo {
            chain_id: "t".into(),
            height: self.height,
            time_secs: self.time,
            time_nanos: 0,
            comet: CometInfo { votes, ..Default::default() },
            ..Default::default()
        };
        let mut ctx = Ctx::new(&self.store, &mut self.pending, info, GasMeter::infinite());
        let dist = self.dist.clone();
        f(&mut ctx, &self.staking, &dist)
    }

    pub fn mint(&mut self, who: &Address, amount: u128) {
        let bank = self.bank.clone();
        self.with(|ctx, _, _| {
            ctx.scoped(b"bank/", |ctx| bank.mint(ctx, who, &Coins::parse(&format!("{amount}{DENOM}")).unwrap())).unwrap()
        });
    }

    pub fn balance(&mut self, who: &Address) -> u128 {
        let bank = self.bank.clone();
        self.with(|ctx, _, _| bank.balance(ctx, who, DENOM).unwrap())
    }

    pub fn supply(&mut self) -> u128 {
        self.with(|ctx, _, _| ctx.scoped(b"bank/", |ctx| venice_bank::state::supply(ctx, DENOM)).unwrap())
    }

    /// Sum of every holder's balance (bank's own record of who holds coins).
    pub fn sum_of_balances(&mut self) -> u128 {
        let bank = self.bank.clone();
        self.with(|ctx, _, _| {
            let holders = ctx.scoped(b"bank/", venice_bank::state::holders).unwrap();
            holders.iter().map(|h| bank.balance(ctx, h, DENOM).unwrap()).sum()
        })
    }

    /// Execute a message of staking or distribution as the manager does.
    pub fn exec(&mut self, msg: Any) -> Result<Vec<Event>, Error> {
        self.with(|ctx, k, d| {
            let staking_msg = msg.type_url.starts_with("/cosmos.staking.");
            if staking_msg {
                venice_staking::handlers::signers(&msg)?;
            } else {
                venice_distribution::handlers::signers(&msg)?;
            }
            ctx.push_layer();
            let r = if staking_msg {
                ctx.scoped(sstate::PREFIX, |ctx| venice_staking::handlers::handle(k, ctx, &msg))
            } else {
                ctx.scoped(venice_distribution::state::PREFIX, |ctx| venice_distribution::handlers::handle(d, ctx, &msg))
            };
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

    /// End the block (validator set update) and begin the next with the
    /// given signers (operator index, signed), allocating the fee collector.
    pub fn next_block(&mut self, signers: &[(u8, bool)]) -> Vec<Event> {
        self.with(|ctx, k, _| ctx.scoped(sstate::PREFIX, |ctx| k.end_block(ctx)).unwrap());
        self.height += 1;
        self.time += 5;
        let votes: Vec<VoteInfo> = signers
            .iter()
            .map(|&(i, signed)| {
                let power = self.validator(&addr(i)).map(|v| v.consensus_power()).unwrap_or(0);
                VoteInfo { address: Address::consensus(&cons_key(i)).as_bytes().to_vec(), power, signed, absent: !signed }
            })
            .collect();
        self.with_votes(votes, |ctx, _, d| {
            ctx.scoped(venice_distribution::state::PREFIX, |ctx| venice_sdk::Module::begin_block(d, ctx)).unwrap();
            ctx.take_events()
        })
    }

    pub fn validator(&mut self, op: &Address) -> Option<venice_staking::Validator> {
        self.with(|ctx, _, _| ctx.scoped(sstate::PREFIX, |ctx| sstate::validator(ctx, op)).unwrap())
    }

    pub fn query<Resp: Message + Default>(&mut self, method: &str, req: impl Message) -> Result<Resp, Error> {
        self.with(|ctx, _, d| {
            let bytes = ctx.scoped(venice_distribution::state::PREFIX, |ctx| {
                venice_distribution::query::query(d, ctx, method, &req.encode_to_vec())
            })?;
            Ok(Resp::decode(bytes.as_slice()).unwrap())
        })
    }

    pub fn invariants(&mut self) -> Vec<Invariant> {
        self.with(|ctx, _, d| ctx.scoped(venice_distribution::state::PREFIX, |ctx| d.check_invariants(ctx)).unwrap())
    }

    /// Every invariant holds, and no unit is created or lost.
    pub fn assert_sound(&mut self) {
        for i in self.invariants() {
            assert!(i.broken.is_none(), "{} broken at height {}: {}", i.route, self.height, i.broken.unwrap());
        }
        assert_eq!(self.sum_of_balances(), self.supply(), "balances add up to the supply");
        let held = self.balance(&module_account());
        let owed = self.with(|ctx, _, _| venice_distribution::invariants::holdings(ctx).unwrap());
        assert_eq!(owed.amount_of(DENOM).truncate_int(), held);
    }

    /// Staking's real `Slash` of `fraction` of the validator's power, for
    /// an infraction three blocks back: it reaches unbonding and
    /// redelegation entries made since, burns from the pools and tells
    /// distribution through its hook. Returns what the validator's own
    /// tokens lost (0 for an unbonded validator, which is not slashed).
    pub fn slash(&mut self, val: u8, fraction: Dec) -> u128 {
        let infraction = self.height.saturating_sub(3).max(1) as i64;
        self.with(|ctx, k, _| {
            let v = ctx.scoped(sstate::PREFIX, |ctx| sstate::validator(ctx, &addr(val))).unwrap().unwrap();
            if v.status == venice_staking::BondStatus::Unbonded {
                return 0;
            }
            let power = (v.tokens / venice_staking::POWER_REDUCTION) as i64;
            k.slash(ctx, &v.cons_address(), infraction, power, fraction).unwrap()
        })
    }
}

pub fn create(i: u8, amount: u128, commission: &str) -> Any {
    any(paths::MSG_CREATE_VALIDATOR_URL, &venice_staking::testing::create_msg(i, amount, commission, "1"))
}

pub fn withdraw(del: &Address, val: u8) -> Any {
    use cosmos_sdk_proto::cosmos::distribution::v1beta1::MsgWithdrawDelegatorReward;
    any(
        venice_distribution::handlers::MSG_WITHDRAW_DELEGATOR_REWARD,
        &MsgWithdrawDelegatorReward { delegator_address: del.to_bech32(), validator_address: addr(val).to_valoper() },
    )
}

pub fn withdraw_commission(val: u8) -> Any {
    use cosmos_sdk_proto::cosmos::distribution::v1beta1::MsgWithdrawValidatorCommission;
    any(
        venice_distribution::handlers::MSG_WITHDRAW_VALIDATOR_COMMISSION,
        &MsgWithdrawValidatorCommission { validator_address: addr(val).to_valoper() },
    )
}

pub fn set_withdraw(del: &Address, to: &Address) -> Any {
    use cosmos_sdk_proto::cosmos::distribution::v1beta1::MsgSetWithdrawAddress;
    any(
        venice_distribution::handlers::MSG_SET_WITHDRAW_ADDRESS,
        &MsgSetWithdrawAddress { delegator_address: del.to_bech32(), withdraw_address: to.to_bech32() },
    )
}

pub fn fund_pool(from: &Address, amount: u128) -> Any {
    use cosmos_sdk_proto::cosmos::distribution::v1beta1::MsgFundCommunityPool;
    any(
        venice_distribution::handlers::MSG_FUND_COMMUNITY_POOL,
        &MsgFundCommunityPool { amount: vec![coin(amount).unwrap()], depositor: from.to_bech32() },
    )
}

pub fn code(e: &Error) -> (String, u32) {
    let (space, code) = e.abci_code();
    (space.to_string(), code)
}
