//! What commands print. Every result is a JSON value: `--output json` prints
//! it as one line of JSON (a stable format documented in cli/README.md), the
//! default `text` output renders the same value as indented `key: value` lines.
//! Transaction results follow the Cosmos SDK's `TxResponse` JSON.

use base64::Engine;
use cosmos_sdk_proto::cosmos::bank::v1beta1::{MsgMultiSend, MsgSend};
use cosmos_sdk_proto::cosmos::base::v1beta1::Coin as ProtoCoin;
use cosmos_sdk_proto::cosmos::crypto::secp256k1::PubKey;
use cosmos_sdk_proto::cosmos::tx::signing::v1beta1::SignMode;
use cosmos_sdk_proto::cosmos::tx::v1beta1::{AuthInfo, TxBody, TxRaw, mode_info};
use prost::Message;
use serde::Serialize;
use serde_json::{Value, json};
use tendermint::abci::{Event, response::CheckTx, types::ExecTxResult};
use tendermint_rpc::endpoint::{broadcast::tx_sync, tx};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    Text,
    Json,
}

pub fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// Prints `value` in the chosen format on stdout.
pub fn print(format: OutputFormat, value: &Value) {
    match format {
        OutputFormat::Json => println!("{value}"),
        OutputFormat::Text => print!("{}", render_text(value)),
    }
}

/// YAML-like rendering: maps as `key: value`, lists as `- item`.
pub fn render_text(value: &Value) -> String {
    let mut out = String::new();
    render(value, 0, &mut out);
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::Null => Some("null".into()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) if s.is_empty() => Some("\"\"".into()),
        Value::String(s) => Some(s.clone()),
        Value::Array(a) if a.is_empty() => Some("[]".into()),
        Value::Object(o) if o.is_empty() => Some("{}".into()),
        _ => None,
    }
}

fn render(value: &Value, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                match scalar(v) {
                    Some(s) => out.push_str(&format!("{pad}{k}: {s}\n")),
                    None => {
                        out.push_str(&format!("{pad}{k}:\n"));
                        render(v, indent + 2, out);
                    }
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                match scalar(item) {
                    Some(s) => out.push_str(&format!("{pad}- {s}\n")),
                    None => {
                        // First line after the dash, the rest aligned under it.
                        let mut inner = String::new();
                        render(item, indent + 2, &mut inner);
                        let inner = inner.trim_start();
                        out.push_str(&format!("{pad}- {inner}"));
                    }
                }
            }
        }
        other => {
            if let Some(s) = scalar(other) {
                out.push_str(&format!("{pad}{s}\n"));
            }
        }
    }
}

/// The Cosmos SDK's `TxResponse`, field for field. 64-bit integers are JSON
/// strings (protobuf JSON convention), `code` is a number.
#[derive(Debug, Clone, Serialize)]
pub struct TxResponse {
    pub height: String,
    pub txhash: String,
    pub codespace: String,
    pub code: u32,
    pub data: String,
    pub raw_log: String,
    pub logs: Vec<Value>,
    pub info: String,
    pub gas_wanted: String,
    pub gas_used: String,
    pub tx: Option<Value>,
    pub timestamp: String,
    pub events: Vec<Value>,
}

/// ABCI result `data` as the SDK prints it (upper-case hex of the bytes).
/// CometBFT sends it base64-encoded and tendermint-rpc keeps the base64 text
/// for CheckTx/ExecTxResult, so decode it when it is base64.
fn data_hex(data: &[u8]) -> String {
    match base64::engine::general_purpose::STANDARD.decode(data) {
        Ok(raw) => hex::encode_upper(raw),
        Err(_) => hex::encode_upper(data),
    }
}

pub fn events_json(events: &[Event]) -> Vec<Value> {
    events
        .iter()
        .map(|e| {
            let attrs: Vec<Value> = e
                .attributes
                .iter()
                .map(|a| {
                    json!({
                        "key": a.key_str().map(str::to_string).unwrap_or_else(|_| b64(a.key_bytes())),
                        "value": a.value_str().map(str::to_string).unwrap_or_else(|_| b64(a.value_bytes())),
                        "index": a.index(),
                    })
                })
                .collect();
            json!({ "type": e.kind, "attributes": attrs })
        })
        .collect()
}

impl TxResponse {
    /// After `broadcast_tx_sync`: only CheckTx's verdict is known.
    pub fn from_sync(r: &tx_sync::Response) -> Self {
        TxResponse {
            height: "0".into(),
            txhash: r.hash.to_string(),
            codespace: r.codespace.clone(),
            code: r.code.value(),
            data: hex::encode_upper(&r.data),
            raw_log: r.log.clone(),
            logs: vec![],
            info: String::new(),
            gas_wanted: "0".into(),
            gas_used: "0".into(),
            tx: None,
            timestamp: String::new(),
            events: vec![],
        }
    }

