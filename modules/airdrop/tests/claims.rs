//! Airdrop claims over a real store with the real bank: a valid proof pays
//! once, a forged proof, a second claim and a late claim fail with their
//! codes, the deadline sweeps the remainder, the invariant holds throughout.

use std::sync::{Arc, Mutex};

use cosmos_sdk_proto::Any;
use prost::Message;
use venice_airdrop::merkle::{self, Tree};
use venice_airdrop::proto::{self as pb, MsgClaim};
use venice_airdrop::{Airdrop, module_address};
use venice_bank::Bank;
use venice_sdk::{Address, BlockInfo, Coins, Ctx, Error, GasMeter, Module};
use venice_store::{ChangeSet, Store, StoreOptions};

const DEADLINE: i64 = 1_000;

struct Accounts;
impl venice_bank::expected_keepers::AccountKeeper for Accounts {
    fn ensure_account(&self, ctx: &mut Ctx, addr: &Address) -> venice_sdk::Result<()> {
        venice_auth::Auth.ensure_account(ctx, addr)
    }
}

struct BankK(Arc<Bank>);
impl venice_airdrop::expected_keepers::BankKeeper for BankK {
    fn send(&self, ctx: &mut Ctx, from: &Address, to: &Address, coins: &Coins) -> venice_sdk::Result<()> {
        self.0.send(ctx, from, to, coins)
    }
    fn balance(&self, ctx: &mut Ctx, addr: &Address, denom: &str) -> venice_sdk::Result<u128> {
        self.0.balance(ctx, addr, denom)
    }
}

/// Records what it was given and moves it to a pool address via bank.
struct Pool(Arc<Bank>, Arc<Mutex<Vec<Coins>>>);
impl venice_airdrop::expected_keepers::CommunityPool for Pool {
    fn fund(&self, ctx: &mut Ctx, from: &Address, coins: &Coins) -> venice_sdk::Result<()> {
        self.1.lock().unwrap().push(coins.clone());
        self.0.send(ctx, from, &pool_addr(), coins)
    }
}

fn pool_addr() -> Address {
    Address::module("distribution")
}

fn addr(i: u8) -> Address {
    Address::from_bytes(&[i; 20]).unwrap()
}

struct Env {
    _dir: tempfile::TempDir,
    store: Store,
    pending: ChangeSet,
    bank: Arc<Bank>,
    airdrop: Airdrop,
    funded: Arc<Mutex<Vec<Coins>>>,
    tree: Tree,
}

/// Claimants 1..=5 with 100×i each.
fn list() -> Vec<(Address, u128)> {
    (1..=5).map(|i| (addr(i), 100 * i as u128)).collect()
}

