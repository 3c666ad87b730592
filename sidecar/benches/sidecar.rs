//! `make bench-sidecar`: latency (p50, p99) and throughput of `Run` through
//! the sidecar (gRPC on loopback, queue, workers, quantisation and hash)
//! against ONNX Runtime called directly in-process on the same model and
//! input (same session options), at 1 and 8 concurrent clients, over TCP
//! and a Unix socket. Models: the two tiny real ones (absolute overhead in
//! µs) and `matmul-loop` sized for direct runs of about 1, 2 and 10 ms (the
//! ≤ 1.05× target). Warm-up runs first; direct and sidecar alternate in
//! rounds so that a shared machine's load drift hits both. Prints numbers
//! and ratios; asserts nothing about speed.
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
use venice_sidecar::server::{self, ListenAddr, ServeConfig};
use venice_sidecar::tensor::{self, HostTensor};

fn models_dir() -> PathBuf {
    // Read at run time: cargo sets it for test and bench processes, and a
    // compile-time value would point at whichever checkout built the binary
    // last (the target dir is shared between checkouts).
    let dir = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").to_string());
    PathBuf::from(dir).join("../models")
}

struct Case {
    label: String,
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
        iters,
    }
}

/// Latencies of one side (direct or sidecar), pooled over interleaved rounds.
#[derive(Default)]
struct Samples {
    lat: Vec<Duration>,
    /// Sum of the rounds' wall times (for throughput).
    wall: Duration,
    /// Sidecar only: server-side timings per request (engine total, ORT run, queue wait), µs.
    server: Vec<(u64, u64, u64)>,
}

struct Stats {
    p50: Duration,
    p99: Duration,
    per_sec: f64,
}

impl Samples {
    fn stats(&self) -> Stats {
        let mut lat = self.lat.clone();
        lat.sort();
        let at = |q: f64| lat[((lat.len() as f64 * q).ceil() as usize).clamp(1, lat.len()) - 1];
        Stats { p50: at(0.50), p99: at(0.99), per_sec: lat.len() as f64 / self.wall.as_secs_f64() }
    }

    /// p50 of the server-side (total, run, queue) timings.
    fn server_p50(&self) -> Option<(u64, u64, u64)> {
        if self.server.is_empty() {
            return None;
        }
        let p50 = |mut v: Vec<u64>| {
            v.sort();
            v[v.len() / 2]
        };
        Some((
            p50(self.server.iter().map(|s| s.0).collect()),
            p50(self.server.iter().map(|s| s.1).collect()),
            p50(self.server.iter().map(|s| s.2).collect()),
        ))
    }
}

