//! Canonical quantisation of model outputs and the canonical output hash.
//!
//! Every validator that runs a task hashes its output with [`quantize`] then
//! [`output_hash`]; the chain recomputes [`output_hash`] over submitted
//! quantised tensors. This is the only implementation: the sidecar and the
//! chain both call it.
//!
//! # What a rule does
//!
//! The rule governs **floating-point** outputs (`float32`, `float64`). Integer
//! and boolean outputs are exact already and are always carried over as they
//! are (`bool` as 0/1), whatever the rule. Every quantised value is an `i64`.
//!
//! * `exact/v1` — floats are refused ([`QuantError::FloatUnderExact`]).
//! * `fixed-point/v1 {scale_exp: s, rounding}` — each float `x` becomes
//!   `round(x · 10^s)`. `x` is widened to `f64` (exact), multiplied by `10^s`
//!   in IEEE-754 double precision with round-to-nearest-even (one rounding,
//!   the same on every conforming platform), then rounded to an integer with
//!   the rule's mode; a tie is decided on that `f64` product. `s <= 18`.
//!   Edge values:
//!   - `NaN` (any sign or payload) → `i64::MIN` ([`NAN_SENTINEL`])
//!   - `+inf` → `i64::MAX` ([`POS_INF_SENTINEL`]), `-inf` → `i64::MIN + 1`
//!     ([`NEG_INF_SENTINEL`])
//!   - finite values beyond the range saturate to `i64::MAX - 1` /
//!     `i64::MIN + 2`, so they never collide with the sentinels
//!   - `-0.0`, and negatives that round to zero, give `0` (integers have one
//!     zero)
//!   - ties at `s = 0`: `half_even` 0.5 → 0, 1.5 → 2, 2.5 → 2, -2.5 → -2;
//!     `half_away_from_zero` 2.5 → 3, -2.5 → -3; `floor` 2.5 → 2, -2.5 → -3.
//! * `argmax/v1` — the last axis of each float output is replaced by the
//!   index of its largest element (shape `[..., n]` → `[...]`).
//! * `top-k/v1 {k}` — the last axis is replaced by the indices of its `k`
//!   largest elements, largest first (shape `[..., n]` → `[..., k]`).
//!
//!   Ordering for `argmax`/`top-k`: `-0.0` equals `+0.0`; `NaN` ranks above
//!   every number, `+inf` included (a diverged output is visible rather than
//!   hidden); equal values rank by lower index first. A rank-0 tensor, an
//!   empty last axis or `k > n` is an error; `k = 0` is an invalid rule.
//!
//! # Canonical encoding (`venice-output/v1`)
//!
//! All integers little-endian; strings are `u32` byte length + UTF-8 bytes.
//!
//! ```text
//! str   "venice-output/v1"              domain separation and format version
//! str   rule id                          e.g. "fixed-point/v1"
//! rule parameters                        exact, argmax: none
//!                                        fixed-point: u8 scale_exp, u8 rounding
//!                                          (0 half_even, 1 half_away_from_zero, 2 floor)
//!                                        top-k: u32 k
//! u32   number of tensors
//! per tensor, in the model's output order:
//!   str   name
//!   u8    source dtype (ONNX TensorProto code: float 1, uint8 2, int8 3,
//!         uint16 4, int16 5, int32 6, int64 7, bool 9, double 11,
//!         uint32 12, uint64 13)
//!   u32   rank, then each dimension as u64 (shape after quantisation)
//!   u64   number of values, then each value as i64
//! ```
//!
//! The output hash is SHA-256 of that encoding.

use alloc::{string::String, vec::Vec};
use core::cmp::Ordering;

use sha2::{Digest, Sha256};

use crate::rule::{QuantRule, Rounding};

/// Quantised value of any `NaN`.
pub const NAN_SENTINEL: i64 = i64::MIN;
/// Quantised value of `+inf`.
pub const POS_INF_SENTINEL: i64 = i64::MAX;
/// Quantised value of `-inf`.
pub const NEG_INF_SENTINEL: i64 = i64::MIN + 1;
/// Largest quantised finite value (saturation bound).
pub const MAX_FINITE: i64 = i64::MAX - 1;
/// Smallest quantised finite value (saturation bound).
pub const MIN_FINITE: i64 = i64::MIN + 2;
/// Largest allowed `scale_exp`: `10^18` is exact in `f64` and fits `i64`.
pub const MAX_SCALE_EXP: u8 = 18;

