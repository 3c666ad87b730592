//! `veniced chain-info`: the files wallets and explorers read to add a
//! chain, built from this node's genesis and config: a chain-registry
//! `chain.json` and `assetlist.json`, and the `ChainInfo` that Keplr's
//! `window.keplr.experimentalSuggestChain` takes.
//!
//! Gas price steps: `low` is the node's minimum gas price, `average` twice
//! and `high` four times that (Keplr's slow / normal / fast buttons).

use anyhow::{Context, Result, anyhow, bail};
use serde_json::{Value, json};
use venice_sdk::DecCoin;

/// Accounts' bech32 prefix; the others derive from it as in the Cosmos SDK.
const ACCOUNT_HRP: &str = venice_sdk::BECH32_PREFIX;
/// BIP-44 coin type of every key (Cosmos Hub's).
pub const SLIP44: u32 = 118;
/// Registry schema references (resolved by registry tooling, not fetched here).
const CHAIN_SCHEMA: &str = "../chain.schema.json";
const ASSETLIST_SCHEMA: &str = "../assetlist.schema.json";

/// What goes into the files besides genesis: names and public endpoints.
#[derive(Clone, Debug)]
pub struct ChainInfoInput {
    pub chain_name: String,
    pub pretty_name: String,
    pub network_type: String,
    pub rpc: String,
    pub rest: String,
    pub grpc: String,
    /// The node's minimum gas prices (app.toml), e.g. "0.00005ustable,0.0025uvvv";
    /// the fee token's is used.
    pub min_gas_price: String,
}

/// One token: base denom, display denom and their units, from the bank
/// module's denom metadata in genesis.
#[derive(Clone, Debug, PartialEq)]
struct Token {
    base: String,
    display: String,
    symbol: String,
    name: String,
    description: String,
    /// (denom, exponent, aliases)
    units: Vec<(String, u32, Vec<String>)>,
}

impl Token {
    fn decimals(&self) -> u32 {
        self.units.iter().find(|u| u.0 == self.display).map_or(0, |u| u.1)
    }
}

fn tokens(genesis: &Value) -> Result<Vec<Token>> {
    let metadata = genesis["app_state"]["bank"]["denom_metadata"].as_array().cloned().unwrap_or_default();
    let mut out = Vec::new();
    for (i, m) in metadata.iter().enumerate() {
        let s = |k: &str| m[k].as_str().unwrap_or_default().to_string();
        let mut units = Vec::new();
        // Proto field name or its JSON name: genesis files carry either.
        let units_json = m.get("denom_units").or_else(|| m.get("denomUnits"));
        for u in units_json.and_then(Value::as_array).cloned().unwrap_or_default() {
            let denom = u["denom"].as_str().ok_or_else(|| anyhow!("denom_metadata[{i}]: a denom unit without denom"))?;
            let exponent = u["exponent"].as_u64().unwrap_or(0) as u32;
            let aliases =
                u["aliases"].as_array().map(|a| a.iter().filter_map(|x| x.as_str().map(String::from)).collect()).unwrap_or_default();
            units.push((denom.to_string(), exponent, aliases));
        }
        let t =
            Token { base: s("base"), display: s("display"), symbol: s("symbol"), name: s("name"), description: s("description"), units };
        if t.base.is_empty() || t.display.is_empty() || t.symbol.is_empty() || !t.units.iter().any(|u| u.0 == t.display) {
            bail!("denom_metadata[{i}]: base, display, symbol and a unit for the display denom are needed");
        }
        out.push(t);
    }
    if out.is_empty() {
        bail!("genesis has no app_state.bank.denom_metadata: wallets need the token's units");
    }
    Ok(out)
}

/// The staking (and fee) denom: staking params' bond denom when present.
fn bond_denom(genesis: &Value) -> String {
    genesis["app_state"]["staking"]["params"]["bond_denom"].as_str().unwrap_or("uvvv").to_string()
}

/// `atto / 10^18` as a JSON number, written exactly (no float on the way).
fn price_number(atto: u128) -> Result<Value> {
    let scale = venice_sdk::coin::DEC_SCALE;
    let frac = format!("{:018}", atto % scale);
    let frac = frac.trim_end_matches('0');
    let text = if frac.is_empty() { format!("{}", atto / scale) } else { format!("{}.{frac}", atto / scale) };
    let n: serde_json::Number = text.parse().map_err(|_| anyhow!("gas price {text} is not a JSON number"))?;
    Ok(Value::Number(n))
}

/// Keplr's low / average / high: the minimum, twice and four times it.
fn gas_steps(min: &DecCoin) -> Result<(Value, Value, Value)> {
    let times = |k: u128| min.amount_atto.checked_mul(k).ok_or_else(|| anyhow!("gas price out of range")).and_then(price_number);
    Ok((times(1)?, times(2)?, times(4)?))
}

#[derive(Debug)]
pub struct ChainInfoFiles {
    pub chain: Value,
    pub assetlist: Value,
    pub keplr: Value,
}

