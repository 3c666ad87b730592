//! Coins: denominations validated like the Cosmos SDK's and amounts as u128
//! (integer arithmetic only: the state machine never uses floats). The
//! command-line notation and its wording are in [`crate::coin_text`].

use borsh::{BorshDeserialize, BorshSerialize};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

use crate::coin_text::Dec;
use crate::error::TypesError;

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, BorshSerialize, BorshDeserialize)]
pub struct Coin {
    pub denom: String,
    pub amount: u128,
}

/// SDK denom rule: `[a-zA-Z][a-zA-Z0-9/:._-]{2,127}`.
pub fn validate_denom(denom: &str) -> Result<(), TypesError> {
    match denom_problem(denom) {
        None => Ok(()),
        Some(_) => Err(TypesError::InvalidCoins(format!("invalid denom: {denom:?}"))),
    }
}

/// What breaks the denom rule, in words for a command-line user; `None` if
/// the denom is valid. The one rule behind [`validate_denom`].
pub fn denom_problem(denom: &str) -> Option<String> {
    let bytes = denom.as_bytes();
    if !(3..=128).contains(&bytes.len()) {
        return Some(format!("denom {denom:?} must be 3 to 128 characters"));
    }
    if !bytes[0].is_ascii_alphabetic() {
        return Some(format!("denom {denom:?} must start with a letter"));
    }
    denom
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '/' | ':' | '.' | '_' | '-')))
        .map(|c| format!("denom {denom:?} contains {c:?}"))
}

impl Coin {
    pub fn new(denom: impl Into<String>, amount: u128) -> Self {
        Coin { denom: denom.into(), amount }
    }

    /// From the protobuf `cosmos.base.v1beta1.Coin` (amount is a decimal string).
    pub fn from_proto(c: &cosmos_sdk_proto::cosmos::base::v1beta1::Coin) -> Result<Self, TypesError> {
        validate_denom(&c.denom)?;
        let amount = parse_amount(&c.amount)?;
        Ok(Coin { denom: c.denom.clone(), amount })
    }

    pub fn to_proto(&self) -> cosmos_sdk_proto::cosmos::base::v1beta1::Coin {
        cosmos_sdk_proto::cosmos::base::v1beta1::Coin { denom: self.denom.clone(), amount: self.amount.to_string() }
    }
}

impl From<&Coin> for cosmos_sdk_proto::cosmos::base::v1beta1::Coin {
    fn from(c: &Coin) -> Self {
        c.to_proto()
    }
}

fn parse_amount(s: &str) -> Result<u128, TypesError> {
    if s.is_empty() || s.len() > 39 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(TypesError::InvalidCoins(format!("invalid amount: {s:?}")));
    }
    s.parse::<u128>().map_err(|_| TypesError::InvalidCoins(format!("amount out of range: {s}")))
}

impl fmt::Display for Coin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.amount, self.denom)
    }
}

/// A set of coins: sorted by denom, no duplicates, no zero amounts — the
/// SDK's `Coins.Validate` invariant, enforced at construction.
#[derive(Clone, Debug, Default, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct Coins(Vec<Coin>);

impl Coins {
    pub fn empty() -> Self {
        Coins(Vec::new())
    }

    /// Strict: input must already be sorted, unique and positive, as a
    /// signed message's coins must be (the SDK rejects unsorted coins too).
    pub fn from_proto_strict(list: &[cosmos_sdk_proto::cosmos::base::v1beta1::Coin]) -> Result<Self, TypesError> {
        let coins = list.iter().map(Coin::from_proto).collect::<Result<Vec<_>, _>>()?;
        for c in &coins {
            if c.amount == 0 {
                return Err(TypesError::InvalidCoins(format!("coin {c} amount is not positive")));
            }
        }
        for w in coins.windows(2) {
            if w[0].denom >= w[1].denom {
                return Err(TypesError::InvalidCoins(format!("denomination {} is not sorted or is duplicated", w[1].denom)));
            }
        }
        Ok(Coins(coins))
    }

    /// Lenient: sums duplicates, drops zeros, sorts (for genesis and fees).
    pub fn normalize(list: impl IntoIterator<Item = Coin>) -> Result<Self, TypesError> {
        let mut m: BTreeMap<String, u128> = BTreeMap::new();
        for c in list {
            validate_denom(&c.denom)?;
            let e = m.entry(c.denom).or_default();
            *e = e.checked_add(c.amount).ok_or_else(|| TypesError::InvalidCoins("amount overflow".into()))?;
        }
        Ok(Coins(m.into_iter().filter(|(_, a)| *a > 0).map(|(denom, amount)| Coin { denom, amount }).collect()))
    }

