//! Which URIs a validator's machine fetches, and reading them within a size
//! limit: the one rule behind the
//! sidecar's `--fetch-prefix` (model files) and `veniced`'s
//! `dataset_uri_prefixes` (datasets). Both kinds of URI are chosen by users
//! (whoever mints a model NFT or registers a dataset), so an operator may
//! keep them out of its own network and files. Only the bytes' sha256 is
//! ever trusted; this is about what the fetch itself touches.

use std::path::PathBuf;

/// URI prefixes a fetch must start with (http(s) ones normalised as
/// [`reqwest::Url`] writes them); empty allows any.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UriAllowlist {
    prefixes: Vec<String>,
}

/// What an allowed URI names.
#[derive(Debug, PartialEq, Eq)]
pub enum Target {
    Http(reqwest::Url),
    /// Absolute, with `..` and symbolic links resolved: the file to open.
    File(PathBuf),
}

impl UriAllowlist {
    /// Each prefix must be `file:///…` or `http(s)://…`. End a path prefix
    /// with `/` (`/sets` also allows `/sets-private`); a bare http origin
    /// is normalised with its `/`.
    pub fn new(prefixes: &[String]) -> Result<Self, String> {
        let prefixes = prefixes
            .iter()
            .map(|p| {
                if is_http(p) {
                    reqwest::Url::parse(p).map(String::from).map_err(|e| format!("{p:?}: {e}"))
                } else if starts_with_ci(p, "file:///") {
                    Ok(p.clone())
                } else {
                    Err(format!("{p:?} is not a file:/// or http(s):// prefix"))
                }
            })
            .collect::<Result<_, _>>()?;
        Ok(UriAllowlist { prefixes })
    }

    pub fn allows(&self, uri: &str) -> bool {
        self.prefixes.is_empty() || self.prefixes.iter().any(|p| uri.starts_with(p.as_str()))
    }

    /// `uri` (`http(s)://`, `file://` or a plain path) resolved, if allowed.
    /// A file must exist, to be resolved.
    pub fn resolve(&self, uri: &str) -> Result<Target, String> {
        let outside = |what: &str| format!("{what} is outside the allowed URI prefixes");
        if is_http(uri) {
            let url = reqwest::Url::parse(uri).map_err(|e| e.to_string())?;
            return match self.allows(url.as_str()) {
                true => Ok(Target::Http(url)),
                false => Err(outside(url.as_str())),
            };
        }
        let path = match starts_with_ci(uri, "file://") {
            true => &uri["file://".len()..],
            false if uri.contains("://") => return Err("unsupported scheme (file:// and http(s):// are)".into()),
            false => uri,
        };
        let path = std::fs::canonicalize(path).map_err(|e| e.to_string())?;
        let as_uri = format!("file://{}", path.display());
        match self.allows(&as_uri) {
            true => Ok(Target::File(path)),
            false => Err(outside(&as_uri)),
        }
    }

    /// Follows at most 10 redirects, each to an allowed URI only.
    pub fn redirect_policy(&self) -> reqwest::redirect::Policy {
        let list = self.clone();
        reqwest::redirect::Policy::custom(move |attempt| {
            if attempt.previous().len() >= 10 {
                attempt.error("over 10 redirects")
            } else if !list.allows(attempt.url().as_str()) {
                let to = attempt.url().to_string();
                attempt.error(format!("redirect to {to}, outside the allowed URI prefixes"))
            } else {
                attempt.follow()
            }
        })
    }
}

/// Schemes are case-insensitive (RFC 3986).
fn starts_with_ci(s: &str, prefix: &str) -> bool {
    s.get(..prefix.len()).is_some_and(|head| head.eq_ignore_ascii_case(prefix))
}

fn is_http(s: &str) -> bool {
    starts_with_ci(s, "http://") || starts_with_ci(s, "https://")
}

/// Why [`read_bounded`] failed.
#[derive(Debug)]
pub enum ReadError {
    /// Over the limit: the size announced or read so far.
    TooLarge(u64),
    /// Opening or reading a file (or it is not a regular file).
    Io(std::io::Error),
    /// The HTTP request, its status or its body.
    Http(String),
}

/// The bytes at `target`, never more than `max_bytes` whatever the
/// metadata or `Content-Length` say; a file must be a regular one (a URI
/// naming /dev/zero or a FIFO would never end).
pub async fn read_bounded(http: &reqwest::Client, target: Target, max_bytes: u64) -> Result<Vec<u8>, ReadError> {
    let path = match target {
        Target::File(path) => path,
        Target::Http(url) => {
            let mut resp = http.get(url).send().await.map_err(|e| ReadError::Http(with_sources(&e)))?;
            if !resp.status().is_success() {
                return Err(ReadError::Http(format!("HTTP {}", resp.status())));
            }
            if let Some(len) = resp.content_length().filter(|&l| l > max_bytes) {
                return Err(ReadError::TooLarge(len));
            }
            let mut out = Vec::new();
            while let Some(chunk) = resp.chunk().await.map_err(|e| ReadError::Http(with_sources(&e)))? {
                out.extend_from_slice(&chunk);
                if out.len() as u64 > max_bytes {
                    return Err(ReadError::TooLarge(out.len() as u64));
                }
            }
            return Ok(out);
        }
    };
    use tokio::io::AsyncReadExt;
    let meta = tokio::fs::metadata(&path).await.map_err(ReadError::Io)?;
    if !meta.is_file() {
        return Err(ReadError::Io(std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a regular file")));
    }
    if meta.len() > max_bytes {
        return Err(ReadError::TooLarge(meta.len()));
    }
    let mut out = Vec::new();
    let file = tokio::fs::File::open(&path).await.map_err(ReadError::Io)?;
    file.take(max_bytes.saturating_add(1)).read_to_end(&mut out).await.map_err(ReadError::Io)?;
    if out.len() as u64 > max_bytes {
        return Err(ReadError::TooLarge(out.len() as u64));
    }
    Ok(out)
}

/// `e` and its sources: reqwest's own message omits why a redirect failed.
fn with_sources(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        out.push_str(&format!(": {s}"));
        source = s.source();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_are_checked_and_normalised() {
        assert!(UriAllowlist::new(&["/srv/sets".into()]).unwrap_err().contains("not a file:/// or http(s):// prefix"));
        assert!(UriAllowlist::new(&["file://relative/".into()]).is_err());
        let l = UriAllowlist::new(&["HTTPS://Data.Example.org".into()]).unwrap();
        assert!(l.allows("https://data.example.org/x"));
        assert!(!l.allows("https://data.example.org.evil.net/x"), "the host ends at the normalised slash");
        assert!(UriAllowlist::default().allows("http://169.254.169.254/"), "empty allows any");
    }

    #[test]
    fn http_uris_are_compared_normalised() {
        let l = UriAllowlist::new(&["https://data.example.org/sets/".into()]).unwrap();
        let url = |u: &str| reqwest::Url::parse(u).unwrap();
        assert_eq!(l.resolve("https://data.example.org/sets/a.json"), Ok(Target::Http(url("https://data.example.org/sets/a.json"))));
        assert!(l.resolve("HTTPS://DATA.example.org/sets/a.json").is_ok(), "scheme and host are case-insensitive");
        for uri in ["https://data.example.org/sets/../private", "https://data.example.org/sets%2F..%2Fx", "http://data.example.org/sets/a"]
        {
            assert!(l.resolve(uri).unwrap_err().contains("outside the allowed URI prefixes"), "{uri}");
        }
        assert!(l.resolve("ipfs://bafy").unwrap_err().contains("unsupported scheme"));
    }
}
