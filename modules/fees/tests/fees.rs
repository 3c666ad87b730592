//! The fees module over a real store with the real bank: params validation
//! and `MsgUpdateParams`, the consensus fee checks, the begin-block split
//! of the fee collector's balance, inference fee routing, the invariant,
//! and a property test of the split.

use std::sync::Arc;

use cosmos_sdk_proto::Any;
use cosmos_sdk_proto::cosmos::base::v1beta1::Coin as PCoin;
use proptest::prelude::*;
use prost::Message;
use venice_bank::Bank;
use venice_fees::split::{self, LegKind, Recipient};
use venice_fees::{Fees, Params, Split, ecosystem_pool, fee_collector, module_address};
use venice_sdk::{Address, BlockInfo, Coin, Coins, Ctx, Error, GasMeter, Module, MsgRouter};
use venice_store::{ChangeSet, Store, StoreOptions};
use venice_types::Dec;
use venice_types::fees as pb;

struct Accounts;
impl venice_bank::expected_keepers::AccountKeeper for Accounts {
    fn ensure_account(&self, ctx: &mut Ctx, addr: &Address) -> venice_sdk::Result<()> {
        venice_auth::Auth.ensure_account(ctx, addr)
    }
}

struct BankK(Arc<Bank>);
impl venice_fees::expected_keepers::BankKeeper for BankK {
    fn send(&self, ctx: &mut Ctx, from: &Address, to: &Address, coins: &Coins) -> venice_sdk::Result<()> {
        self.0.send(ctx, from, to, coins)
    }
    fn burn(&self, ctx: &mut Ctx, from: &Address, coins: &Coins) -> venice_sdk::Result<()> {
        self.0.burn(ctx, from, coins)
    }
    fn all_balances(&self, ctx: &mut Ctx, addr: &Address) -> venice_sdk::Result<Vec<Coin>> {
        self.0.all_balances(ctx, addr)
    }
}

/// The community pool as distribution keeps it: coins to its module account.
struct Pool(Arc<Bank>);
impl venice_fees::expected_keepers::CommunityPool for Pool {
    fn fund(&self, ctx: &mut Ctx, from: &Address, coins: &Coins) -> venice_sdk::Result<()> {
        self.0.send(ctx, from, &pool(), coins)
    }
}

struct NoRouter;
impl MsgRouter for NoRouter {
    fn dispatch(&self, _: &mut Ctx, msg: &Any, _: &Address) -> venice_sdk::Result<Any> {
        Err(Error::UnknownMessage(msg.type_url.clone()))
    }
    fn query(&self, _: &mut Ctx, path: &str, _: &[u8]) -> venice_sdk::Result<Vec<u8>> {
        Err(Error::UnknownQuery(path.into()))
    }
}

fn pool() -> Address {
    Address::module("distribution")
}

fn addr(i: u8) -> Address {
    Address::from_bytes(&[i; 20]).unwrap()
}

fn coins(s: &str) -> Coins {
    Coins::parse(s).unwrap()
}

fn d(s: &str) -> Dec {
    Dec::parse(s).unwrap()
}

struct Env {
    _dir: tempfile::TempDir,
    store: Store,
    pending: ChangeSet,
    bank: Arc<Bank>,
    fees: Fees,
}

