//! The canonical quantisation rule: how a model's floating-point outputs are
//! turned into an exact, hardware-independent form before hashing, so that
//! honest validators agree on a result. Part of a model's registration and
//! immutable once registered.

use serde::{Deserialize, Serialize};

/// Rounding mode of the `fixed-point` rule.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Rounding {
    /// Round half to even (banker's rounding).
    HalfEven,
    /// Round half away from zero.
    HalfAwayFromZero,
    /// Toward negative infinity.
    Floor,
}

/// A versioned quantisation rule. The string id (`QuantRule::id`) is part of
/// the canonical hash encoding, so changing a rule's meaning needs a new id.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum QuantRule {
    /// Outputs are hashed as they are: for integer (or bool) outputs only.
    Exact,
    /// Each float `x` becomes the integer `round(x * 10^scale_exp)`.
    FixedPoint { scale_exp: u8, rounding: Rounding },
    /// Each output's last axis is replaced by the index of its maximum.
    Argmax,
    /// Each output's last axis is replaced by the indices of its `k` largest.
    TopK { k: u32 },
}

impl QuantRule {
    /// Stable, versioned identifier that enters the output hash.
    pub fn id(&self) -> &'static str {
        match self {
            QuantRule::Exact => "exact/v1",
            QuantRule::FixedPoint { .. } => "fixed-point/v1",
            QuantRule::Argmax => "argmax/v1",
            QuantRule::TopK { .. } => "top-k/v1",
        }
    }
}
