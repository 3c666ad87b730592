//! The model descriptor: everything a publisher registers about a model and
//! that the chain, the sidecar and wallets read back. The model-NFT contract
//! stores it as the token's extension; the inference module reads it to price
//! a call, pay royalties and pick the quantisation rule; the sidecar checks
//! the ONNX file against `onnx_sha256` and the I/O schema before running.
//!
//! No floats anywhere: contracts compile this crate to wasm, and the CosmWasm
//! VM refuses float instructions.

use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::rule::QuantRule;

/// Royalties and shares are in basis points: 10 000 = 100 %.
pub const MAX_BPS: u16 = 10_000;
/// Bounds keeping on-chain entries small and queries cheap.
pub const MAX_URI_LEN: usize = 512;
pub const MAX_LICENSE_LEN: usize = 128;
pub const MAX_TENSORS: usize = 32;
pub const MAX_RANK: usize = 8;
pub const MAX_NAME_LEN: usize = 128;
/// Same bound as `quant::MAX_SCALE_EXP` (10^18 is exact in f64 and fits i64);
/// repeated here because that module needs floats and is compiled out of
/// contracts. A test checks both agree.
pub const MAX_SCALE_EXP: u8 = 18;

/// Element type of a tensor, named as in ONNX (`"float32"`, `"int64"`…).
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum DType {
    Float32,
    Float64,
    Int8,
    Int16,
    Int32,
    Int64,
    Uint8,
    Uint16,
    Uint32,
    Uint64,
    Bool,
}

impl DType {
    pub fn is_float(self) -> bool {
        matches!(self, DType::Float32 | DType::Float64)
    }
}

/// One named input or output of the model. `shape` holds one entry per axis:
/// a fixed size, or `null` for a dynamic axis (typically the batch).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct TensorSpec {
    pub name: String,
    pub dtype: DType,
    pub shape: Vec<Option<u64>>,
}

/// An amount of a base denomination. On the wire a decimal string, like
/// cosmwasm's `Uint128`, so JavaScript clients keep full precision.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Amount(pub u128);

impl Serialize for Amount {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0.to_string())
    }
}

impl<'de> Deserialize<'de> for Amount {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Amount;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a decimal string holding an unsigned 128-bit integer")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Amount, E> {
                // Digits only: `str::parse` would also take a leading '+'.
                if v.is_empty() || !v.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(E::custom("amount must be decimal digits"));
                }
                v.parse::<u128>().map(Amount).map_err(|_| E::custom("amount exceeds u128"))
            }
        }
        d.deserialize_str(V)
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Amount {
    fn schema_name() -> String {
        "Amount".into()
    }
    fn json_schema(gen: &mut schemars::gen::SchemaGenerator) -> schemars::schema::Schema {
        String::json_schema(gen)
    }
}

/// Price of one inference call.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Price {
    pub denom: String,
    pub amount: Amount,
}

/// What a publisher registers about a model.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ModelDescriptor {
    /// sha256 of the ONNX file, 64 lower-case hex digits. Immutable: it is the
    /// model's identity in the content-addressed model store.
    pub onnx_sha256: String,
    /// Where the file can be fetched (`ipfs://…`, `https://…`, `venice://…`).
    pub storage_uri: String,
    pub inputs: Vec<TensorSpec>,
    pub outputs: Vec<TensorSpec>,
    /// How outputs are quantised before validators compare hashes. Immutable.
    pub quant_rule: QuantRule,
    pub price_per_call: Price,
    /// Share of each call's fee paid to the NFT's owner, in basis points.
    pub royalty_bps: u16,
    /// SPDX identifier or URL of the licence.
    pub license: String,
    /// Marks a model that acts as an AI agent with its own on-chain identity.
    #[serde(default)]
    pub agent: bool,
}

