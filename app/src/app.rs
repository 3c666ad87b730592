//! The state machine behind the ABCI connections. CometBFT drives it over
//! four connections (consensus, mempool, query, snapshot), each on its own
//! thread: consensus state and mempool state sit behind their own locks, and
//! queries read committed versions of the store without taking either.

use std::sync::{Condvar, Mutex, OnceLock};

use sha2::{Digest, Sha256};
use tendermint_proto::v0_38::abci as pb;
use tracing::{info, warn};
use venice_auth::ante::PreVerified;
use venice_sdk::gas::GasMeter;
use venice_sdk::tx::{DecodedTx, decode_tx};
use venice_sdk::{BlockInfo, CometInfo, Ctx, DecCoin, Error, Misbehavior, MisbehaviorKind, TxInfo, VoteInfo};
use venice_store::{ChangeSet, Store};

use crate::exec::{self, ExecMode, TxOutcome};
use crate::genesis::AppGenesis;
use crate::modules::Modules;

pub const APP_VERSION: u64 = 1;
/// Keys of app-level (not module) state.
pub(crate) const KEY_CHAIN_ID: &[u8] = b"app/chain_id";
pub(crate) const KEY_MAX_GAS: &[u8] = b"app/block_max_gas";
pub(crate) const KEY_LAST_TIME: &[u8] = b"app/last_block_time";
/// CometBFT's `vote_extensions_enable_height` from InitChain (big-endian u64).
pub(crate) const KEY_VE_HEIGHT: &[u8] = b"app/vote_extensions_enable_height";

struct Consensus {
    /// Genesis writes from InitChain, applied with block 1.
    genesis: Option<ChangeSet>,
    /// Writes of the block between FinalizeBlock and Commit.
    pending: ChangeSet,
    /// Height finalized and awaiting Commit.
    finalized: Option<u64>,
}

struct Mempool {
    /// Ante writes of txs accepted since the last commit (sequence numbers),
    /// so a sender can queue several txs with consecutive sequences.
    pending: ChangeSet,
}

/// Where the last FinalizeBlock spent its time (logged at debug, read by the bench).
#[derive(Clone, Copy, Debug, Default)]
pub struct BlockTimings {
    pub decode: std::time::Duration,
    /// Until the last signature worker finished (overlaps `execute`).
    pub signatures: std::time::Duration,
    /// Execution in block order, waiting on signature results as needed.
    pub execute: std::time::Duration,
    pub stage: std::time::Duration,
}

pub struct App {
    pub store: Store,
    pub modules: Modules,
    pub(crate) min_gas_prices: Vec<DecCoin>,
    /// From InitChain, then from state.
    chain: std::sync::RwLock<ChainParams>,
    consensus: Mutex<Consensus>,
    mempool: Mutex<Mempool>,
    timings: Mutex<BlockTimings>,
    /// Node-local counters for Prometheus (`metrics.rs`); never state.
    pub metrics: crate::metrics::Metrics,
    /// State-sync snapshots taken and served by this node (`statesync.rs`).
    pub(crate) snapshots: Option<crate::snapshots::Snapshots>,
    /// Each committed height, for node-local followers (the inference
    /// executor); set up by the first `subscribe_commits`.
    commits: OnceLock<tokio::sync::watch::Sender<u64>>,
}

/// What the app keeps of InitChain: chain id, block gas limit and vote
/// extensions' enable height.
#[derive(Clone, Debug, Default)]
struct ChainParams {
    chain_id: String,
    max_gas: i64,
    /// 0: never.
    vote_extensions_enable_height: u64,
}

/// The chain params as committed (empty, -1 and 0 on a new store).
fn chain_params(store: &Store) -> ChainParams {
    let read = |k: &[u8]| store.get(k).ok().flatten();
    ChainParams {
        chain_id: read(KEY_CHAIN_ID).map(|b| String::from_utf8_lossy(&b).into_owned()).unwrap_or_default(),
        max_gas: read(KEY_MAX_GAS).and_then(|b| b.try_into().ok()).map(i64::from_be_bytes).unwrap_or(-1),
        vote_extensions_enable_height: read(KEY_VE_HEIGHT).and_then(|b| b.try_into().ok()).map_or(0, u64::from_be_bytes),
    }
}

