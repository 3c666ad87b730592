//! Unit tests of gov's rules over a real store: deposits, tallies, the end
//! block. Stake and coins come from small in-store stand-ins for staking
//! and bank (the app-level tests run the real ones).

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use cosmos_sdk_proto::Any;
use cosmos_sdk_proto::cosmos::gov::v1;
use prost::Message;
use venice_sdk::{Address, BlockInfo, Coin, Coins, Ctx, Error, GasMeter, MsgRouter, Result};
use venice_store::{ChangeSet, Store, StoreOptions};
use venice_types::Dec;
use venice_types::time::Duration;

use crate::expected_keepers::{BankKeeper, BondedValidator, StakingKeeper};
use crate::types::{OPTION_ABSTAIN, OPTION_NO, OPTION_NO_WITH_VETO, OPTION_YES, ProposalStatus};
use crate::{Gov, Params, authority, handlers, state};

const BANK: &[u8] = b"tbank/";

fn bal_key(a: &Address, denom: &str) -> Vec<u8> {
    [BANK, a.as_bytes(), b"/", denom.as_bytes()].concat()
}

/// Balances under `tbank/`, supply under `tbank/supply` (burns lower it).
struct TestBank;

impl TestBank {
    fn get(ctx: &mut Ctx, a: &Address, denom: &str) -> u128 {
        ctx.scoped(BANK, |ctx| ctx.get_borsh::<u128>(&bal_key(a, denom)).unwrap().unwrap_or(0))
    }
    fn put(ctx: &mut Ctx, a: &Address, denom: &str, v: u128) {
        ctx.scoped(BANK, |ctx| ctx.set_borsh(bal_key(a, denom), &v).unwrap())
    }
    fn supply(ctx: &mut Ctx) -> u128 {
        ctx.scoped(BANK, |ctx| ctx.get_borsh::<u128>(b"tbank/supply").unwrap().unwrap_or(0))
    }
}

impl BankKeeper for TestBank {
    fn send(&self, ctx: &mut Ctx, from: &Address, to: &Address, coins: &Coins) -> Result<()> {
        for c in coins.iter() {
            let have = Self::get(ctx, from, &c.denom);
            let left = have.checked_sub(c.amount).ok_or_else(|| Error::InsufficientFunds(format!("{have} < {c}")))?;
            Self::put(ctx, from, &c.denom, left);
            let to_have = Self::get(ctx, to, &c.denom);
            Self::put(ctx, to, &c.denom, to_have + c.amount);
        }
        Ok(())
    }
    fn balance(&self, ctx: &mut Ctx, addr: &Address, denom: &str) -> Result<u128> {
        Ok(Self::get(ctx, addr, denom))
    }
    fn burn(&self, ctx: &mut Ctx, from: &Address, coins: &Coins) -> Result<()> {
        for c in coins.iter() {
            let have = Self::get(ctx, from, &c.denom);
            Self::put(ctx, from, &c.denom, have.checked_sub(c.amount).ok_or_else(|| Error::InsufficientFunds("burn".into()))?);
            let s = Self::supply(ctx);
            ctx.scoped(BANK, |ctx| ctx.set_borsh(b"tbank/supply".to_vec(), &(s - c.amount)).unwrap());
        }
        Ok(())
    }
}

/// Validators (operator → tokens, shares, bonded) and delegations.
#[derive(Default)]
struct StakeBook {
    validators: BTreeMap<Address, (u128, bool)>,
    delegations: BTreeMap<Address, Vec<(Address, u128)>>,
}

#[derive(Clone, Default)]
struct TestStaking(Arc<Mutex<StakeBook>>);

impl TestStaking {
    /// A validator whose operator self-delegates `own` and is bonded.
    fn validator(&self, op: &Address, own: u128) {
        let mut b = self.0.lock().unwrap();
        b.validators.insert(op.clone(), (own, true));
        b.delegations.entry(op.clone()).or_default().push((op.clone(), own));
    }
    fn delegate(&self, del: &Address, val: &Address, amount: u128) {
        let mut b = self.0.lock().unwrap();
        b.validators.get_mut(val).unwrap().0 += amount;
        b.delegations.entry(del.clone()).or_default().push((val.clone(), amount));
    }
    fn jail(&self, val: &Address) {
        self.0.lock().unwrap().validators.get_mut(val).unwrap().1 = false;
    }
}