impl Env {
    fn new(genesis: serde_json::Value) -> Env {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("db"), StoreOptions::default()).unwrap();
        let bank = Arc::new(Bank::new(Arc::new(Accounts)));
        let fees = Fees::new(Arc::new(BankK(bank.clone())), Arc::new(Pool(bank.clone())));
        let mut env = Env { _dir: dir, store, pending: ChangeSet::new(), bank, fees };
        env.with(|ctx, e| {
            ctx.scoped(b"bank/", |ctx| venice_bank::state::set_params(ctx, &venice_bank::Params::default())).unwrap();
            e.fees.validate_genesis(&genesis).unwrap();
            ctx.scoped(b"fees/", |ctx| e.fees.init_genesis(ctx, &genesis)).unwrap();
        });
        env
    }

    fn with<R>(&mut self, f: impl FnOnce(&mut Ctx, &Env) -> R) -> R {
        self.at(10, f)
    }

    fn at<R>(&mut self, height: u64, f: impl FnOnce(&mut Ctx, &Env) -> R) -> R {
        let info = BlockInfo { chain_id: "t".into(), height, time_secs: 1, ..Default::default() };
        let mut pending = std::mem::take(&mut self.pending);
        let r = {
            let mut ctx = Ctx::new(&self.store, &mut pending, info, GasMeter::infinite());
            f(&mut ctx, self)
        };
        self.pending = pending;
        r
    }

    fn mint(&mut self, to: &Address, c: &str) {
        self.with(|ctx, e| ctx.scoped(b"bank/", |ctx| e.bank.mint(ctx, to, &coins(c))).unwrap());
    }

    fn balance(&mut self, who: &Address, denom: &str) -> u128 {
        self.with(|ctx, e| e.bank.balance(ctx, who, denom).unwrap())
    }

    fn supply(&mut self, denom: &str) -> u128 {
        self.with(|ctx, e| e.bank.supply_of(ctx, denom).unwrap())
    }

    fn update(&mut self, authority: &str, p: pb::Params) -> venice_sdk::Result<()> {
        let msg = Any {
            type_url: pb::MSG_UPDATE_PARAMS_URL.into(),
            value: pb::MsgUpdateParams { authority: authority.into(), params: Some(p) }.encode_to_vec(),
        };
        assert_eq!(self.fees.msg_signers(&msg)?, vec![Address::parse(authority)?]);
        self.with(|ctx, e| {
            ctx.push_layer();
            match ctx.scoped(b"fees/", |ctx| e.fees.handle_msg(ctx, &NoRouter, &msg)) {
                Ok(_) => {
                    ctx.commit_layer();
                    Ok(())
                }
                Err(err) => {
                    ctx.discard_layer();
                    Err(err)
                }
            }
        })
    }

    fn params(&mut self) -> pb::Params {
        self.with(|ctx, e| {
            let out = ctx.scoped(b"fees/", |ctx| e.fees.query(ctx, "venice.fees.v1.Query", "Params", &[])).unwrap();
            pb::QueryParamsResponse::decode(out.as_slice()).unwrap().params.unwrap()
        })
    }

    fn check(&mut self, fee: &str, gas: u64, msgs: &[&str]) -> venice_sdk::Result<()> {
        let fee = if fee.is_empty() { Coins::empty() } else { coins(fee) };
        self.with(|ctx, e| ctx.scoped(b"auth/", |ctx| e.fees.check_tx_fee(ctx, &fee, gas, msgs)))
    }
}

fn split_pb(st: &str, mo: &str, cp: &str, cm: &str, ec: &str, bu: &str) -> pb::FeeSplit {
    pb::FeeSplit {
        stakers: st.into(),
        model_owner: mo.into(),
        compute_providers: cp.into(),
        community_pool: cm.into(),
        ecosystem: ec.into(),
        burn: bu.into(),
    }
}

/// A genesis with tx split 0.7/0/0/0.1/0.15/0.05, uvvv at 0.01 and ustable
/// at 0 gas price, a 1000uvvv base fee on MsgStoreCode.
fn genesis() -> serde_json::Value {
    serde_json::json!({"params": {
        "tx_fee_split": {"stakers": "0.7", "community_pool": "0.1", "ecosystem": "0.15", "burn": "0.05"},
        "inference_fee_split": {"stakers": "0.1", "model_owner": "0.2", "compute_providers": "0.6", "community_pool": "0.05", "ecosystem": "0.05"},
        "min_gas_prices": [{"denom": "ustable", "amount": "0"}, {"denom": "uvvv", "amount": "0.01"}],
        "base_fees": [{"msg_type_url": "/cosmwasm.wasm.v1.MsgStoreCode", "amount": [{"denom": "uvvv", "amount": "1000"}]}]
    }})
}

const SEND: &str = "/cosmos.bank.v1beta1.MsgSend";
const STORE: &str = "/cosmwasm.wasm.v1.MsgStoreCode";

#[test]
fn genesis_round_trips_and_default_is_valid() {
    let mut env = Env::new(genesis());
    let exported = env.with(|ctx, e| ctx.scoped(b"fees/", |ctx| e.fees.export_genesis(ctx)).unwrap());
    let back = venice_fees::genesis::parse(&exported).unwrap();
    assert_eq!(back, venice_fees::genesis::parse(&genesis()).unwrap());
    assert_eq!(exported["params"]["tx_fee_split"]["stakers"], "0.700000000000000000");
    let def = env.fees.default_genesis();
    assert_eq!(venice_fees::genesis::parse(&def).unwrap(), Params::default());
    Params::default().validate().unwrap();
}

