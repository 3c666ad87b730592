//! inference parameters (all governable through `MsgUpdateParams`), their
//! JSON (genesis: 64-bit and 128-bit integers as strings, decimals as the
//! SDK's LegacyDec text) and protobuf shapes, and their validation.

use borsh::{BorshDeserialize, BorshSerialize};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use venice_types::Dec;
use venice_types::inference as pb;
use venice_types::json::int_str;

/// Highest curve exponent: `(scale + s)^k` stays within 256-bit arithmetic.
pub const MAX_CURVE_EXPONENT: u32 = 4;

#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    /// Denomination of model prices and task fees.
    pub fee_denom: String,
    /// Ceiling of any model's inline input and output sizes (bytes).
    #[serde(with = "int_str")]
    pub max_input_bytes: u64,
    #[serde(with = "int_str")]
    pub max_output_bytes: u64,
    pub max_committee_size: u32,
    /// Work units assigned per block at most.
    #[serde(with = "int_str")]
    pub block_work_budget: u64,
    /// A task's work is `1 + input bytes / input_bytes_per_work`.
    #[serde(with = "int_str")]
    pub input_bytes_per_work: u64,
    /// Blocks after submission at which an unagreed task is refunded.
    #[serde(with = "int_str")]
    pub task_timeout_blocks: u64,
    /// Reputation gained by agreeing, lost by disagreeing or staying silent.
    #[serde(with = "int_str")]
    pub reputation_reward: u64,
    #[serde(with = "int_str")]
    pub disagree_penalty: u64,
    #[serde(with = "int_str")]
    pub silence_penalty: u64,
    /// A member whose reputation falls to `-slash_threshold` is slashed.
    #[serde(with = "int_str")]
    pub slash_threshold: u64,
    #[serde(with = "dec_str")]
    pub slash_fraction: Dec,
    /// Vote-extension format limits (checked by `VerifyVoteExtension`).
    pub max_extension_results: u32,
    #[serde(with = "int_str")]
    pub max_extension_bytes: u64,
    /// Outputs up to this size ride in the extension itself.
    #[serde(with = "int_str")]
    pub max_inline_output_bytes: u64,
    /// Mint curve: locking stake for `s` credits outstanding totals
    /// `base_rate * s * ((scale + s) / scale)^exponent` (see `credits`).
    #[serde(with = "int_str")]
    pub credit_base_rate: u128,
    #[serde(with = "int_str")]
    pub credit_curve_scale: u128,
    pub credit_curve_exponent: u32,
    /// Work units each credit grants per UTC day.
    #[serde(with = "int_str")]
    pub allowance_per_credit: u64,
    /// The compute-credit cw20 contract the module account mints and burns
    /// in (bech32); empty: credits are recorded in module state only.
    #[serde(default)]
    pub credit_contract: String,
    /// Blocks an ended task (final or expired) and its result stay in state
    /// after they end, then they are pruned; 0 keeps them forever.
    #[serde(default = "default_retention", with = "int_str")]
    pub ended_task_retention_blocks: u64,
}

/// About a day of 1-second blocks.
pub const DEFAULT_RETENTION_BLOCKS: u64 = 100_000;

fn default_retention() -> u64 {
    DEFAULT_RETENTION_BLOCKS
}

mod dec_str {
    use super::*;
    pub fn serialize<S: Serializer>(d: &Dec, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&d.to_sdk_string())
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Dec, D::Error> {
        let s = <String as Deserialize>::deserialize(d)?;
        Dec::parse(&s).ok_or_else(|| serde::de::Error::custom(format!("{s:?} is not a decimal")))
    }
}

impl Default for Params {
    /// Small inputs, committees of up to 4, tasks refunded after 20 blocks
    /// and pruned 100,000 blocks after they end;
    /// one VVV locks a credit at first, the price doubling per exponent
    /// step by a million credits; 100 calls a day per credit.
    fn default() -> Self {
        Params {
            fee_denom: venice_sdk::BASE_DENOM.into(),
            max_input_bytes: 64 * 1024,
            max_output_bytes: 64 * 1024,
            max_committee_size: 4,
            block_work_budget: 1_000,
            input_bytes_per_work: 4096,
            task_timeout_blocks: 20,
            reputation_reward: 1,
            disagree_penalty: 10,
            silence_penalty: 2,
            slash_threshold: 100,
            slash_fraction: Dec::parse("0.001").expect("static decimal"),
            max_extension_results: 2048,
            max_extension_bytes: 256 * 1024,
            max_inline_output_bytes: 512,
            credit_base_rate: 1_000_000,
            credit_curve_scale: 1_000_000,
            credit_curve_exponent: 1,
            allowance_per_credit: 100,
            credit_contract: String::new(),
            ended_task_retention_blocks: DEFAULT_RETENTION_BLOCKS,
        }
    }
}

