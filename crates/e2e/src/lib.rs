//! Harness for Venice's end-to-end tests: a real CometBFT node and a real
//! `veniced` on loopback ports, driven through CometBFT's RPC, the `venice`
//! CLI and raw transactions. Only 127.0.0.1 is ever contacted.

pub mod chain;
pub mod cli;
pub mod http;
pub mod localnet;
pub mod rpc;
pub mod sidecar;
pub mod tx;

pub use chain::{Bins, Chain, DENOM, free_port, free_port_base, stdout_json, wait_for};
pub use cli::Cli;
pub use rpc::{Rpc, RpcError};
