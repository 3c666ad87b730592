//! Tensors on the wire (little-endian bytes) and in JSON (the CLI's files),
//! and the conversions between them. The conversions to and from ONNX
//! Runtime's values live in the server (`venice_sidecar::tensor`): this crate
//! must not depend on ONNX Runtime.

use serde_json::{Value as Json, json};
use venice_model_types::quant::{ElemType, Values};

use crate::{ClientError, pb};

/// An input tensor as received: dtype, shape and packed little-endian bytes.
#[derive(Clone, Debug, PartialEq)]
pub struct HostTensor {
    pub name: String,
    pub dtype: ElemType,
    pub shape: Vec<i64>,
    pub data: Vec<u8>,
}

impl HostTensor {
    /// Number of elements the shape holds (`None` on a negative dim or overflow).
    pub fn element_count(&self) -> Option<usize> {
        self.shape.iter().try_fold(1usize, |acc, d| usize::try_from(*d).ok().and_then(|d| acc.checked_mul(d)))
    }

    pub fn from_pb(t: pb::Tensor) -> Result<Self, ClientError> {
        let dtype = ElemType::from_name(&t.dtype).ok_or_else(|| ClientError::input(&t.name, format!("unknown dtype `{}`", t.dtype)))?;
        Ok(HostTensor { name: t.name, dtype, shape: t.shape, data: t.data })
    }

    pub fn to_pb(&self) -> pb::Tensor {
        pb::Tensor { name: self.name.clone(), dtype: self.dtype.name().into(), shape: self.shape.clone(), data: self.data.clone() }
    }

    /// From the JSON form `{"dtype": "float32", "shape": [1, 64], "data": [...]}`.
    pub fn from_json(name: &str, v: &Json) -> Result<Self, ClientError> {
        let bad = |why: String| ClientError::input(name, why);
        let dtype_name = v.get("dtype").and_then(Json::as_str).ok_or_else(|| bad("missing \"dtype\"".into()))?;
        let dtype = ElemType::from_name(dtype_name).ok_or_else(|| bad(format!("unknown dtype `{dtype_name}`")))?;
        let shape = v
            .get("shape")
            .and_then(Json::as_array)
            .ok_or_else(|| bad("missing \"shape\" array".into()))?
            .iter()
            .map(|d| d.as_i64().filter(|d| *d >= 0).ok_or_else(|| bad(format!("bad dimension {d}"))))
            .collect::<Result<Vec<_>, _>>()?;
        let data = v.get("data").and_then(Json::as_array).ok_or_else(|| bad("missing \"data\" array".into()))?;
        let mut bytes = Vec::with_capacity(data.len() * dtype.size());
        for (i, x) in data.iter().enumerate() {
            let at = |what: &str| bad(format!("data[{i}] = {x} is not {what}"));
            macro_rules! int {
                ($t:ty) => {{
                    let n = x.as_i64().map(i128::from).or_else(|| x.as_u64().map(i128::from)).ok_or_else(|| at("an integer"))?;
                    let n = <$t>::try_from(n).map_err(|_| at(concat!("in range of ", stringify!($t))))?;
                    bytes.extend_from_slice(&n.to_le_bytes());
                }};
            }
            match dtype {
                ElemType::Float32 => bytes.extend_from_slice(&(x.as_f64().ok_or_else(|| at("a number"))? as f32).to_le_bytes()),
                ElemType::Float64 => bytes.extend_from_slice(&x.as_f64().ok_or_else(|| at("a number"))?.to_le_bytes()),
                ElemType::Int8 => int!(i8),
                ElemType::Int16 => int!(i16),
                ElemType::Int32 => int!(i32),
                ElemType::Int64 => int!(i64),
                ElemType::Uint8 => int!(u8),
                ElemType::Uint16 => int!(u16),
                ElemType::Uint32 => int!(u32),
                ElemType::Uint64 => int!(u64),
                ElemType::Bool => bytes.push(match x {
                    Json::Bool(b) => u8::from(*b),
                    Json::Number(n) if n.as_u64() == Some(0) || n.as_u64() == Some(1) => n.as_u64().unwrap_or(0) as u8,
                    _ => return Err(at("a boolean")),
                }),
            }
        }
        Ok(HostTensor { name: name.into(), dtype, shape, data: bytes })
    }