    /// Parse `100uvvv,5uatom` (the CLI / genesis notation).
    pub fn parse(s: &str) -> Result<Self, TypesError> {
        let mut out = Vec::new();
        for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let split =
                part.find(|c: char| !c.is_ascii_digit()).ok_or_else(|| TypesError::InvalidCoins(format!("missing denom in {part:?}")))?;
            let (amt, denom) = part.split_at(split);
            out.push(Coin { denom: denom.to_string(), amount: parse_amount(amt)? });
            validate_denom(denom)?;
        }
        Coins::normalize(out)
    }

    pub fn iter(&self) -> impl Iterator<Item = &Coin> {
        self.0.iter()
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn len(&self) -> usize {
        self.0.len()
    }
    pub fn amount_of(&self, denom: &str) -> u128 {
        self.0.iter().find(|c| c.denom == denom).map(|c| c.amount).unwrap_or(0)
    }
    pub fn to_proto(&self) -> Vec<cosmos_sdk_proto::cosmos::base::v1beta1::Coin> {
        self.0.iter().map(Coin::to_proto).collect()
    }
    pub fn into_vec(self) -> Vec<Coin> {
        self.0
    }
    /// Checked sum of two coin sets.
    pub fn checked_add(&self, other: &Coins) -> Result<Coins, TypesError> {
        Coins::normalize(self.0.iter().chain(other.0.iter()).cloned())
    }
}

impl fmt::Display for Coins {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self.0.iter().map(|c| c.to_string()).collect();
        f.write_str(&parts.join(","))
    }
}

/// JSON form used in genesis: `{"denom": "uvvv", "amount": "100"}`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct JsonCoin {
    pub denom: String,
    pub amount: String,
}

impl TryFrom<&JsonCoin> for Coin {
    type Error = TypesError;
    fn try_from(j: &JsonCoin) -> Result<Coin, TypesError> {
        validate_denom(&j.denom)?;
        Ok(Coin { denom: j.denom.clone(), amount: parse_amount(&j.amount)? })
    }
}

impl From<&Coin> for JsonCoin {
    fn from(c: &Coin) -> JsonCoin {
        JsonCoin { denom: c.denom.clone(), amount: c.amount.to_string() }
    }
}

/// A decimal coin such as a gas price `0.0025uvvv`, held as an integer
/// scaled by 10^18 (the SDK's `LegacyDec` precision) so no float is involved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecCoin {
    pub denom: String,
    pub amount_atto: u128,
}

pub const DEC_SCALE: u128 = 1_000_000_000_000_000_000;

/// The Cosmos SDK's `DecCoin.String()`: 18 decimals, e.g. `0.002500000000000000uvvv`.
impl fmt::Display for DecCoin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:018}{}", self.amount_atto / DEC_SCALE, self.amount_atto % DEC_SCALE, self.denom)
    }
}

