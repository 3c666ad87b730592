//! Tensors in ONNX Runtime: the conversions between its values and the
//! wire / JSON forms, which live in the client crate (re-exported here so
//! that `venice_sidecar::tensor` keeps offering both).

use ort::session::SessionInputValue;
use ort::value::{DynValue, Tensor, TensorElementType, ValueType};
use venice_model_types::quant::{ElemType, OutputTensor, Values};

pub use venice_sidecar_client::tensor::*;

use crate::SidecarError;

/// [`HostTensor`] into ONNX Runtime. A trait, not an inherent method:
/// `HostTensor` lives in the client crate, which has no ONNX Runtime.
pub trait ToOrt {
    fn to_ort(&self) -> Result<SessionInputValue<'static>, SidecarError>;
}

impl ToOrt for HostTensor {
    /// An ONNX Runtime input value owning a copy of the data.
    fn to_ort(&self) -> Result<SessionInputValue<'static>, SidecarError> {
        let shape = self.shape.clone();
        let err = |e: ort::Error| SidecarError::input(&self.name, e.to_string());
        Ok(match self.values()? {
            Values::F32(v) => Tensor::from_array((shape, v)).map_err(err)?.into(),
            Values::F64(v) => Tensor::from_array((shape, v)).map_err(err)?.into(),
            Values::I8(v) => Tensor::from_array((shape, v)).map_err(err)?.into(),
            Values::I16(v) => Tensor::from_array((shape, v)).map_err(err)?.into(),
            Values::I32(v) => Tensor::from_array((shape, v)).map_err(err)?.into(),
            Values::I64(v) => Tensor::from_array((shape, v)).map_err(err)?.into(),
            Values::U8(v) => Tensor::from_array((shape, v)).map_err(err)?.into(),
            Values::U16(v) => Tensor::from_array((shape, v)).map_err(err)?.into(),
            Values::U32(v) => Tensor::from_array((shape, v)).map_err(err)?.into(),
            Values::U64(v) => Tensor::from_array((shape, v)).map_err(err)?.into(),
            Values::Bool(v) => Tensor::from_array((shape, v)).map_err(err)?.into(),
        })
    }
}

/// Maps ONNX Runtime's element type to ours; `None` for types the sidecar
/// does not carry (strings, 16-bit and 8-bit floats, complex).
pub fn elem_type(t: TensorElementType) -> Option<ElemType> {
    Some(match t {
        TensorElementType::Float32 => ElemType::Float32,
        TensorElementType::Float64 => ElemType::Float64,
        TensorElementType::Int8 => ElemType::Int8,
        TensorElementType::Int16 => ElemType::Int16,
        TensorElementType::Int32 => ElemType::Int32,
        TensorElementType::Int64 => ElemType::Int64,
        TensorElementType::Uint8 => ElemType::Uint8,
        TensorElementType::Uint16 => ElemType::Uint16,
        TensorElementType::Uint32 => ElemType::Uint32,
        TensorElementType::Uint64 => ElemType::Uint64,
        TensorElementType::Bool => ElemType::Bool,
        _ => return None,
    })
}

/// Copies one output value out of ONNX Runtime.
pub fn extract(name: &str, value: &DynValue) -> Result<OutputTensor, SidecarError> {
    let bad = |reason: String| SidecarError::Output { name: name.into(), reason };
    let ty = match value.dtype() {
        ValueType::Tensor { ty, .. } => *ty,
        other => return Err(bad(format!("is a {other:?}, not a tensor"))),
    };
    let dtype = elem_type(ty).ok_or_else(|| bad(format!("element type {ty:?} is not supported")))?;
    macro_rules! take {
        ($t:ty, $variant:ident) => {{
            let (shape, data) = value.try_extract_tensor::<$t>().map_err(|e| bad(e.to_string()))?;
            let shape = shape
                .iter()
                .map(|d| u64::try_from(*d).map_err(|_| bad(format!("negative dimension {d}"))))
                .collect::<Result<Vec<_>, _>>()?;
            (shape, Values::$variant(data.to_vec()))
        }};
    }
    let (shape, values) = match dtype {
        ElemType::Float32 => take!(f32, F32),
        ElemType::Float64 => take!(f64, F64),
        ElemType::Int8 => take!(i8, I8),
        ElemType::Int16 => take!(i16, I16),
        ElemType::Int32 => take!(i32, I32),
        ElemType::Int64 => take!(i64, I64),
        ElemType::Uint8 => take!(u8, U8),
        ElemType::Uint16 => take!(u16, U16),
        ElemType::Uint32 => take!(u32, U32),
        ElemType::Uint64 => take!(u64, U64),
        ElemType::Bool => take!(bool, Bool),
    };
    Ok(OutputTensor { name: name.into(), shape, values })
}