pub(crate) const ENCODING_TAG: &str = "venice-output/v1";

/// Element type of a model output: the descriptor's `DType`, one enum for
/// what a model declares and what the hash encodes.
pub use crate::descriptor::DType as ElemType;

impl crate::descriptor::DType {
    /// ONNX `TensorProto.DataType` code, used in the canonical encoding.
    pub fn onnx_code(self) -> u8 {
        match self {
            ElemType::Float32 => 1,
            ElemType::Uint8 => 2,
            ElemType::Int8 => 3,
            ElemType::Uint16 => 4,
            ElemType::Int16 => 5,
            ElemType::Int32 => 6,
            ElemType::Int64 => 7,
            ElemType::Bool => 9,
            ElemType::Float64 => 11,
            ElemType::Uint32 => 12,
            ElemType::Uint64 => 13,
        }
    }

    /// Lower-case name used on the wire and in JSON (`"float32"`, `"int64"`…).
    pub fn name(self) -> &'static str {
        match self {
            ElemType::Float32 => "float32",
            ElemType::Float64 => "float64",
            ElemType::Int8 => "int8",
            ElemType::Int16 => "int16",
            ElemType::Int32 => "int32",
            ElemType::Int64 => "int64",
            ElemType::Uint8 => "uint8",
            ElemType::Uint16 => "uint16",
            ElemType::Uint32 => "uint32",
            ElemType::Uint64 => "uint64",
            ElemType::Bool => "bool",
        }
    }

    /// Inverse of [`ElemType::name`].
    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "float32" => ElemType::Float32,
            "float64" => ElemType::Float64,
            "int8" => ElemType::Int8,
            "int16" => ElemType::Int16,
            "int32" => ElemType::Int32,
            "int64" => ElemType::Int64,
            "uint8" => ElemType::Uint8,
            "uint16" => ElemType::Uint16,
            "uint32" => ElemType::Uint32,
            "uint64" => ElemType::Uint64,
            "bool" => ElemType::Bool,
            _ => return None,
        })
    }

    /// Size of one element in bytes (bool: one byte, as ONNX stores it).
    pub fn size(self) -> usize {
        match self {
            ElemType::Int8 | ElemType::Uint8 | ElemType::Bool => 1,
            ElemType::Int16 | ElemType::Uint16 => 2,
            ElemType::Float32 | ElemType::Int32 | ElemType::Uint32 => 4,
            ElemType::Float64 | ElemType::Int64 | ElemType::Uint64 => 8,
        }
    }
}

/// Values of one output tensor, row-major.
#[derive(Clone, Debug, PartialEq)]
pub enum Values {
    F32(Vec<f32>),
    F64(Vec<f64>),
    I8(Vec<i8>),
    I16(Vec<i16>),
    I32(Vec<i32>),
    I64(Vec<i64>),
    U8(Vec<u8>),
    U16(Vec<u16>),
    U32(Vec<u32>),
    U64(Vec<u64>),
    Bool(Vec<bool>),
}

impl Values {
    pub fn elem_type(&self) -> ElemType {
        match self {
            Values::F32(_) => ElemType::Float32,
            Values::F64(_) => ElemType::Float64,
            Values::I8(_) => ElemType::Int8,
            Values::I16(_) => ElemType::Int16,
            Values::I32(_) => ElemType::Int32,
            Values::I64(_) => ElemType::Int64,
            Values::U8(_) => ElemType::Uint8,
            Values::U16(_) => ElemType::Uint16,
            Values::U32(_) => ElemType::Uint32,
            Values::U64(_) => ElemType::Uint64,
            Values::Bool(_) => ElemType::Bool,
        }
    }