/// A change to make to valid params.
type Edit = Box<dyn Fn(&mut pb::Params)>;

#[test]
fn bad_params_are_refused_with_the_field_named() {
    let mut env = Env::new(genesis());
    let gov = venice_sdk::gov_authority().to_bech32();
    let good = env.params();
    let cases: Vec<(&str, Edit)> = vec![
        ("shares sum to 0.900000000000000000", Box::new(|p| p.tx_fee_split = Some(split_pb("0.7", "", "", "0.1", "0.1", "")))),
        ("shares sum to 1.100000000000000000", Box::new(|p| p.inference_fee_split = Some(split_pb("1", "", "", "0.1", "", "")))),
        ("is negative", Box::new(|p| p.tx_fee_split = Some(split_pb("1.1", "", "", "-0.1", "", "")))),
        ("is more than 1", Box::new(|p| p.tx_fee_split = Some(split_pb("2", "", "", "", "", "")))),
        ("not a decimal", Box::new(|p| p.tx_fee_split = Some(split_pb("1/2", "", "", "0.5", "", "")))),
        ("tx_fee_split: missing", Box::new(|p| p.tx_fee_split = None)),
        ("min_gas_prices[0].denom", Box::new(|p| p.min_gas_prices = vec![pb::GasPrice { denom: "1bad".into(), amount: "0".into() }])),
        (
            "not sorted or is duplicated",
            Box::new(|p| {
                p.min_gas_prices = vec![
                    pb::GasPrice { denom: "uvvv".into(), amount: "0".into() },
                    pb::GasPrice { denom: "ustable".into(), amount: "0".into() },
                ]
            }),
        ),
        ("is negative", Box::new(|p| p.min_gas_prices = vec![pb::GasPrice { denom: "uvvv".into(), amount: "-1".into() }])),
        (
            "is not a type URL",
            Box::new(|p| {
                p.base_fees =
                    vec![pb::BaseFee { msg_type_url: "MsgSend".into(), amount: vec![PCoin { denom: "uvvv".into(), amount: "1".into() }] }]
            }),
        ),
        (
            "base_fees[0].amount",
            Box::new(|p| {
                p.base_fees =
                    vec![pb::BaseFee { msg_type_url: SEND.into(), amount: vec![PCoin { denom: "uvvv".into(), amount: "0".into() }] }]
            }),
        ),
    ];
    for (want, edit) in cases {
        let mut p = good.clone();
        edit(&mut p);
        let err = env.update(&gov, p).unwrap_err();
        assert_eq!(err.abci_code(), ("fees", 3), "{err}");
        assert!(err.to_string().contains(want), "{want:?} not in {err}");
        assert_eq!(env.params(), good, "a refused update changes nothing");
    }
}

#[test]
fn only_the_gov_authority_updates_params() {
    let mut env = Env::new(genesis());
    let mut p = env.params();
    p.tx_fee_split = Some(split_pb("0.5", "", "", "0.5", "", ""));
    let err = env.update(&addr(7).to_bech32(), p.clone()).unwrap_err();
    assert_eq!(err.abci_code(), ("gov", 13), "{err}");
    env.update(&venice_sdk::gov_authority().to_bech32(), p).unwrap();
    let now = env.params();
    assert_eq!(now.tx_fee_split.unwrap().community_pool, "0.500000000000000000");
    // The Split query reports the new ratios and previews a fee.
    let r = env.with(|ctx, e| {
        let req = pb::QuerySplitRequest { amount: "101uvvv".into() }.encode_to_vec();
        let out = ctx.scoped(b"fees/", |ctx| e.fees.query(ctx, "venice.fees.v1.Query", "Split", &req)).unwrap();
        pb::QuerySplitResponse::decode(out.as_slice()).unwrap()
    });
    let legs: Vec<(String, String)> = r.tx_fee_preview.iter().map(|l| (l.leg.clone(), l.amount[0].amount.clone())).collect();
    assert_eq!(legs, vec![("stakers".into(), "50".into()), ("community_pool".into(), "50".into()), ("remainder".into(), "1".into())]);
    assert_eq!(r.remainder_sink, "community_pool");
}

