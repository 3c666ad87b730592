//! CometBFT RPC access: ABCI queries at Cosmos gRPC method paths (protobuf in,
//! protobuf out, exactly as cosmjs/cosmrs send them), status, broadcast and
//! transaction lookup.

use std::time::{Duration, Instant};

use prost::Message;
use tendermint::Hash;
use tendermint::block::Height;
use tendermint_rpc::endpoint::{abci_query::AbciQuery, broadcast, status, tx};
use tendermint_rpc::{Client, HttpClient, HttpClientUrl};

use crate::error::{CliError, Result};

/// Default CometBFT RPC address.
pub const DEFAULT_NODE: &str = "http://127.0.0.1:26657";

pub struct Node {
    client: HttpClient,
    url: String,
}

/// `tcp://host:port` (the SDK's and CometBFT's spelling) means plain HTTP.
pub fn normalise_url(url: &str) -> String {
    if let Some(rest) = url.strip_prefix("tcp://") {
        format!("http://{rest}")
    } else if !url.contains("://") {
        format!("http://{url}")
    } else {
        url.to_string()
    }
}

impl Node {
    pub fn connect(url: &str) -> Result<Node> {
        let normalised = normalise_url(url);
        let bad = |detail: String| CliError::BadNodeUrl { url: url.to_string(), detail };
        let parsed: HttpClientUrl = normalised.parse().map_err(|e: tendermint_rpc::Error| bad(error_text(&e)))?;
        let client = HttpClient::builder(parsed).timeout(Duration::from_secs(30)).build().map_err(|e| bad(error_text(&e)))?;
        Ok(Node { client, url: normalised })
    }

    /// Turns a transport or JSON-RPC error into a readable one.
    fn map_err(&self, e: tendermint_rpc::Error) -> CliError {
        use tendermint_rpc::error::ErrorDetail;
        match e.detail() {
            // flex_error keeps the transport cause (e.g. "connection refused")
            // in the error's display, not in a typed source.
            ErrorDetail::Http(_) | ErrorDetail::Io(_) | ErrorDetail::HttpRequestFailed(_) => {
                CliError::NodeUnreachable { url: self.url.clone(), detail: error_text(&e) }
            }
            ErrorDetail::Response(r) => CliError::Rpc {
                url: self.url.clone(),
                detail: match r.source.data() {
                    Some(data) => format!("{}: {data}", r.source.message()),
                    None => r.source.message().to_string(),
                },
            },
            _ => CliError::Rpc { url: self.url.clone(), detail: error_text(&e) },
        }
    }

    /// Raw ABCI query. A non-zero code is an error carrying the node's log.
    pub async fn abci_query(&self, path: &str, data: Vec<u8>, height: Option<u64>, prove: bool) -> Result<AbciQuery> {
        let height = height
            .map(|h| {
                Height::try_from(h).map_err(|_| CliError::BadFlag { flag: "--height", reason: format!("{h} is not a valid block height") })
            })
            .transpose()?;
        let res = self.client.abci_query(Some(path.to_string()), data, height, prove).await.map_err(|e| self.map_err(e))?;
        if res.code.is_err() {
            return Err(CliError::QueryFailed {
                path: path.to_string(),
                code: res.code.value(),
                codespace: res.codespace.clone(),
                log: res.log.clone(),
            });
        }
        Ok(res)
    }

    /// A gRPC-style query: encodes `req`, decodes the response as `Resp`.
    pub async fn query<Req: Message, Resp: Message + Default>(&self, path: &str, req: &Req, height: Option<u64>) -> Result<Resp> {
        let res = self.abci_query(path, req.encode_to_vec(), height, false).await?;
        Resp::decode(res.value.as_slice()).map_err(|e| CliError::decode(format!("response of {path}"), e))
    }

    pub async fn status(&self) -> Result<status::Response> {
        self.client.status().await.map_err(|e| self.map_err(e))
    }

    /// The chain id the node reports.
    pub async fn chain_id(&self) -> Result<String> {
        Ok(self.status().await?.node_info.network.to_string())
    }

    /// `broadcast_tx_async`: returns the hash without waiting for CheckTx.
    pub async fn broadcast_async(&self, tx_bytes: Vec<u8>) -> Result<Hash> {
        self.client.broadcast_tx_async(tx_bytes).await.map(|r| r.hash).map_err(|e| self.map_err(e))
    }

    pub async fn broadcast_sync(&self, tx_bytes: Vec<u8>) -> Result<broadcast::tx_sync::Response> {
        self.client.broadcast_tx_sync(tx_bytes).await.map_err(|e| self.map_err(e))
    }

    pub async fn broadcast_commit(&self, tx_bytes: Vec<u8>) -> Result<broadcast::tx_commit::Response> {
        self.client.broadcast_tx_commit(tx_bytes).await.map_err(|e| self.map_err(e))
    }

    /// `/tx?hash=`; `None` while the node does not know the hash.
    pub async fn tx(&self, hash: Hash) -> Result<Option<tx::Response>> {
        match self.client.tx(hash, false).await {
            Ok(r) => Ok(Some(r)),
            Err(e) => match self.map_err(e) {
                CliError::Rpc { detail, .. } if detail.contains("not found") => Ok(None),
                other => Err(other),
            },
        }
    }

