//! `make bench` (inference part): the sidecar call as `veniced`'s executor
//! makes it, against a real `venice-sidecar` on a Unix socket running the
//! digits model: the wall time of `Run` plus the executor's canonical-output
//! check, against the time the sidecar itself reports from receipt to reply
//! (`timings.total_micros`), one call at a time; then runs per second with
//! `max_concurrent_runs` (4) in flight, the compute a validator has for
//! tasks (each task runs once on each committee member).
//!
//! Needs `make build-sidecar models` (binaries from `$VENICE_BIN_DIR`,
//! default `build/`). Run: `cargo bench -p veniced --bench executor`
//! (BENCH_QUICK=1: 10x fewer calls).

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::Value;
use venice_e2e::Bins;
use venice_e2e::sidecar::Sidecar as SidecarProcess;
use venice_model_types::QuantRule;
use venice_sidecar_client::client;
use veniced::config::InferenceConfig;
use veniced::executor::{Job, Sidecar, task_result};

fn pct(sorted: &[Duration], p: usize) -> Duration {
    sorted[(sorted.len() * p / 100).min(sorted.len() - 1)]
}

fn us(d: Duration) -> String {
    format!("{:.0} µs", d.as_secs_f64() * 1e6)
}

fn main() {
    let quick = std::env::var("BENCH_QUICK").is_ok_and(|v| v == "1");
    let n = if quick { 200 } else { 2_000 };
    let bins = Bins::locate();
    let models = bins.repo.join("models");
    let index: Value = serde_json::from_str(&std::fs::read_to_string(models.join("index.json")).expect("make models")).unwrap();
    let digits = index["models"].as_array().unwrap().iter().find(|m| m["name"] == "digits-mlp").expect("digits-mlp").clone();
    let sha = digits["sha256"].as_str().unwrap().to_string();
    let sample: Value =
        serde_json::from_str(&std::fs::read_to_string(models.join(digits["sample_input"].as_str().unwrap())).unwrap()).unwrap();
    let rule: QuantRule = serde_json::from_value(digits["rule"].clone()).unwrap();

    let dir = tempfile::tempdir().unwrap();
    let listen = format!("unix:{}", dir.path().join("sidecar.sock").display());
    let store = dir.path().join("store");
    std::fs::create_dir_all(&store).unwrap();
    std::fs::copy(models.join(format!("{sha}.onnx")), store.join(format!("{sha}.onnx"))).unwrap();
    let _sidecar = SidecarProcess::start(&bins, &listen, &store, &dir.path().join("sidecar.log"));

    let job = Job {
        task_id: 1,
        model: sha.clone(),
        uri: format!("file://{}", models.join(format!("{sha}.onnx")).display()),
        rule,
        inputs: client::inputs_from_json(&sample).unwrap(),
        dataset: None,
        max_output_bytes: 4096,
    };
    let cfg = InferenceConfig { sidecar_address: listen, ..Default::default() };
    let sidecar = Arc::new(Sidecar::new(&cfg, Arc::new(|_, _, _| {})));
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();

    rt.block_on(async {
        for _ in 0..50 {
            let r = sidecar.run(&job).await.expect("warm-up run");
            task_result(&job, &r).expect("a consistent answer");
        }
        let mut wall = Vec::with_capacity(n);
        let mut inside = Vec::with_capacity(n);
        for _ in 0..n {
            let t = Instant::now();
            let r = sidecar.run(&job).await.expect("run");
            task_result(&job, &r).expect("a consistent answer");
            wall.push(t.elapsed());
            inside.push(Duration::from_micros(r.timings.as_ref().map_or(0, |t| t.total_micros)));
        }
        wall.sort();
        inside.sort();
        let over: Vec<Duration> = {
            let mut o: Vec<Duration> = wall.iter().zip(&inside).map(|(w, i)| w.saturating_sub(*i)).collect();
            o.sort();
            o
        };
        println!("-- the executor's sidecar call (digits-mlp, Unix socket, one at a time, {n} calls) --");
        println!("seen from veniced (Run + canonical-output check): p50 {}, p99 {}", us(pct(&wall, 50)), us(pct(&wall, 99)));
        println!("inside the sidecar (receipt to reply):            p50 {}, p99 {}", us(pct(&inside, 50)), us(pct(&inside, 99)));
        println!(
            "overhead of the call: p50 {} ({:.0}% of the call)",
            us(pct(&over, 50)),
            100.0 * pct(&over, 50).as_secs_f64() / pct(&wall, 50).as_secs_f64()
        );

        let in_flight = cfg.max_concurrent_runs as usize;
        let t = Instant::now();
        let mut handles = Vec::new();
        for w in 0..in_flight {
            let (sidecar, job) = (sidecar.clone(), job.clone());
            let per = n / in_flight + usize::from(w < n % in_flight);
            handles.push(tokio::spawn(async move {
                for _ in 0..per {
                    let r = sidecar.run(&job).await.expect("run");
                    task_result(&job, &r).expect("a consistent answer");
                }
            }));
        }
        for h in handles {
            h.await.unwrap();
        }
        let rate = n as f64 / t.elapsed().as_secs_f64();
        println!("with {in_flight} in flight: {rate:.0} runs/s (one validator's executor; a task runs once per committee member)");
    });
}
