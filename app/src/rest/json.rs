//! Request bytes from a REST call (path variables, query parameters, JSON
//! body) and gateway JSON from reply bytes, both through the descriptors:
//! proto3 JSON as grpc-gateway v1 writes it with the SDK's marshaler
//! options (original field names, defaults emitted, 64-bit integers as
//! strings, enums by name, `Any` expanded with `@type`, unset messages and
//! empty bytes as `null`).

// Errors here are the gRPC status the client receives (a cold path), so
// they stay `tonic::Status` however large.
#![allow(clippy::result_large_err)]

use std::sync::OnceLock;

use prost::Message;
use prost_reflect::{
    DeserializeOptions, DynamicMessage, ExtensionDescriptor, FieldDescriptor, Kind, MessageDescriptor, ReflectMessage, SerializeOptions,
    Value,
};
use serde_json::{Map, Value as Json};
use tonic::Status;

use super::routes::Route;
use crate::descriptors;

fn bad(msg: impl std::fmt::Display) -> Status {
    Status::invalid_argument(msg.to_string())
}

/// The request message of `route`, encoded.
pub fn request_bytes(route: &Route, vars: &[(String, String)], query: &str, body: &[u8]) -> Result<Vec<u8>, Status> {
    let desc = route.method.input();
    let mut root = Json::Object(Map::new());
    if !route.body.is_empty() {
        let parsed: Json = if body.iter().all(u8::is_ascii_whitespace) {
            Json::Object(Map::new())
        } else {
            serde_json::from_slice(body).map_err(|e| bad(format!("invalid JSON body: {e}")))?
        };
        root = if route.body == "*" {
            parsed
        } else {
            let mut m = Map::new();
            m.insert(route.body.clone(), parsed);
            Json::Object(m)
        };
        if !root.is_object() {
            return Err(bad("the request body must be a JSON object"));
        }
    }
    // Query parameters fill what the body and path leave, as the gateway
    // does; names it does not know are ignored.
    if route.body != "*" {
        for (key, value) in form_urlencoded::parse(query.as_bytes()) {
            set_param(&desc, &mut root, &key, &value, true)?;
        }
    }
    for (field, value) in vars {
        set_param(&desc, &mut root, field, value, false)?;
    }
    let msg = DynamicMessage::deserialize_with_options(desc, &root, &DeserializeOptions::new())
        .map_err(|e| bad(format!("invalid request: {e}")))?;
    Ok(msg.encode_to_vec())
}

/// Sets the dotted `path` (`pagination.limit`) in `root` from a text value,
/// typed by the field's kind. Unknown names are skipped when `lenient`.
fn set_param(desc: &MessageDescriptor, root: &mut Json, path: &str, text: &str, lenient: bool) -> Result<(), Status> {
    let mut desc = desc.clone();
    let mut obj = root;
    let parts: Vec<&str> = path.split('.').collect();
    for (i, part) in parts.iter().enumerate() {
        let field = desc.get_field_by_name(part).or_else(|| desc.get_field_by_json_name(part));
        let Some(field) = field else {
            return if lenient { Ok(()) } else { Err(bad(format!("no field {path} in {}", desc.full_name()))) };
        };
        let map = obj.as_object_mut().ok_or_else(|| bad(format!("{path}: not an object")))?;
        let last = i + 1 == parts.len();
        if !last {
            let Kind::Message(inner) = field.kind() else { return Err(bad(format!("{path}: {part} is not a message"))) };
            if field.is_list() || field.is_map() {
                return Err(bad(format!("{path}: repeated fields cannot be traversed")));
            }
            desc = inner;
            obj = map.entry(field.name().to_string()).or_insert_with(|| Json::Object(Map::new()));
            continue;
        }
        let value = scalar(&field, text).map_err(|e| bad(format!("{path}: {e}")))?;
        if field.is_list() {
            match map.entry(field.name().to_string()).or_insert_with(|| Json::Array(vec![])) {
                Json::Array(a) => a.push(value),
                other => *other = Json::Array(vec![value]),
            }
        } else {
            map.insert(field.name().to_string(), value);
        }
        return Ok(());
    }
    Ok(())
}