    pub fn len(&self) -> usize {
        match self {
            Values::F32(v) => v.len(),
            Values::F64(v) => v.len(),
            Values::I8(v) => v.len(),
            Values::I16(v) => v.len(),
            Values::I32(v) => v.len(),
            Values::I64(v) => v.len(),
            Values::U8(v) => v.len(),
            Values::U16(v) => v.len(),
            Values::U32(v) => v.len(),
            Values::U64(v) => v.len(),
            Values::Bool(v) => v.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// One named model output, as produced by the runtime.
#[derive(Clone, Debug, PartialEq)]
pub struct OutputTensor {
    pub name: String,
    pub shape: Vec<u64>,
    pub values: Values,
}

/// One output after quantisation: what is hashed and what the chain checks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuantizedTensor {
    pub name: String,
    /// Element type of the output before quantisation.
    pub source: ElemType,
    pub shape: Vec<u64>,
    pub values: Vec<i64>,
}

/// Why an output could not be quantised.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum QuantError {
    /// The `exact` rule was applied to a floating-point output.
    FloatUnderExact { tensor: String },
    /// `scale_exp` above [`MAX_SCALE_EXP`], or `top-k` with `k = 0`.
    InvalidRule(&'static str),
    /// The element count does not match the shape.
    ShapeMismatch { tensor: String, expected: u64, actual: u64 },
    /// `argmax`/`top-k` on a rank-0 tensor or an empty last axis.
    NoAxis { tensor: String },
    /// `top-k` with `k` larger than the last axis.
    KTooLarge { tensor: String, k: u32, axis: u64 },
    /// A `uint64` value above `i64::MAX`, which has no exact `i64` form.
    Uint64Overflow { tensor: String, index: usize },
}

impl core::fmt::Display for QuantError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            QuantError::FloatUnderExact { tensor } => {
                write!(f, "output `{tensor}` is floating-point; the exact rule takes integer outputs only")
            }
            QuantError::InvalidRule(why) => write!(f, "invalid quantisation rule: {why}"),
            QuantError::ShapeMismatch { tensor, expected, actual } => {
                write!(f, "output `{tensor}` has {actual} values, its shape says {expected}")
            }
            QuantError::NoAxis { tensor } => {
                write!(f, "output `{tensor}` has no non-empty last axis to rank")
            }
            QuantError::KTooLarge { tensor, k, axis } => {
                write!(f, "top-k with k = {k} on output `{tensor}` whose last axis has {axis} elements")
            }
            QuantError::Uint64Overflow { tensor, index } => {
                write!(f, "output `{tensor}` value #{index} exceeds i64::MAX")
            }
        }
    }
}

impl core::error::Error for QuantError {}

/// Checks a rule's parameters.
pub fn validate_rule(rule: &QuantRule) -> Result<(), QuantError> {
    match rule {
        QuantRule::FixedPoint { scale_exp, .. } if *scale_exp > MAX_SCALE_EXP => {
            Err(QuantError::InvalidRule("scale_exp must be at most 18"))
        }
        QuantRule::TopK { k: 0 } => Err(QuantError::InvalidRule("top-k needs k >= 1")),
        _ => Ok(()),
    }
}

/// Applies `rule` to every output, keeping their order.
pub fn quantize(rule: &QuantRule, outputs: &[OutputTensor]) -> Result<Vec<QuantizedTensor>, QuantError> {
    validate_rule(rule)?;
    outputs.iter().map(|t| quantize_one(rule, t)).collect()
}

