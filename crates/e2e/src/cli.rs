//! The `venice` CLI as the end-to-end tests drive it against one node:
//! signed transactions with simulated gas that must succeed, JSON queries,
//! and event attributes out of a TxResponse.

use serde_json::Value;

use crate::{Chain, stdout_json, tx::event_attrs};

pub struct Cli<'a> {
    pub chain: &'a Chain,
    /// The node's RPC URL (`--node`).
    pub node: String,
}

/// Simulated gas at the localnets' minimum gas price.
const GAS_AUTO: &[&str] = &["--gas", "auto", "--gas-adjustment", "1.5", "--gas-prices", "0.025uvvv"];

impl<'a> Cli<'a> {
    /// Against `chain`'s own node.
    pub fn new(chain: &'a Chain) -> Self {
        Cli { chain, node: chain.rpc.url() }
    }

    /// A signed `tx …` from key `from` of the test keyring, gas simulated;
    /// asserts it was accepted and ran (code 0), returns the TxResponse.
    pub fn tx(&self, args: &[&str], from: &str) -> Value {
        self.tx_with(args, from, GAS_AUTO)
    }

    /// [`Cli::tx`] with a fixed gas limit and fee instead of a simulation.
    pub fn tx_fixed(&self, args: &[&str], from: &str, gas: &str, fees: &str) -> Value {
        self.tx_with(args, from, &["--gas", gas, "--fees", fees])
    }

    /// [`Cli::tx`]'s command, its outcome unchecked: for refusals a test
    /// expects, or a `--wait` that ends in an error.
    pub fn tx_output(&self, args: &[&str], from: &str) -> std::process::Output {
        self.run_tx(args, from, GAS_AUTO)
    }

    fn run_tx(&self, args: &[&str], from: &str, fee_flags: &[&str]) -> std::process::Output {
        let mut a: Vec<&str> = args.to_vec();
        a.extend(["--from", from, "--node", &self.node, "--chain-id", &self.chain.chain_id, "--keyring-backend", "test"]);
        a.extend(fee_flags);
        a.extend(["--yes", "--output", "json"]);
        self.chain.venice(&a)
    }

    fn tx_with(&self, args: &[&str], from: &str, fee_flags: &[&str]) -> Value {
        let out = self.run_tx(args, from, fee_flags);
        assert!(out.status.success(), "venice {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
        let resp = stdout_json(&out);
        assert_eq!(resp["code"], 0, "{resp}");
        resp
    }

    /// A `query …` in JSON; asserts success.
    pub fn query(&self, args: &[&str]) -> Value {
        let mut a: Vec<&str> = args.to_vec();
        a.extend(["--node", &self.node, "--output", "json"]);
        let out = self.chain.venice(&a);
        assert!(out.status.success(), "venice {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
        stdout_json(&out)
    }

    /// The value of event attribute `ty.key` in a TxResponse.
    pub fn attr(resp: &Value, ty: &str, key: &str) -> String {
        event_attrs(&resp["events"])
            .into_iter()
            .find(|(t, k, _)| t == ty && k == key)
            .map(|(_, _, v)| v)
            .unwrap_or_else(|| panic!("no {ty}.{key} in {resp}"))
    }
}
