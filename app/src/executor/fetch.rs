//! Fetching a data credential's dataset for a task: `file://` (or a plain
//! path) and `http(s)://`, never more than the model's input limit, under
//! a deadline. The bytes are checked against the task's recorded sha256
//! before anything reads them, so every committee member runs the same
//! input or none. An operator may restrict the URIs its node fetches
//! (`dataset_uri_prefixes`): a URI a user chose must not make a validator
//! send requests into its own network or read its files.

use std::time::Duration;

use venice_sidecar_client::uris::{ReadError, UriAllowlist, read_bounded};

use super::outcome::{DatasetInput, check_dataset};
use crate::config::InferenceConfig;

/// How this node fetches datasets (app.toml's `[inference]`).
#[derive(Clone)]
pub struct Fetcher {
    timeout: Duration,
    /// `dataset_uri_prefixes`
    allowed: UriAllowlist,
    /// Follows a redirect only to an allowed URI, at most 10.
    http: reqwest::Client,
}

impl Fetcher {
    pub fn new(cfg: &InferenceConfig) -> anyhow::Result<Self> {
        let allowed = UriAllowlist::new(&cfg.dataset_uri_prefixes).map_err(|e| anyhow::anyhow!("dataset_uri_prefixes: {e}"))?;
        let http = reqwest::Client::builder().redirect(allowed.redirect_policy()).build()?;
        Ok(Fetcher { timeout: Duration::from_millis(cfg.load_timeout_ms), allowed, http })
    }

    /// The dataset's bytes, checked; or why not.
    pub async fn dataset(&self, d: &DatasetInput) -> Result<Vec<u8>, String> {
        let bytes = match tokio::time::timeout(self.timeout, self.read(d)).await {
            Ok(r) => r?,
            Err(_) => return Err(format!("fetching dataset {} took over {:?}", d.uri, self.timeout)),
        };
        check_dataset(d, &bytes)?;
        Ok(bytes)
    }

    async fn read(&self, d: &DatasetInput) -> Result<Vec<u8>, String> {
        let fail = |reason: String| format!("fetching dataset {}: {reason}", d.uri);
        let target = self.allowed.resolve(&d.uri).map_err(fail)?;
        read_bounded(&self.http, target, d.max_bytes).await.map_err(|e| match e {
            ReadError::TooLarge(size) => fail(format!("{size} bytes, over the model's input limit of {}", d.max_bytes)),
            ReadError::Io(e) => fail(e.to_string()),
            ReadError::Http(reason) => fail(reason),
        })
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use sha2::{Digest, Sha256};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    use super::*;

    const BODY: &[u8] = b"{\"inputs\":{}}";

    fn input(uri: String, bytes: &[u8], max_bytes: u64) -> DatasetInput {
        DatasetInput { uri, data_hash: hex::encode(Sha256::digest(bytes)), max_bytes }
    }

    fn fetcher(prefixes: &[String]) -> Fetcher {
        let cfg = InferenceConfig { load_timeout_ms: 5_000, dataset_uri_prefixes: prefixes.to_vec(), ..Default::default() };
        Fetcher::new(&cfg).unwrap()
    }

    #[tokio::test]
    async fn files_are_read_checked_and_bounded() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("in.json");
        std::fs::write(&path, BODY).unwrap();
        let f = fetcher(&[]);
        let ok = input(format!("file://{}", path.display()), BODY, 64);
        assert_eq!(f.dataset(&ok).await.unwrap(), BODY);
        let plain = DatasetInput { uri: path.display().to_string(), ..ok.clone() };
        assert!(f.dataset(&plain).await.is_ok());
        let wrong = input(ok.uri.clone(), b"other", 64);
        assert!(f.dataset(&wrong).await.unwrap_err().contains("hashes to"));
        let small = DatasetInput { max_bytes: 4, ..ok.clone() };
        assert!(f.dataset(&small).await.unwrap_err().contains("input limit"));
        let missing = DatasetInput { uri: format!("file://{}/nope", dir.path().display()), ..ok.clone() };
        assert!(f.dataset(&missing).await.unwrap_err().contains("fetching dataset"));
        let ipfs = DatasetInput { uri: "ipfs://bafy".into(), ..ok.clone() };
        assert!(f.dataset(&ipfs).await.unwrap_err().contains("unsupported scheme"));
        // Devices and directories are refused before any byte is read.
        for uri in ["file:///dev/zero", "/dev/urandom", "file:///tmp"] {
            let hostile = DatasetInput { uri: uri.into(), ..ok.clone() };
            assert!(f.dataset(&hostile).await.unwrap_err().contains("not a regular file"), "{uri}");
        }
    }

