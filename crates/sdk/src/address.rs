//! Account addresses live in venice-types (one rule for the chain and the
//! CLI); re-exported here at their old paths.

pub use venice_types::address::*;
