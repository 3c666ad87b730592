//! Writes the JSON schema of the contract's messages to ./schema (see
//! `make contracts-schema`), for clients and indexers.

use cosmwasm_schema::write_api;
use compute_credit::msg::{ExecuteMsg, InstantiateMsg, MigrateMsg, QueryMsg};

fn main() {
    write_api! {
        instantiate: InstantiateMsg,
        execute: ExecuteMsg,
        query: QueryMsg,
        migrate: MigrateMsg,
    }
}
