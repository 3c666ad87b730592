//! `tx bank …` and `query bank …`: the x/bank messages (`MsgSend`,
//! `MsgMultiSend`) and the `cosmos.bank.v1beta1.Query` service.

use clap::Subcommand;
use cosmos_sdk_proto::Any;
use cosmos_sdk_proto::cosmos::bank::v1beta1::{
    Input, Metadata, MsgMultiSend, MsgSend, Output, QueryAllBalancesRequest, QueryAllBalancesResponse, QueryBalanceRequest,
    QueryBalanceResponse, QueryDenomMetadataRequest, QueryDenomMetadataResponse, QueryDenomsMetadataRequest, QueryDenomsMetadataResponse,
    QueryParamsRequest, QueryParamsResponse, QuerySupplyOfRequest, QuerySupplyOfResponse, QueryTotalSupplyRequest,
    QueryTotalSupplyResponse,
};
use prost::Message;
use serde_json::{Value, json};
use venice_types::coin_text::parse_coins;
use venice_types::paths::{self, MSG_MULTI_SEND_URL, MSG_SEND_URL};
use venice_types::{Address, Coin};

use super::{TxFlags, node, print_outcome};
use crate::Cli;
use crate::broadcast::{self, TxOptions, TxOutcome};
use crate::error::{CliError, Result, bad_coin};
use crate::keyring::Keyring;
use crate::output::coins_json;
use crate::query::{MAX_PAGES, all_pages, check_denom, coin_or_zero, page, pagination_json};
use crate::rpc::Node;

#[derive(Subcommand, Debug)]
pub enum TxCmd {
    /// Send coins: FROM (key name or address in the keyring) to TO_ADDRESS
    Send {
        from: String,
        to_address: String,
        /// Coins, e.g. 1000uvvv or 1000uvvv,5ufoo
        amount: String,
        #[command(flatten)]
        flags: TxFlags,
    },
    /// Send AMOUNT to each of several addresses in one transaction
    #[command(name = "multi-send")]
    MultiSend {
        /// Key name or address in the keyring
        from: String,
        /// Recipient addresses, then the amount (e.g. 1000uvvv)
        #[arg(num_args = 2.., required = true, value_name = "TO_ADDRESS... AMOUNT")]
        to_and_amount: Vec<String>,
        /// Divide AMOUNT equally among the recipients instead of sending it to each
        #[arg(long)]
        split: bool,
        #[command(flatten)]
        flags: TxFlags,
    },
}

#[derive(Subcommand, Debug)]
pub enum QueryCmd {
    /// Balances of an address
    Balances {
        address: String,
        /// Only this denom
        #[arg(long)]
        denom: Option<String>,
        /// Query state at this height (default: latest)
        #[arg(long)]
        height: Option<u64>,
    },
    /// Total supply
    Total {
        /// Only this denom
        #[arg(long)]
        denom: Option<String>,
        /// Query state at this height (default: latest)
        #[arg(long)]
        height: Option<u64>,
    },
    /// Denom metadata (display units, symbol…)
    #[command(name = "denom-metadata")]
    DenomMetadata {
        /// Only this denom
        #[arg(long)]
        denom: Option<String>,
        /// Query state at this height (default: latest)
        #[arg(long)]
        height: Option<u64>,
    },
    /// Bank module parameters
    Params {
        /// Query state at this height (default: latest)
        #[arg(long)]
        height: Option<u64>,
    },
}

impl TxCmd {
    pub async fn run(&self, cli: &Cli) -> Result<()> {
        match self {
            TxCmd::Send { from, to_address, amount, flags } => {
                let amount = parse_coins(amount, false)?;
                Address::parse_arg(to_address)?;
                let opts = flags.options(cli)?;
                let keyring = Keyring::open(&crate::home_dir(cli)?, cli.keyring_backend);
                let node = node(cli)?;
                let outcome = send(&node, &keyring, from, to_address, &amount, &opts).await?;
                print_outcome(cli, outcome)
            }
            TxCmd::MultiSend { from, to_and_amount, split, flags } => {
                let (amount, recipients) = to_and_amount.split_last().expect("clap requires 2+ values");
                let amount = parse_coins(amount, false)?;
                for to in recipients {
                    Address::parse_arg(to)?;
                }
                let opts = flags.options(cli)?;
                let keyring = Keyring::open(&crate::home_dir(cli)?, cli.keyring_backend);
                let node = node(cli)?;
                let outcome = multi_send(&node, &keyring, from, recipients, &amount, *split, &opts).await?;
                print_outcome(cli, outcome)
            }
        }
    }
}

