//! Unit tests of inference's rules over a real store. Bank balances live in
//! the store (so failed messages roll them back); NFTs, validators, the fee
//! router, the slasher, stake locks, the credit token and data credentials are small
//! in-memory doubles that record what they were asked.

mod committee_queue;
mod credits_ext;
mod msgs;
mod proposal;
mod results;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use cosmos_sdk_proto::Any;
use prost::Message;
use venice_model_types::{Amount, DType, ModelDescriptor, Price, QuantRule, TensorSpec};
use venice_sdk::{Address, BlockInfo, Coin, Coins, Ctx, Error, GasMeter, Module, Result};
use venice_store::{ChangeSet, Store, StoreOptions};
use venice_types::Dec;
use venice_types::inference as pb;

use crate::expected_keepers::*;
use crate::results::{ReportedResult, Results, ValidatorResults};
use crate::{Inference, Params, handlers, module_address, state};

pub const DENOM: &str = "uvvv";
pub const CHAIN_ID: &str = "venice-test";
const BANK: &[u8] = b"tbank/";

pub fn addr(i: u8) -> Address {
    Address::from_bytes(&[i; 20]).unwrap()
}
/// Validator `i`'s operator (its account bytes) and consensus address.
pub fn op(i: u8) -> Address {
    Address::from_bytes(&[100 + i; 20]).unwrap()
}
pub fn cons(i: u8) -> Vec<u8> {
    vec![200 + i; 20]
}
/// The compute-credit contract the tests that use one name in params.
pub fn credit_contract() -> Address {
    Address::from_bytes(&[78; 32]).unwrap()
}
pub fn nft_contract() -> Address {
    Address::from_bytes(&[77; 32]).unwrap()
}
/// The data-credential contract the doubles play, and its one dataset.
pub fn credential_contract() -> Address {
    Address::from_bytes(&[79; 32]).unwrap()
}
pub fn dataset() -> Dataset {
    Dataset { id: 7, data_hash: "ab".repeat(32), uri: "file:///data/x.json".into() }
}

pub fn coin(n: u128) -> cosmos_sdk_proto::cosmos::base::v1beta1::Coin {
    Coin::new(DENOM, n).to_proto()
}

pub struct TestBank;
fn bal_key(a: &Address, denom: &str) -> Vec<u8> {
    [BANK, a.as_bytes(), b"/", denom.as_bytes()].concat()
}
impl TestBank {
    pub fn get(ctx: &mut Ctx, a: &Address) -> u128 {
        ctx.scoped(BANK, |ctx| ctx.get_borsh::<u128>(&bal_key(a, DENOM)).unwrap().unwrap_or(0))
    }
    pub fn put(ctx: &mut Ctx, a: &Address, v: u128) {
        ctx.scoped(BANK, |ctx| ctx.set_borsh(bal_key(a, DENOM), &v).unwrap())
    }
}
impl BankKeeper for TestBank {
    fn send(&self, ctx: &mut Ctx, from: &Address, to: &Address, coins: &Coins) -> Result<()> {
        for c in coins.iter() {
            assert_eq!(c.denom, DENOM);
            let have = Self::get(ctx, from);
            let left = have.checked_sub(c.amount).ok_or_else(|| Error::InsufficientFunds(format!("{have} < {c}")))?;
            Self::put(ctx, from, left);
            let to_have = Self::get(ctx, to);
            Self::put(ctx, to, to_have + c.amount);
        }
        Ok(())
    }
    fn balance(&self, ctx: &mut Ctx, addr: &Address, _denom: &str) -> Result<u128> {
        Ok(Self::get(ctx, addr))
    }
}

#[derive(Default)]
pub struct Book {
    pub nfts: BTreeMap<String, (Address, ModelDescriptor)>,
    pub validators: Vec<ValidatorInfo>,
    /// (fee, model owner, executors) of each routed fee.
    pub routed: Vec<(u128, Address, Vec<Address>)>,
    /// (consensus address, height, power, fraction) of each slash.
    pub slashed: Vec<(Vec<u8>, u64, u64, Dec)>,
    /// owner -> (bonded, locked)
    pub stake: BTreeMap<Address, (u128, u128)>,
    /// owner -> cw20 credit balance
    pub credit_tokens: BTreeMap<Address, u128>,
    /// Make the fee router refuse.
    pub fail_routing: bool,
    /// (contract, credential id) -> (holder, uses left, dataset)
    pub credentials: BTreeMap<(Address, u64), (Address, u32, Dataset)>,
    /// Gas each credential refund burns (a contract's work).
    pub refund_gas: u64,
}

#[derive(Clone, Default)]
pub struct Doubles(pub Arc<Mutex<Book>>);

impl Doubles {
    pub fn book(&self) -> std::sync::MutexGuard<'_, Book> {
        self.0.lock().unwrap()
    }
}

