//! The execution engine: session cache (LRU by memory), input checks against
//! the model's schema, a fixed number of run slots with a bounded queue of
//! runs waiting for one, per-request deadlines, quantisation and hashing.
//!
//! One concern a file: [`cache`] (loaded models and their sessions),
//! [`inputs`] (schema checks), [`schedule`] (slots, queue, inline or worker,
//! deadlines); this file holds the engine's state and its public face.

mod cache;
mod inputs;
mod schedule;

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc::{Sender, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::Semaphore;
use tracing::{info, warn};
use venice_model_types::QuantRule;
use venice_model_types::quant::{ElemType, OutputTensor, QuantizedTensor, validate_rule};
use venice_sidecar_client::uris::UriAllowlist;

pub use self::cache::LoadedModel;
pub use self::inputs::check_inputs;
// The gauges are the metrics' type (engine depends on metrics, not back);
// named here too, where they always were.
pub use crate::metrics::Gauges;

use self::cache::{Cache, specs};
use self::schedule::{Handoff, Job, worker};
use crate::SidecarError;
use crate::metrics::Metrics;
use crate::runtime::{self, Provider, SessionConfig, SessionFactory};
use crate::store::{ModelStore, check_model_id};
use crate::tensor::HostTensor;
use crate::transport::BusyPoll;
use crate::watchdog::Watchdog;

#[derive(Clone, Debug)]
pub struct EngineConfig {
    pub model_dir: PathBuf,
    /// ONNX Runtime library; `None` = search (see `runtime::library_candidates`).
    pub ort_lib: Option<PathBuf>,
    pub session: SessionConfig,
    /// Runs executing at once (each on its own session).
    pub workers: usize,
    /// Requests that may wait for a run slot; one more is refused.
    pub queue_capacity: usize,
    /// Memory budget of the session cache (model bytes × sessions, roughly).
    pub cache_bytes: u64,
    pub max_model_bytes: u64,
    /// URIs model files may be fetched from (`--fetch-prefix`).
    pub fetch_allowlist: UriAllowlist,
    pub max_input_bytes: usize,
    pub default_timeout: Duration,
    pub max_timeout: Duration,
}

impl EngineConfig {
    pub fn new(model_dir: impl Into<PathBuf>) -> Self {
        EngineConfig {
            model_dir: model_dir.into(),
            ort_lib: None,
            session: SessionConfig { threads: 1, deterministic: true, gpu: false },
            workers: 2,
            queue_capacity: 64,
            cache_bytes: 2 << 30,
            max_model_bytes: 1 << 30,
            fetch_allowlist: UriAllowlist::default(),
            max_input_bytes: 16 << 20,
            default_timeout: Duration::from_secs(10),
            max_timeout: Duration::from_secs(300),
        }
    }
}

/// One input or output of a model; `-1` marks a dynamic dimension.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TensorSpec {
    pub name: String,
    pub dtype: ElemType,
    pub shape: Vec<i64>,
}

pub struct RunRequest {
    pub model: String,
    pub inputs: Vec<HostTensor>,
    /// `None` = the configured default.
    pub timeout: Option<Duration>,
    /// `None` = the rule registered with the model.
    pub rule: Option<QuantRule>,
}

pub struct RunResult {
    pub model: String,
    /// In the model's output order.
    pub outputs: Vec<OutputTensor>,
    pub quantized: Vec<QuantizedTensor>,
    pub rule: QuantRule,
    pub hash: [u8; 32],
    pub provider: Provider,
    pub queue: Duration,
    pub run: Duration,
    pub total: Duration,
}

struct Inner {
    cfg: EngineConfig,
    factory: SessionFactory,
    ort_version: String,
    ort_path: PathBuf,
    store: ModelStore,
    cache: Mutex<Cache>,
    load_lock: tokio::sync::Mutex<()>,
    /// One permit per concurrent run (`workers`).
    slots: Arc<Semaphore>,
    /// Runs executing on an async runtime thread (see `Engine::execute`).
    inline: AtomicUsize,
    /// To the worker threads; `None` once stopped.
    tx: Mutex<Option<Sender<Handoff>>>,
    workers: Mutex<Vec<std::thread::JoinHandle<()>>>,
    queued: AtomicUsize,
    running: AtomicUsize,
    draining: AtomicBool,
    watchdog: Watchdog,
    metrics: Metrics,
    /// The I/O runtime's busy poll, held off while a worker runs.
    busy: Option<Arc<BusyPoll>>,
}

/// Cheap to clone; all clones share one engine.
#[derive(Clone)]
pub struct Engine {
    inner: Arc<Inner>,
}

impl Engine {
    /// Loads ONNX Runtime, opens the store and starts the workers. Call
    /// inside a tokio runtime (models load on its blocking pool).
    pub fn new(cfg: EngineConfig) -> Result<Self, SidecarError> {
        Self::start(cfg, None)
    }