#[test]
fn fees_in_unlisted_denoms_under_the_gas_price_or_base_fee_are_refused() {
    let mut env = Env::new(genesis());
    // ustable is free (gas price 0): any listed fee passes the gas price check.
    env.check("2000uvvv", 200_000, &[SEND]).unwrap();
    env.check("12ustable", 200_000, &[SEND]).unwrap();
    // A listed price of 0 makes any (listed) fee enough, none too.
    env.check("", 200_000, &[SEND]).unwrap();
    let err = env.check("12unotlisted", 200_000, &[SEND]).unwrap_err();
    assert_eq!(err.abci_code(), ("fees", 2), "{err}");
    assert!(err.to_string().contains("fee denom unotlisted is not accepted; accepted fee denoms: ustable,uvvv"), "{err}");
    let err = env.check("5000uvvv,1unotlisted", 200_000, &[SEND]).unwrap_err();
    assert_eq!(err.abci_code(), ("fees", 2), "an unlisted denom beside a listed one: {err}");
    // Base fees: 1000uvvv per MsgStoreCode, summed over the messages.
    env.check("2000uvvv", 200_000, &[STORE]).unwrap();
    let err = env.check("2999uvvv", 200_000, &[STORE, SEND, STORE, STORE]).unwrap_err();
    assert_eq!(err.abci_code(), ("sdk", 13), "{err}");
    assert!(err.to_string().contains("3000uvvv (base fee of the tx's messages)"), "{err}");
    env.check("3000uvvv", 200_000, &[STORE, SEND, STORE, STORE]).unwrap();
    let err = env.check("50ustable", 200_000, &[STORE]).unwrap_err();
    assert_eq!(err.abci_code(), ("sdk", 13), "a base fee in uvvv is not met by ustable: {err}");
}

#[test]
fn with_every_listed_price_above_zero_some_denom_must_cover_the_gas() {
    let mut g = genesis();
    g["params"]["min_gas_prices"] = serde_json::json!([{"denom": "ustable", "amount": "0.00005"}, {"denom": "uvvv", "amount": "0.01"}]);
    let mut env = Env::new(g);
    let err = env.check("", 200_000, &[SEND]).unwrap_err();
    assert_eq!(err.abci_code(), ("sdk", 13), "{err}");
    assert!(err.to_string().contains("required: 10ustable,2000uvvv"), "{err}");
    env.check("12ustable", 200_000, &[SEND]).unwrap();
    env.check("9ustable", 200_000, &[SEND]).unwrap_err();
    let err = env.check("1999uvvv", 200_000, &[SEND]).unwrap_err();
    assert_eq!(err.abci_code(), ("sdk", 13), "{err}");
    env.check("9ustable,2000uvvv", 200_000, &[SEND]).unwrap();
}

#[test]
fn empty_min_gas_prices_accept_any_denom() {
    let mut g = genesis();
    g["params"]["min_gas_prices"] = serde_json::json!([]);
    let mut env = Env::new(g);
    env.check("12unotlisted", 200_000, &[SEND]).unwrap();
    env.check("", 200_000, &[SEND]).unwrap();
}

