//! `query auth …`: the `cosmos.auth.v1beta1.Query` service, and the account
//! lookup every signing command needs.

use clap::Subcommand;
use cosmos_sdk_proto::cosmos::auth::v1beta1::{
    BaseAccount, ModuleAccount, QueryAccountRequest, QueryAccountResponse, QueryParamsRequest, QueryParamsResponse,
};
use cosmos_sdk_proto::cosmos::crypto::secp256k1::PubKey;
use cosmos_sdk_proto::cosmos::vesting::v1beta1 as vpb;
use prost::Message;
use serde_json::{Value, json};
use venice_types::Address;
use venice_types::paths::{self, BASE_ACCOUNT_URL, MODULE_ACCOUNT_URL, SECP256K1_PUBKEY_URL};

use super::node;
use crate::Cli;
use crate::error::{CliError, Result};
use crate::output::{b64, coins_json};
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
    /// A vesting account's own fields (the SDK JSON of its
    /// `base_vesting_account` less `base_account`, and of its type's extras).
    pub vesting: Option<(Value, Value)>,
}

const CONTINUOUS_URL: &str = "/cosmos.vesting.v1beta1.ContinuousVestingAccount";
const DELAYED_URL: &str = "/cosmos.vesting.v1beta1.DelayedVestingAccount";
const PERIODIC_URL: &str = "/cosmos.vesting.v1beta1.PeriodicVestingAccount";
const PERMANENT_LOCKED_URL: &str = "/cosmos.vesting.v1beta1.PermanentLockedAccount";

/// A vesting account: its base account, and its vesting fields as JSON.
fn vesting_account(type_url: &str, bva: Option<vpb::BaseVestingAccount>, extra: Value) -> Account {
    let bva = bva.unwrap_or_default();
    let fields = json!({
        "original_vesting": coins_json(&bva.original_vesting),
        "delegated_free": coins_json(&bva.delegated_free),
        "delegated_vesting": coins_json(&bva.delegated_vesting),
        "end_time": bva.end_time.to_string(),
    });
    Account { type_url: type_url.into(), base: bva.base_account.unwrap_or_default(), module: None, vesting: Some((fields, extra)) }
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
            vesting: None,
        }),
        MODULE_ACCOUNT_URL => {
            let m = ModuleAccount::decode(value).map_err(|e| CliError::decode("ModuleAccount", e))?;
            Ok(Account {
                type_url: type_url.into(),
                base: m.base_account.unwrap_or_default(),
                module: Some((m.name, m.permissions)),
                vesting: None,
            })
        }
        CONTINUOUS_URL => {
            let m = vpb::ContinuousVestingAccount::decode(value).map_err(|e| CliError::decode("ContinuousVestingAccount", e))?;
            Ok(vesting_account(type_url, m.base_vesting_account, json!({ "start_time": m.start_time.to_string() })))
        }
        DELAYED_URL => {
            let m = vpb::DelayedVestingAccount::decode(value).map_err(|e| CliError::decode("DelayedVestingAccount", e))?;
            Ok(vesting_account(type_url, m.base_vesting_account, json!({})))
        }
        PERIODIC_URL => {
            let m = vpb::PeriodicVestingAccount::decode(value).map_err(|e| CliError::decode("PeriodicVestingAccount", e))?;
            let periods: Vec<Value> =
                m.vesting_periods.iter().map(|p| json!({ "length": p.length.to_string(), "amount": coins_json(&p.amount) })).collect();
            Ok(vesting_account(
                type_url,
                m.base_vesting_account,
                json!({ "start_time": m.start_time.to_string(), "vesting_periods": periods }),
            ))
        }
        PERMANENT_LOCKED_URL => {
            let m = vpb::PermanentLockedAccount::decode(value).map_err(|e| CliError::decode("PermanentLockedAccount", e))?;
            Ok(vesting_account(type_url, m.base_vesting_account, json!({})))
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
    // The SDK nests a vesting account's base account.
    if let Some((fields, extra)) = &acc.vesting {
        let mut base = v.clone();
        base.as_object_mut().expect("an object").remove("@type");
        let mut bva = fields.clone();
        bva["base_account"] = base;
        v = json!({ "@type": acc.type_url, "base_vesting_account": bva });
        for (k, val) in extra.as_object().into_iter().flatten() {
            v[k] = val.clone();
        }
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

        let periodic = vpb::PeriodicVestingAccount {
            base_vesting_account: Some(vpb::BaseVestingAccount {
                base_account: Some(BaseAccount { address: addr.clone(), pub_key: None, account_number: 5, sequence: 6 }),
                original_vesting: vec![cosmos_sdk_proto::cosmos::base::v1beta1::Coin { denom: "uvvv".into(), amount: "9".into() }],
                end_time: 100,
                ..Default::default()
            }),
            start_time: 10,
            vesting_periods: vec![vpb::Period { length: 90, amount: vec![] }],
        };
        let acc = decode_account(PERIODIC_URL, &periodic.encode_to_vec()).unwrap();
        assert_eq!((acc.account_number, acc.sequence), (5, 6));
        let v = account_json(&acc);
        assert_eq!(v["base_vesting_account"]["base_account"]["address"], addr);
        assert_eq!(v["base_vesting_account"]["original_vesting"][0]["amount"], "9");
        assert_eq!(v["start_time"], "10");
        assert_eq!(v["vesting_periods"][0]["length"], "90");
        assert!(decode_account(BASE_ACCOUNT_URL, &[0xff, 0xff]).is_err());
    }
}
