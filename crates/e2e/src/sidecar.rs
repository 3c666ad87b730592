//! A real `venice-sidecar` beside a test node: `serve` on a given address
//! (TCP `HOST:PORT` or `unix:PATH`) over its own model store, deterministic,
//! killed on drop (and with the test process).

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::chain::DieWithParent;
use crate::{Bins, Chain, wait_for};

pub struct Sidecar {
    child: Option<Child>,
    /// Where it listens (`HOST:PORT` or `unix:PATH`).
    pub listen: String,
    /// Its model store.
    pub models: PathBuf,
}

impl Bins {
    /// `venice-sidecar` beside the other binaries (`make build-sidecar`).
    pub fn venice_sidecar(&self) -> PathBuf {
        let p = self.dir.join("venice-sidecar");
        assert!(p.is_file(), "{} not found: run `make build-sidecar` (or set VENICE_BIN_DIR)", p.display());
        p
    }
}

impl Chain {
    /// This node's sidecar on the address its app.toml names, its store
    /// under the home (`sidecar/models`), its log `logs/sidecar.log`.
    pub fn start_sidecar(&self) -> Sidecar {
        let addr = configured_address(&self.home);
        assert!(!addr.is_empty(), "{}: app.toml names no [inference] sidecar_address", self.home.display());
        Sidecar::start(&self.bins, &addr, &self.home.join("sidecar/models"), &self.home.join("logs/sidecar.log"))
    }
}

impl Sidecar {
    /// Starts a sidecar on `listen` with model store `models`, logging to
    /// `log`; back once it accepts connections.
    pub fn start(bins: &Bins, listen: &str, models: &Path, log: &Path) -> Sidecar {
        std::fs::create_dir_all(models).unwrap();
        let out = std::fs::OpenOptions::new().create(true).append(true).open(log).expect("sidecar log");
        let mut cmd = Command::new(bins.venice_sidecar());
        cmd.arg("serve");
        // `make onnxruntime` links the library under build/lib.
        let ort = bins.repo.join("build/lib/libonnxruntime.so");
        if std::env::var_os("ORT_DYLIB_PATH").is_none() && ort.exists() {
            cmd.arg("--ort-lib").arg(ort);
        }
        let child = cmd
            .args(["--listen", listen, "--metrics-listen", "off", "--deterministic", "--threads", "1", "--model-dir"])
            .arg(models)
            .stdin(Stdio::null())
            .stdout(out.try_clone().unwrap())
            .stderr(out)
            .die_with_parent()
            .spawn()
            .expect("spawn venice-sidecar");
        let mut s = Sidecar { child: Some(child), listen: listen.to_string(), models: models.to_path_buf() };
        let listen = s.listen.clone();
        wait_for("the sidecar's socket", Duration::from_secs(30), || {
            if let Some(status) = s.child.as_mut().unwrap().try_wait().unwrap() {
                panic!("venice-sidecar exited during start-up ({status}); see {}", log.display());
            }
            accepts(&listen).then_some(())
        });
        s
    }

    /// Stops it (a node's sidecar going down).
    pub fn stop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    pub fn is_running(&mut self) -> bool {
        self.child.as_mut().is_some_and(|c| c.try_wait().ok().flatten().is_none())
    }
}

impl Drop for Sidecar {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Whether something accepts connections at `addr` (`HOST:PORT` or `unix:PATH`).
pub fn accepts(addr: &str) -> bool {
    match addr.strip_prefix("unix:") {
        Some(path) => std::os::unix::net::UnixStream::connect(path).is_ok(),
        None => addr
            .parse::<std::net::SocketAddr>()
            .ok()
            .is_some_and(|a| std::net::TcpStream::connect_timeout(&a, Duration::from_millis(200)).is_ok()),
    }
}

/// `[inference] sidecar_address` of a node home's app.toml ("" if none).
pub fn configured_address(home: &Path) -> String {
    let text = std::fs::read_to_string(home.join("config/app.toml")).unwrap_or_default();
    let mut in_section = false;
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_section = line == "[inference]";
        } else if in_section && let Some(v) = line.strip_prefix("sidecar_address") {
            return v.trim_start().trim_start_matches('=').trim().trim_matches('"').to_string();
        }
    }
    String::new()
}