impl StakingKeeper for TestStaking {
    fn bonded_validators(&self, _ctx: &mut Ctx) -> Result<Vec<BondedValidator>> {
        let b = self.0.lock().unwrap();
        // One share per token, as a validator that was never slashed.
        Ok(b.validators
            .iter()
            .filter(|(_, (_, bonded))| *bonded)
            .map(|(op, (t, _))| BondedValidator { operator: op.clone(), tokens: *t, delegator_shares: Dec::from_int(*t).unwrap() })
            .collect())
    }
    fn delegations(&self, _ctx: &mut Ctx, d: &Address) -> Result<Vec<(Address, Dec)>> {
        let b = self.0.lock().unwrap();
        Ok(b.delegations.get(d).map(|l| l.iter().map(|(v, a)| (v.clone(), Dec::from_int(*a).unwrap())).collect()).unwrap_or_default())
    }
    fn total_bonded_tokens(&self, _ctx: &mut Ctx) -> Result<u128> {
        let b = self.0.lock().unwrap();
        Ok(b.validators.values().filter(|(_, bonded)| *bonded).map(|(t, _)| t).sum())
    }
}

/// Routes gov's own messages (a proposal may carry a gov MsgUpdateParams).
struct Router(Gov);

impl MsgRouter for Router {
    fn dispatch(&self, ctx: &mut Ctx, msg: &Any, authority: &Address) -> Result<Any> {
        if self.msg_signers(msg)? != vec![authority.clone()] {
            return Err(Error::Unauthorized("signer".into()));
        }
        venice_sdk::manager::guarded(ctx, state::PREFIX, |ctx| self.0.handle(ctx, self, msg))
    }
    fn query(&self, _ctx: &mut Ctx, path: &str, _r: &[u8]) -> Result<Vec<u8>> {
        Err(Error::UnknownQuery(path.into()))
    }
    fn msg_signers(&self, msg: &Any) -> Result<Vec<Address>> {
        handlers::signers(msg)
    }
}

struct Env {
    _dir: tempfile::TempDir,
    store: Store,
    pending: ChangeSet,
    gov: Gov,
    stake: TestStaking,
    time: i64,
}

const DENOM: &str = "uvvv";
const MIN: u128 = 1_000;

fn addr(i: u8) -> Address {
    Address::from_bytes(&[i; 20]).unwrap()
}

fn coins(n: u128) -> Coins {
    Coins::normalize([Coin::new(DENOM, n)]).unwrap()
}

