//! The execution engine: session cache (LRU by memory), input checks against
//! the model's schema, a fixed number of run slots with a bounded queue of
//! runs waiting for one, per-request deadlines, quantisation and hashing.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use ort::session::{RunOptions, Session, SessionInputValue};
use ort::value::ValueType;
use tokio::sync::{OwnedSemaphorePermit, Semaphore, TryAcquireError, oneshot};
use tracing::{info, warn};
use venice_model_types::QuantRule;
use venice_model_types::quant::{ElemType, OutputTensor, QuantizedTensor, quantize_and_hash, validate_rule};

// The gauges are the metrics' type (engine depends on metrics, not back);
// named here too, where they always were.
pub use crate::metrics::Gauges;
use crate::metrics::Metrics;
use crate::runtime::{self, Provider, SessionConfig, SessionFactory};
use crate::store::{ModelStore, check_model_id};
use crate::tensor::{self, HostTensor, ToOrt};
use crate::transport::{BusyPoll, Held};
use crate::watchdog::Watchdog;
use crate::SidecarError;

/// Runs predicted to take at most this long execute on the async thread that
/// received them (see `Engine::execute`); longer ones are handed off.
const INLINE_MAX_MICROS: u64 = 5_000;

/// An inline run that outlasts this (the prediction was wrong) is stopped and
/// run again on a worker, so the I/O thread is never held longer.
const INLINE_OVERSTAY: Duration = Duration::from_millis(25);

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

/// A model ready to run, with a pool of sessions (one per concurrent run,
/// created on demand: `Session::run` needs `&mut`).
pub struct LoadedModel {
    pub sha256: String,
    pub name: Option<String>,
    pub size: u64,
    pub provider: Provider,
    pub inputs: Vec<TensorSpec>,
    pub outputs: Vec<TensorSpec>,
    bytes: Vec<u8>,
    idle: Mutex<Vec<Session>>,
    sessions: AtomicUsize,
    /// Duration of the latest run (µs; `u64::MAX` before the first), which
    /// predicts the next one's closely enough to pick where it runs.
    last_run_micros: AtomicU64,
}

impl LoadedModel {
    /// Approximate memory held: the bytes plus a copy of the weights per session.
    fn cost(&self) -> u64 {
        self.size * (1 + self.sessions.load(Ordering::Relaxed) as u64)
    }

    fn checkout(&self, factory: &SessionFactory) -> Result<Session, SidecarError> {
        if let Some(s) = self.idle.lock().unwrap_or_else(|e| e.into_inner()).pop() {
            return Ok(s);
        }
        let (s, _, _) = factory.build(&self.bytes)?;
        self.sessions.fetch_add(1, Ordering::Relaxed);
        Ok(s)
    }

    fn checkin(&self, s: Session) {
        self.idle.lock().unwrap_or_else(|e| e.into_inner()).push(s);
    }
}

fn specs(outlets: &[ort::value::Outlet], what: &str, sha: &str) -> Result<Vec<TensorSpec>, SidecarError> {
    outlets
        .iter()
        .map(|o| {
            let bad = |reason: String| SidecarError::BadModel { model: sha.into(), reason: format!("{what} `{}` {reason}", o.name()) };
            match o.dtype() {
                ValueType::Tensor { ty, shape, .. } => Ok(TensorSpec {
                    name: o.name().into(),
                    dtype: tensor::elem_type(*ty).ok_or_else(|| bad(format!("has unsupported element type {ty:?}")))?,
                    shape: shape.iter().copied().collect(),
                }),
                other => Err(bad(format!("is a {other:?}, not a tensor"))),
            }
        })
        .collect()
}

/// LRU of loaded models, bounded by [`LoadedModel::cost`].
struct Cache {
    entries: Vec<(Arc<LoadedModel>, u64)>,
    tick: u64,
    limit: u64,
}

impl Cache {
    fn get(&mut self, sha: &str) -> Option<Arc<LoadedModel>> {
        self.tick += 1;
        let tick = self.tick;
        self.entries.iter_mut().find(|(m, _)| m.sha256 == sha).map(|e| {
            e.1 = tick;
            e.0.clone()
        })
    }

    fn insert(&mut self, m: Arc<LoadedModel>) {
        self.tick += 1;
        self.entries.retain(|(e, _)| e.sha256 != m.sha256);
        self.entries.push((m, self.tick));
        self.evict();
    }