fn quantize_one(rule: &QuantRule, t: &OutputTensor) -> Result<QuantizedTensor, QuantError> {
    let expected = t.shape.iter().try_fold(1u64, |acc, d| acc.checked_mul(*d)).unwrap_or(u64::MAX);
    let actual = t.values.len() as u64;
    if expected != actual {
        return Err(QuantError::ShapeMismatch { tensor: t.name.clone(), expected, actual });
    }
    let source = t.values.elem_type();
    let exact = |values: Vec<i64>| QuantizedTensor { name: t.name.clone(), source, shape: t.shape.clone(), values };
    let floats: Vec<f64> = match &t.values {
        Values::F32(v) => v.iter().map(|x| f64::from(*x)).collect(),
        Values::F64(v) => v.clone(),
        Values::I8(v) => return Ok(exact(v.iter().map(|x| i64::from(*x)).collect())),
        Values::I16(v) => return Ok(exact(v.iter().map(|x| i64::from(*x)).collect())),
        Values::I32(v) => return Ok(exact(v.iter().map(|x| i64::from(*x)).collect())),
        Values::I64(v) => return Ok(exact(v.clone())),
        Values::U8(v) => return Ok(exact(v.iter().map(|x| i64::from(*x)).collect())),
        Values::U16(v) => return Ok(exact(v.iter().map(|x| i64::from(*x)).collect())),
        Values::U32(v) => return Ok(exact(v.iter().map(|x| i64::from(*x)).collect())),
        Values::U64(v) => {
            let mut out = Vec::with_capacity(v.len());
            for (index, x) in v.iter().enumerate() {
                let x = i64::try_from(*x).map_err(|_| QuantError::Uint64Overflow { tensor: t.name.clone(), index })?;
                out.push(x);
            }
            return Ok(exact(out));
        }
        Values::Bool(v) => return Ok(exact(v.iter().map(|x| i64::from(*x)).collect())),
    };
    match rule {
        QuantRule::Exact => Err(QuantError::FloatUnderExact { tensor: t.name.clone() }),
        QuantRule::FixedPoint { scale_exp, rounding } => {
            let scale = pow10(*scale_exp);
            Ok(exact(floats.iter().map(|x| fixed_point(*x, scale, *rounding)).collect()))
        }
        QuantRule::Argmax => {
            let (outer, n) = split_last_axis(t)?;
            let mut values = Vec::with_capacity(outer.len());
            for row in floats.chunks(n as usize) {
                values.push(ranked(row)[0] as i64);
            }
            Ok(QuantizedTensor { name: t.name.clone(), source, shape: outer, values })
        }
        QuantRule::TopK { k } => {
            let (mut shape, n) = split_last_axis(t)?;
            if u64::from(*k) > n {
                return Err(QuantError::KTooLarge { tensor: t.name.clone(), k: *k, axis: n });
            }
            let mut values = Vec::new();
            for row in floats.chunks(n as usize) {
                values.extend(ranked(row).iter().take(*k as usize).map(|i| *i as i64));
            }
            shape.push(u64::from(*k));
            Ok(QuantizedTensor { name: t.name.clone(), source, shape, values })
        }
    }
}

/// `10^e` as an exact `f64` (`e <= 18`), built by exact multiplications.
fn pow10(e: u8) -> f64 {
    let mut p = 1.0f64;
    for _ in 0..e {
        p *= 10.0;
    }
    p
}

/// The `fixed-point` mapping of one value; see the module docs.
pub fn fixed_point(x: f64, scale: f64, rounding: Rounding) -> i64 {
    if x.is_nan() {
        return NAN_SENTINEL;
    }
    if x.is_infinite() {
        return if x > 0.0 { POS_INF_SENTINEL } else { NEG_INF_SENTINEL };
    }
    let y = x * scale;
    let r = match rounding {
        Rounding::HalfEven => y.round_ties_even(),
        Rounding::HalfAwayFromZero => y.round(),
        Rounding::Floor => y.floor(),
    };
    // Bounds compared in f64: `MAX_FINITE as f64` rounds up to 2^63, so `>=`
    // is the safe test; anything that passes converts exactly.
    if r >= MAX_FINITE as f64 {
        MAX_FINITE
    } else if r <= MIN_FINITE as f64 {
        MIN_FINITE
    } else {
        // `as` maps -0.0 to 0, as documented.
        r as i64
    }
}

fn split_last_axis(t: &OutputTensor) -> Result<(Vec<u64>, u64), QuantError> {
    match t.shape.split_last() {
        Some((&n, outer)) if n > 0 => Ok((outer.to_vec(), n)),
        _ => Err(QuantError::NoAxis { tensor: t.name.clone() }),
    }
}

/// Order for ranking: NaN above everything, -0.0 == +0.0.
fn rank_cmp(a: f64, b: f64) -> Ordering {
    match (a.is_nan(), b.is_nan()) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Greater,
        (false, true) => Ordering::Less,
        (false, false) => a.partial_cmp(&b).unwrap_or(Ordering::Equal),
    }
}