#[test]
fn begin_block_splits_the_fee_collector_with_real_balances() {
    let mut env = Env::new(genesis());
    // 1001uvvv and 7ustable of last block's fees wait in the fee collector.
    env.mint(&fee_collector(), "1001uvvv,7ustable");
    let supply = env.supply("uvvv");
    let events = env.with(|ctx, e| {
        ctx.scoped(b"fees/", |ctx| e.fees.begin_block(ctx)).unwrap();
        ctx.take_events()
    });
    // uvvv: stakers floor(700.7)=700, community floor(100.1)=100,
    // ecosystem floor(150.15)=150, burn floor(50.05)=50, remainder 1.
    assert_eq!(env.balance(&fee_collector(), "uvvv"), 700);
    assert_eq!(env.balance(&pool(), "uvvv"), 101);
    assert_eq!(env.balance(&ecosystem_pool(), "uvvv"), 150);
    assert_eq!(env.supply("uvvv"), supply - 50);
    // ustable 7: stakers 4, community 0, ecosystem 1, burn 0, remainder 2.
    assert_eq!(env.balance(&fee_collector(), "ustable"), 4);
    assert_eq!(env.balance(&pool(), "ustable"), 2);
    assert_eq!(env.balance(&ecosystem_pool(), "ustable"), 1);
    let splits: Vec<Vec<(String, String)>> = events.iter().filter(|e| e.kind == "fee_split").map(|e| e.attributes.clone()).collect();
    let leg = |name: &str| splits.iter().find(|a| a.iter().any(|(k, v)| k == "leg" && v == name)).cloned().unwrap();
    assert!(leg("stakers").contains(&("amount".into(), "4ustable,700uvvv".into())));
    assert!(leg("ecosystem").contains(&("recipient".into(), ecosystem_pool().to_bech32())));
    assert!(leg("burn").contains(&("amount".into(), "50uvvv".into())));
    assert!(leg("remainder").contains(&("amount".into(), "2ustable,1uvvv".into())));
    // Nothing is held by the module; an empty collector is a no-op next block.
    let inv = env.with(|ctx, e| ctx.scoped(b"fees/", |ctx| e.fees.invariants(ctx)).unwrap());
    assert!(inv.iter().all(|i| i.broken.is_none()), "{inv:?}");
    env.with(|ctx, e| ctx.scoped(b"bank/", |ctx| e.bank.send(ctx, &fee_collector(), &addr(50), &coins("700uvvv,4ustable")))).unwrap();
    let n = env.with(|ctx, e| {
        ctx.scoped(b"fees/", |ctx| e.fees.begin_block(ctx)).unwrap();
        ctx.take_events().len()
    });
    assert_eq!(n, 0);
}

#[test]
fn heights_one_and_two_leave_the_collector_to_distribution() {
    let mut env = Env::new(genesis());
    env.mint(&fee_collector(), "1000uvvv");
    for h in [1, 2] {
        env.at(h, |ctx, e| ctx.scoped(b"fees/", |ctx| e.fees.begin_block(ctx))).unwrap();
        assert_eq!(env.balance(&fee_collector(), "uvvv"), 1000, "height {h}");
    }
    env.at(3, |ctx, e| ctx.scoped(b"fees/", |ctx| e.fees.begin_block(ctx))).unwrap();
    assert_eq!(env.balance(&fee_collector(), "uvvv"), 700);
}

#[test]
fn inference_fee_pays_owner_executors_and_the_sink() {
    let mut env = Env::new(genesis());
    let user = addr(1);
    let owner = addr(2);
    let ex = [addr(3), addr(4), addr(5)];
    env.mint(&user, "1000uvvv");
    let legs = env.with(|ctx, e| e.fees.route_inference_fee(ctx, &user, &coins("1000uvvv"), Some(&owner), &ex)).unwrap();
    assert_eq!(split::total(&legs).unwrap(), coins("1000uvvv"));
    assert_eq!(env.balance(&user, "uvvv"), 0);
    assert_eq!(env.balance(&owner, "uvvv"), 200);
    for e in &ex {
        assert_eq!(env.balance(e, "uvvv"), 200, "600 shared by 3");
    }
    assert_eq!(env.balance(&fee_collector(), "uvvv"), 100);
    assert_eq!(env.balance(&pool(), "uvvv"), 50);
    assert_eq!(env.balance(&ecosystem_pool(), "uvvv"), 50);
    // No executor and no owner: their legs to the sink.
    env.mint(&user, "1000uvvv");
    env.with(|ctx, e| e.fees.route_inference_fee(ctx, &user, &coins("1000uvvv"), None, &[])).unwrap();
    assert_eq!(env.balance(&pool(), "uvvv"), 50 + 50 + 200 + 600);
    // A payer without the funds fails and moves nothing (the caller's layer).
    let err = env.with(|ctx, e| e.fees.route_inference_fee(ctx, &user, &coins("10uvvv"), None, &[])).unwrap_err();
    assert!(matches!(err, Error::InsufficientFunds(_)), "{err}");
}

#[test]
fn a_coin_in_the_module_account_breaks_the_invariant() {
    let mut env = Env::new(genesis());
    env.mint(&module_address(), "1uvvv");
    let inv = env.with(|ctx, e| ctx.scoped(b"fees/", |ctx| e.fees.invariants(ctx)).unwrap());
    assert_eq!(inv[0].route, "fees/no-balance");
    assert!(inv[0].broken.as_deref().unwrap().contains("1uvvv"));
}