    /// Only the hash is known (async broadcast).
    pub fn pending(hash: &str) -> Self {
        TxResponse {
            height: "0".into(),
            txhash: hash.to_string(),
            codespace: String::new(),
            code: 0,
            data: String::new(),
            raw_log: String::new(),
            logs: vec![],
            info: String::new(),
            gas_wanted: "0".into(),
            gas_used: "0".into(),
            tx: None,
            timestamp: String::new(),
            events: vec![],
        }
    }

    /// A CheckTx rejection seen through `broadcast_tx_commit`.
    pub fn from_check_tx(hash: &str, r: &CheckTx) -> Self {
        TxResponse {
            height: "0".into(),
            txhash: hash.to_string(),
            codespace: r.codespace.clone(),
            code: r.code.value(),
            data: data_hex(&r.data),
            raw_log: r.log.clone(),
            logs: vec![],
            info: r.info.clone(),
            gas_wanted: r.gas_wanted.to_string(),
            gas_used: r.gas_used.to_string(),
            tx: None,
            timestamp: String::new(),
            events: events_json(&r.events),
        }
    }

    /// A transaction executed in block `height`.
    pub fn from_exec(hash: &str, height: u64, r: &ExecTxResult, tx_bytes: &[u8], timestamp: String) -> Self {
        TxResponse {
            height: height.to_string(),
            txhash: hash.to_string(),
            codespace: r.codespace.clone(),
            code: r.code.value(),
            data: data_hex(&r.data),
            raw_log: r.log.clone(),
            logs: vec![],
            info: r.info.clone(),
            gas_wanted: r.gas_wanted.to_string(),
            gas_used: r.gas_used.to_string(),
            tx: Some(decode_tx_json(tx_bytes)),
            timestamp,
            events: events_json(&r.events),
        }
    }

    pub fn from_tx_query(r: &tx::Response, timestamp: String) -> Self {
        Self::from_exec(&r.hash.to_string(), r.height.value(), &r.tx_result, &r.tx, timestamp)
    }

    pub fn to_value(&self) -> Value {
        serde_json::to_value(self).expect("TxResponse serialises")
    }
}

pub fn coins_json(coins: &[ProtoCoin]) -> Value {
    Value::Array(coins.iter().map(|c| json!({ "denom": c.denom, "amount": c.amount })).collect())
}

/// A readable JSON view of an `Any` message: known bank and wasm messages
/// field by field, anything else as its type URL and base64 bytes.
fn any_json(type_url: &str, value: &[u8]) -> Value {
    match type_url {
        "/cosmos.bank.v1beta1.MsgSend" => match MsgSend::decode(value) {
            Ok(m) => json!({
                "@type": type_url,
                "from_address": m.from_address,
                "to_address": m.to_address,
                "amount": coins_json(&m.amount),
            }),
            Err(_) => json!({ "@type": type_url, "value": b64(value) }),
        },
        "/cosmos.bank.v1beta1.MsgMultiSend" => match MsgMultiSend::decode(value) {
            Ok(m) => json!({
                "@type": type_url,
                "inputs": m.inputs.iter().map(|i| json!({"address": i.address, "coins": coins_json(&i.coins)})).collect::<Vec<_>>(),
                "outputs": m.outputs.iter().map(|o| json!({"address": o.address, "coins": coins_json(&o.coins)})).collect::<Vec<_>>(),
            }),
            Err(_) => json!({ "@type": type_url, "value": b64(value) }),
        },
        "/cosmos.crypto.secp256k1.PubKey" => match PubKey::decode(value) {
            Ok(k) => json!({ "@type": type_url, "key": b64(&k.key) }),
            Err(_) => json!({ "@type": type_url, "value": b64(value) }),
        },
        t if t.starts_with("/cosmwasm.wasm.v1.") => {
            crate::modules::wasm::msg_json(type_url, value).unwrap_or_else(|| json!({ "@type": type_url, "value": b64(value) }))
        }
        _ => json!({ "@type": type_url, "value": b64(value) }),
    }
}

/// The SDK's JSON view of a transaction (`body`, `auth_info`, `signatures`);
/// bytes that do not decode are shown as base64 under `raw`.
pub fn decode_tx_json(bytes: &[u8]) -> Value {
    let raw_fallback = || json!({ "raw": b64(bytes) });
    let Ok(raw) = TxRaw::decode(bytes) else {
        return raw_fallback();
    };
    let (Ok(body), Ok(auth)) = (TxBody::decode(raw.body_bytes.as_slice()), AuthInfo::decode(raw.auth_info_bytes.as_slice())) else {
        return raw_fallback();
    };
    let signer_infos: Vec<Value> = auth
        .signer_infos
        .iter()
        .map(|s| {
            let mode = match s.mode_info.as_ref().and_then(|m| m.sum.as_ref()) {
                Some(mode_info::Sum::Single(single)) => json!({
                    "single": { "mode": SignMode::try_from(single.mode).map(|m| m.as_str_name().to_string()).unwrap_or_else(|_| single.mode.to_string()) }
                }),
                Some(mode_info::Sum::Multi(_)) => json!({ "multi": {} }),
                None => Value::Null,
            };
            json!({
                "public_key": s.public_key.as_ref().map(|k| any_json(&k.type_url, &k.value)),
                "mode_info": mode,
                "sequence": s.sequence.to_string(),
            })
        })
        .collect();
    let fee = auth.fee.as_ref().map(|f| {
        json!({
            "amount": coins_json(&f.amount),
            "gas_limit": f.gas_limit.to_string(),
            "payer": f.payer,
            "granter": f.granter,
        })
    });
    json!({
        "body": {
            "messages": body.messages.iter().map(|m| any_json(&m.type_url, &m.value)).collect::<Vec<_>>(),
            "memo": body.memo,
            "timeout_height": body.timeout_height.to_string(),
        },
        "auth_info": { "signer_infos": signer_infos, "fee": fee },
        "signatures": raw.signatures.iter().map(|s| b64(s)).collect::<Vec<_>>(),
    })
}