    /// Decodes the bytes into typed values (length must be a whole number of elements).
    pub fn values(&self) -> Result<Values, ClientError> {
        decode(&self.name, self.dtype, &self.data)
    }

    /// Rejects NaN and infinities: ONNX Runtime runs them without complaint and
    /// the result is then garbage that validators would still "agree" on.
    pub fn check_finite(&self) -> Result<(), ClientError> {
        // On the bytes in place: no decoded copy of a possibly large input.
        let bad = |i: usize, x: f64| ClientError::input(&self.name, format!("element {i} is {x}: inputs must be finite"));
        match self.dtype {
            ElemType::Float32 => {
                let mut it = self.data.chunks_exact(4).map(|c| f32::from_le_bytes(c.try_into().expect("chunk size")));
                match it.position(|x| !x.is_finite()) {
                    Some(i) => Err(bad(i, f64::from(f32::from_le_bytes(self.data[i * 4..i * 4 + 4].try_into().expect("4 bytes"))))),
                    None => Ok(()),
                }
            }
            ElemType::Float64 => {
                let mut it = self.data.chunks_exact(8).map(|c| f64::from_le_bytes(c.try_into().expect("chunk size")));
                match it.position(|x| !x.is_finite()) {
                    Some(i) => Err(bad(i, f64::from_le_bytes(self.data[i * 8..i * 8 + 8].try_into().expect("8 bytes")))),
                    None => Ok(()),
                }
            }
            // Checked here too so that a bad bool is refused before queueing.
            ElemType::Bool => match self.data.iter().position(|b| *b > 1) {
                Some(i) => Err(ClientError::input(&self.name, format!("bool element {i} is {}, not 0 or 1", self.data[i]))),
                None => Ok(()),
            },
            _ => Ok(()),
        }
    }
}

/// Decodes packed little-endian bytes of `dtype`.
pub fn decode(name: &str, dtype: ElemType, data: &[u8]) -> Result<Values, ClientError> {
    let size = dtype.size();
    if !data.len().is_multiple_of(size) {
        return Err(ClientError::input(name, format!("{} bytes is not a whole number of {} elements", data.len(), dtype.name())));
    }
    macro_rules! le {
        ($t:ty) => {
            data.chunks_exact(size).map(|c| <$t>::from_le_bytes(c.try_into().expect("chunk size"))).collect()
        };
    }
    Ok(match dtype {
        ElemType::Float32 => Values::F32(le!(f32)),
        ElemType::Float64 => Values::F64(le!(f64)),
        ElemType::Int8 => Values::I8(le!(i8)),
        ElemType::Int16 => Values::I16(le!(i16)),
        ElemType::Int32 => Values::I32(le!(i32)),
        ElemType::Int64 => Values::I64(le!(i64)),
        ElemType::Uint8 => Values::U8(data.to_vec()),
        ElemType::Uint16 => Values::U16(le!(u16)),
        ElemType::Uint32 => Values::U32(le!(u32)),
        ElemType::Uint64 => Values::U64(le!(u64)),
        ElemType::Bool => {
            if let Some(i) = data.iter().position(|b| *b > 1) {
                return Err(ClientError::input(name, format!("bool element {i} is {}, not 0 or 1", data[i])));
            }
            Values::Bool(data.iter().map(|b| *b == 1).collect())
        }
    })
}

/// Packs values as little-endian bytes (the wire form).
pub fn encode(values: &Values) -> Vec<u8> {
    macro_rules! le {
        ($v:expr) => {
            $v.iter().flat_map(|x| x.to_le_bytes()).collect()
        };
    }
    match values {
        Values::F32(v) => le!(v),
        Values::F64(v) => le!(v),
        Values::I8(v) => le!(v),
        Values::I16(v) => le!(v),
        Values::I32(v) => le!(v),
        Values::I64(v) => le!(v),
        Values::U8(v) => v.clone(),
        Values::U16(v) => le!(v),
        Values::U32(v) => le!(v),
        Values::U64(v) => le!(v),
        Values::Bool(v) => v.iter().map(|b| u8::from(*b)).collect(),
    }
}

