//! Client side: connecting over TCP or a Unix socket, and the JSON forms the
//! CLI reads and prints.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use hyper_util::rt::TokioIo;
use serde_json::{Value as Json, json};
use tonic::transport::{Channel, Endpoint, Uri};

use crate::pb::{self, sidecar_client::SidecarClient};
use crate::tensor::{HostTensor, pb_json};
use crate::transport::{self, BusyPoll, Conn};
use crate::{ClientError, rules};

/// Connects to `addr`: `HOST:PORT`, `http://HOST:PORT` or `unix:PATH`.
pub async fn connect(addr: &str) -> Result<SidecarClient<Channel>, ClientError> {
    connect_with(addr, None).await
}

/// [`connect`], with the connection polled by `busy` (which must be the
/// `on_thread_park` hook of the single-threaded runtime that drives this
/// client, see [`busy_polling_runtime`]). Writes are coalesced either way.
pub async fn connect_with(addr: &str, busy: Option<Arc<BusyPoll>>) -> Result<SidecarClient<Channel>, ClientError> {
    let fail = |e: tonic::transport::Error| ClientError::Request(format!("cannot connect to {addr}: {e}"));
    let channel = if let Some(p) = addr.strip_prefix("unix://").or_else(|| addr.strip_prefix("unix:")) {
        let path = PathBuf::from(p);
        // The URI is required by the API but unused: the connector dials the socket.
        Endpoint::try_from("http://localhost")
            .map_err(fail)?
            .connect_with_connector(tower::service_fn(move |_: Uri| {
                let (path, busy) = (path.clone(), busy.clone());
                async move { Ok::<_, std::io::Error>(TokioIo::new(Conn::new(tokio::net::UnixStream::connect(path).await?, busy))) }
            }))
            .await
            .map_err(fail)?
    } else {
        let uri = if addr.contains("://") { addr.to_string() } else { format!("http://{addr}") };
        Endpoint::from_shared(uri)
            .map_err(fail)?
            .connect_with_connector(tower::service_fn(move |uri: Uri| {
                let busy = busy.clone();
                async move {
                    let host = uri.host().unwrap_or("127.0.0.1").trim_start_matches('[').trim_end_matches(']').to_string();
                    let port = uri.port_u16().unwrap_or(80);
                    let s = tokio::net::TcpStream::connect((host.as_str(), port)).await?;
                    s.set_nodelay(true)?;
                    Ok::<_, std::io::Error>(TokioIo::new(Conn::new(s, busy)))
                }
            }))
            .await
            .map_err(fail)?
    };
    Ok(SidecarClient::new(channel).max_decoding_message_size(usize::MAX))
}

/// A single-threaded runtime whose thread, after sending a request, polls its
/// sidecar connections for up to `window` instead of sleeping: for a caller
/// that waits on short runs and has a core to spare. Connect with
/// [`connect_with`] and the returned [`BusyPoll`], inside this runtime.
pub fn busy_polling_runtime(window: Duration) -> std::io::Result<(tokio::runtime::Runtime, Arc<BusyPoll>)> {
    let busy = BusyPoll::new(window);
    Ok((transport::runtime(Some(&busy))?, busy))
}

/// Reads the CLI's input file: `{"inputs": {NAME: {"dtype", "shape", "data"}}}`.
pub fn inputs_from_json(v: &Json) -> Result<Vec<pb::Tensor>, ClientError> {
    let obj =
        v.get("inputs").and_then(Json::as_object).ok_or_else(|| ClientError::Request("input file needs an \"inputs\" object".into()))?;
    obj.iter().map(|(name, t)| Ok(HostTensor::from_json(name, t)?.to_pb())).collect()
}

/// The CLI's `run` output.
pub fn run_response_json(r: &pb::RunResponse) -> Result<Json, ClientError> {
    let mut outputs = serde_json::Map::new();
    for t in &r.outputs {
        outputs.insert(t.name.clone(), pb_json(t)?);
    }
    let rule = match &r.rule {
        Some(rule) => serde_json::to_value(rules::from_pb(rule)?).map_err(|e| ClientError::Request(e.to_string()))?,
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
    let spec = |s: &[pb::TensorSpec]| -> Json { s.iter().map(|t| json!({"name": t.name, "dtype": t.dtype, "shape": t.shape})).collect() };
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