impl Params {
    pub fn validate(&self) -> Result<(), String> {
        venice_types::coin::validate_denom(&self.fee_denom).map_err(|e| format!("fee_denom: {e}"))?;
        let positive: [(&str, u64); 7] = [
            ("max_input_bytes", self.max_input_bytes),
            ("max_output_bytes", self.max_output_bytes),
            ("block_work_budget", self.block_work_budget),
            ("input_bytes_per_work", self.input_bytes_per_work),
            ("task_timeout_blocks", self.task_timeout_blocks),
            ("max_extension_bytes", self.max_extension_bytes),
            ("slash_threshold", self.slash_threshold),
        ];
        for (name, v) in positive {
            if v == 0 {
                return Err(format!("{name} must be positive"));
            }
        }
        if self.max_committee_size == 0 || self.max_extension_results == 0 {
            return Err("max_committee_size and max_extension_results must be positive".into());
        }
        if self.max_extension_bytes > crate::proposal::MAX_EXTENSION_BYTES_CAP {
            return Err(format!("max_extension_bytes must be at most {}", crate::proposal::MAX_EXTENSION_BYTES_CAP));
        }
        if self.max_inline_output_bytes > self.max_extension_bytes {
            return Err("max_inline_output_bytes exceeds max_extension_bytes".into());
        }
        if self.slash_fraction > Dec::ONE {
            return Err(format!("slash_fraction {} exceeds 1", self.slash_fraction.to_sdk_string()));
        }
        if self.credit_base_rate == 0 || self.credit_curve_scale == 0 {
            return Err("credit_base_rate and credit_curve_scale must be positive".into());
        }
        if self.credit_curve_exponent > MAX_CURVE_EXPONENT {
            return Err(format!("credit_curve_exponent must be at most {MAX_CURVE_EXPONENT}"));
        }
        self.credit_token().map_err(|e| format!("credit_contract: {e}"))?;
        Ok(())
    }

    pub fn to_proto(&self) -> pb::Params {
        pb::Params {
            fee_denom: self.fee_denom.clone(),
            max_input_bytes: self.max_input_bytes,
            max_output_bytes: self.max_output_bytes,
            max_committee_size: self.max_committee_size,
            block_work_budget: self.block_work_budget,
            input_bytes_per_work: self.input_bytes_per_work,
            task_timeout_blocks: self.task_timeout_blocks,
            reputation_reward: self.reputation_reward,
            disagree_penalty: self.disagree_penalty,
            silence_penalty: self.silence_penalty,
            slash_threshold: self.slash_threshold,
            slash_fraction: self.slash_fraction.to_sdk_string(),
            max_extension_results: self.max_extension_results,
            max_extension_bytes: self.max_extension_bytes,
            max_inline_output_bytes: self.max_inline_output_bytes,
            credit_base_rate: self.credit_base_rate.to_string(),
            credit_curve_scale: self.credit_curve_scale.to_string(),
            credit_curve_exponent: self.credit_curve_exponent,
            allowance_per_credit: self.allowance_per_credit,
            credit_contract: self.credit_contract.clone(),
            ended_task_retention_blocks: self.ended_task_retention_blocks,
        }
    }

    /// From a `MsgUpdateParams`' params: every field parsed, then `validate`.
    pub fn from_proto(p: &pb::Params) -> Result<Params, String> {
        let int = |name: &str, s: &str| s.parse::<u128>().map_err(|_| format!("{name}: {s:?} is not an unsigned integer"));
        let out = Params {
            fee_denom: p.fee_denom.clone(),
            max_input_bytes: p.max_input_bytes,
            max_output_bytes: p.max_output_bytes,
            max_committee_size: p.max_committee_size,
            block_work_budget: p.block_work_budget,
            input_bytes_per_work: p.input_bytes_per_work,
            task_timeout_blocks: p.task_timeout_blocks,
            reputation_reward: p.reputation_reward,
            disagree_penalty: p.disagree_penalty,
            silence_penalty: p.silence_penalty,
            slash_threshold: p.slash_threshold,
            slash_fraction: Dec::parse(&p.slash_fraction)
                .ok_or_else(|| format!("slash_fraction: {:?} is not a decimal", p.slash_fraction))?,
            max_extension_results: p.max_extension_results,
            max_extension_bytes: p.max_extension_bytes,
            max_inline_output_bytes: p.max_inline_output_bytes,
            credit_base_rate: int("credit_base_rate", &p.credit_base_rate)?,
            credit_curve_scale: int("credit_curve_scale", &p.credit_curve_scale)?,
            credit_curve_exponent: p.credit_curve_exponent,
            allowance_per_credit: p.allowance_per_credit,
            credit_contract: p.credit_contract.clone(),
            ended_task_retention_blocks: p.ended_task_retention_blocks,
        };
        out.validate()?;
        Ok(out)
    }

    /// The compute-credit contract, `None` when credits live in module state only.
    pub fn credit_token(&self) -> venice_sdk::Result<Option<venice_sdk::Address>> {
        if self.credit_contract.is_empty() {
            return Ok(None);
        }
        Ok(Some(venice_sdk::Address::parse(&self.credit_contract)?))
    }

    /// The vote-extension limits these params set.
    pub fn extension_limits(&self) -> crate::extension::Limits {
        crate::extension::Limits {
            max_bytes: self.max_extension_bytes,
            max_results: self.max_extension_results,
            max_inline_output_bytes: self.max_inline_output_bytes,
        }
    }
}
