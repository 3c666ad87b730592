//! Finding and loading the ONNX Runtime shared library, and building sessions
//! with the execution provider and determinism settings.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use ort::environment::Environment;
use ort::ep;
use ort::session::Session;
use ort::session::builder::{GraphOptimizationLevel, SessionBuilder};
use tracing::{info, warn};

use crate::SidecarError;

/// Where `scripts/sidecar-onnxruntime.sh` installs the libraries.
pub fn cache_dir() -> Option<PathBuf> {
    if let Ok(c) = std::env::var("VENICE_CACHE") {
        return Some(PathBuf::from(c));
    }
    std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache/venice"))
}

/// `libonnxruntime.so*` files in `dir`, newest version first.
fn libs_in(dir: &Path) -> Vec<PathBuf> {
    let Ok(rd) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut found: Vec<PathBuf> = rd
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n == "libonnxruntime.so" || n.starts_with("libonnxruntime.so.")))
        .collect();
    found.sort_by_key(|p| std::cmp::Reverse(version_key(p)));
    found
}

/// Numeric components of a path's last part ("libonnxruntime.so.1.32.0" →
/// [1, 32, 0]), so that 1.32 sorts above 1.9.
fn version_key(p: &Path) -> Vec<u64> {
    let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
    name.split(|c: char| !c.is_ascii_digit()).filter_map(|d| d.parse().ok()).collect()
}

/// Candidate library paths in the order they are tried: `explicit` (the
/// `--ort-lib` flag), `ORT_DYLIB_PATH`, the GPU build when `gpu`, beside the
/// executable (`./`, `./lib`, `../lib`), then the set-up's cache.
pub fn library_candidates(explicit: Option<&Path>, gpu: bool) -> Vec<PathBuf> {
    if let Some(p) = explicit {
        return vec![p.to_path_buf()];
    }
    if let Ok(p) = std::env::var("ORT_DYLIB_PATH")
        && !p.is_empty()
    {
        return vec![PathBuf::from(p)];
    }
    let mut out = Vec::new();
    let cache = cache_dir();
    if gpu && let Some(c) = &cache {
        out.extend(libs_in(&c.join("onnxruntime-gpu/lib")));
    }
    if let Some(exe_dir) = std::env::current_exe().ok().and_then(|e| e.parent().map(Path::to_path_buf)) {
        for d in [exe_dir.clone(), exe_dir.join("lib"), exe_dir.join("../lib")] {
            out.extend(libs_in(&d));
        }
    }
    if let Some(c) = &cache {
        let root = c.join("onnxruntime");
        let mut versions: Vec<PathBuf> =
            std::fs::read_dir(&root).map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect()).unwrap_or_default();
        versions.sort_by_key(|p| std::cmp::Reverse(version_key(p)));
        for v in &versions {
            out.extend(libs_in(v));
        }
    }
    out
}

struct Loaded {
    path: PathBuf,
    env: Environment,
    version: String,
}

static ENV: OnceLock<Loaded> = OnceLock::new();
static INIT: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// The process-wide ONNX Runtime environment. The library can be loaded only
/// once per process; a later call naming another path gets the first one
/// (with a warning).
pub fn environment(explicit: Option<&Path>, gpu: bool) -> Result<(Environment, PathBuf, String), SidecarError> {
    let _guard = INIT.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(l) = ENV.get() {
        if let Some(p) = explicit
            && p != l.path
        {
            warn!(requested = %p.display(), loaded = %l.path.display(), "ONNX Runtime already loaded from another path");
        }
        return Ok((l.env.clone(), l.path.clone(), l.version.clone()));
    }
    let candidates = library_candidates(explicit, gpu);
    let path = candidates.iter().find(|p| p.exists()).cloned().ok_or_else(|| {
        SidecarError::Library(format!(
            "libonnxruntime.so not found (tried: {}); run `make onnxruntime` or pass --ort-lib / ORT_DYLIB_PATH",
            if candidates.is_empty() {
                "nothing".to_string()
            } else {
                candidates.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
            }
        ))
    })?;
    let builder = ort::init_from(&path).map_err(|e| SidecarError::Library(e.to_string()))?;
    if gpu {
        // After init_from: a preload error is an ort::Error, whose creation
        // needs the library (before it, ort falls back to a default path and
        // panics).
        preload_cuda();
    }
    let env = builder.with_name("venice-sidecar").build().map_err(|e| SidecarError::Library(e.to_string()))?;
    // Errors reach callers as `ort::Error`s; ONNX Runtime's own logger would
    // print each (e.g. every deadline termination) a second time.
    env.set_log_level(ort::logging::LogLevel::Fatal);
    let version = ort_version(&path);
    info!(library = %path.display(), version = %version, "ONNX Runtime loaded");
    let loaded = ENV.get_or_init(|| Loaded { path, env, version });
    Ok((loaded.env.clone(), loaded.path.clone(), loaded.version.clone()))
}

