//! Content-addressed model store: `<dir>/<sha256>.onnx`, plus the names and
//! registered quantisation rules of `<dir>/index.json` when present.
//!
//! Bytes are always verified against the sha256 before anything is written
//! or loaded: a mismatch is refused and leaves no trace.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::Deserialize;
use sha2::{Digest, Sha256};
use tracing::{info, warn};
use venice_model_types::QuantRule;
use venice_sidecar_client::uris::{ReadError, Target, UriAllowlist, read_bounded};

use crate::SidecarError;

/// What `index.json` says about a model.
#[derive(Clone, Debug, Deserialize)]
pub struct IndexEntry {
    pub name: String,
    pub sha256: String,
    #[serde(default)]
    pub rule: Option<QuantRule>,
    #[serde(default)]
    pub sample_input: Option<String>,
}

#[derive(Deserialize)]
struct Index {
    models: Vec<IndexEntry>,
}

/// A model file in the store.
#[derive(Clone, Debug)]
pub struct StoredModel {
    pub sha256: String,
    pub size: u64,
    pub name: Option<String>,
}

pub struct ModelStore {
    dir: PathBuf,
    max_bytes: u64,
    index: BTreeMap<String, IndexEntry>,
    /// Rules registered at load time (override index.json).
    rules: Mutex<BTreeMap<String, QuantRule>>,
    /// URIs a model may be fetched from (`--fetch-prefix`), redirects too.
    allowed: UriAllowlist,
    http: reqwest::Client,
}

