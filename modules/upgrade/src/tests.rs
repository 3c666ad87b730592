//! Unit tests of the messages and the pre-block decision over a real store.

use std::sync::Arc;

use cosmos_sdk_proto::Any;
use cosmos_sdk_proto::cosmos::upgrade::v1beta1 as pb;
use prost::Message;
use venice_sdk::{Address, BlockInfo, Ctx, Error, GasMeter, gov_authority};
use venice_store::{ChangeSet, Store, StoreOptions};

use crate::handlers::{self, MSG_CANCEL_UPGRADE, MSG_SOFTWARE_UPGRADE};
use crate::state::{self, PREFIX, Plan};
use crate::{Halt, Upgrade, UpgradeHandlers, is_halt, query};

struct Env {
    _dir: tempfile::TempDir,
    store: Store,
    pending: ChangeSet,
}

impl Env {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("db"), StoreOptions::default()).unwrap();
        Env { _dir: dir, store, pending: ChangeSet::new() }
    }
    fn ctx(&mut self, height: u64) -> Ctx<'_> {
        let info = BlockInfo { chain_id: "test".into(), height, time_secs: 1_000 + height as i64, ..Default::default() };
        Ctx::new(&self.store, &mut self.pending, info, GasMeter::infinite())
    }
}

fn upgrade_msg(authority: &Address, name: &str, height: i64) -> Any {
    let plan = pb::Plan { name: name.into(), height, info: "{\"binaries\":{}}".into(), ..Default::default() };
    Any {
        type_url: MSG_SOFTWARE_UPGRADE.into(),
        value: pb::MsgSoftwareUpgrade { authority: authority.to_bech32(), plan: Some(plan) }.encode_to_vec(),
    }
}

fn cancel_msg(authority: &Address) -> Any {
    Any { type_url: MSG_CANCEL_UPGRADE.into(), value: pb::MsgCancelUpgrade { authority: authority.to_bech32() }.encode_to_vec() }
}

/// Run a message as the manager would: in upgrade's scope.
fn exec(ctx: &mut Ctx, msg: &Any) -> venice_sdk::Result<Any> {
    handlers::signers(msg)?;
    ctx.scoped(PREFIX, |ctx| handlers::handle(ctx, msg))
}

fn current_plan(ctx: &mut Ctx) -> Option<Plan> {
    ctx.scoped(PREFIX, state::plan).unwrap()
}

#[test]
fn only_the_gov_authority_schedules_or_cancels() {
    let mut env = Env::new();
    let mut ctx = env.ctx(5);
    let other = Address::from_bytes(&[7u8; 20]).unwrap();
    for msg in [upgrade_msg(&other, "v2", 10), cancel_msg(&other)] {
        let e = exec(&mut ctx, &msg).unwrap_err();
        assert_eq!(e.abci_code(), ("gov", 13), "{e}");
    }
    assert_eq!(current_plan(&mut ctx), None);
    exec(&mut ctx, &upgrade_msg(&gov_authority(), "v2", 10)).unwrap();
    assert_eq!(current_plan(&mut ctx).unwrap().height, 10);
}

#[test]
#[allow(deprecated)]
fn plans_are_validated_as_the_sdk_does() {
    let mut env = Env::new();
    let mut ctx = env.ctx(5);
    let gov = gov_authority();
    let cases = [
        (upgrade_msg(&gov, "", 10), "name cannot be empty"),
        (upgrade_msg(&gov, "v2", 0), "height must be greater than 0"),
        (upgrade_msg(&gov, "v2", 5), "cannot be scheduled in the past"),
        (upgrade_msg(&gov, "v2", 3), "cannot be scheduled in the past"),
    ];
    for (msg, want) in cases {
        let e = exec(&mut ctx, &msg).unwrap_err();
        assert_eq!(e.abci_code(), ("sdk", 18), "{e}");
        assert!(e.to_string().contains(want), "{e} should say {want}");
    }
    let timed = pb::Plan {
        name: "v2".into(),
        height: 10,
        time: Some(tendermint_proto::google::protobuf::Timestamp { seconds: 1, nanos: 0 }),
        ..Default::default()
    };
    let msg = Any {
        type_url: MSG_SOFTWARE_UPGRADE.into(),
        value: pb::MsgSoftwareUpgrade { authority: gov.to_bech32(), plan: Some(timed) }.encode_to_vec(),
    };
    assert!(exec(&mut ctx, &msg).unwrap_err().to_string().contains("time-based upgrades have been deprecated"));
    let none = Any {
        type_url: MSG_SOFTWARE_UPGRADE.into(),
        value: pb::MsgSoftwareUpgrade { authority: gov.to_bech32(), plan: None }.encode_to_vec(),
    };
    assert!(exec(&mut ctx, &none).is_err());
    assert_eq!(current_plan(&mut ctx), None);
}

#[test]
fn a_new_plan_replaces_the_old_and_cancel_clears_it() {
    let mut env = Env::new();
    let mut ctx = env.ctx(5);
    let gov = gov_authority();
    exec(&mut ctx, &upgrade_msg(&gov, "v2", 10)).unwrap();
    exec(&mut ctx, &upgrade_msg(&gov, "v3", 20)).unwrap();
    let p = current_plan(&mut ctx).unwrap();
    assert_eq!((p.name.as_str(), p.height), ("v3", 20));
    let resp = ctx.scoped(PREFIX, |ctx| query::query(ctx, "CurrentPlan", &[])).unwrap();
    assert_eq!(pb::QueryCurrentPlanResponse::decode(resp.as_slice()).unwrap().plan.unwrap().name, "v3");
    exec(&mut ctx, &cancel_msg(&gov)).unwrap();
    assert_eq!(current_plan(&mut ctx), None);
    // Cancelling nothing is fine, as in the SDK.
    exec(&mut ctx, &cancel_msg(&gov)).unwrap();
    let resp = ctx.scoped(PREFIX, |ctx| query::query(ctx, "CurrentPlan", &[])).unwrap();
    assert_eq!(pb::QueryCurrentPlanResponse::decode(resp.as_slice()).unwrap().plan, None);
}

