//! Layered, gas-metered access to chain state.
//!
//! Reads fall through the layers from the top: message layer, tx layer, the
//! block's pending writes, then the committed store. A layer is either merged
//! into the one below (`commit_layer`) or dropped with the events it emitted
//! (`discard_layer`): that is how a failed message rolls back while the fee
//! and sequence taken by the ante handler stay.

use std::collections::BTreeMap;
use venice_store::{ChangeSet, Store};

use crate::error::{Error, Result};
use crate::events::Event;
use crate::gas::{GasMeter, KV_GAS};

/// What the state machine knows of the block being executed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BlockInfo {
    pub chain_id: String,
    pub height: u64,
    /// Block time (never the wall clock), as Unix seconds and nanos.
    pub time_secs: i64,
    pub time_nanos: u32,
    /// What CometBFT reports of consensus for this block (FinalizeBlock
    /// only; empty in CheckTx, simulation and queries).
    pub comet: CometInfo,
    /// The app hash after the previous block (empty before block 1 and
    /// outside FinalizeBlock): chain data no proposer of this block chose.
    pub last_app_hash: Vec<u8>,
    /// CometBFT's `vote_extensions_enable_height` from genesis (0: never):
    /// from that height on every precommit carries a signed extension.
    pub vote_extensions_enable_height: u64,
}

/// The consensus facts of a block that distribution (who signed, who
/// proposed) and slashing (liveness, double signs) act on, as the SDK's
/// `comet.BlockInfo`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CometInfo {
    /// The proposer's consensus address (20 bytes).
    pub proposer: Vec<u8>,
    /// The previous block's validators and whether each one's commit
    /// signature is in this block (`decided_last_commit`).
    pub votes: Vec<VoteInfo>,
    /// Evidence of misbehaviour committed in this block.
    pub misbehavior: Vec<Misbehavior>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VoteInfo {
    /// Consensus address (20 bytes).
    pub address: Vec<u8>,
    pub power: i64,
    /// The validator's signature for the block is in the commit
    /// (`BlockIDFlagCommit`); absent and nil votes are not.
    pub signed: bool,
    /// No vote of the validator is in the commit (`BlockIDFlagAbsent`).
    /// A nil precommit is neither signed nor absent: liveness counts it as
    /// a vote (as the SDK's slashing does), rewards do not.
    pub absent: bool,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum MisbehaviorKind {
    #[default]
    Unknown,
    DuplicateVote,
    LightClientAttack,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Misbehavior {
    pub kind: MisbehaviorKind,
    /// The offender's consensus address (20 bytes).
    pub address: Vec<u8>,
    /// Its voting power at the infraction height.
    pub power: i64,
    pub height: i64,
    pub time_secs: i64,
    pub time_nanos: u32,
    pub total_voting_power: i64,
}

/// The transaction being executed: FinalizeBlock sets it before each tx
/// (contracts see it as `env.transaction`; wasm records it in contract history).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TxInfo {
    /// Position in the block, from 0.
    pub index: u32,
    /// sha256 of the raw tx bytes (the CometBFT tx hash).
    pub hash: [u8; 32],
}

/// Which committed version the bottom of the context reads.
#[derive(Clone, Copy, Debug)]
enum Base {
    /// The last committed height (block execution, CheckTx).
    Latest,
    /// A fixed height (queries at a past height).
    At(u64),
}

pub struct Ctx<'a> {
    store: &'a Store,
    base: Base,
    block: &'a mut ChangeSet,
    layers: Vec<(ChangeSet, usize)>,
    gas: GasMeter,
    events: Vec<Event>,
    /// The key prefix the running module may touch (`None`: the app itself).
    scope: Option<&'static [u8]>,
    pub info: BlockInfo,
    /// The tx being executed (`None` outside FinalizeBlock's txs).
    pub tx: Option<TxInfo>,
    /// Committed values already read, when enabled (`cache_committed_reads`).
    committed_cache: Option<BTreeMap<Vec<u8>, Option<Vec<u8>>>>,
}

