//! Starting and stopping the service: gRPC on a TCP port or a Unix socket,
//! HTTP `/metrics` and `/healthz` on a TCP port, graceful shutdown.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::str::FromStr;

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use tokio::net::{TcpListener, UnixListener};
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tokio_stream::wrappers::UnixListenerStream;
use tracing::info;

use crate::SidecarError;
use crate::engine::{Engine, EngineConfig};
use crate::pb::sidecar_server::SidecarServer;
use crate::service::SidecarService;

/// Where the gRPC service listens: `HOST:PORT` or `unix:PATH`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ListenAddr {
    Tcp(SocketAddr),
    Unix(PathBuf),
}

impl FromStr for ListenAddr {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        if let Some(p) = s.strip_prefix("unix://").or_else(|| s.strip_prefix("unix:")) {
            return Ok(ListenAddr::Unix(PathBuf::from(p)));
        }
        let s = s.strip_prefix("localhost:").map(|p| format!("127.0.0.1:{p}")).unwrap_or_else(|| s.to_string());
        s.parse().map(ListenAddr::Tcp).map_err(|e| format!("`{s}`: {e} (expected HOST:PORT or unix:PATH)"))
    }
}

impl std::fmt::Display for ListenAddr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ListenAddr::Tcp(a) => write!(f, "{a}"),
            ListenAddr::Unix(p) => write!(f, "unix:{}", p.display()),
        }
    }
}

#[derive(Clone, Debug)]
pub struct ServeConfig {
    pub listen: ListenAddr,
    /// HTTP `/metrics` + `/healthz`; `None` = off.
    pub metrics_listen: Option<SocketAddr>,
    pub engine: EngineConfig,
}

/// A running sidecar.
pub struct Server {
    /// Bound gRPC address (the real port when 0 was asked).
    pub addr: ListenAddr,
    pub metrics_addr: Option<SocketAddr>,
    pub engine: Engine,
    stop: watch::Sender<bool>,
    grpc: JoinHandle<Result<(), tonic::transport::Error>>,
    http: Option<JoinHandle<()>>,
}

async fn metrics_page(State(engine): State<Engine>) -> (StatusCode, [(&'static str, &'static str); 1], String) {
    let cfg = engine.config();
    let body = engine.metrics().render(&engine.gauges(), engine.requested_provider().name(), cfg.workers.max(1), cfg.queue_capacity);
    (StatusCode::OK, [("content-type", "text/plain; version=0.0.4")], body)
}

async fn healthz(State(engine): State<Engine>) -> (StatusCode, &'static str) {
    if engine.gauges().draining { (StatusCode::SERVICE_UNAVAILABLE, "draining\n") } else { (StatusCode::OK, "ok\n") }
}

/// Starts the engine and the listeners.
pub async fn start(cfg: ServeConfig) -> Result<Server, SidecarError> {
    let engine = Engine::new(cfg.engine.clone())?;
    let (stop, stop_rx) = watch::channel(false);
    let signal = |mut rx: watch::Receiver<bool>| async move {
        let _ = rx.wait_for(|v| *v).await;
    };
    let max_msg = cfg.engine.max_input_bytes + (1 << 20);
    let svc = SidecarServer::new(SidecarService::new(engine.clone()))
        .max_decoding_message_size(max_msg)
        .max_encoding_message_size(usize::MAX);
    let router = tonic::transport::Server::builder().add_service(svc);
    let (addr, grpc) = match &cfg.listen {
        ListenAddr::Tcp(a) => {
            let l = TcpListener::bind(a).await?;
            let bound = l.local_addr()?;
            // Without TCP_NODELAY small replies wait for delayed ACKs (~40 ms).
            let incoming = tonic::transport::server::TcpIncoming::from(l).with_nodelay(Some(true));
            let fut = router.serve_with_incoming_shutdown(incoming, signal(stop_rx.clone()));
            (ListenAddr::Tcp(bound), tokio::spawn(fut))
        }
        ListenAddr::Unix(p) => {
            // A socket file left by a previous run would make bind fail.
            if std::fs::symlink_metadata(p).is_ok_and(|m| !m.is_dir()) {
                std::fs::remove_file(p)?;
            }
            let l = UnixListener::bind(p)?;
            let fut = router.serve_with_incoming_shutdown(UnixListenerStream::new(l), signal(stop_rx.clone()));
            (ListenAddr::Unix(p.clone()), tokio::spawn(fut))
        }
    };
    let (metrics_addr, http) = match cfg.metrics_listen {
        None => (None, None),
        Some(a) => {
            let l = TcpListener::bind(a).await?;
            let bound = l.local_addr()?;
            let app = axum::Router::new()
                .route("/metrics", get(metrics_page))
                .route("/healthz", get(healthz))
                .with_state(engine.clone());
            let rx = stop_rx.clone();
            let h = tokio::spawn(async move {
                let _ = axum::serve(l, app).with_graceful_shutdown(signal(rx)).await;
            });
            (Some(bound), Some(h))
        }
    };
    info!(listen = %addr, metrics = ?metrics_addr, "sidecar serving");
    Ok(Server { addr, metrics_addr, engine, stop, grpc, http })
}

impl Server {
    /// Graceful shutdown: refuse new runs, let in-flight requests finish,
    /// let the queue drain.
    pub async fn shutdown(self) -> Result<(), SidecarError> {
        self.engine.start_draining();
        let _ = self.stop.send(true);
        let grpc = self.grpc.await.map_err(|e| SidecarError::Runtime(e.to_string()))?;
        if let Some(h) = self.http {
            let _ = h.await;
        }
        self.engine.shutdown().await;
        if let ListenAddr::Unix(p) = &self.addr {
            let _ = std::fs::remove_file(p);
        }
        info!("sidecar stopped");
        grpc.map_err(|e| SidecarError::Runtime(e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listen_addresses() {
        assert_eq!("127.0.0.1:26659".parse::<ListenAddr>().unwrap(), ListenAddr::Tcp("127.0.0.1:26659".parse().unwrap()));
        assert_eq!("localhost:1".parse::<ListenAddr>().unwrap(), ListenAddr::Tcp("127.0.0.1:1".parse().unwrap()));
        assert_eq!("unix:/tmp/s.sock".parse::<ListenAddr>().unwrap(), ListenAddr::Unix("/tmp/s.sock".into()));
        assert_eq!("unix:///tmp/s.sock".parse::<ListenAddr>().unwrap(), ListenAddr::Unix("/tmp/s.sock".into()));
        assert!("nonsense".parse::<ListenAddr>().is_err());
    }
}
