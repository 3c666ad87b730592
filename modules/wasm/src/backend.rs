//! The backend a contract runs against: its own storage under its prefix of
//! the chain's store, the chain's address codec, and the querier.
//!
//! cosmwasm-vm wants `'static` backend types, but the chain's state is a
//! `Ctx<'_>` borrowed for one message. A [`Frame`] carries a raw pointer to
//! that `Ctx` (and to the message router) for the duration of one VM call:
//!
//! - it is made only by [`with_frame`], from a `&mut Ctx` that `with_frame`
//!   holds exclusively for as long as the frame is live: the caller cannot
//!   touch the `Ctx` until `with_frame` returns;
//! - when `with_frame` returns, the frame is marked dead, so a clone that
//!   escaped (inside a leaked instance) can never dereference the pointer
//!   again: [`Frame::with`] checks liveness first;
//! - the pointer is dereferenced only inside [`Frame::with`], which the VM
//!   calls synchronously from its host functions on this thread (`Rc`: the
//!   frame is `!Send`), and which refuses re-entry, so there is never more
//!   than one `&mut Ctx` from one frame at a time;
//! - a nested call (a contract querying a contract) makes its own frame from
//!   the `&mut Ctx` that the outer `with` handed out: a reborrow, used only
//!   while the outer one waits for it to return.

use std::cell::Cell;
use std::collections::VecDeque;
use std::ptr::NonNull;
use std::rc::Rc;

use cosmwasm_std::{Binary, ContractResult, Order, Record, SystemResult};
use cosmwasm_vm::{BackendApi, BackendError, BackendResult, GasInfo, Querier, Storage};
use venice_sdk::{Address, Ctx, Error, MsgRouter};

use crate::Wasm;
use crate::gas::{COST_CANONICALIZE, COST_HUMANIZE, GAS_MULTIPLIER};

pub(crate) struct Frame {
    ctx: Cell<Option<NonNull<Ctx<'static>>>>,
    router: NonNull<dyn MsgRouter>,
    busy: Cell<bool>,
    wasm: Wasm,
    /// Smart queries already on the stack above this call.
    query_depth: u32,
}

#[derive(Clone)]
pub(crate) struct FrameRef(Rc<Frame>);

/// Run `f` with a frame over `ctx`; see the module docs for why this is sound.
pub(crate) fn with_frame<R>(ctx: &mut Ctx, router: &dyn MsgRouter, wasm: &Wasm, query_depth: u32, f: impl FnOnce(FrameRef) -> R) -> R {
    let ctx_ptr = NonNull::from(ctx).cast::<Ctx<'static>>();
    let router_ptr: *const (dyn MsgRouter + '_) = router;
    // SAFETY: only the trait object's lifetime bound changes; the pointer is
    // used while `router` is borrowed by this function (see module docs).
    let router_ptr: *const (dyn MsgRouter + 'static) = unsafe { std::mem::transmute(router_ptr) };
    let frame = FrameRef(Rc::new(Frame {
        ctx: Cell::new(Some(ctx_ptr)),
        router: NonNull::new(router_ptr.cast_mut()).expect("a reference is never null"),
        busy: Cell::new(false),
        wasm: wasm.clone(),
        query_depth,
    }));
    let out = f(frame.clone());
    frame.0.ctx.set(None);
    out
}

impl FrameRef {
    /// Run `f` on the frame's `Ctx`; `None` when the frame is dead or busy.
    pub(crate) fn with<R>(&self, f: impl for<'c> FnOnce(&mut Ctx<'c>, &dyn MsgRouter, &Wasm, u32) -> R) -> Option<R> {
        let frame = &*self.0;
        let ptr = frame.ctx.get()?;
        if frame.busy.replace(true) {
            return None;
        }
        // SAFETY: the frame is live (inside `with_frame`, whose `&mut Ctx`
        // is not otherwise used meanwhile) and not busy, so this is the only
        // reference made from it; it ends before `busy` is cleared.
        let (ctx, router) = unsafe { (&mut *ptr.as_ptr(), &*frame.router.as_ptr()) };
        let out = f(ctx, router, &frame.wasm, frame.query_depth);
        frame.busy.set(false);
        Some(out)
    }
}

/// Gas the chain meter took during a host call, as the VM counts it.
fn externally_used(chain_gas: u64) -> GasInfo {
    GasInfo::with_externally_used(chain_gas.saturating_mul(GAS_MULTIPLIER))
}

fn backend_error(e: &Error) -> BackendError {
    if e.is_out_of_gas() { BackendError::out_of_gas() } else { BackendError::unknown(e.to_string()) }
}

/// Run a metered store operation through the frame; its gas is reported to
/// the VM as used externally (it was charged on the tx's meter).
fn metered<T>(frame: &FrameRef, f: impl for<'c> FnOnce(&mut Ctx<'c>) -> venice_sdk::Result<T>) -> BackendResult<T> {
    let out = frame.with(|ctx, _, _, _| {
        let before = ctx.gas().used();
        let r = f(ctx);
        (r, ctx.gas().used().saturating_sub(before))
    });
    match out {
        None => (Err(BackendError::unknown("contract storage used outside its call")), GasInfo::free()),
        Some((Ok(v), gas)) => (Ok(v), externally_used(gas)),
        Some((Err(e), gas)) => (Err(backend_error(&e)), externally_used(gas)),
    }
}