/// Random shares summing exactly to 1 (some zero), in atto units.
fn shares() -> impl Strategy<Value = Split> {
    (prop::collection::vec(0u128..=venice_types::dec::DEC_SCALE, 5), prop::collection::vec(any::<bool>(), 6)).prop_map(|(cuts, zero)| {
        let mut cuts: Vec<u128> = cuts;
        cuts.sort();
        let mut parts = Vec::with_capacity(6);
        let mut last = 0;
        for c in cuts.iter().chain(std::iter::once(&venice_types::dec::DEC_SCALE)) {
            parts.push(c - last);
            last = *c;
        }
        // Fold some legs into the stakers' leg so zero shares are common.
        for i in 1..6 {
            if zero[i] {
                parts[0] += parts[i];
                parts[i] = 0;
            }
        }
        let p: Vec<Dec> = parts.into_iter().map(Dec::from_atto).collect();
        Split { stakers: p[0], model_owner: p[1], compute_providers: p[2], community_pool: p[3], ecosystem: p[4], burn: p[5] }
    })
}

fn fee_strategy() -> impl Strategy<Value = Coins> {
    let amount = prop_oneof![0u128..10, 0u128..1_000_000, any::<u128>(), Just(u128::MAX)];
    prop::collection::btree_map(prop::sample::select(vec!["uvvv", "ustable", "uatom"]), amount, 0..4)
        .prop_map(|m| Coins::normalize(m.into_iter().map(|(d, a)| Coin::new(d, a))).unwrap())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn legs_always_sum_exactly_to_the_fee(
        fee in fee_strategy(),
        ratios in shares(),
        owner in prop::option::of(1u8..=255),
        n_exec in prop_oneof![Just(0usize), Just(1usize), 2usize..40],
    ) {
        prop_assert!(ratios.validate("r").is_ok());
        let owner = owner.map(addr);
        let executors: Vec<Address> = (0..n_exec).map(|i| addr(i as u8 % 200 + 10)).collect();
        let legs = split::split(&fee, &ratios, owner.as_ref(), &executors).unwrap();
        prop_assert_eq!(split::total(&legs).unwrap(), fee.clone());
        for l in &legs {
            prop_assert!(!l.amount.is_empty());
            for c in l.amount.iter() {
                let whole = fee.amount_of(&c.denom);
                // No leg exceeds its share (rounded down) except the sink's.
                let bound = match l.kind {
                    LegKind::Stakers => Some(ratios.stakers),
                    LegKind::Ecosystem => Some(ratios.ecosystem),
                    LegKind::Burn => Some(ratios.burn),
                    _ => None,
                };
                if let Some(r) = bound {
                    prop_assert!(c.amount <= r.mul_int_quo_int(whole, venice_types::dec::DEC_SCALE).unwrap().atto());
                }
            }
            match (&l.kind, &l.recipient) {
                (LegKind::ModelOwner, Recipient::Account(a)) => prop_assert_eq!(Some(a), owner.as_ref()),
                (LegKind::ModelOwner, r) => { prop_assert!(owner.is_none()); prop_assert_eq!(r, &Recipient::CommunityPool); }
                (LegKind::ComputeProviders, Recipient::Account(a)) => prop_assert!(executors.contains(a)),
                (LegKind::ComputeProviders, r) => { prop_assert!(executors.is_empty()); prop_assert_eq!(r, &Recipient::CommunityPool); }
                (LegKind::Remainder, r) => prop_assert_eq!(r, &Recipient::CommunityPool),
                _ => {}
            }
        }
        // The remainder is less than one unit per leg plus one per executor.
        for c in fee.iter() {
            let rem: u128 = legs.iter().filter(|l| l.kind == LegKind::Remainder).map(|l| l.amount.amount_of(&c.denom)).sum();
            prop_assert!(rem < 6 + executors.len() as u128);
        }
    }
}

#[test]
fn split_with_all_shares_zero_but_one_and_d_helper() {
    let all_burn = Split { burn: d("1"), ..Split::default() };
    let legs = split::split(&coins("5uvvv"), &all_burn, None, &[]).unwrap();
    assert_eq!(legs.len(), 1);
    assert_eq!((legs[0].kind, &legs[0].recipient), (LegKind::Burn, &Recipient::Burn));
}
