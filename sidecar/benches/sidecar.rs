//! `make bench-sidecar`: latency (p50, p99) and throughput of `Run` through
//! the sidecar (gRPC on loopback, queue, workers, quantisation and hash)
//! against ONNX Runtime called directly in-process on the same model and
//! input (same session options), at 1 and 8 concurrent clients, over TCP,
//! a Unix socket, and a Unix socket with busy polling on both ends; plus the
//! machine's floor for any out-of-process call (a socket ping-pong). Models:
//! the two tiny real ones (absolute overhead in µs) and `matmul-loop` sized
//! for direct runs of about 1, 2 and 10 ms (the ≤ 1.05× target). Warm-up runs first; direct and sidecar alternate in
//! rounds so that a shared machine's load drift hits both. Prints numbers
//! and ratios; asserts nothing about speed.
//!
//! With an NVIDIA GPU (and `make onnxruntime-gpu`), the same again with the
//! CUDA provider in a child process (ONNX Runtime is loaded once per
//! process), against direct ORT CUDA.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use venice_sidecar::client;
use venice_sidecar::engine::EngineConfig;
use venice_sidecar::pb;
use venice_sidecar::runtime::{self, SessionConfig, SessionFactory};
use venice_sidecar::server::{self, ListenAddr, ServeConfig};
use venice_sidecar::tensor::{self, HostTensor, ToOrt};
use venice_sidecar::transport::BusyPoll;

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
async fn sidecar(to: &Target, c: &Case, clients: usize, per_client: usize, warm: usize, out: &mut Samples) {
    let mut conns = Vec::new();
    for _ in 0..clients {
        let mut conn = client::connect_with(&to.addr, to.client_poll.clone()).await.unwrap();
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

/// A sidecar to measure against, and the client runtime that talks to it.
struct Target {
    label: &'static str,
    addr: String,
    rt: tokio::runtime::Runtime,
    /// The client runtime's busy poll, if it has one.
    client_poll: Option<Arc<BusyPoll>>,
}

fn compare(to: &Target, factory: &SessionFactory, c: &Case, clients: usize) -> (Samples, Samples) {
    let per_client = (c.iters / clients / ROUNDS).max(1);
    let warm = (per_client / 10).clamp(3, 50);
    let (mut d, mut s) = (Samples::default(), Samples::default());
    for _ in 0..ROUNDS {
        direct(factory, c, clients, per_client, warm, &mut d);
        to.rt.block_on(sidecar(to, c, clients, per_client, warm, &mut s));
    }
    (d, s)
}

fn row(label: &str, transport: &str, clients: usize, d: &Samples, s: &Samples) {
    let (ds, ss) = (d.stats(), s.stats());
    println!(
        "{:<24} {:<9} {:>3}  {:>9.1}µs {:>9.1}µs {:>8.0}   {:>9.1}µs {:>9.1}µs {:>8.0}   {:>+9.1}µs {:>+9.1}µs {:>7.3}× {:>7.3}×",
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
        println!("{:<39} inside the sidecar p50: {total}µs from receipt to reply (ORT run {run}µs, queue wait {queue}µs)", "");
    }
}

/// The machine's floor for any out-of-process call: a 64-byte ping-pong over
/// a Unix socket pair between two threads, the server thread spinning for
/// `work` before it answers; p50 of (round trip − work). `spin`: both ends
/// poll instead of sleeping in `read`.
fn socket_floor(work: Duration, spin: bool) -> Duration {
    use std::io::{ErrorKind, Read, Write};
    let (mut a, mut b) = std::os::unix::net::UnixStream::pair().unwrap();
    a.set_nonblocking(spin).unwrap();
    b.set_nonblocking(spin).unwrap();
    fn read_full(s: &mut std::os::unix::net::UnixStream, buf: &mut [u8]) -> bool {
        let mut got = 0;
        while got < buf.len() {
            match s.read(&mut buf[got..]) {
                Ok(0) => return false,
                Ok(n) => got += n,
                Err(e) if e.kind() == ErrorKind::WouldBlock => std::hint::spin_loop(),
                Err(e) => panic!("{e}"),
            }
        }
        true
    }
    let server = std::thread::spawn(move || {
        let mut buf = [0u8; 64];
        while read_full(&mut b, &mut buf) {
            let t = Instant::now();
            while t.elapsed() < work {
                std::hint::spin_loop();
            }
            b.write_all(&buf).unwrap();
        }
    });
    let mut lat = Vec::new();
    let mut buf = [1u8; 64];
    let iters = (2_000_000 / (work.as_micros() as usize + 50)).clamp(500, 20_000);
    for i in 0..iters {
        let t = Instant::now();
        a.write_all(&buf).unwrap();
        assert!(read_full(&mut a, &mut buf));
        if i >= iters / 10 {
            lat.push(t.elapsed().saturating_sub(work));
        }
    }
    drop(a);
    server.join().unwrap();
    lat.sort();
    lat[lat.len() / 2]
}

/// Busy-poll windows of the `unix+poll` rows: the server polls this long
/// after each reply, the client this long after each request (long enough
/// to cover a 2 ms run).
const SERVER_POLL: Duration = Duration::from_micros(300);
const CLIENT_POLL: Duration = Duration::from_millis(3);

/// The bench proper. Each sidecar runs as `venice-sidecar serve` does (its
/// own I/O thread, run workers); the clients on a runtime of their own, as a
/// separate process would.
fn bench(gpu: bool) {
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    let control_rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let session = SessionConfig { threads: 1, deterministic: !gpu, gpu };
    let (env, lib, version) = runtime::environment(None, gpu).expect("ONNX Runtime (run `make onnxruntime`)");
    let factory = SessionFactory::new(env, session.clone());
    let mut cfg = EngineConfig::new(models_dir());
    cfg.session = session;
    cfg.workers = cores;
    cfg.queue_capacity = 1024;
    let start = |listen: ListenAddr, busy_poll: Option<Duration>| {
        let cfg = ServeConfig { listen, metrics_listen: None, engine: cfg.clone(), busy_poll };
        control_rt.block_on(server::start(cfg)).unwrap()
    };
    let sock_dir = tempfile::tempdir().unwrap();
    let servers = [
        start("127.0.0.1:0".parse().unwrap(), None),
        start(ListenAddr::Unix(sock_dir.path().join("sidecar.sock")), None),
        start(ListenAddr::Unix(sock_dir.path().join("sidecar-poll.sock")), Some(SERVER_POLL)),
    ];
    let plain_rt = || tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let (poll_rt, poll) = client::busy_polling_runtime(CLIENT_POLL).unwrap();
    let targets = [
        Target { label: "tcp", addr: servers[0].addr.to_string(), rt: plain_rt(), client_poll: None },
        Target { label: "unix", addr: servers[1].addr.to_string(), rt: plain_rt(), client_poll: None },
        Target { label: "unix+poll", addr: servers[2].addr.to_string(), rt: poll_rt, client_poll: Some(poll) },
    ];
    println!(
        "ONNX Runtime {version} ({}), provider {}, {cores} cores, sidecar run slots {cores}, intra-op threads 1, same session options direct and in the sidecar",
        lib.display(),
        if gpu { "cuda" } else { "cpu" }
    );
    println!(
        "unix+poll: server --busy-poll-us {}, client on client::busy_polling_runtime({} µs)",
        SERVER_POLL.as_micros(),
        CLIENT_POLL.as_micros()
    );
    for work in [Duration::ZERO, Duration::from_millis(1)] {
        println!(
            "floor: Unix socket ping-pong between two threads, {:>4} µs of work: +{:.1}µs sleeping in read, +{:.1}µs polling",
            work.as_micros(),
            us(socket_floor(work, false)),
            us(socket_floor(work, true))
        );
    }

    for to in &targets {
        // The transport alone: an empty Health round trip.
        to.rt.block_on(async {
            let mut conn = client::connect_with(&to.addr, to.client_poll.clone()).await.unwrap();
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
            println!("gRPC round trip over {:<9} (Health, 1 client): p50 {:.1}µs p99 {:.1}µs", to.label, us(h.p50), us(h.p99));
        });
    }

    // matmul-loop rounds for direct runs of about 1, 2 and 10 ms.
    let probe = case("matmul-loop", Some(200), 0);
    let mut p = Samples::default();
    direct(&factory, &probe, 1, 60, 10, &mut p);
    let per_round = us(p.stats().p50) / 200.0;
    let rounds_for = |micros: f64| ((micros / per_round) as i64).clamp(10, 10_000_000);
    // BENCH_QUICK=1: only the ≈ 1 ms model at one client (a quick check).
    let quick = std::env::var_os("BENCH_QUICK").is_some();
    let cases = if quick {
        vec![case("matmul-loop", Some(rounds_for(1000.0)), 2000)]
    } else {
        vec![
            case("digits-mlp", None, 6000),
            case("docstring-topic", None, 6000),
            case("matmul-loop", Some(rounds_for(1000.0)), 2000),
            case("matmul-loop", Some(rounds_for(2000.0)), 1200),
            case("matmul-loop", Some(rounds_for(10_000.0)), 240),
        ]
    };
    let rows: &[(usize, usize)] = if quick { &[(0, 1), (1, 1), (2, 1)] } else { &[(0, 1), (1, 1), (2, 1), (0, 8), (2, 8)] };

    println!(
        "\n{:<24} {:<9} {:>3}  {:>11} {:>11} {:>8}   {:>11} {:>11} {:>8}   {:>11} {:>11} {:>8} {:>8}",
        "model",
        "via",
        "cli",
        "direct p50",
        "direct p99",
        "direct/s",
        "sidecar p50",
        "sidecar p99",
        "sidecar/s",
        "overhd p50",
        "overhd p99",
        "p50 ×",
        "thr ×"
    );
    for c in &cases {
        // Into the sidecars' caches first, so loading is not measured.
        let mut provider = String::new();
        for to in &targets {
            provider = to.rt.block_on(async {
                let mut conn = client::connect_with(&to.addr, to.client_poll.clone()).await.unwrap();
                conn.run(c.request.clone()).await.unwrap().into_inner().provider
            });
        }
        if gpu && provider != "cuda" {
            println!("({}: the sidecar fell back to {provider})", c.label);
        }
        for &(t, clients) in rows {
            let to = &targets[t];
            let (d, s) = compare(to, &factory, c, clients);
            row(&c.label, to.label, clients, &d, &s);
        }
    }
    println!(
        "\noverhd = sidecar − direct latency (gRPC, input checks, run slot, quantisation, hash, reply); p50 × = sidecar/direct\n\
         p50 latency (target ≤ 1.05× for runs ≥ 1 ms); thr × = direct/sidecar throughput. Direct and sidecar alternate in\n\
         {ROUNDS} rounds per row. unix+poll trades CPU for wake-ups: the client's thread polls while its request runs, the\n\
         server's for {} µs after each reply. `floor` is what any out-of-process call costs on this machine.",
        SERVER_POLL.as_micros()
    );
    control_rt.block_on(async {
        for s in servers {
            s.shutdown().await.unwrap();
        }
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
