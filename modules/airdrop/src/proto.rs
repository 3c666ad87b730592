//! `venice.airdrop.v1` messages: defined in venice-types (the CLI builds
//! them too), re-exported here.

pub use venice_types::airdrop::*;
