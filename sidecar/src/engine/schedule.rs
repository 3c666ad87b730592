//! Scheduling: a fixed number of run slots with a bounded queue of runs
//! waiting for one, inline runs on the I/O thread vs hand-off to a worker
//! thread, and the deadline (and inline overstay) that stops a run.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::Receiver;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use ort::session::{RunOptions, Session, SessionInputValue};
use tokio::sync::{OwnedSemaphorePermit, TryAcquireError, oneshot};
use venice_model_types::QuantRule;
use venice_model_types::quant::{OutputTensor, QuantizedTensor, quantize_and_hash};

use super::cache::LoadedModel;
use super::{Engine, Inner};
use crate::SidecarError;
use crate::tensor::{self, HostTensor, ToOrt};
use crate::transport::Held;

/// Runs predicted to take at most this long execute on the async thread that
/// received them (see `Engine::execute`); longer ones are handed off.
const INLINE_MAX_MICROS: u64 = 5_000;

/// An inline run that outlasts this (the prediction was wrong) is stopped and
/// run again on a worker, so the I/O thread is never held longer.
const INLINE_OVERSTAY: Duration = Duration::from_millis(25);

pub(super) struct Executed {
    pub(super) outputs: Vec<OutputTensor>,
    pub(super) quantized: Vec<QuantizedTensor>,
    pub(super) hash: [u8; 32],
    pub(super) queue: Duration,
    pub(super) run: Duration,
}

pub(super) struct Job {
    pub(super) model: Arc<LoadedModel>,
    pub(super) inputs: Vec<HostTensor>,
    pub(super) rule: QuantRule,
    pub(super) deadline: Instant,
    pub(super) budget_ms: u64,
    /// Time spent waiting for a run slot.
    pub(super) queue: Duration,
}

/// A job handed to a worker thread, with its run slot and the way back.
pub(super) struct Handoff {
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

impl Engine {
    /// A run slot: at once if one is free, else after waiting in the queue
    /// (refused when `queue_capacity` runs wait already) until `deadline`.
    pub(super) async fn slot(&self, deadline: Instant, budget_ms: u64) -> Result<OwnedSemaphorePermit, SidecarError> {
        let cfg = &self.inner.cfg;
        Ok(match self.inner.slots.clone().try_acquire_owned() {
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
    pub(super) async fn execute(&self, job: Job, permit: OwnedSemaphorePermit) -> Result<Executed, SidecarError> {
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
}

pub(super) fn worker(inner: &Inner, rx: &Mutex<Receiver<Handoff>>) {
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