impl Env {
    fn new(edit: impl FnOnce(&mut Params)) -> Env {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("db"), StoreOptions::default()).unwrap();
        let stake = TestStaking::default();
        let gov = Gov::new(Arc::new(TestBank), Arc::new(stake.clone()));
        let mut env = Env { _dir: dir, store, pending: ChangeSet::new(), gov, stake, time: 1_000 };
        let mut p = Params {
            min_deposit: coins(MIN),
            expedited_min_deposit: coins(5 * MIN),
            max_deposit_period: Duration::from_secs(100),
            voting_period: Duration::from_secs(50),
            expedited_voting_period: Duration::from_secs(20),
            ..Params::default()
        };
        edit(&mut p);
        p.validate().unwrap();
        env.with(|ctx, _| {
            ctx.scoped(state::PREFIX, |ctx| state::set_params(ctx, &p)).unwrap();
            for i in 1..=20 {
                TestBank::put(ctx, &addr(i), DENOM, 1_000_000);
            }
            ctx.scoped(BANK, |ctx| ctx.set_borsh(b"tbank/supply".to_vec(), &20_000_000u128)).unwrap();
        });
        env
    }

    fn with<R>(&mut self, f: impl FnOnce(&mut Ctx, &Gov) -> R) -> R {
        let info = BlockInfo { chain_id: "t".into(), height: 1, time_secs: self.time, time_nanos: 0, ..Default::default() };
        let mut ctx = Ctx::new(&self.store, &mut self.pending, info, GasMeter::infinite());
        f(&mut ctx, &self.gov)
    }

    /// Execute a message as a tx would (its own layer, in gov's scope).
    fn exec(&mut self, msg: Any) -> Result<Any> {
        let gov = self.gov.clone();
        self.with(|ctx, _| {
            handlers::signers(&msg)?;
            venice_sdk::manager::guarded(ctx, state::PREFIX, |ctx| gov.handle(ctx, &Router(gov.clone()), &msg))
        })
    }

    fn end_block_at(&mut self, time: i64) -> Vec<venice_sdk::Event> {
        self.time = time;
        let gov = self.gov.clone();
        self.with(|ctx, _| {
            venice_sdk::manager::guarded(ctx, state::PREFIX, |ctx| gov.end_block(ctx, &Router(gov.clone()))).unwrap();
            ctx.take_events()
        })
    }

    fn balance(&mut self, a: &Address) -> u128 {
        self.with(|ctx, _| TestBank::get(ctx, a, DENOM))
    }
    fn supply(&mut self) -> u128 {
        self.with(|ctx, _| TestBank::supply(ctx))
    }
    fn proposal(&mut self, id: u64) -> Option<crate::types::Proposal> {
        self.with(|ctx, _| ctx.scoped(state::PREFIX, |ctx| state::proposal(ctx, id)).unwrap())
    }

    fn submit(&mut self, proposer: u8, deposit: u128, messages: Vec<Any>, expedited: bool) -> Result<u64> {
        let m = v1::MsgSubmitProposal {
            messages,
            initial_deposit: if deposit == 0 { vec![] } else { coins(deposit).to_proto() },
            proposer: addr(proposer).to_bech32(),
            metadata: String::new(),
            title: "t".into(),
            summary: "s".into(),
            expedited,
        };
        let r = self.exec(Any { type_url: handlers::MSG_SUBMIT_PROPOSAL.into(), value: m.encode_to_vec() })?;
        Ok(v1::MsgSubmitProposalResponse::decode(r.value.as_slice()).unwrap().proposal_id)
    }

    fn deposit(&mut self, id: u64, who: u8, amount: u128) -> Result<Any> {
        let m = v1::MsgDeposit { proposal_id: id, depositor: addr(who).to_bech32(), amount: coins(amount).to_proto() };
        self.exec(Any { type_url: handlers::MSG_DEPOSIT.into(), value: m.encode_to_vec() })
    }

    fn vote(&mut self, id: u64, who: u8, option: i32) -> Result<Any> {
        let m = v1::MsgVote { proposal_id: id, voter: addr(who).to_bech32(), option, metadata: String::new() };
        self.exec(Any { type_url: handlers::MSG_VOTE.into(), value: m.encode_to_vec() })
    }

    fn weighted(&mut self, id: u64, who: u8, opts: &[(i32, &str)]) -> Result<Any> {
        let m = v1::MsgVoteWeighted {
            proposal_id: id,
            voter: addr(who).to_bech32(),
            options: opts.iter().map(|(o, w)| v1::WeightedVoteOption { option: *o, weight: w.to_string() }).collect(),
            metadata: String::new(),
        };
        self.exec(Any { type_url: handlers::MSG_VOTE_WEIGHTED.into(), value: m.encode_to_vec() })
    }

    fn invariant_holds(&mut self) {
        use venice_sdk::Module;
        let gov = self.gov.clone();
        let inv = self.with(|ctx, _| ctx.scoped(state::PREFIX, |ctx| gov.invariants(ctx)).unwrap());
        assert_eq!(inv[0].broken, None);
    }

    fn tally(&mut self, id: u64) -> crate::tally::Outcome {
        let p = self.proposal(id).unwrap();
        self.with(|ctx, gov| ctx.scoped(state::PREFIX, |ctx| gov.tally(ctx, &p, false)).unwrap())
    }
}

fn result_of(events: &[venice_sdk::Event]) -> Vec<String> {
    events
        .iter()
        .filter(|e| e.kind == "active_proposal" || e.kind == "inactive_proposal")
        .map(|e| e.get("proposal_result").unwrap().to_string())
        .collect()
}

/// Validators 1 (600 tokens: 500 own, 100 from delegator 11) and 2 (400 own).
fn voting_env(edit: impl FnOnce(&mut Params)) -> (Env, u64) {
    let mut env = Env::new(edit);
    env.stake.validator(&addr(1), 500);
    env.stake.validator(&addr(2), 400);
    env.stake.delegate(&addr(11), &addr(1), 100);
    let id = env.submit(5, MIN, vec![], false).unwrap();
    assert_eq!(env.proposal(id).unwrap().status, ProposalStatus::VotingPeriod);
    (env, id)
}

