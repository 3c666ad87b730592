//! The protobuf descriptor set veniced was built with (Cosmos SDK, wasmd and
//! Venice's own .proto files, with their `google.api.http` annotations; see
//! `scripts/install-protos.sh` and `build.rs`). The REST gateway's routes
//! and JSON, gRPC reflection and the OpenAPI document all read it, so they
//! describe the very services `services.rs` answers.

use std::sync::OnceLock;

use prost_reflect::DescriptorPool;

pub static FILE_DESCRIPTOR_SET: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/descriptors.binpb"));

/// The decoded set, built once.
pub fn pool() -> &'static DescriptorPool {
    static POOL: OnceLock<DescriptorPool> = OnceLock::new();
    POOL.get_or_init(|| DescriptorPool::decode(FILE_DESCRIPTOR_SET).expect("the embedded descriptor set was checked by build.rs"))
}