/// The wasm VM's directory for an app built over `store` alone.
pub fn wasm_config_for(store: &Store) -> venice_wasm::WasmConfig {
    venice_wasm::WasmConfig::at(store.path().with_extension("wasm"))
}

pub fn code_of(e: &Error) -> (String, u32) {
    let (space, code) = e.abci_code();
    (space.to_string(), code)
}

impl App {
    /// An app with the standard modules; the wasm VM keeps its files beside
    /// the store (`<store>.wasm`).
    pub fn new(store: Store, min_gas_prices: Vec<DecCoin>) -> Self {
        let modules = Modules::with_wasm(wasm_config_for(&store));
        Self::with_modules(store, min_gas_prices, modules)
    }

    /// An app over another module list (tests register extra modules).
    pub fn with_modules(store: Store, min_gas_prices: Vec<DecCoin>, modules: Modules) -> Self {
        let chain = chain_params(&store);
        App {
            store,
            modules,
            min_gas_prices,
            chain: std::sync::RwLock::new(chain),
            consensus: Mutex::new(Consensus { genesis: None, pending: ChangeSet::new(), finalized: None }),
            mempool: Mutex::new(Mempool { pending: ChangeSet::new() }),
            timings: Mutex::new(BlockTimings::default()),
            metrics: Default::default(),
            snapshots: None,
            commits: OnceLock::new(),
        }
    }

    /// Re-read the chain params from committed state (after
    /// a state-sync restore replaced it).
    pub(crate) fn reload_chain_params(&self) {
        *self.chain.write().unwrap_or_else(|p| p.into_inner()) = chain_params(&self.store);
    }

    /// Read app-level values from committed state (plus nothing pending).
    fn read_committed(&self, key: &[u8]) -> Option<Vec<u8>> {
        self.store.get(key).ok().flatten()
    }

    pub fn chain_id(&self) -> String {
        self.chain.read().unwrap_or_else(|p| p.into_inner()).chain_id.clone()
    }

    fn block_max_gas(&self) -> i64 {
        self.chain.read().unwrap_or_else(|p| p.into_inner()).max_gas
    }

    /// The app hash of the last commit (empty before block 1).
    fn last_app_hash(&self) -> Vec<u8> {
        let last = self.store.last_commit();
        if last.height == 0 { Vec::new() } else { last.app_hash.to_vec() }
    }

    /// Vote extensions' enable height from InitChain (0: never).
    fn vote_extensions_enable_height(&self) -> u64 {
        self.chain.read().unwrap_or_else(|p| p.into_inner()).vote_extensions_enable_height
    }

    pub(crate) fn last_block_time(&self) -> (i64, u32) {
        match self.read_committed(KEY_LAST_TIME) {
            Some(b) if b.len() == 12 => (i64::from_be_bytes(b[..8].try_into().unwrap()), u32::from_be_bytes(b[8..].try_into().unwrap())),
            _ => (0, 0),
        }
    }

    // ---- Info / InitChain ---------------------------------------------------

    pub fn info(&self, _req: pb::RequestInfo) -> pb::ResponseInfo {
        let last = self.store.last_commit();
        pb::ResponseInfo {
            data: "veniced".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            app_version: APP_VERSION,
            last_block_height: last.height as i64,
            // At height 0 CometBFT expects no app hash and calls InitChain.
            last_block_app_hash: if last.height == 0 { Default::default() } else { last.app_hash.to_vec().into() },
        }
    }

