//! The sidecar end to end, with the real ONNX Runtime library and the real
//! models of `models/`, over gRPC on loopback (and a Unix socket).

mod common;

use std::time::{Duration, Instant};

use common::*;
use tonic::Code;
use venice_model_types::QuantRule;
use venice_model_types::quant::{self, ElemType};
use venice_sidecar::pb;
use venice_sidecar::rules;
use venice_sidecar::tensor;

/// Recomputes the hash from the quantised values the sidecar returned, the
/// way the chain will, and decodes the raw outputs to re-quantise them.
fn check_hash(r: &pb::RunResponse) {
    let rule = rules::from_pb(r.rule.as_ref().unwrap()).unwrap();
    let q = rules::quantized_from_pb(&r.quantized).unwrap();
    assert_eq!(quant::output_hash(&rule, &q).to_vec(), r.output_hash, "hash over the returned quantised values");
    let outs: Vec<quant::OutputTensor> = r
        .outputs
        .iter()
        .map(|t| quant::OutputTensor {
            name: t.name.clone(),
            shape: t.shape.iter().map(|d| *d as u64).collect(),
            values: tensor::decode(&t.name, ElemType::from_name(&t.dtype).unwrap(), &t.data).unwrap(),
        })
        .collect();
    let (q2, h2) = quant::quantize_and_hash(&rule, &outs).unwrap();
    assert_eq!(q2, q);
    assert_eq!(h2.to_vec(), r.output_hash);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn runs_every_real_model() {
    let (server, mut c) = start(config(models_dir())).await;
    for m in index()["models"].as_array().unwrap() {
        let name = m["name"].as_str().unwrap();
        let r = c.run(run_request(name)).await.unwrap_or_else(|e| panic!("{name}: {e}")).into_inner();
        assert_eq!(r.model, m["sha256"].as_str().unwrap());
        assert_eq!(r.provider, "cpu");
        assert_eq!(r.output_hash.len(), 32);
        // Outputs in the model's order, with the dtypes index.json records.
        let names: Vec<&str> = m["outputs"].as_array().unwrap().iter().map(|o| o["name"].as_str().unwrap()).collect();
        assert_eq!(r.outputs.iter().map(|o| o.name.as_str()).collect::<Vec<_>>(), names);
        for (o, spec) in r.outputs.iter().zip(m["outputs"].as_array().unwrap()) {
            assert_eq!(o.dtype, spec["dtype"].as_str().unwrap());
        }
        let rule: QuantRule = serde_json::from_value(m["rule"].clone()).unwrap();
        assert_eq!(rules::from_pb(r.rule.as_ref().unwrap()).unwrap(), rule);
        assert_eq!(r.rule_id, rule.id());
        check_hash(&r);
        // The label scikit-learn predicted for the sample when the model was made.
        if let Some(want) = m["expected"]["label"].as_array() {
            let label = r.outputs.iter().find(|o| o.name == "label").unwrap();
            let got = tensor::decode("label", ElemType::Int64, &label.data).unwrap();
            assert_eq!(got, quant::Values::I64(want.iter().map(|v| v.as_i64().unwrap()).collect()), "{name}");
        }
    }
    // docstring-topic under argmax: logits [1, 4] become one index.
    let r = c.run(run_request("docstring-topic")).await.unwrap().into_inner();
    let logits = r.quantized.iter().find(|q| q.name == "logits").unwrap();
    assert_eq!(logits.shape, vec![1]);
    assert!((0..4).contains(&logits.values[0]));

    let list = c.list_models(pb::ListModelsRequest {}).await.unwrap().into_inner();
    assert_eq!(list.models.len(), 3);
    assert!(list.models.iter().all(|m| m.loaded && m.provider == "cpu" && !m.inputs.is_empty()));
    server.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hashes_are_identical_across_runs_threads_and_concurrency() {
    let names = ["digits-mlp", "docstring-topic", "matmul-loop"];
    let collect = |r: pb::RunResponse| (r.output_hash, r.outputs.into_iter().map(|o| o.data).collect::<Vec<_>>());

    let (one, mut c1) = start(config(models_dir())).await;
    let mut first = Vec::new();
    for name in names {
        let want = collect(c1.run(run_request(name)).await.unwrap().into_inner());
        for _ in 0..20 {
            assert_eq!(collect(c1.run(run_request(name)).await.unwrap().into_inner()), want, "{name}: repeated runs");
        }
        // Eight at once: each worker holds its own session.
        let mut tasks = Vec::new();
        for _ in 0..8 {
            let mut c = c1.clone();
            tasks.push(tokio::spawn(async move { c.run(run_request(name)).await.unwrap().into_inner() }));
        }
        for t in tasks {
            assert_eq!(collect(t.await.unwrap()), want, "{name}: concurrent runs");
        }
        first.push(want);
    }
    one.shutdown().await.unwrap();

    // Two intra-op threads per session, in a fresh engine.
    let mut cfg = config(models_dir());
    cfg.session.threads = 2;
    cfg.workers = 1;
    let (two, mut c2) = start(cfg).await;
    for (name, want) in names.iter().zip(&first) {
        assert_eq!(&collect(c2.run(run_request(name)).await.unwrap().into_inner()), want, "{name}: threads 1 vs 2");
    }
    two.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tampered_bytes_are_refused_and_nothing_is_cached() {
    let store = tempfile::tempdir().unwrap();
    let src = tempfile::tempdir().unwrap();
    let digits = model_bytes("digits-mlp");
    let file = src.path().join("model.onnx");
    std::fs::write(&file, &digits).unwrap();
    let (server, mut c) = start(config(store.path().to_path_buf())).await;

    // Claim the bytes are another model.
    let other = sha("docstring-topic");
    let uri = format!("file://{}", file.display());
    let e = c.load_model(pb::LoadModelRequest { model: other.clone(), uri: uri.clone(), rule: None }).await.unwrap_err();
    assert_eq!(e.code(), Code::FailedPrecondition);
    assert!(e.message().contains("refused"), "{}", e.message());
    assert!(c.list_models(pb::ListModelsRequest {}).await.unwrap().into_inner().models.is_empty());
    assert_eq!(std::fs::read_dir(store.path()).unwrap().count(), 0, "nothing written to the store");
    let e = c
        .run(pb::RunRequest { model: other.clone(), inputs: sample_inputs("docstring-topic"), timeout_ms: 0, rule: None })
        .await
        .unwrap_err();
    assert_eq!(e.code(), Code::NotFound);

    // The honest hash loads, lands in the store, and runs with a rule given at load.
    let rule = QuantRule::Argmax;
    let r =
        c.load_model(pb::LoadModelRequest { model: sha("digits-mlp"), uri, rule: Some(rules::to_pb(&rule)) }).await.unwrap().into_inner();
    let info = r.model.unwrap();
    assert!(info.loaded);
    assert_eq!(info.inputs[0].name, "input");
    assert_eq!(info.inputs[0].shape, vec![-1, 64]);
    assert!(store.path().join(format!("{}.onnx", sha("digits-mlp"))).exists());
    let out = c
        .run(pb::RunRequest { model: sha("digits-mlp"), inputs: sample_inputs("digits-mlp"), timeout_ms: 0, rule: None })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(out.rule_id, "argmax/v1");

    // A store file whose bytes changed on disk is refused too.
    std::fs::write(store.path().join(format!("{other}.onnx")), &digits).unwrap();
    let e = c.run(pb::RunRequest { model: other, inputs: sample_inputs("docstring-topic"), timeout_ms: 0, rule: None }).await.unwrap_err();
    assert_eq!(e.code(), Code::FailedPrecondition);
    assert!(e.message().contains("hash to"), "{}", e.message());
    server.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn corrupt_model_is_refused() {
    let store = tempfile::tempdir().unwrap();
    let src = tempfile::tempdir().unwrap();
    let (server, mut c) = start(config(store.path().to_path_buf())).await;
    let digits = model_bytes("digits-mlp");
    for (what, bytes) in [("truncated", digits[..digits.len() / 2].to_vec()), ("garbage", b"this is not an ONNX model at all".repeat(10))] {
        let file = src.path().join(what);
        std::fs::write(&file, &bytes).unwrap();
        let hash = venice_sidecar::store::sha256_hex(&bytes);
        let e = c.load_model(pb::LoadModelRequest { model: hash.clone(), uri: file.display().to_string(), rule: None }).await.unwrap_err();
        assert_eq!(e.code(), Code::FailedPrecondition, "{what}: {}", e.message());
        assert!(e.message().contains("cannot be loaded"), "{what}: {}", e.message());
        assert!(!store.path().join(format!("{hash}.onnx")).exists(), "{what}: not kept");
    }
    let e = c.load_model(pb::LoadModelRequest { model: "abc".into(), uri: String::new(), rule: None }).await.unwrap_err();
    assert_eq!(e.code(), Code::InvalidArgument);
    // Still serving.
    assert_eq!(c.health(pb::HealthRequest {}).await.unwrap().into_inner().status, "SERVING");
    server.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_inputs_get_clear_errors() {
    let mut cfg = config(models_dir());
    cfg.max_input_bytes = 1 << 20;
    let (server, mut c) = start(cfg).await;
    let base = run_request("digits-mlp");
    let with = |f: &dyn Fn(&mut pb::Tensor)| {
        let mut r = base.clone();
        f(&mut r.inputs[0]);
        r
    };
    let cases: Vec<(&str, pb::RunRequest, &str)> = vec![
        ("wrong name", with(&|t| t.name = "pixels".into()), "input `pixels`: the model has no such input (inputs: input)"),
        (
            "wrong dtype",
            with(&|t| {
                t.dtype = "float64".into();
                t.data = t.data.chunks(4).flat_map(|c| f64::from(f32::from_le_bytes(c.try_into().unwrap())).to_le_bytes()).collect();
            }),
            "input `input`: dtype float64 but the model expects float32",
        ),
        ("wrong rank", with(&|t| t.shape = vec![64]), "input `input`: shape [64] has rank 1 but the model expects rank 2"),
        (
            "wrong dim",
            with(&|t| {
                t.shape = vec![2, 32];
            }),
            "input `input`: shape [2, 32]: dimension 1 is 32 but the model expects 64",
        ),
        ("short data", with(&|t| t.data.truncate(100)), "input `input`: 100 bytes of data but shape [1, 64] of float32 needs 256"),
        (
            "empty batch",
            with(&|t| {
                t.shape = vec![0, 64];
                t.data.clear();
            }),
            "empty tensors are refused",
        ),
        ("NaN", with(&|t| t.data[8..12].copy_from_slice(&f32::NAN.to_le_bytes())), "input `input`: element 2 is NaN"),
        ("unknown dtype", with(&|t| t.dtype = "string".into()), "input `input`: unknown dtype `string`"),
    ];
    for (what, req, want) in cases {
        let e = c.run(req).await.unwrap_err();
        assert_eq!(e.code(), Code::InvalidArgument, "{what}: {}", e.message());
        assert!(e.message().contains(want), "{what}: got `{}`", e.message());
    }
    let mut missing = base.clone();
    missing.inputs.clear();
    let e = c.run(missing).await.unwrap_err();
    assert_eq!(e.message(), "input `input`: missing (the model needs input)");
    // Integer outputs are fine under `exact`, float ones are not.
    let mut exact = base.clone();
    exact.rule = Some(rules::to_pb(&QuantRule::Exact));
    let e = c.run(exact).await.unwrap_err();
    assert_eq!(e.code(), Code::FailedPrecondition);
    assert!(e.message().contains("`probabilities` is floating-point"), "{}", e.message());
    // Over the size limit.
    let mut big = base.clone();
    big.inputs[0].shape = vec![5_000, 64];
    big.inputs[0].data = vec![0; 5_000 * 64 * 4];
    let e = c.run(big).await.unwrap_err();
    assert_eq!(e.code(), Code::InvalidArgument);
    assert!(e.message().contains("over the"), "{}", e.message());
    // None of that hurt the service.
    c.run(base).await.unwrap();
    server.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expired_deadline_stops_a_runaway_model() {
    let (server, mut c) = start(config(models_dir())).await;
    // A billion rounds would take hours; the deadline stops it.
    let started = Instant::now();
    let e = c.run(loop_request(1_000_000_000, 300)).await.unwrap_err();
    assert_eq!(e.code(), Code::DeadlineExceeded, "{}", e.message());
    assert!(started.elapsed() < Duration::from_secs(20), "returned at the deadline, not at the end of the run");
    // The worker is free again (the run was terminated, not abandoned).
    wait_health(&mut c, |h| h.running == 0).await;
    // The gRPC deadline (grpc-timeout header) is honoured too.
    let mut req = tonic::Request::new(loop_request(1_000_000_000, 0));
    req.set_timeout(Duration::from_millis(300));
    let e = c.run(req).await.unwrap_err();
    assert!(matches!(e.code(), Code::DeadlineExceeded | Code::Cancelled), "{e}");
    wait_health(&mut c, |h| h.running == 0).await;
    // (tonic itself answers the expired grpc-timeout, so only the first
    // one reaches the engine's error count; the worker stopped either way.)
    assert!(server.engine.metrics().errors_of("deadline") >= 1);
    // And normal work goes on.
    c.run(loop_request(10, 0)).await.unwrap();
    server.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn full_queue_is_resource_exhausted() {
    let mut cfg = config(models_dir());
    cfg.workers = 1;
    cfg.queue_capacity = 1;
    let (server, mut c) = start(cfg).await;
    c.run(loop_request(1, 0)).await.unwrap(); // loaded before the clock matters
    let mut ca = c.clone();
    let a = tokio::spawn(async move { ca.run(loop_request(1_000_000_000, 1500)).await });
    wait_health(&mut c, |h| h.running == 1).await;
    let mut cb = c.clone();
    let b = tokio::spawn(async move { cb.run(loop_request(1_000_000_000, 1500)).await });
    wait_health(&mut c, |h| h.queue_depth == 1).await;
    let e = c.run(loop_request(1, 0)).await.unwrap_err();
    assert_eq!(e.code(), Code::ResourceExhausted);
    assert!(e.message().contains("queue is full"), "{}", e.message());
    assert_eq!(a.await.unwrap().unwrap_err().code(), Code::DeadlineExceeded);
    assert_eq!(b.await.unwrap().unwrap_err().code(), Code::DeadlineExceeded);
    // Room again.
    c.run(loop_request(1, 0)).await.unwrap();
    let metrics = reqwest::get(format!("http://{}/metrics", server.metrics_addr.unwrap())).await.unwrap().text().await.unwrap();
    assert!(metrics.contains("venice_sidecar_errors_total{kind=\"queue_full\"} 1"), "{metrics}");
    assert!(metrics.contains("venice_sidecar_requests_total{method=\"Run\",code=\"ResourceExhausted\"} 1"));
    server.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_and_healthz_over_http() {
    let (server, mut c) = start(config(models_dir())).await;
    c.run(run_request("digits-mlp")).await.unwrap();
    let base = format!("http://{}", server.metrics_addr.unwrap());
    let h = reqwest::get(format!("{base}/healthz")).await.unwrap();
    assert_eq!(h.status(), 200);
    let m = reqwest::get(format!("{base}/metrics")).await.unwrap().text().await.unwrap();
    for want in [
        "venice_sidecar_requests_total{method=\"Run\",code=\"Ok\"} 1",
        "venice_sidecar_run_seconds_count 1",
        "venice_sidecar_exec_seconds_bucket{le=\"+Inf\"} 1",
        "venice_sidecar_queue_depth 0",
        "venice_sidecar_loaded_models 1",
        &format!("venice_sidecar_model_loaded{{model=\"{}\",name=\"digits-mlp\",provider=\"cpu\"}} 1", sha("digits-mlp")),
        "venice_sidecar_execution_provider{provider=\"cpu\"} 1",
    ] {
        assert!(m.contains(want), "missing `{want}` in\n{m}");
    }
    server.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn graceful_shutdown_drains_in_flight_work() {
    let (server, mut c) = start(config(models_dir())).await;
    c.run(loop_request(1, 0)).await.unwrap();
    let mut ca = c.clone();
    // A run of a few hundred ms, well inside its budget.
    let a = tokio::spawn(async move { ca.run(loop_request(100_000, 60_000)).await });
    wait_health(&mut c, |h| h.running == 1).await;
    server.shutdown().await.unwrap();
    let r = a.await.unwrap().expect("the in-flight run completes during shutdown");
    assert_eq!(r.into_inner().output_hash.len(), 32);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serves_on_a_unix_socket() {
    let dir = tempfile::tempdir().unwrap();
    let sock = dir.path().join("sidecar.sock");
    let cfg = venice_sidecar::server::ServeConfig {
        listen: venice_sidecar::server::ListenAddr::Unix(sock.clone()),
        metrics_listen: None,
        engine: config(models_dir()),
        busy_poll: None,
    };
    let server = venice_sidecar::server::start(cfg).await.unwrap();
    let mut c = venice_sidecar::client::connect(&format!("unix:{}", sock.display())).await.unwrap();
    let r = c.run(run_request("docstring-topic")).await.unwrap().into_inner();
    check_hash(&r);
    server.shutdown().await.unwrap();
    assert!(!sock.exists(), "socket file removed at shutdown");
}

/// Busy polling on both ends (server `busy_poll`, a client on
/// `busy_polling_runtime`) changes no result: runs inline and on workers
/// (concurrent ones), errors and deadlines all come back as without it.
#[test]
fn busy_polling_on_both_ends_gives_the_same_answers() {
    let dir = tempfile::tempdir().unwrap();
    let sock = dir.path().join("sidecar.sock");
    let (rt, busy) = venice_sidecar::client::busy_polling_runtime(Duration::from_millis(2)).unwrap();
    rt.block_on(async {
        let cfg = venice_sidecar::server::ServeConfig {
            listen: venice_sidecar::server::ListenAddr::Unix(sock.clone()),
            metrics_listen: None,
            engine: config(models_dir()),
            busy_poll: Some(Duration::from_micros(300)),
        };
        let server = venice_sidecar::server::start(cfg).await.unwrap();
        let addr = format!("unix:{}", sock.display());
        let mut c = venice_sidecar::client::connect_with(&addr, Some(busy.clone())).await.unwrap();
        let first = c.run(run_request("digits-mlp")).await.unwrap().into_inner();
        check_hash(&first);
        for _ in 0..50 {
            assert_eq!(c.run(run_request("digits-mlp")).await.unwrap().into_inner().output_hash, first.output_hash);
        }
        // Four at once: some go to workers, whose replies end the I/O thread's poll.
        let runs: Vec<_> = (0..4)
            .map(|_| {
                let mut c = c.clone();
                tokio::spawn(async move { c.run(loop_request(2000, 0)).await.map(|r| r.into_inner().output_hash) })
            })
            .collect();
        let mut hashes = Vec::new();
        for r in runs {
            hashes.push(r.await.unwrap().unwrap());
        }
        assert!(hashes.windows(2).all(|w| w[0] == w[1]), "the same run gives the same hash wherever it ran");
        let e = c.run(loop_request(1_000_000_000, 200)).await.unwrap_err();
        assert_eq!(e.code(), Code::DeadlineExceeded, "{}", e.message());
        let mut bad = run_request("digits-mlp");
        bad.inputs[0].name = "nope".into();
        assert_eq!(c.run(bad).await.unwrap_err().code(), Code::InvalidArgument);
        server.shutdown().await.unwrap();
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gpu_request_falls_back_to_cpu_without_cuda() {
    // The CPU build of ONNX Runtime has no CUDA provider: registration fails
    // (error_on_failure) and the model runs on CPU, with the same hash.
    let mut cfg = config(models_dir());
    cfg.session.gpu = true;
    // The CPU build, even where `make onnxruntime-gpu` has been run (with
    // `gpu` the search prefers the CUDA build).
    let cpu_lib = venice_sidecar::runtime::library_candidates(None, false).into_iter().find(|p| p.exists()).unwrap();
    cfg.ort_lib = Some(cpu_lib);
    let (server, mut c) = start(cfg).await;
    let h = c.health(pb::HealthRequest {}).await.unwrap().into_inner();
    assert_eq!(h.provider, "cuda");
    let r = c.run(run_request("digits-mlp")).await.unwrap().into_inner();
    assert_eq!(r.provider, "cpu");
    server.shutdown().await.unwrap();
    let (cpu, mut c2) = start(config(models_dir())).await;
    assert_eq!(c2.run(run_request("digits-mlp")).await.unwrap().into_inner().output_hash, r.output_hash);
    cpu.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn loads_over_http_and_evicts_least_recently_used() {
    // A model server on loopback.
    let digits = model_bytes("digits-mlp");
    let topic = model_bytes("docstring-topic");
    let app = axum::Router::new()
        .route("/digits.onnx", axum::routing::get(move || async move { digits }))
        .route("/topic.onnx", axum::routing::get(move || async move { topic }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let http = tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    let store = tempfile::tempdir().unwrap();
    let mut cfg = config(store.path().to_path_buf());
    // Room for digits-mlp (10.7 KB) or docstring-topic (66 KB), each counted
    // twice (bytes + one session), not both.
    cfg.cache_bytes = 150_000;
    let (server, mut c) = start(cfg).await;
    let load = |model: String, uri: String| pb::LoadModelRequest { model, uri, rule: None };

    let e = c.load_model(load(sha("digits-mlp"), format!("{base}/missing.onnx"))).await.unwrap_err();
    assert_eq!(e.code(), Code::Unavailable, "{}", e.message());
    assert!(e.message().contains("HTTP 404"), "{}", e.message());
    let e = c.load_model(load(sha("docstring-topic"), format!("{base}/digits.onnx"))).await.unwrap_err();
    assert_eq!(e.code(), Code::FailedPrecondition, "wrong bytes over HTTP are refused too");

    c.load_model(load(sha("digits-mlp"), format!("{base}/digits.onnx"))).await.unwrap();
    c.load_model(load(sha("docstring-topic"), format!("{base}/topic.onnx"))).await.unwrap();
    let loaded = |l: &pb::ListModelsResponse, s: &str| l.models.iter().find(|m| m.model == s).map(|m| m.loaded);
    let l = c.list_models(pb::ListModelsRequest {}).await.unwrap().into_inner();
    assert_eq!(l.models.len(), 2, "both kept in the store");
    assert_eq!(loaded(&l, &sha("digits-mlp")), Some(false), "least recently used evicted");
    assert_eq!(loaded(&l, &sha("docstring-topic")), Some(true));
    // An evicted model reloads from the store on its next run.
    let r = c
        .run(pb::RunRequest {
            model: sha("digits-mlp"),
            inputs: sample_inputs("digits-mlp"),
            timeout_ms: 0,
            rule: Some(rules::to_pb(&QuantRule::Argmax)),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(r.quantized[1].values.len(), 1);
    let l = c.list_models(pb::ListModelsRequest {}).await.unwrap().into_inner();
    assert_eq!(loaded(&l, &sha("digits-mlp")), Some(true));
    assert_eq!(loaded(&l, &sha("docstring-topic")), Some(false));
    server.shutdown().await.unwrap();
    http.abort();
}

/// The server has its own I/O thread, so a caller on a single-threaded
/// runtime (client and server in one thread) gets the same results.
#[tokio::test(flavor = "current_thread")]
async fn runs_on_a_current_thread_runtime() {
    let (server, mut c) = start(config(models_dir())).await;
    let first = c.run(run_request("digits-mlp")).await.unwrap().into_inner();
    check_hash(&first);
    let again = c.run(run_request("digits-mlp")).await.unwrap().into_inner();
    assert_eq!(again.output_hash, first.output_hash);
    let e = c.run(loop_request(1_000_000_000, 300)).await.unwrap_err();
    assert_eq!(e.code(), Code::DeadlineExceeded, "{}", e.message());
    server.shutdown().await.unwrap();
}

/// A run that the engine expected to be short (the model's last run was) but
/// that is long starts on the I/O thread, is moved to a worker once it
/// overstays, and the service answers on the same connection meanwhile; the
/// watchdog still ends it at its deadline.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_long_run_after_short_ones_leaves_the_service_responsive() {
    let (server, mut c) = start(config(models_dir())).await;
    for _ in 0..3 {
        c.run(loop_request(1, 0)).await.unwrap();
    }
    let mut ca = c.clone();
    let a = tokio::spawn(async move { ca.run(loop_request(1_000_000_000, 2000)).await });
    wait_health(&mut c, |h| h.running == 1).await;
    let started = Instant::now();
    c.health(pb::HealthRequest {}).await.unwrap();
    c.run(run_request("digits-mlp")).await.unwrap();
    assert!(started.elapsed() < Duration::from_millis(1000), "answered while the long run goes on: {:?}", started.elapsed());
    assert_eq!(a.await.unwrap().unwrap_err().code(), Code::DeadlineExceeded);
    assert_eq!(server.engine.metrics().errors_of("inline_overstay"), 1, "started inline, moved to a worker once");
    server.shutdown().await.unwrap();
}
