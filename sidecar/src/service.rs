//! The `venice.sidecar.v1.Sidecar` gRPC service over the engine.

use std::time::Duration;

use tonic::metadata::MetadataMap;
use tonic::{Request, Response, Status};

use crate::engine::{Engine, LoadedModel, RunRequest, TensorSpec};
use crate::pb::{self, sidecar_server::Sidecar};
use crate::tensor::{HostTensor, encode};
use crate::{SidecarError, rules};

pub struct SidecarService {
    engine: Engine,
}

impl SidecarService {
    pub fn new(engine: Engine) -> Self {
        SidecarService { engine }
    }

    #[allow(clippy::result_large_err)] // tonic's handler signature returns Status by value
    fn record<T>(&self, method: &'static str, r: Result<T, SidecarError>) -> Result<Response<T>, Status> {
        match r {
            Ok(v) => {
                self.engine.metrics().request(method, tonic::Code::Ok);
                Ok(Response::new(v))
            }
            Err(e) => {
                self.engine.metrics().request(method, e.code());
                self.engine.metrics().error(e.kind());
                Err(e.into())
            }
        }
    }

    async fn do_run(&self, req: pb::RunRequest, grpc_timeout: Option<Duration>) -> Result<pb::RunResponse, SidecarError> {
        let inputs = req.inputs.into_iter().map(HostTensor::from_pb).collect::<Result<Vec<_>, _>>()?;
        let field = (req.timeout_ms > 0).then(|| Duration::from_millis(req.timeout_ms));
        let timeout = match (field, grpc_timeout) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        let rule = rules::from_pb_opt(req.rule.as_ref())?;
        let r = self.engine.run(RunRequest { model: req.model, inputs, timeout, rule }).await?;
        Ok(pb::RunResponse {
            model: r.model,
            outputs: r
                .outputs
                .iter()
                .map(|o| pb::Tensor {
                    name: o.name.clone(),
                    dtype: o.values.elem_type().name().into(),
                    shape: o.shape.iter().map(|d| *d as i64).collect(),
                    data: encode(&o.values),
                })
                .collect(),
            rule: Some(rules::to_pb(&r.rule)),
            rule_id: r.rule.id().into(),
            quantized: r.quantized.into_iter().map(rules::quantized_to_pb).collect(),
            output_hash: r.hash.to_vec(),
            provider: r.provider.name().into(),
            timings: Some(pb::Timings {
                queue_micros: r.queue.as_micros() as u64,
                run_micros: r.run.as_micros() as u64,
                total_micros: r.total.as_micros() as u64,
            }),
        })
    }

    fn info(&self, sha: &str, size: u64, name: Option<String>, loaded: Option<&LoadedModel>) -> pb::ModelInfo {
        let spec = |s: &[TensorSpec]| {
            s.iter().map(|t| pb::TensorSpec { name: t.name.clone(), dtype: t.dtype.name().into(), shape: t.shape.clone() }).collect()
        };
        pb::ModelInfo {
            model: sha.into(),
            name: name.unwrap_or_default(),
            size_bytes: size,
            loaded: loaded.is_some(),
            provider: loaded.map(|m| m.provider.name().to_string()).unwrap_or_default(),
            inputs: loaded.map(|m| spec(&m.inputs)).unwrap_or_default(),
            outputs: loaded.map(|m| spec(&m.outputs)).unwrap_or_default(),
            rule: self.engine.store().rule_of(sha).map(|r| rules::to_pb(&r)),
        }
    }
}

/// The `grpc-timeout` header ("100m", "5S"…), which clients set from their
/// deadline.
pub fn grpc_timeout(meta: &MetadataMap) -> Option<Duration> {
    let v = meta.get("grpc-timeout")?.to_str().ok()?;
    let (num, unit) = v.split_at(v.len().checked_sub(1)?);
    let n: u64 = num.parse().ok()?;
    Some(match unit {
        "H" => Duration::from_secs(n.saturating_mul(3600)),
        "M" => Duration::from_secs(n.saturating_mul(60)),
        "S" => Duration::from_secs(n),
        "m" => Duration::from_millis(n),
        "u" => Duration::from_micros(n),
        "n" => Duration::from_nanos(n),
        _ => return None,
    })
}

#[tonic::async_trait]
impl Sidecar for SidecarService {
    async fn run(&self, request: Request<pb::RunRequest>) -> Result<Response<pb::RunResponse>, Status> {
        let t = grpc_timeout(request.metadata());
        let r = self.do_run(request.into_inner(), t).await;
        self.record("Run", r)
    }

    async fn load_model(&self, request: Request<pb::LoadModelRequest>) -> Result<Response<pb::LoadModelResponse>, Status> {
        let req = request.into_inner();
        let r = async {
            let rule = rules::from_pb_opt(req.rule.as_ref())?;
            let m = self.engine.load(&req.model, Some(req.uri.as_str()).filter(|u| !u.is_empty()), rule).await?;
            Ok(pb::LoadModelResponse { model: Some(self.info(&m.sha256, m.size, m.name.clone(), Some(&m))) })
        }
        .await;
        self.record("LoadModel", r)
    }

    async fn list_models(&self, _request: Request<pb::ListModelsRequest>) -> Result<Response<pb::ListModelsResponse>, Status> {
        let mut models: Vec<pb::ModelInfo> = Vec::new();
        for s in self.engine.store().list() {
            let loaded = self.engine.cached(&s.sha256);
            models.push(self.info(&s.sha256, s.size, s.name.clone(), loaded.as_deref()));
        }
        self.record("ListModels", Ok(pb::ListModelsResponse { models }))
    }

    async fn health(&self, _request: Request<pb::HealthRequest>) -> Result<Response<pb::HealthResponse>, Status> {
        let g = self.engine.gauges();
        let cfg = self.engine.config();
        let r = pb::HealthResponse {
            status: if g.draining { "DRAINING" } else { "SERVING" }.into(),
            onnxruntime_version: self.engine.ort_version().into(),
            provider: self.engine.requested_provider().name().into(),
            deterministic: cfg.session.deterministic,
            queue_depth: g.queued as u32,
            queue_capacity: cfg.queue_capacity as u32,
            running: g.running as u32,
            workers: cfg.workers.max(1) as u32,
            loaded_models: g.loaded.len() as u32,
        };
        self.record("Health", Ok(r))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grpc_timeout_units() {
        let mut m = MetadataMap::new();
        assert_eq!(grpc_timeout(&m), None);
        m.insert("grpc-timeout", "250m".parse().unwrap());
        assert_eq!(grpc_timeout(&m), Some(Duration::from_millis(250)));
        m.insert("grpc-timeout", "3S".parse().unwrap());
        assert_eq!(grpc_timeout(&m), Some(Duration::from_secs(3)));
        m.insert("grpc-timeout", "x".parse().unwrap());
        assert_eq!(grpc_timeout(&m), None);
    }
}
