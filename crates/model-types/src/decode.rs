//! The inverse of [`crate::quant::canonical_encoding`]: reads the canonical
//! output bytes (`venice-output/v1`) a result carries on chain back into the
//! rule and the quantised tensors, so that a client can show a finalised
//! result as the sidecar printed it. Strict: any byte left over, a length
//! past the end, an unknown rule id, rounding or dtype code is an error, so
//! that `canonical_encoding(decode(b)) == b` for every accepted `b`.

use alloc::{format, string::String, vec::Vec};

use crate::quant::{ElemType, QuantizedTensor, ENCODING_TAG};
use crate::rule::{QuantRule, Rounding};

/// Why bytes are not a canonical output encoding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodeError(pub String);

impl core::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "not a venice-output/v1 encoding: {}", self.0)
    }
}

impl core::error::Error for DecodeError {}

impl ElemType {
    /// Inverse of [`ElemType::onnx_code`].
    pub fn from_onnx_code(code: u8) -> Option<Self> {
        Some(match code {
            1 => ElemType::Float32,
            2 => ElemType::Uint8,
            3 => ElemType::Int8,
            4 => ElemType::Uint16,
            5 => ElemType::Int16,
            6 => ElemType::Int32,
            7 => ElemType::Int64,
            9 => ElemType::Bool,
            11 => ElemType::Float64,
            12 => ElemType::Uint32,
            13 => ElemType::Uint64,
            _ => return None,
        })
    }
}

struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize, what: &str) -> Result<&'a [u8], DecodeError> {
        if self.rest.len() < n {
            return Err(DecodeError(format!("{what}: {n} bytes wanted, {} left", self.rest.len())));
        }
        let (head, tail) = self.rest.split_at(n);
        self.rest = tail;
        Ok(head)
    }
    fn u8(&mut self, what: &str) -> Result<u8, DecodeError> {
        Ok(self.take(1, what)?[0])
    }
    fn u32(&mut self, what: &str) -> Result<u32, DecodeError> {
        Ok(u32::from_le_bytes(self.take(4, what)?.try_into().expect("4 bytes")))
    }
    fn u64(&mut self, what: &str) -> Result<u64, DecodeError> {
        Ok(u64::from_le_bytes(self.take(8, what)?.try_into().expect("8 bytes")))
    }
    fn str(&mut self, what: &str) -> Result<String, DecodeError> {
        let n = self.u32(what)? as usize;
        let b = self.take(n, what)?;
        String::from_utf8(b.to_vec()).map_err(|_| DecodeError(format!("{what}: not UTF-8")))
    }
    /// A count of items at least `item_size` bytes each: refused when the
    /// rest cannot hold them (no allocation sized by untrusted input).
    fn count(&mut self, n: u64, item_size: usize, what: &str) -> Result<usize, DecodeError> {
        match usize::try_from(n).ok().and_then(|n| n.checked_mul(item_size).map(|b| (n, b))) {
            Some((n, bytes)) if bytes <= self.rest.len() => Ok(n),
            _ => Err(DecodeError(format!("{what}: {n} items do not fit in {} bytes", self.rest.len()))),
        }
    }
}

