//! The gRPC query server (default 127.0.0.1:9090), as a Cosmos SDK node
//! serves it: every module's query service at its method path, plus
//! `cosmos.tx.v1beta1.Service/Simulate`. Requests are passed through, as
//! protobuf bytes, to the same code that answers ABCI `Query`, so the two
//! can never disagree. A past height is asked with the SDK's
//! `x-cosmos-block-height` metadata header.

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use bytes::{Buf, BufMut};
use tendermint_proto::v0_38::abci::RequestQuery;
use tonic::codec::{Codec, DecodeBuf, Decoder, EncodeBuf, Encoder};
use tonic::{Code, Status};
use tracing::{error, info};

use crate::app::App;

pub const HEIGHT_HEADER: &str = "x-cosmos-block-height";

/// Bytes in, bytes out: the message types are the modules' business.
#[derive(Clone, Copy, Default)]
struct RawCodec;

impl Codec for RawCodec {
    type Encode = Vec<u8>;
    type Decode = Vec<u8>;
    type Encoder = RawCodec;
    type Decoder = RawCodec;
    fn encoder(&mut self) -> RawCodec {
        RawCodec
    }
    fn decoder(&mut self) -> RawCodec {
        RawCodec
    }
}

impl Encoder for RawCodec {
    type Item = Vec<u8>;
    type Error = Status;
    fn encode(&mut self, item: Vec<u8>, dst: &mut EncodeBuf<'_>) -> Result<(), Status> {
        dst.put_slice(&item);
        Ok(())
    }
}

impl Decoder for RawCodec {
    type Item = Vec<u8>;
    type Error = Status;
    fn decode(&mut self, src: &mut DecodeBuf<'_>) -> Result<Option<Vec<u8>>, Status> {
        Ok(Some(src.copy_to_bytes(src.remaining()).to_vec()))
    }
}

/// ABCI query result → gRPC status, with the codes a Cosmos client expects.
fn status_of(code: u32, codespace: &str, log: String) -> Status {
    let grpc = match (codespace, code) {
        (_, 38) => Code::NotFound,
        ("sdk", 6) => Code::Unimplemented,
        ("sdk", 26) | ("sdk", 7) | ("sdk", 18) | ("sdk", 2) => Code::InvalidArgument,
        ("undefined", _) => Code::Internal,
        _ => Code::InvalidArgument,
    };
    Status::new(grpc, log)
}

struct Unary {
    app: Arc<App>,
    path: String,
    height: i64,
}

impl tonic::server::UnaryService<Vec<u8>> for Unary {
    type Response = Vec<u8>;
    type Future = Pin<Box<dyn Future<Output = Result<tonic::Response<Vec<u8>>, Status>> + Send>>;

    fn call(&mut self, request: tonic::Request<Vec<u8>>) -> Self::Future {
        let app = self.app.clone();
        let req =
            RequestQuery { path: std::mem::take(&mut self.path), data: request.into_inner().into(), height: self.height, prove: false };
        Box::pin(async move {
            // Store reads block: keep them off the async workers.
            let resp = tokio::task::spawn_blocking(move || app.query(req)).await.map_err(|e| Status::internal(e.to_string()))?;
            if resp.code != 0 {
                return Err(status_of(resp.code, &resp.codespace, resp.log));
            }
            let mut out = tonic::Response::new(resp.value.to_vec());
            if let Ok(v) = resp.height.to_string().parse() {
                out.metadata_mut().insert(HEIGHT_HEADER, v);
            }
            Ok(out)
        })
    }
}

/// Routes every gRPC path to `App::query`.
#[derive(Clone)]
pub struct QueryProxy(pub Arc<App>);

impl tower::Service<http::Request<tonic::body::Body>> for QueryProxy {
    type Response = http::Response<tonic::body::Body>;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, Infallible>> + Send>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, req: http::Request<tonic::body::Body>) -> Self::Future {
        let height = req.headers().get(HEIGHT_HEADER).and_then(|v| v.to_str().ok()).and_then(|s| s.parse::<i64>().ok()).unwrap_or(0);
        let unary = Unary { app: self.0.clone(), path: req.uri().path().to_string(), height };
        Box::pin(async move { Ok(tonic::server::Grpc::new(RawCodec).unary(unary, req).await) })
    }
}

/// Serve gRPC on `addr` in a background thread with its own runtime. A port
/// already in use is logged and the node runs on without gRPC: consensus
/// must not depend on an auxiliary endpoint.
pub fn spawn(app: Arc<App>, addr: &str) {
    let addr = addr.to_string();
    let listener = match std::net::TcpListener::bind(&addr) {
        Ok(l) => l,
        Err(e) => {
            error!(%addr, error = %e, "gRPC server not started: cannot bind");
            return;
        }
    };
    std::thread::Builder::new()
        .name("grpc".into())
        .spawn(move || {
            let rt = match tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build() {
                Ok(rt) => rt,
                Err(e) => return error!(error = %e, "gRPC runtime"),
            };
            rt.block_on(async move {
                listener.set_nonblocking(true).ok();
                let listener = match tokio::net::TcpListener::from_std(listener) {
                    Ok(l) => l,
                    Err(e) => return error!(error = %e, "gRPC listener"),
                };
                info!(%addr, "gRPC query server listening");
                let incoming = tonic::transport::server::TcpIncoming::from(listener);
                if let Err(e) = tonic::transport::Server::builder().serve_with_incoming(QueryProxy(app), incoming).await {
                    error!(error = %e, "gRPC server stopped");
                }
            })
        })
        .ok();
}