impl ModelNfts for Doubles {
    fn owner_of(&self, _ctx: &mut Ctx, contract: &Address, token_id: &str) -> Result<Option<Address>> {
        Ok(self.book().nfts.get(&format!("{contract}/{token_id}")).map(|(o, _)| o.clone()))
    }
    fn model_info(&self, _ctx: &mut Ctx, contract: &Address, token_id: &str) -> Result<Option<ModelDescriptor>> {
        Ok(self.book().nfts.get(&format!("{contract}/{token_id}")).map(|(_, d)| d.clone()))
    }
}
impl Validators for Doubles {
    fn validators(&self, _ctx: &mut Ctx) -> Result<Vec<ValidatorInfo>> {
        Ok(self.book().validators.clone())
    }
    fn validator(&self, _ctx: &mut Ctx, operator: &Address) -> Result<Option<ValidatorInfo>> {
        Ok(self.book().validators.iter().find(|v| &v.operator == operator).cloned())
    }
    /// The bonded validators, each with the key `signing_key(i)` gives.
    fn consensus_set(&self, _ctx: &mut Ctx) -> Result<Vec<crate::state::Signer>> {
        Ok(self
            .book()
            .validators
            .iter()
            .enumerate()
            .map(|(i, v)| crate::state::Signer {
                consensus_address: v.consensus_address.clone(),
                pubkey: signing_key(i).verification_key().to_bytes().to_vec(),
                power: v.power,
            })
            .collect())
    }
}

/// The ed25519 key of the `i`th test validator.
pub fn signing_key(i: usize) -> ed25519_consensus::SigningKey {
    ed25519_consensus::SigningKey::from([i as u8 + 1; 32])
}
/// Pays the whole fee to the model owner (the split is the fees module's).
impl FeeRouter for Doubles {
    fn route_inference_fee(&self, ctx: &mut Ctx, from: &Address, fee: &Coins, owner: &Address, executors: &[Address]) -> Result<()> {
        if self.book().fail_routing {
            return Err(Error::Internal("router down".into()));
        }
        TestBank.send(ctx, from, owner, fee)?;
        self.book().routed.push((fee.amount_of(DENOM), owner.clone(), executors.to_vec()));
        Ok(())
    }
}
impl Slasher for Doubles {
    fn slash_inference_fault(&self, _ctx: &mut Ctx, consensus_address: &[u8], height: u64, power: u64, fraction: Dec) -> Result<()> {
        self.book().slashed.push((consensus_address.to_vec(), height, power, fraction));
        Ok(())
    }
}
impl StakeLocker for Doubles {
    fn unlocked_bonded(&self, _ctx: &mut Ctx, owner: &Address) -> Result<u128> {
        Ok(self.book().stake.get(owner).map_or(0, |(b, l)| b - l))
    }
    fn lock(&self, _ctx: &mut Ctx, owner: &Address, amount: u128) -> Result<()> {
        let mut b = self.book();
        let e = b.stake.entry(owner.clone()).or_default();
        assert!(e.0 - e.1 >= amount, "lock beyond bonded stake");
        e.1 += amount;
        Ok(())
    }
    fn unlock(&self, _ctx: &mut Ctx, owner: &Address, amount: u128) -> Result<()> {
        let mut b = self.book();
        let e = b.stake.entry(owner.clone()).or_default();
        e.1 = e.1.checked_sub(amount).expect("unlock beyond locked");
        Ok(())
    }
}
impl CreditToken for Doubles {
    fn mint(&self, _ctx: &mut Ctx, contract: &Address, to: &Address, amount: u128) -> Result<()> {
        assert_eq!(contract, &credit_contract());
        *self.book().credit_tokens.entry(to.clone()).or_default() += amount;
        Ok(())
    }
    fn burn(&self, _ctx: &mut Ctx, contract: &Address, from: &Address, amount: u128) -> Result<()> {
        assert_eq!(contract, &credit_contract());
        let mut b = self.book();
        let e = b.credit_tokens.entry(from.clone()).or_default();
        *e = e.checked_sub(amount).expect("burn beyond balance");
        Ok(())
    }
}

