//! Transactions as JSON files, the way the Cosmos SDK CLI writes them with
//! `--generate-only` and `tx sign`: protobuf JSON of `cosmos.tx.v1beta1.Tx`
//! with snake_case field names, 64-bit integers as strings, bytes as
//! base64 and each `Any` expanded with its `@type`. Messages are encoded by
//! the generated types listed in venice-types' amino table; any other type
//! travels as `{"@type": URL, "value": base64}`.

use std::path::Path;

use base64::Engine;
use cosmos_sdk_proto::Any;
use cosmos_sdk_proto::cosmos::base::v1beta1::Coin as ProtoCoin;
use cosmos_sdk_proto::cosmos::crypto::multisig::v1beta1::CompactBitArray;
use cosmos_sdk_proto::cosmos::tx::signing::v1beta1::SignMode;
use cosmos_sdk_proto::cosmos::tx::v1beta1::{AuthInfo, Fee, ModeInfo, SignerInfo, TxBody, TxRaw, mode_info};
use prost::Message;
use serde_json::{Map, Value, json};
use venice_types::PubKey;
use venice_types::amino::{legacy_dec, registry};

use crate::error::{CliError, Result};

/// A transaction being built, signed or broadcast.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TxFile {
    pub body: TxBody,
    pub auth_info: AuthInfo,
    pub signatures: Vec<Vec<u8>>,
}

fn b64(b: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(b)
}

fn unb64(what: &str, s: &str) -> Result<Vec<u8>> {
    base64::engine::general_purpose::STANDARD.decode(s).map_err(|e| CliError::decode(what, e))
}

fn bad(what: &str, detail: impl ToString) -> CliError {
    CliError::decode(format!("transaction JSON: {what}"), detail)
}

impl TxFile {
    pub fn from_raw_bytes(bytes: &[u8]) -> Result<Self> {
        let raw = TxRaw::decode(bytes).map_err(|e| CliError::decode("TxRaw", e))?;
        Ok(TxFile {
            body: TxBody::decode(raw.body_bytes.as_slice()).map_err(|e| CliError::decode("TxBody", e))?,
            auth_info: AuthInfo::decode(raw.auth_info_bytes.as_slice()).map_err(|e| CliError::decode("AuthInfo", e))?,
            signatures: raw.signatures,
        })
    }

    pub fn body_bytes(&self) -> Vec<u8> {
        self.body.encode_to_vec()
    }

    pub fn auth_info_bytes(&self) -> Vec<u8> {
        self.auth_info.encode_to_vec()
    }

    pub fn to_raw_bytes(&self) -> Vec<u8> {
        TxRaw { body_bytes: self.body_bytes(), auth_info_bytes: self.auth_info_bytes(), signatures: self.signatures.clone() }
            .encode_to_vec()
    }

    pub fn read(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|e| CliError::io(format!("reading {}", path.display()), e))?;
        let v: Value = serde_json::from_str(&text).map_err(|e| CliError::decode(format!("{} (JSON)", path.display()), e))?;
        Self::from_json(&v)
    }

    #[allow(deprecated)] // `tip` is deprecated in the SDK and written as null.
    pub fn to_json(&self) -> Value {
        let b = &self.body;
        json!({
            "body": {
                "messages": b.messages.iter().map(any_to_json).collect::<Vec<_>>(),
                "memo": b.memo,
                "timeout_height": b.timeout_height.to_string(),
                "extension_options": b.extension_options.iter().map(any_to_json).collect::<Vec<_>>(),
                "non_critical_extension_options": b.non_critical_extension_options.iter().map(any_to_json).collect::<Vec<_>>(),
            },
            "auth_info": {
                "signer_infos": self.auth_info.signer_infos.iter().map(signer_info_json).collect::<Vec<_>>(),
                "fee": self.auth_info.fee.as_ref().map(|f| json!({
                    "amount": coins_json(&f.amount),
                    "gas_limit": f.gas_limit.to_string(),
                    "payer": f.payer,
                    "granter": f.granter,
                })),
                "tip": null,
            },
            "signatures": self.signatures.iter().map(|s| b64(s)).collect::<Vec<_>>(),
        })
    }

    pub fn from_json(v: &Value) -> Result<Self> {
        let body = v.get("body").ok_or_else(|| bad("body", "missing"))?;
        let list = |v: Option<&Value>| -> Result<Vec<Any>> {
            v.and_then(Value::as_array).map(|a| a.iter().map(any_from_json).collect()).unwrap_or(Ok(vec![]))
        };
        let tx_body = TxBody {
            messages: list(body.get("messages"))?,
            memo: body.get("memo").and_then(Value::as_str).unwrap_or_default().to_string(),
            timeout_height: u64_field(body.get("timeout_height"), "body.timeout_height")?,
            extension_options: list(body.get("extension_options"))?,
            non_critical_extension_options: list(body.get("non_critical_extension_options"))?,
        };
        let auth = v.get("auth_info").ok_or_else(|| bad("auth_info", "missing"))?;
        let signer_infos = auth
            .get("signer_infos")
            .and_then(Value::as_array)
            .map(|a| a.iter().map(signer_info_from_json).collect::<Result<Vec<_>>>())
            .transpose()?
            .unwrap_or_default();
        let fee = match auth.get("fee") {
            None | Some(Value::Null) => None,
            Some(f) => Some(Fee {
                amount: coins_from_json(f.get("amount"))?,
                gas_limit: u64_field(f.get("gas_limit"), "fee.gas_limit")?,
                payer: f.get("payer").and_then(Value::as_str).unwrap_or_default().into(),
                granter: f.get("granter").and_then(Value::as_str).unwrap_or_default().into(),
            }),
        };
        #[allow(deprecated)]
        let auth_info = AuthInfo { signer_infos, fee, tip: None };
        let signatures = v
            .get("signatures")
            .and_then(Value::as_array)
            .map(|a| a.iter().map(|s| unb64("signature", s.as_str().unwrap_or_default())).collect::<Result<Vec<_>>>())
            .transpose()?
            .unwrap_or_default();
        Ok(TxFile { body: tx_body, auth_info, signatures })
    }
}

