//! Types that describe an AI model on Venice, shared by every component that
//! must agree on them: the model-NFT contract (what a publisher registers),
//! the sidecar (what it runs and hashes) and the chain's inference module
//! (what it checks). One definition, never copied.

extern crate alloc;

#[cfg(feature = "quantize")]
pub mod decode;
pub mod descriptor;
#[cfg(feature = "quantize")]
pub mod quant;
pub mod rule;
pub use descriptor::{Amount, DType, DescriptorError, ModelDescriptor, Price, TensorSpec};
pub use rule::{QuantRule, Rounding};
