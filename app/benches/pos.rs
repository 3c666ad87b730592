//! `make bench` (proof of stake part): what staking, distribution and mint
//! cost per block, and what a reward withdrawal costs as delegations grow.
//! Prints numbers, asserts only that every operation succeeds.
//!
//! 1. Begin block + end block with 100 validators (all signing) and
//!    100,000 delegations: mint, the F1 allocation, staking's historical
//!    info and validator-set update.
//! 2. One `MsgWithdrawDelegatorReward` at 1,000 / 10,000 / 100,000
//!    delegations, and after many more blocks: F1 makes it independent of
//!    both (it reads two historical records and the starting info).
//! 3. FinalizeBlock + Commit of 10,000 signed bank sends with mint and
//!    distribution running (one validator signing every block) against the
//!    same chain without them.
//!
//! Parts 1 and 2 drive the real module manager over a real store
//! (messages executed as the manager routes them, without signatures);
//! part 3 goes through the ABCI FinalizeBlock as the node runs it.
//! Run: `cargo bench -p veniced --bench pos` (BENCH_QUICK=1: 10x smaller).

use std::sync::Arc;
use std::time::{Duration, Instant};

use cosmos_sdk_proto::Any;
use cosmos_sdk_proto::cosmos::base::v1beta1::Coin as PCoin;
use cosmos_sdk_proto::cosmos::distribution::v1beta1 as dpb;
use cosmos_sdk_proto::cosmos::staking::v1beta1 as spb;
use prost::Message;
use tendermint_proto::v0_38::abci as pb;
use venice_sdk::testing::{TestKey, TxParams};
use venice_sdk::{Address, BlockInfo, CometInfo, Ctx, GasMeter, Module, ModuleManager, Phase, VoteInfo};
use venice_store::{ChangeSet, Store, StoreOptions};
use venice_types::{Dec, paths};
use veniced::App;
use veniced::genesis::AppGenesis;
use veniced::modules::Modules;

const CHAIN_ID: &str = "venice-bench";
const VVV: u128 = 1_000_000;

fn addr(i: u64) -> Address {
    let mut b = [0u8; 20];
    b[..8].copy_from_slice(&(i + 1).to_be_bytes());
    b[19] = 0xd0;
    Address::from_bytes(&b).unwrap()
}

fn cons_key(v: u64) -> Vec<u8> {
    let mut k = vec![0x5a; 32];
    k[..8].copy_from_slice(&v.to_be_bytes());
    k
}

fn any<M: Message>(url: &str, m: &M) -> Any {
    Any { type_url: url.into(), value: m.encode_to_vec() }
}

fn coin(n: u128) -> Option<PCoin> {
    Some(PCoin { denom: "uvvv".into(), amount: n.to_string() })
}

fn create_validator(op: &Address, v: u64, amount: u128) -> Any {
    any(
        paths::MSG_CREATE_VALIDATOR_URL,
        &spb::MsgCreateValidator {
            description: Some(spb::Description { moniker: format!("v{v}"), ..Default::default() }),
            commission: Some(spb::CommissionRates {
                rate: Dec::parse("0.05").unwrap().to_atto_string(),
                max_rate: Dec::ONE.to_atto_string(),
                max_change_rate: Dec::parse("0.01").unwrap().to_atto_string(),
            }),
            min_self_delegation: "1".into(),
            #[allow(deprecated)]
            delegator_address: String::new(),
            validator_address: op.to_valoper(),
            pubkey: Some(venice_staking::types::ed25519_any(&cons_key(v))),
            value: coin(amount),
        },
    )
}

/// The chain's modules over a store, blocks driven by hand.
struct Chain {
    _dir: tempfile::TempDir,
    store: Store,
    modules: Modules,
    height: u64,
    validators: u64,
    delegators: u64,
}

impl Chain {
    fn ctx<'a>(&'a self, pending: &'a mut ChangeSet, votes: Vec<VoteInfo>) -> Ctx<'a> {
        let info = BlockInfo {
            chain_id: CHAIN_ID.into(),
            height: self.height,
            time_secs: 1_700_000_000 + self.height as i64,
            time_nanos: 0,
            comet: CometInfo { votes, ..Default::default() },
            ..Default::default()
        };
        Ctx::new(&self.store, pending, info, GasMeter::infinite())
    }