impl<'a> Ctx<'a> {
    /// A context over the last committed state plus `pending` writes.
    pub fn new(store: &'a Store, pending: &'a mut ChangeSet, info: BlockInfo, gas: GasMeter) -> Self {
        Ctx {
            store,
            base: Base::Latest,
            block: pending,
            layers: Vec::new(),
            gas,
            events: Vec::new(),
            scope: None,
            info,
            tx: None,
            committed_cache: None,
        }
    }

    /// Remember every committed value this context reads. Only for a
    /// context during whose life nothing is committed (FinalizeBlock holds
    /// the consensus lock; Commit comes after it): then a second read of a
    /// key (the module params every tx reads, an account touched again)
    /// returns what the store would, without the store lookup. Gas is
    /// charged on the value as before, so results and gas are unchanged.
    pub fn cache_committed_reads(&mut self) {
        self.committed_cache.get_or_insert_with(BTreeMap::new);
    }

    /// A context reading the committed state of `height` (queries). Writes go
    /// to `scratch`, which the caller throws away.
    pub fn at_height(store: &'a Store, height: u64, scratch: &'a mut ChangeSet, info: BlockInfo) -> Self {
        Ctx {
            store,
            base: Base::At(height),
            block: scratch,
            layers: Vec::new(),
            gas: GasMeter::infinite(),
            events: Vec::new(),
            scope: None,
            info,
            tx: None,
            committed_cache: None,
        }
    }

    pub fn gas(&self) -> &GasMeter {
        &self.gas
    }
    pub fn gas_mut(&mut self) -> &mut GasMeter {
        &mut self.gas
    }
    /// Swap in a new meter (the tx's own limit once the ante handler read it).
    pub fn set_gas_meter(&mut self, gas: GasMeter) {
        self.gas = gas;
    }
    pub fn consume_gas(&mut self, amount: u64, location: &str) -> Result<()> {
        self.gas.consume(amount, location)
    }
    /// Run `f` under a meter of its own with `limit`, then put the caller's
    /// meter back; also returns the gas `f` used (at most `limit`), which
    /// the caller may charge to its own meter or not.
    pub fn with_gas_limit<R>(&mut self, limit: u64, f: impl FnOnce(&mut Self) -> R) -> (R, u64) {
        let outer = std::mem::replace(&mut self.gas, GasMeter::new(limit));
        let out = f(self);
        let used = self.gas.used().min(limit);
        self.gas = outer;
        (out, used)
    }

    // ---- layers -------------------------------------------------------------

    pub fn push_layer(&mut self) {
        self.layers.push((BTreeMap::new(), self.events.len()));
    }

    /// Merge the top layer into the one below it (or the block's writes).
    pub fn commit_layer(&mut self) {
        let (top, _) = self.layers.pop().expect("commit_layer without push_layer");
        let below = match self.layers.last_mut() {
            Some((l, _)) => l,
            None => &mut *self.block,
        };
        below.extend(top);
    }

    /// Drop the top layer's writes and the events emitted since it was pushed.
    pub fn discard_layer(&mut self) {
        let (_, mark) = self.layers.pop().expect("discard_layer without push_layer");
        self.events.truncate(mark);
    }

    pub fn depth(&self) -> usize {
        self.layers.len()
    }

    /// Drop every layer above `depth` (writes and events): what a panic left
    /// half-done is rolled back before execution goes on.
    pub fn discard_to_depth(&mut self, depth: usize) {
        while self.layers.len() > depth {
            self.discard_layer();
        }
    }

    // ---- module scope ---------------------------------------------------------

    /// Run `f` as the module owning `prefix`: every key it reads or writes
    /// must start with `prefix`, so a module cannot touch another module's
    /// state by accident. Keepers enter their own module's scope; the
    /// module manager enters it around handlers, hooks, queries and genesis.
    pub fn scoped<R>(&mut self, prefix: &'static [u8], f: impl FnOnce(&mut Self) -> R) -> R {
        let outer = self.scope.replace(prefix);
        let out = f(self);
        self.scope = outer;
        out
    }