/// A text parameter as the JSON value proto3 JSON parsing takes for `field`.
fn scalar(field: &FieldDescriptor, text: &str) -> Result<Json, String> {
    Ok(match field.kind() {
        Kind::Bool => Json::Bool(match text {
            "true" | "True" | "TRUE" | "t" | "T" | "1" => true,
            "false" | "False" | "FALSE" | "f" | "F" | "0" => false,
            _ => return Err(format!("invalid bool {text:?}")),
        }),
        Kind::Enum(_) => match text.parse::<i64>() {
            Ok(n) => Json::from(n),
            Err(_) => Json::String(text.to_string()),
        },
        // A `+` of standard base64 arrives as a space when not percent-encoded.
        Kind::Bytes => Json::String(text.replace(' ', "+")),
        Kind::Message(m) if !m.full_name().starts_with("google.protobuf.") => {
            return Err("message fields cannot be set from a query parameter".into());
        }
        _ => Json::String(text.to_string()),
    })
}

/// The gateway JSON of `desc` reply bytes.
pub fn response_json(desc: MessageDescriptor, bytes: &[u8]) -> Result<Json, Status> {
    let msg = DynamicMessage::decode(desc, bytes).map_err(|e| Status::internal(format!("undecodable reply: {e}")))?;
    to_json(&msg)
}

fn options() -> SerializeOptions {
    SerializeOptions::new().stringify_64_bit_integers(true).use_proto_field_name(true).skip_default_fields(false)
}

pub fn to_json(msg: &DynamicMessage) -> Result<Json, Status> {
    // prost-reflect expands only `type.googleapis.com/` Anys; Cosmos type
    // URLs are `/pkg.Type`: lend them that domain for the serializer.
    let mut msg = msg.clone();
    lend_any_domain(&mut msg);
    let mut v = msg.serialize_with_options(serde_json::value::Serializer, &options()).map_err(|e| Status::internal(e.to_string()))?;
    gateway_defaults(&msg, &mut v);
    return_any_domain(&mut v);
    Ok(v)
}

const ANY_DOMAIN: &str = "type.googleapis.com";

fn lend_any_domain(msg: &mut DynamicMessage) {
    if msg.descriptor().full_name() == "google.protobuf.Any" {
        let Some(mut inner) = unpack_any(msg) else { return };
        lend_any_domain(&mut inner);
        if let Some(Value::String(url)) = msg.get_field_by_name_mut("type_url")
            && url.starts_with('/')
        {
            url.insert_str(0, ANY_DOMAIN);
        }
        if let Some(v) = msg.get_field_by_name_mut("value") {
            *v = Value::Bytes(inner.encode_to_vec().into());
        }
        return;
    }
    for (_, value) in msg.fields_mut() {
        match value {
            Value::Message(m) => lend_any_domain(m),
            Value::List(items) => items.iter_mut().for_each(|i| {
                if let Value::Message(m) = i {
                    lend_any_domain(m)
                }
            }),
            Value::Map(entries) => entries.values_mut().for_each(|i| {
                if let Value::Message(m) = i {
                    lend_any_domain(m)
                }
            }),
            _ => {}
        }
    }
}

fn return_any_domain(v: &mut Json) {
    match v {
        Json::Object(map) => {
            for (k, val) in map.iter_mut() {
                if k == "@type"
                    && let Json::String(s) = val
                    && let Some(rest) = s.strip_prefix(ANY_DOMAIN)
                {
                    *s = rest.to_string();
                } else {
                    return_any_domain(val);
                }
            }
        }
        Json::Array(items) => items.iter_mut().for_each(return_any_domain),
        _ => {}
    }
}

fn non_nullable_ext() -> Option<&'static ExtensionDescriptor> {
    static EXT: OnceLock<Option<ExtensionDescriptor>> = OnceLock::new();
    EXT.get_or_init(|| descriptors::pool().get_extension_by_name("gogoproto.nullable")).as_ref()
}

/// gogoproto's `(nullable) = false`: Go holds the field by value, so the
/// gateway writes its defaults where it would write `null`.
fn non_nullable(field: &FieldDescriptor) -> bool {
    let Some(ext) = non_nullable_ext() else { return false };
    let opts = field.options();
    opts.has_extension(ext) && matches!(opts.get_extension(ext).as_ref(), Value::Bool(false))
}