    /// [`new`](Self::new) for a runtime that busy-polls: workers that finish
    /// a run end its poll (the reply reaches it through a channel, not a
    /// socket).
    pub fn start(cfg: EngineConfig, busy: Option<Arc<BusyPoll>>) -> Result<Self, SidecarError> {
        tokio::runtime::Handle::try_current().map_err(|_| SidecarError::Runtime("Engine::new needs a tokio runtime".into()))?;
        let (env, ort_path, ort_version) = runtime::environment(cfg.ort_lib.as_deref(), cfg.session.gpu)?;
        let factory = SessionFactory::new(env, cfg.session.clone());
        let store = ModelStore::open(&cfg.model_dir, cfg.max_model_bytes, cfg.fetch_allowlist.clone())?;
        // Unbounded: the run slots bound what is in it.
        let (tx, rx) = channel::<Handoff>();
        let rx = Arc::new(Mutex::new(rx));
        let inner = Arc::new(Inner {
            cache: Mutex::new(Cache { entries: Vec::new(), tick: 0, limit: cfg.cache_bytes }),
            slots: Arc::new(Semaphore::new(cfg.workers.max(1))),
            inline: AtomicUsize::new(0),
            tx: Mutex::new(Some(tx)),
            workers: Mutex::new(Vec::new()),
            cfg,
            factory,
            ort_version,
            ort_path,
            store,
            load_lock: tokio::sync::Mutex::new(()),
            queued: AtomicUsize::new(0),
            running: AtomicUsize::new(0),
            draining: AtomicBool::new(false),
            watchdog: Watchdog::start()?,
            metrics: Metrics::default(),
            busy,
        });
        let mut handles = Vec::new();
        for i in 0..inner.cfg.workers.max(1) {
            let (inner, rx) = (inner.clone(), rx.clone());
            handles.push(std::thread::Builder::new().name(format!("sidecar-worker-{i}")).spawn(move || worker(&inner, &rx))?);
        }
        *inner.workers.lock().unwrap_or_else(|e| e.into_inner()) = handles;
        info!(
            workers = inner.cfg.workers.max(1),
            queue = inner.cfg.queue_capacity,
            threads = inner.cfg.session.threads,
            deterministic = inner.cfg.session.deterministic,
            gpu = inner.cfg.session.gpu,
            "engine started"
        );
        Ok(Engine { inner })
    }

    pub fn config(&self) -> &EngineConfig {
        &self.inner.cfg
    }

    pub fn metrics(&self) -> &Metrics {
        &self.inner.metrics
    }

    pub fn store(&self) -> &ModelStore {
        &self.inner.store
    }

    pub fn ort_version(&self) -> &str {
        &self.inner.ort_version
    }

    pub fn ort_path(&self) -> &std::path::Path {
        &self.inner.ort_path
    }

    pub fn requested_provider(&self) -> Provider {
        if self.inner.cfg.session.gpu { Provider::Cuda } else { Provider::Cpu }
    }

    pub fn gauges(&self) -> Gauges {
        let cache = self.inner.cache.lock().unwrap_or_else(|e| e.into_inner());
        let mut loaded: Vec<_> = cache.entries.iter().map(|(m, _)| (m.sha256.clone(), m.name.clone(), m.provider)).collect();
        loaded.sort_by(|a, b| a.0.cmp(&b.0));
        Gauges {
            queued: self.inner.queued.load(Ordering::SeqCst),
            running: self.inner.running.load(Ordering::SeqCst),
            loaded,
            draining: self.inner.draining.load(Ordering::SeqCst),
        }
    }

    /// A loaded model, if it is in the session cache.
    pub fn cached(&self, sha: &str) -> Option<Arc<LoadedModel>> {
        self.inner.cache.lock().unwrap_or_else(|e| e.into_inner()).entries.iter().find(|(m, _)| m.sha256 == sha).map(|(m, _)| m.clone())
    }

    /// Fetches (from `uri` or the store), verifies and loads a model, and
    /// registers `rule` for it. Nothing is kept when any step fails.
    pub async fn load(&self, sha: &str, uri: Option<&str>, rule: Option<QuantRule>) -> Result<Arc<LoadedModel>, SidecarError> {
        check_model_id(sha)?;
        if let Some(r) = &rule {
            validate_rule(r)?;
        }
        let _guard = self.inner.load_lock.lock().await;
        let cached = self.inner.cache.lock().unwrap_or_else(|e| e.into_inner()).get(sha);
        let model = match cached {
            Some(m) => m,
            None => self.load_uncached(sha, uri).await?,
        };
        if let Some(r) = rule {
            self.inner.store.register_rule(sha, r);
        }
        Ok(model)
    }