fn u64_field(v: Option<&Value>, what: &str) -> Result<u64> {
    match v {
        None | Some(Value::Null) => Ok(0),
        Some(Value::String(s)) => s.parse().map_err(|e| bad(what, e)),
        Some(Value::Number(n)) => n.as_u64().ok_or_else(|| bad(what, "not an unsigned integer")),
        Some(other) => Err(bad(what, format!("unexpected {other}"))),
    }
}

fn coins_json(coins: &[ProtoCoin]) -> Value {
    Value::Array(coins.iter().map(|c| json!({"denom": c.denom, "amount": c.amount})).collect())
}

fn coins_from_json(v: Option<&Value>) -> Result<Vec<ProtoCoin>> {
    let Some(Value::Array(a)) = v else { return Ok(vec![]) };
    a.iter()
        .map(|c| {
            Ok(ProtoCoin {
                denom: c.get("denom").and_then(Value::as_str).ok_or_else(|| bad("coin", "no denom"))?.into(),
                amount: c.get("amount").and_then(Value::as_str).ok_or_else(|| bad("coin", "no amount"))?.into(),
            })
        })
        .collect()
}

/// lowerCamelCase keys (the generated serde) → the SDK's snake_case.
fn snake_keys(v: Value) -> Value {
    match v {
        Value::Object(o) => Value::Object(
            o.into_iter()
                .map(|(k, v)| {
                    let mut s = String::with_capacity(k.len() + 4);
                    for c in k.chars() {
                        if c.is_ascii_uppercase() {
                            s.push('_');
                            s.push(c.to_ascii_lowercase());
                        } else {
                            s.push(c);
                        }
                    }
                    (s, snake_keys(v))
                })
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.into_iter().map(snake_keys).collect()),
        other => other,
    }
}

/// An `Any` as protobuf JSON with its `@type`.
pub fn any_to_json(any: &Any) -> Value {
    if let Ok(key) = PubKey::from_any(any) {
        return key.to_json();
    }
    let fields = registry::lookup(&any.type_url).and_then(|t| (t.to_proto_json)(&any.value).ok()).map(|f| {
        let mut f = snake_keys(f);
        legacy_dec::to_decimal(&any.type_url, &mut f);
        f
    });
    let mut obj = Map::new();
    obj.insert("@type".into(), Value::String(any.type_url.clone()));
    match fields {
        Some(Value::Object(f)) => obj.extend(f),
        _ => {
            obj.insert("value".into(), Value::String(b64(&any.value)));
        }
    }
    Value::Object(obj)
}

pub fn any_from_json(v: &Value) -> Result<Any> {
    let ty = v.get("@type").and_then(Value::as_str).ok_or_else(|| bad("message", "no @type"))?.to_string();
    if let Ok(key) = PubKey::from_json(v) {
        return Ok(key.to_any());
    }
    if let Some(t) = registry::lookup(&ty) {
        let mut fields = v.as_object().cloned().unwrap_or_default();
        fields.remove("@type");
        let mut fields = Value::Object(fields);
        legacy_dec::from_decimal(&ty, &mut fields).map_err(|e| bad(&ty, e))?;
        let value = (t.from_proto_json)(fields).map_err(|e| bad(&ty, e))?;
        return Ok(Any { type_url: ty, value });
    }
    let value = v.get("value").and_then(Value::as_str).ok_or_else(|| bad(&ty, "unknown type without a base64 \"value\""))?;
    Ok(Any { type_url: ty.clone(), value: unb64(&ty, value)? })
}

fn mode_name(mode: i32) -> String {
    SignMode::try_from(mode).map_or_else(|_| mode.to_string(), |m| m.as_str_name().to_string())
}

fn mode_json(m: &ModeInfo) -> Value {
    match &m.sum {
        Some(mode_info::Sum::Single(s)) => json!({"single": {"mode": mode_name(s.mode)}}),
        Some(mode_info::Sum::Multi(multi)) => json!({"multi": {
            "bitarray": multi.bitarray.as_ref().map(|b| json!({"extra_bits_stored": b.extra_bits_stored, "elems": b64(&b.elems)})),
            "mode_infos": multi.mode_infos.iter().map(mode_json).collect::<Vec<_>>(),
        }}),
        None => Value::Null,
    }
}