/// The contract's rules in miniature: the holder only, while uses last.
impl DataCredentials for Doubles {
    fn consume(&self, _ctx: &mut Ctx, contract: &Address, holder: &Address, id: u64) -> Result<std::result::Result<Dataset, String>> {
        let mut b = self.book();
        let Some((owner, uses, dataset)) = b.credentials.get_mut(&(contract.clone(), id)) else {
            return Ok(Err("not found".into()));
        };
        if owner != holder {
            return Ok(Err(format!("held by {owner}")));
        }
        if *uses == 0 {
            return Ok(Err("exhausted".into()));
        }
        *uses -= 1;
        Ok(Ok(dataset.clone()))
    }
    fn refund(
        &self,
        ctx: &mut Ctx,
        contract: &Address,
        holder: &Address,
        id: u64,
        dataset_id: u64,
    ) -> Result<std::result::Result<(), String>> {
        let mut b = self.book();
        ctx.consume_gas(b.refund_gas, "refund")?;
        match b.credentials.get_mut(&(contract.clone(), id)) {
            Some((owner, uses, dataset)) if owner == holder && dataset.id == dataset_id => {
                *uses += 1;
                Ok(Ok(()))
            }
            Some((owner, ..)) => Ok(Err(format!("held by {owner}"))),
            None => Ok(Err("not found".into())),
        }
    }
}

pub fn descriptor(sha: u8, price: u128) -> ModelDescriptor {
    ModelDescriptor {
        onnx_sha256: hex::encode([sha; 32]),
        storage_uri: "venice://models/digits".into(),
        inputs: vec![TensorSpec { name: "x".into(), dtype: DType::Float32, shape: vec![None, Some(64)] }],
        outputs: vec![TensorSpec { name: "label".into(), dtype: DType::Int64, shape: vec![None] }],
        quant_rule: QuantRule::Exact,
        price_per_call: Price { denom: DENOM.into(), amount: Amount(price) },
        royalty_bps: 500,
        license: "Apache-2.0".into(),
        agent: false,
    }
}

pub fn model_id(sha: u8) -> String {
    hex::encode([sha; 32])
}

pub struct Env {
    _dir: tempfile::TempDir,
    store: Store,
    pending: ChangeSet,
    pub inf: Inference,
    pub d: Doubles,
    pub height: u64,
    pub time: i64,
}