    pub fn init_chain(&self, req: pb::RequestInitChain) -> Result<pb::ResponseInitChain, Error> {
        let genesis = AppGenesis::parse(&req.app_state_bytes)?;
        if req.chain_id.is_empty() {
            return Err(Error::Genesis("chain_id: must not be empty".into()));
        }
        if req.initial_height > 1 {
            return Err(Error::Genesis(format!("initial_height: {} is not supported, use 1", req.initial_height)));
        }
        let mut writes = ChangeSet::new();
        // Genesis time is the block time of genesis (gentxs' commission times).
        let (time_secs, time_nanos) = req.time.as_ref().map_or((0, 0), |t| (t.seconds, t.nanos.max(0) as u32));
        let info = BlockInfo { chain_id: req.chain_id.clone(), height: 0, time_secs, time_nanos, ..Default::default() };
        let mut ctx = Ctx::new(&self.store, &mut writes, info, GasMeter::infinite());
        ctx.set(KEY_CHAIN_ID.to_vec(), req.chain_id.as_bytes().to_vec())?;
        let max_gas = req.consensus_params.as_ref().and_then(|p| p.block.as_ref()).map_or(-1, |b| b.max_gas);
        ctx.set(KEY_MAX_GAS.to_vec(), max_gas.to_be_bytes().to_vec())?;
        let ve_height = req
            .consensus_params
            .as_ref()
            .and_then(|p| p.abci.as_ref())
            .map_or(0, |a| u64::try_from(a.vote_extensions_enable_height).unwrap_or(0));
        ctx.set(KEY_VE_HEIGHT.to_vec(), ve_height.to_be_bytes().to_vec())?;
        let mut validators = self.modules.manager.init_genesis(&mut ctx, &genesis.0)?;
        // Gentxs run through the tx path after every module's genesis; the
        // set they bond is the chain's first (the SDK's genutil).
        if let Some(set) = crate::genutil::deliver_gentxs(&self.modules, &mut ctx, genesis.0.get(crate::genutil::MODULE))? {
            if !validators.is_empty() {
                return Err(Error::Genesis(
                    "genutil.gen_txs: the staking genesis already sets the validators; use one or the other".into(),
                ));
            }
            validators = set;
        }
        ctx.take_events();
        drop(ctx);

        self.store.discard_staged();
        let app_hash = self.store.stage(1, &writes)?;
        *self.chain.write().unwrap_or_else(|p| p.into_inner()) =
            ChainParams { chain_id: req.chain_id.clone(), max_gas, vote_extensions_enable_height: ve_height };
        let mut c = self.consensus.lock().unwrap_or_else(|p| p.into_inner());
        // Txs may reach the mempool before block 1: they see genesis state.
        self.mempool.lock().unwrap_or_else(|p| p.into_inner()).pending = writes.clone();
        c.genesis = Some(writes);
        info!(chain_id = %req.chain_id, app_hash = %hex::encode_upper(app_hash), "genesis initialised");
        Ok(pb::ResponseInitChain { consensus_params: None, validators, app_hash: app_hash.to_vec().into() })
    }

    // ---- Mempool --------------------------------------------------------------

    pub fn check_tx(&self, req: pb::RequestCheckTx) -> pb::ResponseCheckTx {
        let mut m = self.mempool.lock().unwrap_or_else(|p| p.into_inner());
        let last = self.store.last_commit();
        let (time_secs, time_nanos) = self.last_block_time();
        let info = BlockInfo { chain_id: self.chain_id(), height: last.height + 1, time_secs, time_nanos, ..Default::default() };
        if let Some(module) = self.modules.manager.injected_by(&req.tx) {
            let e = Error::InvalidRequest(format!("a {module} transaction is built by the block proposer and cannot be submitted"));
            let (codespace, code) = code_of(&e);
            return pb::ResponseCheckTx { code, codespace, log: e.to_string(), ..Default::default() };
        }
        let mut ctx = Ctx::new(&self.store, &mut m.pending, info, GasMeter::infinite());
        let out = exec::run_tx(&self.modules, &mut ctx, &req.tx, ExecMode::Check, &self.min_gas_prices, None);
        let mut resp = pb::ResponseCheckTx { gas_wanted: out.gas_wanted as i64, gas_used: out.gas_used as i64, ..Default::default() };
        if let Err(e) = &out.result {
            let (codespace, code) = code_of(e);
            resp.code = code;
            resp.codespace = codespace;
            resp.log = e.to_string();
        }
        self.metrics.check_tx(resp.code == 0);
        resp
    }

    // ---- Proposals --------------------------------------------------------------

