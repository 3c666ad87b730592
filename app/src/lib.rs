//! `veniced`: the Venice chain's ABCI 2.0 application.
//!
//! This crate only wires things together: it routes ABCI calls, messages and
//! queries to the modules and commits the store. Business rules live in the
//! modules (`modules/*`); state access rules in `venice-sdk`.

/// Every binary linking the app (veniced, its tests and benches) allocates
/// with mimalloc: see the workspace manifest for why.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

pub mod abci;
pub mod app;
pub mod chain_info;
pub mod comet;
pub mod config;
pub mod descriptors;
pub mod exec;
pub mod executor;
pub mod export;
pub mod genesis;
pub mod gentx;
pub mod genutil;
pub mod grpc;
pub mod home;
pub mod inference_keepers;
pub mod invariants;
pub mod metrics;
pub mod modules;
pub mod node;
pub mod query;
pub mod rest;
pub mod services;
pub mod snapshots;
pub mod statesync;
pub mod tokenomics;
pub mod upgrades;

pub use app::App;
pub use config::AppConfig;
pub use modules::Modules;
