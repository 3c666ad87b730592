//! Baseline figures for the chain's wasm module: the real compiled contracts
//! in cosmwasm-vm with a file-system + memory module cache, as wasmd runs
//! them.
//!
//! - first `store_code` (validation + compilation) and first instantiate:
//!   time and gas;
//! - calls per second of a cw20 `transfer` and of a model-NFT `model` query,
//!   each call on a fresh instance taken from the cached module (what a
//!   chain does per message), with gas per call.

use std::time::{Duration, Instant};

use cosmwasm_std::testing::message_info;
use cosmwasm_std::{Addr, Checksum, ContractResult, Response};
use cosmwasm_vm::testing::{MockApi, MockQuerier, MockStorage, mock_backend, mock_env};
use cosmwasm_vm::{Backend, Cache, CacheOptions, InstanceOptions, Size, call_execute, call_instantiate, call_query, capabilities_from_csv};
use serde_json::{Value, json};
use venice_contracts_vm::{GAS_LIMIT, HarnessError, load_wasm, sample_model_extension};

type VmCache = Cache<MockApi, MockStorage, MockQuerier>;
type VmBackend = Backend<MockApi, MockStorage, MockQuerier>;

const CAPABILITIES: &str = "iterator,staking,cosmwasm_1_1,cosmwasm_1_2,cosmwasm_1_3,cosmwasm_1_4,cosmwasm_2_0,cosmwasm_2_1,cosmwasm_2_2";
/// How long each throughput loop runs.
const RUN_FOR: Duration = Duration::from_secs(3);
const WARM_UP: u64 = 20;

fn opts() -> InstanceOptions {
    InstanceOptions { gas_limit: GAS_LIMIT }
}

/// Runs one call on a fresh instance from the cache; returns the backend
/// (storage carried to the next call), the result and the gas used.
fn with_instance<T>(
    cache: &VmCache,
    checksum: &Checksum,
    backend: VmBackend,
    f: impl FnOnce(&mut cosmwasm_vm::Instance<MockApi, MockStorage, MockQuerier>) -> Result<T, HarnessError>,
) -> Result<(VmBackend, T, u64), HarnessError> {
    let mut instance = cache.get_instance(checksum, backend, opts())?;
    let before = instance.get_gas_left();
    let out = f(&mut instance)?;
    let gas = before - instance.get_gas_left();
    let backend = instance.recycle().expect("instance has its backend");
    Ok((backend, out, gas))
}

fn exec(
    instance: &mut cosmwasm_vm::Instance<MockApi, MockStorage, MockQuerier>,
    sender: &str,
    funds: &[cosmwasm_std::Coin],
    msg: &Value,
) -> Result<Response, HarnessError> {
    let info = message_info(&Addr::unchecked(sender), funds);
    let res: ContractResult<Response> = call_execute(instance, &mock_env(), &info, &serde_json::to_vec(msg)?)?;
    res.into_result().map_err(HarnessError::Contract)
}

fn init(
    instance: &mut cosmwasm_vm::Instance<MockApi, MockStorage, MockQuerier>,
    sender: &str,
    msg: &Value,
) -> Result<Response, HarnessError> {
    let info = message_info(&Addr::unchecked(sender), &[]);
    let res: ContractResult<Response> = call_instantiate(instance, &mock_env(), &info, &serde_json::to_vec(msg)?)?;
    res.into_result().map_err(HarnessError::Contract)
}

struct FirstUse {
    store_code: Duration,
    instantiate: Duration,
    instantiate_gas: u64,
    size: usize,
}

/// A fresh cache directory, so that the first store_code really compiles.
fn first_use(cache: &VmCache, wasm: &[u8], sender: &str, msg: &Value) -> Result<(Checksum, VmBackend, FirstUse), HarnessError> {
    let t = Instant::now();
    let checksum = cache.store_code(wasm, true, true)?;
    let store_code = t.elapsed();
    let t = Instant::now();
    let (backend, _, instantiate_gas) = with_instance(cache, &checksum, mock_backend(&[]), |i| init(i, sender, msg))?;
    let instantiate = t.elapsed();
    Ok((checksum, backend, FirstUse { store_code, instantiate, instantiate_gas, size: wasm.len() }))
}

fn throughput(mut call: impl FnMut(u64) -> Result<u64, HarnessError>) -> Result<(f64, u64, u64), HarnessError> {
    // Warm-up, then timed loop.
    for i in 0..WARM_UP {
        call(i)?;
    }
    let (mut n, mut gas_sum) = (0u64, 0u64);
    let t = Instant::now();
    while t.elapsed() < RUN_FOR {
        gas_sum += call(n)?;
        n += 1;
    }
    let secs = t.elapsed().as_secs_f64();
    Ok((n as f64 / secs, n, gas_sum / n.max(1)))
}

