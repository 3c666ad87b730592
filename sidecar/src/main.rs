//! `venice-sidecar`: serve ONNX models to the chain, or query a running
//! sidecar (`models`, `run`, `load`, `health`).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};
use venice_sidecar::engine::EngineConfig;
use venice_sidecar::runtime::SessionConfig;
use venice_sidecar::server::{self, ListenAddr, ServeConfig};
use venice_sidecar::{SidecarError, client, pb};
use venice_sidecar_client::uris::UriAllowlist;

#[derive(Parser)]
#[command(name = "venice-sidecar", version, about = "Venice validator sidecar: ONNX Runtime execution service")]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Serve models over gRPC (and /metrics, /healthz over HTTP).
    Serve(ServeArgs),
    /// List the models of a running sidecar (JSON).
    Models(Conn),
    /// Run a model on a running sidecar and print outputs and hash (JSON).
    Run {
        #[command(flatten)]
        conn: Conn,
        /// Model sha256 (hex), or a name from the store's index.json.
        #[arg(long)]
        model: String,
        /// `{"inputs": {NAME: {"dtype": "float32", "shape": [1, 64], "data": [...]}}}`
        #[arg(long)]
        input: PathBuf,
        /// Time budget in milliseconds (0 = the server's default).
        #[arg(long, default_value_t = 0)]
        timeout_ms: u64,
    },
    /// Fetch, verify and load a model on a running sidecar.
    Load {
        #[command(flatten)]
        conn: Conn,
        #[arg(long)]
        model: String,
        /// file://, http(s):// or a path; empty = the sidecar's store.
        #[arg(long, default_value = "")]
        uri: String,
    },
    /// Health of a running sidecar (JSON).
    Health(Conn),
}

#[derive(Args)]
struct Conn {
    /// Sidecar address: HOST:PORT or unix:PATH.
    #[arg(long, env = "VENICE_SIDECAR_ADDR", default_value = "127.0.0.1:26659")]
    addr: String,
}