    fn votes(&self) -> Vec<VoteInfo> {
        (0..self.validators)
            .map(|v| VoteInfo {
                address: Address::consensus(&cons_key(v)).as_bytes().to_vec(),
                power: 1_000 + v as i64,
                signed: true,
                absent: false,
            })
            .collect()
    }

    /// One block: begin, `txs` executed, end; committed. Returns the
    /// begin + end time.
    fn block(&mut self, msgs: impl FnOnce(&ModuleManager, &mut Ctx)) -> Duration {
        self.height += 1;
        let mut pending = ChangeSet::new();
        let votes = if self.height > 1 { self.votes() } else { vec![] };
        let mut ctx = self.ctx(&mut pending, votes);
        let m = &self.modules.manager;
        let t = Instant::now();
        let failures = m.begin_block(&mut ctx, &[]);
        let begin = t.elapsed();
        assert!(failures.is_empty(), "{failures:?}");
        msgs(m, &mut ctx);
        let t = Instant::now();
        let (_, failures) = m.end_block(&mut ctx);
        let end = t.elapsed();
        assert!(failures.is_empty(), "{failures:?}");
        drop(ctx);
        self.store.stage(self.height, &pending).unwrap();
        self.store.commit().unwrap();
        self.store.wait_indexed().unwrap();
        begin + end
    }

    fn new(validators: u64, max_delegators: u64) -> Chain {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("db"), StoreOptions::default()).unwrap();
        let modules = Modules::standard();
        let g = AppGenesis::new_default();
        let mut pending = ChangeSet::new();
        let mut chain = Chain { _dir: dir, store, modules, height: 1, validators: 0, delegators: 0 };
        {
            let mut ctx = chain.ctx(&mut pending, vec![]);
            chain.modules.manager.init_genesis(&mut ctx, &g.0).unwrap();
        }
        // Genesis is committed as height 1 (as InitChain's writes are).
        chain.height = 1;
        chain.store.stage(1, &pending).unwrap();
        chain.store.commit().unwrap();
        // Accounts funded by minting (a genesis list of 100,000 accounts
        // is slow to build as JSON, and not what is measured).
        let bank = venice_bank::Bank::new(Arc::new(veniced::modules::AuthAccounts(Arc::new(venice_auth::Auth))));
        let funds = venice_sdk::Coins::parse(&format!("{}uvvv", 10_000 * VVV)).unwrap();
        chain.block(|m, ctx| {
            for i in 0..validators + max_delegators {
                ctx.scoped(venice_bank::state::PREFIX, |ctx| bank.mint(ctx, &addr(i), &funds)).unwrap();
            }
            for v in 0..validators {
                m.execute(ctx, &create_validator(&addr(v), v, (1_000 + v as u128) * VVV)).unwrap();
            }
        });
        chain.validators = validators;
        chain
    }

    /// Add delegations until there are `n`, `batch` per block.
    fn grow_to(&mut self, n: u64, batch: u64) {
        while self.delegators < n {
            let (from, to) = (self.delegators, n.min(self.delegators + batch));
            let vals = self.validators;
            self.block(|m, ctx| {
                for d in from..to {
                    let msg = spb::MsgDelegate {
                        delegator_address: addr(vals + d).to_bech32(),
                        validator_address: addr(d % vals).to_valoper(),
                        amount: coin(VVV),
                    };
                    m.execute(ctx, &any(paths::MSG_DELEGATE_URL, &msg)).unwrap();
                }
            });
            self.delegators = to;
        }
    }

    /// Mean time of one withdrawal, over `samples` delegators (executed, not committed).
    fn withdrawal(&mut self, samples: u64) -> Duration {
        self.height += 1;
        let mut pending = ChangeSet::new();
        let mut ctx = self.ctx(&mut pending, vec![]);
        let m = &self.modules.manager;
        let step = (self.delegators / samples).max(1);
        let t = Instant::now();
        let mut n = 0;
        for d in (0..self.delegators).step_by(step as usize).take(samples as usize) {
            let msg = dpb::MsgWithdrawDelegatorReward {
                delegator_address: addr(self.validators + d).to_bech32(),
                validator_address: addr(d % self.validators).to_valoper(),
            };
            let out = m.execute(&mut ctx, &any(venice_distribution::handlers::MSG_WITHDRAW_DELEGATOR_REWARD, &msg)).unwrap();
            let paid = dpb::MsgWithdrawDelegatorRewardResponse::decode(out.value.as_slice()).unwrap();
            assert!(!paid.amount.is_empty(), "rewards accrued");
            n += 1;
        }
        let per = t.elapsed() / n;
        self.height -= 1;
        per
    }
}

