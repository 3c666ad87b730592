//! The N-validator localnet of `localnet/init-multi.sh` as tests drive it:
//! one [`Chain`] per node (node i's key `val<i>` operates validator i),
//! queries through any node, the `venice` CLI, and the check that every
//! node holds the same headers (app hashes included).

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use prost::Message;
use serde_json::{Value, json};
use venice_types::Address;

use crate::sidecar::{Sidecar, configured_address};
use crate::{Bins, Chain, free_port_base};

/// Two localnets at once would starve each other of the CPU: tests hold
/// this while theirs runs.
static ONE_NETWORK: Mutex<()> = Mutex::new(());

pub fn one_network() -> MutexGuard<'static, ()> {
    ONE_NETWORK.lock().unwrap_or_else(|e| e.into_inner())
}

pub struct Net {
    _dir: tempfile::TempDir,
    /// Where init-multi.sh put the homes (`node<i>`).
    pub root: PathBuf,
    /// Node i listens on `base + 10 i + offset`.
    pub base: u16,
    pub nodes: Vec<Chain>,
    pub chain_id: String,
    /// Operator addresses of the validators (key `val<i>` of node i).
    pub valopers: Vec<String>,
    /// Node i's inference sidecar, when started (killed on drop).
    pub sidecars: Vec<Option<Sidecar>>,
}

impl Net {
    /// `n` validators from `localnet/init-multi.sh` with 300 ms blocks and
    /// `extra` options (e.g. `--no-emissions`, `--account A=C`); ports for
    /// `spare` more nodes are kept free after them.
    pub fn init(n: usize, spare: usize, chain_id: &str, extra: &[&str]) -> Net {
        let dir = tempfile::Builder::new().prefix("venice-e2e-net-").tempdir().unwrap();
        let root = dir.path().join("net");
        let base = free_port_base(((n + spare) * 10) as u16);
        let bins = Bins::locate();
        let status = std::process::Command::new(bins.repo.join("localnet/init-multi.sh"))
            .env("VENICE_BIN_DIR", &bins.dir)
            .args(["--validators", &n.to_string(), "--home", root.to_str().unwrap(), "--chain-id", chain_id])
            .args(["--port-base", &base.to_string(), "--block-time", "300ms"])
            .args(extra)
            .status()
            .expect("run localnet/init-multi.sh");
        assert!(status.success(), "init-multi.sh failed");
        let nodes: Vec<Chain> = (0..n).map(|i| open_node(&root.join(format!("node{i}")), chain_id, base, i)).collect();
        let valopers =
            nodes.iter().enumerate().map(|(i, n)| Address::parse(&n.key_address(&format!("val{i}"))).unwrap().to_valoper()).collect();
        let sidecars = (0..n).map(|_| None).collect();
        Net { _dir: dir, root, base, nodes, chain_id: chain_id.into(), valopers, sidecars }
    }

    /// A real sidecar for every node, on the address its app.toml names
    /// (`[inference] sidecar_address`, set by init-multi.sh). Call before
    /// [`Net::start`] so that the executors find them at once (they also
    /// connect later).
    pub fn start_sidecars(&mut self) {
        self.start_sidecars_of(0..self.nodes.len());
    }

    /// [`Net::start_sidecars`] for `nodes` only (the others run none).
    pub fn start_sidecars_of(&mut self, nodes: std::ops::Range<usize>) {
        for i in nodes {
            let addr = self.sidecar_address(i);
            assert!(!addr.is_empty(), "node{i}'s app.toml names no sidecar_address");
            self.start_sidecar_at(i, &addr);
        }
    }

    /// Node i's sidecar on `listen` instead (e.g. a free port behind a test
    /// proxy that listens on the node's configured address, see
    /// [`Net::sidecar_address`]); replaces (stops) a sidecar it had.
    pub fn start_sidecar_at(&mut self, i: usize, listen: &str) {
        self.sidecars[i] = None;
        let home = &self.nodes[i].home;
        self.sidecars[i] = Some(Sidecar::start(&self.nodes[i].bins, listen, &home.join("sidecar/models"), &home.join("logs/sidecar.log")));
    }

    /// Where node i's executor looks for its sidecar (its app.toml).
    pub fn sidecar_address(&self, i: usize) -> String {
        configured_address(&self.nodes[i].home)
    }

    /// Node i's veniced metrics port (`metrics_address`, offset 5).
    pub fn metrics_port(&self, i: usize) -> u16 {
        self.base + 10 * i as u16 + 5
    }