    /// The prefix the code now running is confined to (`None`: unconfined).
    pub fn scope(&self) -> Option<&'static [u8]> {
        self.scope
    }

    /// Put back a scope that a panic left set (see `manager::guarded`).
    pub(crate) fn restore_scope(&mut self, scope: Option<&'static [u8]>) {
        self.scope = scope;
    }

    fn check_scope(&self, key: &[u8]) -> Result<()> {
        match self.scope {
            Some(prefix) if !key.starts_with(prefix) => Err(Error::StoreAccess {
                scope: String::from_utf8_lossy(prefix).into_owned(),
                key: String::from_utf8_lossy(key).into_owned(),
            }),
            _ => Ok(()),
        }
    }

    // ---- events -------------------------------------------------------------

    pub fn emit(&mut self, event: Event) {
        self.events.push(event);
    }
    pub fn events(&self) -> &[Event] {
        &self.events
    }
    pub fn take_events(&mut self) -> Vec<Event> {
        std::mem::take(&mut self.events)
    }

    // ---- state, metered -----------------------------------------------------

    fn pending(&self, key: &[u8]) -> Option<&Option<Vec<u8>>> {
        self.layers.iter().rev().find_map(|(l, _)| l.get(key)).or_else(|| self.block.get(key))
    }

    fn read_committed(&mut self, key: &[u8]) -> Result<Option<Vec<u8>>> {
        if let Some(v) = self.committed_cache.as_ref().and_then(|c| c.get(key)) {
            return Ok(v.clone());
        }
        let value = match self.base {
            Base::Latest => self.store.get(key)?,
            Base::At(h) => self.store.get_at(key, h)?,
        };
        if let Some(cache) = &mut self.committed_cache {
            cache.insert(key.to_vec(), value.clone());
        }
        Ok(value)
    }

    fn top_mut(&mut self) -> &mut ChangeSet {
        match self.layers.last_mut() {
            Some((l, _)) => l,
            None => &mut *self.block,
        }
    }

    pub fn get(&mut self, key: &[u8]) -> Result<Option<Vec<u8>>> {
        self.check_scope(key)?;
        let value = match self.pending(key) {
            Some(v) => v.clone(),
            None => self.read_committed(key)?,
        };
        let bytes = key.len() + value.as_ref().map_or(0, Vec::len);
        self.gas.consume(KV_GAS.read_flat + KV_GAS.read_per_byte * bytes as u64, "ReadFlat")?;
        Ok(value)
    }

    pub fn has(&mut self, key: &[u8]) -> Result<bool> {
        self.check_scope(key)?;
        self.gas.consume(KV_GAS.has, "HasFlat")?;
        Ok(match self.pending(key) {
            Some(v) => v.is_some(),
            None => self.read_committed(key)?.is_some(),
        })
    }

    /// Empty values are refused (the store cannot prove them; "absent" is
    /// `delete`), so a module bug fails its tx instead of halting the chain.
    pub fn set(&mut self, key: Vec<u8>, value: Vec<u8>) -> Result<()> {
        self.check_scope(&key)?;
        if value.is_empty() {
            return Err(Error::Internal(format!("empty value written under {}", hex::encode(&key))));
        }
        let bytes = (key.len() + value.len()) as u64;
        self.gas.consume(KV_GAS.write_flat + KV_GAS.write_per_byte * bytes, "WriteFlat")?;
        self.top_mut().insert(key, Some(value));
        Ok(())
    }

    pub fn delete(&mut self, key: &[u8]) -> Result<()> {
        self.check_scope(key)?;
        self.gas.consume(KV_GAS.delete, "Delete")?;
        self.top_mut().insert(key.to_vec(), None);
        Ok(())
    }

    /// Up to `limit` (key, value) pairs under `prefix` after `start_after`, in
    /// key order, merged across layers and the committed store.
    pub fn iter_prefix(&mut self, prefix: &[u8], start_after: Option<&[u8]>, limit: usize) -> Result<Vec<(Vec<u8>, Vec<u8>)>> {
        self.check_scope(prefix)?;
        let in_range = |k: &[u8]| k.starts_with(prefix) && start_after.is_none_or(|s| k > s);
        // Pending writes in range, newest layer winning.
        let mut overlay: BTreeMap<Vec<u8>, Option<Vec<u8>>> = BTreeMap::new();
        let sources = std::iter::once(&*self.block).chain(self.layers.iter().map(|(l, _)| l));
        for layer in sources {
            for (k, v) in layer.range(prefix.to_vec()..) {
                if !k.starts_with(prefix) {
                    break;
                }
                if in_range(k) {
                    overlay.insert(k.clone(), v.clone());
                }
            }
        }
        // Deleted keys may hide committed ones: ask the store for enough.
        let hidden = overlay.values().filter(|v| v.is_none()).count();
        let want = limit.saturating_add(hidden);
        let height = match self.base {
            Base::Latest => self.store.last_commit().height,
            Base::At(h) => h,
        };
        let committed = if height == 0 { Vec::new() } else { self.store.iter_prefix_at(prefix, height, start_after, want)? };
        let mut merged: BTreeMap<Vec<u8>, Vec<u8>> = committed.into_iter().collect();
        for (k, v) in overlay {
            match v {
                Some(v) => merged.insert(k, v),
                None => merged.remove(&k),
            };
        }
        let out: Vec<(Vec<u8>, Vec<u8>)> = merged.into_iter().take(limit).collect();
        for (k, v) in &out {
            let bytes = (k.len() + v.len()) as u64;
            self.gas.consume(KV_GAS.iter_next_flat + KV_GAS.read_per_byte * bytes, "IterNextFlat")?;
        }
        Ok(out)
    }
}

