//! `DecCoins`: the SDK's sorted set of decimal coins (positive amounts only,
//! one per denom), with the operations F1 needs and the SDK's rounding:
//! `mul_dec` rounds half to even, `*_truncate` round toward zero. Amounts
//! are never negative: a subtraction below zero is an error, which is what
//! the SDK's `IsAnyNegative` panics guard against.

use borsh::{BorshDeserialize, BorshSerialize};
use cosmos_sdk_proto::cosmos::base::v1beta1::DecCoin as PDecCoin;
use serde::{Deserialize, Serialize};
use venice_sdk::{Coin, Coins, Error, Result};
use venice_types::Dec;

#[derive(Clone, Debug, Default, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct DecCoins(Vec<(String, Dec)>);

/// JSON form (genesis): `{"denom": "uvvv", "amount": "1.500000000000000000"}`.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct JsonDecCoin {
    pub denom: String,
    pub amount: String,
}

fn overflow(what: &str) -> Error {
    Error::Internal(format!("distribution arithmetic overflow: {what}"))
}

impl DecCoins {
    pub fn empty() -> Self {
        DecCoins(Vec::new())
    }

    /// From any list: sums duplicates, drops zeros, sorts.
    pub fn normalize(items: impl IntoIterator<Item = (String, Dec)>) -> Result<Self> {
        let mut m: std::collections::BTreeMap<String, Dec> = std::collections::BTreeMap::new();
        for (d, a) in items {
            let e = m.entry(d).or_default();
            *e = e.checked_add(a).ok_or_else(|| overflow("dec coins sum"))?;
        }
        Ok(DecCoins(m.into_iter().filter(|(_, a)| !a.is_zero()).collect()))
    }

    pub fn from_coins(c: &Coins) -> Result<Self> {
        DecCoins::normalize(
            c.iter()
                .map(|c| Ok((c.denom.clone(), Dec::from_int(c.amount).ok_or_else(|| overflow("coin to dec"))?)))
                .collect::<Result<Vec<_>>>()?,
        )
    }

    pub fn iter(&self) -> impl Iterator<Item = &(String, Dec)> {
        self.0.iter()
    }
    pub fn is_zero(&self) -> bool {
        self.0.is_empty()
    }
    pub fn amount_of(&self, denom: &str) -> Dec {
        self.0.iter().find(|(d, _)| d == denom).map(|(_, a)| *a).unwrap_or_default()
    }

    pub fn add(&self, o: &DecCoins) -> Result<DecCoins> {
        DecCoins::normalize(self.0.iter().chain(o.0.iter()).cloned())
    }

    /// `self - o`; an error if any denom would go below zero.
    pub fn sub(&self, o: &DecCoins) -> Result<DecCoins> {
        let mut out = self.0.clone();
        for (d, a) in &o.0 {
            let slot = out.iter_mut().find(|(x, _)| x == d);
            match slot {
                Some((_, have)) => *have = have.checked_sub(*a).ok_or_else(|| negative(d))?,
                None => return Err(negative(d)),
            }
        }
        DecCoins::normalize(out)
    }

    /// `self <= o` denom by denom.
    pub fn is_all_lte(&self, o: &DecCoins) -> bool {
        self.0.iter().all(|(d, a)| *a <= o.amount_of(d))
    }

    /// Each amount times `m`, rounded half to even (the SDK's `MulDec`).
    pub fn mul_dec(&self, m: Dec) -> Result<DecCoins> {
        self.map(|a| a.checked_mul(m), "mul_dec")
    }
    /// Each amount times `m`, truncated (`MulDecTruncate`).
    pub fn mul_dec_truncate(&self, m: Dec) -> Result<DecCoins> {
        self.map(|a| a.mul_truncate(m), "mul_dec_truncate")
    }
    /// Each amount divided by `d`, truncated (`QuoDecTruncate`).
    pub fn quo_dec_truncate(&self, d: Dec) -> Result<DecCoins> {
        if d.is_zero() {
            return Err(Error::Internal("distribution: division by zero".into()));
        }
        self.map(|a| a.quo_truncate(d), "quo_dec_truncate")
    }

    fn map(&self, f: impl Fn(Dec) -> Option<Dec>, what: &str) -> Result<DecCoins> {
        DecCoins::normalize(self.0.iter().map(|(d, a)| Ok((d.clone(), f(*a).ok_or_else(|| overflow(what))?))).collect::<Result<Vec<_>>>()?)
    }