    /// Edit the shared genesis (every node's copy) before the first start.
    pub fn edit_genesis(&self, edit: impl Fn(&mut Value)) {
        for n in &self.nodes {
            let path = n.home.join("config/genesis.json");
            let mut g: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
            edit(&mut g);
            std::fs::write(&path, serde_json::to_vec_pretty(&g).unwrap()).unwrap();
        }
    }

    /// Every veniced, then every CometBFT; back when all are at height 3.
    pub fn start(&mut self) {
        for n in self.nodes.iter_mut() {
            n.start_veniced();
        }
        for n in self.nodes.iter_mut() {
            n.start_cometbft();
        }
        for n in self.nodes.iter_mut() {
            n.wait_height(3, Duration::from_secs(90));
        }
    }

    /// A full node (no validator) joining the running network by block sync
    /// from genesis: replaying every block, it must reach the validators'
    /// app hashes. Uses the next spare ports; returns its index in `nodes`.
    pub fn add_block_sync_node(&mut self) -> usize {
        let i = self.nodes.len();
        let home = self.root.join(format!("node{i}"));
        let bins = Bins::locate();
        let status = std::process::Command::new(bins.repo.join("localnet/statesync-node.sh"))
            .env("VENICE_BIN_DIR", &bins.dir)
            .args(["--home", home.to_str().unwrap(), "--network", self.root.to_str().unwrap()])
            .args(["--port-base", &(self.base + 10 * i as u16).to_string()])
            .status()
            .expect("run localnet/statesync-node.sh");
        assert!(status.success(), "statesync-node.sh failed");
        // The same node, told to replay blocks instead of restoring a snapshot.
        let config = home.join("config/config.toml");
        let text = std::fs::read_to_string(&config).unwrap();
        let mut in_statesync = false;
        let edited: Vec<String> = text
            .lines()
            .map(|l| {
                if l.starts_with('[') {
                    in_statesync = l.trim() == "[statesync]";
                }
                if in_statesync && l.trim_start().starts_with("enable =") { "enable = false".to_string() } else { l.to_string() }
            })
            .collect();
        std::fs::write(&config, edited.join("\n") + "\n").unwrap();
        let mut node = open_node(&home, &self.chain_id, self.base, i);
        node.start_veniced();
        node.start_cometbft();
        self.nodes.push(node);
        self.sidecars.push(None);
        i
    }