    #[tokio::test]
    async fn file_prefixes_see_through_dot_dot_and_links() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        std::fs::create_dir(root.join("sets")).unwrap();
        std::fs::write(root.join("sets/in.json"), BODY).unwrap();
        std::fs::write(root.join("secret.json"), BODY).unwrap();
        std::os::unix::fs::symlink(root.join("secret.json"), root.join("sets/link.json")).unwrap();
        let f = fetcher(&[format!("file://{}/sets/", root.display())]);

        let at = |rel: &str| input(format!("file://{}/{rel}", root.display()), BODY, 64);
        assert_eq!(f.dataset(&at("sets/in.json")).await.unwrap(), BODY);
        let plain = DatasetInput { uri: format!("{}/sets/in.json", root.display()), ..at("") };
        assert_eq!(f.dataset(&plain).await.unwrap(), BODY, "a plain path is a file:// URI");
        for rel in ["secret.json", "sets/../secret.json", "sets/link.json"] {
            let err = f.dataset(&at(rel)).await.unwrap_err();
            assert!(err.contains("outside the allowed URI prefixes"), "{rel}: {err}");
            assert!(err.contains("secret.json"), "names the resolved file: {err}");
        }
    }

    /// A one-thread HTTP server: `/sets/data` answers the body,
    /// `/sets/away` redirects to `/private/data`, which also answers it.
    async fn serve(hits: Arc<AtomicUsize>) -> String {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move {
            while let Ok((mut conn, _)) = listener.accept().await {
                hits.fetch_add(1, Ordering::SeqCst);
                let mut req = Vec::new();
                let mut buf = [0u8; 1024];
                while !req.windows(4).any(|w| w == b"\r\n\r\n") {
                    match conn.read(&mut buf).await {
                        Ok(0) | Err(_) => break,
                        Ok(n) => req.extend_from_slice(&buf[..n]),
                    }
                }
                let line = String::from_utf8_lossy(&req).lines().next().unwrap_or("").to_string();
                let head = match line.split(' ').nth(1) {
                    Some("/sets/away") => "HTTP/1.1 302 Found\r\nLocation: /private/data\r\nContent-Length: 0\r\n".to_string(),
                    Some("/sets/data" | "/private/data") => format!("HTTP/1.1 200 OK\r\nContent-Length: {}\r\n", BODY.len()),
                    _ => "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n".to_string(),
                };
                let mut resp = format!("{head}Connection: close\r\n\r\n").into_bytes();
                if head.starts_with("HTTP/1.1 200") {
                    resp.extend_from_slice(BODY);
                }
                let _ = conn.write_all(&resp).await;
            }
        });
        base
    }

    #[tokio::test]
    async fn http_prefixes_hold_for_redirects_and_refuse_before_any_request() {
        let hits = Arc::new(AtomicUsize::new(0));
        let base = serve(hits.clone()).await;
        let open = fetcher(&[]);
        let closed = fetcher(&[format!("{base}/sets/")]);
        let at = |path: &str| input(format!("{base}{path}"), BODY, 64);

        assert_eq!(open.dataset(&at("/sets/data")).await.unwrap(), BODY);
        assert_eq!(open.dataset(&at("/sets/away")).await.unwrap(), BODY, "redirects are followed");
        assert!(open.dataset(&at("/nope")).await.unwrap_err().contains("HTTP 404"));
        assert_eq!(closed.dataset(&at("/sets/data")).await.unwrap(), BODY);

        let before = hits.load(Ordering::SeqCst);
        for path in ["/private/data", "/sets/../private/data"] {
            let err = closed.dataset(&at(path)).await.unwrap_err();
            assert!(err.contains(&format!("{base}/private/data is outside")), "{path}: {err}");
        }
        assert_eq!(hits.load(Ordering::SeqCst), before, "a refused URI is never requested");

        let err = closed.dataset(&at("/sets/away")).await.unwrap_err();
        assert_eq!(hits.load(Ordering::SeqCst), before + 1, "only the redirecting request was made");
        assert!(err.contains(&format!("redirect to {base}/private/data, outside the allowed URI prefixes")), "{err}");
    }
}