pub fn build(genesis: &Value, input: &ChainInfoInput) -> Result<ChainInfoFiles> {
    let chain_id = genesis["chain_id"].as_str().filter(|s| !s.is_empty()).ok_or_else(|| anyhow!("genesis has no chain_id"))?;
    if !["mainnet", "testnet", "devnet"].contains(&input.network_type.as_str()) {
        bail!("network type must be mainnet, testnet or devnet");
    }
    let tokens = tokens(genesis)?;
    let bond = bond_denom(genesis);
    let stake = tokens.iter().find(|t| t.base == bond).ok_or_else(|| anyhow!("no denom metadata for the bond denom {bond}"))?;
    // The node may list several fee denoms (the fees module's listed
    // denoms); wallets pay in the staking token, so its price is the one.
    let prices = DecCoin::parse_list(&input.min_gas_price).with_context(|| "minimum gas prices")?;
    let Some(min) = prices.into_iter().find(|p| p.denom == bond) else {
        bail!("the minimum gas prices {:?} name no price in the fee token {bond}", input.min_gas_price);
    };
    let (low, average, high) = gas_steps(&min)?;
    let hrp = |suffix: &str| format!("{ACCOUNT_HRP}{suffix}");

    let chain = json!({
        "$schema": CHAIN_SCHEMA,
        "chain_name": input.chain_name,
        "chain_type": "cosmos",
        "chain_id": chain_id,
        "pretty_name": input.pretty_name,
        "status": "live",
        "network_type": input.network_type,
        "bech32_prefix": ACCOUNT_HRP,
        "daemon_name": "veniced",
        "node_home": "$HOME/.venice",
        "key_algos": ["secp256k1"],
        "slip44": SLIP44,
        "fees": {"fee_tokens": [{
            "denom": bond,
            "fixed_min_gas_price": low,
            "low_gas_price": low,
            "average_gas_price": average,
            "high_gas_price": high,
        }]},
        "staking": {"staking_tokens": [{"denom": bond}]},
        "codebase": {
            "recommended_version": concat!("v", env!("CARGO_PKG_VERSION")),
            "compatible_versions": [concat!("v", env!("CARGO_PKG_VERSION"))],
            "consensus": {"type": "cometbft", "version": "0.38"},
            "cosmwasm": {"version": "3.0", "enabled": true},
        },
        "apis": {
            "rpc": [{"address": input.rpc, "provider": "local node"}],
            "rest": [{"address": input.rest, "provider": "local node"}],
            "grpc": [{"address": input.grpc, "provider": "local node"}],
        },
    });

    let assets: Vec<Value> =
        tokens
            .iter()
            .map(|t| {
                let units: Vec<Value> =
                    t.units
                        .iter()
                        .map(|(d, e, a)| {
                            if a.is_empty() { json!({"denom": d, "exponent": e}) } else { json!({"denom": d, "exponent": e, "aliases": a}) }
                        })
                        .collect();
                json!({
                    "description": t.description,
                    "denom_units": units,
                    "type_asset": "sdk.coin",
                    "base": t.base,
                    "name": t.name,
                    "display": t.display,
                    "symbol": t.symbol,
                })
            })
            .collect();
    let assetlist = json!({"$schema": ASSETLIST_SCHEMA, "chain_name": input.chain_name, "assets": assets});

    let currency = |t: &Token| json!({"coinDenom": t.symbol, "coinMinimalDenom": t.base, "coinDecimals": t.decimals()});
    let mut fee_currency = currency(stake);
    fee_currency["gasPriceStep"] = json!({"low": low, "average": average, "high": high});
    let keplr = json!({
        "chainId": chain_id,
        "chainName": input.pretty_name,
        "rpc": input.rpc,
        "rest": input.rest,
        "bip44": {"coinType": SLIP44},
        "bech32Config": {
            "bech32PrefixAccAddr": hrp(""),
            "bech32PrefixAccPub": hrp("pub"),
            "bech32PrefixValAddr": hrp("valoper"),
            "bech32PrefixValPub": hrp("valoperpub"),
            "bech32PrefixConsAddr": hrp("valcons"),
            "bech32PrefixConsPub": hrp("valconspub"),
        },
        "currencies": tokens.iter().map(currency).collect::<Vec<_>>(),
        "feeCurrencies": [fee_currency],
        "stakeCurrency": currency(stake),
        "features": ["cosmwasm"],
    });
    Ok(ChainInfoFiles { chain, assetlist, keplr })
}

/// Writes the three files into `dir`; returns their paths.
pub fn write(dir: &std::path::Path, files: &ChainInfoFiles) -> Result<Vec<std::path::PathBuf>> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let mut out = Vec::new();
    for (name, v) in [("chain.json", &files.chain), ("assetlist.json", &files.assetlist), ("keplr-chain-info.json", &files.keplr)] {
        let path = dir.join(name);
        std::fs::write(&path, serde_json::to_string_pretty(v)? + "\n").with_context(|| format!("writing {}", path.display()))?;
        out.push(path);
    }
    Ok(out)
}