    async fn load_uncached(&self, sha: &str, uri: Option<&str>) -> Result<Arc<LoadedModel>, SidecarError> {
        let (bytes, from_store) = self.inner.store.fetch(sha, uri).await?;
        let factory = self.inner.factory.clone();
        let sha_owned = sha.to_string();
        let built = tokio::task::spawn_blocking(move || {
            let r = factory.build(&bytes);
            (bytes, r)
        })
        .await
        .map_err(|e| SidecarError::Runtime(format!("loader task: {e}")))?;
        let (bytes, result) = built;
        let (session, provider, fallback) =
            result.map_err(|e| SidecarError::BadModel { model: sha_owned.clone(), reason: e.to_string() })?;
        let inputs = specs(session.inputs(), "input", sha)?;
        let outputs = specs(session.outputs(), "output", sha)?;
        if !from_store {
            self.inner.store.keep(sha, &bytes)?;
        }
        let name = self.inner.store.name_of(sha);
        let label = name.clone().unwrap_or_default();
        // One line per model saying where it runs.
        match fallback {
            None => info!(model = sha, name = %label, provider = provider.name(), "model loaded; runs on {}", provider.name()),
            Some(why) => {
                warn!(model = sha, name = %label, provider = "cpu", "model loaded; runs on cpu: CUDA provider unavailable ({why})")
            }
        }
        let model = Arc::new(LoadedModel {
            sha256: sha.into(),
            name,
            size: bytes.len() as u64,
            provider,
            inputs,
            outputs,
            bytes,
            idle: Mutex::new(vec![session]),
            sessions: AtomicUsize::new(1),
            last_run_micros: AtomicU64::new(u64::MAX),
        });
        self.inner.cache.lock().unwrap_or_else(|e| e.into_inner()).insert(model.clone());
        Ok(model)
    }

    async fn model(&self, sha: &str) -> Result<Arc<LoadedModel>, SidecarError> {
        let cached = self.inner.cache.lock().unwrap_or_else(|e| e.into_inner()).get(sha);
        match cached {
            Some(m) => Ok(m),
            None => self.load(sha, None, None).await,
        }
    }

    /// Runs a model: checks, queues (or refuses when full), waits for the
    /// result within the deadline.
    pub async fn run(&self, req: RunRequest) -> Result<RunResult, SidecarError> {
        let received = Instant::now();
        if self.inner.draining.load(Ordering::SeqCst) {
            return Err(SidecarError::ShuttingDown);
        }
        check_model_id(&req.model)?;
        let cfg = &self.inner.cfg;
        let budget = req.timeout.unwrap_or(cfg.default_timeout).min(cfg.max_timeout);
        let deadline = received + budget;
        let budget_ms = budget.as_millis() as u64;
        let model = match tokio::time::timeout_at(deadline.into(), self.model(&req.model)).await {
            Ok(m) => m?,
            Err(_) => return Err(SidecarError::Deadline(budget_ms)),
        };
        let rule = match req.rule {
            Some(r) => r,
            None => self.inner.store.rule_of(&req.model).ok_or_else(|| SidecarError::NoRule(req.model.clone()))?,
        };
        validate_rule(&rule)?;
        check_inputs(&model.inputs, &req.inputs, cfg.max_input_bytes)?;

        let enqueued = Instant::now();
        let permit = self.slot(deadline, budget_ms).await?;
        let queue = enqueued.elapsed();
        if Instant::now() >= deadline {
            return Err(SidecarError::Deadline(budget_ms));
        }
        let job = Job { model: model.clone(), inputs: req.inputs, rule: rule.clone(), deadline, budget_ms, queue };
        let done = self.execute(job, permit).await?;
        let total = received.elapsed();
        let m = &self.inner.metrics;
        m.queue_seconds.observe(done.queue);
        m.exec_seconds.observe(done.run);
        m.run_seconds.observe(total);
        Ok(RunResult {
            model: model.sha256.clone(),
            outputs: done.outputs,
            quantized: done.quantized,
            rule,
            hash: done.hash,
            provider: model.provider,
            queue: done.queue,
            run: done.run,
            total,
        })
    }

    /// Refuses new runs from now on (in-flight ones finish).
    pub fn start_draining(&self) {
        self.inner.draining.store(true, Ordering::SeqCst);
    }

    /// Waits until no run is in flight or waiting, then refuses any more.
    pub async fn shutdown(&self) {
        self.start_draining();
        // The semaphore is fair: all permits come back only after every run
        // already waiting has had its turn.
        let all = u32::try_from(self.inner.cfg.workers.max(1)).unwrap_or(u32::MAX);
        let _ = self.inner.slots.acquire_many(all).await;
        self.inner.slots.close();
        self.inner.tx.lock().unwrap_or_else(|e| e.into_inner()).take();
        let handles: Vec<_> = std::mem::take(&mut *self.inner.workers.lock().unwrap_or_else(|e| e.into_inner()));
        let _ = tokio::task::spawn_blocking(move || {
            for h in handles {
                let _ = h.join();
            }
        })
        .await;
        info!("engine stopped");
    }
}