    /// A read-only context over committed state for proposal and vote hooks.
    fn with_committed_ctx<R>(&self, height: i64, f: impl FnOnce(&mut Ctx) -> R) -> R {
        let mut scratch = ChangeSet::new();
        let (time_secs, time_nanos) = self.last_block_time();
        let info = BlockInfo {
            chain_id: self.chain_id(),
            height: height.max(0) as u64,
            time_secs,
            time_nanos,
            last_app_hash: self.last_app_hash(),
            vote_extensions_enable_height: self.vote_extensions_enable_height(),
            ..Default::default()
        };
        let mut ctx = Ctx::new(&self.store, &mut scratch, info, GasMeter::infinite());
        f(&mut ctx)
    }

    /// The modules' injected txs first, then the mempool's txs that decode,
    /// in order, within the block's byte and gas limits.
    pub fn prepare_proposal(&self, req: pb::RequestPrepareProposal) -> pb::ResponsePrepareProposal {
        let max_gas = self.block_max_gas();
        let mut txs: Vec<Vec<u8>> = self.with_committed_ctx(req.height, |ctx| self.modules.manager.prepare_proposal(ctx, &req));
        let mut bytes: i64 = txs.iter().map(|t| t.len() as i64).sum();
        let mut gas = 0i64;
        for tx in req.txs {
            let Ok(decoded) = decode_tx(&tx) else { continue };
            if bytes + tx.len() as i64 > req.max_tx_bytes {
                continue;
            }
            let g = decoded.gas_limit as i64;
            if max_gas >= 0 && gas + g > max_gas {
                continue;
            }
            bytes += tx.len() as i64;
            gas += g;
            txs.push(tx.to_vec());
        }
        pb::ResponsePrepareProposal { txs: txs.into_iter().map(Into::into).collect() }
    }

    /// Reject a proposal that a correct proposer would not have made.
    pub fn process_proposal(&self, req: pb::RequestProcessProposal) -> pb::ResponseProcessProposal {
        let max_gas = self.block_max_gas();
        let mut gas = 0i64;
        let mut ok = true;
        for tx in &req.txs {
            // Injected txs are the modules' to check, below.
            if self.modules.manager.injected_by(tx).is_some() {
                continue;
            }
            match decode_tx(tx) {
                Ok(d) => gas = gas.saturating_add(d.gas_limit as i64),
                Err(_) => ok = false,
            }
        }
        if max_gas >= 0 && gas > max_gas {
            ok = false;
        }
        if ok && let Err(e) = self.with_committed_ctx(req.height, |ctx| self.modules.manager.process_proposal(ctx, &req)) {
            warn!(height = req.height, error = %e, "module rejected the proposal");
            ok = false;
        }
        let status =
            if ok { pb::response_process_proposal::ProposalStatus::Accept } else { pb::response_process_proposal::ProposalStatus::Reject };
        if !ok {
            warn!(height = req.height, "rejecting proposal");
        }
        pb::ResponseProcessProposal { status: status as i32 }
    }

    pub fn extend_vote(&self, req: pb::RequestExtendVote) -> pb::ResponseExtendVote {
        let ext = self.with_committed_ctx(req.height, |ctx| self.modules.manager.extend_vote(ctx, &req));
        pb::ResponseExtendVote { vote_extension: ext.into() }
    }

    pub fn verify_vote_extension(&self, req: pb::RequestVerifyVoteExtension) -> pb::ResponseVerifyVoteExtension {
        use pb::response_verify_vote_extension::VerifyStatus;
        let verdict = self.with_committed_ctx(req.height, |ctx| self.modules.manager.verify_vote_extension(ctx, &req.vote_extension));
        let status = match verdict {
            Ok(()) => VerifyStatus::Accept,
            Err(e) => {
                warn!(height = req.height, error = %e, "rejecting vote extension");
                VerifyStatus::Reject
            }
        };
        pb::ResponseVerifyVoteExtension { status: status as i32 }
    }

    // ---- FinalizeBlock / Commit ---------------------------------------------------