#[test]
fn quorum_not_met_rejects_and_refunds_unless_burn_vote_quorum() {
    let (mut env, id) = voting_env(|_| {});
    env.vote(id, 2, OPTION_YES).unwrap(); // 400 of 1000 bonded: 0.4 >= 0.334
    assert!(env.tally(id).passes);
    let (mut env, id) = voting_env(|_| {});
    env.vote(id, 11, OPTION_YES).unwrap(); // 100 of 1000: no quorum
    let o = env.tally(id);
    assert!(!o.passes && !o.burn_deposits);
    assert_eq!(o.result.yes, 100);
    let before = env.balance(&addr(5));
    assert_eq!(result_of(&env.end_block_at(1_050)), vec!["proposal_rejected"]);
    assert_eq!(env.balance(&addr(5)), before + MIN, "refunded");
    assert_eq!(env.proposal(id).unwrap().status, ProposalStatus::Rejected);

    let (mut env, id) = voting_env(|p| p.burn_vote_quorum = true);
    env.vote(id, 11, OPTION_YES).unwrap();
    let (before, supply) = (env.balance(&addr(5)), env.supply());
    env.end_block_at(1_050);
    assert_eq!(env.balance(&addr(5)), before, "burned, not refunded");
    assert_eq!(env.supply(), supply - MIN);
    assert_eq!(env.balance(&authority()), 0);
}

#[test]
fn veto_burns_deposits_and_abstain_only_fails() {
    let (mut env, id) = voting_env(|_| {});
    env.vote(id, 1, OPTION_YES).unwrap(); // 600
    env.vote(id, 2, OPTION_NO_WITH_VETO).unwrap(); // 400 of 1000 > 0.334
    let o = env.tally(id);
    assert!(!o.passes && o.burn_deposits);
    let supply = env.supply();
    env.end_block_at(1_050);
    assert_eq!(env.supply(), supply - MIN);

    let (mut env, id) = voting_env(|_| {});
    env.vote(id, 1, OPTION_ABSTAIN).unwrap();
    env.vote(id, 2, OPTION_ABSTAIN).unwrap();
    let o = env.tally(id);
    assert!(!o.passes && !o.burn_deposits);
    assert_eq!(o.result.abstain, 1000);

    // Abstain does not count against the threshold: 400 yes vs 0 no passes.
    let (mut env, id) = voting_env(|_| {});
    env.vote(id, 1, OPTION_ABSTAIN).unwrap();
    env.vote(id, 2, OPTION_YES).unwrap();
    assert!(env.tally(id).passes);
}

#[test]
fn delegators_inherit_their_validators_vote_unless_they_vote() {
    let (mut env, id) = voting_env(|_| {});
    env.vote(id, 1, OPTION_YES).unwrap();
    let o = env.tally(id);
    assert_eq!((o.result.yes, o.result.no), (600, 0), "delegator 11's 100 follow validator 1");
    env.vote(id, 11, OPTION_NO).unwrap();
    let o = env.tally(id);
    assert_eq!((o.result.yes, o.result.no), (500, 100), "delegator 11 overrides");
    env.vote(id, 2, OPTION_NO).unwrap();
    let o = env.tally(id);
    assert_eq!((o.result.yes, o.result.no), (500, 500));
    assert!(!o.passes, "exactly half is not more than the 0.5 threshold");
}

#[test]
fn weighted_votes_split_power() {
    let (mut env, id) = voting_env(|_| {});
    env.weighted(id, 1, &[(OPTION_YES, "0.6"), (OPTION_NO, "0.4")]).unwrap();
    env.weighted(id, 2, &[(OPTION_NO, "0.25"), (OPTION_ABSTAIN, "0.75")]).unwrap();
    let o = env.tally(id);
    assert_eq!((o.result.yes, o.result.no, o.result.abstain), (360, 340, 300));
    assert!(o.passes, "360 of 700 non-abstaining > 0.5");
    // Weights must sum to exactly one, without duplicates.
    assert!(env.weighted(id, 2, &[(OPTION_YES, "0.5"), (OPTION_NO, "0.4")]).is_err());
    assert!(env.weighted(id, 2, &[(OPTION_YES, "0.5"), (OPTION_YES, "0.5")]).is_err());
    assert!(env.weighted(id, 2, &[(9, "1")]).is_err());
}

