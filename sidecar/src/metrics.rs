//! Prometheus text-format metrics (no registry crate: a handful of counters
//! and fixed-bucket histograms rendered by hand).

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use crate::runtime::Provider;

/// Latency buckets in seconds: 50 µs to 10 s.
const BUCKETS: [f64; 16] = [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0];

pub struct Histogram {
    counts: [AtomicU64; BUCKETS.len()],
    sum_nanos: AtomicU64,
    count: AtomicU64,
}

impl Default for Histogram {
    fn default() -> Self {
        Histogram { counts: std::array::from_fn(|_| AtomicU64::new(0)), sum_nanos: AtomicU64::new(0), count: AtomicU64::new(0) }
    }
}

impl Histogram {
    pub fn observe(&self, d: Duration) {
        let s = d.as_secs_f64();
        if let Some(i) = BUCKETS.iter().position(|b| s <= *b) {
            self.counts[i].fetch_add(1, Ordering::Relaxed);
        }
        self.sum_nanos.fetch_add(d.as_nanos() as u64, Ordering::Relaxed);
        self.count.fetch_add(1, Ordering::Relaxed);
    }

    pub fn count(&self) -> u64 {
        self.count.load(Ordering::Relaxed)
    }

    fn render(&self, out: &mut String, name: &str, help: &str) {
        let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} histogram");
        let mut cum = 0;
        for (b, c) in BUCKETS.iter().zip(&self.counts) {
            cum += c.load(Ordering::Relaxed);
            let _ = writeln!(out, "{name}_bucket{{le=\"{b}\"}} {cum}");
        }
        let count = self.count.load(Ordering::Relaxed);
        let _ = writeln!(out, "{name}_bucket{{le=\"+Inf\"}} {count}");
        let _ = writeln!(out, "{name}_sum {}", self.sum_nanos.load(Ordering::Relaxed) as f64 / 1e9);
        let _ = writeln!(out, "{name}_count {count}");
    }
}

/// Live numbers for `/metrics` and `Health`. Defined here, where they are
/// rendered, and filled in by the engine: the engine depends on the metrics,
/// not the other way round.
#[derive(Clone, Debug, Default)]
pub struct Gauges {
    pub queued: usize,
    pub running: usize,
    pub loaded: Vec<(String, Option<String>, Provider)>,
    pub draining: bool,
}

#[derive(Default)]
pub struct Metrics {
    /// (method, gRPC code) → count; static keys, so counting allocates nothing.
    requests: Mutex<BTreeMap<(&'static str, i32), u64>>,
    /// error kind → count
    errors: Mutex<BTreeMap<&'static str, u64>>,
    /// Run latency as the client sees it, from receipt to reply.
    pub run_seconds: Histogram,
    /// Time inside ONNX Runtime.
    pub exec_seconds: Histogram,
    /// Time waiting for a run slot.
    pub queue_seconds: Histogram,
}

impl Metrics {
    pub fn request(&self, method: &'static str, code: tonic::Code) {
        *self.requests.lock().unwrap_or_else(|e| e.into_inner()).entry((method, code as i32)).or_default() += 1;
    }

    pub fn error(&self, kind: &'static str) {
        *self.errors.lock().unwrap_or_else(|e| e.into_inner()).entry(kind).or_default() += 1;
    }

    pub fn errors_of(&self, kind: &str) -> u64 {
        self.errors.lock().unwrap_or_else(|e| e.into_inner()).get(kind).copied().unwrap_or(0)
    }

    /// The Prometheus text exposition.
    pub fn render(&self, g: &Gauges, provider: &str, workers: usize, queue_capacity: usize) -> String {
        let mut out = String::new();
        out.push_str(
            "# HELP venice_sidecar_requests_total gRPC requests by method and status code.\n# TYPE venice_sidecar_requests_total counter\n",
        );
        for ((m, c), n) in self.requests.lock().unwrap_or_else(|e| e.into_inner()).iter() {
            let c = tonic::Code::from_i32(*c);
            let _ = writeln!(out, "venice_sidecar_requests_total{{method=\"{m}\",code=\"{c:?}\"}} {n}");
        }
        out.push_str("# HELP venice_sidecar_errors_total Failed requests by kind.\n# TYPE venice_sidecar_errors_total counter\n");
        for (k, n) in self.errors.lock().unwrap_or_else(|e| e.into_inner()).iter() {
            let _ = writeln!(out, "venice_sidecar_errors_total{{kind=\"{k}\"}} {n}");
        }
        self.run_seconds.render(&mut out, "venice_sidecar_run_seconds", "Run latency from receipt to reply.");
        self.exec_seconds.render(&mut out, "venice_sidecar_exec_seconds", "Time spent inside ONNX Runtime per run.");
        self.queue_seconds.render(&mut out, "venice_sidecar_queue_wait_seconds", "Time a run waited for a run slot.");
        let gauge = |out: &mut String, name: &str, help: &str, v: usize| {
            let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {v}");
        };
        gauge(&mut out, "venice_sidecar_queue_depth", "Runs waiting for a run slot.", g.queued);
        gauge(&mut out, "venice_sidecar_queue_capacity", "Runs that may wait before RESOURCE_EXHAUSTED.", queue_capacity);
        gauge(&mut out, "venice_sidecar_running", "Runs executing now.", g.running);
        gauge(&mut out, "venice_sidecar_workers", "Runs that may execute at once.", workers);
        gauge(&mut out, "venice_sidecar_loaded_models", "Models in the session cache.", g.loaded.len());
        out.push_str(
            "# HELP venice_sidecar_model_loaded A loaded model and the provider it runs on.\n# TYPE venice_sidecar_model_loaded gauge\n",
        );
        for (sha, name, p) in &g.loaded {
            let _ = writeln!(
                out,
                "venice_sidecar_model_loaded{{model=\"{sha}\",name=\"{}\",provider=\"{}\"}} 1",
                name.as_deref().unwrap_or(""),
                p.name()
            );
        }
        let _ = writeln!(
            out,
            "# HELP venice_sidecar_execution_provider Provider requested at start.\n# TYPE venice_sidecar_execution_provider gauge\nvenice_sidecar_execution_provider{{provider=\"{provider}\"}} 1"
        );
        gauge(&mut out, "venice_sidecar_draining", "1 while shutting down.", usize::from(g.draining));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histogram_is_cumulative() {
        let h = Histogram::default();
        h.observe(Duration::from_micros(30));
        h.observe(Duration::from_millis(3));
        h.observe(Duration::from_secs(60));
        let mut s = String::new();
        h.render(&mut s, "x", "help");
        assert!(s.contains("x_bucket{le=\"0.00005\"} 1\n"));
        assert!(s.contains("x_bucket{le=\"0.005\"} 2\n"));
        assert!(s.contains("x_bucket{le=\"10\"} 2\n"));
        assert!(s.contains("x_bucket{le=\"+Inf\"} 3\n"));
        assert!(s.contains("x_count 3\n"));
    }
}
