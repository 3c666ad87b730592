//! The inference executor `veniced` runs beside its sidecar: node-local,
//! outside consensus. After each commit it reads, from committed state, the
//! tasks assigned to this validator, has the sidecar load each task's model
//! (fetched by the listing's URI, checked against its sha256) and run it on
//! the task's input (inline, or a data credential's dataset it fetches),
//! and keeps the canonical outputs it gets back for `ExtendVote`
//! ([`LocalResults`]). A missing, slow or failing sidecar never holds up a
//! block: every call has a deadline, runs happen on the executor's own
//! thread, and a task that fails simply has no result from this node.

mod fetch;
mod outcome;
mod sidecar;
mod store;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::{Context, Result};
use sha2::{Digest, Sha256};
use tracing::{debug, info, warn};
use venice_inference::Inference;
use venice_inference::local::{Assignment, LocalResults};
use venice_sdk::{BlockInfo, Ctx};
use venice_store::ChangeSet;
use venice_types::inference::TaskResult;

pub use outcome::{DatasetInput, Job, job, task_result, with_input};
pub use sidecar::Sidecar;
pub use store::ResultStore;

use crate::App;
use crate::config::InferenceConfig;

/// Results kept at most (each at most its task's `max_output_bytes`).
const MAX_RESULTS: usize = 8192;
/// Tries per task (one per commit at most) before this node gives up on it.
const MAX_ATTEMPTS: u32 = 3;

/// The consensus address of `home`'s validator key
/// (`config/priv_validator_key.json`): the first 20 bytes of the sha256 of
/// its ed25519 public key, as CometBFT derives it.
pub fn consensus_address(home: &Path) -> Result<Vec<u8>> {
    let key = crate::gentx::consensus_key(home)?.ed25519_bytes().context("priv_validator_key.json")?;
    Ok(consensus_address_of(&key))
}

pub fn consensus_address_of(ed25519_pubkey: &[u8]) -> Vec<u8> {
    Sha256::digest(ed25519_pubkey)[..20].to_vec()
}

/// What one commit tells the executor: new assignments, and for each task
/// it knows whether the chain still wants this validator's result.
type Reading = (Vec<Assignment>, Vec<(u64, bool)>);

/// A task this node will (re)try.
struct Pending {
    assignment: Assignment,
    attempts: u32,
    running: bool,
}

struct Shared {
    consensus_address: Vec<u8>,
    results: Mutex<ResultStore>,
    pending: Mutex<BTreeMap<u64, Pending>>,
    /// The last height whose tasks were picked up (tests wait on it).
    processed: tokio::sync::watch::Sender<u64>,
    /// Runs in flight (tests wait for zero).
    running: tokio::sync::watch::Sender<usize>,
}

/// What `ExtendVote` reads of the executor (`venice_inference::local`).
struct Local(Arc<Shared>);

impl LocalResults for Local {
    fn consensus_address(&self) -> Option<Vec<u8>> {
        Some(self.0.consensus_address.clone())
    }
    fn finished(&self) -> Vec<TaskResult> {
        self.0.results.lock().unwrap_or_else(|p| p.into_inner()).all()
    }
}

/// A running executor (its thread lives as long as the process).
#[derive(Clone)]
pub struct Executor {
    shared: Arc<Shared>,
}

impl Executor {
    /// Starts the executor for validator `consensus_address` on a thread of
    /// its own, and attaches it to the app's inference module.
    pub fn start(app: Arc<App>, consensus_address: Vec<u8>, cfg: InferenceConfig) -> Result<Executor> {
        let inference = app.modules.inference.clone().context("the app has no inference module")?;
        let commits = app.subscribe_commits();
        let shared = Arc::new(Shared {
            consensus_address,
            results: Mutex::new(ResultStore::new(MAX_RESULTS)),
            pending: Mutex::new(BTreeMap::new()),
            processed: tokio::sync::watch::channel(0).0,
            running: tokio::sync::watch::channel(0).0,
        });
        inference.set_local_results(Arc::new(Local(shared.clone())));
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
        let follower = Follower {
            app: app.clone(),
            inference,
            shared: shared.clone(),
            sidecar: Arc::new(sidecar::Sidecar::new(&cfg, sidecar::Sidecar::metrics_of(&app))),
            slots: Arc::new(tokio::sync::Semaphore::new(cfg.max_concurrent_runs.max(1) as usize)),
            next: None,
            outputs_dir: app.store.path().parent().map(|d| d.join(OUTPUTS_DIR)),
            inline_limit: u64::MAX,
            fetch: fetch::Fetcher::new(&cfg).context("the dataset fetcher's HTTP client")?,
        };
        info!(sidecar = %cfg.sidecar_address, consensus_address = %hex::encode_upper(&shared.consensus_address),
              "inference executor started");
        std::thread::Builder::new().name("inference-executor".into()).spawn(move || rt.block_on(follower.follow(commits)))?;
        Ok(Executor { shared })
    }

    /// What `ExtendVote` would be offered now.
    pub fn finished(&self) -> Vec<TaskResult> {
        Local(self.shared.clone()).finished()
    }

