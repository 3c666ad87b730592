//! A minimal CometBFT JSON-RPC client over `std::net`.
//!
//! HTTP/1.0 with `Connection: close` keeps the Go server from using chunked
//! encoding, so the body is simply everything after the headers. Every call
//! has a bounded timeout and only ever talks to 127.0.0.1.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use serde_json::{Value, json};

#[derive(Debug, thiserror::Error)]
pub enum RpcError {
    #[error("connecting to {addr}: {source}")]
    Connect { addr: SocketAddr, source: std::io::Error },
    #[error("i/o with {addr}: {source}")]
    Io { addr: SocketAddr, source: std::io::Error },
    #[error("malformed HTTP response from {addr}: {detail}")]
    Http { addr: SocketAddr, detail: String },
    #[error("JSON-RPC error from {method}: {error}")]
    Remote { method: String, error: Value },
}

impl RpcError {
    /// True when the node is not there (down or restarting), as opposed to a
    /// node that answered with an error.
    pub fn is_unreachable(&self) -> bool {
        matches!(self, RpcError::Connect { .. } | RpcError::Io { .. } | RpcError::Http { .. })
    }
}

#[derive(Clone, Debug)]
pub struct Rpc {
    addr: SocketAddr,
    timeout: Duration,
}

impl Rpc {
    pub fn new(port: u16) -> Self {
        Rpc { addr: SocketAddr::from(([127, 0, 0, 1], port)), timeout: Duration::from_secs(20) }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Calls `method` with named `params` and returns the `result` member.
    pub fn call(&self, method: &str, params: Value) -> Result<Value, RpcError> {
        let body = json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params}).to_string();
        let request = format!(
            "POST / HTTP/1.0\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{}",
            self.addr,
            body.len(),
            body
        );
        let addr = self.addr;
        let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(2)).map_err(|source| RpcError::Connect { addr, source })?;
        let io = |source| RpcError::Io { addr, source };
        stream.set_read_timeout(Some(self.timeout)).map_err(io)?;
        stream.set_write_timeout(Some(self.timeout)).map_err(io)?;
        stream.write_all(request.as_bytes()).map_err(io)?;
        let mut response = Vec::new();
        stream.read_to_end(&mut response).map_err(io)?;

        let split = response
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .ok_or_else(|| RpcError::Http { addr, detail: "no end of headers".into() })?;
        let body = &response[split + 4..];
        let value: Value = serde_json::from_slice(body)
            .map_err(|e| RpcError::Http { addr, detail: format!("{e}: {}", String::from_utf8_lossy(&body[..body.len().min(300)])) })?;
        if let Some(error) = value.get("error") {
            return Err(RpcError::Remote { method: method.to_string(), error: error.clone() });
        }
        Ok(value.get("result").cloned().unwrap_or(Value::Null))
    }

    /// Latest committed height, from `/status`.
    pub fn height(&self) -> Result<u64, RpcError> {
        let status = self.call("status", json!({}))?;
        Ok(as_u64(&status["sync_info"]["latest_block_height"]))
    }

    /// ABCI query at the latest height; returns (code, log, value bytes).
    pub fn abci_query(&self, path: &str, data: &[u8]) -> Result<(u32, String, Vec<u8>), RpcError> {
        let result = self.call("abci_query", json!({"path": path, "data": hex::encode(data), "prove": false}))?;
        let response = &result["response"];
        let code = response["code"].as_u64().unwrap_or(0) as u32;
        let log = response["log"].as_str().unwrap_or_default().to_string();
        let value = b64(response["value"].as_str().unwrap_or_default());
        Ok((code, log, value))
    }
}

/// CometBFT encodes 64-bit integers as JSON strings.
pub fn as_u64(v: &Value) -> u64 {
    match v {
        Value::String(s) => s.parse().unwrap_or(0),
        Value::Number(n) => n.as_u64().unwrap_or(0),
        _ => 0,
    }
}

pub fn b64(s: &str) -> Vec<u8> {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.decode(s).unwrap_or_default()
}

pub fn to_b64(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}
