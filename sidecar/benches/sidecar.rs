//! `make bench-sidecar`: latency (p50, p99) and throughput of `Run` through
//! the sidecar (gRPC on loopback, queue, workers, quantisation and hash)
//! against ONNX Runtime called directly in-process on the same model and
//! input, at 1 and 8 concurrent clients. Prints numbers and ratios; asserts
//! nothing about speed.
//!
//! With an NVIDIA GPU (and `make onnxruntime-gpu`), the same again with the
//! CUDA provider in a child process (ONNX Runtime is loaded once per
//! process), against direct ORT CUDA.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use venice_sidecar::client;
use venice_sidecar::engine::EngineConfig;
use venice_sidecar::pb;
use venice_sidecar::runtime::{self, SessionConfig, SessionFactory};
use venice_sidecar::server::{self, ServeConfig};
use venice_sidecar::tensor::{self, HostTensor};

const CLIENTS: [usize; 2] = [1, 8];

fn models_dir() -> PathBuf {
    // Read at run time: cargo sets it for test and bench processes, and a
    // compile-time value would point at whichever checkout built the binary
    // last (the target dir is shared between checkouts).
    let dir = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").to_string());
    PathBuf::from(dir).join("../models")
}

struct Case {
    label: String,
    sha: String,
    bytes: Vec<u8>,
    request: pb::RunRequest,
    output_names: Vec<String>,
    iters: usize,
}

fn index() -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(models_dir().join("index.json")).expect("run `make models`")).unwrap()
}

fn case(name: &str, loop_n: Option<i64>, iters: usize) -> Case {
    let idx = index();
    let m = idx["models"].as_array().unwrap().iter().find(|m| m["name"] == name).unwrap();
    let sha = m["sha256"].as_str().unwrap().to_string();
    let sample: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(models_dir().join(m["sample_input"].as_str().unwrap())).unwrap()).unwrap();
    let mut inputs = client::inputs_from_json(&sample).unwrap();
    if let Some(n) = loop_n {
        for t in &mut inputs {
            if t.name == "n" {
                t.data = n.to_le_bytes().to_vec();
            }
        }
    }
    Case {
        label: match loop_n {
            Some(n) => format!("{name} (n={n})"),
            None => name.to_string(),
        },
        bytes: std::fs::read(models_dir().join(m["file"].as_str().unwrap())).unwrap(),
        request: pb::RunRequest { model: sha.clone(), inputs, timeout_ms: 60_000, rule: None },
        output_names: m["outputs"].as_array().unwrap().iter().map(|o| o["name"].as_str().unwrap().to_string()).collect(),
        sha,
        iters,
    }
}

struct Stats {
    p50: Duration,
    p99: Duration,
    per_sec: f64,
    /// Sidecar only: p50 of the server-side timings (engine total, ORT run, queue wait).
    server: Option<(Duration, Duration, Duration)>,
}

fn stats(mut lat: Vec<Duration>, wall: Duration) -> Stats {
    lat.sort();
    let at = |q: f64| lat[((lat.len() as f64 * q).ceil() as usize).clamp(1, lat.len()) - 1];
    Stats { p50: at(0.50), p99: at(0.99), per_sec: lat.len() as f64 / wall.as_secs_f64(), server: None }
}

/// Direct ORT: each client thread owns a session, builds the input tensors,
/// runs, copies the outputs out.
fn direct(factory: &SessionFactory, c: &Case, clients: usize) -> Stats {
    let inputs: Vec<HostTensor> = c.request.inputs.iter().cloned().map(|t| HostTensor::from_pb(t).unwrap()).collect();
    let per_client = (c.iters / clients).max(1);
    let start = Instant::now();
    let lat: Vec<Duration> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..clients)
            .map(|_| {
                let inputs = &inputs;
                s.spawn(move || {
                    let (mut session, _, _) = factory.build(&c.bytes).unwrap();
                    let once = |session: &mut ort::session::Session| {
                        let feed: Vec<(String, ort::session::SessionInputValue<'static>)> =
                            inputs.iter().map(|t| (t.name.clone(), t.to_ort().unwrap())).collect();
                        let out = session.run(feed).unwrap();
                        for n in &c.output_names {
                            std::hint::black_box(tensor::extract(n, &out[n.as_str()]).unwrap());
                        }
                    };
                    for _ in 0..5 {
                        once(&mut session);
                    }
                    let mut lat = Vec::with_capacity(per_client);
                    for _ in 0..per_client {
                        let t = Instant::now();
                        once(&mut session);
                        lat.push(t.elapsed());
                    }
                    lat
                })
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().unwrap()).collect()
    });
    stats(lat, start.elapsed())
}

