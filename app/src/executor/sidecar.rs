//! This node's connection to its sidecar: connected lazily (and again after
//! a transport failure), every call under a deadline, models loaded once,
//! each call counted in the node's metrics.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tonic::transport::Channel;
use tracing::{info, warn};
use venice_sidecar_client::pb::{self, sidecar_client::SidecarClient};
use venice_sidecar_client::{client, rules};

use super::outcome::Job;
use crate::config::InferenceConfig;
use crate::metrics::Metrics;

pub struct Sidecar {
    addr: String,
    run_timeout: Duration,
    load_timeout: Duration,
    client: tokio::sync::Mutex<Option<SidecarClient<Channel>>>,
    /// Models this sidecar has loaded (from their URI, hash verified).
    loaded: std::sync::Mutex<BTreeSet<String>>,
    /// Whether the last connection attempt failed (log the change only).
    down: std::sync::atomic::AtomicBool,
    metrics: Arc<dyn Fn(&'static str, bool, Duration) + Send + Sync>,
}

impl Sidecar {
    pub fn new(cfg: &InferenceConfig, metrics: Arc<dyn Fn(&'static str, bool, Duration) + Send + Sync>) -> Self {
        Sidecar {
            addr: cfg.sidecar_address.clone(),
            run_timeout: Duration::from_millis(cfg.run_timeout_ms),
            load_timeout: Duration::from_millis(cfg.load_timeout_ms),
            client: tokio::sync::Mutex::new(None),
            loaded: Default::default(),
            down: Default::default(),
            metrics,
        }
    }

    /// Counts calls in `Metrics` (`veniced_sidecar_*`).
    pub fn metrics_of(app: &Arc<crate::App>) -> Arc<dyn Fn(&'static str, bool, Duration) + Send + Sync> {
        let app = app.clone();
        Arc::new(move |call, ok, d| Metrics::sidecar_call(&app.metrics, call, ok, d))
    }

    async fn client(&self) -> Result<SidecarClient<Channel>, String> {
        let mut slot = self.client.lock().await;
        if let Some(c) = slot.as_ref() {
            return Ok(c.clone());
        }
        let started = Instant::now();
        let res = match tokio::time::timeout(self.load_timeout, client::connect(&self.addr)).await {
            Ok(Ok(c)) => Ok(c),
            Ok(Err(e)) => Err(e.to_string()),
            Err(_) => Err(format!("connecting to {} took over {:?}", self.addr, self.load_timeout)),
        };
        (self.metrics)("connect", res.is_ok(), started.elapsed());
        match res {
            Ok(c) => {
                if self.down.swap(false, std::sync::atomic::Ordering::Relaxed) {
                    info!(addr = %self.addr, "inference sidecar reachable again");
                }
                *slot = Some(c.clone());
                Ok(c)
            }
            Err(e) => {
                if !self.down.swap(true, std::sync::atomic::Ordering::Relaxed) {
                    warn!(addr = %self.addr, error = %e, "inference sidecar unreachable: this validator has no results until it is up");
                }
                Err(e)
            }
        }
    }

    /// A failed call may mean a dead connection: the next call reconnects,
    /// and loads models again (the sidecar may have restarted).
    async fn forget(&self) {
        *self.client.lock().await = None;
        self.loaded.lock().unwrap_or_else(|p| p.into_inner()).clear();
    }

    /// `LoadModel` (fetch by URI, verify the sha256) unless done already.
    async fn ensure_loaded(&self, c: &mut SidecarClient<Channel>, job: &Job) -> Result<(), String> {
        if self.loaded.lock().unwrap_or_else(|p| p.into_inner()).contains(&job.model) {
            return Ok(());
        }
        let req = pb::LoadModelRequest { model: job.model.clone(), uri: job.uri.clone(), rule: Some(rules::to_pb(&job.rule)) };
        let mut req = tonic::Request::new(req);
        req.set_timeout(self.load_timeout);
        let started = Instant::now();
        let res = tokio::time::timeout(self.load_timeout + Duration::from_millis(100), c.load_model(req)).await;
        let res = match res {
            Ok(Ok(_)) => Ok(()),
            Ok(Err(s)) => Err(format!("LoadModel {} from {:?}: {:?}: {}", job.model, job.uri, s.code(), s.message())),
            Err(_) => Err(format!("LoadModel {} took over {:?}", job.model, self.load_timeout)),
        };
        (self.metrics)("load_model", res.is_ok(), started.elapsed());
        if res.is_ok() {
            self.loaded.lock().unwrap_or_else(|p| p.into_inner()).insert(job.model.clone());
        }
        res
    }

    /// Load the job's model if needed, then `Run` it under the deadline.
    pub async fn run(&self, job: &Job) -> Result<pb::RunResponse, String> {
        let mut c = self.client().await?;
        self.ensure_loaded(&mut c, job).await?;
        let timeout_ms = u64::try_from(self.run_timeout.as_millis()).unwrap_or(u64::MAX);
        let req = pb::RunRequest { model: job.model.clone(), inputs: job.inputs.clone(), timeout_ms, rule: Some(rules::to_pb(&job.rule)) };
        let mut req = tonic::Request::new(req);
        req.set_timeout(self.run_timeout);
        let started = Instant::now();
        // A little beyond the sidecar's own deadline: it answers
        // DEADLINE_EXCEEDED itself when it can.
        let res = tokio::time::timeout(self.run_timeout + Duration::from_millis(100), c.run(req)).await;
        let res = match res {
            Ok(Ok(r)) => Ok(r.into_inner()),
            Ok(Err(s)) => Err((s.code(), format!("Run: {:?}: {}", s.code(), s.message()))),
            Err(_) => Err((tonic::Code::DeadlineExceeded, format!("Run took over {:?}", self.run_timeout))),
        };
        (self.metrics)("run", res.is_ok(), started.elapsed());
        match res {
            Ok(r) => Ok(r),
            Err((code, e)) => {
                match code {
                    // The sidecar lost the model (restarted, evicted it).
                    tonic::Code::NotFound => {
                        self.loaded.lock().unwrap_or_else(|p| p.into_inner()).remove(&job.model);
                    }
                    // Maybe a dead connection.
                    tonic::Code::Unavailable | tonic::Code::Unknown | tonic::Code::Internal => self.forget().await,
                    _ => {}
                }
                Err(e)
            }
        }
    }
}