/// `tx decode`: TxRaw bytes given as hex or base64, to the JSON view.
pub fn decode_tx_arg(text: &str) -> crate::error::Result<Value> {
    let text = text.trim();
    // Hex first: an even-length hex string is usually valid base64 too, and
    // CometBFT logs and block explorers show hex.
    let bytes = match hex::decode(text) {
        Ok(b) => b,
        Err(_) => base64::engine::general_purpose::STANDARD
            .decode(text)
            .map_err(|e| crate::error::CliError::decode("transaction (expected base64 or hex)", e))?,
    };
    let v = decode_tx_json(&bytes);
    // Short junk can still parse as protobuf (unknown fields): require a body.
    let has_body = TxRaw::decode(bytes.as_slice()).is_ok_and(|r| !r.body_bytes.is_empty());
    if v.get("raw").is_some() || !has_body {
        return Err(crate::error::CliError::decode("transaction", "not a Cosmos SDK TxRaw"));
    }
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_rendering() {
        let v = json!({
            "balances": [{"denom": "uvvv", "amount": "10"}, {"denom": "ufoo", "amount": "2"}],
            "pagination": {"next_key": null, "total": "0"},
            "empty": [],
            "s": "",
        });
        assert_eq!(
            render_text(&v),
            // serde_json maps are sorted by key.
            "balances:\n  - amount: 10\n    denom: uvvv\n  - amount: 2\n    denom: ufoo\nempty: []\npagination:\n  next_key: null\n  total: 0\ns: \"\"\n"
        );
    }

    #[test]
    fn result_data_is_hex_of_the_decoded_bytes() {
        // What tendermint-rpc hands over for data "EgQKAggB" (base64 of 12 04 0A 02 08 01).
        assert_eq!(data_hex(b"EgQKAggB"), "12040A020801");
        assert_eq!(data_hex(b""), "");
    }

    #[test]
    fn decodes_signed_tx_to_json() {
        use crate::{broadcast, hd, modules::bank};
        use venice_types::coin_text::parse_coins;
        use venice_types::tx::{FeeSpec, SignerData};
        let sk = [5u8; 32];
        let from = hd::account_address(&hd::public_key(&sk).unwrap());
        let amount = parse_coins("7uvvv", false).unwrap();
        let mut opts = broadcast::TxOptions::for_tests(std::time::Duration::from_secs(1));
        opts.memo = "memo!".into();
        let fee = FeeSpec { amount: parse_coins("5uvvv", false).unwrap(), gas_limit: 100 };
        let mut tx = broadcast::unsigned_tx(vec![bank::msg_send(&from, &from, &amount)], &opts, &fee);
        let signer = SignerData { chain_id: "c".into(), account_number: 1, sequence: 2 };
        broadcast::sign_single(&sk, &mut tx, cosmos_sdk_proto::cosmos::tx::signing::v1beta1::SignMode::Direct, &signer).unwrap();
        let bytes = tx.to_raw_bytes();
        let v = decode_tx_json(&bytes);
        assert_eq!(v["body"]["memo"], "memo!");
        assert_eq!(v["body"]["messages"][0]["@type"], "/cosmos.bank.v1beta1.MsgSend");
        assert_eq!(v["body"]["messages"][0]["amount"][0]["amount"], "7");
        assert_eq!(v["auth_info"]["fee"]["gas_limit"], "100");
        assert_eq!(v["auth_info"]["signer_infos"][0]["sequence"], "2");
        assert_eq!(v["auth_info"]["signer_infos"][0]["mode_info"]["single"]["mode"], "SIGN_MODE_DIRECT");
        assert_eq!(v["signatures"].as_array().unwrap().len(), 1);
        assert!(decode_tx_json(b"\xff\xff garbage").get("raw").is_some());
        // `tx decode` takes hex or base64.
        assert_eq!(decode_tx_arg(&hex::encode(&bytes)).unwrap(), v);
        assert_eq!(decode_tx_arg(&format!(" {}\n", b64(&bytes))).unwrap(), v);
        assert!(decode_tx_arg("aGk=").is_err());
        assert!(decode_tx_arg("!!").is_err());
    }
}