fn us(d: Duration) -> String {
    format!("{:.1} µs", d.as_secs_f64() * 1e6)
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

fn staking_bench(quick: bool) {
    let scale = if quick { 10 } else { 1 };
    let (vals, full) = (100, 100_000 / scale);
    println!("-- begin+end block and withdrawals: {vals} validators, up to {full} delegations --");
    let mut c = Chain::new(vals, full);
    let t = Instant::now();
    for stage in [1_000 / scale, 10_000 / scale, full] {
        c.grow_to(stage, 10_000);
        // Rewards accrue for a few blocks before withdrawing.
        for _ in 0..3 {
            c.block(|_, _| {});
        }
        println!("withdraw rewards at {:>6} delegations: {} per MsgWithdrawDelegatorReward", stage, us(c.withdrawal(200)));
    }
    println!("(building {full} delegations took {:.1} s)", t.elapsed().as_secs_f64());
    let mut times: Vec<Duration> = (0..10).map(|_| c.block(|_, _| {})).collect();
    times.sort();
    println!("begin+end block ({vals} validators signing, {full} delegations): median {}, min {}", ms(times[5]), ms(times[0]));
    for _ in 0..200 {
        c.block(|_, _| {});
    }
    println!("withdraw rewards after 200 more blocks:     {} per MsgWithdrawDelegatorReward", us(c.withdrawal(200)));
    // The invariants still hold at this size.
    let mut pending = ChangeSet::new();
    let mut ctx = c.ctx(&mut pending, vec![]);
    let t = Instant::now();
    let broken: Vec<_> = c.modules.manager.invariants(&mut ctx).into_iter().filter(|i| i.broken.is_some()).collect();
    assert!(broken.is_empty(), "{broken:?}");
    println!("all invariants checked in {}", ms(t.elapsed()));
}

// ---- FinalizeBlock with and without mint + distribution ------------------------------

/// The chain before proof of stake's reward modules: auth, bank, staking
/// and wasm only (no mint, distribution, slashing, evidence, vesting,
/// airdrop or gov).
fn modules_without_rewards() -> Modules {
    let std = Modules::standard();
    let auth = Arc::new(venice_auth::Auth);
    let bank = Arc::new(venice_bank::Bank::new(Arc::new(veniced::modules::AuthAccounts(auth.clone()))));
    let staking = Arc::new(venice_staking::Staking::new(Arc::new(veniced::modules::BankForStaking(bank.clone()))));
    let wasm = venice_wasm::Wasm::new(
        venice_wasm::WasmConfig::default(),
        Arc::new(veniced::modules::WasmBank(bank.clone())),
        Arc::new(veniced::modules::AuthAccounts(auth.clone())),
    );
    let list: Vec<Arc<dyn Module>> = vec![auth, bank.clone(), staking.clone(), Arc::new(wasm.clone()), Arc::new(veniced::genutil::Genutil)];
    let names = ["auth", "bank", "staking", "wasm", "genutil"];
    let manager = ModuleManager::new(list)
        .unwrap()
        .set_order(Phase::InitGenesis, &names)
        .unwrap()
        .set_order(Phase::BeginBlock, &["staking", "auth", "bank", "wasm", "genutil"])
        .unwrap()
        .set_order(Phase::EndBlock, &names)
        .unwrap();
    Modules { manager, bank, staking, wasm, distribution: std.distribution, upgrade: std.upgrade, fee_policy: None, inference: None }
}

fn gentx(k: &TestKey) -> serde_json::Value {
    let raw = k.sign_tx(
        vec![create_validator(&k.address(), 7, 1_000 * VVV)],
        &TxParams { chain_id: CHAIN_ID.into(), account_number: 0, sequence: 0, fee: 0, gas: 400_000, ..Default::default() },
    );
    serde_json::to_value(veniced::genutil::TxJson::from_raw(&raw).unwrap()).unwrap()
}

fn finalize_bench(quick: bool) {
    let n = if quick { 1_000 } else { 10_000 };
    let senders = (n / 5).max(1);
    let keys: Vec<TestKey> = (0..senders as u64).map(TestKey::from_seed).collect();
    let mut g = AppGenesis::new_default();
    for k in &keys {
        g.add_account(&k.address(), &venice_sdk::Coins::parse("1000000000000uvvv").unwrap()).unwrap();
    }
    let mut with = serde_json::to_value(&g).unwrap();
    with["genutil"]["gen_txs"] = serde_json::json!([gentx(&keys[0])]);
    let mut without = serde_json::to_value(&g).unwrap();
    // Only the sections of the modules that chain had.
    without.as_object_mut().unwrap().retain(|k, _| ["auth", "bank", "staking", "wasm", "genutil"].contains(&k.as_str()));
    without["genutil"]["gen_txs"] = serde_json::json!([gentx(&keys[0])]);
    let mut txs = Vec::with_capacity(n);
    for s in 0..n / senders {
        for (i, k) in keys.iter().enumerate() {
            let to = keys[(i + 1 + s) % keys.len()].address();
            // The validator's key delegated in genesis: its sequence starts at 1.
            let seq = s as u64 + u64::from(i == 0);
            txs.push(k.sign_send(&to, 1 + s as u128, CHAIN_ID, i as u64, seq, 5000, 200_000));
        }
    }
    let vote = pb::CommitInfo {
        round: 0,
        votes: vec![pb::VoteInfo {
            validator: Some(pb::Validator { address: Address::consensus(&cons_key(7)).as_bytes().to_vec().into(), power: 1_000 }),
            block_id_flag: 2,
        }],
    };
    let run = |app_state: &serde_json::Value, modules: Modules| -> Duration {
        let dir = tempfile::tempdir().unwrap();
        let app = App::with_modules(Store::open(&dir.path().join("db"), StoreOptions::default()).unwrap(), vec![], modules);
        let genesis = serde_json::json!({"chain_id": CHAIN_ID, "consensus_params": {"block": {"max_gas": "-1"}}, "app_state": app_state});
        app.init_chain(veniced::genesis::init_chain_request(&genesis).unwrap()).unwrap();
        app.finalize_block(pb::RequestFinalizeBlock { height: 1, ..Default::default() }).unwrap();
        app.commit().unwrap();
        app.store.wait_indexed().unwrap();
        let req = pb::RequestFinalizeBlock {
            txs: txs.iter().cloned().map(Into::into).collect(),
            height: 2,
            decided_last_commit: Some(vote.clone()),
            ..Default::default()
        };
        let t = Instant::now();
        let resp = app.finalize_block(req).unwrap();
        app.commit().unwrap();
        app.store.wait_indexed().unwrap();
        let took = t.elapsed();
        assert!(resp.tx_results.iter().all(|r| r.code == 0), "{:?}", resp.tx_results.iter().find(|r| r.code != 0));
        took
    };
    let best = |state: &serde_json::Value, mk: &dyn Fn() -> Modules| (0..3).map(|_| run(state, mk())).min().unwrap();
    let t_with = best(&with, &Modules::standard);
    let t_without = best(&without, &modules_without_rewards);
    println!("-- FinalizeBlock + Commit of {n} bank sends (best of 3) --");
    println!("all modules (mint, distribution, slashing, gov…): {} ({:.0} tx/s)", ms(t_with), n as f64 / t_with.as_secs_f64());
    println!("auth, bank, staking, wasm only: {} ({:.0} tx/s)", ms(t_without), n as f64 / t_without.as_secs_f64());
    let diff = t_with.as_secs_f64() - t_without.as_secs_f64();
    println!("difference: {:+.2} ms per block ({:+.1}%)", diff * 1e3, 100.0 * diff / t_without.as_secs_f64());
}

fn main() {
    let quick = std::env::var("BENCH_QUICK").is_ok();
    println!("== proof-of-stake benchmark ==");
    finalize_bench(quick);
    staking_bench(quick);
}