fn mode_from_json(v: &Value) -> Result<ModeInfo> {
    if let Some(s) = v.get("single") {
        let name = s.get("mode").and_then(Value::as_str).ok_or_else(|| bad("mode_info.single", "no mode"))?;
        let mode = SignMode::from_str_name(name).ok_or_else(|| bad("mode_info.single.mode", name))?;
        return Ok(ModeInfo { sum: Some(mode_info::Sum::Single(mode_info::Single { mode: mode as i32 })) });
    }
    if let Some(m) = v.get("multi") {
        let bits = m.get("bitarray").ok_or_else(|| bad("mode_info.multi", "no bitarray"))?;
        let bitarray = CompactBitArray {
            extra_bits_stored: u64_field(bits.get("extra_bits_stored"), "extra_bits_stored")? as u32,
            elems: unb64("bitarray.elems", bits.get("elems").and_then(Value::as_str).unwrap_or_default())?,
        };
        let mode_infos =
            m.get("mode_infos").and_then(Value::as_array).map(|a| a.iter().map(mode_from_json).collect()).unwrap_or(Ok(vec![]))?;
        return Ok(ModeInfo { sum: Some(mode_info::Sum::Multi(mode_info::Multi { bitarray: Some(bitarray), mode_infos })) });
    }
    Err(bad("mode_info", "neither single nor multi"))
}

fn signer_info_json(s: &SignerInfo) -> Value {
    json!({
        "public_key": s.public_key.as_ref().map(any_to_json),
        "mode_info": s.mode_info.as_ref().map(mode_json),
        "sequence": s.sequence.to_string(),
    })
}

fn signer_info_from_json(v: &Value) -> Result<SignerInfo> {
    Ok(SignerInfo {
        public_key: match v.get("public_key") {
            None | Some(Value::Null) => None,
            Some(k) => Some(any_from_json(k)?),
        },
        mode_info: match v.get("mode_info") {
            None | Some(Value::Null) => None,
            Some(m) => Some(mode_from_json(m)?),
        },
        sequence: u64_field(v.get("sequence"), "signer_infos.sequence")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use cosmos_sdk_proto::cosmos::bank::v1beta1::MsgSend;
    use venice_types::MultisigKey;
    use venice_types::pubkey::BitArray;
    use venice_types::tx::{FeeSpec, auth_info, multi_mode, signer_info};

    fn key(n: u8) -> Vec<u8> {
        crate::hd::public_key(&[n; 32]).unwrap().to_vec()
    }

    #[test]
    fn json_round_trip_in_the_sdk_shape() {
        let send = MsgSend {
            from_address: "venice1a".into(),
            to_address: "venice1b".into(),
            amount: vec![ProtoCoin { denom: "uvvv".into(), amount: "5".into() }],
        };
        let ms = PubKey::Multisig(MultisigKey::new(2, vec![key(1), key(2), key(3)]).unwrap());
        let mut bits = BitArray::new(3);
        bits.set(0, true);
        bits.set(2, true);
        let fee = FeeSpec { amount: vec![venice_types::Coin::new("uvvv", 700)], gas_limit: 250_000 };
        let tx = TxFile {
            body: TxBody {
                messages: vec![
                    Any { type_url: "/cosmos.bank.v1beta1.MsgSend".into(), value: send.encode_to_vec() },
                    Any { type_url: "/venice.unknown.v1.Msg".into(), value: vec![1, 2, 3] },
                ],
                memo: "hi".into(),
                timeout_height: 9,
                ..Default::default()
            },
            auth_info: auth_info(vec![signer_info(Some(&ms), 4, multi_mode(&bits, &[SignMode::LegacyAminoJson, SignMode::Direct]))], &fee),
            signatures: vec![vec![7; 10]],
        };
        let v = tx.to_json();
        assert_eq!(v["body"]["messages"][0]["@type"], "/cosmos.bank.v1beta1.MsgSend");
        assert_eq!(v["body"]["messages"][0]["from_address"], "venice1a");
        assert_eq!(v["body"]["messages"][0]["amount"][0]["amount"], "5");
        assert_eq!(v["body"]["timeout_height"], "9");
        assert_eq!(v["auth_info"]["fee"]["gas_limit"], "250000");
        let si = &v["auth_info"]["signer_infos"][0];
        assert_eq!(si["public_key"]["@type"], "/cosmos.crypto.multisig.LegacyAminoPubKey");
        assert_eq!(si["mode_info"]["multi"]["mode_infos"][0]["single"]["mode"], "SIGN_MODE_LEGACY_AMINO_JSON");
        assert_eq!(si["sequence"], "4");
        let back = TxFile::from_json(&v).unwrap();
        assert_eq!(back, tx);
        assert_eq!(TxFile::from_raw_bytes(&tx.to_raw_bytes()).unwrap(), tx);
    }
}
