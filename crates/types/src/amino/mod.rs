//! SIGN_MODE_LEGACY_AMINO_JSON: the Cosmos SDK's `StdSignDoc`, the JSON
//! document that Ledger, Keplr's amino signer and cosmjs's
//! `Secp256k1Wallet` sign.
//!
//! The chain never trusts a document a client sends: it rebuilds the
//! document from the tx's protobuf body and auth info (as the SDK's
//! `x/tx/signing/aminojson` handler does) and verifies the signature over
//! sha256 of these bytes. A signer that signed different bytes (unsorted
//! keys, another memo, another fee) has a signature that does not verify.
//!
//! [`registry`] is the one table of the messages that can be signed this
//! way: type URL → amino name → JSON encoder.

mod canonical;
pub mod legacy_dec;
pub mod registry;

use std::collections::BTreeMap;

use base64::Engine;
use cosmos_sdk_proto::Any;
use cosmos_sdk_proto::cosmos::base::v1beta1::Coin as ProtoCoin;

pub use canonical::{Json, go_float};

/// Why an amino JSON document cannot be built.
#[derive(thiserror::Error, Debug, Clone, PartialEq, Eq)]
pub enum AminoError {
    /// The SDK only signs messages registered with an amino name this way.
    #[error("{0} has no amino name and cannot be signed with SIGN_MODE_LEGACY_AMINO_JSON")]
    NoAminoName(String),
    #[error("cannot encode {type_url} as amino JSON: {reason}")]
    Encode { type_url: String, reason: String },
    #[error("SIGN_MODE_LEGACY_AMINO_JSON does not support {0}")]
    Unsupported(&'static str),
}

/// The fields of a `StdSignDoc` besides the messages.
#[derive(Clone, Debug)]
pub struct StdSignDoc<'a> {
    pub chain_id: &'a str,
    pub account_number: u64,
    pub sequence: u64,
    /// Written only when set (the SDK omits a zero timeout height).
    pub timeout_height: u64,
    pub memo: &'a str,
    pub fee_amount: &'a [ProtoCoin],
    pub gas_limit: u64,
    pub fee_payer: &'a str,
    pub fee_granter: &'a str,
    pub msgs: &'a [Any],
}

impl StdSignDoc<'_> {
    /// The document as a value: `{account_number, chain_id, fee, memo, msgs,
    /// sequence[, timeout_height]}`.
    pub fn to_json(&self) -> Result<Json, AminoError> {
        let msgs = self.msgs.iter().map(encode_any).collect::<Result<Vec<_>, _>>()?;
        let fee = Obj::new()
            .coins("amount", self.fee_amount)
            .u64_keep("gas", self.gas_limit)
            .str("payer", self.fee_payer)
            .str("granter", self.fee_granter);
        Ok(Obj::new()
            .u64_keep("account_number", self.account_number)
            .str_keep("chain_id", self.chain_id)
            .obj_keep("fee", fee)
            .str_keep("memo", self.memo)
            .val("msgs", Json::Arr(msgs))
            .u64_keep("sequence", self.sequence)
            .u64("timeout_height", self.timeout_height)
            .into())
    }

    /// The exact bytes a signer signs (sha256 of them, with secp256k1).
    pub fn sign_bytes(&self) -> Result<Vec<u8>, AminoError> {
        Ok(self.to_json()?.to_bytes())
    }
}

/// A message (or any registered `Any`) as `{"type": name, "value": {...}}`.
pub fn encode_any(any: &Any) -> Result<Json, AminoError> {
    let entry = registry::lookup(&any.type_url).ok_or_else(|| AminoError::NoAminoName(any.type_url.clone()))?;
    let value = (entry.encode)(&any.value).map_err(|reason| AminoError::Encode { type_url: any.type_url.clone(), reason })?;
    Ok(Json::typed(entry.amino_name, value))
}

/// Builds one amino JSON object with the SDK's field rules: a field at its
/// protobuf default is left out, unless the proto marks it
/// `(amino.dont_omitempty)` (the `_keep` forms); 64-bit integers are
/// strings, 32-bit ones and enums numbers, bytes base64.
#[derive(Default, Debug, Clone)]
pub struct Obj(BTreeMap<String, Json>);

impl From<Obj> for Json {
    fn from(o: Obj) -> Json {
        Json::Obj(o.0)
    }
}

