//! auth genesis: params and the initial accounts, in the Cosmos SDK's JSON
//! shape (`{"params": {...}, "accounts": [{"@type": ..., "address": ...}]}`).

use serde::{Deserialize, Serialize};
use venice_sdk::tx::PubKey;
use venice_sdk::{Address, Ctx, Error, Result};

use crate::params::Params;
use crate::state;

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct GenesisState {
    #[serde(default)]
    pub params: Params,
    #[serde(default)]
    pub accounts: Vec<GenesisAccount>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct GenesisAccount {
    #[serde(rename = "@type", default = "base_account_type")]
    pub type_url: String,
    pub address: String,
    /// Protobuf JSON of the key (`{"@type": ..., "key": ...}`, or a
    /// multisig's `threshold` and `public_keys`).
    #[serde(default)]
    pub pub_key: Option<serde_json::Value>,
    #[serde(default, with = "venice_sdk::json::int_str")]
    pub account_number: u64,
    #[serde(default, with = "venice_sdk::json::int_str")]
    pub sequence: u64,
}

fn base_account_type() -> String {
    venice_sdk::paths::BASE_ACCOUNT_URL.into()
}

impl GenesisAccount {
    pub fn new(address: &Address, account_number: u64) -> Self {
        GenesisAccount { type_url: base_account_type(), address: address.to_bech32(), pub_key: None, account_number, sequence: 0 }
    }
}

/// This module's section of `app_state`; errors name the field.
pub fn parse(section: &serde_json::Value) -> Result<GenesisState> {
    serde_json::from_value(section.clone()).map_err(|e| Error::Genesis(format!("app_state.auth: {e}")))
}

pub fn init_genesis(ctx: &mut Ctx, g: &GenesisState) -> Result<()> {
    g.params.validate().map_err(Error::Genesis)?;
    state::set_params(ctx, &g.params)?;
    let mut next = 0u64;
    for (i, a) in g.accounts.iter().enumerate() {
        let field = format!("auth.accounts[{i}]");
        if a.type_url != base_account_type() {
            return Err(Error::Genesis(format!("{field}.@type: unsupported account type {}", a.type_url)));
        }
        let addr = Address::parse(&a.address).map_err(|e| Error::Genesis(format!("{field}.address: {e}")))?;
        if state::has_account(ctx, &addr)? {
            return Err(Error::Genesis(format!("{field}.address: duplicate account {addr}")));
        }
        let pub_key = match &a.pub_key {
            None | Some(serde_json::Value::Null) => None,
            Some(pk) => {
                let key = PubKey::from_json(pk).map_err(|e| Error::Genesis(format!("{field}.pub_key: {e}")))?;
                if key.address() != addr {
                    return Err(Error::Genesis(format!("{field}.pub_key: not the key of {addr}")));
                }
                Some(key)
            }
        };
        let acc = state::Account { address: addr, account_number: a.account_number, sequence: a.sequence, pub_key };
        state::set_account(ctx, &acc)?;
        next = next.max(a.account_number + 1);
    }
    // Account numbers must be unique: the next one is past all given.
    let mut nums: Vec<u64> = g.accounts.iter().map(|a| a.account_number).collect();
    nums.sort_unstable();
    if let Some(w) = nums.windows(2).find(|w| w[0] == w[1]) {
        return Err(Error::Genesis(format!("auth.accounts: duplicate account_number {}", w[0])));
    }
    state::set_next_account_number(ctx, next)?;
    // The fee collector exists from the start, as a module account (an
    // exported genesis already lists it).
    let collector = crate::ante::fee_collector();
    if !state::has_account(ctx, &collector)? {
        state::create_account(ctx, &collector, None)?;
    }
    Ok(())
}

pub fn export_genesis(ctx: &mut Ctx) -> Result<GenesisState> {
    let accounts = state::all_accounts(ctx, None, usize::MAX)?
        .into_iter()
        .map(|a| GenesisAccount {
            type_url: base_account_type(),
            address: a.address.to_bech32(),
            pub_key: a.pub_key.map(|k| k.to_json()),
            account_number: a.account_number,
            sequence: a.sequence,
        })
        .collect();
    Ok(GenesisState { params: state::params(ctx)?, accounts })
}
