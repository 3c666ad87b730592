//! `veniced invariants`: every module's invariants (the SDK's crisis
//! routes) over the state of a committed height, for operators and tests.
//! The store is opened as `veniced genesis export` opens it, so the node
//! must be stopped (sled holds an exclusive lock).

use std::path::Path;

use anyhow::{Context, Result, bail};
use venice_sdk::{BlockInfo, Ctx, Invariant};
use venice_store::{ChangeSet, Store, StoreOptions};

use crate::home;
use crate::modules::Modules;

/// The invariants of `height` (default: the last committed one) of the node
/// at `home`, with the height checked.
pub fn check(home: &Path, height: Option<u64>) -> Result<(u64, Vec<Invariant>)> {
    let path = home::store_path(home);
    let store = Store::open(&path, StoreOptions::default()).with_context(|| format!("opening {} (stop veniced first)", path.display()))?;
    let modules = Modules::with_wasm(venice_wasm::WasmConfig::at(home::wasm_dir(home)));
    let out = check_store(&store, &modules, height);
    store.wait_indexed().context("store index")?;
    out
}

/// The invariants of a committed height of an open store.
pub fn check_store(store: &Store, modules: &Modules, height: Option<u64>) -> Result<(u64, Vec<Invariant>)> {
    let last = store.last_commit().height;
    let height = height.unwrap_or(last);
    if height == 0 || height > last {
        bail!("cannot check height {height}: the store's committed heights are {}..={last}", store.earliest_height().max(1));
    }
    let mut scratch = ChangeSet::new();
    let info = BlockInfo { height, ..Default::default() };
    let mut ctx = Ctx::at_height(store, height, &mut scratch, info);
    Ok((height, modules.manager.invariants(&mut ctx)))
}

/// One line per route, `OK` or `BROKEN: why`, as operators read it.
pub fn render(height: u64, list: &[Invariant]) -> String {
    let width = list.iter().map(|i| i.route.len()).max().unwrap_or(0);
    let mut out = format!("invariants at height {height}:\n");
    for i in list {
        match &i.broken {
            None => out.push_str(&format!("  {:width$}  OK\n", i.route)),
            Some(why) => out.push_str(&format!("  {:width$}  BROKEN: {why}\n", i.route)),
        }
    }
    let broken = list.iter().filter(|i| i.broken.is_some()).count();
    out.push_str(&format!("{} checked, {broken} broken\n", list.len()));
    out
}
