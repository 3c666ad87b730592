//! `veniced invariants` over a real node home: OK after real blocks; a
//! balance written behind bank's back (committed as a block would be) is
//! reported BROKEN, by route, with a non-zero exit.

mod common;

use std::process::Command;

use common::{CHAIN_ID, run_block_checked};
use venice_sdk::testing::TestKey;
use venice_sdk::{BlockInfo, Ctx, GasMeter};
use venice_store::{ChangeSet, Store, StoreOptions};
use veniced::{App, home};

fn invariants(home: &std::path::Path, extra: &[&str]) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_veniced"))
        .arg("invariants")
        .arg("--home")
        .arg(home)
        .args(extra)
        .output()
        .expect("run veniced invariants");
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    (out.status.success(), text)
}

#[test]
fn veniced_invariants_reports_ok_then_broken() {
    let dir = tempfile::tempdir().unwrap();
    let keys: Vec<TestKey> = (0..3).map(TestKey::from_seed).collect();
    std::fs::create_dir_all(dir.path().join("data")).unwrap();
    {
        let app = App::new(Store::open(&home::store_path(dir.path()), StoreOptions::default()).unwrap(), vec![]);
        app.init_chain(veniced::genesis::init_chain_request(&common::genesis(&keys)).unwrap()).unwrap();
        let send = keys[0].sign_send(&keys[1].address(), 12_345, CHAIN_ID, 0, 0, 5000, 200_000);
        let r = run_block_checked(&app, 1, vec![send]);
        assert_eq!(r.tx_results[0].code, 0, "{}", r.tx_results[0].log);
        run_block_checked(&app, 2, vec![]);
        app.store.wait_indexed().unwrap();
    }
    let (ok, text) = invariants(dir.path(), &[]);
    assert!(ok, "{text}");
    assert!(text.contains("invariants at height 2"), "{text}");
    for route in ["bank/total-supply", "bank/nonnegative-outstanding", "staking/module-accounts", "staking/delegator-shares"] {
        assert!(text.lines().any(|l| l.contains(route) && l.trim_end().ends_with("OK")), "{route} OK: {text}");
    }

    // Height 3: one account gains 1uvvv that no mint recorded.
    {
        let store = Store::open(&home::store_path(dir.path()), StoreOptions::default()).unwrap();
        let mut changes = ChangeSet::new();
        let mut ctx = Ctx::new(&store, &mut changes, BlockInfo { height: 3, ..Default::default() }, GasMeter::infinite());
        let addr = keys[2].address();
        let have = ctx.scoped(venice_bank::state::PREFIX, |ctx| venice_bank::state::balance(ctx, &addr, "uvvv")).unwrap();
        ctx.scoped(venice_bank::state::PREFIX, |ctx| venice_bank::state::set_balance(ctx, &addr, "uvvv", have + 1)).unwrap();
        drop(ctx);
        store.stage(3, &changes).unwrap();
        store.commit().unwrap();
        store.wait_indexed().unwrap();
    }
    let (ok, text) = invariants(dir.path(), &[]);
    assert!(!ok, "a broken invariant exits non-zero: {text}");
    let line = text.lines().find(|l| l.contains("bank/total-supply")).unwrap();
    assert!(line.contains("BROKEN") && line.contains("uvvv: supply") && line.contains("balances sum to"), "{text}");
    assert!(text.contains("1 broken"), "{text}");
    // The past height still checks out.
    let (ok, text) = invariants(dir.path(), &["--height", "2"]);
    assert!(ok, "{text}");
    let (ok, text) = invariants(dir.path(), &["--height", "9"]);
    assert!(!ok && text.contains("cannot check height 9"), "{text}");
}
