//! `wasm`: CosmWasm contracts on chain, as wasmd runs them: the
//! `cosmwasm.wasm.v1` messages and queries, wasmd's events, errors, gas and
//! contract addresses, with `cosmwasm-vm` executing the contracts.
//!
//! - `backend`: the VM's view of the chain (contract storage under its
//!   prefix of the provable store, address codec, querier), bridged to the
//!   tx's `Ctx` for the duration of one call.
//! - `vm`: the compiled-module cache under the node's home and one call.
//! - `keeper`: store, instantiate, execute, migrate, admin changes, replies.
//! - `dispatch`: what a contract's response asks for (events, submessages).
//! - `querier`: the chain as contracts query it; `query`: the gRPC queries.

mod backend;
mod dispatch;
pub mod error;
pub mod events;
pub mod expected_keepers;
pub mod gas;
pub mod genesis;
pub mod handlers;
mod keeper;
mod module;
pub mod params;
mod querier;
pub mod query;
pub mod state;
mod vm;

use std::path::PathBuf;
use std::sync::Arc;

pub use error::WasmError;
use expected_keepers::{AccountKeeper, BankKeeper};
/// Contract addresses (pure derivation, shared with the CLI).
pub use venice_sdk::contract_address::{CONTRACT_ADDR_LEN, classic as classic_address, predictable as predictable_address};
/// Message type URLs and query paths.
pub use venice_sdk::paths::wasm as paths;
pub use vm::CacheStats;

pub const MODULE: &str = "wasm";
/// Largest wasm code accepted, unpacked (wasmd's `MaxWasmSize`).
pub const MAX_WASM_SIZE: usize = 800 * 1024;
pub const MAX_LABEL_SIZE: usize = 128;
pub const MAX_SALT_SIZE: usize = 64;
/// Nested smart queries (wasmd's `DefaultMaxQueryStackSize`).
pub const MAX_QUERY_STACK_SIZE: u32 = 10;

/// Node-local settings of the module (never consensus rules).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WasmConfig {
    /// Where the VM keeps wasm files and compiled modules; `None`: no VM
    /// (the module still answers genesis and state queries).
    pub dir: Option<PathBuf>,
    /// In-memory cache of compiled modules, MiB (wasmd's `memory_cache_size`).
    pub memory_cache_mib: u32,
    /// Gas limit of a smart query over ABCI/gRPC (wasmd's `query_gas_limit`).
    pub smart_query_gas_limit: u64,
}

impl Default for WasmConfig {
    fn default() -> Self {
        WasmConfig { dir: None, memory_cache_mib: 100, smart_query_gas_limit: 3_000_000 }
    }
}

impl WasmConfig {
    pub fn at(dir: impl Into<PathBuf>) -> Self {
        WasmConfig { dir: Some(dir.into()), ..Default::default() }
    }
}

/// The wasm module; cheap to clone (the backend of every call holds one).
#[derive(Clone)]
pub struct Wasm {
    inner: Arc<Inner>,
}

struct Inner {
    bank: Arc<dyn BankKeeper>,
    accounts: Arc<dyn AccountKeeper>,
    config: WasmConfig,
    vm: vm::Vm,
    times: Arc<CallTimes>,
}

/// Where a contract call's time goes, summed over every call since the
/// node started: node-local profiling (benchmarks), never state. Storage
/// time is part of the execution time.
#[derive(Debug, Default)]
pub struct CallTimes {
    pub calls: std::sync::atomic::AtomicU64,
    /// Getting an instance of the compiled module (from the memory cache).
    pub instance_ns: std::sync::atomic::AtomicU64,
    /// Running the entry point, host calls included.
    pub execute_ns: std::sync::atomic::AtomicU64,
    /// Inside the contract's storage calls (get, set, remove, iteration).
    pub storage_ns: std::sync::atomic::AtomicU64,
}

impl CallTimes {
    pub(crate) fn add(counter: &std::sync::atomic::AtomicU64, since: std::time::Instant) {
        counter.fetch_add(since.elapsed().as_nanos() as u64, std::sync::atomic::Ordering::Relaxed);
    }
}

impl Wasm {
    pub fn new(config: WasmConfig, bank: Arc<dyn BankKeeper>, accounts: Arc<dyn AccountKeeper>) -> Self {
        let vm = vm::Vm::new(&config);
        Wasm { inner: Arc::new(Inner { bank, accounts, config, vm, times: Arc::default() }) }
    }

    pub fn config(&self) -> &WasmConfig {
        &self.inner.config
    }

    /// Time spent in contract calls since the node started (profiling).
    pub fn call_times(&self) -> &CallTimes {
        &self.inner.times
    }

    /// Hits and misses of the compiled-module caches since the VM opened.
    pub fn cache_stats(&self) -> Option<CacheStats> {
        self.inner.vm.stats()
    }

    fn bank(&self) -> &dyn BankKeeper {
        self.inner.bank.as_ref()
    }
}
