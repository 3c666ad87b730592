//! slashing parameters in the SDK's JSON (`"signed_blocks_window": "100"`,
//! `"min_signed_per_window": "0.500000000000000000"`,
//! `"downtime_jail_duration": "600s"`) and protobuf shapes (decimals as the
//! bytes of their 18-digit integer, as gogoproto's `LegacyDec` marshals).

use borsh::{BorshDeserialize, BorshSerialize};
use cosmos_sdk_proto::cosmos::slashing::v1beta1 as pb;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use venice_sdk::json::int_str;
use venice_types::Dec;
use venice_types::time::Duration;

#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct Params {
    pub signed_blocks_window: i64,
    pub min_signed_per_window: Dec,
    pub downtime_jail_duration: Duration,
    pub slash_fraction_double_sign: Dec,
    pub slash_fraction_downtime: Dec,
}

impl Default for Params {
    /// The SDK's defaults: 100 blocks, half signed, 10 minutes, 5% and 1%.
    fn default() -> Self {
        Params {
            signed_blocks_window: 100,
            min_signed_per_window: Dec::from_atto(500_000_000_000_000_000),
            downtime_jail_duration: Duration::from_secs(600),
            slash_fraction_double_sign: Dec::from_atto(50_000_000_000_000_000),
            slash_fraction_downtime: Dec::from_atto(10_000_000_000_000_000),
        }
    }
}

impl Params {
    /// The SDK's `Params.Validate`.
    pub fn validate(&self) -> Result<(), String> {
        if self.signed_blocks_window <= 0 {
            return Err(format!("signed blocks window must be positive: {}", self.signed_blocks_window));
        }
        if self.min_signed_per_window > Dec::ONE {
            return Err(format!("min signed per window too large: {}", self.min_signed_per_window.to_sdk_string()));
        }
        if self.downtime_jail_duration.secs <= 0 && self.downtime_jail_duration.nanos == 0 {
            return Err("downtime jail duration must be positive".into());
        }
        if self.slash_fraction_double_sign > Dec::ONE {
            return Err(format!("double sign slash fraction too large: {}", self.slash_fraction_double_sign.to_sdk_string()));
        }
        if self.slash_fraction_downtime > Dec::ONE {
            return Err(format!("downtime slash fraction too large: {}", self.slash_fraction_downtime.to_sdk_string()));
        }
        Ok(())
    }

    /// Blocks a validator must sign per window (the SDK's
    /// `MinSignedPerWindowInt`: the product rounded half to even).
    pub fn min_signed_per_window_int(&self) -> i64 {
        let d = self.min_signed_per_window.mul_int(self.signed_blocks_window.max(0) as u128).unwrap_or(Dec::ZERO);
        let (q, r) = (d.atto() / venice_types::dec::DEC_SCALE, d.atto() % venice_types::dec::DEC_SCALE);
        let half = venice_types::dec::DEC_SCALE / 2;
        let up = r > half || (r == half && q % 2 == 1);
        (q + u128::from(up)) as i64
    }

    /// From the protobuf form (decimals as the bytes of their 18-digit
    /// integer), validated.
    pub fn from_proto(p: &pb::Params) -> Result<Self, String> {
        let dec = |name: &str, b: &[u8]| {
            std::str::from_utf8(b)
                .ok()
                .and_then(Dec::from_atto_str)
                .ok_or_else(|| format!("invalid {name}: {:?}", String::from_utf8_lossy(b)))
        };
        let d = p.downtime_jail_duration.as_ref().ok_or("downtime jail duration: missing")?;
        if d.seconds < 0 || d.nanos < 0 || d.nanos >= 1_000_000_000 {
            return Err(format!("downtime jail duration must be positive: {}s {}ns", d.seconds, d.nanos));
        }
        let params = Params {
            signed_blocks_window: p.signed_blocks_window,
            min_signed_per_window: dec("min signed per window", &p.min_signed_per_window)?,
            downtime_jail_duration: Duration { secs: d.seconds, nanos: d.nanos as u32 },
            slash_fraction_double_sign: dec("double sign slash fraction", &p.slash_fraction_double_sign)?,
            slash_fraction_downtime: dec("downtime slash fraction", &p.slash_fraction_downtime)?,
        };
        params.validate()?;
        Ok(params)
    }

    pub fn to_proto(&self) -> pb::Params {
        pb::Params {
            signed_blocks_window: self.signed_blocks_window,
            min_signed_per_window: self.min_signed_per_window.to_atto_string().into_bytes(),
            downtime_jail_duration: Some(tendermint_proto::google::protobuf::Duration {
                seconds: self.downtime_jail_duration.secs,
                nanos: self.downtime_jail_duration.nanos as i32,
            }),
            slash_fraction_double_sign: self.slash_fraction_double_sign.to_atto_string().into_bytes(),
            slash_fraction_downtime: self.slash_fraction_downtime.to_atto_string().into_bytes(),
        }
    }
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ParamsJson {
    #[serde(with = "int_str")]
    signed_blocks_window: i64,
    min_signed_per_window: String,
    downtime_jail_duration: String,
    slash_fraction_double_sign: String,
    slash_fraction_downtime: String,
}

impl Serialize for Params {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        ParamsJson {
            signed_blocks_window: self.signed_blocks_window,
            min_signed_per_window: self.min_signed_per_window.to_sdk_string(),
            downtime_jail_duration: self.downtime_jail_duration.to_json_string(),
            slash_fraction_double_sign: self.slash_fraction_double_sign.to_sdk_string(),
            slash_fraction_downtime: self.slash_fraction_downtime.to_sdk_string(),
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for Params {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let j = ParamsJson::deserialize(d)?;
        let dec = |s: &str, name: &str| Dec::parse(s).ok_or_else(|| D::Error::custom(format!("{name}: {s:?} is not a decimal")));
        Ok(Params {
            signed_blocks_window: j.signed_blocks_window,
            min_signed_per_window: dec(&j.min_signed_per_window, "min_signed_per_window")?,
            downtime_jail_duration: Duration::parse(&j.downtime_jail_duration).ok_or_else(|| {
                D::Error::custom(format!("downtime_jail_duration: {:?} is not a duration like \"600s\"", j.downtime_jail_duration))
            })?,
            slash_fraction_double_sign: dec(&j.slash_fraction_double_sign, "slash_fraction_double_sign")?,
            slash_fraction_downtime: dec(&j.slash_fraction_downtime, "slash_fraction_downtime")?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_round_trip_and_min_signed() {
        let p = Params::default();
        let j = serde_json::to_value(&p).unwrap();
        assert_eq!(j["signed_blocks_window"], "100");
        assert_eq!(j["min_signed_per_window"], "0.500000000000000000");
        assert_eq!(j["downtime_jail_duration"], "600s");
        assert_eq!(j["slash_fraction_double_sign"], "0.050000000000000000");
        assert_eq!(serde_json::from_value::<Params>(j).unwrap(), p);
        assert_eq!(p.min_signed_per_window_int(), 50);
        let p = Params { signed_blocks_window: 5, ..Params::default() };
        assert_eq!(p.min_signed_per_window_int(), 2, "2.5 rounds half to even");
        let p = Params { signed_blocks_window: 7, ..Params::default() };
        assert_eq!(p.min_signed_per_window_int(), 4, "3.5 rounds half to even");
        assert_eq!(p.to_proto().min_signed_per_window, b"500000000000000000".to_vec());
    }
}
