//! `query auth …`: the `cosmos.auth.v1beta1.Query` service, and the account
//! lookup every signing command needs.

use clap::Subcommand;
use cosmos_sdk_proto::cosmos::auth::v1beta1::{
    BaseAccount, ModuleAccount, QueryAccountRequest, QueryAccountResponse, QueryParamsRequest, QueryParamsResponse,
};
use cosmos_sdk_proto::cosmos::crypto::secp256k1::PubKey;
use prost::Message;
use serde_json::{Value, json};
use venice_types::Address;
use venice_types::paths::{self, BASE_ACCOUNT_URL, MODULE_ACCOUNT_URL, SECP256K1_PUBKEY_URL};

use super::node;
use crate::Cli;
use crate::error::{CliError, Result};
use crate::output::b64;
use crate::rpc::Node;

#[derive(Subcommand, Debug)]
pub enum QueryCmd {
    /// Account number, sequence and public key of an address
    Account {
        address: String,
        /// Query state at this height (default: latest)
        #[arg(long)]
        height: Option<u64>,
    },
    /// Auth module parameters
    Params {
        /// Query state at this height (default: latest)
        #[arg(long)]
        height: Option<u64>,
    },
}

impl QueryCmd {
    pub async fn run(&self, cli: &Cli) -> Result<Value> {
        let node = node(cli)?;
        match self {
            QueryCmd::Account { address, height } => account(&node, address, *height).await,
            QueryCmd::Params { height } => params(&node, *height).await,
        }
    }
}

/// An account as the chain reports it, plus module-account extras.
#[derive(Debug, Clone)]
pub struct Account {
    pub type_url: String,
    pub base: BaseAccount,
    pub module: Option<(String, Vec<String>)>,
}

impl std::ops::Deref for Account {
    type Target = BaseAccount;
    fn deref(&self) -> &BaseAccount {
        &self.base
    }
}

/// `/cosmos.auth.v1beta1.Query/Account`, response `Any` unpacked.
pub async fn fetch_account(node: &Node, address: &str, height: Option<u64>) -> Result<Account> {
    Address::parse_arg(address)?;
    let req = QueryAccountRequest { address: address.to_string() };
    let res: QueryAccountResponse = match node.query(paths::auth::ACCOUNT, &req, height).await {
        Ok(r) => r,
        Err(CliError::QueryFailed { log, .. }) if log.to_lowercase().contains("not found") => {
            return Err(CliError::AccountNotFound(address.to_string()));
        }
        Err(e) => return Err(e),
    };
    let any = res.account.ok_or_else(|| CliError::AccountNotFound(address.to_string()))?;
    decode_account(&any.type_url, &any.value)
}

pub fn decode_account(type_url: &str, value: &[u8]) -> Result<Account> {
    match type_url {
        BASE_ACCOUNT_URL => Ok(Account {
            type_url: type_url.into(),
            base: BaseAccount::decode(value).map_err(|e| CliError::decode("BaseAccount", e))?,
            module: None,
        }),
        MODULE_ACCOUNT_URL => {
            let m = ModuleAccount::decode(value).map_err(|e| CliError::decode("ModuleAccount", e))?;
            Ok(Account { type_url: type_url.into(), base: m.base_account.unwrap_or_default(), module: Some((m.name, m.permissions)) })
        }
        other => Err(CliError::decode("account", format!("unsupported account type {other}"))),
    }
}

/// The SDK's JSON of an account `Any`: `@type` plus the account's fields.
pub fn account_json(acc: &Account) -> Value {
    let pub_key = acc.base.pub_key.as_ref().map(|k| match PubKey::decode(k.value.as_slice()) {
        Ok(pk) if k.type_url == SECP256K1_PUBKEY_URL => {
            json!({ "@type": k.type_url, "key": b64(&pk.key) })
        }
        _ => json!({ "@type": k.type_url, "value": b64(&k.value) }),
    });
    let mut v = json!({
        "@type": acc.type_url,
        "address": acc.base.address,
        "pub_key": pub_key,
        "account_number": acc.base.account_number.to_string(),
        "sequence": acc.base.sequence.to_string(),
    });
    if let Some((name, perms)) = &acc.module {
        v["name"] = json!(name);
        v["permissions"] = json!(perms);
    }
    v
}

/// `query auth account ADDR`.
pub async fn account(node: &Node, address: &str, height: Option<u64>) -> Result<Value> {
    Ok(account_json(&fetch_account(node, address, height).await?))
}

/// `query auth params`.
pub async fn params(node: &Node, height: Option<u64>) -> Result<Value> {
    let res: QueryParamsResponse = node.query(paths::auth::PARAMS, &QueryParamsRequest {}, height).await?;
    let p = res.params.unwrap_or_default();
    Ok(json!({ "params": {
        "max_memo_characters": p.max_memo_characters.to_string(),
        "tx_sig_limit": p.tx_sig_limit.to_string(),
        "tx_size_cost_per_byte": p.tx_size_cost_per_byte.to_string(),
        "sig_verify_cost_ed25519": p.sig_verify_cost_ed25519.to_string(),
        "sig_verify_cost_secp256k1": p.sig_verify_cost_secp256k1.to_string(),
    }}))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_decoding_and_json() {
        let pk = crate::hd::public_key(&[3u8; 32]).unwrap();
        let addr = crate::hd::account_address(&pk);
        let base = BaseAccount {
            address: addr.clone(),
            pub_key: Some(venice_types::tx::secp256k1_pubkey_any(&pk)),
            account_number: 12,
            sequence: 34,
        };
        let acc = decode_account(BASE_ACCOUNT_URL, &base.encode_to_vec()).unwrap();
        assert_eq!((acc.account_number, acc.sequence), (12, 34));
        let v = account_json(&acc);
        assert_eq!(v["@type"], BASE_ACCOUNT_URL);
        assert_eq!(v["address"], addr);
        assert_eq!(v["account_number"], "12");
        assert_eq!(v["sequence"], "34");
        assert_eq!(v["pub_key"]["key"], b64(&pk));

        let module =
            ModuleAccount { base_account: Some(BaseAccount { pub_key: None, ..base }), name: "fee_collector".into(), permissions: vec![] };
        let acc = decode_account(MODULE_ACCOUNT_URL, &module.encode_to_vec()).unwrap();
        let v = account_json(&acc);
        assert_eq!(v["name"], "fee_collector");
        assert!(v["pub_key"].is_null());
        assert!(decode_account("/x.Unknown", &[]).is_err());
        assert!(decode_account(BASE_ACCOUNT_URL, &[0xff, 0xff]).is_err());
    }
}