    /// Wait until the tasks of `height` were picked up and no run is in
    /// flight; false if that takes over `timeout`.
    pub async fn settle(&self, height: u64, timeout: Duration) -> bool {
        let (mut processed, mut running) = (self.shared.processed.subscribe(), self.shared.running.subscribe());
        tokio::time::timeout(timeout, async {
            let _ = processed.wait_for(|h| *h >= height).await;
            let _ = running.wait_for(|n| *n == 0).await;
        })
        .await
        .is_ok()
    }
}

struct Follower {
    app: Arc<App>,
    inference: Arc<Inference>,
    shared: Arc<Shared>,
    sidecar: Arc<sidecar::Sidecar>,
    slots: Arc<tokio::sync::Semaphore>,
    /// The next height whose assignments to read (`None` before the first).
    next: Option<u64>,
    /// Where outputs too large for a vote extension are written, for
    /// `venice tx inference submit-result` (beside the store).
    outputs_dir: Option<std::path::PathBuf>,
    /// The chain's `max_inline_output_bytes` at the last commit.
    inline_limit: u64,
    /// Fetches datasets within `load_timeout_ms` (as for loading a model)
    /// from `dataset_uri_prefixes`.
    fetch: fetch::Fetcher,
}

/// `DATA/inference-outputs/TASK_ID.out`: canonical outputs over the inline
/// limit, agreed on chain by their hash only.
pub const OUTPUTS_DIR: &str = "inference-outputs";

/// Keep `r`'s output in `dir` (written whole, then renamed into place).
fn keep_output(dir: &std::path::Path, r: &TaskResult) -> std::io::Result<std::path::PathBuf> {
    std::fs::create_dir_all(dir)?;
    let path = dir.join(format!("{}.out", r.task_id));
    let tmp = dir.join(format!(".{}.out.tmp", r.task_id));
    std::fs::write(&tmp, &r.output)?;
    std::fs::rename(&tmp, &path)?;
    Ok(path)
}

/// How often (in heights) the executor looks for kept outputs to delete.
const OUTPUTS_SWEEP_EVERY: u64 = 100;

/// Kept outputs no longer needed: their task is gone from state (pruned
/// after the retention), or its output is stored on chain already.
fn stale_outputs(dir: &std::path::Path, mut needed: impl FnMut(u64) -> bool) -> Vec<std::path::PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    entries
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            let id: u64 = name.strip_suffix(".out")?.parse().ok()?;
            (!needed(id)).then(|| e.path())
        })
        .collect()
}

impl Follower {
    /// Every [`OUTPUTS_SWEEP_EVERY`] heights: delete the kept outputs that
    /// `submit-result` can no longer use or no longer needs.
    fn sweep_outputs(&self, height: u64) {
        let Some(dir) = self.outputs_dir.as_ref().filter(|_| height.is_multiple_of(OUTPUTS_SWEEP_EVERY)) else { return };
        let stale = self.read_committed(height, |ctx, _| {
            stale_outputs(dir, |id| {
                let mut needed = || -> venice_sdk::Result<bool> {
                    let task = venice_inference::state::task(ctx, id)?;
                    let stored = venice_inference::state::result(ctx, id)?.is_some_and(|r| !r.output.is_empty());
                    Ok(task.is_some() && !stored)
                };
                // Unreadable state: keep the file.
                needed().unwrap_or(true)
            })
        });
        for path in stale {
            match std::fs::remove_file(&path) {
                Ok(()) => debug!(path = %path.display(), "kept inference output no longer needed: deleted"),
                Err(e) => warn!(path = %path.display(), error = %e, "deleting a kept inference output"),
            }
        }
    }

    async fn follow(mut self, mut commits: tokio::sync::watch::Receiver<u64>) {
        loop {
            let height = *commits.borrow_and_update();
            if height > 0 {
                self.on_commit(height);
            }
            if commits.changed().await.is_err() {
                return;
            }
        }
    }

