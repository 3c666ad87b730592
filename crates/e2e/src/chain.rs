//! A one-validator chain in a temporary home: `localnet/init.sh` sets it up,
//! then the harness runs `veniced` and `cometbft` itself so that tests can
//! kill and restart them. Every process is killed when the `Chain` drops,
//! also when a test panics (then the tails of both logs are printed).

use std::fs::{File, OpenOptions};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::rpc::Rpc;

pub const DENOM: &str = "uvvv";

/// Where the binaries built by `make build` are.
#[derive(Clone, Debug)]
pub struct Bins {
    pub dir: PathBuf,
    pub repo: PathBuf,
}

impl Bins {
    /// `VENICE_BIN_DIR`, else `<repo>/build`. Panics with the fix when a
    /// binary is missing: these tests need `make build` first.
    pub fn locate() -> Bins {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().expect("repo root");
        let dir = std::env::var_os("VENICE_BIN_DIR").map(PathBuf::from).unwrap_or_else(|| repo.join("build"));
        for b in ["veniced", "venice", "cometbft"] {
            assert!(
                dir.join(b).is_file(),
                "{} not found: run `make build` (or set VENICE_BIN_DIR) before the e2e tests",
                dir.join(b).display()
            );
        }
        Bins { dir, repo }
    }
    pub fn veniced(&self) -> PathBuf {
        self.dir.join("veniced")
    }
    pub fn venice(&self) -> PathBuf {
        self.dir.join("venice")
    }
    pub fn cometbft(&self) -> PathBuf {
        self.dir.join("cometbft")
    }
}

/// Ports handed out in this process, so that two chains started by parallel
/// tests never pick the same one between "probe" and "bind".
static TAKEN: Mutex<Vec<u16>> = Mutex::new(Vec::new());

/// A free loopback port: bind port 0, note the port, release it.
pub fn free_port() -> u16 {
    loop {
        let port = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0").local_addr().unwrap().port();
        let mut taken = TAKEN.lock().unwrap();
        if !taken.contains(&port) {
            taken.push(port);
            return port;
        }
    }
}

/// A base port with the `count` ports above it all free on 127.0.0.1 (for
/// `localnet/init-multi.sh`'s `--port-base`, 10 ports a node). Chosen below
/// Linux's ephemeral range (32768+), so that no outgoing connection of the
/// nodes (CometBFT dialing its app, peers dialing each other) can take one
/// of them between this probe and the node's bind.
pub fn free_port_base(count: u16) -> u16 {
    let pid = std::process::id() as u16;
    for attempt in 0..200u16 {
        let base = 20_000 + (pid.wrapping_mul(7919).wrapping_add(attempt * 211)) % 12_000 / 10 * 10;
        if (0..count).all(|o| TcpListener::bind(("127.0.0.1", base + o)).is_ok()) {
            return base;
        }
    }
    panic!("no free range of {count} loopback ports");
}

pub fn port_open(port: u16) -> bool {
    TcpStream::connect_timeout(&SocketAddr::from(([127, 0, 0, 1], port)), Duration::from_millis(200)).is_ok()
}