// ---- storage ----------------------------------------------------------------

/// A contract's storage: its keys under `wasm/s/{len}{addr}` of the chain's
/// store, every access metered on the tx's gas meter.
pub(crate) struct ContractStore {
    frame: FrameRef,
    prefix: Vec<u8>,
    iterators: Vec<Scan>,
    times: std::sync::Arc<crate::CallTimes>,
}

/// One `range` of the contract: bounds and what was read ahead.
struct Scan {
    start: Option<Vec<u8>>,
    end: Option<Vec<u8>>,
    order: Order,
    buffered: VecDeque<Record>,
    /// Ascending: the last key read (reads continue after it).
    last: Option<Vec<u8>>,
    started: bool,
    done: bool,
    page: usize,
}

/// Ascending reads fetch pages growing to this size, so a `take(1)` is cheap.
const MAX_PAGE: usize = 64;

impl ContractStore {
    pub(crate) fn new(frame: FrameRef, prefix: Vec<u8>, times: std::sync::Arc<crate::CallTimes>) -> Self {
        ContractStore { frame, prefix, iterators: Vec::new(), times }
    }

    /// `f`, its time added to the storage profile.
    fn timed<T>(&self, f: impl FnOnce() -> T) -> T {
        let started = std::time::Instant::now();
        let out = f();
        crate::CallTimes::add(&self.times.storage_ns, started);
        out
    }

    fn key(&self, k: &[u8]) -> Vec<u8> {
        [self.prefix.as_slice(), k].concat()
    }

    /// Fill `scan.buffered` with the next records, in the VM's order.
    fn fill(frame: &FrameRef, prefix: &[u8], scan: &mut Scan) -> BackendResult<()> {
        let in_end = |k: &[u8], end: &Option<Vec<u8>>| end.as_deref().is_none_or(|e| k < e);
        match scan.order {
            Order::Ascending => metered(frame, |ctx| {
                if !scan.started {
                    scan.started = true;
                    // `start` is inclusive: read it, then continue after it.
                    if let Some(s) = scan.start.clone() {
                        if let Some(v) = ctx.get(&[prefix, &s].concat())? {
                            scan.buffered.push_back((s.clone(), v));
                        }
                        scan.last = Some(s);
                    }
                }
                let after = scan.last.as_ref().map(|k| [prefix, k].concat());
                let items = ctx.iter_prefix(prefix, after.as_deref(), scan.page)?;
                if items.len() < scan.page {
                    scan.done = true;
                }
                scan.page = (scan.page * 2).min(MAX_PAGE);
                for (k, v) in items {
                    let key = k[prefix.len()..].to_vec();
                    if !in_end(&key, &scan.end) {
                        scan.done = true;
                        break;
                    }
                    scan.last = Some(key.clone());
                    scan.buffered.push_back((key, v));
                }
                Ok(())
            }),
            // Descending: the store reads forwards only, so read the whole
            // range (each record metered) and hand it out backwards.
            Order::Descending => metered(frame, |ctx| {
                scan.done = true;
                let after = match &scan.start {
                    Some(s) => {
                        let first = ctx.get(&[prefix, s].concat())?.map(|v| (s.clone(), v));
                        first.into_iter().for_each(|r| scan.buffered.push_front(r));
                        Some([prefix, s].concat())
                    }
                    None => None,
                };
                for (k, v) in ctx.iter_prefix(prefix, after.as_deref(), usize::MAX)? {
                    let key = k[prefix.len()..].to_vec();
                    if !in_end(&key, &scan.end) {
                        break;
                    }
                    scan.buffered.push_front((key, v));
                }
                Ok(())
            }),
        }
    }
}

impl Storage for ContractStore {
    fn get(&self, key: &[u8]) -> BackendResult<Option<Vec<u8>>> {
        let k = self.key(key);
        self.timed(|| metered(&self.frame, |ctx| ctx.get(&k)))
    }

