//! The one place a gRPC method path is answered, for the gRPC server and the
//! REST gateway alike: module queries, Simulate and the node service through
//! ABCI `Query` (`App::query`); the tx and tendermint services through
//! CometBFT's RPC (`comet.rs`); the descriptor set for
//! `cosmos.reflection.v1.ReflectionService`.

use std::sync::Arc;

use cosmos_sdk_proto::cosmos::base::tendermint::v1beta1 as tm;
use prost::Message;
use tendermint_proto::v0_38::abci::RequestQuery;
use tonic::{Code, Status};

use crate::app::App;
use crate::comet::{Comet, TENDERMINT_SERVICE, TX_SERVICE};
use crate::descriptors;

pub const REFLECTION_SERVICE: &str = "cosmos.reflection.v1.ReflectionService";
pub const NODE_SERVICE: &str = "cosmos.base.node.v1beta1.Service";

/// A reply: protobuf bytes and the height they were read at (0: not a state read).
pub struct Reply {
    pub bytes: Vec<u8>,
    pub height: i64,
}

#[derive(Clone)]
pub struct Services {
    pub app: Arc<App>,
    comet: Comet,
}

/// ABCI query result → gRPC status, with the codes a Cosmos client expects.
pub fn status_of(code: u32, codespace: &str, log: String) -> Status {
    let grpc = match (codespace, code) {
        // The SDK's ErrNotFound; wasmd's not found, no such contract, no such code.
        ("sdk", 38) | ("wasm", 8) | ("wasm", 22) | ("wasm", 28) => Code::NotFound,
        ("sdk", 6) => Code::Unimplemented,
        ("sdk", 26) | ("sdk", 7) | ("sdk", 18) | ("sdk", 2) => Code::InvalidArgument,
        ("undefined", _) => Code::Internal,
        _ => Code::InvalidArgument,
    };
    Status::new(grpc, log)
}

impl Services {
    pub fn new(app: Arc<App>, rpc_address: &str) -> anyhow::Result<Self> {
        let modules = app.clone();
        let injected: crate::comet::Injected = Arc::new(move |tx: &[u8]| modules.modules.manager.injected_by(tx).is_some());
        Ok(Services { app, comet: Comet::new(rpc_address, injected)? })
    }

    /// Every gRPC service this node answers (reflection lists these).
    pub fn names(&self) -> Vec<String> {
        let mut out: Vec<String> = self.app.modules.manager.query_services().map(str::to_string).collect();
        out.extend([TX_SERVICE, TENDERMINT_SERVICE, NODE_SERVICE, REFLECTION_SERVICE].map(String::from));
        out.sort();
        out
    }

    /// Answers the method at `path` (`/pkg.Service/Method`) with request
    /// bytes `req`, reading state at `height` (0 = latest).
    pub async fn call(&self, path: &str, req: Vec<u8>, height: i64) -> Result<Reply, Status> {
        let (service, method) = path
            .strip_prefix('/')
            .and_then(|p| p.split_once('/'))
            .ok_or_else(|| Status::unimplemented(format!("malformed method path {path}")))?;
        match (service, method) {
            (TX_SERVICE, "Simulate") => self.query(path, req, height).await,
            (TENDERMINT_SERVICE, "ABCIQuery") => self.abci_query(req).await,
            (TX_SERVICE | TENDERMINT_SERVICE, _) => Ok(Reply { bytes: self.comet.call(service, method, &req).await?, height: 0 }),
            // A FileDescriptorSet and FileDescriptorsResponse share one wire form.
            (REFLECTION_SERVICE, "FileDescriptors") => Ok(Reply { bytes: descriptors::FILE_DESCRIPTOR_SET.to_vec(), height: 0 }),
            _ => self.query(path, req, height).await,
        }
    }

    /// `App::query` off the async workers (store reads block).
    async fn query(&self, path: &str, data: Vec<u8>, height: i64) -> Result<Reply, Status> {
        let app = self.app.clone();
        let req = RequestQuery { path: path.to_string(), data: data.into(), height, prove: false };
        let resp = tokio::task::spawn_blocking(move || app.query(req)).await.map_err(|e| Status::internal(e.to_string()))?;
        if resp.code != 0 {
            return Err(status_of(resp.code, &resp.codespace, resp.log));
        }
        Ok(Reply { bytes: resp.value.to_vec(), height: resp.height })
    }

    /// `ABCIQuery`: the node's own ABCI `Query`, as CometBFT would pass it.
    async fn abci_query(&self, req: Vec<u8>) -> Result<Reply, Status> {
        let r = tm::AbciQueryRequest::decode(req.as_slice()).map_err(|e| Status::invalid_argument(e.to_string()))?;
        let app = self.app.clone();
        let q = RequestQuery { path: r.path, data: r.data.into(), height: r.height, prove: r.prove };
        let resp = tokio::task::spawn_blocking(move || app.query(q)).await.map_err(|e| Status::internal(e.to_string()))?;
        let out = tm::AbciQueryResponse {
            code: resp.code,
            log: resp.log,
            info: resp.info,
            index: resp.index,
            key: resp.key.to_vec(),
            value: resp.value.to_vec(),
            proof_ops: resp.proof_ops.map(|p| tm::ProofOps {
                ops: p.ops.into_iter().map(|o| tm::ProofOp { r#type: o.r#type, key: o.key, data: o.data }).collect(),
            }),
            height: resp.height,
            codespace: resp.codespace,
        };
        Ok(Reply { bytes: out.encode_to_vec(), height: resp.height })
    }
}
