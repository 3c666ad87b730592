//! `veniced chain-info`: the chain-registry files follow the registry's
//! JSON schema rules (required fields, enums, the closed objects), and the
//! Keplr chain info carries the same chain, prefixes, units and gas steps.

use serde_json::{Value, json};
use veniced::chain_info::{ChainInfoInput, build};
use veniced::genesis::AppGenesis;

fn genesis() -> Value {
    json!({"chain_id": "venice-test-1", "app_state": serde_json::to_value(AppGenesis::new_default()).unwrap()})
}

fn input() -> ChainInfoInput {
    ChainInfoInput {
        chain_name: "venice".into(),
        pretty_name: "Venice".into(),
        network_type: "testnet".into(),
        rpc: "http://127.0.0.1:26657".into(),
        rest: "http://127.0.0.1:1317".into(),
        grpc: "127.0.0.1:9090".into(),
        min_gas_price: "0.0025uvvv".into(),
    }
}

/// Keys of `v` must all be in `allowed` (the schema's additionalProperties: false).
fn closed(v: &Value, allowed: &[&str], at: &str) {
    for k in v.as_object().unwrap_or_else(|| panic!("{at} is an object")).keys() {
        assert!(allowed.contains(&k.as_str()), "{at}.{k} is not allowed by the schema");
    }
}

fn nonempty_str(v: &Value, at: &str) {
    assert!(v.as_str().is_some_and(|s| !s.is_empty()), "{at} must be a non-empty string, got {v}");
}

/// The rules of the chain registry's chain.schema.json that our file touches.
fn check_chain_json(c: &Value) {
    for k in ["$schema", "chain_name", "chain_type", "status"] {
        assert!(c.get(k).is_some(), "required {k}");
    }
    assert_eq!(c["chain_type"], "cosmos");
    nonempty_str(&c["bech32_prefix"], "bech32_prefix"); // required for cosmos chains
    nonempty_str(&c["chain_id"], "chain_id"); // required for cosmos chains
    assert!(["live", "upcoming", "killed"].contains(&c["status"].as_str().unwrap()));
    assert!(["mainnet", "testnet", "devnet"].contains(&c["network_type"].as_str().unwrap()));
    assert!(c["slip44"].is_number());
    for a in c["key_algos"].as_array().unwrap() {
        assert!(["secp256k1", "ethsecp256k1", "ed25519", "sr25519", "bn254"].contains(&a.as_str().unwrap()));
    }
    closed(
        c,
        &[
            "$schema",
            "chain_name",
            "chain_type",
            "chain_id",
            "pre_fork_chain_name",
            "pretty_name",
            "website",
            "status",
            "network_type",
            "bech32_prefix",
            "bech32_config",
            "daemon_name",
            "node_home",
            "key_algos",
            "slip44",
            "alternative_slip44s",
            "fees",
            "staking",
            "codebase",
            "images",
            "logo_URIs",
            "description",
            "peers",
            "apis",
            "snapshots",
            "explorers",
            "keywords",
            "extra_codecs",
        ],
        "chain",
    );
    let tokens = c["fees"]["fee_tokens"].as_array().expect("fees.fee_tokens is required");
    for t in tokens {
        closed(t, &["denom", "fixed_min_gas_price", "low_gas_price", "average_gas_price", "high_gas_price", "gas_costs"], "fee_token");
        nonempty_str(&t["denom"], "fee_token.denom");
        for k in ["fixed_min_gas_price", "low_gas_price", "average_gas_price", "high_gas_price"] {
            assert!(t[k].is_number(), "{k} is a number");
        }
    }
    for t in c["staking"]["staking_tokens"].as_array().expect("staking.staking_tokens is required") {
        closed(t, &["denom"], "staking_token");
        nonempty_str(&t["denom"], "staking_token.denom");
    }
    let cb = &c["codebase"];
    closed(
        cb,
        &[
            "git_repo",
            "recommended_version",
            "compatible_versions",
            "tag",
            "language",
            "binaries",
            "sdk",
            "consensus",
            "cosmwasm",
            "ibc",
            "genesis",
        ],
        "codebase",
    );
    closed(&cb["consensus"], &["type", "version", "repo", "tag"], "codebase.consensus");
    assert!(["tendermint", "cometbft", "sei-tendermint", "cometbls"].contains(&cb["consensus"]["type"].as_str().unwrap()));
    closed(&cb["cosmwasm"], &["version", "repo", "tag", "enabled", "path"], "codebase.cosmwasm");
    closed(&c["apis"], &["rpc", "rest", "grpc", "wss", "grpc-web", "evm-http-jsonrpc"], "apis");
    for (kind, list) in c["apis"].as_object().unwrap() {
        for e in list.as_array().unwrap() {
            closed(e, &["address", "provider", "archive"], &format!("apis.{kind}[]"));
            nonempty_str(&e["address"], "endpoint.address");
        }
    }
}

