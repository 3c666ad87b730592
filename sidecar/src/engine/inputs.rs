//! Input checks against the model's schema, before a run is queued: a bad
//! request is refused with the input's name, never run.

use super::TensorSpec;
use crate::SidecarError;
use crate::tensor::HostTensor;

/// Checks inputs against the model's schema; every error names the input.
pub fn check_inputs(spec: &[TensorSpec], inputs: &[HostTensor], max_bytes: usize) -> Result<(), SidecarError> {
    let total: usize = inputs.iter().map(|t| t.data.len()).sum();
    if total > max_bytes {
        return Err(SidecarError::InputTooLarge { size: total, limit: max_bytes });
    }
    let names = || spec.iter().map(|s| s.name.as_str()).collect::<Vec<_>>().join(", ");
    for (i, t) in inputs.iter().enumerate() {
        if inputs[..i].iter().any(|o| o.name == t.name) {
            return Err(SidecarError::input(&t.name, "given more than once"));
        }
        if !spec.iter().any(|s| s.name == t.name) {
            return Err(SidecarError::input(&t.name, format!("the model has no such input (inputs: {})", names())));
        }
    }
    for s in spec {
        let t = inputs
            .iter()
            .find(|t| t.name == s.name)
            .ok_or_else(|| SidecarError::input(&s.name, format!("missing (the model needs {})", names())))?;
        if t.dtype != s.dtype {
            return Err(SidecarError::input(&s.name, format!("dtype {} but the model expects {}", t.dtype.name(), s.dtype.name())));
        }
        if t.shape.len() != s.shape.len() {
            return Err(SidecarError::input(
                &s.name,
                format!("shape {:?} has rank {} but the model expects rank {} ({:?})", t.shape, t.shape.len(), s.shape.len(), s.shape),
            ));
        }
        for (axis, (&got, &want)) in t.shape.iter().zip(&s.shape).enumerate() {
            if got <= 0 {
                return Err(SidecarError::input(
                    &s.name,
                    format!("shape {:?}: dimension {axis} is {got}; empty tensors are refused", t.shape),
                ));
            }
            if want >= 0 && got != want {
                return Err(SidecarError::input(
                    &s.name,
                    format!("shape {:?}: dimension {axis} is {got} but the model expects {want} ({:?})", t.shape, s.shape),
                ));
            }
        }
        let count = t.element_count().ok_or_else(|| SidecarError::input(&s.name, "shape overflows"))?;
        let need = count.checked_mul(t.dtype.size()).ok_or_else(|| SidecarError::input(&s.name, "shape overflows"))?;
        if t.data.len() != need {
            return Err(SidecarError::input(
                &s.name,
                format!("{} bytes of data but shape {:?} of {} needs {need}", t.data.len(), t.shape, t.dtype.name()),
            ));
        }
        t.check_finite()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use venice_model_types::quant::ElemType;

    fn spec() -> Vec<TensorSpec> {
        vec![TensorSpec { name: "input".into(), dtype: ElemType::Float32, shape: vec![-1, 4] }]
    }

    fn t(name: &str, dtype: ElemType, shape: Vec<i64>, n: usize) -> HostTensor {
        HostTensor { name: name.into(), dtype, shape, data: vec![0; n * dtype.size()] }
    }

    #[test]
    fn schema_checks_name_the_input() {
        let s = spec();
        assert!(check_inputs(&s, &[t("input", ElemType::Float32, vec![2, 4], 8)], 1 << 20).is_ok());
        let err = |inputs: &[HostTensor]| check_inputs(&s, inputs, 1 << 20).unwrap_err().to_string();
        assert_eq!(err(&[t("x", ElemType::Float32, vec![1, 4], 4)]), "input `x`: the model has no such input (inputs: input)");
        assert_eq!(err(&[]), "input `input`: missing (the model needs input)");
        assert!(err(&[t("input", ElemType::Int64, vec![1, 4], 4)]).contains("dtype int64 but the model expects float32"));
        assert!(err(&[t("input", ElemType::Float32, vec![4], 4)]).contains("rank 1 but the model expects rank 2"));
        assert!(err(&[t("input", ElemType::Float32, vec![1, 5], 5)]).contains("dimension 1 is 5 but the model expects 4"));
        assert!(err(&[t("input", ElemType::Float32, vec![0, 4], 0)]).contains("empty tensors are refused"));
        assert!(err(&[t("input", ElemType::Float32, vec![1, 4], 3)]).contains("12 bytes of data but shape [1, 4] of float32 needs 16"));
        let two = [t("input", ElemType::Float32, vec![1, 4], 4), t("input", ElemType::Float32, vec![1, 4], 4)];
        assert!(err(&two).contains("given more than once"));
        let e = check_inputs(&s, &[t("input", ElemType::Float32, vec![1000, 4], 4000)], 1000).unwrap_err();
        assert!(matches!(e, SidecarError::InputTooLarge { size: 16000, limit: 1000 }));
    }
}
