//! The gRPC server (default 127.0.0.1:9090), as a Cosmos SDK node serves
//! it: every module's query service at its method path, the tx, tendermint,
//! node and reflection services, and gRPC server reflection. Requests are
//! passed through, as protobuf bytes, to `Services::call`, the code that
//! answers ABCI `Query` and the REST gateway, so they can never disagree. A past height is asked with the SDK's
//! `x-cosmos-block-height` metadata header.

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use bytes::{Buf, BufMut};
use tonic::Status;
use tonic::codec::{Codec, DecodeBuf, Decoder, EncodeBuf, Encoder};
use tracing::{error, info};

use crate::app::App;
use crate::descriptors;
use crate::services::Services;

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

/// A tower service answering one gRPC request, boxed so that the
/// reflection servers (whose types tonic leaves unnamed) fit beside ours.
type BoxService = tower::util::BoxCloneSyncService<http::Request<tonic::body::Body>, http::Response<tonic::body::Body>, Infallible>;

struct Unary {
    services: Services,
    path: String,
    height: i64,
}

impl tonic::server::UnaryService<Vec<u8>> for Unary {
    type Response = Vec<u8>;
    type Future = Pin<Box<dyn Future<Output = Result<tonic::Response<Vec<u8>>, Status>> + Send>>;

    fn call(&mut self, request: tonic::Request<Vec<u8>>) -> Self::Future {
        let services = self.services.clone();
        let (path, height) = (std::mem::take(&mut self.path), self.height);
        Box::pin(async move {
            let reply = services.call(&path, request.into_inner(), height).await?;
            let mut out = tonic::Response::new(reply.bytes);
            if reply.height > 0
                && let Ok(v) = reply.height.to_string().parse()
            {
                out.metadata_mut().insert(HEIGHT_HEADER, v);
            }
            Ok(out)
        })
    }
}

/// Routes every gRPC path to `Services::call`, but server reflection.
#[derive(Clone)]
pub struct QueryProxy {
    services: Services,
    reflection_v1: BoxService,
    reflection_v1alpha: BoxService,
}

impl QueryProxy {
    pub fn new(services: Services) -> anyhow::Result<Self> {
        // Only the services this node answers are listed, all described
        // by the same descriptor set as the REST gateway.
        let builder = || {
            let mut b = tonic_reflection::server::Builder::configure()
                .register_encoded_file_descriptor_set(descriptors::FILE_DESCRIPTOR_SET)
                .register_encoded_file_descriptor_set(tonic_reflection::pb::v1::FILE_DESCRIPTOR_SET)
                .register_encoded_file_descriptor_set(tonic_reflection::pb::v1alpha::FILE_DESCRIPTOR_SET)
                .include_reflection_service(false);
            for name in services.names().into_iter().chain(REFLECTION_SERVICES.map(String::from)) {
                b = b.with_service_name(name);
            }
            b
        };
        Ok(QueryProxy {
            reflection_v1: BoxService::new(builder().build_v1()?),
            reflection_v1alpha: BoxService::new(builder().build_v1alpha()?),
            services,
        })
    }
}

/// gRPC server reflection, both versions grpcurl and Hermes ask for.
pub const REFLECTION_SERVICES: [&str; 2] = ["grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection"];

impl tower::Service<http::Request<tonic::body::Body>> for QueryProxy {
    type Response = http::Response<tonic::body::Body>;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, Infallible>> + Send>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, req: http::Request<tonic::body::Body>) -> Self::Future {
        let path = req.uri().path();
        if path.starts_with(&format!("/{}/", REFLECTION_SERVICES[0])) {
            return Box::pin(self.reflection_v1.call(req));
        }
        if path.starts_with(&format!("/{}/", REFLECTION_SERVICES[1])) {
            return Box::pin(self.reflection_v1alpha.call(req));
        }
        let height = req.headers().get(HEIGHT_HEADER).and_then(|v| v.to_str().ok()).and_then(|s| s.parse::<i64>().ok()).unwrap_or(0);
        let unary = Unary { services: self.services.clone(), path: path.to_string(), height };
        Box::pin(async move { Ok(tonic::server::Grpc::new(RawCodec).unary(unary, req).await) })
    }
}

/// Serve gRPC on `addr` in a background thread with its own runtime. A port
/// already in use is logged and the node runs on without gRPC: consensus
/// must not depend on an auxiliary endpoint.
pub fn spawn(app: Arc<App>, addr: &str, rpc_address: &str) {
    let addr = addr.to_string();
    let proxy = match Services::new(app, rpc_address).and_then(QueryProxy::new) {
        Ok(p) => p,
        Err(e) => return error!(error = %e, "gRPC server not started"),
    };
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
                if let Err(e) = tonic::transport::Server::builder().serve_with_incoming(proxy, incoming).await {
                    error!(error = %e, "gRPC server stopped");
                }
            })
        })
        .ok();
}