/// Polls `f` every 100 ms until it returns `Some`, or panics after `timeout`.
pub fn wait_for<T>(what: &str, timeout: Duration, mut f: impl FnMut() -> Option<T>) -> T {
    let start = Instant::now();
    loop {
        if let Some(v) = f() {
            return v;
        }
        assert!(start.elapsed() < timeout, "timed out after {timeout:?} waiting for {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Children that outlive a test process killed from outside (timeout,
/// Ctrl-C, SIGKILL) would hold ports and disk; Linux can kill them with it.
pub(crate) trait DieWithParent {
    fn die_with_parent(&mut self) -> &mut Self;
}

impl DieWithParent for Command {
    fn die_with_parent(&mut self) -> &mut Self {
        // SAFETY: prctl is async-signal-safe; nothing else runs between fork and exec.
        unsafe {
            self.pre_exec(|| {
                libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
                Ok(())
            })
        }
    }
}

pub struct Chain {
    pub bins: Bins,
    pub home: PathBuf,
    /// Owns the home's temporary directory (None when a caller owns it).
    tmp: Option<tempfile::TempDir>,
    pub chain_id: String,
    pub rpc_port: u16,
    pub p2p_port: u16,
    pub abci_port: u16,
    pub grpc_port: u16,
    pub rpc: Rpc,
    veniced: Option<Child>,
    cometbft: Option<Child>,
}

impl Chain {
    /// Initialises a fresh home with `localnet/init.sh` (which also funds the
    /// `demo` key) and 300 ms blocks. Nothing runs yet: add genesis accounts,
    /// then `start`.
    pub fn init(chain_id: &str) -> Chain {
        let bins = Bins::locate();
        let home = tempfile::Builder::new().prefix("venice-e2e-").tempdir().expect("temp home");
        let (rpc_port, p2p_port, abci_port, grpc_port) = (free_port(), free_port(), free_port(), free_port());
        let status = Command::new(bins.repo.join("localnet/init.sh"))
            .env("VENICE_BIN_DIR", &bins.dir)
            .args(["--home", home.path().to_str().unwrap(), "--chain-id", chain_id, "--moniker", "e2e"])
            .args(["--rpc-port", &rpc_port.to_string(), "--p2p-port", &p2p_port.to_string()])
            .args(["--abci-port", &abci_port.to_string(), "--grpc-port", &grpc_port.to_string()])
            .args(["--metrics-port", &free_port().to_string(), "--api-port", &free_port().to_string()])
            .args(["--block-time", "300ms"])
            // Its own sidecar port (none runs unless a test starts one with
            // `Chain::start_sidecar`): never a sidecar of another chain here.
            .args(["--sidecar-port", &free_port().to_string(), "--sidecar-metrics-port", "off"])
            .status()
            .expect("run localnet/init.sh");
        assert!(status.success(), "localnet/init.sh failed: {status}");
        let mut chain = Chain::open(home.path().to_path_buf(), chain_id, rpc_port, p2p_port, abci_port, grpc_port);
        chain.tmp = Some(home);
        chain
    }

    /// A node whose home someone else initialised (e.g. one node of
    /// `localnet/init-multi.sh`); nothing runs yet.
    pub fn open(home: PathBuf, chain_id: &str, rpc_port: u16, p2p_port: u16, abci_port: u16, grpc_port: u16) -> Chain {
        std::fs::create_dir_all(home.join("logs")).unwrap();
        Chain {
            bins: Bins::locate(),
            home,
            tmp: None,
            chain_id: chain_id.to_string(),
            rpc_port,
            p2p_port,
            abci_port,
            grpc_port,
            rpc: Rpc::new(rpc_port),
            veniced: None,
            cometbft: None,
        }
    }

    pub fn home_str(&self) -> &str {
        self.home.to_str().unwrap()
    }

    /// `veniced genesis add-genesis-account ADDR COINS` (before `start`).
    pub fn add_genesis_account(&self, addr: &str, coins: &str) {
        let out = Command::new(self.bins.veniced())
            .args(["genesis", "add-genesis-account", addr, coins, "--home", self.home_str()])
            .output()
            .expect("run veniced genesis add-genesis-account");
        assert!(out.status.success(), "add-genesis-account failed: {}", String::from_utf8_lossy(&out.stderr));
    }

    /// Switch emissions off in this home's genesis (before `start`), for
    /// tests that compare supplies or the fee collector's balance across
    /// heights: mint otherwise adds coins every block.
    pub fn without_emissions(&self) {
        let path = self.home.join("config/genesis.json");
        let mut g: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).expect("genesis.json")).expect("genesis JSON");
        let zero = serde_json::json!("0.000000000000000000");
        g["app_state"]["mint"]["minter"]["inflation"] = zero.clone();
        g["app_state"]["mint"]["params"]["inflation_min"] = zero.clone();
        g["app_state"]["mint"]["params"]["inflation_max"] = zero;
        std::fs::write(&path, serde_json::to_string_pretty(&g).unwrap()).expect("write genesis.json");
    }

    fn log_file(&self, name: &str) -> File {
        OpenOptions::new().create(true).append(true).open(self.home.join("logs").join(name)).expect("open log")
    }

    /// Starts veniced and waits until its ABCI socket listens.
    pub fn start_veniced(&mut self) {
        self.start_veniced_env(&[]);
    }

    /// [`Chain::start_veniced`] with extra environment variables.
    pub fn start_veniced_env(&mut self, env: &[(&str, &str)]) {
        assert!(self.veniced.is_none(), "veniced already running");
        let abci = format!("tcp://127.0.0.1:{}", self.abci_port);
        let child = Command::new(self.bins.veniced())
            .args(["start", "--home", self.home_str(), "--abci", &abci])
            .envs(env.iter().copied())
            .env("RUST_LOG", std::env::var("RUST_LOG").unwrap_or_else(|_| "info".into()))
            .stdin(Stdio::null())
            .stdout(self.log_file("veniced.log"))
            .stderr(self.log_file("veniced.log"))
            .die_with_parent()
            .spawn()
            .expect("spawn veniced");
        self.veniced = Some(child);
        let port = self.abci_port;
        wait_for("veniced's ABCI socket", Duration::from_secs(30), || {
            if let Some(status) = self.veniced.as_mut().unwrap().try_wait().unwrap() {
                self.dump_logs();
                panic!("veniced exited during start-up: {status}");
            }
            port_open(port).then_some(())
        });
    }

    /// Starts CometBFT (veniced must be listening) and waits for its RPC.
    pub fn start_cometbft(&mut self) {
        self.spawn_cometbft();
        let rpc = self.rpc.clone();
        wait_for("CometBFT RPC", Duration::from_secs(30), || {
            if let Some(status) = self.cometbft.as_mut().unwrap().try_wait().unwrap() {
                self.dump_logs();
                panic!("cometbft exited during start-up: {status}");
            }
            rpc.height().ok()
        });
    }

    /// Starts CometBFT without waiting for anything (a node expected to
    /// stop during its handshake).
    pub fn spawn_cometbft(&mut self) {
        assert!(self.cometbft.is_none(), "cometbft already running");
        let child = Command::new(self.bins.cometbft())
            .args(["start", "--home", self.home_str()])
            .stdin(Stdio::null())
            .stdout(self.log_file("cometbft.log"))
            .stderr(self.log_file("cometbft.log"))
            .die_with_parent()
            .spawn()
            .expect("spawn cometbft");
        self.cometbft = Some(child);
    }

    /// Starts both, in the order an operator would, and waits for block 2
    /// (the first block after genesis that carries an app hash).
    pub fn start(&mut self) {
        self.start_veniced();
        self.start_cometbft();
        self.wait_height(2, Duration::from_secs(60));
    }

    pub fn height(&self) -> u64 {
        self.rpc.height().unwrap_or(0)
    }

    pub fn wait_height(&mut self, h: u64, timeout: Duration) -> u64 {
        let start = Instant::now();
        loop {
            let now = self.height();
            if now >= h {
                return now;
            }
            if start.elapsed() > timeout || self.exited("cometbft") || self.exited("veniced") {
                self.dump_logs();
                panic!("chain did not reach height {h} (at {now}) within {timeout:?}");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn child(&mut self, which: &str) -> &mut Option<Child> {
        match which {
            "veniced" => &mut self.veniced,
            "cometbft" => &mut self.cometbft,
            _ => unreachable!("unknown process {which}"),
        }
    }

    /// Whether `which` was started and has since exited.
    pub fn exited(&mut self, which: &str) -> bool {
        match self.child(which) {
            Some(c) => c.try_wait().unwrap().is_some(),
            None => false,
        }
    }

    /// SIGKILL: the process gets no chance to flush or clean up.
    pub fn kill9(&mut self, which: &str) {
        if let Some(mut c) = self.child(which).take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    /// Waits up to `timeout` for `which` to exit on its own; true if it did.
    pub fn wait_exit(&mut self, which: &str, timeout: Duration) -> bool {
        let start = Instant::now();
        while start.elapsed() < timeout {
            if let Some(c) = self.child(which)
                && c.try_wait().unwrap().is_some()
            {
                self.child(which).take();
                return true;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        false
    }

    /// Waits up to `timeout` for `which` to exit on its own: its status.
    pub fn wait_exit_status(&mut self, which: &str, timeout: Duration) -> Option<std::process::ExitStatus> {
        let start = Instant::now();
        while start.elapsed() < timeout {
            if let Some(c) = self.child(which)
                && let Some(status) = c.try_wait().unwrap()
            {
                self.child(which).take();
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        None
    }

    /// SIGTERM, then SIGKILL if it has not exited within 20 s. Returns
    /// whether it stopped by itself (a clean shutdown).
    pub fn stop(&mut self, which: &str) -> bool {
        let Some(pid) = self.child(which).as_ref().map(|c| c.id()) else { return true };
        // SAFETY: kill(2) on a child we spawned and have not yet reaped.
        unsafe { libc::kill(pid as libc::pid_t, libc::SIGTERM) };
        let clean = self.wait_exit(which, Duration::from_secs(20));
        if !clean {
            self.kill9(which);
        }
        clean
    }

    pub fn log_path(&self, which: &str) -> PathBuf {
        self.home.join("logs").join(format!("{which}.log"))
    }

    pub fn read_log(&self, which: &str) -> String {
        std::fs::read_to_string(self.log_path(which)).unwrap_or_default()
    }

    pub fn dump_logs(&self) {
        for which in ["cometbft", "veniced"] {
            let log = self.read_log(which);
            let lines: Vec<&str> = log.lines().collect();
            let tail = &lines[lines.len().saturating_sub(40)..];
            eprintln!("----- last {} lines of {}/logs/{which}.log -----\n{}", tail.len(), self.home.display(), tail.join("\n"));
        }
    }

    /// Runs the `venice` CLI against this chain (adds `--home`; the caller
    /// adds `--node`, `--chain-id` and `--keyring-backend` where the command
    /// takes them, via the helpers below).
    pub fn venice(&self, args: &[&str]) -> Output {
        let out = Command::new(self.bins.venice())
            .args(args)
            .args(["--home", self.home_str()])
            .stdin(Stdio::null())
            .output()
            .expect("run venice");
        eprintln!(
            "$ venice {}\n  -> {} | stdout: {} | stderr: {}",
            args.join(" "),
            out.status,
            String::from_utf8_lossy(&out.stdout).trim(),
            String::from_utf8_lossy(&out.stderr).trim()
        );
        out
    }

    /// A setting of this node's app.toml (string values, unquoted).
    pub fn app_toml(&self, key: &str) -> String {
        let toml = std::fs::read_to_string(self.home.join("config/app.toml")).expect("app.toml");
        let prefix = format!("{key} = ");
        toml.lines()
            .find_map(|l| l.strip_prefix(prefix.as_str()))
            .map(|v| v.trim().trim_matches('"').to_string())
            .unwrap_or_else(|| panic!("{key} in app.toml"))
    }

    /// This node's REST gateway, e.g. `http://127.0.0.1:1317`.
    pub fn api_url(&self) -> String {
        format!("http://{}", self.app_toml("api_address"))
    }

    /// This node's gRPC server, e.g. `http://127.0.0.1:9090`.
    pub fn grpc_url(&self) -> String {
        format!("http://{}", self.app_toml("grpc_address"))
    }

    /// `GET /metrics` from this node's veniced (address from its app.toml).
    pub fn metrics(&self) -> String {
        use std::io::{Read, Write};
        let addr = self.app_toml("metrics_address");
        let mut s = std::net::TcpStream::connect(&addr).unwrap_or_else(|e| panic!("metrics at {addr}: {e}"));
        write!(s, "GET /metrics HTTP/1.1\r\nHost: {addr}\r\n\r\n").unwrap();
        let mut out = String::new();
        s.read_to_string(&mut out).unwrap();
        assert!(out.starts_with("HTTP/1.1 200"), "{out}");
        out
    }

    /// `venice tx bank send FROM TO AMOUNT` signed with this home's test
    /// keyring and sent to `node` for `chain_id`, JSON output; `extra`
    /// flags are appended (`--fees`, `--gas auto`...).
    pub fn bank_send_to(&self, node: &str, chain_id: &str, from: &str, to: &str, amount: &str, extra: &[&str]) -> Output {
        let mut args = vec!["tx", "bank", "send", from, to, amount, "--chain-id", chain_id, "--node", node];
        args.extend(["--keyring-backend", "test", "--yes", "--output", "json"]);
        args.extend(extra);
        self.venice(&args)
    }

    /// `venice keys add NAME` in the test keyring; returns the address.
    pub fn key_add(&self, name: &str) -> String {
        let out = self.venice(&["keys", "add", name, "--keyring-backend", "test", "--output", "json"]);
        assert!(out.status.success(), "venice keys add {name} failed");
        self.key_address(name)
    }

    pub fn key_address(&self, name: &str) -> String {
        let out = self.venice(&["keys", "show", name, "-a", "--keyring-backend", "test"]);
        assert!(out.status.success(), "venice keys show {name} failed");
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    }

    /// The raw secp256k1 key of a keyring entry, as `keys export --unarmored-hex --unsafe` prints it.
    pub fn key_export(&self, name: &str) -> cosmrs::crypto::secp256k1::SigningKey {
        let out = self.venice(&["keys", "export", name, "--unarmored-hex", "--unsafe", "--keyring-backend", "test"]);
        assert!(out.status.success(), "venice keys export {name} failed");
        let text = String::from_utf8(out.stdout).unwrap();
        let hexkey = text.split_whitespace().find(|w| w.len() == 64 && hex::decode(w).is_ok()).unwrap_or_else(|| {
            panic!("no 64-hex-digit key in `keys export` output: {text}");
        });
        cosmrs::crypto::secp256k1::SigningKey::from_slice(&hex::decode(hexkey).unwrap()).expect("valid secp256k1 key")
    }
}

impl Drop for Chain {
    fn drop(&mut self) {
        let failed = std::thread::panicking();
        if failed {
            self.dump_logs();
        }
        // CometBFT first, like an operator; then the app. Kill whatever is
        // left so that no test leaves processes behind.
        self.stop("cometbft");
        self.stop("veniced");
        // A failed test's home (logs, data) is kept for the post-mortem.
        if (failed || std::env::var_os("VENICE_E2E_KEEP").is_some())
            && let Some(tmp) = self.tmp.take()
        {
            eprintln!("chain home kept at {}", tmp.keep().display());
        }
    }
}

/// The fee collector's module account (`sha256("fee_collector")[..20]`).
pub fn fee_collector() -> String {
    venice_types::Address::module("fee_collector").to_bech32()
}

/// The JSON document a `venice … --output json` run printed: its last
/// one-line document (after any progress lines), or everything from the
/// first `{` when the document spans lines.
pub fn stdout_json(out: &std::process::Output) -> serde_json::Value {
    let text = String::from_utf8_lossy(&out.stdout);
    let last_line = text.lines().rev().find(|l| {
        let t = l.trim_start();
        t.starts_with('{') || t.starts_with('"')
    });
    if let Some(v) = last_line.and_then(|l| serde_json::from_str(l).ok()) {
        return v;
    }
    let start = text.find('{').unwrap_or_else(|| panic!("no JSON on stdout: {text}\nstderr: {}", String::from_utf8_lossy(&out.stderr)));
    serde_json::from_str(text[start..].trim()).unwrap_or_else(|e| panic!("bad JSON ({e}): {text}"))
}
