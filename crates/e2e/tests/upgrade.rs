//! Software upgrades on the real 4-validator localnet
//! (`localnet/init-multi.sh`, 300 ms blocks, a 20 s voting period set in
//! every node's genesis): a `MsgSoftwareUpgrade` proposal drafted with the
//! CLI is voted in by the validators; at the plan's height all four nodes
//! stop (veniced exits with status 2 and logs the SDK's `UPGRADE "v2"
//! NEEDED at height: H: …` line, CometBFT stops with it) with the same
//! committed state at H-1; a node restarted with the same binary stops
//! again at H during CometBFT's handshake; restarted with a binary that
//! has a handler for "v2" (the test-only no-op handler), the network goes
//! on past H, `query upgrade applied v2` says H and no plan is left.

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use venice_e2e::localnet::{Net, one_network};
use venice_e2e::{Chain, wait_for};

const N: usize = 4;
const HANDLER_ENV: &str = "VENICE_UPGRADE_NOOP_HANDLERS";

fn init(chain_id: &str) -> Net {
    let net = Net::init(N, 0, chain_id, &[]);
    // The same (shorter) voting period in every node's copy of genesis.
    net.edit_genesis(|g| {
        assert_eq!(g["app_state"]["gov"]["params"]["voting_period"], "30s", "the dev genesis");
        g["app_state"]["gov"]["params"]["voting_period"] = "20s".into();
    });
    net
}

/// Every veniced (with `env`), then every CometBFT.
fn start(net: &mut Net, env: &[(&str, &str)]) {
    for n in net.nodes.iter_mut() {
        n.start_veniced_env(env);
    }
    for n in net.nodes.iter_mut() {
        n.start_cometbft();
    }
}

/// `venice <args>` through node `i`, JSON output: (success, JSON, stderr).
fn cli(net: &Net, i: usize, args: &[&str]) -> (bool, Value, String) {
    let node = net.node_url(i);
    let mut all = args.to_vec();
    all.extend(["--node", &node, "--output", "json"]);
    let out = net.nodes[i].venice(&all);
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    let v = text.find('{').and_then(|s| serde_json::from_str(text[s..].trim()).ok()).unwrap_or(Value::Null);
    (out.status.success(), v, String::from_utf8_lossy(&out.stderr).to_string())
}

/// `venice tx <args>` by validator `i` from its own node.
fn tx_ok(net: &Net, i: usize, args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.extend(["--gas", "600000"]);
    let (ok, v, err) = net.cli_tx(i, i, &all, &format!("val{i}"));
    assert!(ok && v["code"] == 0, "venice tx {args:?}: {v} {err}");
    v
}

fn query(net: &Net, i: usize, args: &[&str]) -> Value {
    let (ok, v, err) = cli(net, i, args);
    assert!(ok, "venice {args:?}: {err}");
    v
}

/// The last `store opened` line of a node's veniced log: (height, app hash).
fn store_opened(node: &Chain) -> (u64, String) {
    let log = node.read_log("veniced");
    let line = log.lines().rev().find(|l| l.contains("store opened")).expect("a store opened line");
    let field = |k: &str| line.split_whitespace().find_map(|w| w.strip_prefix(k)).unwrap_or_else(|| panic!("{k} in {line}")).to_string();
    (field("height=").parse().unwrap(), field("app_hash="))
}

/// Waits for veniced to stop by itself, with the upgrade halt's status.
fn assert_halts(node: &mut Chain, i: usize, timeout: Duration) {
    let status = node.wait_exit_status("veniced", timeout);
    if status.is_none() {
        node.dump_logs();
    }
    let status = status.unwrap_or_else(|| panic!("node {i}: veniced did not stop"));
    assert_eq!(status.code(), Some(2), "node {i}: veniced exit status");
    assert!(node.wait_exit("cometbft", Duration::from_secs(30)), "node {i}: CometBFT stops without its app");
}

