//! cosmwasm-vm's `Cache` (wasm files and compiled modules on disk under the
//! node's home, an in-memory LRU, pinned modules) and one contract call:
//! gas limit from the tx's meter, gas used back onto it, failures typed.

use std::sync::OnceLock;

use cosmwasm_std::{Addr, Binary, BlockInfo, Checksum, ContractInfo, ContractResult, Env, Timestamp, TransactionInfo};
use cosmwasm_vm::{Backend, Cache, CacheOptions, InstanceOptions, Size, VmError, capabilities_from_csv};
use venice_sdk::{Address, Ctx, Error, MsgRouter, Result};

use crate::backend::{ChainApi, ChainQuerier, ContractStore, with_frame};
use crate::error::WasmError;
use crate::gas::{from_vm_gas, to_vm_gas};
use crate::{Wasm, WasmConfig, state};

pub(crate) type VmCache = Cache<ChainApi, ContractStore, ChainQuerier>;
pub(crate) type VmInstance = cosmwasm_vm::Instance<ChainApi, ContractStore, ChainQuerier>;

/// What the chain offers contracts: no staking, IBC or custom messages.
const CAPABILITIES: &str = "iterator,stargate,cosmwasm_1_1,cosmwasm_1_2,cosmwasm_1_3,cosmwasm_1_4,cosmwasm_2_0,cosmwasm_2_1,cosmwasm_2_2";
/// Memory of one contract instance (wasmd's `ContractMemoryLimit`).
const INSTANCE_MEMORY_MIB: u32 = 32;

/// Where the compiled-module caches stood (node-local; for tests and metrics).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CacheStats {
    pub hits_pinned: u32,
    pub hits_memory: u32,
    pub hits_fs: u32,
    /// Compilations of stored code (not counting store-code itself).
    pub misses: u32,
}

/// The cache, opened on first use (a node that never runs a contract makes
/// no files), or why it could not be.
pub(crate) struct Vm {
    config: WasmConfig,
    cache: OnceLock<std::result::Result<VmCache, String>>,
    pins_synced: OnceLock<()>,
}

impl Vm {
    pub(crate) fn new(config: &WasmConfig) -> Self {
        Vm { config: config.clone(), cache: OnceLock::new(), pins_synced: OnceLock::new() }
    }