#[derive(Args)]
struct ServeArgs {
    /// Content-addressed model store (`<sha256>.onnx`, optional index.json).
    #[arg(long, default_value = "models")]
    model_dir: PathBuf,
    /// gRPC address: HOST:PORT or unix:PATH.
    #[arg(long, default_value = "127.0.0.1:26659")]
    listen: ListenAddr,
    /// HTTP address of /metrics and /healthz, or `off`.
    #[arg(long, default_value = "127.0.0.1:26660")]
    metrics_listen: String,
    /// Try the CUDA execution provider (falls back to CPU with a log line).
    #[arg(long)]
    gpu: bool,
    /// Intra-op threads per session.
    #[arg(long, default_value_t = 1)]
    threads: usize,
    /// Deterministic CPU mode (fixed threads, sequential, deterministic
    /// kernels, graph optimisation pinned): bit-identical outputs across runs.
    #[arg(long)]
    deterministic: bool,
    /// Concurrent runs; default: cores / threads.
    #[arg(long)]
    workers: Option<usize>,
    /// Runs that may wait for a run slot before RESOURCE_EXHAUSTED.
    #[arg(long, default_value_t = 64)]
    queue: usize,
    /// Session cache budget in MiB.
    #[arg(long, default_value_t = 2048)]
    cache_mb: u64,
    /// Largest accepted request inputs in MiB.
    #[arg(long, default_value_t = 16)]
    max_input_mb: usize,
    /// Default per-request time budget in milliseconds.
    #[arg(long, default_value_t = 10_000)]
    timeout_ms: u64,
    /// ONNX Runtime library (else: ORT_DYLIB_PATH, beside the executable, the set-up's cache).
    #[arg(long)]
    ort_lib: Option<PathBuf>,
    /// After each reply, poll the sockets this many µs before sleeping
    /// (0 = off): saves a thread wake-up per request (tens of µs on a VM)
    /// for a caller that sends its next request at once, at the cost of CPU.
    #[arg(long, default_value_t = 0)]
    busy_poll_us: u64,
    /// Fetch model files (LoadModel's `uri`) only from URIs starting with
    /// this (`https://models.example.org/`, `file:///srv/models/`);
    /// repeatable. None: any file:// or http(s):// URI.
    #[arg(long = "fetch-prefix")]
    fetch_prefixes: Vec<String>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // Enough for the client commands and for `serve`'s signals: the server
    // runs on its own `sidecar-io` thread and run workers.
    let rt = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: tokio runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match rt.block_on(dispatch(cli.cmd)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn print(v: &serde_json::Value) {
    println!("{}", serde_json::to_string_pretty(v).unwrap_or_default());
}

fn status_err(s: tonic::Status) -> SidecarError {
    s.into()
}

async fn dispatch(cmd: Cmd) -> Result<(), SidecarError> {
    match cmd {
        Cmd::Serve(a) => serve(a).await,
        Cmd::Models(c) => {
            let r = client::connect(&c.addr).await?.list_models(pb::ListModelsRequest {}).await.map_err(status_err)?;
            print(&client::models_json(r.get_ref()));
            Ok(())
        }
        Cmd::Health(c) => {
            let r = client::connect(&c.addr).await?.health(pb::HealthRequest {}).await.map_err(status_err)?.into_inner();
            print(&serde_json::json!({
                "status": r.status, "onnxruntime": r.onnxruntime_version, "provider": r.provider,
                "deterministic": r.deterministic, "queue_depth": r.queue_depth, "queue_capacity": r.queue_capacity,
                "running": r.running, "workers": r.workers, "loaded_models": r.loaded_models,
            }));
            Ok(())
        }
        Cmd::Load { conn, model, uri } => {
            let mut c = client::connect(&conn.addr).await?;
            let r = c.load_model(pb::LoadModelRequest { model, uri, rule: None }).await.map_err(status_err)?;
            let list = pb::ListModelsResponse { models: r.into_inner().model.into_iter().collect() };
            print(&client::models_json(&list));
            Ok(())
        }
        Cmd::Run { conn, model, input, timeout_ms } => {
            let text =
                std::fs::read_to_string(&input).map_err(|e| SidecarError::Request(format!("cannot read {}: {e}", input.display())))?;
            let json: serde_json::Value =
                serde_json::from_str(&text).map_err(|e| SidecarError::Request(format!("{} is not JSON: {e}", input.display())))?;
            let inputs = client::inputs_from_json(&json)?;
            let mut c = client::connect(&conn.addr).await?;
            let model = resolve_model(&mut c, model).await?;
            let r = c.run(pb::RunRequest { model, inputs, timeout_ms, rule: None }).await.map_err(status_err)?;
            print(&client::run_response_json(r.get_ref())?);
            Ok(())
        }
    }
}

/// Accepts a model name as a convenience; the chain always uses hashes.
async fn resolve_model(
    c: &mut pb::sidecar_client::SidecarClient<tonic::transport::Channel>,
    model: String,
) -> Result<String, SidecarError> {
    if venice_sidecar::store::is_model_id(&model) {
        return Ok(model);
    }
    let list = c.list_models(pb::ListModelsRequest {}).await.map_err(status_err)?.into_inner();
    list.models.into_iter().find(|m| m.name == model).map(|m| m.model).ok_or(SidecarError::BadModelId(model))
}

async fn serve(a: ServeArgs) -> Result<(), SidecarError> {
    use std::io::IsTerminal;
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,ort=warn")),
        )
        .init();
    let metrics_listen = match a.metrics_listen.as_str() {
        "off" | "" => None,
        s => Some(s.parse::<SocketAddr>().map_err(|e| SidecarError::Request(format!("--metrics-listen `{s}`: {e}")))?),
    };
    let threads = a.threads.max(1);
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    let mut engine = EngineConfig::new(a.model_dir);
    engine.ort_lib = a.ort_lib;
    engine.session = SessionConfig { threads, deterministic: a.deterministic, gpu: a.gpu };
    engine.workers = a.workers.unwrap_or((cores / threads).max(1));
    engine.queue_capacity = a.queue;
    engine.cache_bytes = a.cache_mb << 20;
    engine.max_input_bytes = a.max_input_mb << 20;
    engine.default_timeout = Duration::from_millis(a.timeout_ms.max(1));
    engine.fetch_allowlist = UriAllowlist::new(&a.fetch_prefixes).map_err(|e| SidecarError::Request(format!("--fetch-prefix {e}")))?;
    let busy_poll = (a.busy_poll_us > 0).then(|| Duration::from_micros(a.busy_poll_us));
    let server = server::start(ServeConfig { listen: a.listen, metrics_listen, engine, busy_poll }).await?;
    // Tests and scripts read this line to learn the bound ports.
    match server.metrics_addr {
        Some(m) => println!("venice-sidecar listening on {} metrics http://{m}/metrics", server.addr),
        None => println!("venice-sidecar listening on {}", server.addr),
    }
    shutdown_signal().await;
    tracing::info!("shutdown requested; draining in-flight work");
    server.shutdown().await
}

async fn shutdown_signal() {
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term => {}
    }
}