impl QueryCmd {
    pub async fn run(&self, cli: &Cli) -> Result<Value> {
        let node = node(cli)?;
        match self {
            QueryCmd::Balances { address, denom, height } => balances(&node, address, denom.as_deref(), *height).await,
            QueryCmd::Total { denom, height } => total(&node, denom.as_deref(), *height).await,
            QueryCmd::DenomMetadata { denom, height } => denom_metadata(&node, denom.as_deref(), *height).await,
            QueryCmd::Params { height } => params(&node, *height).await,
        }
    }
}

pub fn msg_send(from: &str, to: &str, amount: &[Coin]) -> Any {
    let msg = MsgSend { from_address: from.to_string(), to_address: to.to_string(), amount: amount.iter().map(Into::into).collect() };
    Any { type_url: MSG_SEND_URL.into(), value: msg.encode_to_vec() }
}

/// The per-recipient coins of a multi-send: `amount` to each recipient, or
/// with `split` `amount` divided equally (integer division, as the SDK does;
/// a denom that would give a recipient nothing is an error).
pub fn multi_send_share(amount: &[Coin], recipients: usize, split: bool) -> Result<Vec<Coin>> {
    if recipients == 0 {
        return Err(CliError::TxBuild("multi-send needs at least one recipient".into()));
    }
    if !split {
        return Ok(amount.to_vec());
    }
    amount
        .iter()
        .map(|c| {
            let each = c.amount / recipients as u128;
            if each == 0 {
                return Err(bad_coin(c.to_string(), format!("too small to split among {recipients} recipients")));
            }
            Ok(Coin { amount: each, denom: c.denom.clone() })
        })
        .collect()
}

/// One input (the sender, paying the sum) and one output per recipient.
pub fn msg_multi_send(from: &str, recipients: &[String], share: &[Coin]) -> Result<Any> {
    let n = recipients.len() as u128;
    let total: Vec<Coin> = share
        .iter()
        .map(|c| {
            c.amount
                .checked_mul(n)
                .map(|amount| Coin { amount, denom: c.denom.clone() })
                .ok_or_else(|| bad_coin(c.to_string(), "total overflows"))
        })
        .collect::<Result<_>>()?;
    let msg = MsgMultiSend {
        inputs: vec![Input { address: from.to_string(), coins: total.iter().map(Into::into).collect() }],
        outputs: recipients.iter().map(|to| Output { address: to.clone(), coins: share.iter().map(Into::into).collect() }).collect(),
    };
    Ok(Any { type_url: MSG_MULTI_SEND_URL.into(), value: msg.encode_to_vec() })
}

/// `tx bank send FROM TO AMOUNT`.
pub async fn send(node: &Node, keyring: &Keyring, from: &str, to: &str, amount: &[Coin], opts: &TxOptions) -> Result<TxOutcome> {
    Address::parse_arg(to)?;
    let key = keyring.get(from)?;
    let msgs = vec![msg_send(&key.address, to, amount)];
    broadcast::sign_and_broadcast(node, keyring, &key, msgs, opts).await
}

/// `tx bank multi-send FROM TO... AMOUNT [--split]`.
pub async fn multi_send(
    node: &Node,
    keyring: &Keyring,
    from: &str,
    recipients: &[String],
    amount: &[Coin],
    split: bool,
    opts: &TxOptions,
) -> Result<TxOutcome> {
    for to in recipients {
        Address::parse_arg(to)?;
    }
    let share = multi_send_share(amount, recipients.len(), split)?;
    let key = keyring.get(from)?;
    let msgs = vec![msg_multi_send(&key.address, recipients, &share)?];
    broadcast::sign_and_broadcast(node, keyring, &key, msgs, opts).await
}

/// `query bank balances ADDR [--denom D]`.
pub async fn balances(node: &Node, address: &str, denom: Option<&str>, height: Option<u64>) -> Result<Value> {
    Address::parse_arg(address)?;
    if let Some(denom) = denom {
        check_denom(denom)?;
        let req = QueryBalanceRequest { address: address.to_string(), denom: denom.to_string() };
        let res: QueryBalanceResponse = node.query(paths::bank::BALANCE, &req, height).await?;
        return Ok(coin_or_zero(res.balance, denom));
    }
    let balances = all_pages(|key| async move {
        let req = QueryAllBalancesRequest { address: address.to_string(), pagination: page(key), resolve_denom: false };
        let res: QueryAllBalancesResponse = node.query(paths::bank::ALL_BALANCES, &req, height).await?;
        Ok((res.balances, res.pagination.map(|p| p.next_key).unwrap_or_default()))
    })
    .await?;
    Ok(json!({ "balances": coins_json(&balances), "pagination": pagination_json(balances.len()) }))
}

