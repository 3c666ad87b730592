//! `veniced chain-info` on a node home made by `localnet/init.sh`: the
//! chain-registry files and Keplr's chain info name this chain, its
//! endpoints as the node's config has them, and VVV's units.

use std::process::Command;

use serde_json::Value;
use venice_e2e::Chain;

#[test]
fn chain_info_describes_the_node_it_runs_on() {
    let chain = Chain::init("venice-e2e-info");
    let out_dir = chain.home.join("chain-info-out");
    let out = Command::new(chain.bins.veniced())
        .args(["chain-info", "--home", chain.home_str(), "--network-type", "testnet", "--output-dir", out_dir.to_str().unwrap()])
        .output()
        .expect("run veniced chain-info");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let listed = String::from_utf8_lossy(&out.stdout);
    let read = |name: &str| -> Value {
        assert!(listed.contains(name), "{name} listed: {listed}");
        serde_json::from_slice(&std::fs::read(out_dir.join(name)).unwrap()).unwrap()
    };
    let c = read("chain.json");
    assert_eq!(c["chain_id"], "venice-e2e-info");
    assert_eq!(c["network_type"], "testnet");
    assert_eq!(c["apis"]["rpc"][0]["address"], format!("http://127.0.0.1:{}", chain.rpc_port));
    assert_eq!(c["apis"]["rest"][0]["address"], chain.api_url());
    assert_eq!(c["apis"]["grpc"][0]["address"], format!("127.0.0.1:{}", chain.grpc_port));
    assert_eq!(c["fees"]["fee_tokens"][0]["denom"], "uvvv");
    assert_eq!(c["staking"]["staking_tokens"][0]["denom"], "uvvv");
    let a = read("assetlist.json");
    assert_eq!(a["assets"][0]["symbol"], "VVV");
    let k = read("keplr-chain-info.json");
    assert_eq!(k["chainId"], "venice-e2e-info");
    assert_eq!(k["stakeCurrency"]["coinDecimals"], 6);
    assert_eq!(k["bech32Config"]["bech32PrefixValAddr"], "venicevaloper");
}
