//! `LegacyDec` fields in JSON as people write them. On the wire a gogoproto
//! `LegacyDec` is its value scaled by 10^18 (a string, or the bytes of
//! that string); the SDK's CLI and REST show and read it as a decimal
//! (`"0.050000000000000000"`). Proposal files and `tx … --generate-only`
//! output use the decimal form for the fields listed here.

use base64::Engine;
use serde_json::Value;

use crate::Dec;

/// Dotted JSON paths of a message's `LegacyDec` fields; `true` where the
/// field is `bytes` on the wire (slashing's params).
pub fn fields(type_url: &str) -> &'static [(&'static str, bool)] {
    match type_url {
        "/cosmos.staking.v1beta1.MsgUpdateParams" => &[("params.min_commission_rate", false)],
        "/cosmos.distribution.v1beta1.MsgUpdateParams" => {
            &[("params.community_tax", false), ("params.base_proposer_reward", false), ("params.bonus_proposer_reward", false)]
        }
        "/cosmos.mint.v1beta1.MsgUpdateParams" => &[
            ("params.inflation_rate_change", false),
            ("params.inflation_max", false),
            ("params.inflation_min", false),
            ("params.goal_bonded", false),
        ],
        "/cosmos.slashing.v1beta1.MsgUpdateParams" => {
            &[("params.min_signed_per_window", true), ("params.slash_fraction_double_sign", true), ("params.slash_fraction_downtime", true)]
        }
        "/cosmos.staking.v1beta1.MsgCreateValidator" => {
            &[("commission.rate", false), ("commission.max_rate", false), ("commission.max_change_rate", false)]
        }
        "/cosmos.staking.v1beta1.MsgEditValidator" => &[("commission_rate", false)],
        _ => &[],
    }
}

fn at<'a>(v: &'a mut Value, path: &str) -> Option<&'a mut Value> {
    path.split('.').try_fold(v, |v, k| v.get_mut(k))
}

/// Wire form (protobuf JSON) to decimals, in place. Values that do not
/// decode are left as they are.
pub fn to_decimal(type_url: &str, v: &mut Value) {
    for (path, bytes) in fields(type_url) {
        let Some(field) = at(v, path) else { continue };
        let Some(s) = field.as_str() else { continue };
        let atto = if *bytes {
            base64::engine::general_purpose::STANDARD.decode(s).ok().and_then(|b| String::from_utf8(b).ok())
        } else {
            Some(s.to_string())
        };
        if let Some(d) = atto.as_deref().and_then(Dec::from_atto_str) {
            *field = Value::String(d.to_sdk_string());
        }
    }
}

/// Decimals to the wire form, in place: the inverse of [`to_decimal`]. A
/// value that is not a decimal is an error naming the field.
pub fn from_decimal(type_url: &str, v: &mut Value) -> Result<(), String> {
    for (path, bytes) in fields(type_url) {
        let Some(field) = at(v, path) else { continue };
        let Some(s) = field.as_str() else { continue };
        if s.is_empty() {
            continue;
        }
        let d = Dec::parse(s).ok_or_else(|| format!("{path}: {s:?} is not a decimal (write e.g. \"0.05\")"))?;
        let atto = d.to_atto_string();
        *field = Value::String(if *bytes { base64::engine::general_purpose::STANDARD.encode(atto) } else { atto });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_string_and_bytes_fields() {
        let url = "/cosmos.slashing.v1beta1.MsgUpdateParams";
        let mut v = serde_json::json!({"params": {"slash_fraction_downtime": "0.01", "min_signed_per_window": "0.5"}});
        from_decimal(url, &mut v).unwrap();
        let wire = base64::engine::general_purpose::STANDARD.encode("10000000000000000");
        assert_eq!(v["params"]["slash_fraction_downtime"], wire);
        to_decimal(url, &mut v);
        assert_eq!(v["params"]["slash_fraction_downtime"], "0.010000000000000000");
        assert_eq!(v["params"]["min_signed_per_window"], "0.500000000000000000");

        let url = "/cosmos.mint.v1beta1.MsgUpdateParams";
        let mut v = serde_json::json!({"params": {"inflation_max": "0.1"}});
        from_decimal(url, &mut v).unwrap();
        assert_eq!(v["params"]["inflation_max"], "100000000000000000");
        let mut bad = serde_json::json!({"params": {"inflation_max": "ten"}});
        assert!(from_decimal(url, &mut bad).unwrap_err().contains("inflation_max"));
    }
}
