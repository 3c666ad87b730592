//! Client side: connecting over TCP or a Unix socket, and the JSON forms the
//! CLI reads and prints.

use std::collections::BTreeMap;
use std::path::PathBuf;

use hyper_util::rt::TokioIo;
use serde_json::{Value as Json, json};
use tonic::transport::{Channel, Endpoint, Uri};

use crate::pb::{self, sidecar_client::SidecarClient};
use crate::tensor::{HostTensor, pb_json};
use crate::{SidecarError, rules};

/// Connects to `addr`: `HOST:PORT`, `http://HOST:PORT` or `unix:PATH`.
pub async fn connect(addr: &str) -> Result<SidecarClient<Channel>, SidecarError> {
    let fail = |e: tonic::transport::Error| SidecarError::Request(format!("cannot connect to {addr}: {e}"));
    let channel = if let Some(p) = addr.strip_prefix("unix://").or_else(|| addr.strip_prefix("unix:")) {
        let path = PathBuf::from(p);
        // The URI is required by the API but unused: the connector dials the socket.
        Endpoint::try_from("http://localhost")
            .map_err(fail)?
            .connect_with_connector(tower::service_fn(move |_: Uri| {
                let path = path.clone();
                async move { Ok::<_, std::io::Error>(TokioIo::new(tokio::net::UnixStream::connect(path).await?)) }
            }))
            .await
            .map_err(fail)?
    } else {
        let uri = if addr.contains("://") { addr.to_string() } else { format!("http://{addr}") };
        Endpoint::from_shared(uri).map_err(fail)?.connect().await.map_err(fail)?
    };
    Ok(SidecarClient::new(channel).max_decoding_message_size(usize::MAX))
}

/// Reads the CLI's input file: `{"inputs": {NAME: {"dtype", "shape", "data"}}}`.
pub fn inputs_from_json(v: &Json) -> Result<Vec<pb::Tensor>, SidecarError> {
    let obj = v
        .get("inputs")
        .and_then(Json::as_object)
        .ok_or_else(|| SidecarError::Request("input file needs an \"inputs\" object".into()))?;
    obj.iter().map(|(name, t)| Ok(HostTensor::from_json(name, t)?.to_pb())).collect()
}

/// The CLI's `run` output.
pub fn run_response_json(r: &pb::RunResponse) -> Result<Json, SidecarError> {
    let mut outputs = serde_json::Map::new();
    for t in &r.outputs {
        outputs.insert(t.name.clone(), pb_json(t)?);
    }
    let rule = match &r.rule {
        Some(rule) => serde_json::to_value(rules::from_pb(rule)?).map_err(|e| SidecarError::Request(e.to_string()))?,
        None => Json::Null,
    };
    let quantized: BTreeMap<&str, Json> =
        r.quantized.iter().map(|q| (q.name.as_str(), json!({"shape": q.shape, "values": q.values}))).collect();
    Ok(json!({
        "model": r.model,
        "outputs": outputs,
        "rule": rule,
        "rule_id": r.rule_id,
        "quantized": quantized,
        "output_hash": hex::encode(&r.output_hash),
        "provider": r.provider,
        "micros": r.timings.as_ref().map(|t| t.total_micros).unwrap_or(0),
        "timings": r.timings.as_ref().map(|t| json!({"queue": t.queue_micros, "run": t.run_micros, "total": t.total_micros})),
    }))
}

/// The CLI's `models` output.
pub fn models_json(r: &pb::ListModelsResponse) -> Json {
    let spec = |s: &[pb::TensorSpec]| -> Json {
        s.iter().map(|t| json!({"name": t.name, "dtype": t.dtype, "shape": t.shape})).collect()
    };
    Json::Array(
        r.models
            .iter()
            .map(|m| {
                json!({
                    "model": m.model,
                    "name": m.name,
                    "size": m.size_bytes,
                    "loaded": m.loaded,
                    "provider": m.provider,
                    "inputs": spec(&m.inputs),
                    "outputs": spec(&m.outputs),
                    "rule": m.rule.as_ref().and_then(|r| rules::from_pb(r).ok()).and_then(|r| serde_json::to_value(r).ok()),
                })
            })
            .collect(),
    )
}