/// Indices of `row`, largest first, ties by lower index (stable sort).
fn ranked(row: &[f64]) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..row.len()).collect();
    idx.sort_by(|&i, &j| rank_cmp(row[j], row[i]));
    idx
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    out.extend_from_slice(&(s.len() as u32).to_le_bytes());
    out.extend_from_slice(s.as_bytes());
}

/// The canonical byte encoding of quantised outputs (see module docs).
pub fn canonical_encoding(rule: &QuantRule, tensors: &[QuantizedTensor]) -> Vec<u8> {
    let values: usize = tensors.iter().map(|t| t.values.len() * 8 + t.name.len() + 64).sum();
    let mut out = Vec::with_capacity(64 + values);
    put_str(&mut out, ENCODING_TAG);
    put_str(&mut out, rule.id());
    match rule {
        QuantRule::Exact | QuantRule::Argmax => {}
        QuantRule::FixedPoint { scale_exp, rounding } => {
            out.push(*scale_exp);
            out.push(match rounding {
                Rounding::HalfEven => 0,
                Rounding::HalfAwayFromZero => 1,
                Rounding::Floor => 2,
            });
        }
        QuantRule::TopK { k } => out.extend_from_slice(&k.to_le_bytes()),
    }
    out.extend_from_slice(&(tensors.len() as u32).to_le_bytes());
    for t in tensors {
        put_str(&mut out, &t.name);
        out.push(t.source.onnx_code());
        out.extend_from_slice(&(t.shape.len() as u32).to_le_bytes());
        for d in &t.shape {
            out.extend_from_slice(&d.to_le_bytes());
        }
        out.extend_from_slice(&(t.values.len() as u64).to_le_bytes());
        for v in &t.values {
            out.extend_from_slice(&v.to_le_bytes());
        }
    }
    out
}

/// SHA-256 of [`canonical_encoding`].
pub fn output_hash(rule: &QuantRule, tensors: &[QuantizedTensor]) -> [u8; 32] {
    Sha256::digest(canonical_encoding(rule, tensors)).into()
}