    /// The whole coins and the decimal change (`TruncateDecimal`).
    pub fn truncate_decimal(&self) -> Result<(Coins, DecCoins)> {
        let mut whole = Vec::new();
        let mut change = Vec::new();
        for (d, a) in &self.0 {
            let int = a.truncate_int();
            whole.push(Coin::new(d.clone(), int));
            change.push((
                d.clone(),
                a.checked_sub(Dec::from_int(int).ok_or_else(|| overflow("truncate"))?).ok_or_else(|| overflow("truncate"))?,
            ));
        }
        Ok((Coins::normalize(whole)?, DecCoins::normalize(change)?))
    }

    /// The smaller amount of each denom in both (`Intersect`).
    pub fn intersect(&self, o: &DecCoins) -> DecCoins {
        DecCoins(self.0.iter().map(|(d, a)| (d.clone(), (*a).min(o.amount_of(d)))).filter(|(_, a)| !a.is_zero()).collect())
    }

    /// The SDK's `DecCoins.String()`: `1.500000000000000000uvvv,…`.
    pub fn to_sdk_string(&self) -> String {
        self.0.iter().map(|(d, a)| format!("{}{d}", a.to_sdk_string())).collect::<Vec<_>>().join(",")
    }

    pub fn to_proto(&self) -> Vec<PDecCoin> {
        self.0.iter().map(|(d, a)| PDecCoin { denom: d.clone(), amount: a.to_atto_string() }).collect()
    }

    pub fn to_json(&self) -> Vec<JsonDecCoin> {
        self.0.iter().map(|(d, a)| JsonDecCoin { denom: d.clone(), amount: a.to_sdk_string() }).collect()
    }

    /// Genesis JSON: denoms valid, amounts decimal and non-negative, sorted
    /// and unique as the SDK's `DecCoins.Validate` wants.
    pub fn from_json(list: &[JsonDecCoin], field: &str) -> Result<DecCoins> {
        let mut out = Vec::new();
        for c in list {
            venice_sdk::coin::validate_denom(&c.denom).map_err(|e| Error::Genesis(format!("{field}: {e}")))?;
            let a = Dec::parse(&c.amount).ok_or_else(|| Error::Genesis(format!("{field}: invalid decimal amount {:?}", c.amount)))?;
            out.push((c.denom.clone(), a));
        }
        for w in out.windows(2) {
            if w[0].0 >= w[1].0 {
                return Err(Error::Genesis(format!("{field}: denomination {} is not sorted or is duplicated", w[1].0)));
            }
        }
        DecCoins::normalize(out)
    }
}

fn negative(denom: &str) -> Error {
    Error::Internal(format!("distribution: negative {denom} amount"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dc(s: &[(&str, &str)]) -> DecCoins {
        DecCoins::normalize(s.iter().map(|(d, a)| (d.to_string(), Dec::parse(a).unwrap()))).unwrap()
    }

    #[test]
    fn arithmetic_and_rounding() {
        let a = dc(&[("uvvv", "10.5"), ("uatom", "3")]);
        assert_eq!(a.iter().next().unwrap().0, "uatom", "sorted");
        assert_eq!(a.add(&dc(&[("uvvv", "0.5")])).unwrap(), dc(&[("uvvv", "11"), ("uatom", "3")]));
        assert_eq!(a.sub(&dc(&[("uatom", "3")])).unwrap(), dc(&[("uvvv", "10.5")]));
        assert!(a.sub(&dc(&[("uatom", "4")])).is_err());
        assert!(a.sub(&dc(&[("ufoo", "1")])).is_err());
        let (whole, change) = a.truncate_decimal().unwrap();
        assert_eq!(whole.to_string(), "3uatom,10uvvv");
        assert_eq!(change, dc(&[("uvvv", "0.5")]));
        assert_eq!(dc(&[("uvvv", "1")]).quo_dec_truncate(Dec::parse("3").unwrap()).unwrap().to_sdk_string(), "0.333333333333333333uvvv");
        assert_eq!(
            dc(&[("uvvv", "2")])
                .mul_dec(Dec::parse("0.333333333333333333").unwrap().checked_add(Dec::from_atto(0)).unwrap())
                .unwrap()
                .to_sdk_string(),
            "0.666666666666666666uvvv"
        );
        assert_eq!(a.intersect(&dc(&[("uvvv", "2")])), dc(&[("uvvv", "2")]));
        assert_eq!(a.to_proto()[1].amount, "10500000000000000000");
        assert_eq!(DecCoins::from_json(&a.to_json(), "x").unwrap(), a);
    }
}
