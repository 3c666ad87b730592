//! Generates the `venice.sidecar.v1` gRPC types (needs `protoc`, installed by
//! the project's set-up: Debian's `protobuf-compiler`). Here only: the server
//! crate uses these (client and server stubs) through this crate.
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let proto = "../../proto/venice/sidecar/v1/sidecar.proto";
    println!("cargo:rerun-if-changed={proto}");
    tonic_build::configure().compile_protos(&[proto], &["../../proto"])?;
    Ok(())
}