impl Obj {
    pub fn new() -> Self {
        Obj(BTreeMap::new())
    }
    pub fn val(mut self, k: &str, v: Json) -> Self {
        self.0.insert(k.to_string(), v);
        self
    }
    pub fn str(self, k: &str, v: &str) -> Self {
        if v.is_empty() { self } else { self.str_keep(k, v) }
    }
    pub fn str_keep(self, k: &str, v: &str) -> Self {
        self.val(k, Json::str(v))
    }
    pub fn strs(self, k: &str, v: &[String]) -> Self {
        if v.is_empty() { self } else { self.val(k, Json::Arr(v.iter().map(Json::str).collect())) }
    }
    pub fn u64(self, k: &str, v: u64) -> Self {
        if v == 0 { self } else { self.u64_keep(k, v) }
    }
    pub fn u64_keep(self, k: &str, v: u64) -> Self {
        self.val(k, Json::Str(v.to_string()))
    }
    pub fn i64(self, k: &str, v: i64) -> Self {
        if v == 0 { self } else { self.val(k, Json::Str(v.to_string())) }
    }
    pub fn bool(self, k: &str, v: bool) -> Self {
        if v { self.val(k, Json::Bool(true)) } else { self }
    }
    /// An enum: its number.
    pub fn enum_(self, k: &str, v: i32) -> Self {
        if v == 0 { self } else { self.val(k, Json::Num(v.to_string())) }
    }
    pub fn bytes(self, k: &str, v: &[u8]) -> Self {
        if v.is_empty() { self } else { self.val(k, Json::Str(base64::engine::general_purpose::STANDARD.encode(v))) }
    }
    /// `repeated Coin` marked `legacy_coins` + `dont_omitempty`: `[]` when empty.
    pub fn coins(self, k: &str, v: &[ProtoCoin]) -> Self {
        self.val(k, Json::Arr(v.iter().map(coin).collect()))
    }
    /// A non-nullable `Coin` field (`dont_omitempty`).
    pub fn coin(self, k: &str, v: Option<&ProtoCoin>) -> Self {
        self.val(k, coin(v.unwrap_or(&ProtoCoin::default())))
    }
    pub fn obj(self, k: &str, v: Option<Obj>) -> Self {
        match v {
            Some(o) if !o.0.is_empty() => self.val(k, o.into()),
            _ => self,
        }
    }
    pub fn obj_keep(self, k: &str, v: Obj) -> Self {
        self.val(k, v.into())
    }
    /// A `repeated` message field: left out when empty.
    pub fn list(self, k: &str, v: Vec<Json>) -> Self {
        if v.is_empty() { self } else { self.val(k, Json::Arr(v)) }
    }
    /// A `repeated` message field marked `dont_omitempty`: `[]` when empty.
    pub fn list_keep(self, k: &str, v: Vec<Json>) -> Self {
        self.val(k, Json::Arr(v))
    }
    /// A `cosmos.Dec` scalar (see [`dec_string`]); `keep` for `dont_omitempty`.
    pub fn dec(self, k: &str, v: &str, keep: bool) -> Result<Self, String> {
        if v.is_empty() && !keep {
            return Ok(self);
        }
        Ok(self.val(k, Json::Str(dec_string(v)?)))
    }
    /// A `cosmos.Int` scalar: the digits, `"0"` when empty.
    pub fn int(self, k: &str, v: &str, keep: bool) -> Self {
        match (v.is_empty(), keep) {
            (true, false) => self,
            (true, true) => self.str_keep(k, "0"),
            _ => self.str_keep(k, v),
        }
    }
    /// A nested `Any` (gov proposal content, a validator key): its own
    /// amino name and value.
    pub fn any(self, k: &str, v: Option<&Any>) -> Result<Self, String> {
        match v {
            None => Ok(self),
            Some(a) => Ok(self.val(k, encode_any(a).map_err(|e| e.to_string())?)),
        }
    }
    /// Bytes holding JSON (CosmWasm's `RawContractMessage`): inlined as a
    /// JSON value, not base64.
    pub fn inline_json(self, k: &str, v: &[u8]) -> Result<Self, String> {
        if v.is_empty() {
            return Ok(self);
        }
        Ok(self.val(k, Json::from_json_bytes(v)?))
    }
}

/// `cosmos.base.v1beta1.Coin`: `{"amount": "N", "denom": "..."}`.
pub fn coin(c: &ProtoCoin) -> Json {
    Obj::new().int("amount", &c.amount, true).str("denom", &c.denom).into()
}

/// A `cosmos.Dec` as amino JSON writes it: 18 decimals (`"0.100000000000000000"`).
/// On the wire a gogoproto `LegacyDec` is its integer scaled by 10^18
/// (`"100000000000000000"`); a plain string field carries the decimal
/// itself (`"0.1"`). Both read to the same value.
pub fn dec_string(v: &str) -> Result<String, String> {
    if v.is_empty() {
        return Ok("0".into());
    }
    let (neg, digits) = match v.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, v),
    };
    let scaled = match digits.split_once('.') {
        None => digits.to_string(),
        Some((int, frac)) => {
            if frac.len() > 18 {
                return Err(format!("too many decimal places in {v:?}"));
            }
            format!("{int}{frac:0<18}")
        }
    };
    if scaled.is_empty() || !scaled.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("invalid decimal {v:?}"));
    }
    let trimmed = scaled.trim_start_matches('0');
    let padded = format!("{trimmed:0>19}");
    let (int, frac) = padded.split_at(padded.len() - 18);
    let zero = trimmed.is_empty();
    Ok(format!("{}{int}.{frac}", if neg && !zero { "-" } else { "" }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dec_both_wire_forms() {
        for (v, want) in [
            ("100000000000000000", "0.100000000000000000"),
            ("0.1", "0.100000000000000000"),
            ("1", "0.000000000000000001"),
            ("1.0", "1.000000000000000000"),
            ("25000000000000000000", "25.000000000000000000"),
            ("", "0"),
            ("0", "0.000000000000000000"),
            ("-500000000000000000", "-0.500000000000000000"),
        ] {
            assert_eq!(dec_string(v).unwrap(), want, "{v}");
        }
        assert!(dec_string("1.2.3").is_err());
        assert!(dec_string("0.1234567890123456789").is_err());
        assert!(dec_string("abc").is_err());
    }

    #[test]
    fn unknown_type_has_no_amino_name() {
        let any = Any { type_url: "/venice.nothing.v1.MsgNothing".into(), value: vec![] };
        assert_eq!(encode_any(&any), Err(AminoError::NoAminoName(any.type_url.clone())));
    }
}
