//! mint parameters in the SDK's JSON (`"inflation_max": "0.200000000000000000"`,
//! `"blocks_per_year": "6311520"`) and protobuf shapes.

use borsh::{BorshDeserialize, BorshSerialize};
use cosmos_sdk_proto::cosmos::mint::v1beta1 as pb;
use serde::{Deserialize, Serialize};
use venice_sdk::json::int_str;
use venice_types::Dec;

#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize, Serialize, Deserialize)]
pub struct Params {
    pub mint_denom: String,
    #[serde(with = "dec_str")]
    pub inflation_rate_change: Dec,
    #[serde(with = "dec_str")]
    pub inflation_max: Dec,
    #[serde(with = "dec_str")]
    pub inflation_min: Dec,
    #[serde(with = "dec_str")]
    pub goal_bonded: Dec,
    #[serde(with = "int_str")]
    pub blocks_per_year: u64,
}

fn d(s: &str) -> Dec {
    Dec::parse(s).expect("constant decimal")
}

impl Params {
    /// The Cosmos SDK's defaults (13% change, 7%–20%, 67% bonded), minting uvvv.
    pub fn sdk_default() -> Self {
        Params {
            mint_denom: venice_sdk::BASE_DENOM.into(),
            inflation_rate_change: d("0.13"),
            inflation_max: d("0.20"),
            inflation_min: d("0.07"),
            goal_bonded: d("0.67"),
            blocks_per_year: 60 * 60 * 8766 / 5,
        }
    }

    /// VVV's genesis defaults (see the crate docs): 3%–10%, at most 5
    /// points a year of change, 60% bonded as the goal.
    pub fn vvv() -> Self {
        Params {
            inflation_rate_change: d("0.05"),
            inflation_max: d("0.10"),
            inflation_min: d("0.03"),
            goal_bonded: d("0.60"),
            ..Params::sdk_default()
        }
    }

    /// The SDK's `Params.Validate`.
    pub fn validate(&self) -> Result<(), String> {
        venice_sdk::coin::validate_denom(&self.mint_denom).map_err(|e| format!("mint.params.mint_denom: {e}"))?;
        if self.inflation_rate_change > Dec::ONE {
            return Err("mint.params.inflation_rate_change: too large".into());
        }
        if self.inflation_max > Dec::ONE || self.inflation_min > Dec::ONE {
            return Err("mint.params: inflation bounds above one".into());
        }
        if self.inflation_max < self.inflation_min {
            return Err("mint.params: max inflation must be greater than or equal to min inflation".into());
        }
        if self.goal_bonded.is_zero() || self.goal_bonded > Dec::ONE {
            return Err("mint.params.goal_bonded: must be positive and at most one".into());
        }
        if self.blocks_per_year == 0 {
            return Err("mint.params.blocks_per_year: must be positive".into());
        }
        Ok(())
    }

    /// From the protobuf form (`LegacyDec` fields as atto integers), validated.
    pub fn from_proto(p: &pb::Params) -> Result<Self, String> {
        let dec = |name: &str, s: &str| Dec::from_atto_str(s).ok_or_else(|| format!("mint.params.{name}: invalid decimal {s:?}"));
        let params = Params {
            mint_denom: p.mint_denom.clone(),
            inflation_rate_change: dec("inflation_rate_change", &p.inflation_rate_change)?,
            inflation_max: dec("inflation_max", &p.inflation_max)?,
            inflation_min: dec("inflation_min", &p.inflation_min)?,
            goal_bonded: dec("goal_bonded", &p.goal_bonded)?,
            blocks_per_year: p.blocks_per_year,
        };
        params.validate()?;
        Ok(params)
    }

    pub fn to_proto(&self) -> pb::Params {
        pb::Params {
            mint_denom: self.mint_denom.clone(),
            inflation_rate_change: self.inflation_rate_change.to_atto_string(),
            inflation_max: self.inflation_max.to_atto_string(),
            inflation_min: self.inflation_min.to_atto_string(),
            goal_bonded: self.goal_bonded.to_atto_string(),
            blocks_per_year: self.blocks_per_year,
        }
    }
}

impl Default for Params {
    fn default() -> Self {
        Params::vvv()
    }
}

/// A `Dec` as the SDK's JSON writes it.
pub mod dec_str {
    use serde::{Deserialize, Deserializer, Serializer};
    use venice_types::Dec;

    pub fn serialize<S: Serializer>(d: &Dec, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&d.to_sdk_string())
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Dec, D::Error> {
        let s = String::deserialize(d)?;
        Dec::parse(&s).ok_or_else(|| serde::de::Error::custom(format!("invalid decimal {s:?}")))
    }
}
