//! Conversions between the wire forms of a quantisation rule and of
//! quantised tensors and their `venice_model_types` definitions (the one
//! definition of each).

use venice_model_types::quant::{ElemType, QuantizedTensor};
use venice_model_types::{QuantRule, Rounding};

use crate::{ClientError, pb};

pub fn from_pb(rule: &pb::QuantRule) -> Result<QuantRule, ClientError> {
    use pb::quant_rule::Rule;
    Ok(match &rule.rule {
        None => return Err(ClientError::Request("quantisation rule has no variant set".into())),
        Some(Rule::Exact(_)) => QuantRule::Exact,
        Some(Rule::Argmax(_)) => QuantRule::Argmax,
        Some(Rule::TopK(t)) => QuantRule::TopK { k: t.k },
        Some(Rule::FixedPoint(f)) => QuantRule::FixedPoint {
            scale_exp: u8::try_from(f.scale_exp).map_err(|_| ClientError::Request(format!("scale_exp {} out of range", f.scale_exp)))?,
            rounding: match pb::Rounding::try_from(f.rounding) {
                Ok(pb::Rounding::HalfEven) => Rounding::HalfEven,
                Ok(pb::Rounding::HalfAwayFromZero) => Rounding::HalfAwayFromZero,
                Ok(pb::Rounding::Floor) => Rounding::Floor,
                Err(_) => return Err(ClientError::Request(format!("unknown rounding mode {}", f.rounding))),
            },
        },
    })
}

/// Optional wire rule (proto3 message field) to an optional rule.
pub fn from_pb_opt(rule: Option<&pb::QuantRule>) -> Result<Option<QuantRule>, ClientError> {
    rule.map(from_pb).transpose()
}

pub fn to_pb(rule: &QuantRule) -> pb::QuantRule {
    use pb::quant_rule::Rule;
    let r = match rule {
        QuantRule::Exact => Rule::Exact(pb::quant_rule::Exact {}),
        QuantRule::Argmax => Rule::Argmax(pb::quant_rule::Argmax {}),
        QuantRule::TopK { k } => Rule::TopK(pb::quant_rule::TopK { k: *k }),
        QuantRule::FixedPoint { scale_exp, rounding } => Rule::FixedPoint(pb::quant_rule::FixedPoint {
            scale_exp: u32::from(*scale_exp),
            rounding: match rounding {
                Rounding::HalfEven => pb::Rounding::HalfEven,
                Rounding::HalfAwayFromZero => pb::Rounding::HalfAwayFromZero,
                Rounding::Floor => pb::Rounding::Floor,
            } as i32,
        }),
    };
    pb::QuantRule { rule: Some(r) }
}

/// A run's quantised outputs, as the output hash covers them.
pub fn quantized_from_pb(q: &[pb::QuantizedTensor]) -> Result<Vec<QuantizedTensor>, ClientError> {
    q.iter()
        .map(|q| {
            let source = ElemType::from_name(&q.source_dtype)
                .ok_or_else(|| ClientError::Request(format!("output `{}`: dtype {:?}", q.name, q.source_dtype)))?;
            Ok(QuantizedTensor { name: q.name.clone(), source, shape: q.shape.clone(), values: q.values.clone() })
        })
        .collect()
}

pub fn quantized_to_pb(q: QuantizedTensor) -> pb::QuantizedTensor {
    pb::QuantizedTensor { name: q.name, source_dtype: q.source.name().into(), shape: q.shape, values: q.values }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        for r in [
            QuantRule::Exact,
            QuantRule::Argmax,
            QuantRule::TopK { k: 3 },
            QuantRule::FixedPoint { scale_exp: 6, rounding: Rounding::Floor },
            QuantRule::FixedPoint { scale_exp: 0, rounding: Rounding::HalfAwayFromZero },
        ] {
            assert_eq!(from_pb(&to_pb(&r)).unwrap(), r);
        }
        assert!(from_pb(&pb::QuantRule { rule: None }).is_err());
    }

    #[test]
    fn quantized_round_trip() {
        let t = QuantizedTensor { name: "p".into(), source: ElemType::Float32, shape: vec![1, 2], values: vec![3, -4] };
        let wire = quantized_to_pb(t.clone());
        assert_eq!(quantized_from_pb(std::slice::from_ref(&wire)).unwrap(), vec![t]);
        let bad = pb::QuantizedTensor { source_dtype: "string".into(), ..wire };
        assert!(quantized_from_pb(&[bad]).unwrap_err().to_string().contains("dtype"));
    }
}