fn customtype_ext() -> Option<&'static ExtensionDescriptor> {
    static EXT: OnceLock<Option<ExtensionDescriptor>> = OnceLock::new();
    EXT.get_or_init(|| descriptors::pool().get_extension_by_name("gogoproto.customtype")).as_ref()
}

/// A `LegacyDec` custom type (`cosmossdk.io/math.LegacyDec`, formerly
/// `types.Dec`): on the wire the 18-digit scaled integer, in Go's JSON
/// the decimal (`"0.050000000000000000"`), as the gateway writes it.
fn legacy_dec(field: &FieldDescriptor) -> bool {
    let Some(ext) = customtype_ext() else { return false };
    let opts = field.options();
    opts.has_extension(ext)
        && matches!(opts.get_extension(ext).as_ref(), Value::String(t) if t.ends_with("math.LegacyDec") || t.ends_with("types.Dec"))
}

/// The decimal text of a `LegacyDec`'s wire form (its scaled integer);
/// `None` when that is not an integer (left as it was).
fn dec_text(scaled: &str) -> Option<String> {
    let (neg, digits) = match scaled.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, scaled),
    };
    let digits = if digits.is_empty() { "0" } else { digits };
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let padded = format!("{digits:0>19}");
    let (int, frac) = padded.split_at(padded.len() - 18);
    let int = int.trim_start_matches('0');
    Some(format!("{}{}.{frac}", if neg { "-" } else { "" }, if int.is_empty() { "0" } else { int }))
}

/// Rewrite a `LegacyDec` field's JSON (string or bytes, single or
/// repeated) from the wire's scaled integer to the decimal.
fn legacy_dec_json(value: &Value, json: &mut Json) {
    let text = |v: &Value| match v {
        Value::String(s) => dec_text(s),
        Value::Bytes(b) => std::str::from_utf8(b).ok().and_then(dec_text),
        _ => None,
    };
    match (value, json) {
        (Value::List(items), Json::Array(js)) => {
            for (item, j) in items.iter().zip(js.iter_mut()) {
                if let Some(t) = text(item) {
                    *j = Json::String(t);
                }
            }
        }
        (v, j) => {
            if let Some(t) = text(v) {
                *j = Json::String(t);
            }
        }
    }
}

/// What Go's jsonpb (EmitDefaults) writes and proto3 JSON omits: unset
/// message fields as `null` (or their defaults when non-nullable), empty
/// bytes as `null`; recursing into set messages, lists and `Any`s.
fn gateway_defaults(msg: &DynamicMessage, json: &mut Json) {
    let desc = msg.descriptor();
    if desc.full_name() == "google.protobuf.Any" {
        if let Some(inner) = unpack_any(msg)
            && !inner.descriptor().full_name().starts_with("google.protobuf.")
        {
            gateway_defaults(&inner, json);
        }
        return;
    }
    if desc.full_name().starts_with("google.protobuf.") {
        return;
    }
    let Json::Object(map) = json else { return };
    for field in desc.fields() {
        if field.containing_oneof().is_some() && !msg.has_field(&field) {
            continue;
        }
        let name = field.name();
        if matches!(field.kind(), Kind::String | Kind::Bytes) && legacy_dec(&field) {
            if let Some(j) = map.get_mut(name) {
                legacy_dec_json(msg.get_field(&field).as_ref(), j);
            }
            continue;
        }
        match (field.kind(), field.is_list() || field.is_map()) {
            (Kind::Message(inner), false) => {
                if msg.has_field(&field) {
                    if let (Value::Message(m), Some(j)) = (msg.get_field(&field).as_ref(), map.get_mut(name)) {
                        gateway_defaults(m, j);
                    }
                } else if non_nullable(&field) {
                    let empty = DynamicMessage::new(inner);
                    if let Ok(j) = to_json(&empty) {
                        map.insert(name.to_string(), j);
                    }
                } else {
                    map.insert(name.to_string(), Json::Null);
                }
            }
            (Kind::Message(_), true) if field.is_list() => {
                if let (Value::List(items), Some(Json::Array(js))) = (msg.get_field(&field).as_ref(), map.get_mut(name)) {
                    for (item, j) in items.iter().zip(js.iter_mut()) {
                        if let Value::Message(m) = item {
                            gateway_defaults(m, j);
                        }
                    }
                }
            }
            (Kind::Bytes, false) => {
                if matches!(msg.get_field(&field).as_ref(), Value::Bytes(b) if b.is_empty()) {
                    map.insert(name.to_string(), Json::Null);
                }
            }
            _ => {}
        }
    }
}

