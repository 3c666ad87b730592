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

use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use venice_e2e::{Chain, free_port_base, wait_for};

const N: usize = 4;
const HANDLER_ENV: &str = "VENICE_UPGRADE_NOOP_HANDLERS";

struct Net {
    _dir: tempfile::TempDir,
    nodes: Vec<Chain>,
    chain_id: String,
}

fn open(home: &Path, chain_id: &str, base: u16, i: usize) -> Chain {
    let port = |o: u16| base + 10 * i as u16 + o;
    Chain::open(home.to_path_buf(), chain_id, port(7), port(6), port(8), port(9))
}

impl Net {
    fn init(chain_id: &str) -> Net {
        let dir = tempfile::Builder::new().prefix("venice-e2e-upgrade-").tempdir().unwrap();
        let net = dir.path().join("net");
        let base = free_port_base(N as u16 * 10);
        let bins = venice_e2e::Bins::locate();
        let status = std::process::Command::new(bins.repo.join("localnet/init-multi.sh"))
            .env("VENICE_BIN_DIR", &bins.dir)
            .args(["--validators", &N.to_string(), "--home", net.to_str().unwrap(), "--chain-id", chain_id])
            .args(["--port-base", &base.to_string(), "--block-time", "300ms"])
            .status()
            .expect("run localnet/init-multi.sh");
        assert!(status.success(), "init-multi.sh failed");
        let nodes: Vec<Chain> = (0..N).map(|i| open(&net.join(format!("node{i}")), chain_id, base, i)).collect();
        // The same (shorter) voting period in every node's copy of genesis.
        for n in &nodes {
            let path = n.home.join("config/genesis.json");
            let mut g: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            assert_eq!(g["app_state"]["gov"]["params"]["voting_period"], "30s", "the dev genesis");
            g["app_state"]["gov"]["params"]["voting_period"] = "20s".into();
            std::fs::write(&path, serde_json::to_string_pretty(&g).unwrap()).unwrap();
        }
        Net { _dir: dir, nodes, chain_id: chain_id.into() }
    }

    fn start(&mut self, env: &[(&str, &str)]) {
        for n in self.nodes.iter_mut() {
            n.start_veniced_env(env);
        }
        for n in self.nodes.iter_mut() {
            n.start_cometbft();
        }
    }

    /// `venice <args>` through node `i` as its validator key `val<i>`.
    fn cli(&self, i: usize, args: &[&str], tx: bool) -> (bool, Value, String) {
        let node = self.nodes[i].rpc.url();
        let mut all = args.to_vec();
        all.extend(["--node", &node, "--output", "json"]);
        let from = format!("val{i}");
        if tx {
            all.extend(["--from", &from, "--keyring-backend", "test", "--chain-id", &self.chain_id]);
            all.extend(["--fees", "10000uvvv", "--gas", "600000", "--yes"]);
        }
        let out = self.nodes[i].venice(&all);
        let text = String::from_utf8_lossy(&out.stdout).to_string();
        let v = text.find('{').and_then(|s| serde_json::from_str(text[s..].trim()).ok()).unwrap_or(Value::Null);
        (out.status.success(), v, String::from_utf8_lossy(&out.stderr).to_string())
    }

    fn tx_ok(&self, i: usize, args: &[&str]) -> Value {
        let (ok, v, err) = self.cli(i, args, true);
        assert!(ok && v["code"] == 0, "venice {args:?}: {v} {err}");
        v
    }

    fn query(&self, i: usize, args: &[&str]) -> Value {
        let (ok, v, err) = self.cli(i, args, false);
        assert!(ok, "venice {args:?}: {err}");
        v
    }

    /// Every node's header at every height up to the lowest tip: identical.
    fn assert_same_headers(&self) {
        let top = self.nodes.iter().map(|n| n.height()).min().unwrap();
        for h in 1..=top {
            let headers: Vec<Value> =
                self.nodes.iter().map(|n| n.rpc.call("header", json!({"height": h.to_string()})).unwrap()["header"].clone()).collect();
            for (k, x) in headers.iter().enumerate() {
                assert_eq!(x, &headers[0], "node {k} disagrees with node 0 at height {h}");
            }
        }
    }
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
    let mut net = Net::init("venice-e2e-upgrade");
    net.start(&[]);
    for n in net.nodes.iter_mut() {
        n.wait_height(3, Duration::from_secs(90));
    }
    assert_eq!(net.query(0, &["query", "upgrade", "authority"])["address"], venice_types::Address::module("gov").to_bech32());
    let (ok, _, err) = net.cli(0, &["query", "upgrade", "plan"], false);
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
    net.tx_ok(0, &["tx", "gov", "submit-proposal", draft.to_str().unwrap()]);
    for i in 0..N {
        net.tx_ok(i, &["tx", "gov", "vote", "1", "yes"]);
    }
    wait_for("the proposal to pass", Duration::from_secs(90), || {
        let s = net.query(1, &["query", "gov", "proposal", "1"])["proposal"]["status"].as_str().map(str::to_string);
        assert_ne!(s.as_deref(), Some("PROPOSAL_STATUS_FAILED"), "the upgrade message failed");
        assert_ne!(s.as_deref(), Some("PROPOSAL_STATUS_REJECTED"));
        (s.as_deref() == Some("PROPOSAL_STATUS_PASSED")).then_some(())
    });
    let now = net.nodes[0].height();
    assert!(now < plan_height - 10, "the vote took too long: at {now}, plan at {plan_height}");
    let plan = net.query(2, &["query", "upgrade", "plan"]);
    assert_eq!((plan["name"].as_str(), plan["height"].as_str()), (Some("v2"), Some(plan_height.to_string().as_str())), "{plan}");
    assert_eq!(plan["info"], info);
    let rest = venice_e2e::http::get(&net.nodes[3].api_url(), "/cosmos/upgrade/v1beta1/current_plan").json();
    assert_eq!(rest["plan"]["name"], "v2", "{rest}");

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
    net.start(&[(HANDLER_ENV, "v2")]);
    for n in net.nodes.iter_mut() {
        n.wait_height(plan_height + 3, Duration::from_secs(90));
    }
    let applied = net.query(1, &["query", "upgrade", "applied", "v2"]);
    assert_eq!(applied["height"], plan_height.to_string(), "{applied}");
    let (ok, _, err) = net.cli(2, &["query", "upgrade", "plan"], false);
    assert!(!ok && err.contains("no upgrade scheduled"), "{err}");
    let rest = venice_e2e::http::get(&net.nodes[0].api_url(), "/cosmos/upgrade/v1beta1/applied_plan/v2").json();
    assert_eq!(rest["height"], plan_height.to_string(), "{rest}");
    assert!(net.nodes[0].read_log("veniced").contains("applying upgrade \"v2\""));
    net.assert_same_headers();
}