/// Why a descriptor was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DescriptorError {
    #[error("onnx_sha256 must be 64 lower-case hex digits")]
    BadHash,
    #[error("storage_uri must be 1..={MAX_URI_LEN} bytes of printable ASCII with a scheme")]
    BadUri,
    #[error("licence must be 1..={MAX_LICENSE_LEN} bytes")]
    BadLicense,
    #[error("royalty {0} bps exceeds 10000 (100 %)")]
    RoyaltyTooHigh(u16),
    #[error("invalid price denom {0:?}")]
    BadDenom(String),
    #[error("{0} must list 1..={MAX_TENSORS} tensors")]
    TensorCount(&'static str),
    #[error("tensor name {0:?} is empty, too long or repeated")]
    BadTensorName(String),
    #[error("tensor {0:?} has rank above {MAX_RANK} or a zero-sized axis")]
    BadShape(String),
    #[error("quantisation rule: {0}")]
    BadRule(&'static str),
}

impl ModelDescriptor {
    /// Checks every field. The contract calls this on mint and on update, the
    /// chain's inference module may rely on it having passed.
    pub fn validate(&self) -> Result<(), DescriptorError> {
        if !is_sha256_hex(&self.onnx_sha256) {
            return Err(DescriptorError::BadHash);
        }
        if !is_uri(&self.storage_uri) {
            return Err(DescriptorError::BadUri);
        }
        if self.license.is_empty() || self.license.len() > MAX_LICENSE_LEN {
            return Err(DescriptorError::BadLicense);
        }
        if self.royalty_bps > MAX_BPS {
            return Err(DescriptorError::RoyaltyTooHigh(self.royalty_bps));
        }
        if !is_denom(&self.price_per_call.denom) {
            return Err(DescriptorError::BadDenom(self.price_per_call.denom.clone()));
        }
        check_tensors("inputs", &self.inputs)?;
        check_tensors("outputs", &self.outputs)?;
        self.check_rule()
    }

    /// Rule parameters, and that the rule can apply to the declared outputs.
    fn check_rule(&self) -> Result<(), DescriptorError> {
        match &self.quant_rule {
            QuantRule::FixedPoint { scale_exp, .. } if *scale_exp > MAX_SCALE_EXP => {
                Err(DescriptorError::BadRule("scale_exp must be at most 18"))
            }
            QuantRule::TopK { k: 0 } => Err(DescriptorError::BadRule("top-k needs k >= 1")),
            QuantRule::Exact if self.outputs.iter().any(|t| t.dtype.is_float()) => {
                Err(DescriptorError::BadRule("exact cannot apply to float outputs"))
            }
            QuantRule::Argmax | QuantRule::TopK { .. } => {
                let k = match self.quant_rule {
                    QuantRule::TopK { k } => u64::from(k),
                    _ => 1,
                };
                for t in self.outputs.iter().filter(|t| t.dtype.is_float()) {
                    match t.shape.last() {
                        None => return Err(DescriptorError::BadRule("argmax/top-k need rank >= 1")),
                        Some(Some(n)) if *n < k => return Err(DescriptorError::BadRule("k exceeds the last axis")),
                        _ => {}
                    }
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }
}

fn check_tensors(what: &'static str, ts: &[TensorSpec]) -> Result<(), DescriptorError> {
    if ts.is_empty() || ts.len() > MAX_TENSORS {
        return Err(DescriptorError::TensorCount(what));
    }
    for (i, t) in ts.iter().enumerate() {
        let bad_name = t.name.is_empty()
            || t.name.len() > MAX_NAME_LEN
            || t.name.chars().any(char::is_control)
            || ts[..i].iter().any(|o| o.name == t.name);
        if bad_name {
            return Err(DescriptorError::BadTensorName(t.name.clone()));
        }
        if t.shape.len() > MAX_RANK || t.shape.contains(&Some(0)) {
            return Err(DescriptorError::BadShape(t.name.clone()));
        }
    }
    Ok(())
}

/// 64 lower-case hex digits (upper case is refused so that one file has one
/// spelling, and lookups by hash are exact).
pub fn is_sha256_hex(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

fn is_uri(s: &str) -> bool {
    let printable = s.bytes().all(|b| (0x21..0x7f).contains(&b));
    let scheme_ok = match s.split_once("://") {
        Some((scheme, rest)) => {
            !rest.is_empty()
                && scheme.bytes().next().is_some_and(|b| b.is_ascii_alphabetic())
                && scheme.bytes().all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b))
        }
        None => false,
    };
    !s.is_empty() && s.len() <= MAX_URI_LEN && printable && scheme_ok
}

/// Cosmos SDK coin denom: `[a-zA-Z][a-zA-Z0-9/:._-]{2,127}`.
pub fn is_denom(s: &str) -> bool {
    let b = s.as_bytes();
    (3..=128).contains(&b.len()) && b[0].is_ascii_alphabetic() && b[1..].iter().all(|c| c.is_ascii_alphanumeric() || b"/:._-".contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rule::Rounding;
    use alloc::vec;

    pub(crate) fn sample() -> ModelDescriptor {
        ModelDescriptor {
            onnx_sha256: "ab".repeat(32),
            storage_uri: "ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi".into(),
            inputs: vec![TensorSpec { name: "input".into(), dtype: DType::Float32, shape: vec![None, Some(64)] }],
            outputs: vec![TensorSpec { name: "probabilities".into(), dtype: DType::Float32, shape: vec![None, Some(10)] }],
            quant_rule: QuantRule::FixedPoint { scale_exp: 4, rounding: Rounding::HalfEven },
            price_per_call: Price { denom: "uvvv".into(), amount: Amount(1_500) },
            royalty_bps: 2_500,
            license: "Apache-2.0".into(),
            agent: false,
        }
    }

    #[test]
    fn sample_is_valid() {
        assert_eq!(sample().validate(), Ok(()));
    }

    type Case = (fn(&mut ModelDescriptor), DescriptorError);

    #[test]
    fn each_field_is_checked() {
        let cases: Vec<Case> = vec![
            (|d| d.onnx_sha256 = "AB".repeat(32), DescriptorError::BadHash),
            (|d| d.onnx_sha256.pop().map(|_| ()).unwrap(), DescriptorError::BadHash),
            (|d| d.storage_uri = "no-scheme".into(), DescriptorError::BadUri),
            (|d| d.storage_uri = "ipfs://a b".into(), DescriptorError::BadUri),
            (|d| d.storage_uri = alloc::format!("ipfs://{}", "a".repeat(600)), DescriptorError::BadUri),
            (|d| d.license.clear(), DescriptorError::BadLicense),
            (|d| d.royalty_bps = 10_001, DescriptorError::RoyaltyTooHigh(10_001)),
            (|d| d.price_per_call.denom = "u".into(), DescriptorError::BadDenom("u".into())),
            (|d| d.inputs.clear(), DescriptorError::TensorCount("inputs")),
            (|d| d.outputs.push(d.outputs[0].clone()), DescriptorError::BadTensorName("probabilities".into())),
            (|d| d.inputs[0].shape = vec![Some(0)], DescriptorError::BadShape("input".into())),
            (|d| d.inputs[0].shape = vec![Some(1); 9], DescriptorError::BadShape("input".into())),
            (
                |d| d.quant_rule = QuantRule::FixedPoint { scale_exp: 19, rounding: Rounding::Floor },
                DescriptorError::BadRule("scale_exp must be at most 18"),
            ),
            (|d| d.quant_rule = QuantRule::TopK { k: 0 }, DescriptorError::BadRule("top-k needs k >= 1")),
            (|d| d.quant_rule = QuantRule::TopK { k: 11 }, DescriptorError::BadRule("k exceeds the last axis")),
            (|d| d.quant_rule = QuantRule::Exact, DescriptorError::BadRule("exact cannot apply to float outputs")),
        ];
        for (i, (mutate, want)) in cases.into_iter().enumerate() {
            let mut d = sample();
            mutate(&mut d);
            assert_eq!(d.validate(), Err(want), "case {i}");
        }
        let mut d = sample();
        d.royalty_bps = MAX_BPS;
        d.quant_rule = QuantRule::TopK { k: 10 };
        d.price_per_call.denom = "ibc/27394FB092D2ECCD56123C74F36E4C1F926001CEADA9CA97EA622B25F41E5EB2".into();
        assert_eq!(d.validate(), Ok(()));
    }

    #[test]
    fn amount_is_a_decimal_string() {
        let p = Price { denom: "uvvv".into(), amount: Amount(u128::MAX) };
        let json = serde_json::to_string(&p).unwrap();
        assert_eq!(json, r#"{"denom":"uvvv","amount":"340282366920938463463374607431768211455"}"#);
        assert_eq!(serde_json::from_str::<Price>(&json).unwrap(), p);
        for bad in [r#""+1""#, r#""""#, r#""-1""#, "1", r#""340282366920938463463374607431768211456""#] {
            assert!(serde_json::from_str::<Amount>(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn json_shape_is_stable() {
        let json = serde_json::to_value(sample()).unwrap();
        assert_eq!(json["inputs"][0]["dtype"], "float32");
        assert_eq!(json["inputs"][0]["shape"], serde_json::json!([null, 64]));
        assert_eq!(json["quant_rule"], serde_json::json!({"fixed_point": {"scale_exp": 4, "rounding": "half_even"}}));
        // `agent` may be left out.
        let mut v = json.clone();
        v.as_object_mut().unwrap().remove("agent");
        assert!(!serde_json::from_value::<ModelDescriptor>(v).unwrap().agent);
    }

    #[cfg(feature = "quantize")]
    #[test]
    fn rule_bounds_agree_with_quantiser() {
        assert_eq!(MAX_SCALE_EXP, crate::quant::MAX_SCALE_EXP);
        for rule in [
            QuantRule::FixedPoint { scale_exp: 18, rounding: Rounding::Floor },
            QuantRule::FixedPoint { scale_exp: 19, rounding: Rounding::Floor },
            QuantRule::TopK { k: 0 },
            QuantRule::TopK { k: 1 },
            QuantRule::Argmax,
        ] {
            let mut d = sample();
            d.quant_rule = rule.clone();
            assert_eq!(d.validate().is_ok(), crate::quant::validate_rule(&rule).is_ok(), "{rule:?}");
        }
    }
}