    pub fn finalize_block(&self, req: pb::RequestFinalizeBlock) -> Result<pb::ResponseFinalizeBlock, Error> {
        let started = std::time::Instant::now();
        let height = u64::try_from(req.height).map_err(|_| Error::InvalidHeight(req.height.to_string()))?;
        let last = self.store.last_commit();
        if height != last.height + 1 {
            return Err(Error::InvalidHeight(format!("finalize height {height} after committed {}", last.height)));
        }
        let mut c = self.consensus.lock().unwrap_or_else(|p| p.into_inner());
        let mut pending = if height == 1 {
            c.genesis.clone().ok_or_else(|| Error::Internal("block 1 without InitChain".into()))?
        } else {
            ChangeSet::new()
        };
        let (time_secs, time_nanos) = req.time.as_ref().map_or((0, 0), |t| (t.seconds, t.nanos.max(0) as u32));
        let chain_id = self.chain_id();
        let info = BlockInfo {
            chain_id: chain_id.clone(),
            height,
            time_secs,
            time_nanos,
            comet: comet_info(&req),
            last_app_hash: self.last_app_hash(),
            vote_extensions_enable_height: self.vote_extensions_enable_height(),
        };

        // Signatures first, in parallel, against committed accounts; applied
        // in block order below (a mismatch just re-verifies inline).
        let t0 = std::time::Instant::now();
        let decoded: Vec<Result<DecodedTx, Error>> = req.txs.iter().map(|t| decode_tx(t)).collect();
        let t1 = std::time::Instant::now();

        // Signature checks run on worker threads, ahead of execution, which
        // consumes their results in block order as they arrive; a missing or
        // mismatched result just means the ante handler verifies inline, so
        // the outcome never depends on thread timing.
        let n = req.txs.len();
        let slots: Vec<OnceLock<Option<PreVerified>>> = (0..n).map(|_| OnceLock::new()).collect();
        let arrived = (Mutex::new(()), Condvar::new());
        let threads = std::thread::available_parallelism().map_or(1, |t| t.get());
        let parallel = n >= 16 && threads > 1;
        let sig_done = Mutex::new(std::time::Duration::ZERO);
        let mut tx_results = Vec::with_capacity(n);
        let mut block_events: Vec<venice_sdk::Event> = Vec::new();
        let mut end_block = venice_sdk::EndBlockUpdates::default();
        std::thread::scope(|scope| -> Result<(), Error> {
            if parallel {
                for w in 0..threads {
                    let (slots, arrived, decoded, chain_id, sig_done) = (&slots, &arrived, &decoded, &chain_id, &sig_done);
                    scope.spawn(move || {
                        // One read-only context per worker, remembering the
                        // committed accounts it read: a sender's later txs
                        // in the block need no store lookup.
                        let mut scratch = ChangeSet::new();
                        let mut ctx = Ctx::new(&self.store, &mut scratch, BlockInfo::default(), GasMeter::infinite());
                        ctx.cache_committed_reads();
                        for i in (w..n).step_by(threads) {
                            let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                                self.preverify_one(&mut ctx, &decoded[i], chain_id)
                            }))
                            .unwrap_or(None);
                            let _ = slots[i].set(r);
                            let _guard = arrived.0.lock().unwrap_or_else(|p| p.into_inner());
                            arrived.1.notify_all();
                        }
                        let mut d = sig_done.lock().unwrap_or_else(|p| p.into_inner());
                        *d = (*d).max(t1.elapsed());
                    });
                }
            }
            let pre_of = |i: usize| -> Option<&PreVerified> {
                if !parallel {
                    return None;
                }
                let mut guard = arrived.0.lock().unwrap_or_else(|p| p.into_inner());
                loop {
                    if let Some(r) = slots[i].get() {
                        return r.as_ref();
                    }
                    guard = arrived.1.wait(guard).unwrap_or_else(|p| p.into_inner());
                }
            };
            let mut ctx = Ctx::new(&self.store, &mut pending, info, GasMeter::infinite());
            // Nothing commits while the block runs: every tx re-reads the
            // same params, so keep committed values once read.
            ctx.cache_committed_reads();
            ctx.set(KEY_LAST_TIME.to_vec(), [time_secs.to_be_bytes().as_slice(), &time_nanos.to_be_bytes()].concat())?;
            // x/upgrade's PreBlocker, before everything else: a due plan runs
            // its handler here, or the block stops (upgrades.rs says how).
            if let Some(halt) = self.modules.upgrade.decide(&mut ctx)? {
                tracing::error!("{halt}");
                if let Some(data) = self.store.path().parent()
                    && let Err(e) = crate::upgrades::write_upgrade_info(data, &halt)
                {
                    warn!(error = %e, "writing upgrade-info.json");
                }
                return Err(halt.into());
            }
            for (module, e) in self.modules.manager.begin_block(&mut ctx, &req.txs) {
                warn!(height, module, error = %e, "begin-block hook failed; its writes were rolled back");
            }
            block_events.extend(ctx.take_events().into_iter().map(|e| e.attr("mode", "BeginBlock")));
            for (i, raw) in req.txs.iter().enumerate() {
                ctx.set_gas_meter(GasMeter::infinite());
                ctx.tx = Some(TxInfo { index: i as u32, hash: Sha256::digest(raw).into() });
                // A module's injected tx was applied by its pre-block hook.
                if self.modules.manager.injected_by(raw).is_some() {
                    tx_results.push(pb::ExecTxResult::default());
                    continue;
                }
                // Size limits apply before decoding, then decode errors.
                let out = match (venice_auth::ante::check_tx_size(&mut ctx, raw.len()), &decoded[i]) {
                    (Err(e), _) => TxOutcome { result: Err(e), gas_wanted: 0, gas_used: 0, events: vec![] },
                    (Ok(()), Err(e)) => TxOutcome { result: Err(e.clone()), gas_wanted: 0, gas_used: 0, events: vec![] },
                    (Ok(()), Ok(tx)) => exec::run_decoded(&self.modules, &mut ctx, tx, ExecMode::Deliver, &[], pre_of(i)),
                };
                ctx.take_events();
                tx_results.push(exec_result(out));
            }
            ctx.set_gas_meter(GasMeter::infinite());
            ctx.tx = None;
            let (updates, failures) = self.modules.manager.end_block(&mut ctx);
            for (module, e) in failures {
                warn!(height, module, error = %e, "end-block hook failed; its writes were rolled back");
            }
            block_events.extend(ctx.take_events().into_iter().map(|e| e.attr("mode", "EndBlock")));
            end_block = updates;
            Ok(())
        })?;
        let t2 = t1 + *sig_done.lock().unwrap_or_else(|p| p.into_inner());
        let t3 = std::time::Instant::now();
        let app_hash = self.store.stage(height, &pending)?;
        let timings = BlockTimings { decode: t1 - t0, signatures: t2 - t1, execute: t3 - t1, stage: t3.elapsed() };
        tracing::debug!(height, txs = req.txs.len(), ?timings, "block finalized");
        *self.timings.lock().unwrap_or_else(|p| p.into_inner()) = timings;
        c.pending = pending;
        c.finalized = Some(height);
        for r in &tx_results {
            self.metrics.tx_result(&r.codespace, r.code);
        }
        self.metrics.finalize_block.observe(started.elapsed());
        Ok(pb::ResponseFinalizeBlock {
            events: block_events.iter().map(|e| e.to_abci()).collect(),
            tx_results,
            validator_updates: end_block.validators,
            consensus_param_updates: end_block.consensus_params,
            app_hash: app_hash.to_vec().into(),
        })
    }

    /// Check one tx's signatures against committed accounts (read-only, so
    /// it can run beside execution). `ctx` only reads: committed state,
    /// nothing written.
    fn preverify_one(&self, ctx: &mut Ctx, tx: &Result<DecodedTx, Error>, chain_id: &str) -> Option<PreVerified> {
        let tx = tx.as_ref().ok()?;
        let signers = self.modules.manager.signers(tx.messages()).ok()?;
        let accounts = venice_auth::ante::signer_accounts(ctx, &signers);
        Some(venice_auth::ante::preverify(tx, &signers, &accounts, chain_id))
    }

    pub fn commit(&self) -> Result<pb::ResponseCommit, Error> {
        let started = std::time::Instant::now();
        let mut c = self.consensus.lock().unwrap_or_else(|p| p.into_inner());
        let height = c.finalized.take().ok_or(Error::Internal("Commit without FinalizeBlock".into()))?;
        let info = self.store.commit()?;
        debug_assert_eq!(info.height, height);
        c.pending.clear();
        c.genesis = None;
        // The mempool's view restarts from the new committed state.
        self.mempool.lock().unwrap_or_else(|p| p.into_inner()).pending.clear();
        self.metrics.commit.observe(started.elapsed());
        if let Some(s) = &self.snapshots {
            s.on_commit(&self.store, info.height);
        }
        if let Some(tx) = self.commits.get() {
            tx.send_replace(info.height);
        }
        Ok(pb::ResponseCommit { retain_height: 0 })
    }

    /// The last committed height, updated after each Commit (never blocks it).
    pub fn subscribe_commits(&self) -> tokio::sync::watch::Receiver<u64> {
        self.commits.get_or_init(|| tokio::sync::watch::channel(self.store.last_commit().height).0).subscribe()
    }

    pub fn last_block_timings(&self) -> BlockTimings {
        *self.timings.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Stop taking consensus and mempool calls: wait for any block being
    /// committed, then hold the locks until the process exits.
    pub fn shutdown(&self) {
        std::mem::forget(self.consensus.lock().unwrap_or_else(|p| p.into_inner()));
        std::mem::forget(self.mempool.lock().unwrap_or_else(|p| p.into_inner()));
    }

    /// Simulate a tx on the last committed state (gas estimation).
    pub fn simulate(&self, tx_bytes: &[u8]) -> TxOutcome {
        let last = self.store.last_commit();
        let (time_secs, time_nanos) = self.last_block_time();
        let info = BlockInfo { chain_id: self.chain_id(), height: last.height + 1, time_secs, time_nanos, ..Default::default() };
        let mut scratch = ChangeSet::new();
        let mut ctx = Ctx::new(&self.store, &mut scratch, info, GasMeter::infinite());
        exec::run_tx(&self.modules, &mut ctx, tx_bytes, ExecMode::Simulate, &[], None)
    }
}