    /// Read committed state at `height`: new assignments, and what the chain
    /// still wants of this validator; then start the runs that may start.
    fn on_commit(&mut self, height: u64) {
        let me = self.shared.consensus_address.clone();
        let mut inline_limit = self.inline_limit;
        let read = self.read_committed(height, |ctx, inference| -> venice_sdk::Result<Reading> {
            // On the first commit seen, catch up over the heights whose tasks
            // can still be open (the task timeout).
            let params = venice_inference::state::params(ctx)?;
            let timeout = params.task_timeout_blocks;
            inline_limit = params.max_inline_output_bytes;
            let floor = height.saturating_sub(timeout).max(1);
            let from = self.next.unwrap_or(floor).max(floor);
            let mut new = Vec::new();
            for h in from..=height {
                new.extend(inference.assignments(ctx, h, &me)?);
            }
            let mut known: Vec<u64> = self.shared.results.lock().unwrap_or_else(|p| p.into_inner()).ids();
            known.extend(self.shared.pending.lock().unwrap_or_else(|p| p.into_inner()).keys());
            known.extend(new.iter().map(|a| a.task.id));
            known.sort_unstable();
            known.dedup();
            let wanted = known.into_iter().map(|id| Ok((id, inference.wants_result(ctx, id, &me)?))).collect::<venice_sdk::Result<_>>()?;
            Ok((new, wanted))
        });
        let (new, wanted) = match read {
            Ok(r) => r,
            Err(e) => {
                warn!(height, error = %e, "inference executor: reading committed state");
                return;
            }
        };
        self.next = Some(height + 1);
        self.inline_limit = inline_limit;
        let wanted: BTreeMap<u64, bool> = wanted.into_iter().collect();
        let want = |id: u64| wanted.get(&id).copied().unwrap_or(false);
        self.shared.results.lock().unwrap_or_else(|p| p.into_inner()).retain(want);
        let mut to_start = Vec::new();
        {
            let results = self.shared.results.lock().unwrap_or_else(|p| p.into_inner());
            let mut pending = self.shared.pending.lock().unwrap_or_else(|p| p.into_inner());
            pending.retain(|id, p| want(*id) && !results.contains(*id) && (p.running || p.attempts < MAX_ATTEMPTS));
            for a in new {
                if want(a.task.id) && !results.contains(a.task.id) {
                    pending.entry(a.task.id).or_insert(Pending { assignment: a, attempts: 0, running: false });
                }
            }
            for (id, p) in pending.iter_mut().filter(|(_, p)| !p.running) {
                p.running = true;
                p.attempts += 1;
                to_start.push((*id, p.assignment.clone()));
            }
        }
        if !to_start.is_empty() {
            debug!(height, tasks = to_start.len(), "inference executor: running tasks");
        }
        for (id, a) in to_start {
            self.start_run(id, a);
        }
        self.sweep_outputs(height);
        self.shared.processed.send_replace(height);
    }

    fn read_committed<R>(&self, height: u64, f: impl FnOnce(&mut Ctx, &Inference) -> R) -> R {
        let mut scratch = ChangeSet::new();
        let info = BlockInfo { chain_id: self.app.chain_id(), height, ..Default::default() };
        let mut ctx = Ctx::at_height(&self.app.store, height, &mut scratch, info);
        f(&mut ctx, &self.inference)
    }

    fn start_run(&self, id: u64, a: Assignment) {
        let (shared, sidecar, slots) = (self.shared.clone(), self.sidecar.clone(), self.slots.clone());
        let (outputs_dir, inline_limit, fetch) = (self.outputs_dir.clone(), self.inline_limit, self.fetch.clone());
        shared.running.send_modify(|n| *n += 1);
        tokio::spawn(async move {
            let res = match job(&a.task) {
                Ok(job) => {
                    let _slot = slots.acquire_owned().await;
                    let job = match &job.dataset {
                        None => Ok(job),
                        Some(d) => match fetch.dataset(d).await {
                            Ok(bytes) => with_input(job, &bytes),
                            Err(e) => Err(e),
                        },
                    };
                    match job {
                        Ok(job) => sidecar.run(&job).await.and_then(|resp| task_result(&job, &resp)),
                        Err(e) => Err(e),
                    }
                }
                // Nothing to retry: the task itself cannot run here.
                Err(e) => {
                    if let Some(p) = shared.pending.lock().unwrap_or_else(|p| p.into_inner()).get_mut(&id) {
                        p.attempts = MAX_ATTEMPTS;
                    }
                    Err(e)
                }
            };
            match res {
                Ok(r) => {
                    debug!(task_id = id, output_hash = %hex::encode(&r.output_hash), "inference task finished");
                    if r.output.len() as u64 > inline_limit
                        && let Some(dir) = &outputs_dir
                    {
                        match keep_output(dir, &r) {
                            Ok(path) => info!(task_id = id, path = %path.display(), "output over the inline limit kept for submit-result"),
                            Err(e) => warn!(task_id = id, error = %e, "keeping the output for submit-result"),
                        }
                    }
                    shared.results.lock().unwrap_or_else(|p| p.into_inner()).insert(r);
                    shared.pending.lock().unwrap_or_else(|p| p.into_inner()).remove(&id);
                }
                Err(e) => {
                    warn!(task_id = id, error = %e, "inference task: no result from this validator");
                    if let Some(p) = shared.pending.lock().unwrap_or_else(|p| p.into_inner()).get_mut(&id) {
                        p.running = false;
                    }
                }
            }
            shared.running.send_modify(|n| *n -= 1);
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_outputs_still_needed_are_kept() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["1.out", "2.out", "3.out", ".4.out.tmp", "notes.txt"] {
            std::fs::write(dir.path().join(name), b"x").unwrap();
        }
        let mut stale = stale_outputs(dir.path(), |id| id == 2);
        stale.sort();
        assert_eq!(stale, vec![dir.path().join("1.out"), dir.path().join("3.out")]);
        assert!(stale_outputs(&dir.path().join("missing"), |_| false).is_empty());
    }
}