#[test]
fn an_upgrade_plan_halts_every_node_at_its_height() {
    let _one = one_network();
    let mut net = init("venice-e2e-upgrade");
    start(&mut net, &[]);
    for n in net.nodes.iter_mut() {
        n.wait_height(3, Duration::from_secs(90));
    }
    assert_eq!(query(&net, 0, &["query", "upgrade", "authority"])["address"], venice_types::Address::module("gov").to_bech32());
    let (ok, _, err) = cli(&net, 0, &["query", "upgrade", "plan"]);
    assert!(!ok && err.contains("no upgrade scheduled"), "{err}");

    // The proposal, drafted by the CLI, with a plan far enough ahead for
    // the 20 s vote (300 ms blocks: 200 blocks are at least 60 s).
    let dir = tempfile::tempdir().unwrap();
    let draft = dir.path().join("upgrade.json");
    let deposit = format!("{}uvvv", 1000 * 1_000_000u128);
    let out = net.nodes[0].venice(&[
        "tx",
        "gov",
        "draft-proposal",
        "--msg-type",
        "/cosmos.upgrade.v1beta1.MsgSoftwareUpgrade",
        "--title",
        "Upgrade to v2",
        "--summary",
        "Halt for the v2 binary",
        "--deposit",
        &deposit,
        "--out",
        draft.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "draft-proposal");
    let mut p: Value = serde_json::from_str(&std::fs::read_to_string(&draft).unwrap()).unwrap();
    assert_eq!(p["messages"][0]["authority"], venice_types::Address::module("gov").to_bech32());
    let plan_height = net.nodes[0].height() + 200;
    let info = r#"{"binaries":{"linux/amd64":"https://example.invalid/veniced-v2"}}"#;
    p["messages"][0]["plan"] = json!({ "name": "v2", "height": plan_height.to_string(), "info": info });
    std::fs::write(&draft, p.to_string()).unwrap();
    tx_ok(&net, 0, &["gov", "submit-proposal", draft.to_str().unwrap()]);
    for i in 0..N {
        tx_ok(&net, i, &["gov", "vote", "1", "yes"]);
    }
    wait_for("the proposal to pass", Duration::from_secs(90), || {
        let s = query(&net, 1, &["query", "gov", "proposal", "1"])["proposal"]["status"].as_str().map(str::to_string);
        assert_ne!(s.as_deref(), Some("PROPOSAL_STATUS_FAILED"), "the upgrade message failed");
        assert_ne!(s.as_deref(), Some("PROPOSAL_STATUS_REJECTED"));
        (s.as_deref() == Some("PROPOSAL_STATUS_PASSED")).then_some(())
    });
    let now = net.nodes[0].height();
    assert!(now < plan_height - 10, "the vote took too long: at {now}, plan at {plan_height}");
    // Another node may commit the block that passed it a moment later.
    let plan = wait_for("node 2 to serve the plan", Duration::from_secs(30), || {
        let (ok, v, _) = cli(&net, 2, &["query", "upgrade", "plan"]);
        ok.then_some(v)
    });
    assert_eq!((plan["name"].as_str(), plan["height"].as_str()), (Some("v2"), Some(plan_height.to_string().as_str())), "{plan}");
    assert_eq!(plan["info"], info);
    // Node 3 may not have committed the block that passed it yet.
    wait_for("node 3's REST gateway to serve the plan", Duration::from_secs(30), || {
        let rest = venice_e2e::http::get(&net.nodes[3].api_url(), "/cosmos/upgrade/v1beta1/current_plan").json();
        (rest["plan"]["name"] == "v2").then_some(())
    });

    // Every node stops at the plan's height, with the SDK's line.
    let line = format!("UPGRADE \"v2\" NEEDED at height: {plan_height}: {info}");
    let started = Instant::now();
    for (i, n) in net.nodes.iter_mut().enumerate() {
        assert_halts(n, i, Duration::from_secs(240));
        assert!(n.read_log("veniced").contains(&line), "node {i} logs {line}");
        let dumped: Value = serde_json::from_slice(&std::fs::read(n.home.join("data/upgrade-info.json")).unwrap()).unwrap();
        assert_eq!(dumped, json!({"name": "v2", "height": plan_height, "info": info}));
    }
    eprintln!("all {N} nodes halted at {plan_height} ({:?} after the proposal passed)", started.elapsed());

    // Restarted with the same binary: each node's state is the one at
    // H-1, the same everywhere.
    for n in net.nodes.iter_mut() {
        n.start_veniced();
    }
    let states: Vec<(u64, String)> = net.nodes.iter().map(store_opened).collect();
    for s in &states {
        assert_eq!(s, &(plan_height - 1, states[0].1.clone()), "{states:?}");
    }
    // Node 0's CometBFT replays block H to it in the handshake: it stops again.
    net.nodes[0].spawn_cometbft();
    assert_halts(&mut net.nodes[0], 0, Duration::from_secs(60));
    assert_eq!(net.nodes[0].read_log("veniced").matches(&line).count(), 2, "halted twice at the same height");
    assert_eq!(store_opened(&net.nodes[0]).0, plan_height - 1);

    // The "new binary": the same one with a handler for v2. The network
    // applies it at H and goes on.
    for n in net.nodes.iter_mut().skip(1) {
        assert!(n.stop("veniced"));
    }
    start(&mut net, &[(HANDLER_ENV, "v2")]);
    for n in net.nodes.iter_mut() {
        n.wait_height(plan_height + 3, Duration::from_secs(90));
    }
    let applied = query(&net, 1, &["query", "upgrade", "applied", "v2"]);
    assert_eq!(applied["height"], plan_height.to_string(), "{applied}");
    let (ok, _, err) = cli(&net, 2, &["query", "upgrade", "plan"]);
    assert!(!ok && err.contains("no upgrade scheduled"), "{err}");
    let rest = venice_e2e::http::get(&net.nodes[0].api_url(), "/cosmos/upgrade/v1beta1/applied_plan/v2").json();
    assert_eq!(rest["height"], plan_height.to_string(), "{rest}");
    assert!(net.nodes[0].read_log("veniced").contains("applying upgrade \"v2\""));
    net.assert_same_headers(&[0, 1, 2, 3]);
}