/// JSON array of the values (non-finite floats become `null`).
pub fn values_json(values: &Values) -> Json {
    match values {
        Values::F32(v) => json!(v),
        Values::F64(v) => json!(v),
        Values::I8(v) => json!(v),
        Values::I16(v) => json!(v),
        Values::I32(v) => json!(v),
        Values::I64(v) => json!(v),
        Values::U8(v) => json!(v),
        Values::U16(v) => json!(v),
        Values::U32(v) => json!(v),
        Values::U64(v) => json!(v),
        Values::Bool(v) => json!(v),
    }
}

/// JSON form of a wire tensor (for the CLI's `run` output).
pub fn pb_json(t: &pb::Tensor) -> Result<Json, ClientError> {
    let dtype = ElemType::from_name(&t.dtype)
        .ok_or_else(|| ClientError::Output { name: t.name.clone(), reason: format!("unknown dtype {}", t.dtype) })?;
    let values = decode(&t.name, dtype, &t.data)?;
    Ok(json!({"dtype": t.dtype, "shape": t.shape, "data": values_json(&values)}))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_to_bytes_and_back() {
        let t = HostTensor::from_json("x", &json!({"dtype": "float32", "shape": [1, 2], "data": [0.5, -1]})).unwrap();
        assert_eq!(t.data, [0.5f32.to_le_bytes(), (-1.0f32).to_le_bytes()].concat());
        assert_eq!(t.values().unwrap(), Values::F32(vec![0.5, -1.0]));
        let p = pb_json(&t.to_pb()).unwrap();
        assert_eq!(p, json!({"dtype": "float32", "shape": [1, 2], "data": [0.5, -1.0]}));
    }

    #[test]
    fn json_errors_name_the_input_and_element() {
        let e = HostTensor::from_json("tokens", &json!({"dtype": "int8", "shape": [2], "data": [1, 300]})).unwrap_err();
        assert_eq!(e.to_string(), "input `tokens`: data[1] = 300 is not in range of i8");
        let e = HostTensor::from_json("x", &json!({"dtype": "complex", "shape": [1], "data": [1]})).unwrap_err();
        assert!(e.to_string().contains("unknown dtype `complex`"));
        let e = HostTensor::from_json("x", &json!({"dtype": "int64", "shape": [-1], "data": []})).unwrap_err();
        assert!(e.to_string().contains("bad dimension -1"));
    }

    #[test]
    fn non_finite_inputs_are_refused() {
        let mut t = HostTensor::from_json("x", &json!({"dtype": "float32", "shape": [2], "data": [1, 2]})).unwrap();
        assert!(t.check_finite().is_ok());
        t.data[4..8].copy_from_slice(&f32::NAN.to_le_bytes());
        assert_eq!(t.check_finite().unwrap_err().to_string(), "input `x`: element 1 is NaN: inputs must be finite");
        let mut d = HostTensor::from_json("d", &json!({"dtype": "float64", "shape": [3], "data": [1, 2, 3]})).unwrap();
        assert!(d.check_finite().is_ok());
        d.data[16..24].copy_from_slice(&f64::NEG_INFINITY.to_le_bytes());
        assert_eq!(d.check_finite().unwrap_err().to_string(), "input `d`: element 2 is -inf: inputs must be finite");
        let mut b = HostTensor::from_json("b", &json!({"dtype": "bool", "shape": [2], "data": [true, false]})).unwrap();
        assert!(b.check_finite().is_ok());
        b.data[1] = 7;
        assert_eq!(b.check_finite().unwrap_err().to_string(), "input `b`: bool element 1 is 7, not 0 or 1");
    }

    #[test]
    fn bytes_must_be_whole_elements() {
        assert!(decode("x", ElemType::Int32, &[0, 0, 0]).is_err());
        assert!(decode("b", ElemType::Bool, &[0, 2]).is_err());
        for v in [Values::I16(vec![-3, 7]), Values::U64(vec![u64::MAX]), Values::Bool(vec![true, false])] {
            assert_eq!(decode("v", v.elem_type(), &encode(&v)).unwrap(), v);
        }
    }
}