/// What FinalizeBlock tells the modules of consensus: the proposer, the
/// last commit's signers and the evidence in this block.
fn comet_info(req: &pb::RequestFinalizeBlock) -> CometInfo {
    let votes = req.decided_last_commit.as_ref().map_or_else(Vec::new, |c| {
        c.votes
            .iter()
            .filter_map(|v| {
                let val = v.validator.as_ref()?;
                // BlockIDFlagAbsent = 1, BlockIDFlagCommit = 2, BlockIDFlagNil = 3.
                Some(VoteInfo {
                    address: val.address.to_vec(),
                    power: val.power,
                    signed: v.block_id_flag == 2,
                    absent: v.block_id_flag != 2 && v.block_id_flag != 3,
                })
            })
            .collect()
    });
    let misbehavior = req
        .misbehavior
        .iter()
        .filter_map(|m| {
            let val = m.validator.as_ref()?;
            let kind = match m.r#type {
                1 => MisbehaviorKind::DuplicateVote,
                2 => MisbehaviorKind::LightClientAttack,
                _ => MisbehaviorKind::Unknown,
            };
            let (time_secs, time_nanos) = m.time.as_ref().map_or((0, 0), |t| (t.seconds, t.nanos.max(0) as u32));
            Some(Misbehavior {
                kind,
                address: val.address.to_vec(),
                power: val.power,
                height: m.height,
                time_secs,
                time_nanos,
                total_voting_power: m.total_voting_power,
            })
        })
        .collect();
    CometInfo { proposer: req.proposer_address.to_vec(), votes, misbehavior }
}

/// An outcome as CometBFT's `ExecTxResult`.
pub fn exec_result(out: TxOutcome) -> pb::ExecTxResult {
    let mut r = pb::ExecTxResult {
        gas_wanted: out.gas_wanted as i64,
        gas_used: out.gas_used as i64,
        events: out.events.iter().map(|e| e.to_abci()).collect(),
        ..Default::default()
    };
    match out.result {
        Ok(data) => r.data = data.into(),
        Err(e) => {
            let (codespace, code) = code_of(&e);
            r.code = code;
            r.codespace = codespace;
            r.log = e.to_string();
        }
    }
    r
}