    fn evict(&mut self) {
        // Never the newest: a model larger than the budget still runs.
        while self.entries.len() > 1 && self.entries.iter().map(|(m, _)| m.cost()).sum::<u64>() > self.limit {
            let (i, _) = self.entries[..self.entries.len() - 1]
                .iter()
                .enumerate()
                .min_by_key(|(_, (_, t))| *t)
                .expect("non-empty");
            let (m, _) = self.entries.remove(i);
            info!(model = %m.sha256, "model evicted from the session cache");
        }
    }
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

struct Executed {
    outputs: Vec<OutputTensor>,
    quantized: Vec<QuantizedTensor>,
    hash: [u8; 32],
    queue: Duration,
    run: Duration,
}

struct Job {
    model: Arc<LoadedModel>,
    inputs: Vec<HostTensor>,
    rule: QuantRule,
    deadline: Instant,
    budget_ms: u64,
    /// Time spent waiting for a run slot.
    queue: Duration,
}

/// A job handed to a worker thread, with its run slot and the way back.
struct Handoff {
    job: Job,
    permit: OwnedSemaphorePermit,
    reply: oneshot::Sender<Result<Executed, SidecarError>>,
    /// Keeps the I/O thread from busy polling while the worker runs; dropped
    /// after the reply, it ends a poll in progress.
    held: Option<Held>,
}

/// Counts something (a waiting or a running run) while it lives.
struct Counted<'a> {
    counter: &'a AtomicUsize,
    /// The count before this one.
    before: usize,
}

impl<'a> Counted<'a> {
    fn new(counter: &'a AtomicUsize) -> Self {
        Counted { counter, before: counter.fetch_add(1, Ordering::SeqCst) }
    }
}