/// Version of the loaded library ("1.32.0"): from its build info, else from
/// the versioned file name.
fn ort_version(path: &Path) -> String {
    let from_info = ort::info().split("git-branch=rel-").nth(1).and_then(|s| s.split([',', ' ']).next()).map(str::to_string);
    from_info
        .or_else(|| {
            let name = path.file_name()?.to_str()?;
            name.strip_prefix("libonnxruntime.so.").map(str::to_string)
        })
        .unwrap_or_else(|| "unknown".into())
}

/// Loads the CUDA/cuDNN libraries of the registry's nvidia wheels (installed
/// by `scripts/sidecar-onnxruntime.sh --gpu`) so the CUDA provider finds them
/// without LD_LIBRARY_PATH. Failures are logged; registration then fails and
/// the model falls back to CPU.
fn preload_cuda() {
    let Some(site) = cache_dir().map(|c| c.join("onnxruntime-gpu/nvidia-site/nvidia")) else { return };
    let find = |lib: &str| -> Option<PathBuf> {
        let rd = std::fs::read_dir(&site).ok()?;
        rd.filter_map(|e| e.ok().map(|e| e.path().join("lib"))).find(|d| d.join(lib).exists())
    };
    let cuda = find("libcudart.so.13");
    let cudnn = find("libcudnn.so.9");
    if cuda.is_none() && cudnn.is_none() {
        return;
    }
    if let Err(e) = ep::cuda::preload_dylibs(cuda.as_deref(), cudnn.as_deref()) {
        warn!(error = %e, "could not preload CUDA libraries");
    }
}

/// Execution provider a session runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Provider {
    Cpu,
    Cuda,
}

impl Provider {
    pub fn name(self) -> &'static str {
        match self {
            Provider::Cpu => "cpu",
            Provider::Cuda => "cuda",
        }
    }
}

/// How sessions are built.
#[derive(Clone, Debug)]
pub struct SessionConfig {
    /// Intra-op threads per session (fixed: thread-count changes are a source
    /// of non-reproducible reductions in some kernels).
    pub threads: usize,
    /// Deterministic CPU mode: deterministic kernels, sequential execution,
    /// one inter-op thread, graph optimisation pinned at level 1.
    pub deterministic: bool,
    /// Try the CUDA provider first.
    pub gpu: bool,
}

/// Builds sessions for models.
#[derive(Clone)]
pub struct SessionFactory {
    env: Environment,
    cfg: SessionConfig,
}

impl SessionFactory {
    pub fn new(env: Environment, cfg: SessionConfig) -> Self {
        SessionFactory { env, cfg }
    }

    pub fn config(&self) -> &SessionConfig {
        &self.cfg
    }

    fn base(&self) -> Result<SessionBuilder, ort::Error> {
        let level = if self.cfg.deterministic { GraphOptimizationLevel::Level1 } else { GraphOptimizationLevel::Level3 };
        Ok(Session::builder(&self.env)?
            .with_optimization_level(level)?
            .with_intra_threads(self.cfg.threads.max(1))?
            .with_inter_threads(1)?
            .with_parallel_execution(false)?
            .with_deterministic_compute(self.cfg.deterministic)?)
    }

    /// A session for `bytes`. With `gpu`, CUDA is registered with
    /// `error_on_failure` (otherwise ONNX Runtime silently runs on CPU); if
    /// that fails the session is built on CPU and `fallback` says why.
    pub fn build(&self, bytes: &[u8]) -> Result<(Session, Provider, Option<String>), ort::Error> {
        let mut fallback = None;
        if self.cfg.gpu {
            let cuda = self.base()?.with_execution_providers([ep::CUDA::default().build().error_on_failure()]).map_err(ort::Error::from);
            match cuda.and_then(|mut b| b.commit_from_memory(bytes)) {
                Ok(s) => return Ok((s, Provider::Cuda, None)),
                Err(e) => fallback = Some(e.to_string()),
            }
        }
        let session = self.base()?.commit_from_memory(bytes)?;
        Ok((session, Provider::Cpu, fallback))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newest_library_first() {
        let d = tempfile::tempdir().unwrap();
        for n in ["libonnxruntime.so.1.9.0", "libonnxruntime.so.1.32.0", "libonnxruntime.so", "libother.so"] {
            std::fs::write(d.path().join(n), b"").unwrap();
        }
        let names: Vec<String> = libs_in(d.path()).iter().map(|p| p.file_name().unwrap().to_string_lossy().into_owned()).collect();
        assert_eq!(names, ["libonnxruntime.so.1.32.0", "libonnxruntime.so.1.9.0", "libonnxruntime.so"]);
    }

    #[test]
    fn explicit_missing_library_is_an_error() {
        // Only meaningful before any test of this binary loads the library.
        if ENV.get().is_none() {
            let Err(e) = environment(Some(Path::new("/nonexistent/libonnxruntime.so")), false) else {
                panic!("a missing library must be an error")
            };
            let msg = e.to_string();
            assert!(msg.contains("not found") && msg.contains("make onnxruntime"), "{msg}");
        }
    }
}
