//! bank genesis in the Cosmos SDK's JSON shape: params, balances, supply
//! (checked against the balances when given), denom metadata.

use cosmos_sdk_proto::cosmos::bank::v1beta1::Metadata;
use prost::Message;
use serde::{Deserialize, Serialize};
use venice_sdk::coin::JsonCoin;
use venice_sdk::{Address, Coin, Coins, Ctx, Error, Result};

use crate::params::{Params, SendEnabled};
use crate::{Bank, state};

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct GenesisState {
    #[serde(default)]
    pub params: Params,
    #[serde(default)]
    pub balances: Vec<Balance>,
    /// Optional: when non-empty it must equal the sum of the balances.
    #[serde(default)]
    pub supply: Vec<JsonCoin>,
    #[serde(default)]
    pub denom_metadata: Vec<Metadata>,
    /// SDK v0.47+ keeps per-denom switches here; merged into params.
    #[serde(default)]
    pub send_enabled: Vec<SendEnabled>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Balance {
    pub address: String,
    pub coins: Vec<JsonCoin>,
}

/// VVV's metadata: base `uvvv`, display `vvv` with 6 decimals.
pub fn vvv_metadata() -> Metadata {
    use cosmos_sdk_proto::cosmos::bank::v1beta1::DenomUnit;
    Metadata {
        description: "The native staking, fee and governance token of Venice chain".into(),
        denom_units: vec![
            DenomUnit { denom: "uvvv".into(), exponent: 0, aliases: vec!["microvvv".into()] },
            DenomUnit { denom: "vvv".into(), exponent: 6, aliases: vec![] },
        ],
        base: "uvvv".into(),
        display: "vvv".into(),
        name: "Venice".into(),
        symbol: "VVV".into(),
        uri: String::new(),
        uri_hash: String::new(),
    }
}

/// This module's section of `app_state`; errors name the field.
pub fn parse(section: &serde_json::Value) -> Result<GenesisState> {
    serde_json::from_value(section.clone()).map_err(|e| Error::Genesis(format!("app_state.bank: {e}")))
}

pub fn init_genesis(bank: &Bank, ctx: &mut Ctx, g: &GenesisState) -> Result<()> {
    let mut params = g.params.clone();
    params.send_enabled.extend(g.send_enabled.iter().cloned());
    params.validate().map_err(Error::Genesis)?;
    state::set_params(ctx, &params)?;

    let mut total = Coins::empty();
    let mut seen = std::collections::BTreeSet::new();
    for (i, b) in g.balances.iter().enumerate() {
        let field = format!("bank.balances[{i}]");
        let addr = Address::parse(&b.address).map_err(|e| Error::Genesis(format!("{field}.address: {e}")))?;
        if !seen.insert(addr.clone()) {
            return Err(Error::Genesis(format!("{field}.address: duplicate balance for {addr}")));
        }
        let coins = b
            .coins
            .iter()
            .enumerate()
            .map(|(j, c)| Coin::try_from(c).map_err(|e| Error::Genesis(format!("{field}.coins[{j}]: {e}"))))
            .collect::<Result<Vec<_>>>()?;
        let coins = Coins::normalize(coins).map_err(|e| Error::Genesis(format!("{field}.coins: {e}")))?;
        total = total.checked_add(&coins).map_err(|e| Error::Genesis(format!("{field}.coins: {e}")))?;
        bank.mint(ctx, &addr, &coins)?;
    }
    if !g.supply.is_empty() {
        let given = Coins::normalize(
            g.supply
                .iter()
                .enumerate()
                .map(|(j, c)| Coin::try_from(c).map_err(|e| Error::Genesis(format!("bank.supply[{j}]: {e}"))))
                .collect::<Result<Vec<_>>>()?,
        )?;
        if given != total {
            return Err(Error::Genesis(format!("bank.supply: genesis supply {given} does not match the sum of balances {total}")));
        }
    }
    for (i, m) in g.denom_metadata.iter().enumerate() {
        venice_sdk::coin::validate_denom(&m.base).map_err(|e| Error::Genesis(format!("bank.denom_metadata[{i}].base: {e}")))?;
        if !m.denom_units.iter().any(|u| u.denom == m.base && u.exponent == 0) {
            return Err(Error::Genesis(format!("bank.denom_metadata[{i}].denom_units: the base denom {} must have exponent 0", m.base)));
        }
        state::set_metadata(ctx, &m.base, m.encode_to_vec())?;
    }
    Ok(())
}

pub fn export_genesis(ctx: &mut Ctx) -> Result<GenesisState> {
    let params = state::params(ctx)?;
    let supply: Vec<JsonCoin> = state::all_supply(ctx, None, usize::MAX)?.iter().map(JsonCoin::from).collect();
    let denom_metadata = state::all_metadata(ctx, None, usize::MAX)?
        .into_iter()
        .map(|(_, b)| Metadata::decode(b.as_slice()).map_err(|e| Error::Internal(e.to_string())))
        .collect::<Result<Vec<_>>>()?;
    let mut balances = Vec::new();
    for addr in state::holders(ctx)? {
        let coins = state::all_balances(ctx, &addr, None, usize::MAX)?.iter().map(JsonCoin::from).collect();
        balances.push(Balance { address: addr.to_bech32(), coins });
    }
    Ok(GenesisState { params, balances, supply, denom_metadata, send_enabled: vec![] })
}
