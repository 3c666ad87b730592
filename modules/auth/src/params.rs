//! auth parameters (governable later through gov's MsgUpdateParams).

use borsh::{BorshDeserialize, BorshSerialize};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    #[serde(with = "venice_sdk::json::int_str")]
    pub max_memo_characters: u64,
    #[serde(with = "venice_sdk::json::int_str")]
    pub tx_sig_limit: u64,
    #[serde(with = "venice_sdk::json::int_str")]
    pub tx_size_cost_per_byte: u64,
    #[serde(with = "venice_sdk::json::int_str")]
    pub sig_verify_cost_ed25519: u64,
    #[serde(with = "venice_sdk::json::int_str")]
    pub sig_verify_cost_secp256k1: u64,
    /// Largest tx accepted, in bytes (Venice addition).
    #[serde(with = "venice_sdk::json::int_str")]
    pub max_tx_bytes: u64,
    /// Most messages one tx may carry (Venice addition).
    #[serde(with = "venice_sdk::json::int_str")]
    pub max_msgs_per_tx: u64,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            max_memo_characters: 256,
            tx_sig_limit: 7,
            tx_size_cost_per_byte: 10,
            sig_verify_cost_ed25519: 590,
            sig_verify_cost_secp256k1: 1000,
            max_tx_bytes: 512 * 1024,
            max_msgs_per_tx: 64,
        }
    }
}

impl Params {
    pub fn validate(&self) -> Result<(), String> {
        for (name, v) in [
            ("max_memo_characters", self.max_memo_characters),
            ("tx_sig_limit", self.tx_sig_limit),
            ("tx_size_cost_per_byte", self.tx_size_cost_per_byte),
            ("sig_verify_cost_ed25519", self.sig_verify_cost_ed25519),
            ("sig_verify_cost_secp256k1", self.sig_verify_cost_secp256k1),
            ("max_tx_bytes", self.max_tx_bytes),
            ("max_msgs_per_tx", self.max_msgs_per_tx),
        ] {
            if v == 0 {
                return Err(format!("auth.params.{name} must be positive"));
            }
        }
        Ok(())
    }

    pub fn to_proto(&self) -> cosmos_sdk_proto::cosmos::auth::v1beta1::Params {
        cosmos_sdk_proto::cosmos::auth::v1beta1::Params {
            max_memo_characters: self.max_memo_characters,
            tx_sig_limit: self.tx_sig_limit,
            tx_size_cost_per_byte: self.tx_size_cost_per_byte,
            sig_verify_cost_ed25519: self.sig_verify_cost_ed25519,
            sig_verify_cost_secp256k1: self.sig_verify_cost_secp256k1,
        }
    }
}