/// `query bank total [--denom D]`.
pub async fn total(node: &Node, denom: Option<&str>, height: Option<u64>) -> Result<Value> {
    if let Some(denom) = denom {
        check_denom(denom)?;
        let req = QuerySupplyOfRequest { denom: denom.to_string() };
        let res: QuerySupplyOfResponse = node.query(paths::bank::SUPPLY_OF, &req, height).await?;
        return Ok(coin_or_zero(res.amount, denom));
    }
    let supply = all_pages(|key| async move {
        let req = QueryTotalSupplyRequest { pagination: page(key) };
        let res: QueryTotalSupplyResponse = node.query(paths::bank::TOTAL_SUPPLY, &req, height).await?;
        Ok((res.supply, res.pagination.map(|p| p.next_key).unwrap_or_default()))
    })
    .await?;
    Ok(json!({ "supply": coins_json(&supply), "pagination": pagination_json(supply.len()) }))
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
pub async fn denom_metadata(node: &Node, denom: Option<&str>, height: Option<u64>) -> Result<Value> {
    if let Some(denom) = denom {
        check_denom(denom)?;
        let req = QueryDenomMetadataRequest { denom: denom.to_string() };
        let res: QueryDenomMetadataResponse = node.query(paths::bank::DENOM_METADATA, &req, height).await?;
        return Ok(json!({ "metadata": res.metadata.as_ref().map(metadata_json) }));
    }
    let mut all = Vec::new();
    let mut key = Vec::new();
    for _ in 0..MAX_PAGES {
        let req = QueryDenomsMetadataRequest { pagination: page(key.clone()) };
        let res: QueryDenomsMetadataResponse = node.query(paths::bank::DENOMS_METADATA, &req, height).await?;
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
pub async fn params(node: &Node, height: Option<u64>) -> Result<Value> {
    let res: QueryParamsResponse = node.query(paths::bank::PARAMS, &QueryParamsRequest {}, height).await?;
    let p = res.params.unwrap_or_default();
    Ok(json!({ "params": {
        "send_enabled": p.send_enabled.iter().map(|s| json!({ "denom": s.denom, "enabled": s.enabled })).collect::<Vec<_>>(),
        "default_send_enabled": p.default_send_enabled,
    }}))
}

#[cfg(test)]
mod tests {
    use super::*;
    use cosmos_sdk_proto::cosmos::base::v1beta1::Coin as ProtoCoin;
    use venice_types::coin_text::coins_to_string;

    #[test]
    fn multi_send_message() {
        let amount = parse_coins("10uvvv,3ufoo", false).unwrap();
        let to = vec!["venice1a".to_string(), "venice1b".to_string()];
        let share = multi_send_share(&amount, 2, false).unwrap();
        let any = msg_multi_send("venice1from", &to, &share).unwrap();
        assert_eq!(any.type_url, MSG_MULTI_SEND_URL);
        let m = MsgMultiSend::decode(any.value.as_slice()).unwrap();
        assert_eq!(m.inputs.len(), 1);
        let total: Vec<_> = m.inputs[0].coins.iter().map(|c| format!("{}{}", c.amount, c.denom)).collect();
        assert_eq!(total, ["6ufoo", "20uvvv"]);
        assert_eq!(m.outputs.len(), 2);
        assert_eq!(m.outputs[1].address, "venice1b");
        assert_eq!(m.outputs[1].coins[1].amount, "10");
        // --split: 10 among 3 is 3 each (9 sent), 3ufoo among 4 is refused.
        let split = multi_send_share(&parse_coins("10uvvv", false).unwrap(), 3, true).unwrap();
        assert_eq!(coins_to_string(&split), "3uvvv");
        assert!(multi_send_share(&parse_coins("3ufoo", false).unwrap(), 4, true).is_err());
        assert!(multi_send_share(&amount, 0, false).is_err());
        let huge = parse_coins("340282366920938463463374607431768211455uvvv", false).unwrap();
        assert!(msg_multi_send("a", &to, &huge).is_err());
    }

    #[test]
    fn send_message() {
        let any = msg_send("venice1a", "venice1b", &parse_coins("7uvvv", false).unwrap());
        assert_eq!(any.type_url, MSG_SEND_URL);
        let m = MsgSend::decode(any.value.as_slice()).unwrap();
        assert_eq!(m.amount, vec![ProtoCoin::from(&Coin::new("uvvv", 7))]);
    }
}