#[test]
fn a_validator_jailed_during_the_vote_counts_for_nothing() {
    let (mut env, id) = voting_env(|_| {});
    env.vote(id, 1, OPTION_YES).unwrap();
    env.vote(id, 2, OPTION_NO).unwrap();
    assert!(env.tally(id).passes);
    env.stake.jail(&addr(1));
    let o = env.tally(id);
    assert_eq!((o.result.yes, o.result.no), (0, 400), "validator 1 and its inheriting delegator are out");
    assert!(!o.passes);
}

#[test]
fn deposits_open_voting_and_an_unfunded_proposal_is_dropped_with_a_refund() {
    let mut env = Env::new(|_| {});
    env.stake.validator(&addr(1), 500);
    let id = env.submit(5, 400, vec![], false).unwrap();
    assert_eq!(env.proposal(id).unwrap().status, ProposalStatus::DepositPeriod);
    assert!(env.vote(id, 1, OPTION_YES).is_err(), "no votes before voting");
    // Below min_deposit_ratio (1% of 1000 = 10): refused.
    let e = env.deposit(id, 6, 5).unwrap_err();
    assert!(e.to_string().contains("minimum deposit is too small"), "{e}");
    // A foreign denom is refused.
    let m = v1::MsgDeposit {
        proposal_id: id,
        depositor: addr(6).to_bech32(),
        amount: vec![cosmos_sdk_proto::cosmos::base::v1beta1::Coin { denom: "ufoo".into(), amount: "10".into() }],
    };
    assert!(env.exec(Any { type_url: handlers::MSG_DEPOSIT.into(), value: m.encode_to_vec() }).is_err());
    env.deposit(id, 6, 100).unwrap();
    assert_eq!(env.balance(&authority()), 500);
    env.invariant_holds();
    let (b5, b6) = (env.balance(&addr(5)), env.balance(&addr(6)));
    assert_eq!(result_of(&env.end_block_at(1_099)), Vec::<String>::new());
    assert_eq!(result_of(&env.end_block_at(1_100)), vec!["proposal_dropped"]);
    assert!(env.proposal(id).is_none());
    assert_eq!((env.balance(&addr(5)), env.balance(&addr(6))), (b5 + 400, b6 + 100));
    assert_eq!(env.balance(&authority()), 0);

    // With burn_proposal_deposit_prevote the dropped deposit is burned.
    let mut env = Env::new(|p| p.burn_proposal_deposit_prevote = true);
    env.submit(5, 400, vec![], false).unwrap();
    let supply = env.supply();
    env.end_block_at(1_100);
    assert_eq!(env.supply(), supply - 400);

    // Reaching the minimum opens voting; passing refunds.
    let mut env = Env::new(|_| {});
    env.stake.validator(&addr(1), 500);
    let id = env.submit(5, 400, vec![], false).unwrap();
    env.deposit(id, 6, 600).unwrap();
    let p = env.proposal(id).unwrap();
    assert_eq!(p.status, ProposalStatus::VotingPeriod);
    assert_eq!(p.voting_end_time.unwrap().secs, 1_050);
    env.vote(id, 1, OPTION_YES).unwrap();
    let b6 = env.balance(&addr(6));
    assert_eq!(result_of(&env.end_block_at(1_050)), vec!["proposal_passed"]);
    assert_eq!(env.balance(&addr(6)), b6 + 600);
    assert_eq!(env.proposal(id).unwrap().status, ProposalStatus::Passed);
}

#[test]
fn min_initial_deposit_ratio_is_enforced() {
    let mut env = Env::new(|p| p.min_initial_deposit_ratio = Dec::parse("0.25").unwrap());
    let e = env.submit(5, 200, vec![], false).unwrap_err();
    assert!(e.to_string().contains("minimum deposit is too small"), "{e}");
    env.submit(5, 250, vec![], false).unwrap();
}