/// [`quantize`] then [`output_hash`].
pub fn quantize_and_hash(rule: &QuantRule, outputs: &[OutputTensor]) -> Result<(Vec<QuantizedTensor>, [u8; 32]), QuantError> {
    let q = quantize(rule, outputs)?;
    let h = output_hash(rule, &q);
    Ok((q, h))
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::{string::ToString, vec};

    fn fp(s: u8, r: Rounding) -> QuantRule {
        QuantRule::FixedPoint { scale_exp: s, rounding: r }
    }

    fn f32_tensor(name: &str, shape: &[u64], v: &[f32]) -> OutputTensor {
        OutputTensor { name: name.to_string(), shape: shape.to_vec(), values: Values::F32(v.to_vec()) }
    }

    fn q1(rule: &QuantRule, v: &[f32]) -> Vec<i64> {
        quantize(rule, &[f32_tensor("y", &[v.len() as u64], v)]).unwrap()[0].values.clone()
    }

    #[test]
    fn fixed_point_special_values() {
        let r = fp(3, Rounding::HalfEven);
        let got = q1(&r, &[f32::NAN, -f32::NAN, f32::INFINITY, f32::NEG_INFINITY, -0.0, 0.0, -0.0001, 1.0]);
        assert_eq!(got, vec![NAN_SENTINEL, NAN_SENTINEL, POS_INF_SENTINEL, NEG_INF_SENTINEL, 0, 0, 0, 1000]);
        // NaN with a payload is still the one sentinel.
        let payload = f32::from_bits(0x7fc0_1234);
        assert!(payload.is_nan());
        assert_eq!(q1(&r, &[payload]), vec![NAN_SENTINEL]);
    }

    #[test]
    fn fixed_point_saturates_without_touching_sentinels() {
        let r = fp(18, Rounding::HalfEven);
        assert_eq!(q1(&r, &[f32::MAX, -f32::MAX, 9.3, -9.3]), vec![MAX_FINITE, MIN_FINITE, MAX_FINITE, MIN_FINITE]);
        assert_eq!(fixed_point(1e300, 1.0, Rounding::Floor), MAX_FINITE);
        assert_eq!(fixed_point(-1e300, 1.0, Rounding::Floor), MIN_FINITE);
        // Largest exactly representable values below the bound convert exactly.
        assert_eq!(fixed_point(9.0e18, 1.0, Rounding::Floor), 9_000_000_000_000_000_000);
    }

    #[test]
    fn rounding_ties() {
        let v = [0.5f32, 1.5, 2.5, -0.5, -1.5, -2.5, 2.4, -2.6];
        assert_eq!(q1(&fp(0, Rounding::HalfEven), &v), vec![0, 2, 2, 0, -2, -2, 2, -3]);
        assert_eq!(q1(&fp(0, Rounding::HalfAwayFromZero), &v), vec![1, 2, 3, -1, -2, -3, 2, -3]);
        assert_eq!(q1(&fp(0, Rounding::Floor), &v), vec![0, 1, 2, -1, -2, -3, 2, -3]);
        // 0.125 * 100 = 12.5 exactly: a real tie after scaling.
        assert_eq!(q1(&fp(2, Rounding::HalfEven), &[0.125, 0.375]), vec![12, 38]);
        assert_eq!(q1(&fp(2, Rounding::HalfAwayFromZero), &[0.125, -0.125]), vec![13, -13]);
    }

    #[test]
    fn f32_is_widened_not_reparsed() {
        // 0.1f32 is 0.100000001490116…; at 9 digits that shows.
        assert_eq!(q1(&fp(9, Rounding::HalfEven), &[0.1]), vec![100_000_001]);
        let t = OutputTensor { name: "d".into(), shape: vec![1], values: Values::F64(vec![0.1]) };
        assert_eq!(quantize(&fp(9, Rounding::HalfEven), &[t]).unwrap()[0].values, vec![100_000_000]);
    }

    #[test]
    fn argmax_and_top_k() {
        let t = f32_tensor("p", &[2, 4], &[0.1, 0.7, 0.7, 0.2, -0.0, 0.0, f32::NAN, f32::INFINITY]);
        let a = quantize(&QuantRule::Argmax, core::slice::from_ref(&t)).unwrap();
        assert_eq!(a[0].shape, vec![2]);
        // Tie 0.7/0.7 goes to the lower index; NaN ranks above +inf.
        assert_eq!(a[0].values, vec![1, 2]);
        let k = quantize(&QuantRule::TopK { k: 3 }, &[t]).unwrap();
        assert_eq!(k[0].shape, vec![2, 3]);
        // -0.0 and +0.0 are equal, so index order decides between them.
        assert_eq!(k[0].values, vec![1, 2, 3, 2, 3, 0]);
    }

    #[test]
    fn ranking_errors() {
        let scalar = f32_tensor("s", &[], &[1.0]);
        assert_eq!(quantize(&QuantRule::Argmax, core::slice::from_ref(&scalar)), Err(QuantError::NoAxis { tensor: "s".into() }));
        let empty = f32_tensor("e", &[3, 0], &[]);
        assert!(matches!(quantize(&QuantRule::Argmax, &[empty]), Err(QuantError::NoAxis { .. })));
        let t = f32_tensor("p", &[2], &[1.0, 2.0]);
        assert!(matches!(quantize(&QuantRule::TopK { k: 3 }, core::slice::from_ref(&t)), Err(QuantError::KTooLarge { .. })));
        assert!(matches!(quantize(&QuantRule::TopK { k: 0 }, &[t]), Err(QuantError::InvalidRule(_))));
        assert!(matches!(quantize(&fp(19, Rounding::Floor), &[]), Err(QuantError::InvalidRule(_))));
    }

    #[test]
    fn integers_are_exact_under_every_rule() {
        let ints = [
            OutputTensor { name: "l".into(), shape: vec![3], values: Values::I64(vec![i64::MIN, -1, i64::MAX]) },
            OutputTensor { name: "b".into(), shape: vec![2], values: Values::Bool(vec![true, false]) },
            OutputTensor { name: "u".into(), shape: vec![1], values: Values::U8(vec![255]) },
        ];
        for rule in [QuantRule::Exact, QuantRule::Argmax, QuantRule::TopK { k: 1 }, fp(4, Rounding::Floor)] {
            let q = quantize(&rule, &ints).unwrap();
            assert_eq!(q[0].values, vec![i64::MIN, -1, i64::MAX]);
            assert_eq!(q[1].values, vec![1, 0]);
            assert_eq!(q[2].values, vec![255]);
            assert_eq!(q[2].source, ElemType::Uint8);
        }
        let big = OutputTensor { name: "u".into(), shape: vec![1], values: Values::U64(vec![u64::MAX]) };
        assert!(matches!(quantize(&QuantRule::Exact, &[big]), Err(QuantError::Uint64Overflow { .. })));
        let float = f32_tensor("f", &[1], &[1.0]);
        assert_eq!(quantize(&QuantRule::Exact, &[float]), Err(QuantError::FloatUnderExact { tensor: "f".into() }));
    }

    #[test]
    fn shape_must_match_values() {
        let t = f32_tensor("y", &[2, 2], &[1.0, 2.0, 3.0]);
        assert!(matches!(quantize(&QuantRule::Argmax, &[t]), Err(QuantError::ShapeMismatch { expected: 4, actual: 3, .. })));
    }

    #[test]
    fn encoding_layout_is_the_documented_one() {
        let q = vec![QuantizedTensor { name: "y".into(), source: ElemType::Float32, shape: vec![2], values: vec![1, -2] }];
        let rule = fp(3, Rounding::HalfAwayFromZero);
        let enc = canonical_encoding(&rule, &q);
        let mut want = Vec::new();
        want.extend_from_slice(&16u32.to_le_bytes());
        want.extend_from_slice(b"venice-output/v1");
        want.extend_from_slice(&14u32.to_le_bytes());
        want.extend_from_slice(b"fixed-point/v1");
        want.extend_from_slice(&[3, 1]);
        want.extend_from_slice(&1u32.to_le_bytes());
        want.extend_from_slice(&1u32.to_le_bytes());
        want.extend_from_slice(b"y");
        want.push(1);
        want.extend_from_slice(&1u32.to_le_bytes());
        want.extend_from_slice(&2u64.to_le_bytes());
        want.extend_from_slice(&2u64.to_le_bytes());
        want.extend_from_slice(&1i64.to_le_bytes());
        want.extend_from_slice(&(-2i64).to_le_bytes());
        assert_eq!(enc, want);
        let h: [u8; 32] = Sha256::digest(&want).into();
        assert_eq!(output_hash(&rule, &q), h);
    }

    #[test]
    fn hash_separates_rule_parameters_names_and_order() {
        let a = f32_tensor("a", &[1], &[0.5]);
        let b = f32_tensor("b", &[1], &[0.25]);
        let h = |rule: &QuantRule, ts: &[OutputTensor]| quantize_and_hash(rule, ts).unwrap().1;
        let base = h(&fp(2, Rounding::HalfEven), &[a.clone(), b.clone()]);
        assert_eq!(base, h(&fp(2, Rounding::HalfEven), &[a.clone(), b.clone()]));
        assert_ne!(base, h(&fp(3, Rounding::HalfEven), &[a.clone(), b.clone()]));
        assert_ne!(base, h(&fp(2, Rounding::Floor), &[a.clone(), b.clone()]));
        assert_ne!(base, h(&fp(2, Rounding::HalfEven), &[b.clone(), a.clone()]));
        let renamed = f32_tensor("c", &[1], &[0.5]);
        assert_ne!(base, h(&fp(2, Rounding::HalfEven), &[renamed, b.clone()]));
        // Same numbers as f64 differ in source dtype, so in the hash.
        let a64 = OutputTensor { name: "a".into(), shape: vec![1], values: Values::F64(vec![0.5]) };
        assert_ne!(base, h(&fp(2, Rounding::HalfEven), &[a64, b]));
    }

    #[test]
    fn elem_type_names_round_trip() {
        for t in [
            ElemType::Float32,
            ElemType::Float64,
            ElemType::Int8,
            ElemType::Int16,
            ElemType::Int32,
            ElemType::Int64,
            ElemType::Uint8,
            ElemType::Uint16,
            ElemType::Uint32,
            ElemType::Uint64,
            ElemType::Bool,
        ] {
            assert_eq!(ElemType::from_name(t.name()), Some(t));
        }
        assert_eq!(ElemType::from_name("string"), None);
    }
}
