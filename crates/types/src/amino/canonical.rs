//! The JSON the Cosmos SDK signs in SIGN_MODE_LEGACY_AMINO_JSON: objects
//! with keys sorted by byte order, no whitespace, and strings escaped the way
//! Go's `encoding/json` writes them (`<`, `>`, `&`, U+2028 and U+2029 as
//! `\u` escapes), so the bytes equal the SDK's and cosmjs's
//! `serializeSignDoc` for the same document.

use std::collections::BTreeMap;

/// A JSON value whose objects are always key-sorted (a `BTreeMap`), so the
/// order never depends on how the value was built.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Json {
    Null,
    Bool(bool),
    /// A number, already in its final textual form.
    Num(String),
    Str(String),
    Arr(Vec<Json>),
    Obj(BTreeMap<String, Json>),
}

impl Json {
    pub fn str(s: impl Into<String>) -> Json {
        Json::Str(s.into())
    }

    /// `{"type": name, "value": value}`: an amino-registered concrete type.
    pub fn typed(name: &str, value: Json) -> Json {
        Json::Obj(BTreeMap::from([("type".to_string(), Json::str(name)), ("value".to_string(), value)]))
    }

    /// The canonical bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(256);
        write(self, &mut out);
        out
    }

    /// Re-read arbitrary JSON (a CosmWasm message) the way the SDK does:
    /// through Go's generic decoding, where every number becomes a float64.
    pub fn from_json_bytes(bytes: &[u8]) -> Result<Json, String> {
        let v: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| format!("invalid JSON: {e}"))?;
        Ok(Self::from_value(&v))
    }

    pub fn from_value(v: &serde_json::Value) -> Json {
        use serde_json::Value as V;
        match v {
            V::Null => Json::Null,
            V::Bool(b) => Json::Bool(*b),
            V::Number(n) => Json::Num(go_float(n.as_f64().unwrap_or(0.0))),
            V::String(s) => Json::Str(s.clone()),
            V::Array(a) => Json::Arr(a.iter().map(Self::from_value).collect()),
            V::Object(o) => Json::Obj(o.iter().map(|(k, v)| (k.clone(), Self::from_value(v))).collect()),
        }
    }

    /// As a `serde_json::Value` (for display; key order is not kept there).
    pub fn to_value(&self) -> serde_json::Value {
        serde_json::from_slice(&self.to_bytes()).unwrap_or(serde_json::Value::Null)
    }
}

/// Go's `encoding/json` rendering of a float64: plain digits between 1e-6
/// and 1e21, otherwise the shortest exponent form (`1e+21`, `1.5e-7`).
/// JavaScript's `JSON.stringify` agrees on all of these.
pub fn go_float(f: f64) -> String {
    if !f.is_finite() {
        return "null".into();
    }
    let abs = f.abs();
    if abs == 0.0 || (1e-6..1e21).contains(&abs) {
        return format!("{f}");
    }
    let s = format!("{f:e}");
    match s.split_once('e') {
        Some((m, e)) if !e.starts_with('-') => format!("{m}e+{e}"),
        _ => s,
    }
}

fn write(v: &Json, out: &mut Vec<u8>) {
    match v {
        Json::Null => out.extend_from_slice(b"null"),
        Json::Bool(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
        Json::Num(n) => out.extend_from_slice(n.as_bytes()),
        Json::Str(s) => write_str(s, out),
        Json::Arr(a) => {
            out.push(b'[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write(x, out);
            }
            out.push(b']');
        }
        Json::Obj(o) => {
            out.push(b'{');
            for (i, (k, x)) in o.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_str(k, out);
                out.push(b':');
                write(x, out);
            }
            out.push(b'}');
        }
    }
}

fn write_str(s: &str, out: &mut Vec<u8>) {
    out.push(b'"');
    for c in s.chars() {
        match c {
            '"' => out.extend_from_slice(b"\\\""),
            '\\' => out.extend_from_slice(b"\\\\"),
            '\n' => out.extend_from_slice(b"\\n"),
            '\r' => out.extend_from_slice(b"\\r"),
            '\t' => out.extend_from_slice(b"\\t"),
            '\u{8}' => out.extend_from_slice(b"\\b"),
            '\u{c}' => out.extend_from_slice(b"\\f"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => out.extend_from_slice(format!("\\u{:04x}", c as u32).as_bytes()),
            c if (c as u32) < 0x20 => out.extend_from_slice(format!("\\u{:04x}", c as u32).as_bytes()),
            c => {
                let mut buf = [0u8; 4];
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            }
        }
    }
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted_compact_and_escaped_like_go() {
        let v = Json::from_json_bytes(br#"{"b": [1, 2.5, "x<y>&z"], "a": {"d": null, "c": true}, "e": "\u2028\n\u0001"}"#).unwrap();
        assert_eq!(
            String::from_utf8(v.to_bytes()).unwrap(),
            r#"{"a":{"c":true,"d":null},"b":[1,2.5,"x\u003cy\u003e\u0026z"],"e":"\u2028\n\u0001"}"#
        );
    }

    #[test]
    fn numbers_go_through_float64() {
        for (input, want) in [
            ("12345678901234567890", "12345678901234567000"),
            ("1e21", "1e+21"),
            ("0.0000001", "1e-7"),
            ("0.000001", "0.000001"),
            ("100", "100"),
            ("1.5E3", "1500"),
        ] {
            assert_eq!(String::from_utf8(Json::from_json_bytes(input.as_bytes()).unwrap().to_bytes()).unwrap(), want, "{input}");
        }
    }
}