/// The rules of assetlist.schema.json for native (sdk.coin) assets.
fn check_assetlist(a: &Value) {
    for k in ["$schema", "chain_name", "assets"] {
        assert!(a.get(k).is_some(), "required {k}");
    }
    for asset in a["assets"].as_array().unwrap() {
        for k in ["denom_units", "type_asset", "base", "display", "name", "symbol"] {
            assert!(asset.get(k).is_some(), "asset requires {k}");
        }
        assert!(
            ["sdk.coin", "cw20", "erc20", "ics20", "snip20", "snip25", "bitcoin-like", "evm-base", "svm-base", "substrate", "unknown"]
                .contains(&asset["type_asset"].as_str().unwrap())
        );
        for u in asset["denom_units"].as_array().unwrap() {
            closed(u, &["denom", "exponent", "aliases"], "denom_unit");
            nonempty_str(&u["denom"], "denom_unit.denom");
            assert!(u["exponent"].is_u64());
        }
        let display = asset["display"].as_str().unwrap();
        assert!(asset["denom_units"].as_array().unwrap().iter().any(|u| u["denom"] == display), "display has a unit");
    }
}

#[test]
fn chain_registry_files_follow_the_schema_rules() {
    let f = build(&genesis(), &input()).unwrap();
    check_chain_json(&f.chain);
    check_assetlist(&f.assetlist);
    assert_eq!(f.chain["chain_id"], "venice-test-1");
    assert_eq!(f.chain["bech32_prefix"], "venice");
    assert_eq!(f.chain["slip44"], 118);
    assert_eq!(
        f.chain["fees"]["fee_tokens"][0],
        json!({
            "denom": "uvvv", "fixed_min_gas_price": 0.0025, "low_gas_price": 0.0025, "average_gas_price": 0.005, "high_gas_price": 0.01
        })
    );
    assert_eq!(f.chain["apis"]["rpc"][0]["address"], "http://127.0.0.1:26657");
    let vvv = &f.assetlist["assets"][0];
    assert_eq!((vvv["base"].as_str(), vvv["display"].as_str(), vvv["symbol"].as_str()), (Some("uvvv"), Some("vvv"), Some("VVV")));
    assert_eq!(vvv["denom_units"][1], json!({"denom": "vvv", "exponent": 6}));
}

#[test]
fn keplr_chain_info_matches_the_registry_files() {
    let f = build(&genesis(), &input()).unwrap();
    let k = &f.keplr;
    assert_eq!(k["chainId"], f.chain["chain_id"]);
    assert_eq!(k["rpc"], f.chain["apis"]["rpc"][0]["address"]);
    assert_eq!(k["rest"], f.chain["apis"]["rest"][0]["address"]);
    assert_eq!(k["bip44"]["coinType"], 118);
    let b = &k["bech32Config"];
    assert_eq!(
        [
            &b["bech32PrefixAccAddr"],
            &b["bech32PrefixAccPub"],
            &b["bech32PrefixValAddr"],
            &b["bech32PrefixValPub"],
            &b["bech32PrefixConsAddr"],
            &b["bech32PrefixConsPub"]
        ],
        ["venice", "venicepub", "venicevaloper", "venicevaloperpub", "venicevalcons", "venicevalconspub"]
    );
    let vvv = json!({"coinDenom": "VVV", "coinMinimalDenom": "uvvv", "coinDecimals": 6});
    assert_eq!(k["stakeCurrency"], vvv);
    assert_eq!(k["currencies"], json!([vvv]));
    assert_eq!(k["feeCurrencies"][0]["coinMinimalDenom"], "uvvv");
    assert_eq!(k["feeCurrencies"][0]["gasPriceStep"], json!({"low": 0.0025, "average": 0.005, "high": 0.01}));
}

#[test]
fn bad_inputs_are_refused_with_the_reason() {
    let mut i = input();
    i.min_gas_price = "0.1uatom".into();
    assert!(build(&genesis(), &i).unwrap_err().to_string().contains("no price in the fee token uvvv"));
    // Several listed fee denoms: the fee token's price is the one wallets get.
    let mut i = input();
    i.min_gas_price = "0.00005ustable,0.0025uvvv".into();
    let files = build(&genesis(), &i).unwrap();
    assert_eq!(files.keplr["feeCurrencies"][0]["gasPriceStep"]["low"], json!(0.0025));
    let mut i = input();
    i.network_type = "prod".into();
    assert!(build(&genesis(), &i).is_err());
    let mut g = genesis();
    g["app_state"]["bank"]["denom_metadata"] = json!([]);
    assert!(build(&g, &input()).unwrap_err().to_string().contains("denom_metadata"));
    let mut g = genesis();
    g["chain_id"] = json!("");
    assert!(build(&g, &input()).is_err());
}