fn unpack_any(msg: &DynamicMessage) -> Option<DynamicMessage> {
    let url = match msg.get_field_by_name("type_url")?.as_ref() {
        Value::String(s) => s.clone(),
        _ => return None,
    };
    let value = match msg.get_field_by_name("value")?.as_ref() {
        Value::Bytes(b) => b.clone(),
        _ => return None,
    };
    let desc = msg.descriptor().parent_pool().get_message_by_name(url.rsplit('/').next()?)?;
    DynamicMessage::decode(desc, value).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use cosmos_sdk_proto::cosmos::bank::v1beta1 as bank;
    use cosmos_sdk_proto::cosmos::base::query::v1beta1::PageResponse;
    use cosmos_sdk_proto::cosmos::base::v1beta1::Coin;

    fn desc(name: &str) -> MessageDescriptor {
        descriptors::pool().get_message_by_name(name).unwrap()
    }

    #[test]
    fn replies_use_the_gateway_json_rules() {
        let reply = bank::QueryAllBalancesResponse {
            balances: vec![Coin { denom: "uvvv".into(), amount: "5".into() }],
            pagination: Some(PageResponse { next_key: vec![], total: 1 }),
        };
        let j = response_json(desc("cosmos.bank.v1beta1.QueryAllBalancesResponse"), &reply.encode_to_vec()).unwrap();
        assert_eq!(j, serde_json::json!({"balances": [{"denom": "uvvv", "amount": "5"}], "pagination": {"next_key": null, "total": "1"}}));
        let j = response_json(desc("cosmos.bank.v1beta1.QueryBalanceResponse"), &[]).unwrap();
        assert_eq!(j, serde_json::json!({"balance": null}));
    }

    #[test]
    fn legacy_decs_are_written_as_decimals() {
        assert_eq!(dec_text("50000000000000000").as_deref(), Some("0.050000000000000000"));
        assert_eq!(dec_text("1000000000000000000000").as_deref(), Some("1000.000000000000000000"));
        assert_eq!(dec_text("-1500000000000000000").as_deref(), Some("-1.500000000000000000"));
        assert_eq!(dec_text("").as_deref(), Some("0.000000000000000000"));
        assert_eq!(dec_text("1.5"), None);
        // A DecCoin's amount (a string LegacyDec) and mint's inflation (bytes).
        let coin = DynamicMessage::decode(desc("cosmos.base.v1beta1.DecCoin"), &*encode_dec_coin("uvvv", "2500000000000000000")).unwrap();
        assert_eq!(to_json(&coin).unwrap(), serde_json::json!({"denom": "uvvv", "amount": "2.500000000000000000"}));
        let mut infl = DynamicMessage::new(desc("cosmos.mint.v1beta1.QueryInflationResponse"));
        infl.set_field_by_name("inflation", Value::Bytes(b"80000000000000000".to_vec().into()));
        assert_eq!(to_json(&infl).unwrap(), serde_json::json!({"inflation": "0.080000000000000000"}));
    }

    fn encode_dec_coin(denom: &str, amount: &str) -> Vec<u8> {
        cosmos_sdk_proto::cosmos::base::v1beta1::DecCoin { denom: denom.into(), amount: amount.into() }.encode_to_vec()
    }

    #[test]
    fn any_is_expanded_with_its_type() {
        use cosmos_sdk_proto::cosmos::auth::v1beta1 as auth;
        let acc = auth::BaseAccount { address: "venice1x".into(), pub_key: None, account_number: 7, sequence: 0 };
        let reply = auth::QueryAccountResponse {
            account: Some(cosmos_sdk_proto::Any { type_url: "/cosmos.auth.v1beta1.BaseAccount".into(), value: acc.encode_to_vec() }),
        };
        let j = response_json(desc("cosmos.auth.v1beta1.QueryAccountResponse"), &reply.encode_to_vec()).unwrap();
        assert_eq!(
            j,
            serde_json::json!({"account": {"@type": "/cosmos.auth.v1beta1.BaseAccount", "address": "venice1x", "pub_key": null, "account_number": "7", "sequence": "0"}})
        );
    }
}
