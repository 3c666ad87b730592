//! `query …` and `status`: gRPC-path ABCI queries decoded with the
//! cosmos-sdk-proto types and rendered as the Cosmos SDK CLI prints them.

use cosmos_sdk_proto::cosmos::auth::v1beta1::{
    BaseAccount, ModuleAccount, QueryAccountRequest, QueryAccountResponse,
    QueryParamsRequest as AuthParamsRequest, QueryParamsResponse as AuthParamsResponse,
};
use cosmos_sdk_proto::cosmos::bank::v1beta1::{
    Metadata, QueryAllBalancesRequest, QueryAllBalancesResponse, QueryBalanceRequest,
    QueryBalanceResponse, QueryDenomMetadataRequest, QueryDenomMetadataResponse,
    QueryDenomsMetadataRequest, QueryDenomsMetadataResponse,
    QueryParamsRequest as BankParamsRequest, QueryParamsResponse as BankParamsResponse,
    QuerySupplyOfRequest, QuerySupplyOfResponse, QueryTotalSupplyRequest, QueryTotalSupplyResponse,
};
use cosmos_sdk_proto::cosmos::base::query::v1beta1::PageRequest;
use cosmos_sdk_proto::cosmos::base::v1beta1::Coin as ProtoCoin;
use cosmos_sdk_proto::cosmos::crypto::secp256k1::PubKey;
use prost::Message;
use serde_json::{Value, json};

use crate::coins::validate_denom;
use crate::error::{CliError, Result};
use crate::hd;
use crate::output::{TxResponse, b64, coins_json};
use crate::rpc::{Node, parse_tx_hash};

pub const ACCOUNT_PATH: &str = "/cosmos.auth.v1beta1.Query/Account";
pub const BALANCE_PATH: &str = "/cosmos.bank.v1beta1.Query/Balance";
pub const ALL_BALANCES_PATH: &str = "/cosmos.bank.v1beta1.Query/AllBalances";
pub const TOTAL_SUPPLY_PATH: &str = "/cosmos.bank.v1beta1.Query/TotalSupply";
pub const SUPPLY_OF_PATH: &str = "/cosmos.bank.v1beta1.Query/SupplyOf";
pub const AUTH_PARAMS_PATH: &str = "/cosmos.auth.v1beta1.Query/Params";
pub const BANK_PARAMS_PATH: &str = "/cosmos.bank.v1beta1.Query/Params";
pub const DENOM_METADATA_PATH: &str = "/cosmos.bank.v1beta1.Query/DenomMetadata";
pub const DENOMS_METADATA_PATH: &str = "/cosmos.bank.v1beta1.Query/DenomsMetadata";
pub const BASE_ACCOUNT_TYPE_URL: &str = "/cosmos.auth.v1beta1.BaseAccount";
pub const MODULE_ACCOUNT_TYPE_URL: &str = "/cosmos.auth.v1beta1.ModuleAccount";

/// Guard against a node that keeps returning a next_key.
const MAX_PAGES: usize = 10_000;

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
    hd::parse_address(address)?;
    let req = QueryAccountRequest {
        address: address.to_string(),
    };
    let res: QueryAccountResponse = match node.query(ACCOUNT_PATH, &req, height).await {
        Ok(r) => r,
        Err(CliError::QueryFailed { log, .. }) if log.to_lowercase().contains("not found") => {
            return Err(CliError::AccountNotFound(address.to_string()));
        }
        Err(e) => return Err(e),
    };
    let any = res
        .account
        .ok_or_else(|| CliError::AccountNotFound(address.to_string()))?;
    decode_account(&any.type_url, &any.value)
}

pub fn decode_account(type_url: &str, value: &[u8]) -> Result<Account> {
    match type_url {
        BASE_ACCOUNT_TYPE_URL => Ok(Account {
            type_url: type_url.into(),
            base: BaseAccount::decode(value).map_err(|e| CliError::decode("BaseAccount", e))?,
            module: None,
        }),
        MODULE_ACCOUNT_TYPE_URL => {
            let m =
                ModuleAccount::decode(value).map_err(|e| CliError::decode("ModuleAccount", e))?;
            Ok(Account {
                type_url: type_url.into(),
                base: m.base_account.unwrap_or_default(),
                module: Some((m.name, m.permissions)),
            })
        }
        other => Err(CliError::decode(
            "account",
            format!("unsupported account type {other}"),
        )),
    }
}