impl Drop for Counted<'_> {
    fn drop(&mut self) {
        self.counter.fetch_sub(1, Ordering::SeqCst);
    }
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
        tokio::runtime::Handle::try_current()
            .map_err(|_| SidecarError::Runtime("Engine::new needs a tokio runtime".into()))?;
        let (env, ort_path, ort_version) = runtime::environment(cfg.ort_lib.as_deref(), cfg.session.gpu)?;
        let factory = SessionFactory::new(env, cfg.session.clone());
        let store = ModelStore::open(&cfg.model_dir, cfg.max_model_bytes)?;
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
            Some(why) => warn!(model = sha, name = %label, provider = "cpu", "model loaded; runs on cpu: CUDA provider unavailable ({why})"),
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
        let permit = match self.inner.slots.clone().try_acquire_owned() {
            Ok(p) => p,
            Err(TryAcquireError::Closed) => return Err(SidecarError::ShuttingDown),
            Err(TryAcquireError::NoPermits) => {
                let waiting = Counted::new(&self.inner.queued);
                if waiting.before >= cfg.queue_capacity {
                    return Err(SidecarError::QueueFull(cfg.queue_capacity));
                }
                match tokio::time::timeout_at(deadline.into(), self.inner.slots.clone().acquire_owned()).await {
                    Ok(Ok(p)) => p,
                    Ok(Err(_)) => return Err(SidecarError::ShuttingDown),
                    Err(_) => return Err(SidecarError::Deadline(budget_ms)),
                }
            }
        };
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

    /// Runs `job` while holding `permit`: on the calling thread when the
    /// engine is otherwise idle and the model's last run was short. That
    /// skips the hand-off to a worker and back, i.e. waking two sleeping
    /// threads (tens of µs on a small VM), with the request's data still in
    /// cache. Should the run outlast [`INLINE_OVERSTAY`] after all, it is
    /// stopped and run again on a worker (runs have no side effects), so the
    /// I/O thread is held that long at most. Otherwise a worker thread runs
    /// it, which keeps the I/O thread free under load; the reply is then
    /// awaited with a bound past the deadline, for a kernel that ignores
    /// ONNX Runtime's terminate flag. The watchdog stops both kinds of run.
    async fn execute(&self, job: Job, permit: OwnedSemaphorePermit) -> Result<Executed, SidecarError> {
        let inner = &self.inner;
        let alone = inner.queued.load(Ordering::SeqCst) == 0 && inner.running.load(Ordering::SeqCst) == 0;
        if alone && job.model.last_run_micros.load(Ordering::Relaxed) <= INLINE_MAX_MICROS {
            // A task this one woke (e.g. its connection, to send a window
            // update) may be queued behind it on this thread: let it run
            // before this thread blocks.
            tokio::task::yield_now().await;
            let inline = Counted::new(&inner.inline);
            if inline.before == 0 {
                let stop_at = (Instant::now() + INLINE_OVERSTAY).min(job.deadline);
                let r = {
                    let _running = Counted::new(&inner.running);
                    execute(inner, &job, stop_at)
                };
                let overstayed = r.is_err() && stop_at < job.deadline && Instant::now() >= stop_at;
                if !overstayed {
                    drop(permit);
                    return r;
                }
                inner.metrics.error("inline_overstay");
            }
        }
        let (deadline, budget_ms) = (job.deadline, job.budget_ms);
        let (reply, rx) = oneshot::channel();
        {
            let tx = inner.tx.lock().unwrap_or_else(|e| e.into_inner());
            let Some(tx) = tx.as_ref() else { return Err(SidecarError::ShuttingDown) };
            let held = inner.busy.as_ref().map(|b| b.hold());
            tx.send(Handoff { job, permit, reply, held }).map_err(|_| SidecarError::ShuttingDown)?;
        }
        let grace = Duration::from_millis(50);
        match tokio::time::timeout_at((deadline + grace).into(), rx).await {
            Ok(Ok(r)) => r,
            Ok(Err(_)) => Err(SidecarError::Runtime("worker dropped the request".into())),
            Err(_) => Err(SidecarError::Deadline(budget_ms)),
        }
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

/// Checks inputs against the model's schema; every error names the input.
pub fn check_inputs(spec: &[TensorSpec], inputs: &[HostTensor], max_bytes: usize) -> Result<(), SidecarError> {
    let total: usize = inputs.iter().map(|t| t.data.len()).sum();
    if total > max_bytes {
        return Err(SidecarError::InputTooLarge { size: total, limit: max_bytes });
    }
    let names = || spec.iter().map(|s| s.name.as_str()).collect::<Vec<_>>().join(", ");
    for (i, t) in inputs.iter().enumerate() {
        if inputs[..i].iter().any(|o| o.name == t.name) {
            return Err(SidecarError::input(&t.name, "given more than once"));
        }
        if !spec.iter().any(|s| s.name == t.name) {
            return Err(SidecarError::input(&t.name, format!("the model has no such input (inputs: {})", names())));
        }
    }
    for s in spec {
        let t = inputs
            .iter()
            .find(|t| t.name == s.name)
            .ok_or_else(|| SidecarError::input(&s.name, format!("missing (the model needs {})", names())))?;
        if t.dtype != s.dtype {
            return Err(SidecarError::input(&s.name, format!("dtype {} but the model expects {}", t.dtype.name(), s.dtype.name())));
        }
        if t.shape.len() != s.shape.len() {
            return Err(SidecarError::input(
                &s.name,
                format!("shape {:?} has rank {} but the model expects rank {} ({:?})", t.shape, t.shape.len(), s.shape.len(), s.shape),
            ));
        }
        for (axis, (&got, &want)) in t.shape.iter().zip(&s.shape).enumerate() {
            if got <= 0 {
                return Err(SidecarError::input(&s.name, format!("shape {:?}: dimension {axis} is {got}; empty tensors are refused", t.shape)));
            }
            if want >= 0 && got != want {
                return Err(SidecarError::input(
                    &s.name,
                    format!("shape {:?}: dimension {axis} is {got} but the model expects {want} ({:?})", t.shape, s.shape),
                ));
            }
        }
        let count = t.element_count().ok_or_else(|| SidecarError::input(&s.name, "shape overflows"))?;
        let need = count.checked_mul(t.dtype.size()).ok_or_else(|| SidecarError::input(&s.name, "shape overflows"))?;
        if t.data.len() != need {
            return Err(SidecarError::input(
                &s.name,
                format!("{} bytes of data but shape {:?} of {} needs {need}", t.data.len(), t.shape, t.dtype.name()),
            ));
        }
        t.check_finite()?;
    }
    Ok(())
}

fn worker(inner: &Inner, rx: &Mutex<Receiver<Handoff>>) {
    loop {
        let next = rx.lock().unwrap_or_else(|e| e.into_inner()).recv();
        let Ok(Handoff { job, permit, reply, held }) = next else { return };
        if reply.is_closed() {
            continue; // the caller gave up already
        }
        let result = {
            let _running = Counted::new(&inner.running);
            if Instant::now() >= job.deadline { Err(SidecarError::Deadline(job.budget_ms)) } else { execute(inner, &job, job.deadline) }
        };
        drop(permit);
        let _ = reply.send(result);
        drop(held);
    }
}

/// Runs `job`, stopping it at `stop_at` (its deadline, or earlier).
fn execute(inner: &Inner, job: &Job, stop_at: Instant) -> Result<Executed, SidecarError> {
    let queue = job.queue;
    let mut session = job.model.checkout(&inner.factory)?;
    let result = run_session(inner, job, &mut session, stop_at);
    job.model.checkin(session);
    let (outputs, run) = result?;
    let (quantized, hash) = quantize_and_hash(&job.rule, &outputs)?;
    Ok(Executed { outputs, quantized, hash, queue, run })
}

fn run_session(inner: &Inner, job: &Job, session: &mut Session, stop_at: Instant) -> Result<(Vec<OutputTensor>, Duration), SidecarError> {
    let inputs = job
        .inputs
        .iter()
        .map(|t| Ok((t.name.clone(), t.to_ort()?)))
        .collect::<Result<Vec<(String, SessionInputValue<'static>)>, SidecarError>>()?;
    let options = Arc::new(RunOptions::new()?);
    let watch = inner.watchdog.watch(stop_at, options.clone());
    let started = Instant::now();
    let result = session.run_with_options(inputs, &*options);
    let run = started.elapsed();
    drop(watch);
    job.model.last_run_micros.store(u64::try_from(run.as_micros()).unwrap_or(u64::MAX), Ordering::Relaxed);
    let outputs = match result {
        Ok(o) => o,
        Err(_) if Instant::now() >= job.deadline => return Err(SidecarError::Deadline(job.budget_ms)),
        Err(e) => return Err(SidecarError::Runtime(e.to_string())),
    };
    let mut out = Vec::with_capacity(job.model.outputs.len());
    for spec in &job.model.outputs {
        let v = outputs
            .get(spec.name.as_str())
            .ok_or_else(|| SidecarError::Output { name: spec.name.clone(), reason: "missing from the run's results".into() })?;
        out.push(tensor::extract(&spec.name, v)?);
    }
    Ok((out, run))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> Vec<TensorSpec> {
        vec![TensorSpec { name: "input".into(), dtype: ElemType::Float32, shape: vec![-1, 4] }]
    }

    fn t(name: &str, dtype: ElemType, shape: Vec<i64>, n: usize) -> HostTensor {
        HostTensor { name: name.into(), dtype, shape, data: vec![0; n * dtype.size()] }
    }

    #[test]
    fn schema_checks_name_the_input() {
        let s = spec();
        assert!(check_inputs(&s, &[t("input", ElemType::Float32, vec![2, 4], 8)], 1 << 20).is_ok());
        let err = |inputs: &[HostTensor]| check_inputs(&s, inputs, 1 << 20).unwrap_err().to_string();
        assert_eq!(err(&[t("x", ElemType::Float32, vec![1, 4], 4)]), "input `x`: the model has no such input (inputs: input)");
        assert_eq!(err(&[]), "input `input`: missing (the model needs input)");
        assert!(err(&[t("input", ElemType::Int64, vec![1, 4], 4)]).contains("dtype int64 but the model expects float32"));
        assert!(err(&[t("input", ElemType::Float32, vec![4], 4)]).contains("rank 1 but the model expects rank 2"));
        assert!(err(&[t("input", ElemType::Float32, vec![1, 5], 5)]).contains("dimension 1 is 5 but the model expects 4"));
        assert!(err(&[t("input", ElemType::Float32, vec![0, 4], 0)]).contains("empty tensors are refused"));
        assert!(err(&[t("input", ElemType::Float32, vec![1, 4], 3)]).contains("12 bytes of data but shape [1, 4] of float32 needs 16"));
        let two = [t("input", ElemType::Float32, vec![1, 4], 4), t("input", ElemType::Float32, vec![1, 4], 4)];
        assert!(err(&two).contains("given more than once"));
        let e = check_inputs(&s, &[t("input", ElemType::Float32, vec![1000, 4], 4000)], 1000).unwrap_err();
        assert!(matches!(e, SidecarError::InputTooLarge { size: 16000, limit: 1000 }));
    }
}