    /// `/tx_search` (oldest first): total count and one page of results.
    pub async fn tx_search(&self, query: &str, page: u32, per_page: u8) -> Result<(u32, Vec<tx::Response>)> {
        let q: tendermint_rpc::query::Query =
            query.parse().map_err(|e: tendermint_rpc::Error| CliError::BadFlag { flag: "--query", reason: error_text(&e) })?;
        let res = self.client.tx_search(q, false, page, per_page, tendermint_rpc::Order::Ascending).await.map_err(|e| self.map_err(e))?;
        Ok((res.total_count, res.txs))
    }

    /// Polls `/tx` until the transaction is in a block or `timeout` passes.
    pub async fn wait_for_tx(&self, hash: Hash, timeout: Duration) -> Result<tx::Response> {
        let start = Instant::now();
        loop {
            if let Some(r) = self.tx(hash).await? {
                return Ok(r);
            }
            if start.elapsed() >= timeout {
                return Err(CliError::InclusionTimeout { hash: hash.to_string(), secs: timeout.as_secs() });
            }
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
    }

    /// Block time of `height`, RFC 3339, for TxResponse.timestamp; best effort.
    pub async fn block_time(&self, height: u64) -> Option<String> {
        let h = Height::try_from(height).ok()?;
        let header = self.client.header(h).await.ok()?;
        Some(header.header.time.to_rfc3339())
    }
}

/// One line for a tendermint-rpc error (its display is a multi-line report).
fn error_text(e: &tendermint_rpc::Error) -> String {
    transport_cause(&e.to_string())
}

/// The useful part of a transport error's text. The error tracer renders a
/// report ("HTTP error", "Caused by:" lines, maybe a location and a backtrace
/// when RUST_BACKTRACE is set); keep the causes, one line.
fn transport_cause(text: &str) -> String {
    let mut lines = text.lines();
    let head = lines.next().unwrap_or_default().trim().to_string();
    let mut causes = Vec::new();
    let mut in_causes = false;
    for line in lines {
        let t = line.trim();
        if t == "Caused by:" {
            in_causes = true;
            continue;
        }
        if !in_causes {
            continue;
        }
        if t.is_empty() || t.starts_with("Location:") || t.starts_with("Stack backtrace:") {
            break;
        }
        // Numbered causes ("0: msg") lose their numbers.
        let msg = match t.split_once(": ") {
            Some((n, rest)) if n.chars().all(|c| c.is_ascii_digit()) => rest,
            _ => t,
        };
        causes.push(msg.to_string());
    }
    if causes.is_empty() { head } else { causes.join(": ") }
}

/// Parses a transaction hash given as hex (either case).
pub fn parse_tx_hash(s: &str) -> Result<Hash> {
    let s = s.trim().trim_start_matches("0x");
    let bytes = hex::decode(s).map_err(|e| CliError::BadFlag { flag: "HASH", reason: format!("{s:?} is not hex: {e}") })?;
    Hash::from_bytes(tendermint::hash::Algorithm::Sha256, &bytes)
        .map_err(|_| CliError::BadFlag { flag: "HASH", reason: format!("expected 32 bytes (64 hex characters), got {}", bytes.len()) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        assert_eq!(normalise_url("tcp://127.0.0.1:26657"), "http://127.0.0.1:26657");
        assert_eq!(normalise_url("localhost:26657"), "http://localhost:26657");
        assert_eq!(normalise_url("https://rpc.example:443"), "https://rpc.example:443");
        assert!(Node::connect("tcp://127.0.0.1:26657").is_ok());
        assert!(matches!(Node::connect("ftp://x"), Err(CliError::BadNodeUrl { .. })));
    }

    #[test]
    fn tx_hashes() {
        let h = "A".repeat(64);
        assert_eq!(parse_tx_hash(&h).unwrap().to_string(), h);
        assert_eq!(parse_tx_hash(&h.to_lowercase()).unwrap().to_string(), h);
        assert!(parse_tx_hash("abcd").is_err());
        assert!(parse_tx_hash("zz").is_err());
    }

    #[test]
    fn transport_cause_keeps_the_causes_only() {
        let text = "HTTP error\n\nCaused by:\n    error sending request: tcp connect error: Connection refused (os error 111)\n\nLocation:\n    x.rs:10:9\n\nStack backtrace:\n   0: eyre";
        assert_eq!(transport_cause(text), "error sending request: tcp connect error: Connection refused (os error 111)");
        let text = "HTTP error\n\nCaused by:\n   0: outer\n   1: inner\n";
        assert_eq!(transport_cause(text), "outer: inner");
        assert_eq!(transport_cause("I/O error: broken pipe"), "I/O error: broken pipe");
    }

    #[tokio::test]
    async fn unreachable_node_is_a_readable_error() {
        // Port 9 on loopback: nothing listens there, the connection is refused.
        let node = Node::connect("http://127.0.0.1:9").unwrap();
        let err = node.status().await.unwrap_err();
        assert!(matches!(err, CliError::NodeUnreachable { .. }), "{err}");
        let text = err.to_string();
        assert!(text.contains("127.0.0.1:9"), "{text}");
        assert!(!text.contains('\n') && !text.contains("backtrace"), "{text}");
    }
}