fn run() -> Result<(), HarnessError> {
    let dir = tempfile::tempdir()?;
    let options = CacheOptions::new(dir.path(), capabilities_from_csv(CAPABILITIES), Size::mebi(256), Size::mebi(32));
    // SAFETY: the cache directory is a fresh temporary one that nothing else
    // writes (Cache::new is unsafe because modules are loaded from it).
    let cache: VmCache = unsafe { Cache::new(options)? };
    let api = MockApi::default();
    let (admin, alice, bob, collector) = (api.addr_make("admin"), api.addr_make("alice"), api.addr_make("bob"), api.addr_make("collector"));

    println!("cosmwasm-vm 3.0.10, fresh cache in a temporary directory; each call on a new instance from the cached module");
    println!();
    println!("{:<18} {:>10} {:>16} {:>16} {:>16}", "contract", "wasm KiB", "store_code ms", "1st instantiate", "instantiate gas");

    // cw20 transfer
    let cw20_init = json!({"name": "Venice compute credit", "symbol": "VCC", "decimals": 6,
        "initial_balances": [{"address": alice, "amount": "1000000000000"}],
        "mint": null, "marketing": null, "admin": admin});
    let (cw20, cw20_backend, first) = first_use(&cache, &load_wasm("compute_credit")?, &admin, &cw20_init)?;
    print_first("compute_credit", &first);

    // model NFT
    let nft_init = json!({"name": "Venice models", "symbol": "VMODEL", "admin": admin, "mint_fee": null,
        "fee_collector": collector});
    let (nft, nft_backend, first) = first_use(&cache, &load_wasm("model_nft")?, &admin, &nft_init)?;
    print_first("model_nft", &first);

    let dc_init = json!({"admin": admin, "consumers": []});
    let (_, _, first) = first_use(&cache, &load_wasm("data_credential")?, &admin, &dc_init)?;
    print_first("data_credential", &first);

    let mint = json!({"mint": {"token_id": "digits-v1", "owner": alice, "token_uri": null,
        "extension": sample_model_extension(&"3f".repeat(32))}});
    let (nft_backend, _, _) = with_instance(&cache, &nft, nft_backend, |i| exec(i, &alice, &[], &mint))?;

    println!();
    println!("{:<44} {:>10} {:>10} {:>12}", "call", "calls/s", "calls", "gas/call");
    let mut cw20_state = (cw20_backend, 0u64);
    let mut nft_state = nft_backend;
    // First from the memory cache (a module compiled once, instantiated per
    // call), then pinned, as a chain does for its hot contracts.
    for pinned in [false, true] {
        if pinned {
            cache.pin(&cw20)?;
            cache.pin(&nft)?;
        }
        let how = if pinned { "pinned" } else { "memory cache" };
        cw20_state = cw20_transfers(&cache, &cw20, cw20_state, &alice, &bob, how)?;
        nft_state = nft_queries(&cache, &nft, nft_state, how)?;
    }

    let stats = cache.stats();
    println!();
    println!(
        "cache: {} pinned hits, {} memory hits, {} fs hits, {} misses",
        stats.hits_pinned_memory_cache, stats.hits_memory_cache, stats.hits_fs_cache, stats.misses
    );
    Ok(())
}

/// Timed cw20 transfers of one unit; checks afterwards that every one moved
/// a unit. `state` carries the storage and the transfers done so far.
fn cw20_transfers(
    cache: &VmCache,
    checksum: &Checksum,
    state: (VmBackend, u64),
    alice: &str,
    bob: &str,
    how: &str,
) -> Result<(VmBackend, u64), HarnessError> {
    let (backend, done) = state;
    let transfer = json!({"transfer": {"recipient": bob, "amount": "1"}});
    let mut backend = Some(backend);
    let (rate, n, gas) = throughput(|_| {
        let (b, _, gas) = with_instance(cache, checksum, backend.take().unwrap(), |i| exec(i, alice, &[], &transfer))?;
        backend = Some(b);
        Ok(gas)
    })?;
    println!("{:<44} {:>10.0} {:>10} {:>12}", format!("cw20 transfer ({how})"), rate, n, gas);
    let done = done + n + WARM_UP;
    let (backend, bal, _) = with_instance(cache, checksum, backend.take().unwrap(), |i| {
        let bin = call_query(i, &mock_env(), &serde_json::to_vec(&json!({"balance": {"address": bob}}))?)?
            .into_result()
            .map_err(HarnessError::Contract)?;
        Ok(serde_json::from_slice::<Value>(bin.as_slice())?)
    })?;
    assert_eq!(bal["balance"], json!(done.to_string()), "every transfer must have moved one unit");
    Ok((backend, done))
}

/// Timed `model` queries of the model NFT minted beforehand.
fn nft_queries(cache: &VmCache, checksum: &Checksum, backend: VmBackend, how: &str) -> Result<VmBackend, HarnessError> {
    let query = serde_json::to_vec(&json!({"model": {"token_id": "digits-v1"}}))?;
    let mut backend = Some(backend);
    let (rate, n, gas) = throughput(|_| {
        let (b, len, gas) = with_instance(cache, checksum, backend.take().unwrap(), |i| {
            let bin = call_query(i, &mock_env(), &query)?.into_result().map_err(HarnessError::Contract)?;
            Ok(bin.len())
        })?;
        assert!(len > 100, "model query answered {len} bytes");
        backend = Some(b);
        Ok(gas)
    })?;
    println!("{:<44} {:>10.0} {:>10} {:>12}", format!("model-NFT query `model` ({how})"), rate, n, gas);
    Ok(backend.take().unwrap())
}

fn print_first(name: &str, f: &FirstUse) {
    println!(
        "{:<18} {:>10.1} {:>16.1} {:>13.2} ms {:>16}",
        name,
        f.size as f64 / 1024.0,
        f.store_code.as_secs_f64() * 1e3,
        f.instantiate.as_secs_f64() * 1e3,
        f.instantiate_gas
    );
}

fn main() {
    if let Err(e) = run() {
        eprintln!("contracts-bench: {e}");
        std::process::exit(1);
    }
}