#[test]
fn a_due_plan_without_a_handler_halts_with_the_sdk_line() {
    let mut env = Env::new();
    let up = Upgrade::new(UpgradeHandlers::new());
    exec(&mut env.ctx(5), &upgrade_msg(&gov_authority(), "v2", 10)).unwrap();
    // Before its height the block goes on.
    up.pre_block(&mut env.ctx(9)).unwrap();
    let e = up.pre_block(&mut env.ctx(10)).unwrap_err();
    assert!(is_halt(&e));
    assert_eq!(e.to_string(), "UPGRADE \"v2\" NEEDED at height: 10: {\"binaries\":{}}");
    // Nothing was applied: the plan stays, and a restart halts again.
    assert_eq!(current_plan(&mut env.ctx(10)).unwrap().name, "v2");
    let again = Upgrade::new(UpgradeHandlers::new());
    assert!(is_halt(&again.pre_block(&mut env.ctx(10)).unwrap_err()));
    // A halt's plan is what upgrade-info.json records.
    let h = Halt::UpgradeNeeded { name: "v2".into(), height: 10, info: "i".into() };
    assert_eq!(h.needed_plan().unwrap().height, 10);
    // An ordinary module error is not a halt.
    assert!(!is_halt(&Error::InvalidRequest("x".into())));
}

#[test]
fn a_binary_with_the_handler_applies_it_once_and_records_the_height() {
    let mut env = Env::new();
    let runs = Arc::new(std::sync::atomic::AtomicU32::new(0));
    let seen = runs.clone();
    let handlers = UpgradeHandlers::new().with(
        "v2",
        Arc::new(move |ctx: &mut Ctx, plan: &Plan| {
            seen.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            // A migration may write any module's state.
            ctx.set(b"bank/migrated".to_vec(), plan.name.as_bytes().to_vec())
        }),
    );
    exec(&mut env.ctx(5), &upgrade_msg(&gov_authority(), "v2", 10)).unwrap();
    let up = Upgrade::new(handlers);
    up.pre_block(&mut env.ctx(10)).unwrap();
    up.pre_block(&mut env.ctx(11)).unwrap();
    assert_eq!(runs.load(std::sync::atomic::Ordering::SeqCst), 1);
    let mut ctx = env.ctx(11);
    assert_eq!(ctx.get(b"bank/migrated").unwrap(), Some(b"v2".to_vec()));
    assert_eq!(current_plan(&mut ctx), None);
    let req = pb::QueryAppliedPlanRequest { name: "v2".into() }.encode_to_vec();
    let resp = ctx.scoped(PREFIX, |ctx| query::query(ctx, "AppliedPlan", &req)).unwrap();
    assert_eq!(pb::QueryAppliedPlanResponse::decode(resp.as_slice()).unwrap().height, 10);
    let req = pb::QueryAppliedPlanRequest { name: "v9".into() }.encode_to_vec();
    let resp = ctx.scoped(PREFIX, |ctx| query::query(ctx, "AppliedPlan", &req)).unwrap();
    assert_eq!(pb::QueryAppliedPlanResponse::decode(resp.as_slice()).unwrap().height, 0);
    // A name is used once.
    let e = exec(&mut ctx, &upgrade_msg(&gov_authority(), "v2", 20)).unwrap_err();
    assert!(e.to_string().contains("already been completed"), "{e}");
    drop(ctx);
    // An old binary (no v2 handler) started past the upgrade stops at once.
    let old = Upgrade::new(UpgradeHandlers::new());
    let e = old.pre_block(&mut env.ctx(12)).unwrap_err();
    assert!(is_halt(&e) && e.to_string().contains("missing for the applied v2"), "{e}");
}

#[test]
fn a_handler_for_a_plan_not_yet_due_refuses_to_run() {
    let mut env = Env::new();
    exec(&mut env.ctx(5), &upgrade_msg(&gov_authority(), "v2", 10)).unwrap();
    let early = Upgrade::new(UpgradeHandlers::new().with_noop("v2"));
    let e = early.pre_block(&mut env.ctx(6)).unwrap_err();
    assert!(is_halt(&e));
    assert!(e.to_string().starts_with("BINARY UPDATED BEFORE TRIGGER! UPGRADE \"v2\""), "{e}");
    // A handler for some other name is no reason to stop.
    Upgrade::new(UpgradeHandlers::new().with_noop("v3")).pre_block(&mut env.ctx(6)).unwrap();
}

#[test]
fn a_failing_handler_halts_and_leaves_nothing() {
    let mut env = Env::new();
    exec(&mut env.ctx(5), &upgrade_msg(&gov_authority(), "v2", 10)).unwrap();
    let handlers = UpgradeHandlers::new().with(
        "v2",
        Arc::new(|ctx: &mut Ctx, _: &Plan| {
            ctx.set(b"bank/half".to_vec(), vec![1])?;
            Err(Error::Internal("migration broke".into()))
        }),
    );
    let up = Upgrade::new(handlers);
    let mut ctx = env.ctx(10);
    let e = up.pre_block(&mut ctx).unwrap_err();
    assert!(is_halt(&e) && e.to_string().contains("migration broke"), "{e}");
    assert_eq!(ctx.get(b"bank/half").unwrap(), None);
    assert_eq!(current_plan(&mut ctx).unwrap().name, "v2");
}