    /// Deploys the contracts from node 0 (`localnet/deploy-contracts.sh`)
    /// and runs `localnet/demo-inference.sh` there with committees of
    /// `committee`: the digits model published and listed, one task
    /// submitted with `--wait`. Its output (the result JSON) and stderr.
    pub fn inference_demo(&self, committee: u32) -> (std::process::Output, String) {
        let (repo, bin_dir, home0, node) =
            (self.nodes[0].bins.repo.clone(), self.nodes[0].bins.dir.clone(), self.nodes[0].home.clone(), self.node_url(0));
        let out = std::process::Command::new(repo.join("localnet/deploy-contracts.sh"))
            .args(["--home", home0.to_str().unwrap(), "--node", &node, "--from", "demo"])
            .env("VENICE_BIN_DIR", &bin_dir)
            .output()
            .unwrap();
        assert!(out.status.success(), "deploy-contracts.sh: {}", String::from_utf8_lossy(&out.stderr));
        let demo = std::process::Command::new(repo.join("localnet/demo-inference.sh"))
            .args(["--home", home0.to_str().unwrap(), "--node", &node, "--committee-size", &committee.to_string()])
            .args(["--result-timeout", "90"])
            .env("VENICE_BIN_DIR", &bin_dir)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&demo.stderr).into_owned();
        eprintln!("demo-inference.sh: {stderr}");
        (demo, stderr)
    }

    pub fn node_url(&self, i: usize) -> String {
        self.nodes[i].rpc.url()
    }

    /// An ABCI query through node `via` at `height` (0: latest), decoded.
    pub fn abci<Resp: Message + Default>(&self, via: usize, path: &str, req: &impl Message, height: u64) -> Resp {
        let mut params = json!({"path": path, "data": hex::encode(req.encode_to_vec()), "prove": false});
        if height > 0 {
            // Another node may not have committed that height yet; CometBFT
            // reports a block before the app commits it, so wait for the next.
            let start = std::time::Instant::now();
            while self.nodes[via].height() <= height && start.elapsed() < Duration::from_secs(30) {
                std::thread::sleep(Duration::from_millis(100));
            }
            params["height"] = json!(height.to_string());
        }
        let r = self.nodes[via].rpc.call("abci_query", params).expect("abci_query");
        let resp = &r["response"];
        assert_eq!(resp["code"].as_u64().unwrap_or(0), 0, "{path}: {}", resp["log"]);
        Resp::decode(crate::rpc::b64(resp["value"].as_str().unwrap_or_default()).as_slice()).unwrap()
    }

    /// Validator `i` as node `via` reports it.
    pub fn validator(&self, via: usize, i: usize) -> cosmrs::proto::cosmos::staking::v1beta1::Validator {
        use cosmrs::proto::cosmos::staking::v1beta1 as pb;
        let req = pb::QueryValidatorRequest { validator_addr: self.valopers[i].clone() };
        let r: pb::QueryValidatorResponse = self.abci(via, "/cosmos.staking.v1beta1.Query/Validator", &req, 0);
        r.validator.unwrap()
    }

    /// `venice query …` through node `via`, JSON output.
    pub fn cli_query(&self, via: usize, args: &[&str]) -> Value {
        let node = self.node_url(via);
        let mut all = vec!["query"];
        all.extend(args);
        all.extend(["--node", &node, "--output", "json"]);
        let out = self.nodes[via].venice(&all);
        assert!(out.status.success(), "venice query {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice(&out.stdout).expect("JSON output")
    }

    /// `venice tx …` signed by key `from` of node `home`'s keyring, sent
    /// through node `via`: (success, the JSON printed or the error text).
    pub fn cli_tx(&self, home: usize, via: usize, args: &[&str], from: &str) -> (bool, Value, String) {
        let node = self.node_url(via);
        let mut all = vec!["tx"];
        all.extend(args);
        all.extend(["--from", from, "--fees", "5000uvvv", "--chain-id", &self.chain_id, "--node", &node]);
        all.extend(["--keyring-backend", "test", "--yes", "--output", "json"]);
        let out = self.nodes[home].venice(&all);
        let v = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
        (out.status.success(), v, String::from_utf8_lossy(&out.stderr).into_owned())
    }

    /// Every node's header at every height up to the lowest tip: identical.
    pub fn assert_same_headers(&self, nodes: &[usize]) {
        let top = nodes.iter().map(|&i| self.nodes[i].height()).min().unwrap();
        for h in 1..=top {
            let headers: Vec<Value> = nodes
                .iter()
                .map(|&i| self.nodes[i].rpc.call("header", json!({"height": h.to_string()})).unwrap()["header"].clone())
                .collect();
            assert!(!headers[0]["app_hash"].as_str().unwrap_or_default().is_empty() || h == 1, "app hash at {h}");
            for (k, x) in headers.iter().enumerate() {
                assert_eq!(x, &headers[0], "node {} disagrees with node {} at height {h}", nodes[k], nodes[0]);
            }
        }
        eprintln!("same headers and app hashes on nodes {nodes:?} at heights 1..={top}");
    }

    /// Waits until every node is at `height` or above.
    pub fn wait_all(&mut self, height: u64, timeout: Duration) {
        for n in self.nodes.iter_mut() {
            n.wait_height(height, timeout);
        }
    }
}

/// Node `i` of a localnet whose ports start at `base`.
pub fn open_node(home: &Path, chain_id: &str, base: u16, i: usize) -> Chain {
    let port = |o: u16| base + 10 * i as u16 + o;
    Chain::open(home.to_path_buf(), chain_id, port(7), port(6), port(8), port(9))
}

/// A tokenomics config for `veniced genesis allocate` in `dir` (the
/// default supply split 30/20/15/35 %; one team member vesting four years
/// after a one-year cliff; one investor locked a year, then four unlocks;
/// an airdrop of `airdrop` (address, amount) with a deadline far ahead).
pub fn write_tokenomics(dir: &Path, team: &str, investor: &str, airdrop: &[(&str, u128)]) -> PathBuf {
    let list: String = airdrop.iter().map(|(a, n)| format!("{a},{n}\n")).collect();
    std::fs::write(dir.join("airdrop.csv"), format!("address,amount\n{list}")).unwrap();
    let toml = format!(
        r#"
        [percent]
        ecosystem = 30
        team = 20
        investors = 15
        community = 35
        [team]
        cliff_seconds = 31536000
        vesting_seconds = 126144000
        [[team.members]]
        address = "{team}"
        [investors]
        lockup_seconds = 31536000
        unlocks = 4
        [[investors.members]]
        address = "{investor}"
        [community]
        airdrop_list = "airdrop.csv"
        airdrop_deadline = "2099-01-01T00:00:00Z"
        "#
    );
    let path = dir.join("tokenomics.toml");
    std::fs::write(&path, toml).unwrap();
    path
}