/// The SDK's JSON of an account `Any`: `@type` plus the account's fields.
pub fn account_json(acc: &Account) -> Value {
    let pub_key = acc
        .base
        .pub_key
        .as_ref()
        .map(|k| match PubKey::decode(k.value.as_slice()) {
            Ok(pk) if k.type_url == crate::tx::SECP256K1_PUBKEY_TYPE_URL => {
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

fn pagination_json(total: usize) -> Value {
    json!({ "next_key": null, "total": total.to_string() })
}

fn coin_or_zero(c: Option<ProtoCoin>, denom: &str) -> Value {
    let c = c.unwrap_or(ProtoCoin {
        denom: denom.to_string(),
        amount: "0".into(),
    });
    json!({ "denom": c.denom, "amount": c.amount })
}

fn check_denom(denom: &str) -> Result<()> {
    validate_denom(denom).map_err(|reason| CliError::BadFlag {
        flag: "--denom",
        reason,
    })
}

/// Follows `next_key` until the last page; `fetch(key)` returns one page.
async fn all_pages<F, Fut>(mut fetch: F) -> Result<Vec<ProtoCoin>>
where
    F: FnMut(Vec<u8>) -> Fut,
    Fut: std::future::Future<Output = Result<(Vec<ProtoCoin>, Vec<u8>)>>,
{
    let mut out = Vec::new();
    let mut key = Vec::new();
    for _ in 0..MAX_PAGES {
        let (coins, next) = fetch(key.clone()).await?;
        out.extend(coins);
        if next.is_empty() || next == key {
            return Ok(out);
        }
        key = next;
    }
    Err(CliError::decode("paginated response", "too many pages"))
}

fn page(key: Vec<u8>) -> Option<PageRequest> {
    Some(PageRequest {
        key,
        offset: 0,
        limit: 0,
        count_total: false,
        reverse: false,
    })
}

/// `query bank balances ADDR [--denom D]`.
pub async fn bank_balances(
    node: &Node,
    address: &str,
    denom: Option<&str>,
    height: Option<u64>,
) -> Result<Value> {
    hd::parse_address(address)?;
    if let Some(denom) = denom {
        check_denom(denom)?;
        let req = QueryBalanceRequest {
            address: address.to_string(),
            denom: denom.to_string(),
        };
        let res: QueryBalanceResponse = node.query(BALANCE_PATH, &req, height).await?;
        return Ok(coin_or_zero(res.balance, denom));
    }
    let balances = all_pages(|key| async move {
        let req = QueryAllBalancesRequest {
            address: address.to_string(),
            pagination: page(key),
            resolve_denom: false,
        };
        let res: QueryAllBalancesResponse = node.query(ALL_BALANCES_PATH, &req, height).await?;
        Ok((
            res.balances,
            res.pagination.map(|p| p.next_key).unwrap_or_default(),
        ))
    })
    .await?;
    Ok(json!({ "balances": coins_json(&balances), "pagination": pagination_json(balances.len()) }))
}

/// `query bank total [--denom D]`.
pub async fn bank_total(node: &Node, denom: Option<&str>, height: Option<u64>) -> Result<Value> {
    if let Some(denom) = denom {
        check_denom(denom)?;
        let req = QuerySupplyOfRequest {
            denom: denom.to_string(),
        };
        let res: QuerySupplyOfResponse = node.query(SUPPLY_OF_PATH, &req, height).await?;
        return Ok(coin_or_zero(res.amount, denom));
    }
    let supply = all_pages(|key| async move {
        let req = QueryTotalSupplyRequest {
            pagination: page(key),
        };
        let res: QueryTotalSupplyResponse = node.query(TOTAL_SUPPLY_PATH, &req, height).await?;
        Ok((
            res.supply,
            res.pagination.map(|p| p.next_key).unwrap_or_default(),
        ))
    })
    .await?;
    Ok(json!({ "supply": coins_json(&supply), "pagination": pagination_json(supply.len()) }))
}

/// `query auth account ADDR`.
pub async fn auth_account(node: &Node, address: &str, height: Option<u64>) -> Result<Value> {
    Ok(account_json(&fetch_account(node, address, height).await?))
}

/// `query tx HASH`.
pub async fn tx(node: &Node, hash: &str) -> Result<TxResponse> {
    let h = parse_tx_hash(hash)?;
    let res = node
        .tx(h)
        .await?
        .ok_or_else(|| CliError::TxNotFound(h.to_string()))?;
    let timestamp = node
        .block_time(res.height.value())
        .await
        .unwrap_or_default();
    Ok(TxResponse::from_tx_query(&res, timestamp))
}

/// `status`: CometBFT's `/status` result in full (JSON) and a summary (text).
pub async fn status(node: &Node) -> Result<(Value, Value)> {
    let s = node.status().await?;
    let full = serde_json::to_value(&s).map_err(|e| CliError::decode("status", e))?;
    let summary = json!({
        "network": s.node_info.network.to_string(),
        "moniker": s.node_info.moniker.to_string(),
        "node_id": s.node_info.id.to_string(),
        "version": s.node_info.version.to_string(),
        "latest_block_height": s.sync_info.latest_block_height.value().to_string(),
        "latest_block_hash": s.sync_info.latest_block_hash.to_string(),
        "latest_app_hash": s.sync_info.latest_app_hash.to_string(),
        "latest_block_time": s.sync_info.latest_block_time.to_rfc3339(),
        "catching_up": s.sync_info.catching_up,
        "validator_address": s.validator_info.address.to_string(),
        "voting_power": s.validator_info.power.value().to_string(),
    });
    Ok((full, summary))
}

fn metadata_json(m: &Metadata) -> Value {
    json!({
        "description": m.description,
        "denom_units": m.denom_units.iter().map(|u| json!({
            "denom": u.denom, "exponent": u.exponent, "aliases": u.aliases,
        })).collect::<Vec<_>>(),
        "base": m.base,
        "display": m.display,
        "name": m.name,
        "symbol": m.symbol,
        "uri": m.uri,
        "uri_hash": m.uri_hash,
    })
}

/// `query bank denom-metadata [--denom D]`.
pub async fn bank_denom_metadata(
    node: &Node,
    denom: Option<&str>,
    height: Option<u64>,
) -> Result<Value> {
    if let Some(denom) = denom {
        check_denom(denom)?;
        let req = QueryDenomMetadataRequest {
            denom: denom.to_string(),
        };
        let res: QueryDenomMetadataResponse = node.query(DENOM_METADATA_PATH, &req, height).await?;
        return Ok(json!({ "metadata": res.metadata.as_ref().map(metadata_json) }));
    }
    let mut all = Vec::new();
    let mut key = Vec::new();
    for _ in 0..MAX_PAGES {
        let req = QueryDenomsMetadataRequest {
            pagination: page(key.clone()),
        };
        let res: QueryDenomsMetadataResponse =
            node.query(DENOMS_METADATA_PATH, &req, height).await?;
        all.extend(res.metadatas.iter().map(metadata_json));
        let next = res.pagination.map(|p| p.next_key).unwrap_or_default();
        if next.is_empty() || next == key {
            return Ok(json!({ "metadatas": all, "pagination": pagination_json(all.len()) }));
        }
        key = next;
    }
    Err(CliError::decode("paginated response", "too many pages"))
}

/// `query bank params`.
#[allow(deprecated)] // per-denom send_enabled moved out of Params in SDK 0.47; shown if set
pub async fn bank_params(node: &Node, height: Option<u64>) -> Result<Value> {
    let res: BankParamsResponse = node
        .query(BANK_PARAMS_PATH, &BankParamsRequest {}, height)
        .await?;
    let p = res.params.unwrap_or_default();
    Ok(json!({ "params": {
        "send_enabled": p.send_enabled.iter().map(|s| json!({ "denom": s.denom, "enabled": s.enabled })).collect::<Vec<_>>(),
        "default_send_enabled": p.default_send_enabled,
    }}))
}

/// `query auth params`.
pub async fn auth_params(node: &Node, height: Option<u64>) -> Result<Value> {
    let res: AuthParamsResponse = node
        .query(AUTH_PARAMS_PATH, &AuthParamsRequest {}, height)
        .await?;
    let p = res.params.unwrap_or_default();
    Ok(json!({ "params": {
        "max_memo_characters": p.max_memo_characters.to_string(),
        "tx_sig_limit": p.tx_sig_limit.to_string(),
        "tx_size_cost_per_byte": p.tx_size_cost_per_byte.to_string(),
        "sig_verify_cost_ed25519": p.sig_verify_cost_ed25519.to_string(),
        "sig_verify_cost_secp256k1": p.sig_verify_cost_secp256k1.to_string(),
    }}))
}

/// `query txs --query Q`: CometBFT `/tx_search`, as the SDK's `SearchTxsResult`.
pub async fn txs(node: &Node, query: &str, page: u32, limit: u8) -> Result<Value> {
    let (total, found) = node.tx_search(query, page, limit).await?;
    let mut times: std::collections::BTreeMap<u64, String> = std::collections::BTreeMap::new();
    let mut txs = Vec::with_capacity(found.len());
    for r in &found {
        let h = r.height.value();
        let time = match times.get(&h) {
            Some(t) => t.clone(),
            None => {
                let t = node.block_time(h).await.unwrap_or_default();
                times.insert(h, t.clone());
                t
            }
        };
        txs.push(TxResponse::from_tx_query(r, time).to_value());
    }
    let limit = u64::from(limit.max(1));
    Ok(json!({
        "total_count": total.to_string(),
        "count": txs.len().to_string(),
        "page_number": page.to_string(),
        "page_total": u64::from(total).div_ceil(limit).to_string(),
        "limit": limit.to_string(),
        "txs": txs,
    }))
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
            pub_key: Some(cosmos_sdk_proto::Any {
                type_url: crate::tx::SECP256K1_PUBKEY_TYPE_URL.into(),
                value: PubKey { key: pk.to_vec() }.encode_to_vec(),
            }),
            account_number: 12,
            sequence: 34,
        };
        let acc = decode_account(BASE_ACCOUNT_TYPE_URL, &base.encode_to_vec()).unwrap();
        assert_eq!((acc.account_number, acc.sequence), (12, 34));
        let v = account_json(&acc);
        assert_eq!(v["@type"], BASE_ACCOUNT_TYPE_URL);
        assert_eq!(v["address"], addr);
        assert_eq!(v["account_number"], "12");
        assert_eq!(v["sequence"], "34");
        assert_eq!(v["pub_key"]["key"], b64(&pk));

        let module = ModuleAccount {
            base_account: Some(BaseAccount {
                pub_key: None,
                ..base
            }),
            name: "fee_collector".into(),
            permissions: vec![],
        };
        let acc = decode_account(MODULE_ACCOUNT_TYPE_URL, &module.encode_to_vec()).unwrap();
        let v = account_json(&acc);
        assert_eq!(v["name"], "fee_collector");
        assert!(v["pub_key"].is_null());
        assert!(decode_account("/x.Unknown", &[]).is_err());
        assert!(decode_account(BASE_ACCOUNT_TYPE_URL, &[0xff, 0xff]).is_err());
    }

    #[tokio::test]
    async fn pagination_follows_next_key() {
        let pages = std::cell::RefCell::new(vec![]);
        let all = all_pages(|key| {
            pages.borrow_mut().push(key.clone());
            async move {
                let n = key.first().copied().unwrap_or(0);
                let coin = ProtoCoin {
                    denom: format!("d{n}x"),
                    amount: "1".into(),
                };
                Ok((vec![coin], if n < 2 { vec![n + 1] } else { vec![] }))
            }
        })
        .await
        .unwrap();
        assert_eq!(all.len(), 3);
        assert_eq!(*pages.borrow(), vec![vec![], vec![1], vec![2]]);
    }
}
