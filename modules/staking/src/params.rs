//! staking parameters, in the SDK's JSON (`"unbonding_time": "1814400s"`,
//! `"min_commission_rate": "0.000000000000000000"`) and protobuf shapes.

use borsh::{BorshDeserialize, BorshSerialize};
use cosmos_sdk_proto::cosmos::staking::v1beta1 as pb;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use venice_types::Dec;
use venice_types::time::Duration;

#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct Params {
    pub unbonding_time: Duration,
    pub max_validators: u32,
    pub max_entries: u32,
    pub historical_entries: u32,
    pub bond_denom: String,
    pub min_commission_rate: Dec,
}

impl Default for Params {
    /// The SDK's defaults, bonding VVV: 21 days, 100 validators, 7 entries.
    fn default() -> Self {
        Params {
            unbonding_time: Duration::from_secs(21 * 24 * 3600),
            max_validators: 100,
            max_entries: 7,
            historical_entries: 10_000,
            bond_denom: venice_sdk::BASE_DENOM.into(),
            min_commission_rate: Dec::ZERO,
        }
    }
}

impl Params {
    pub fn validate(&self) -> Result<(), String> {
        if self.unbonding_time.secs <= 0 && self.unbonding_time.nanos == 0 {
            return Err("staking.params.unbonding_time: must be positive".into());
        }
        if self.max_validators == 0 {
            return Err("staking.params.max_validators: must be positive".into());
        }
        if self.max_entries == 0 {
            return Err("staking.params.max_entries: must be positive".into());
        }
        venice_sdk::coin::validate_denom(&self.bond_denom).map_err(|e| format!("staking.params.bond_denom: {e}"))?;
        if self.min_commission_rate > Dec::ONE {
            return Err(format!(
                "staking.params.min_commission_rate: cannot be greater than 100%: {}",
                self.min_commission_rate.to_sdk_string()
            ));
        }
        Ok(())
    }

    /// From the protobuf form, validated.
    pub fn from_proto(p: &pb::Params) -> Result<Self, String> {
        let d = p.unbonding_time.as_ref().ok_or("staking.params.unbonding_time: missing")?;
        if d.seconds < 0 || d.nanos < 0 || d.nanos >= 1_000_000_000 {
            return Err("staking.params.unbonding_time: must be positive".into());
        }
        let min_commission_rate = Dec::from_atto_str(&p.min_commission_rate)
            .ok_or_else(|| format!("staking.params.min_commission_rate: invalid decimal {:?}", p.min_commission_rate))?;
        let params = Params {
            unbonding_time: Duration { secs: d.seconds, nanos: d.nanos as u32 },
            max_validators: p.max_validators,
            max_entries: p.max_entries,
            historical_entries: p.historical_entries,
            bond_denom: p.bond_denom.clone(),
            min_commission_rate,
        };
        params.validate()?;
        Ok(params)
    }

    pub fn to_proto(&self) -> pb::Params {
        pb::Params {
            unbonding_time: Some(tendermint_proto::google::protobuf::Duration {
                seconds: self.unbonding_time.secs,
                nanos: self.unbonding_time.nanos as i32,
            }),
            max_validators: self.max_validators,
            max_entries: self.max_entries,
            historical_entries: self.historical_entries,
            bond_denom: self.bond_denom.clone(),
            min_commission_rate: self.min_commission_rate.to_atto_string(),
        }
    }
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ParamsJson {
    unbonding_time: String,
    max_validators: u32,
    max_entries: u32,
    historical_entries: u32,
    bond_denom: String,
    min_commission_rate: String,
}

impl Serialize for Params {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        ParamsJson {
            unbonding_time: self.unbonding_time.to_json_string(),
            max_validators: self.max_validators,
            max_entries: self.max_entries,
            historical_entries: self.historical_entries,
            bond_denom: self.bond_denom.clone(),
            min_commission_rate: self.min_commission_rate.to_sdk_string(),
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for Params {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let j = ParamsJson::deserialize(d)?;
        Ok(Params {
            unbonding_time: Duration::parse(&j.unbonding_time)
                .ok_or_else(|| D::Error::custom(format!("unbonding_time: {:?} is not a duration like \"1814400s\"", j.unbonding_time)))?,
            max_validators: j.max_validators,
            max_entries: j.max_entries,
            historical_entries: j.historical_entries,
            bond_denom: j.bond_denom,
            min_commission_rate: Dec::parse(&j.min_commission_rate)
                .ok_or_else(|| D::Error::custom(format!("min_commission_rate: {:?} is not a decimal", j.min_commission_rate)))?,
        })
    }
}