    fn scan(&mut self, start: Option<&[u8]>, end: Option<&[u8]>, order: Order) -> BackendResult<u32> {
        let empty = matches!((start, end), (Some(s), Some(e)) if s >= e);
        self.iterators.push(Scan {
            start: start.map(<[u8]>::to_vec),
            end: end.map(<[u8]>::to_vec),
            order,
            buffered: VecDeque::new(),
            last: None,
            started: false,
            done: empty,
            page: 1,
        });
        (Ok(self.iterators.len() as u32), GasInfo::free())
    }

    fn next(&mut self, iterator_id: u32) -> BackendResult<Option<Record>> {
        let Some(scan) = (iterator_id as usize).checked_sub(1).and_then(|i| self.iterators.get_mut(i)) else {
            return (Err(BackendError::iterator_does_not_exist(iterator_id)), GasInfo::free());
        };
        let mut gas = GasInfo::free();
        if scan.buffered.is_empty() && !scan.done {
            let started = std::time::Instant::now();
            let (r, g) = Self::fill(&self.frame, &self.prefix, scan);
            crate::CallTimes::add(&self.times.storage_ns, started);
            gas = g;
            if let Err(e) = r {
                return (Err(e), gas);
            }
        }
        (Ok(scan.buffered.pop_front()), gas)
    }

    fn set(&mut self, key: &[u8], value: &[u8]) -> BackendResult<()> {
        if value.is_empty() {
            // The store cannot prove an empty value (absent is `remove`).
            return (Err(BackendError::user_err("empty values cannot be stored")), GasInfo::free());
        }
        let (k, v) = (self.key(key), value.to_vec());
        self.timed(|| metered(&self.frame, |ctx| ctx.set(k, v)))
    }

    fn remove(&mut self, key: &[u8]) -> BackendResult<()> {
        let k = self.key(key);
        self.timed(|| metered(&self.frame, |ctx| ctx.delete(&k)))
    }
}

// ---- address codec ----------------------------------------------------------

/// bech32 `venice` addresses, 1 to 255 bytes (20-byte accounts, 32-byte
/// contracts), with wasmvm's gas costs.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct ChainApi;

impl BackendApi for ChainApi {
    fn addr_validate(&self, input: &str) -> BackendResult<()> {
        let gas = GasInfo::with_cost(COST_CANONICALIZE + COST_HUMANIZE);
        match Address::parse(input) {
            // Only the canonical (lower-case) spelling is valid, as in wasmd.
            Ok(a) if a.to_bech32() == input => (Ok(()), gas),
            Ok(_) => (Err(BackendError::user_err(format!("address not normalized: {input}"))), gas),
            Err(e) => (Err(BackendError::user_err(e.to_string())), gas),
        }
    }

    fn addr_canonicalize(&self, human: &str) -> BackendResult<Vec<u8>> {
        let gas = GasInfo::with_cost(COST_CANONICALIZE);
        match Address::parse(human) {
            Ok(a) => (Ok(a.as_bytes().to_vec()), gas),
            Err(e) => (Err(BackendError::user_err(e.to_string())), gas),
        }
    }

    fn addr_humanize(&self, canonical: &[u8]) -> BackendResult<String> {
        let gas = GasInfo::with_cost(COST_HUMANIZE);
        match Address::from_bytes(canonical) {
            Ok(a) => (Ok(a.to_bech32()), gas),
            Err(e) => (Err(BackendError::user_err(e.to_string())), gas),
        }
    }
}

// ---- querier ------------------------------------------------------------------

/// The chain as a contract queries it (see `querier.rs`).
pub(crate) struct ChainQuerier {
    frame: FrameRef,
    contract: Address,
}

impl ChainQuerier {
    pub(crate) fn new(frame: FrameRef, contract: Address) -> Self {
        ChainQuerier { frame, contract }
    }
}

impl Querier for ChainQuerier {
    fn query_raw(&self, request: &[u8], gas_limit: u64) -> BackendResult<SystemResult<ContractResult<Binary>>> {
        let out = self.frame.with(|ctx, router, wasm, depth| {
            let before = ctx.gas().used();
            let r = crate::querier::handle(wasm, ctx, router, &self.contract, depth, request, gas_limit);
            (r, ctx.gas().used().saturating_sub(before))
        });
        match out {
            None => (Err(BackendError::unknown("querier used outside its call")), GasInfo::free()),
            Some((Ok(r), gas)) => (Ok(r), externally_used(gas)),
            Some((Err(e), gas)) => (Err(backend_error(&e)), externally_used(gas)),
        }
    }
}
