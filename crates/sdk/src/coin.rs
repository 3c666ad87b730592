//! Coins live in venice-types (shared with the CLI); re-exported here at
//! their old paths.

pub use venice_types::coin::*;
