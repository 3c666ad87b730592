//! distribution parameters in the SDK's JSON (`"community_tax":
//! "0.020000000000000000"`) and protobuf shapes. The proposer rewards are
//! deprecated in the SDK (always zero); they are kept for the wire shape.

use borsh::{BorshDeserialize, BorshSerialize};
use cosmos_sdk_proto::cosmos::distribution::v1beta1 as pb;
use serde::{Deserialize, Serialize};
use venice_types::Dec;

#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize, Serialize, Deserialize)]
pub struct Params {
    #[serde(with = "dec_str")]
    pub community_tax: Dec,
    #[serde(with = "dec_str", default)]
    pub base_proposer_reward: Dec,
    #[serde(with = "dec_str", default)]
    pub bonus_proposer_reward: Dec,
    pub withdraw_addr_enabled: bool,
}

impl Default for Params {
    /// The SDK's defaults: 2% community tax, withdraw addresses allowed.
    fn default() -> Self {
        Params {
            community_tax: Dec::parse("0.02").expect("constant"),
            base_proposer_reward: Dec::ZERO,
            bonus_proposer_reward: Dec::ZERO,
            withdraw_addr_enabled: true,
        }
    }
}

impl Params {
    /// As the SDK's `Params.ValidateBasic`: each rate within [0, 1] (a
    /// `Dec` is never negative), the proposer rewards together too.
    pub fn validate(&self) -> Result<(), String> {
        if self.community_tax > Dec::ONE {
            return Err(format!("community tax too large: {}", self.community_tax.to_sdk_string()));
        }
        for (name, d) in [("base", self.base_proposer_reward), ("bonus", self.bonus_proposer_reward)] {
            if d > Dec::ONE {
                return Err(format!("{name} proposer reward too large: {}", d.to_sdk_string()));
            }
        }
        match self.base_proposer_reward.checked_add(self.bonus_proposer_reward) {
            Some(sum) if sum <= Dec::ONE => Ok(()),
            _ => Err("sum of base and bonus proposer reward cannot greater than one".into()),
        }
    }

    /// From the protobuf form (`LegacyDec` fields as atto integers, the
    /// wire form of `cosmos.distribution.v1beta1.Params`), validated.
    #[allow(deprecated)]
    pub fn from_proto(p: &pb::Params) -> Result<Self, String> {
        let dec = |name: &str, s: &str| Dec::from_atto_str(s).ok_or_else(|| format!("invalid {name}: {s:?}"));
        let params = Params {
            community_tax: dec("community tax", &p.community_tax)?,
            base_proposer_reward: if p.base_proposer_reward.is_empty() {
                Dec::ZERO
            } else {
                dec("base proposer reward", &p.base_proposer_reward)?
            },
            bonus_proposer_reward: if p.bonus_proposer_reward.is_empty() {
                Dec::ZERO
            } else {
                dec("bonus proposer reward", &p.bonus_proposer_reward)?
            },
            withdraw_addr_enabled: p.withdraw_addr_enabled,
        };
        params.validate()?;
        Ok(params)
    }

    #[allow(deprecated)]
    pub fn to_proto(&self) -> pb::Params {
        pb::Params {
            community_tax: self.community_tax.to_atto_string(),
            base_proposer_reward: self.base_proposer_reward.to_atto_string(),
            bonus_proposer_reward: self.bonus_proposer_reward.to_atto_string(),
            withdraw_addr_enabled: self.withdraw_addr_enabled,
        }
    }
}

/// A `Dec` as the SDK's JSON writes it (`"0.020000000000000000"`).
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
