//! Prometheus metrics of `veniced` (text exposition format), served on
//! `metrics_address` (app.toml; default 127.0.0.1:26661, beside CometBFT's
//! own :26660): block height, FinalizeBlock and Commit latency, transaction
//! results by code, mempool checks, store size. Node-local observation
//! only: nothing here touches state.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tracing::{error, info, warn};

use crate::app::App;

/// Upper bounds of the latency histograms, in seconds.
const BUCKETS: [f64; 12] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0];

/// A latency histogram (cumulative buckets, as Prometheus expects).
#[derive(Default)]
pub struct Histogram {
    counts: [AtomicU64; BUCKETS.len()],
    count: AtomicU64,
    sum_micros: AtomicU64,
}

impl Histogram {
    pub fn observe(&self, d: Duration) {
        let secs = d.as_secs_f64();
        for (i, bound) in BUCKETS.iter().enumerate() {
            if secs <= *bound {
                self.counts[i].fetch_add(1, Ordering::Relaxed);
            }
        }
        self.count.fetch_add(1, Ordering::Relaxed);
        self.sum_micros.fetch_add(d.as_micros() as u64, Ordering::Relaxed);
    }

    fn render(&self, out: &mut String, name: &str, help: &str) {
        let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} histogram");
        for (i, bound) in BUCKETS.iter().enumerate() {
            let _ = writeln!(out, "{name}_bucket{{le=\"{bound}\"}} {}", self.counts[i].load(Ordering::Relaxed));
        }
        let count = self.count.load(Ordering::Relaxed);
        let _ = writeln!(out, "{name}_bucket{{le=\"+Inf\"}} {count}");
        let _ = writeln!(out, "{name}_sum {}", self.sum_micros.load(Ordering::Relaxed) as f64 / 1e6);
        let _ = writeln!(out, "{name}_count {count}");
    }
}

/// What the app counts as it runs.
#[derive(Default)]
pub struct Metrics {
    pub finalize_block: Histogram,
    pub commit: Histogram,
    /// Delivered txs by (codespace, code); code 0 is success.
    txs: Mutex<BTreeMap<(String, u32), u64>>,
    check_tx_accepted: AtomicU64,
    check_tx_rejected: AtomicU64,
    queries: AtomicU64,
    /// The inference executor's sidecar calls by (call, outcome), and their latency.
    sidecar_calls: Mutex<BTreeMap<(&'static str, &'static str), u64>>,
    sidecar_latency: Histogram,
}

impl Metrics {
    pub fn tx_result(&self, codespace: &str, code: u32) {
        let mut m = self.txs.lock().unwrap_or_else(|p| p.into_inner());
        *m.entry((codespace.to_string(), code)).or_default() += 1;
    }

    pub fn check_tx(&self, accepted: bool) {
        let c = if accepted { &self.check_tx_accepted } else { &self.check_tx_rejected };
        c.fetch_add(1, Ordering::Relaxed);
    }

    pub fn query(&self) {
        self.queries.fetch_add(1, Ordering::Relaxed);
    }

    /// One sidecar call (`connect`, `load_model`, `run`) and how long it took.
    pub fn sidecar_call(&self, call: &'static str, ok: bool, took: Duration) {
        let mut m = self.sidecar_calls.lock().unwrap_or_else(|p| p.into_inner());
        *m.entry((call, if ok { "ok" } else { "error" })).or_default() += 1;
        self.sidecar_latency.observe(took);
    }
}

/// The exposition text for `app`.
pub fn render(app: &App) -> String {
    let m = &app.metrics;
    let mut out = String::new();
    let last = app.store.last_commit();
    let gauge = |out: &mut String, name: &str, help: &str, v: u64| {
        let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {v}");
    };
    gauge(&mut out, "veniced_block_height", "Last committed height.", last.height);
    m.finalize_block.render(&mut out, "veniced_finalize_block_seconds", "Time spent in FinalizeBlock.");
    m.commit.render(&mut out, "veniced_commit_seconds", "Time spent in Commit.");
    let _ = writeln!(out, "# HELP veniced_txs_total Delivered transactions by result code.\n# TYPE veniced_txs_total counter");
    for ((space, code), n) in m.txs.lock().unwrap_or_else(|p| p.into_inner()).iter() {
        let _ = writeln!(out, "veniced_txs_total{{codespace=\"{space}\",code=\"{code}\"}} {n}");
    }
    let _ = writeln!(out, "# HELP veniced_check_tx_total Mempool checks by outcome.\n# TYPE veniced_check_tx_total counter");
    let _ = writeln!(out, "veniced_check_tx_total{{result=\"accepted\"}} {}", m.check_tx_accepted.load(Ordering::Relaxed));
    let _ = writeln!(out, "veniced_check_tx_total{{result=\"rejected\"}} {}", m.check_tx_rejected.load(Ordering::Relaxed));
    let _ = writeln!(out, "# HELP veniced_queries_total ABCI queries answered.\n# TYPE veniced_queries_total counter");
    let _ = writeln!(out, "veniced_queries_total {}", m.queries.load(Ordering::Relaxed));
    let _ = writeln!(
        out,
        "# HELP veniced_sidecar_calls_total Inference executor calls to the sidecar.\n# TYPE veniced_sidecar_calls_total counter"
    );
    for ((call, outcome), n) in m.sidecar_calls.lock().unwrap_or_else(|p| p.into_inner()).iter() {
        let _ = writeln!(out, "veniced_sidecar_calls_total{{call=\"{call}\",outcome=\"{outcome}\"}} {n}");
    }
    m.sidecar_latency.render(&mut out, "veniced_sidecar_call_seconds", "Latency of the inference executor's sidecar calls.");
    match app.store.size_on_disk() {
        Ok(bytes) => gauge(&mut out, "veniced_store_bytes", "Size of the sled store on disk.", bytes),
        Err(e) => warn!(error = %e, "metrics: store size"),
    }
    out
}

/// Serve `GET /metrics` on `addr` from a thread of its own (one request per
/// connection, as Prometheus scrapes). A port in use is logged, not fatal:
/// several nodes on one machine may share a config.
pub fn spawn(app: Arc<App>, addr: &str) -> Option<std::net::SocketAddr> {
    let listener = match TcpListener::bind(addr) {
        Ok(l) => l,
        Err(e) => {
            error!(%addr, error = %e, "metrics server not started: cannot bind");
            return None;
        }
    };
    let local = listener.local_addr().ok();
    info!(%addr, "Prometheus metrics at /metrics");
    let spawned = std::thread::Builder::new().name("metrics".into()).spawn(move || {
        for stream in listener.incoming().flatten() {
            if let Err(e) = answer(&app, stream) {
                warn!(error = %e, "metrics request");
            }
        }
    });
    spawned.ok().and(local)
}

fn answer(app: &App, stream: TcpStream) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    // Drain the headers; the request has no body.
    let mut line = String::new();
    while reader.read_line(&mut line)? > 2 {
        line.clear();
    }
    let path = request_line.split_whitespace().nth(1).unwrap_or("");
    let (status, ctype, body) = if request_line.starts_with("GET ") && (path == "/metrics" || path.starts_with("/metrics?")) {
        ("200 OK", "text/plain; version=0.0.4; charset=utf-8", render(app))
    } else {
        ("404 Not Found", "text/plain; charset=utf-8", "veniced serves GET /metrics\n".to_string())
    };
    let mut stream = stream;
    write!(stream, "HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len())?;
    stream.flush()
}