impl Env {
    fn new() -> Env {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("db"), StoreOptions::default()).unwrap();
        let bank = Arc::new(Bank::new(Arc::new(Accounts)));
        let funded = Arc::new(Mutex::new(vec![]));
        let airdrop = Airdrop::new(Arc::new(BankK(bank.clone())), Arc::new(Pool(bank.clone(), funded.clone())));
        let tree = Tree::new(list().iter().map(|(a, n)| merkle::leaf(a, *n)).collect());
        let mut env = Env { _dir: dir, store, pending: ChangeSet::new(), bank, airdrop, funded, tree };
        let total: u128 = list().iter().map(|x| x.1).sum();
        let root = hex::encode(env.tree.root());
        env.at(0, |ctx, e| {
            ctx.scoped(b"bank/", |ctx| {
                venice_bank::state::set_params(ctx, &venice_bank::Params::default())?;
                e.bank.mint(ctx, &module_address(), &Coins::parse(&format!("{total}uvvv")).unwrap())
            })
            .unwrap();
            let g = serde_json::json!({"params": {"merkle_root": root, "denom": "uvvv", "total": total.to_string(),
                "deadline": venice_types::time::Timestamp::new(DEADLINE, 0).to_rfc3339()}});
            ctx.scoped(b"airdrop/", |ctx| e.airdrop.init_genesis(ctx, &g)).unwrap();
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

    fn proof(&self, i: u8) -> Vec<Vec<u8>> {
        let (a, n) = &list()[i as usize - 1];
        self.tree.proof(&merkle::leaf(a, *n)).unwrap().iter().map(|h| h.to_vec()).collect()
    }

    fn claim(&mut self, time: i64, who: &Address, amount: u128, proof: Vec<Vec<u8>>) -> Result<Vec<venice_sdk::Event>, Error> {
        let msg = Any {
            type_url: venice_airdrop::handlers::MSG_CLAIM.into(),
            value: MsgClaim { claimer: who.to_bech32(), amount: amount.to_string(), proof }.encode_to_vec(),
        };
        assert_eq!(self.airdrop.msg_signers(&msg)?, vec![who.clone()]);
        self.at(time, |ctx, e| {
            ctx.push_layer();
            let r = ctx.scoped(b"airdrop/", |ctx| e.airdrop.handle_msg(ctx, &NoRouter, &msg));
            match r {
                Ok(_) => {
                    ctx.commit_layer();
                    Ok(ctx.take_events())
                }
                Err(err) => {
                    ctx.discard_layer();
                    Err(err)
                }
            }
        })
    }

    fn balance(&mut self, who: &Address) -> u128 {
        self.at(0, |ctx, e| e.bank.balance(ctx, who, "uvvv").unwrap())
    }

    fn invariant_holds(&mut self) -> bool {
        self.at(0, |ctx, e| ctx.scoped(b"airdrop/", |ctx| e.airdrop.invariants(ctx)).unwrap()).iter().all(|i| i.broken.is_none())
    }

    fn query<R: Message + Default>(&mut self, method: &str, req: impl Message) -> R {
        self.at(0, |ctx, e| {
            let b =
                ctx.scoped(b"airdrop/", |ctx| e.airdrop.query(ctx, venice_airdrop::query::SERVICE, method, &req.encode_to_vec())).unwrap();
            R::decode(b.as_slice()).unwrap()
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

fn code(e: &Error) -> (String, u32) {
    let (cs, c) = e.abci_code();
    (cs.to_string(), c)
}

#[test]
fn a_valid_proof_pays_once() {
    let mut env = Env::new();
    let events = env.claim(10, &addr(3), 300, env.proof(3)).unwrap();
    assert!(events.iter().any(|e| e.kind == "claim"), "{events:?}");
    assert_eq!(env.balance(&addr(3)), 300);
    assert_eq!(env.balance(&module_address()), 1500 - 300);
    assert!(env.invariant_holds());
    let e = env.claim(11, &addr(3), 300, env.proof(3)).unwrap_err();
    assert_eq!(code(&e), ("airdrop".into(), 4), "{e}");
    assert_eq!(env.balance(&addr(3)), 300);
    let r: pb::QueryClaimRecordResponse = env.query("ClaimRecord", pb::QueryClaimRecordRequest { address: addr(3).to_bech32() });
    assert!(r.claimed);
    assert_eq!(r.amount.unwrap().amount, "300");
    let r: pb::QueryClaimRecordResponse = env.query("ClaimRecord", pb::QueryClaimRecordRequest { address: addr(4).to_bech32() });
    assert!(!r.claimed);
    let info: pb::QueryInfoResponse = env.query("Info", pb::QueryInfoRequest {});
    assert_eq!((info.claimed.unwrap().amount, info.remaining.unwrap().amount, info.swept), ("300".into(), "1200".into(), false));
}

#[test]
fn forged_proofs_fail() {
    let mut env = Env::new();
    // Another amount, another claimant's proof, a stranger, a truncated hash.
    for (who, amount, proof) in
        [(addr(3), 301, env.proof(3)), (addr(3), 300, env.proof(2)), (addr(9), 300, env.proof(3)), (addr(3), 300, vec![])]
    {
        let e = env.claim(10, &who, amount, proof).unwrap_err();
        assert_eq!(code(&e), ("airdrop".into(), 3), "{e}");
    }
    let mut short = env.proof(3);
    short[0].pop();
    assert_eq!(code(&env.claim(10, &addr(3), 300, short).unwrap_err()), ("airdrop".into(), 6));
    assert_eq!(env.balance(&module_address()), 1500);
    assert!(env.invariant_holds());
}

#[test]
fn claims_end_at_the_deadline_and_the_rest_is_swept_once() {
    let mut env = Env::new();
    env.claim(DEADLINE - 1, &addr(1), 100, env.proof(1)).unwrap();
    let e = env.claim(DEADLINE, &addr(2), 200, env.proof(2)).unwrap_err();
    assert_eq!(code(&e), ("airdrop".into(), 5), "{e}");
    // Before the deadline: no sweep.
    env.at(DEADLINE - 1, |ctx, e| ctx.scoped(b"airdrop/", |ctx| e.airdrop.begin_block(ctx)).unwrap());
    assert!(env.funded.lock().unwrap().is_empty());
    // First block at the deadline: the remainder leaves, once.
    for t in [DEADLINE, DEADLINE + 5] {
        env.at(t, |ctx, e| ctx.scoped(b"airdrop/", |ctx| e.airdrop.begin_block(ctx)).unwrap());
    }
    assert_eq!(*env.funded.lock().unwrap(), vec![Coins::parse("1400uvvv").unwrap()]);
    assert_eq!(env.balance(&pool_addr()), 1400);
    assert_eq!(env.balance(&module_address()), 0);
    assert!(env.invariant_holds());
    let info: pb::QueryInfoResponse = env.query("Info", pb::QueryInfoRequest {});
    assert!(info.swept);
    // Export round-trips the claims and the sweep.
    let g = env.at(0, |ctx, e| ctx.scoped(b"airdrop/", |ctx| e.airdrop.export_genesis(ctx)).unwrap());
    assert_eq!(g["swept"], true);
    assert_eq!(g["claims"][0]["amount"], "100");
}

#[test]
fn genesis_requires_the_module_account_to_hold_the_claimable_total() {
    let mut env = Env::new();
    let g = serde_json::json!({"params": {"merkle_root": hex::encode([1u8; 32]), "denom": "uvvv", "total": "999999",
        "deadline": "2030-01-01T00:00:00Z"}});
    let r = env.at(0, |ctx, e| ctx.scoped(b"airdrop/", |ctx| e.airdrop.init_genesis(ctx, &g)));
    assert!(r.unwrap_err().to_string().contains("still claimable"));
    // A total without a root is refused too.
    let bad = serde_json::json!({"params": {"total": "5"}});
    assert!(env.airdrop.validate_genesis(&bad).is_err());
}