impl Env {
    /// Params edited by `edit`; addresses 1..=9 hold 1,000,000 each; four
    /// validators of power 10, 20, 30, 40.
    pub fn new(edit: impl FnOnce(&mut Params)) -> Env {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("db"), StoreOptions::default()).unwrap();
        let d = Doubles::default();
        let a = Arc::new(d.clone());
        let inf = Inference {
            bank: Arc::new(TestBank),
            nfts: a.clone(),
            validators: a.clone(),
            fees: a.clone(),
            slasher: a.clone(),
            stake: a.clone(),
            credit_token: a.clone(),
            data_credentials: a,
            local: Default::default(),
        };
        let mut env = Env { _dir: dir, store, pending: ChangeSet::new(), inf, d, height: 1, time: 1_000_000 };
        let mut p = Params::default();
        edit(&mut p);
        p.validate().unwrap();
        let genesis = serde_json::to_value(crate::genesis::GenesisState { params: p, ..Default::default() }).unwrap();
        env.with(|ctx, i| {
            ctx.scoped(state::PREFIX, |ctx| i.init_genesis(ctx, &genesis)).unwrap();
            for n in 1..=9 {
                TestBank::put(ctx, &addr(n), 1_000_000);
            }
        });
        env.set_validators(&[10, 20, 30, 40]);
        env
    }

    pub fn set_validators(&mut self, powers: &[u64]) {
        self.d.book().validators = powers
            .iter()
            .enumerate()
            .map(|(i, &power)| ValidatorInfo { operator: op(i as u8), consensus_address: cons(i as u8), power, jailed: false })
            .collect();
    }

    pub fn with<R>(&mut self, f: impl FnOnce(&mut Ctx, &Inference) -> R) -> R {
        let info = BlockInfo {
            chain_id: CHAIN_ID.into(),
            height: self.height,
            time_secs: self.time,
            time_nanos: 0,
            vote_extensions_enable_height: 1,
            ..Default::default()
        };
        let mut ctx = Ctx::new(&self.store, &mut self.pending, info, GasMeter::infinite());
        f(&mut ctx, &self.inf)
    }

    /// In the module's scope, as the manager runs it.
    pub fn scoped<R>(&mut self, f: impl FnOnce(&mut Ctx, &Inference) -> Result<R>) -> Result<R> {
        self.with(|ctx, i| venice_sdk::manager::guarded(ctx, state::PREFIX, |ctx| f(ctx, i)))
    }

    /// Execute a message as a tx would (its signer checked statelessly).
    pub fn exec<M: prost::Name>(&mut self, url: &str, m: &M) -> Result<Any> {
        let any = Any { type_url: url.into(), value: m.encode_to_vec() };
        handlers::signers(&any)?;
        self.scoped(|ctx, i| handlers::handle(i, ctx, &any))
    }

    /// Begin block (expiries) at the next height, then end block (assignment).
    pub fn next_block(&mut self) -> Vec<venice_sdk::Event> {
        self.height += 1;
        self.time += 5;
        self.with(|ctx, i| {
            venice_sdk::manager::guarded(ctx, state::PREFIX, |ctx| i.begin_block(ctx)).unwrap();
            ctx.take_events()
        })
    }
    pub fn end_block(&mut self) -> Vec<venice_sdk::Event> {
        self.with(|ctx, i| {
            venice_sdk::manager::guarded(ctx, state::PREFIX, |ctx| i.end_block(ctx)).unwrap();
            ctx.take_events()
        })
    }

    pub fn balance(&mut self, a: &Address) -> u128 {
        self.with(|ctx, _| TestBank::get(ctx, a))
    }
    pub fn task(&mut self, id: u64) -> state::Task {
        self.scoped(|ctx, _| state::task(ctx, id)).unwrap().unwrap()
    }
    pub fn reputation(&mut self, i: u8) -> i64 {
        self.scoped(|ctx, _| state::reputation(ctx, &op(i))).unwrap()
    }

    pub fn mint_nft(&mut self, owner: u8, token: &str, d: ModelDescriptor) {
        self.d.book().nfts.insert(format!("{}/{token}", nft_contract()), (addr(owner), d));
    }

    /// Lists model `sha` (price `price`, committee `committee`) owned by 1.
    pub fn list(&mut self, sha: u8, price: u128, committee: u32) -> String {
        let token = format!("t{sha}");
        self.mint_nft(1, &token, descriptor(sha, price));
        let m = pb::MsgRegisterModel {
            owner: addr(1).to_bech32(),
            nft_contract: nft_contract().to_bech32(),
            token_id: token,
            max_input_bytes: 1024,
            max_output_bytes: 1024,
            committee_size: committee,
        };
        let r = self.exec(handlers::MSG_REGISTER_MODEL, &m).unwrap();
        pb::MsgRegisterModelResponse::decode(r.value.as_slice()).unwrap().model_id
    }

    pub fn submit(&mut self, sender: u8, model: &str, input: &[u8], max_fee: u128, tip: u128) -> Result<u64> {
        let m = pb::MsgSubmitInference {
            sender: addr(sender).to_bech32(),
            model_id: model.into(),
            input: input.to_vec(),
            data_credential: None,
            max_fee: Some(coin(max_fee)),
            priority: if tip == 0 { String::new() } else { tip.to_string() },
        };
        let r = self.exec(handlers::MSG_SUBMIT_INFERENCE, &m)?;
        Ok(pb::MsgSubmitInferenceResponse::decode(r.value.as_slice()).unwrap().task_id)
    }

    /// `sender`'s task on its credential `id` of [`credential_contract`],
    /// paying at most 100.
    pub fn submit_on_credential(&mut self, sender: u8, model: &str, id: u64) -> Result<u64> {
        let m = pb::MsgSubmitInference {
            sender: addr(sender).to_bech32(),
            model_id: model.into(),
            input: vec![],
            data_credential: Some(pb::DataCredentialRef { contract: credential_contract().to_bech32(), credential_id: id }),
            max_fee: Some(coin(100)),
            priority: String::new(),
        };
        let r = self.exec(handlers::MSG_SUBMIT_INFERENCE, &m)?;
        Ok(pb::MsgSubmitInferenceResponse::decode(r.value.as_slice()).unwrap().task_id)
    }

    /// Results of `height` (one answer per (validator index, task, hash byte)).
    pub fn report(&mut self, height: u64, answers: &[(u8, u64, u8)]) -> Vec<venice_sdk::Event> {
        let mut by_val: BTreeMap<u8, Vec<ReportedResult>> = BTreeMap::new();
        for &(v, task, h) in answers {
            by_val.entry(v).or_default().push(ReportedResult { task_id: task, output_hash: [h; 32], output: vec![] });
        }
        let results = Results {
            validators: by_val.into_iter().map(|(v, results)| ValidatorResults { consensus_address: cons(v), results }).collect(),
        };
        self.with(|ctx, i| {
            venice_sdk::manager::guarded(ctx, state::PREFIX, |ctx| i.apply_results(ctx, height, &results)).unwrap();
            ctx.take_events()
        })
    }

    pub fn invariant_holds(&mut self) {
        let inv = self.scoped(|ctx, i| i.invariants(ctx)).unwrap();
        assert_eq!(inv.len(), 2);
        for i in inv {
            assert_eq!(i.broken, None, "{}", i.route);
        }
    }

    pub fn module_balance(&mut self) -> u128 {
        self.balance(&module_address())
    }
}

/// The index (into `op`) of each committee member of `t`.
pub fn members(t: &state::Task) -> Vec<u8> {
    t.committee.iter().map(|m| m.operator.as_bytes()[0] - 100).collect()
}

pub fn kinds(events: &[venice_sdk::Event]) -> Vec<&str> {
    events.iter().map(|e| e.kind.as_str()).collect()
}
