//! bank parameters: the default send switch and per-denom overrides.

use borsh::{BorshDeserialize, BorshSerialize};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    #[serde(default)]
    pub send_enabled: Vec<SendEnabled>,
    #[serde(default = "yes")]
    pub default_send_enabled: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SendEnabled {
    pub denom: String,
    pub enabled: bool,
}

fn yes() -> bool {
    true
}

impl Default for Params {
    fn default() -> Self {
        Params { send_enabled: Vec::new(), default_send_enabled: true }
    }
}

impl Params {
    pub fn is_send_enabled(&self, denom: &str) -> bool {
        self.send_enabled.iter().find(|s| s.denom == denom).map_or(self.default_send_enabled, |s| s.enabled)
    }

    pub fn validate(&self) -> Result<(), String> {
        for (i, s) in self.send_enabled.iter().enumerate() {
            venice_sdk::coin::validate_denom(&s.denom).map_err(|e| format!("bank.params.send_enabled[{i}].denom: {e}"))?;
            if self.send_enabled[..i].iter().any(|o| o.denom == s.denom) {
                return Err(format!("bank.params.send_enabled[{i}].denom: duplicate {}", s.denom));
            }
        }
        Ok(())
    }

    pub fn to_proto(&self) -> cosmos_sdk_proto::cosmos::bank::v1beta1::Params {
        #[allow(deprecated)]
        cosmos_sdk_proto::cosmos::bank::v1beta1::Params {
            send_enabled: self
                .send_enabled
                .iter()
                .map(|s| cosmos_sdk_proto::cosmos::bank::v1beta1::SendEnabled { denom: s.denom.clone(), enabled: s.enabled })
                .collect(),
            default_send_enabled: self.default_send_enabled,
        }
    }
}
