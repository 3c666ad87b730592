//! Fetching a data credential's dataset for a task: `file://` (or a plain
//! path) and `http(s)://`, never more than the model's input limit, under
//! a deadline. The bytes are checked against the task's recorded sha256
//! before anything reads them, so every committee member runs the same
//! input or none.

use std::time::Duration;

use super::outcome::{DatasetInput, check_dataset};

/// The dataset's bytes, checked; or why not.
pub async fn dataset(d: &DatasetInput, timeout: Duration) -> Result<Vec<u8>, String> {
    let bytes = match tokio::time::timeout(timeout, read(d)).await {
        Ok(r) => r?,
        Err(_) => return Err(format!("fetching dataset {} took over {timeout:?}", d.uri)),
    };
    check_dataset(d, &bytes)?;
    Ok(bytes)
}

async fn read(d: &DatasetInput) -> Result<Vec<u8>, String> {
    let fail = |reason: String| format!("fetching dataset {}: {reason}", d.uri);
    let too_large = |size: u64| fail(format!("{size} bytes, over the model's input limit of {}", d.max_bytes));
    if d.uri.starts_with("http://") || d.uri.starts_with("https://") {
        let mut resp = reqwest::get(&d.uri).await.map_err(|e| fail(e.to_string()))?;
        if !resp.status().is_success() {
            return Err(fail(format!("HTTP {}", resp.status())));
        }
        if let Some(len) = resp.content_length().filter(|&l| l > d.max_bytes) {
            return Err(too_large(len));
        }
        let mut out = Vec::new();
        while let Some(chunk) = resp.chunk().await.map_err(|e| fail(e.to_string()))? {
            out.extend_from_slice(&chunk);
            if out.len() as u64 > d.max_bytes {
                return Err(too_large(out.len() as u64));
            }
        }
        return Ok(out);
    }
    if d.uri.contains("://") && !d.uri.starts_with("file://") {
        return Err(fail("unsupported scheme (file:// and http(s):// are)".into()));
    }
    let path = d.uri.strip_prefix("file://").unwrap_or(&d.uri);
    // A regular file only (not /dev/zero, a FIFO or a directory), and never
    // more bytes than the limit, whatever the metadata says.
    let meta = tokio::fs::metadata(path).await.map_err(|e| fail(e.to_string()))?;
    if !meta.is_file() {
        return Err(fail("not a regular file".into()));
    }
    if meta.len() > d.max_bytes {
        return Err(too_large(meta.len()));
    }
    use tokio::io::AsyncReadExt;
    let file = tokio::fs::File::open(path).await.map_err(|e| fail(e.to_string()))?;
    let mut out = Vec::new();
    file.take(d.max_bytes.saturating_add(1)).read_to_end(&mut out).await.map_err(|e| fail(e.to_string()))?;
    if out.len() as u64 > d.max_bytes {
        return Err(too_large(out.len() as u64));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use sha2::{Digest, Sha256};

    fn input(uri: String, bytes: &[u8], max_bytes: u64) -> DatasetInput {
        DatasetInput { uri, data_hash: hex::encode(Sha256::digest(bytes)), max_bytes }
    }

    #[tokio::test]
    async fn files_are_read_checked_and_bounded() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("in.json");
        std::fs::write(&path, b"{\"inputs\":{}}").unwrap();
        let t = Duration::from_secs(5);
        let ok = input(format!("file://{}", path.display()), b"{\"inputs\":{}}", 64);
        assert_eq!(dataset(&ok, t).await.unwrap(), b"{\"inputs\":{}}");
        let plain = DatasetInput { uri: path.display().to_string(), ..ok.clone() };
        assert!(dataset(&plain, t).await.is_ok());
        let wrong = input(ok.uri.clone(), b"other", 64);
        assert!(dataset(&wrong, t).await.unwrap_err().contains("hashes to"));
        let small = DatasetInput { max_bytes: 4, ..ok.clone() };
        assert!(dataset(&small, t).await.unwrap_err().contains("input limit"));
        let missing = DatasetInput { uri: format!("file://{}/nope", dir.path().display()), ..ok.clone() };
        assert!(dataset(&missing, t).await.unwrap_err().contains("fetching dataset"));
        let ipfs = DatasetInput { uri: "ipfs://bafy".into(), ..ok.clone() };
        assert!(dataset(&ipfs, t).await.unwrap_err().contains("unsupported scheme"));
        // Devices and directories are refused before any byte is read.
        for uri in ["file:///dev/zero", "/dev/urandom", "file:///tmp"] {
            let hostile = DatasetInput { uri: uri.into(), ..ok.clone() };
            assert!(dataset(&hostile, t).await.unwrap_err().contains("not a regular file"), "{uri}");
        }
    }
}
