//! What every module's `query …` shares: pagination, the zero coin of an
//! absent balance, the `--denom` check. The queries themselves live in
//! `modules/`, decoded with the cosmos-sdk-proto types and rendered as the
//! Cosmos SDK CLI prints them.

use cosmos_sdk_proto::cosmos::base::query::v1beta1::PageRequest;
use cosmos_sdk_proto::cosmos::base::v1beta1::Coin as ProtoCoin;
use serde_json::{Value, json};
use venice_types::coin::denom_problem;

use crate::error::{CliError, Result};

/// Guard against a node that keeps returning a next_key.
pub const MAX_PAGES: usize = 10_000;

pub fn pagination_json(total: usize) -> Value {
    json!({ "next_key": null, "total": total.to_string() })
}

pub fn coin_or_zero(c: Option<ProtoCoin>, denom: &str) -> Value {
    let c = c.unwrap_or(ProtoCoin { denom: denom.to_string(), amount: "0".into() });
    json!({ "denom": c.denom, "amount": c.amount })
}

pub fn check_denom(denom: &str) -> Result<()> {
    match denom_problem(denom) {
        Some(reason) => Err(CliError::BadFlag { flag: "--denom", reason }),
        None => Ok(()),
    }
}

/// Follows `next_key` until the last page; `fetch(key)` returns one page.
pub async fn all_pages<F, Fut>(mut fetch: F) -> Result<Vec<ProtoCoin>>
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

pub fn page(key: Vec<u8>) -> Option<PageRequest> {
    Some(PageRequest { key, offset: 0, limit: 0, count_total: false, reverse: false })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn pagination_follows_next_key() {
        let pages = std::cell::RefCell::new(vec![]);
        let all = all_pages(|key| {
            pages.borrow_mut().push(key.clone());
            async move {
                let n = key.first().copied().unwrap_or(0);
                let coin = ProtoCoin { denom: format!("d{n}x"), amount: "1".into() };
                Ok((vec![coin], if n < 2 { vec![n + 1] } else { vec![] }))
            }
        })
        .await
        .unwrap();
        assert_eq!(all.len(), 3);
        assert_eq!(*pages.borrow(), vec![vec![], vec![1], vec![2]]);
    }
}
