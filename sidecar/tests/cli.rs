//! The `venice-sidecar` binary: `serve`, then the client modes against it,
//! and a restart of the process giving the same hash.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use common::*;

const BIN: &str = env!("CARGO_BIN_EXE_venice-sidecar");

struct Serving {
    child: Child,
    addr: String,
    metrics: String,
}

impl Serving {
    fn start(extra: &[&str]) -> Serving {
        let mut child = Command::new(BIN)
            .args(["serve", "--model-dir", models_dir().to_str().unwrap(), "--listen", "127.0.0.1:0", "--metrics-listen", "127.0.0.1:0"])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn venice-sidecar");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        // "venice-sidecar listening on ADDR metrics http://ADDR/metrics"
        let words: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(words.get(1..3), Some(&["listening", "on"][..]), "unexpected first line: {line}");
        Serving { child, addr: words[3].to_string(), metrics: words[5].to_string() }
    }

    fn cli(&self, args: &[&str]) -> std::process::Output {
        Command::new(BIN).args(args).args(["--addr", &self.addr]).output().unwrap()
    }

    /// SIGTERM, then the exit status of a graceful shutdown.
    fn stop(mut self) -> std::process::ExitStatus {
        // SAFETY: signalling our own child process by its id.
        let rc = unsafe { libc::kill(self.child.id() as libc::pid_t, libc::SIGTERM) };
        assert_eq!(rc, 0);
        self.child.wait().unwrap()
    }
}

fn run_json(s: &Serving, model: &str, input: &std::path::Path) -> serde_json::Value {
    let out = s.cli(&["run", "--model", model, "--input", input.to_str().unwrap()]);
    assert!(out.status.success(), "run failed: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn cli_run_models_and_restart_give_the_same_hash() {
    let digits = models_dir().join("digits-mlp.sample.json");
    let topic = models_dir().join("docstring-topic.sample.json");

    let first = Serving::start(&["--deterministic"]);
    let a = run_json(&first, &sha("digits-mlp"), &digits);
    assert_eq!(a["model"], sha("digits-mlp"));
    assert_eq!(a["provider"], "cpu");
    assert_eq!(a["rule_id"], "fixed-point/v1");
    assert_eq!(a["outputs"]["probabilities"]["shape"], serde_json::json!([1, 10]));
    assert_eq!(a["outputs"]["label"]["data"], entry("digits-mlp")["expected"]["label"]);
    assert_eq!(a["output_hash"].as_str().unwrap().len(), 64);
    assert!(a["micros"].as_u64().is_some());
    let t = run_json(&first, "docstring-topic", &topic); // by name, for people
    let models = first.cli(&["models"]);
    let list: serde_json::Value = serde_json::from_slice(&models.stdout).unwrap();
    assert_eq!(list.as_array().unwrap().len(), 3);
    let health: serde_json::Value = serde_json::from_slice(&first.cli(&["health"]).stdout).unwrap();
    assert_eq!(health["status"], "SERVING");
    assert_eq!(health["deterministic"], true);
    assert!(first.metrics.starts_with("http://127.0.0.1:"));
    assert!(first.stop().success(), "graceful exit on SIGTERM");

    // A new process, other thread settings, busy polling: the same bits.
    let second = Serving::start(&["--deterministic", "--threads", "2", "--workers", "1", "--busy-poll-us", "200"]);
    assert_eq!(run_json(&second, &sha("digits-mlp"), &digits)["output_hash"], a["output_hash"]);
    assert_eq!(run_json(&second, &sha("docstring-topic"), &topic)["output_hash"], t["output_hash"]);
    assert_eq!(run_json(&second, &sha("digits-mlp"), &digits)["outputs"], a["outputs"]);
    assert!(second.stop().success());
}

#[test]
fn cli_errors_are_one_line_and_name_the_input() {
    let s = Serving::start(&[]);
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.json");
    let mut j = sample_json("digits-mlp");
    j["inputs"]["input"]["dtype"] = "int64".into();
    j["inputs"]["input"]["data"] = serde_json::json!(vec![0; 64]);
    std::fs::write(&bad, j.to_string()).unwrap();
    let out = s.cli(&["run", "--model", &sha("digits-mlp"), "--input", bad.to_str().unwrap()]);
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("input `input`: dtype int64 but the model expects float32"), "{err}");

    // Malformed values are caught before any request, still naming the input.
    j["inputs"]["input"]["dtype"] = "float32".into();
    j["inputs"]["input"]["data"][3] = "x".into();
    std::fs::write(&bad, j.to_string()).unwrap();
    let out = s.cli(&["run", "--model", &sha("digits-mlp"), "--input", bad.to_str().unwrap()]);
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("input `input`: data[3] = \"x\" is not a number"), "{err}");
    assert!(s.stop().success());
}
