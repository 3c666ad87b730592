//! The session cache: loaded models, each with its pool of ONNX Runtime
//! sessions, kept in an LRU bounded by the memory they hold.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use ort::session::Session;
use ort::value::ValueType;
use tracing::info;

use super::TensorSpec;
use crate::SidecarError;
use crate::runtime::{Provider, SessionFactory};
use crate::tensor;

/// A model ready to run, with a pool of sessions (one per concurrent run,
/// created on demand: `Session::run` needs `&mut`).
pub struct LoadedModel {
    pub sha256: String,
    pub name: Option<String>,
    pub size: u64,
    pub provider: Provider,
    pub inputs: Vec<TensorSpec>,
    pub outputs: Vec<TensorSpec>,
    pub(super) bytes: Vec<u8>,
    pub(super) idle: Mutex<Vec<Session>>,
    pub(super) sessions: AtomicUsize,
    /// Duration of the latest run (µs; `u64::MAX` before the first), which
    /// predicts the next one's closely enough to pick where it runs.
    pub(super) last_run_micros: AtomicU64,
}

impl LoadedModel {
    /// Approximate memory held: the bytes plus a copy of the weights per session.
    fn cost(&self) -> u64 {
        self.size * (1 + self.sessions.load(Ordering::Relaxed) as u64)
    }

    pub(super) fn checkout(&self, factory: &SessionFactory) -> Result<Session, SidecarError> {
        if let Some(s) = self.idle.lock().unwrap_or_else(|e| e.into_inner()).pop() {
            return Ok(s);
        }
        let (s, _, _) = factory.build(&self.bytes)?;
        self.sessions.fetch_add(1, Ordering::Relaxed);
        Ok(s)
    }

    pub(super) fn checkin(&self, s: Session) {
        self.idle.lock().unwrap_or_else(|e| e.into_inner()).push(s);
    }
}

pub(super) fn specs(outlets: &[ort::value::Outlet], what: &str, sha: &str) -> Result<Vec<TensorSpec>, SidecarError> {
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
pub(super) struct Cache {
    pub(super) entries: Vec<(Arc<LoadedModel>, u64)>,
    pub(super) tick: u64,
    pub(super) limit: u64,
}

impl Cache {
    pub(super) fn get(&mut self, sha: &str) -> Option<Arc<LoadedModel>> {
        self.tick += 1;
        let tick = self.tick;
        self.entries.iter_mut().find(|(m, _)| m.sha256 == sha).map(|e| {
            e.1 = tick;
            e.0.clone()
        })
    }

    pub(super) fn insert(&mut self, m: Arc<LoadedModel>) {
        self.tick += 1;
        self.entries.retain(|(e, _)| e.sha256 != m.sha256);
        self.entries.push((m, self.tick));
        self.evict();
    }

    fn evict(&mut self) {
        // Never the newest: a model larger than the budget still runs.
        while self.entries.len() > 1 && self.entries.iter().map(|(m, _)| m.cost()).sum::<u64>() > self.limit {
            let (i, _) = self.entries[..self.entries.len() - 1].iter().enumerate().min_by_key(|(_, (_, t))| *t).expect("non-empty");
            let (m, _) = self.entries.remove(i);
            info!(model = %m.sha256, "model evicted from the session cache");
        }
    }
}