/// Direct ORT: each client thread owns a session (same options as the
/// sidecar's), builds the input tensors, runs, copies the outputs out.
/// `warm` runs first, untimed.
fn direct(factory: &SessionFactory, c: &Case, clients: usize, per_client: usize, warm: usize, out: &mut Samples) {
    let inputs: Vec<HostTensor> = c.request.inputs.iter().cloned().map(|t| HostTensor::from_pb(t).unwrap()).collect();
    let start = std::sync::Mutex::new(None::<Instant>);
    let barrier = std::sync::Barrier::new(clients);
    let lat: Vec<Duration> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..clients)
            .map(|_| {
                let (inputs, start, barrier) = (&inputs, &start, &barrier);
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
                    for _ in 0..warm {
                        once(&mut session);
                    }
                    if barrier.wait().is_leader() {
                        *start.lock().unwrap() = Some(Instant::now());
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
    out.wall += start.lock().unwrap().expect("started").elapsed();
    out.lat.extend(lat);
}

/// Through the sidecar: one gRPC connection per client, issuing Run back to
/// back (after `warm` untimed runs).
async fn sidecar(addr: &str, c: &Case, clients: usize, per_client: usize, warm: usize, out: &mut Samples) {
    let mut conns = Vec::new();
    for _ in 0..clients {
        let mut conn = client::connect(addr).await.unwrap();
        for _ in 0..warm {
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
    for t in tasks {
        let (l, s) = t.await.unwrap();
        out.lat.extend(l);
        out.server.extend(s);
    }
    out.wall += start.elapsed();
}

fn us(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

/// Direct and sidecar measured in alternating rounds, so that the load of a
/// shared machine drifts over both alike; latencies pooled per side.
const ROUNDS: usize = 4;

fn compare(client_rt: &tokio::runtime::Runtime, factory: &SessionFactory, addr: &str, c: &Case, clients: usize) -> (Samples, Samples) {
    let per_client = (c.iters / clients / ROUNDS).max(1);
    let warm = (per_client / 10).clamp(3, 50);
    let (mut d, mut s) = (Samples::default(), Samples::default());
    for _ in 0..ROUNDS {
        direct(factory, c, clients, per_client, warm, &mut d);
        client_rt.block_on(sidecar(addr, c, clients, per_client, warm, &mut s));
    }
    (d, s)
}

fn row(label: &str, transport: &str, clients: usize, d: &Samples, s: &Samples) {
    let (ds, ss) = (d.stats(), s.stats());
    println!(
        "{:<24} {:<4} {:>3}  {:>9.1}µs {:>9.1}µs {:>8.0}   {:>9.1}µs {:>9.1}µs {:>8.0}   {:>+9.1}µs {:>+9.1}µs {:>7.3}× {:>7.3}×",
        label,
        transport,
        clients,
        us(ds.p50),
        us(ds.p99),
        ds.per_sec,
        us(ss.p50),
        us(ss.p99),
        ss.per_sec,
        us(ss.p50) - us(ds.p50),
        us(ss.p99) - us(ds.p99),
        us(ss.p50) / us(ds.p50),
        ds.per_sec / ss.per_sec,
    );
    if let Some((total, run, queue)) = s.server_p50() {
        println!("{:<34} inside the sidecar p50: {total}µs from receipt to reply (ORT run {run}µs, queue wait {queue}µs)", "");
    }
}

/// The bench proper. The sidecar runs on its own runtime, as `venice-sidecar
/// serve` does (multi-thread, one thread per core); the clients on another
/// one, as a separate process would.
fn bench(gpu: bool) {
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    let server_rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    // One thread drives every client connection (`block_on` on this thread).
    let client_rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let session = SessionConfig { threads: 1, deterministic: !gpu, gpu };
    let (env, lib, version) = runtime::environment(None, gpu).expect("ONNX Runtime (run `make onnxruntime`)");
    let factory = SessionFactory::new(env, session.clone());
    let mut cfg = EngineConfig::new(models_dir());
    cfg.session = session;
    cfg.workers = cores;
    cfg.queue_capacity = 1024;
    let start = |listen: ListenAddr| {
        let cfg = ServeConfig { listen, metrics_listen: None, engine: cfg.clone() };
        server_rt.block_on(server::start(cfg)).unwrap()
    };
    let tcp = start("127.0.0.1:0".parse().unwrap());
    let sock_dir = tempfile::tempdir().unwrap();
    let unix = start(ListenAddr::Unix(sock_dir.path().join("sidecar.sock")));
    let (tcp_addr, unix_addr) = (tcp.addr.to_string(), unix.addr.to_string());
    println!(
        "ONNX Runtime {version} ({}), provider {}, {cores} cores, sidecar run slots {cores}, intra-op threads 1, same session options direct and in the sidecar",
        lib.display(),
        if gpu { "cuda" } else { "cpu" }
    );

    client_rt.block_on(async {
        // The transport alone: an empty Health round trip.
        for (name, addr) in [("tcp", &tcp_addr), ("unix", &unix_addr)] {
            let mut conn = client::connect(addr).await.unwrap();
            for _ in 0..200 {
                conn.health(pb::HealthRequest {}).await.unwrap();
            }
            let mut h = Samples::default();
            let start = Instant::now();
            for _ in 0..3000 {
                let t = Instant::now();
                conn.health(pb::HealthRequest {}).await.unwrap();
                h.lat.push(t.elapsed());
            }
            h.wall = start.elapsed();
            let h = h.stats();
            println!("gRPC round trip over {name:<4} (Health, 1 client): p50 {:.1}µs p99 {:.1}µs", us(h.p50), us(h.p99));
        }
    });

    // matmul-loop rounds for direct runs of about 1, 2 and 10 ms.
    let probe = case("matmul-loop", Some(200), 0);
    let mut p = Samples::default();
    direct(&factory, &probe, 1, 60, 10, &mut p);
    let per_round = us(p.stats().p50) / 200.0;
    let rounds_for = |micros: f64| ((micros / per_round) as i64).clamp(10, 10_000_000);
    let cases = [
        case("digits-mlp", None, 6000),
        case("docstring-topic", None, 6000),
        case("matmul-loop", Some(rounds_for(1000.0)), 2000),
        case("matmul-loop", Some(rounds_for(2000.0)), 1200),
        case("matmul-loop", Some(rounds_for(10_000.0)), 240),
    ];

    println!(
        "\n{:<24} {:<4} {:>3}  {:>11} {:>11} {:>8}   {:>11} {:>11} {:>8}   {:>11} {:>11} {:>8} {:>8}",
        "model", "via", "cli", "direct p50", "direct p99", "direct/s", "sidecar p50", "sidecar p99", "sidecar/s", "overhd p50", "overhd p99", "p50 ×", "thr ×"
    );
    for c in &cases {
        let provider = client_rt.block_on(async {
            // Into the sidecars' caches first, so loading is not measured.
            let r = client::connect(&tcp_addr).await.unwrap().run(c.request.clone()).await.unwrap().into_inner();
            client::connect(&unix_addr).await.unwrap().run(c.request.clone()).await.unwrap();
            r.provider
        });
        if gpu && provider != "cuda" {
            println!("({}: the sidecar fell back to {provider})", c.label);
        }
        for (transport, addr, clients) in [("tcp", &tcp_addr, 1), ("unix", &unix_addr, 1), ("tcp", &tcp_addr, 8)] {
            let (d, s) = compare(&client_rt, &factory, addr, c, clients);
            row(&c.label, transport, clients, &d, &s);
        }
    }
    println!(
        "\noverhd = sidecar − direct latency (gRPC, input checks, run slot, quantisation, hash, reply); p50 × = sidecar/direct\n\
         p50 latency (target ≤ 1.05× for runs ≥ 1 ms); thr × = direct/sidecar throughput. Direct and sidecar alternate in\n\
         {ROUNDS} rounds per row. The sidecar's ORT run of a tiny model is slower than direct mostly because its thread\n\
         was idle between requests (caches and the CPU go cold), not because of the session: direct runs back to back."
    );
    server_rt.block_on(async {
        tcp.shutdown().await.unwrap();
        unix.shutdown().await.unwrap();
    });
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
    if gpu_child {
        bench(true);
        return;
    }
    println!("== venice-sidecar: Run through the sidecar vs direct ONNX Runtime (CPU) ==");
    bench(false);
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