#[test]
fn a_failed_expedited_proposal_becomes_regular() {
    let mut env = Env::new(|_| {});
    env.stake.validator(&addr(1), 600);
    env.stake.validator(&addr(2), 400);
    let id = env.submit(5, 5 * MIN, vec![], true).unwrap();
    let p = env.proposal(id).unwrap();
    assert_eq!((p.status, p.voting_end_time.unwrap().secs), (ProposalStatus::VotingPeriod, 1_020));
    env.vote(id, 1, OPTION_YES).unwrap(); // 0.6: above 0.5, not above 0.667
    env.vote(id, 2, OPTION_NO).unwrap();
    assert_eq!(result_of(&env.end_block_at(1_020)), vec!["expedited_proposal_rejected"]);
    let p = env.proposal(id).unwrap();
    assert_eq!((p.status, p.expedited, p.voting_end_time.unwrap().secs), (ProposalStatus::VotingPeriod, false, 1_050));
    assert_eq!(env.balance(&authority()), 5 * MIN, "deposits stay");
    // Votes carry over; at the regular end the regular threshold applies.
    let b5 = env.balance(&addr(5));
    assert_eq!(result_of(&env.end_block_at(1_050)), vec!["proposal_passed"]);
    assert_eq!(env.balance(&addr(5)), b5 + 5 * MIN);
}

#[test]
fn cancel_burns_the_cancel_ratio_and_refunds_the_rest() {
    let mut env = Env::new(|_| {});
    env.stake.validator(&addr(1), 500);
    let id = env.submit(5, 600, vec![], false).unwrap();
    env.deposit(id, 6, 401).unwrap();
    let (b5, b6, supply) = (env.balance(&addr(5)), env.balance(&addr(6)), env.supply());
    let cancel = |who: u8| {
        let m = v1::MsgCancelProposal { proposal_id: id, proposer: addr(who).to_bech32() };
        Any { type_url: handlers::MSG_CANCEL_PROPOSAL.into(), value: m.encode_to_vec() }
    };
    assert!(env.exec(cancel(6)).unwrap_err().to_string().contains("invalid proposer"));
    env.exec(cancel(5)).unwrap();
    // Half of each deposit (rounded down) is burned.
    assert_eq!(env.balance(&addr(5)), b5 + 300);
    assert_eq!(env.balance(&addr(6)), b6 + 201);
    assert_eq!(env.supply(), supply - 500);
    assert_eq!(env.balance(&authority()), 0);
    assert!(env.proposal(id).is_none());
    env.invariant_holds();
    assert!(env.exec(cancel(5)).is_err(), "gone");
}

/// Records what reached the pool (its account: `addr(19)`).
struct TestPool(Arc<Mutex<u128>>);

impl crate::expected_keepers::CommunityPool for TestPool {
    fn address(&self) -> Address {
        addr(19)
    }
    fn fund(&self, ctx: &mut Ctx, from: &Address, coins: &Coins) -> Result<()> {
        TestBank.send(ctx, from, &addr(19), coins)?;
        *self.0.lock().unwrap() += coins.amount_of(DENOM);
        Ok(())
    }
}

#[test]
fn cancel_charges_to_the_pool_account_fund_the_pool_and_elsewhere_are_sent() {
    for (dest, funds_pool) in [(19u8, true), (18, false)] {
        let mut env = Env::new(|p| p.proposal_cancel_dest = addr(dest).to_bech32());
        let funded = Arc::new(Mutex::new(0u128));
        env.gov = env.gov.clone().with_community_pool(Arc::new(TestPool(funded.clone())));
        env.stake.validator(&addr(1), 500);
        let id = env.submit(5, 600, vec![], false).unwrap();
        let (before, supply) = (env.balance(&addr(dest)), env.supply());
        let m = v1::MsgCancelProposal { proposal_id: id, proposer: addr(5).to_bech32() };
        env.exec(Any { type_url: handlers::MSG_CANCEL_PROPOSAL.into(), value: m.encode_to_vec() }).unwrap();
        assert_eq!(env.balance(&addr(dest)), before + 300, "half of 600 charged to {dest}");
        assert_eq!(env.supply(), supply, "nothing burned");
        assert_eq!(*funded.lock().unwrap(), if funds_pool { 300 } else { 0 });
    }
}