pub fn is_model_id(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

pub fn check_model_id(s: &str) -> Result<(), SidecarError> {
    if is_model_id(s) { Ok(()) } else { Err(SidecarError::BadModelId(s.into())) }
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

impl ModelStore {
    /// Opens (creating if needed) the store at `dir`, fetching models only
    /// from URIs `allowed` allows.
    pub fn open(dir: &Path, max_bytes: u64, allowed: UriAllowlist) -> Result<Self, SidecarError> {
        std::fs::create_dir_all(dir)?;
        let mut index = BTreeMap::new();
        let index_path = dir.join("index.json");
        if index_path.exists() {
            let text = std::fs::read_to_string(&index_path)?;
            match serde_json::from_str::<Index>(&text) {
                Ok(i) => {
                    for e in i.models {
                        index.insert(e.sha256.clone(), e);
                    }
                }
                Err(e) => warn!(path = %index_path.display(), error = %e, "ignoring unreadable index.json"),
            }
        }
        let http = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(300))
            .redirect(allowed.redirect_policy())
            .build()
            .map_err(|e| SidecarError::Fetch { uri: String::new(), reason: e.to_string() })?;
        Ok(ModelStore { dir: dir.to_path_buf(), max_bytes, index, rules: Mutex::new(BTreeMap::new()), allowed, http })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn path_of(&self, sha: &str) -> PathBuf {
        self.dir.join(format!("{sha}.onnx"))
    }

    pub fn name_of(&self, sha: &str) -> Option<String> {
        self.index.get(sha).map(|e| e.name.clone())
    }

    /// Looks a model up by name in index.json.
    pub fn by_name(&self, name: &str) -> Option<&IndexEntry> {
        self.index.values().find(|e| e.name == name)
    }

    pub fn rule_of(&self, sha: &str) -> Option<QuantRule> {
        let registered = self.rules.lock().unwrap_or_else(|e| e.into_inner()).get(sha).cloned();
        registered.or_else(|| self.index.get(sha).and_then(|e| e.rule.clone()))
    }

    pub fn register_rule(&self, sha: &str, rule: QuantRule) {
        self.rules.lock().unwrap_or_else(|e| e.into_inner()).insert(sha.into(), rule);
    }

    /// Models whose file is in the store (valid ids only), by id.
    pub fn list(&self) -> Vec<StoredModel> {
        let Ok(rd) = std::fs::read_dir(&self.dir) else { return Vec::new() };
        let mut out: Vec<StoredModel> = rd
            .filter_map(|e| e.ok())
            .filter_map(|e| {
                let name = e.file_name().into_string().ok()?;
                let sha = name.strip_suffix(".onnx")?;
                if !is_model_id(sha) {
                    return None;
                }
                let size = e.metadata().ok()?.len();
                Some(StoredModel { sha256: sha.into(), size, name: self.name_of(sha) })
            })
            .collect();
        out.sort_by(|a, b| a.sha256.cmp(&b.sha256));
        out
    }

    /// The verified bytes of `sha` and whether they came from the store: from
    /// `uri` when given, else from the store itself. Bytes from a URI are not
    /// written here: the caller [`keep`](Self::keep)s them once they load.
    pub async fn fetch(&self, sha: &str, uri: Option<&str>) -> Result<(Vec<u8>, bool), SidecarError> {
        check_model_id(sha)?;
        let (bytes, from_store) = match uri.filter(|u| !u.is_empty()) {
            None => {
                let path = self.path_of(sha);
                if !path.exists() {
                    return Err(SidecarError::ModelNotFound(sha.into()));
                }
                (self.read(Target::File(path), None).await?, true)
            }
            Some(u) => {
                let target = self.allowed.resolve(u).map_err(|reason| SidecarError::Fetch { uri: u.into(), reason })?;
                (self.read(target, Some(u)).await?, false)
            }
        };
        let actual = sha256_hex(&bytes);
        if actual != sha {
            return Err(SidecarError::HashMismatch { expected: sha.into(), actual });
        }
        Ok((bytes, from_store))
    }

    /// At most `max_bytes` from `target`: the store's own file (`uri`
    /// `None`: its I/O errors are the store's), or what a URI names (its
    /// failures are the fetch's).
    async fn read(&self, target: Target, uri: Option<&str>) -> Result<Vec<u8>, SidecarError> {
        read_bounded(&self.http, target, self.max_bytes).await.map_err(|e| match (e, uri) {
            (ReadError::TooLarge(size), _) => SidecarError::ModelTooLarge { size, limit: self.max_bytes },
            (ReadError::Io(io), None) => SidecarError::Io(io),
            (ReadError::Io(io), Some(u)) => SidecarError::Fetch { uri: u.into(), reason: io.to_string() },
            (ReadError::Http(reason), u) => SidecarError::Fetch { uri: u.unwrap_or_default().into(), reason },
        })
    }

    /// Writes verified bytes into the store atomically (temp file + rename),
    /// so a crash never leaves a partial `<sha>.onnx`.
    pub fn keep(&self, sha: &str, bytes: &[u8]) -> Result<(), SidecarError> {
        let path = self.path_of(sha);
        if path.exists() {
            return Ok(());
        }
        let tmp = self.dir.join(format!(".{sha}.{}.tmp", std::process::id()));
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, &path)?;
        info!(model = sha, path = %path.display(), "model stored");
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn model_ids() {
        assert!(is_model_id(&"a".repeat(64)));
        assert!(!is_model_id(&"A".repeat(64)));
        assert!(!is_model_id(&"a".repeat(63)));
        assert!(!is_model_id(&"g".repeat(64)));
    }

    #[tokio::test]
    async fn fetch_verifies_and_keeps_only_good_bytes() {
        let store_dir = tempfile::tempdir().unwrap();
        let src = tempfile::tempdir().unwrap();
        let store = ModelStore::open(store_dir.path(), 1 << 20, UriAllowlist::default()).unwrap();
        let bytes = b"not really onnx, but hashed".to_vec();
        let sha = sha256_hex(&bytes);
        let file = src.path().join("m.onnx");
        std::fs::write(&file, &bytes).unwrap();

        let wrong = "0".repeat(64);
        let err = store.fetch(&wrong, Some(file.to_str().unwrap())).await.unwrap_err();
        assert!(matches!(err, SidecarError::HashMismatch { .. }), "{err}");
        assert!(store.list().is_empty(), "a mismatch must leave nothing behind");

        let uri = format!("file://{}", file.display());
        assert_eq!(store.fetch(&sha, Some(&uri)).await.unwrap(), (bytes.clone(), false));
        assert!(store.list().is_empty(), "kept only once the caller says so");
        store.keep(&sha, &bytes).unwrap();
        assert_eq!(store.list().len(), 1);
        // Now served from the store itself.
        assert_eq!(store.fetch(&sha, None).await.unwrap(), (bytes, true));
        assert!(matches!(store.fetch(&wrong, None).await, Err(SidecarError::ModelNotFound(_))));
        assert!(matches!(store.fetch("xyz", None).await, Err(SidecarError::BadModelId(_))));
    }

    #[tokio::test]
    async fn size_limit() {
        let dir = tempfile::tempdir().unwrap();
        let store = ModelStore::open(dir.path(), 4, UriAllowlist::default()).unwrap();
        let file = dir.path().join("big");
        std::fs::write(&file, b"12345").unwrap();
        let err = store.fetch(&sha256_hex(b"12345"), Some(file.to_str().unwrap())).await.unwrap_err();
        assert!(matches!(err, SidecarError::ModelTooLarge { size: 5, limit: 4 }));
        // A device reports size 0 and never ends: refused before any read.
        for uri in ["file:///dev/zero", "/dev/urandom"] {
            let err = store.fetch(&sha256_hex(b"12345"), Some(uri)).await.unwrap_err();
            assert!(matches!(&err, SidecarError::Fetch { reason, .. } if reason.contains("not a regular file")), "{uri}: {err}");
        }
    }

    #[tokio::test]
    async fn fetch_prefixes_limit_where_models_come_from() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        std::fs::create_dir_all(root.join("models")).unwrap();
        let bytes = b"model bytes".to_vec();
        let sha = sha256_hex(&bytes);
        std::fs::write(root.join("models/m.onnx"), &bytes).unwrap();
        std::fs::write(root.join("other.onnx"), &bytes).unwrap();
        let allowed = UriAllowlist::new(&[format!("file://{}/models/", root.display()), "https://models.example.org/".into()]).unwrap();
        let store = ModelStore::open(&root.join("store"), 1 << 20, allowed).unwrap();

        let ok = format!("file://{}/models/m.onnx", root.display());
        assert_eq!(store.fetch(&sha, Some(&ok)).await.unwrap(), (bytes, false));
        for uri in [
            format!("file://{}/other.onnx", root.display()),
            format!("{}/models/../other.onnx", root.display()),
            "http://127.0.0.1:1/m.onnx".into(),
        ] {
            let err = store.fetch(&sha, Some(&uri)).await.unwrap_err();
            assert!(
                matches!(&err, SidecarError::Fetch { reason, .. } if reason.contains("outside the allowed URI prefixes")),
                "{uri}: {err}"
            );
        }
    }
}