    pub(crate) fn cache(&self) -> Result<&VmCache> {
        let opened = self.cache.get_or_init(|| {
            let dir = self.config.dir.clone().ok_or("this node has no wasm directory configured")?;
            std::fs::create_dir_all(&dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
            let options = CacheOptions::new(
                dir,
                capabilities_from_csv(CAPABILITIES),
                Size::mebi(self.config.memory_cache_mib as usize),
                Size::mebi(INSTANCE_MEMORY_MIB as usize),
            );
            // SAFETY: the directory is this node's own; cosmwasm-vm trusts
            // the modules it compiled there (as every wasmd node does).
            unsafe { VmCache::new(options) }.map_err(|e| format!("opening the wasm cache: {e}"))
        });
        opened.as_ref().map_err(|e| Error::Internal(e.clone()))
    }

    pub(crate) fn stats(&self) -> Option<CacheStats> {
        let s = self.cache.get()?.as_ref().ok()?.stats();
        Some(CacheStats {
            hits_pinned: s.hits_pinned_memory_cache,
            hits_memory: s.hits_memory_cache,
            hits_fs: s.hits_fs_cache,
            misses: s.misses,
        })
    }

    /// Pin the codes state marks pinned, once per process (node-local: a
    /// restarted node keeps them out of the LRU again).
    pub(crate) fn sync_pins(&self, ctx: &mut Ctx) {
        if self.pins_synced.get().is_some() || self.config.dir.is_none() {
            return;
        }
        let _ = self.pins_synced.set(());
        let Ok(cache) = self.cache() else { return };
        let Ok(ids) = state::pinned(ctx, None, usize::MAX) else { return };
        for id in ids {
            if let Ok(Some(code)) = state::code(ctx, id)
                && let Ok(sum) = Checksum::try_from(code.code_hash.as_slice())
                && let Err(e) = cache.pin(&sum)
            {
                tracing::warn!(code_id = id, error = %e, "pinning wasm code");
            }
        }
    }
}

pub(crate) fn checksum(bytes: &[u8]) -> Result<Checksum> {
    Checksum::try_from(bytes).map_err(|e| Error::Internal(format!("corrupt code hash: {e}")))
}

/// The contract's view of the block (`env`).
pub(crate) fn env(ctx: &Ctx, contract: &Address) -> Env {
    let nanos = (ctx.info.time_secs.max(0) as u64).saturating_mul(1_000_000_000).saturating_add(ctx.info.time_nanos as u64);
    Env {
        block: BlockInfo { height: ctx.info.height, time: Timestamp::from_nanos(nanos), chain_id: ctx.info.chain_id.clone() },
        transaction: ctx.tx.as_ref().map(|t| TransactionInfo::new(t.index, Binary::from(t.hash.to_vec()))),
        contract: ContractInfo { address: Addr::unchecked(contract.to_bech32()) },
    }
}

/// How a contract's own `Err` is reported (per entry point).
pub(crate) type Failure = fn(String) -> WasmError;

impl Wasm {
    /// Call `f` on an instance of code `sum` running as `contract`: the VM's
    /// gas limit is what the tx has left, the VM's own gas is charged to the
    /// tx afterwards (store and query gas was charged as it went), and
    /// running out is the SDK's out-of-gas, whatever the VM was doing.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn call<T>(
        &self,
        ctx: &mut Ctx,
        router: &dyn MsgRouter,
        sum: &Checksum,
        contract: &Address,
        query_depth: u32,
        fail: Failure,
        f: impl FnOnce(&mut VmInstance) -> std::result::Result<ContractResult<T>, VmError>,
    ) -> Result<T> {
        let cache = self.inner.vm.cache()?;
        let gas = ctx.gas();
        let gas_limit = if gas.limit() == u64::MAX { u64::MAX } else { to_vm_gas(gas.limit().saturating_sub(gas.used())) };
        let prefix = state::contract_store_prefix(contract);
        let (result, vm_gas, exhausted) = with_frame(ctx, router, self, query_depth, |frame| {
            let backend = Backend {
                api: ChainApi,
                storage: ContractStore::new(frame.clone(), prefix, self.inner.times.clone()),
                querier: ChainQuerier::new(frame, contract.clone()),
            };
            let times = &self.inner.times;
            let started = std::time::Instant::now();
            match cache.get_instance(sum, backend, InstanceOptions { gas_limit }) {
                Err(e) => (Err(e), 0, false),
                Ok(mut instance) => {
                    crate::CallTimes::add(&times.instance_ns, started);
                    let running = std::time::Instant::now();
                    let r = f(&mut instance);
                    crate::CallTimes::add(&times.execute_ns, running);
                    times.calls.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let report = instance.create_gas_report();
                    (r, report.used_internally, report.remaining == 0)
                }
            }
        });
        ctx.consume_gas(from_vm_gas(vm_gas), "wasm contract")?;
        match result {
            Ok(ContractResult::Ok(v)) => Ok(v),
            Ok(ContractResult::Err(msg)) => Err(fail(msg).into()),
            // The VM stops at its limit (a trap or a host call refused):
            // that is the tx running out, whichever way the VM words it.
            Err(VmError::GasDepletion { .. }) => Err(out_of_gas(ctx)),
            Err(_) if exhausted => Err(out_of_gas(ctx)),
            Err(e) => Err(WasmError::Vm(e.to_string()).into()),
        }
    }
}

/// The tx's out-of-gas error, with its meter at the limit.
fn out_of_gas(ctx: &mut Ctx) -> Error {
    let left = ctx.gas().limit().saturating_sub(ctx.gas().used());
    match ctx.consume_gas(left.saturating_add(1), "wasm contract") {
        Err(e) => e,
        Ok(()) => Error::OutOfGas { location: "wasm contract".into(), limit: ctx.gas().limit(), used: ctx.gas().used() },
    }
}