#[test]
fn a_passed_proposal_runs_its_messages_all_or_nothing() {
    let mut env = Env::new(|_| {});
    env.stake.validator(&addr(1), 500);
    let mut new = env.with(|ctx, _| ctx.scoped(state::PREFIX, state::params).unwrap()).to_v1();
    new.quorum = "0.5".into();
    let good = Any {
        type_url: handlers::MSG_UPDATE_PARAMS.into(),
        value: v1::MsgUpdateParams { authority: authority().to_bech32(), params: Some(new.clone()) }.encode_to_vec(),
    };
    // A message signed by someone else cannot be proposed.
    let foreign = Any {
        type_url: handlers::MSG_UPDATE_PARAMS.into(),
        value: v1::MsgUpdateParams { authority: addr(5).to_bech32(), params: Some(new.clone()) }.encode_to_vec(),
    };
    let e = env.submit(5, MIN, vec![foreign], false).unwrap_err();
    assert!(e.to_string().contains("expected gov account as only signer"), "{e}");
    let unknown = Any { type_url: "/x.y.MsgZ".into(), value: vec![] };
    assert!(env.submit(5, MIN, vec![unknown], false).unwrap_err().to_string().contains("not recognized by router"));

    // A bad second message: the first one's change is rolled back too.
    let mut bad_params = new.clone();
    bad_params.threshold = "1.5".into();
    let bad = Any {
        type_url: handlers::MSG_UPDATE_PARAMS.into(),
        value: v1::MsgUpdateParams { authority: authority().to_bech32(), params: Some(bad_params) }.encode_to_vec(),
    };
    let failing = env.submit(5, MIN, vec![good.clone(), bad], false).unwrap();
    env.vote(failing, 1, OPTION_YES).unwrap();
    assert_eq!(result_of(&env.end_block_at(1_050)), vec!["proposal_failed"]);
    let p = env.proposal(failing).unwrap();
    assert_eq!(p.status, ProposalStatus::Failed);
    assert!(p.failed_reason.contains("threshold"), "{}", p.failed_reason);
    let quorum = env.with(|ctx, _| ctx.scoped(state::PREFIX, state::params).unwrap()).quorum;
    assert_eq!(quorum, Dec::parse("0.334").unwrap());

    let passing = env.submit(5, MIN, vec![good], false).unwrap();
    env.vote(passing, 1, OPTION_YES).unwrap();
    assert_eq!(result_of(&env.end_block_at(1_100)), vec!["proposal_passed"]);
    let quorum = env.with(|ctx, _| ctx.scoped(state::PREFIX, state::params).unwrap()).quorum;
    assert_eq!(quorum, Dec::parse("0.5").unwrap());

    // Only the gov authority may update params directly.
    let direct = Any {
        type_url: handlers::MSG_UPDATE_PARAMS.into(),
        value: v1::MsgUpdateParams { authority: addr(5).to_bech32(), params: Some(new) }.encode_to_vec(),
    };
    assert!(env.exec(direct).unwrap_err().to_string().contains("expected gov account"));
}

#[test]
fn genesis_round_trips() {
    let (mut env, id) = voting_env(|_| {});
    env.weighted(id, 1, &[(OPTION_YES, "0.7"), (OPTION_NO, "0.3")]).unwrap();
    env.submit(6, 10, vec![], false).unwrap();
    let exported = env.with(|ctx, _| ctx.scoped(state::PREFIX, crate::genesis::export_genesis).unwrap());
    let json = serde_json::to_value(&exported).unwrap();
    assert_eq!(json["starting_proposal_id"], "3");
    assert_eq!(json["proposals"][0]["status"], "PROPOSAL_STATUS_VOTING_PERIOD");
    assert_eq!(json["votes"][0]["options"][0]["option"], "VOTE_OPTION_YES");
    assert_eq!(json["params"]["quorum"], "0.334000000000000000");

    let mut other = Env::new(|_| {});
    let parsed = crate::genesis::parse(&json).unwrap();
    let gov = other.gov.clone();
    other.with(|ctx, _| ctx.scoped(state::PREFIX, |ctx| crate::genesis::init_genesis(&gov, ctx, &parsed)).unwrap());
    let again = other.with(|ctx, _| ctx.scoped(state::PREFIX, crate::genesis::export_genesis).unwrap());
    assert_eq!(serde_json::to_value(&again).unwrap(), json);
    // The queues came back too: the voting proposal ends, the other drops
    // (the deposits are on the gov account, as bank's genesis would have them).
    other.with(|ctx, _| TestBank::put(ctx, &authority(), DENOM, MIN + 10));
    other.stake.validator(&addr(1), 500);
    assert_eq!(result_of(&other.end_block_at(1_100)), vec!["proposal_dropped", "proposal_passed"]);
}