/// Reads canonical output bytes back into the rule and the tensors.
pub fn decode_canonical(bytes: &[u8]) -> Result<(QuantRule, Vec<QuantizedTensor>), DecodeError> {
    let mut r = Reader { rest: bytes };
    let tag = r.str("format tag")?;
    if tag != ENCODING_TAG {
        return Err(DecodeError(format!("format tag {tag:?}")));
    }
    let rule = match r.str("rule id")?.as_str() {
        "exact/v1" => QuantRule::Exact,
        "argmax/v1" => QuantRule::Argmax,
        "fixed-point/v1" => {
            let scale_exp = r.u8("scale_exp")?;
            let rounding = match r.u8("rounding")? {
                0 => Rounding::HalfEven,
                1 => Rounding::HalfAwayFromZero,
                2 => Rounding::Floor,
                other => return Err(DecodeError(format!("rounding mode {other}"))),
            };
            QuantRule::FixedPoint { scale_exp, rounding }
        }
        "top-k/v1" => QuantRule::TopK { k: r.u32("k")? },
        other => return Err(DecodeError(format!("rule id {other:?}"))),
    };
    let n = r.u32("tensor count")?;
    // Each tensor takes at least 4 + 1 + 4 + 8 bytes.
    let n = r.count(u64::from(n), 17, "tensors")?;
    let mut tensors = Vec::with_capacity(n);
    for _ in 0..n {
        let name = r.str("tensor name")?;
        let code = r.u8("dtype")?;
        let source = ElemType::from_onnx_code(code).ok_or_else(|| DecodeError(format!("tensor `{name}`: dtype code {code}")))?;
        let rank = r.u32("rank")?;
        let rank = r.count(u64::from(rank), 8, "shape")?;
        let shape = (0..rank).map(|_| r.u64("dimension")).collect::<Result<Vec<_>, _>>()?;
        let len = r.u64("value count")?;
        let len = r.count(len, 8, "values")?;
        let values = (0..len).map(|_| r.u64("value").map(|v| v as i64)).collect::<Result<Vec<_>, _>>()?;
        tensors.push(QuantizedTensor { name, source, shape, values });
    }
    if !r.rest.is_empty() {
        return Err(DecodeError(format!("{} bytes after the last tensor", r.rest.len())));
    }
    Ok((rule, tensors))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quant::{canonical_encoding, quantize, OutputTensor, Values};
    use alloc::{string::ToString, vec};

    fn sample() -> (QuantRule, Vec<QuantizedTensor>) {
        let rule = QuantRule::FixedPoint { scale_exp: 4, rounding: Rounding::HalfEven };
        let outs = [
            OutputTensor { name: "label".into(), shape: vec![1], values: Values::I64(vec![4]) },
            OutputTensor { name: "probabilities".into(), shape: vec![1, 3], values: Values::F32(vec![0.25, -0.5, f32::NAN]) },
        ];
        let q = quantize(&rule, &outs).unwrap();
        (rule, q)
    }

    #[test]
    fn round_trips_every_rule() {
        let (_, q) = sample();
        for rule in [
            QuantRule::Exact,
            QuantRule::Argmax,
            QuantRule::TopK { k: 7 },
            QuantRule::FixedPoint { scale_exp: 4, rounding: Rounding::HalfEven },
            QuantRule::FixedPoint { scale_exp: 18, rounding: Rounding::Floor },
        ] {
            let bytes = canonical_encoding(&rule, &q);
            let (r2, q2) = decode_canonical(&bytes).unwrap();
            assert_eq!((&r2, &q2), (&rule, &q));
            assert_eq!(canonical_encoding(&r2, &q2), bytes);
        }
        let (r, q) = decode_canonical(&canonical_encoding(&QuantRule::Argmax, &[])).unwrap();
        assert_eq!((r, q.len()), (QuantRule::Argmax, 0));
    }

    #[test]
    fn values_and_types_come_back() {
        let (rule, q) = sample();
        let (_, back) = decode_canonical(&canonical_encoding(&rule, &q)).unwrap();
        assert_eq!(back[0].source, ElemType::Int64);
        assert_eq!(back[1].source, ElemType::Float32);
        assert_eq!(back[1].shape, vec![1, 3]);
        assert_eq!(back[1].values, vec![2500, -5000, i64::MIN]);
    }

    #[test]
    fn refuses_truncated_padded_and_unknown() {
        let (rule, q) = sample();
        let bytes = canonical_encoding(&rule, &q);
        for cut in [0, 3, 20, bytes.len() - 1] {
            assert!(decode_canonical(&bytes[..cut]).is_err(), "cut at {cut}");
        }
        let mut padded = bytes.clone();
        padded.push(0);
        assert!(decode_canonical(&padded).unwrap_err().to_string().contains("after the last tensor"));
        // A dtype code that no ElemType has (8 = ONNX string).
        let mut bad = canonical_encoding(&QuantRule::Argmax, &q[..1]);
        let at = 4 + ENCODING_TAG.len() + 4 + "argmax/v1".len() + 4 + 4 + "label".len();
        assert_eq!(bad[at], 7);
        bad[at] = 8;
        assert!(decode_canonical(&bad).unwrap_err().to_string().contains("dtype code 8"));
        // A value count far beyond the bytes present is refused, not allocated.
        let mut huge = canonical_encoding(&QuantRule::Argmax, &q[..1]);
        let len_at = huge.len() - 8 - 8;
        huge[len_at..len_at + 8].copy_from_slice(&u64::MAX.to_le_bytes());
        assert!(decode_canonical(&huge).is_err());
        let mut tag = bytes;
        tag[4] = b'w';
        assert!(decode_canonical(&tag).unwrap_err().to_string().contains("format tag"));
    }

    #[test]
    fn onnx_codes_round_trip() {
        for code in 0..=255u8 {
            if let Some(t) = ElemType::from_onnx_code(code) {
                assert_eq!(t.onnx_code(), code);
            }
        }
        assert_eq!(ElemType::from_onnx_code(8), None);
    }
}