impl DecCoin {
    pub fn parse(s: &str) -> Result<Self, TypesError> {
        let s = s.trim();
        let split = s
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .ok_or_else(|| TypesError::InvalidCoins(format!("missing denom in {s:?}")))?;
        let (num, denom) = s.split_at(split);
        validate_denom(denom)?;
        let (int, frac) = num.split_once('.').unwrap_or((num, ""));
        if int.is_empty() && frac.is_empty() || frac.len() > 18 || !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit()) {
            return Err(TypesError::InvalidCoins(format!("invalid decimal amount {num:?}")));
        }
        let int: u128 =
            if int.is_empty() { 0 } else { int.parse().map_err(|_| TypesError::InvalidCoins(format!("amount out of range: {num}")))? };
        let frac_scaled: u128 = if frac.is_empty() { 0 } else { format!("{frac:0<18}").parse().expect("18 digits fit") };
        let amount_atto = int
            .checked_mul(DEC_SCALE)
            .and_then(|v| v.checked_add(frac_scaled))
            .ok_or_else(|| TypesError::InvalidCoins(format!("amount out of range: {num}")))?;
        Ok(DecCoin { denom: denom.to_string(), amount_atto })
    }

    /// The amount as a [`Dec`] (same scale).
    pub fn amount(&self) -> Dec {
        Dec::from_atto(self.amount_atto)
    }

    /// Parse a comma-separated list (`0.0025uvvv,0.1uatom`); empty is none.
    pub fn parse_list(s: &str) -> Result<Vec<Self>, TypesError> {
        s.split(',').map(str::trim).filter(|p| !p.is_empty()).map(DecCoin::parse).collect()
    }

    /// `ceil(self * gas)` in base units; saturates instead of overflowing.
    pub fn fee_for_gas(&self, gas: u64) -> u128 {
        match self.amount_atto.checked_mul(gas as u128) {
            Some(p) => p.div_ceil(DEC_SCALE),
            None => u128::MAX,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cosmos_sdk_proto::cosmos::base::v1beta1::Coin as P;

    fn p(d: &str, a: &str) -> P {
        P { denom: d.into(), amount: a.into() }
    }

    #[test]
    fn strict_rejects_unsorted_duplicate_zero_and_bad_amounts() {
        assert!(Coins::from_proto_strict(&[p("uvvv", "1")]).is_ok());
        assert!(Coins::from_proto_strict(&[p("uvvv", "1"), p("uatom", "1")]).is_err());
        assert!(Coins::from_proto_strict(&[p("uvvv", "1"), p("uvvv", "1")]).is_err());
        assert!(Coins::from_proto_strict(&[p("uvvv", "0")]).is_err());
        assert!(Coins::from_proto_strict(&[p("uvvv", "-5")]).is_err());
        assert!(Coins::from_proto_strict(&[p("uvvv", "1e5")]).is_err());
        assert!(Coins::from_proto_strict(&[p("uvvv", "999999999999999999999999999999999999999999")]).is_err());
        assert!(Coins::from_proto_strict(&[p("1bad", "1")]).is_err());
        assert!(Coins::from_proto_strict(&[p("ab", "1")]).is_err());
    }

    #[test]
    fn parse_and_normalize() {
        let c = Coins::parse("5uvvv, 3uatom,2uvvv").unwrap();
        assert_eq!(c.to_string(), "3uatom,7uvvv");
        assert!(Coins::parse("uvvv").is_err());
        assert!(Coins::parse("10").is_err());
        assert!(Coins::parse("").unwrap().is_empty());
        assert_eq!(Coins::parse("0uvvv").unwrap(), Coins::empty());
    }

    #[test]
    fn dec_coins_and_fee_rounding() {
        // Shown as the Cosmos SDK shows a DecCoin (18 decimals).
        assert_eq!(DecCoin::parse("0.0025uvvv").unwrap().to_string(), "0.002500000000000000uvvv");
        assert_eq!(DecCoin::parse("12uvvv").unwrap().to_string(), "12.000000000000000000uvvv");
        let p = DecCoin::parse("0.0025uvvv").unwrap();
        assert_eq!(p.amount_atto, 2_500_000_000_000_000);
        assert_eq!(p.fee_for_gas(200_000), 500);
        assert_eq!(p.fee_for_gas(1), 1); // rounds up
        assert_eq!(DecCoin::parse("1uvvv").unwrap().fee_for_gas(7), 7);
        assert!(DecCoin::parse("0.0000000000000000001uvvv").is_err());
        assert!(DecCoin::parse("1.2.3uvvv").is_err());
        assert!(DecCoin::parse(".uvvv").is_err());
        assert_eq!(DecCoin::parse_list("").unwrap(), vec![]);
    }

    #[test]
    fn ibc_denoms_are_valid() {
        validate_denom("ibc/27394FB092D2ECCD56123C74F36E4C1F926001CEADA9CA97EA622B25F41E5EB2").unwrap();
    }

    #[test]
    fn denom_rule_and_its_two_wordings() {
        assert_eq!(validate_denom("ab").unwrap_err().to_string(), "invalid coins: invalid denom: \"ab\"");
        assert_eq!(denom_problem("ab").unwrap(), "denom \"ab\" must be 3 to 128 characters");
        assert_eq!(denom_problem("1ab").unwrap(), "denom \"1ab\" must start with a letter");
        assert_eq!(denom_problem("uv$v").unwrap(), "denom \"uv$v\" contains '$'");
        assert!(denom_problem("uvvv").is_none());
    }
}