/// Through the sidecar: `clients` gRPC connections issuing Run back to back.
async fn sidecar(addr: &str, c: &Case, clients: usize) -> Stats {
    let per_client = (c.iters / clients).max(1);
    let mut conns = Vec::new();
    for _ in 0..clients {
        let mut conn = client::connect(addr).await.unwrap();
        for _ in 0..5 {
            conn.run(c.request.clone()).await.unwrap();
        }
        conns.push(conn);
    }
    let start = Instant::now();
    let tasks: Vec<_> = conns
        .into_iter()
        .map(|mut conn| {
            let req = c.request.clone();
            tokio::spawn(async move {
                let mut lat = Vec::with_capacity(per_client);
                let mut server = Vec::with_capacity(per_client);
                for _ in 0..per_client {
                    let r = req.clone();
                    let t = Instant::now();
                    let resp = conn.run(r).await.unwrap().into_inner();
                    lat.push(t.elapsed());
                    let tm = resp.timings.unwrap();
                    server.push((tm.total_micros, tm.run_micros, tm.queue_micros));
                }
                (lat, server)
            })
        })
        .collect();
    let (mut lat, mut server) = (Vec::new(), Vec::new());
    for t in tasks {
        let (l, s) = t.await.unwrap();
        lat.extend(l);
        server.extend(s);
    }
    let mut st = stats(lat, start.elapsed());
    let p50 = |mut v: Vec<u64>| {
        v.sort();
        Duration::from_micros(v[v.len() / 2])
    };
    st.server = Some((
        p50(server.iter().map(|s| s.0).collect()),
        p50(server.iter().map(|s| s.1).collect()),
        p50(server.iter().map(|s| s.2).collect()),
    ));
    st
}

