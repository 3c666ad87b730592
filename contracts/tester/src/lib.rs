//! `tester`: a CosmWasm contract that does on request what a hostile or
//! careless contract might do, so that the chain's wasm module can be tested
//! against it. The messages are in [`msg`]; the agreed interface is in the
//! project notes ("The `tester` contract").
//!
//! Storage is written raw (UTF-8 keys and values), so tests can read it back
//! with a raw-state query without knowing any encoding.

pub mod contract;
pub mod msg;

pub use contract::ContractError;