/// Typed helpers over borsh values, shared by every module's `state.rs`.
impl Ctx<'_> {
    pub fn get_borsh<T: borsh::BorshDeserialize>(&mut self, key: &[u8]) -> Result<Option<T>> {
        match self.get(key)? {
            None => Ok(None),
            Some(b) => {
                T::try_from_slice(&b).map(Some).map_err(|e| Error::Internal(format!("corrupt value under {}: {e}", hex::encode(key))))
            }
        }
    }
    pub fn set_borsh<T: borsh::BorshSerialize>(&mut self, key: Vec<u8>, value: &T) -> Result<()> {
        let bytes = borsh::to_vec(value).map_err(|e| Error::Internal(e.to_string()))?;
        self.set(key, bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use venice_store::StoreOptions;

    fn store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open(&dir.path().join("db"), StoreOptions::default()).unwrap();
        (dir, s)
    }

    #[test]
    fn discarded_layer_rolls_back_writes_and_events() {
        let (_d, s) = store();
        let mut pending = ChangeSet::new();
        let mut ctx = Ctx::new(&s, &mut pending, BlockInfo::default(), GasMeter::infinite());
        ctx.set(b"a".to_vec(), b"1".to_vec()).unwrap();
        ctx.push_layer();
        ctx.set(b"a".to_vec(), b"2".to_vec()).unwrap();
        ctx.set(b"b".to_vec(), b"3".to_vec()).unwrap();
        ctx.emit(Event::new("x"));
        assert_eq!(ctx.get(b"a").unwrap(), Some(b"2".to_vec()));
        ctx.discard_layer();
        assert_eq!(ctx.get(b"a").unwrap(), Some(b"1".to_vec()));
        assert_eq!(ctx.get(b"b").unwrap(), None);
        assert!(ctx.events().is_empty());
        ctx.push_layer();
        ctx.delete(b"a").unwrap();
        ctx.commit_layer();
        drop(ctx);
        assert_eq!(pending.get(b"a".as_slice()), Some(&None));
    }

    #[test]
    fn iteration_merges_layers_over_committed_state() {
        let (_d, s) = store();
        let mut cs = ChangeSet::new();
        for k in ["p/a", "p/b", "p/c", "q/a"] {
            cs.insert(k.as_bytes().to_vec(), Some(k.as_bytes().to_vec()));
        }
        s.stage(1, &cs).unwrap();
        s.commit().unwrap();
        let mut pending = ChangeSet::new();
        let mut ctx = Ctx::new(&s, &mut pending, BlockInfo::default(), GasMeter::infinite());
        ctx.delete(b"p/b").unwrap();
        ctx.push_layer();
        ctx.set(b"p/bb".to_vec(), b"new".to_vec()).unwrap();
        let keys: Vec<Vec<u8>> = ctx.iter_prefix(b"p/", None, 10).unwrap().into_iter().map(|(k, _)| k).collect();
        assert_eq!(keys, vec![b"p/a".to_vec(), b"p/bb".to_vec(), b"p/c".to_vec()]);
        let page: Vec<Vec<u8>> = ctx.iter_prefix(b"p/", Some(b"p/a"), 1).unwrap().into_iter().map(|(k, _)| k).collect();
        assert_eq!(page, vec![b"p/bb".to_vec()]);
    }

    #[test]
    fn a_scoped_context_refuses_keys_outside_its_prefix() {
        let (_d, s) = store();
        let mut pending = ChangeSet::new();
        let mut ctx = Ctx::new(&s, &mut pending, BlockInfo::default(), GasMeter::infinite());
        ctx.set(b"auth/x".to_vec(), b"1".to_vec()).unwrap();
        ctx.scoped(b"bank/", |ctx| {
            ctx.set(b"bank/a".to_vec(), b"1".to_vec()).unwrap();
            for e in [
                ctx.get(b"auth/x").unwrap_err(),
                ctx.has(b"auth/x").unwrap_err(),
                ctx.set(b"auth/x".to_vec(), b"2".to_vec()).unwrap_err(),
                ctx.delete(b"auth/x").unwrap_err(),
                ctx.iter_prefix(b"auth/", None, 10).unwrap_err(),
                ctx.iter_prefix(b"", None, 10).unwrap_err(),
            ] {
                assert!(matches!(e, Error::StoreAccess { .. }), "{e}");
            }
            // A keeper of another module enters that module's scope.
            assert_eq!(ctx.scoped(b"auth/", |ctx| ctx.get(b"auth/x").unwrap()), Some(b"1".to_vec()));
            assert!(ctx.get(b"auth/x").is_err(), "the outer scope is restored");
        });
        assert_eq!(ctx.scope(), None);
        assert_eq!(ctx.get(b"auth/x").unwrap(), Some(b"1".to_vec()));
    }

    #[test]
    fn cached_committed_reads_give_the_same_values_and_gas() {
        let (_d, s) = store();
        let mut cs = ChangeSet::new();
        cs.insert(b"p".to_vec(), Some(b"params".to_vec()));
        cs.insert(b"x".to_vec(), Some(b"1".to_vec()));
        s.stage(1, &cs).unwrap();
        s.commit().unwrap();
        let run = |cache: bool| {
            let mut pending = ChangeSet::new();
            let mut ctx = Ctx::new(&s, &mut pending, BlockInfo::default(), GasMeter::new(1_000_000));
            if cache {
                ctx.cache_committed_reads();
            }
            let mut seen = Vec::new();
            for _ in 0..3 {
                seen.push(ctx.get(b"p").unwrap());
                seen.push(ctx.get(b"absent").unwrap());
                seen.push(Some(vec![u8::from(ctx.has(b"x").unwrap())]));
            }
            // A write shadows the cached committed value.
            ctx.set(b"p".to_vec(), b"new".to_vec()).unwrap();
            seen.push(ctx.get(b"p").unwrap());
            ctx.delete(b"x").unwrap();
            seen.push(Some(vec![u8::from(ctx.has(b"x").unwrap())]));
            (seen, ctx.gas().used())
        };
        let plain = run(false);
        assert_eq!(run(true), plain);
        assert_eq!(plain.0[0], Some(b"params".to_vec()));
        assert_eq!(plain.0[9], Some(b"new".to_vec()));
    }

    #[test]
    fn metered_reads_and_writes_run_out_of_gas() {
        let (_d, s) = store();
        let mut pending = ChangeSet::new();
        let mut ctx = Ctx::new(&s, &mut pending, BlockInfo::default(), GasMeter::new(3000));
        ctx.set(b"k".to_vec(), b"v".to_vec()).unwrap(); // 2000 + 60
        let e = ctx.get(b"k").unwrap_err();
        assert!(e.is_out_of_gas());
    }
}