fn us(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

async fn bench(gpu: bool) {
    let session = SessionConfig { threads: 1, deterministic: !gpu, gpu };
    let (env, lib, version) = runtime::environment(None, gpu).expect("ONNX Runtime (run `make onnxruntime`)");
    let factory = SessionFactory::new(env, session.clone());
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    let mut cfg = EngineConfig::new(models_dir());
    cfg.session = session;
    cfg.workers = cores;
    cfg.queue_capacity = 1024;
    let srv = server::start(ServeConfig { listen: "127.0.0.1:0".parse().unwrap(), metrics_listen: None, engine: cfg }).await.unwrap();
    let addr = srv.addr.to_string();
    println!(
        "ONNX Runtime {version} ({}), provider {}, {cores} cores, sidecar workers {cores}, intra-op threads 1",
        lib.display(),
        if gpu { "cuda" } else { "cpu" }
    );

    // The transport alone: an empty Health round trip on loopback.
    {
        let mut conn = client::connect(&addr).await.unwrap();
        let mut lat = Vec::new();
        let start = Instant::now();
        for _ in 0..2000 {
            let t = Instant::now();
            conn.health(pb::HealthRequest {}).await.unwrap();
            lat.push(t.elapsed());
        }
        let h = stats(lat, start.elapsed());
        println!("gRPC round trip (Health, 1 client): p50 {:.1}µs p99 {:.1}µs", us(h.p50), us(h.p99));
    }

    // Pick n so a direct matmul-loop run takes about 2 ms (the "≥ 1 ms"
    // model), and also 5 n (about 10 ms).
    let probe = case("matmul-loop", Some(200), 50);
    let per_round = us(direct(&factory, &probe, 1).p50) / 200.0;
    let n = ((2000.0 / per_round) as i64).clamp(10, 1_000_000);
    let cases = [
        case("digits-mlp", None, 4000),
        case("docstring-topic", None, 4000),
        case("matmul-loop", Some(n), 600),
        case("matmul-loop", Some(n * 5), 160),
    ];

    println!(
        "\n{:<26} {:>3}  {:>11} {:>11} {:>10}   {:>11} {:>11} {:>10}   {:>13} {:>9} {:>9}",
        "model", "cli", "direct p50", "direct p99", "direct/s", "sidecar p50", "sidecar p99", "sidecar/s", "overhead p50", "p50 ratio", "thr ratio"
    );
    for c in &cases {
        // Model into the sidecar's cache first, so loading is not measured.
        client::connect(&addr).await.unwrap().run(c.request.clone()).await.unwrap();
        let provider = srv.engine.cached(&c.sha).map(|m| m.provider.name()).unwrap_or("?");
        for clients in CLIENTS {
            let d = tokio::task::block_in_place(|| direct(&factory, c, clients));
            let s = sidecar(&addr, c, clients).await;
            println!(
                "{:<26} {:>3}  {:>9.1}µs {:>9.1}µs {:>10.0}   {:>9.1}µs {:>9.1}µs {:>10.0}   {:>+11.1}µs {:>8.3}× {:>8.3}×{}",
                c.label,
                clients,
                us(d.p50),
                us(d.p99),
                d.per_sec,
                us(s.p50),
                us(s.p99),
                s.per_sec,
                us(s.p50) - us(d.p50),
                us(s.p50) / us(d.p50),
                d.per_sec / s.per_sec,
                if provider == "cpu" && gpu { "  (sidecar fell back to cpu)" } else { "" }
            );
            if let Some((total, run, queue)) = s.server {
                println!(
                    "{:<30} inside the sidecar p50: {:.0}µs from receipt to reply (ORT run {:.0}µs, queue wait {:.0}µs)",
                    "", us(total), us(run), us(queue)
                );
            }
        }
    }
    println!(
        "\noverhead p50 = sidecar p50 − direct p50 (gRPC on loopback, queue hand-off, input checks, quantisation, hash);\n\
         p50 ratio = sidecar/direct latency (target ≤ 1.05× for runs ≥ 1 ms); thr ratio = direct/sidecar throughput."
    );
    srv.shutdown().await.unwrap();
}

/// The GPU's name, if this machine has an NVIDIA GPU.
fn nvidia_gpu() -> Option<String> {
    let out = std::process::Command::new("nvidia-smi").args(["--query-gpu=name", "--format=csv,noheader"]).output().ok()?;
    let name = String::from_utf8_lossy(&out.stdout).lines().next()?.trim().to_string();
    (out.status.success() && !name.is_empty()).then_some(name)
}

fn main() {
    // `cargo bench` passes `--bench`; nothing else to parse.
    let gpu_child = std::env::var_os("VENICE_BENCH_GPU").is_some();
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    if gpu_child {
        rt.block_on(bench(true));
        return;
    }
    println!("== venice-sidecar: Run through the sidecar vs direct ONNX Runtime (CPU) ==");
    rt.block_on(bench(false));
    println!();
    match nvidia_gpu() {
        None => println!("== GPU: no NVIDIA GPU present on this machine (nvidia-smi finds none); CUDA benchmark skipped =="),
        Some(card) => {
            println!("== GPU: {card}: Run through the sidecar vs direct ONNX Runtime, CUDA provider ==");
            let have_lib = runtime::cache_dir().is_some_and(|c| c.join("onnxruntime-gpu/lib").exists());
            if !have_lib {
                println!("onnxruntime-gpu is not installed: run `make onnxruntime-gpu` first");
                return;
            }
            let exe = std::env::current_exe().unwrap();
            let status = std::process::Command::new(exe).env("VENICE_BENCH_GPU", "1").status().unwrap();
            if !status.success() {
                println!("GPU benchmark failed: {status}");
            }
        }
    }
}
