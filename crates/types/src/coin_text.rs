//! Coins as a user types them on the command line, as the Cosmos SDK CLI
//! reads them (`1000uvvv`, `5uvvv,7ibc/ABC…`), decimal gas prices
//! (`0.025uvvv`) and fee arithmetic, all in integers so that a fee never
//! depends on float rounding. Stricter than the chain's genesis notation
//! ([`Coins::parse`](crate::Coins::parse)) and worded for the user.

use std::fmt;

use crate::coin::{Coin, DEC_SCALE, DecCoin, denom_problem};
use crate::error::TypesError;

/// Decimal fixed point with 18 fractional digits, as the SDK's `LegacyDec`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Dec(u128);

const DEC_DIGITS: usize = 18;

impl Dec {
    pub const ONE: Dec = Dec(DEC_SCALE);

    /// From an integer scaled by 10^18.
    pub const fn from_atto(atto: u128) -> Dec {
        Dec(atto)
    }

    pub fn atto(self) -> u128 {
        self.0
    }

    /// `123`, `0.025`: digits on both sides of an optional point, at most 18
    /// after it.
    pub fn parse(s: &str) -> Option<Dec> {
        let (int, frac) = match s.split_once('.') {
            Some((i, f)) => (i, f),
            None => (s, ""),
        };
        let int_ok = !int.is_empty() && int.bytes().all(|b| b.is_ascii_digit());
        let frac_ok = frac.bytes().all(|b| b.is_ascii_digit()) && frac.len() <= DEC_DIGITS;
        if !int_ok || !frac_ok || (s.contains('.') && frac.is_empty()) {
            return None;
        }
        let int: u128 = int.parse().ok()?;
        let mut frac_val: u128 = if frac.is_empty() { 0 } else { frac.parse().ok()? };
        frac_val *= 10u128.pow((DEC_DIGITS - frac.len()) as u32);
        int.checked_mul(DEC_SCALE)?.checked_add(frac_val).map(Dec)
    }

    pub fn is_zero(self) -> bool {
        self.0 == 0
    }

    /// `ceil(n * self)`, or `None` on overflow.
    pub fn mul_ceil(self, n: u128) -> Option<u128> {
        // Split to keep the intermediate product inside u128 for any realistic
        // price: n * int + ceil(n * frac / SCALE).
        let int = self.0 / DEC_SCALE;
        let frac = self.0 % DEC_SCALE;
        let whole = n.checked_mul(int)?;
        let frac_prod = n.checked_mul(frac)?;
        let frac_part = frac_prod.div_ceil(DEC_SCALE);
        whole.checked_add(frac_part)
    }
}

impl fmt::Display for Dec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let int = self.0 / DEC_SCALE;
        let frac = self.0 % DEC_SCALE;
        if frac == 0 {
            return write!(f, "{int}");
        }
        let digits = format!("{frac:018}");
        write!(f, "{int}.{}", digits.trim_end_matches('0'))
    }
}

fn bad(input: &str, reason: String) -> TypesError {
    TypesError::BadCoin { input: input.to_string(), reason }
}

/// Splits `123.4uvvv` into (`123.4`, `uvvv`).
fn split_amount(s: &str) -> (&str, &str) {
    let end = s.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(s.len());
    s.split_at(end)
}

/// Parses one coin, e.g. `1000uvvv`; a zero amount is allowed (`0uvvv`).
pub fn parse_coin(input: &str) -> Result<Coin, TypesError> {
    parse_one(input, input)
}

fn parse_one(s: &str, input: &str) -> Result<Coin, TypesError> {
    let (amount, denom) = split_amount(s.trim());
    // The SDK's coin regex allows blanks between amount and denom.
    let denom = denom.trim_start();
    if amount.is_empty() {
        return Err(bad(input, format!("{s:?} does not start with an amount (expected e.g. 1000uvvv)")));
    }
    if amount.contains('.') {
        return Err(bad(input, format!("{s:?}: amounts are integers of the base denom (e.g. uvvv)")));
    }
    if denom.is_empty() {
        return Err(bad(input, format!("{s:?} has no denom (expected e.g. 1000uvvv)")));
    }
    if let Some(reason) = denom_problem(denom) {
        return Err(bad(input, reason));
    }
    let amount: u128 = amount.parse().map_err(|_| bad(input, format!("amount {amount} is too large")))?;
    Ok(Coin { amount, denom: denom.to_string() })
}

/// Parses a comma-separated coin list, sorted by denom with no duplicates
/// (what the SDK's `Coins.Validate` requires of a message). Zero amounts are
/// an error when `allow_zero` is false and are dropped otherwise.
pub fn parse_coins(input: &str, allow_zero: bool) -> Result<Vec<Coin>, TypesError> {
    if input.trim().is_empty() {
        return Err(bad(input, "empty".into()));
    }
    let mut coins = Vec::new();
    for part in input.split(',') {
        let coin = parse_one(part, input)?;
        if coin.amount == 0 {
            if allow_zero {
                continue;
            }
            return Err(bad(input, format!("{part:?}: amount must be positive")));
        }
        coins.push(coin);
    }
    coins.sort_by(|a, b| a.denom.cmp(&b.denom));
    if let Some(w) = coins.windows(2).find(|w| w[0].denom == w[1].denom) {
        return Err(bad(input, format!("denom {} appears twice", w[0].denom)));
    }
    Ok(coins)
}

/// Parses gas prices like `0.025uvvv` or `0.025uvvv,1ufoo`.
pub fn parse_dec_coins(input: &str) -> Result<Vec<DecCoin>, TypesError> {
    let mut out: Vec<DecCoin> = Vec::new();
    for part in input.split(',') {
        let (amount, denom) = split_amount(part.trim());
        let denom = denom.trim_start();
        let amount =
            Dec::parse(amount).ok_or_else(|| bad(input, format!("{part:?}: expected a decimal amount and a denom, e.g. 0.025uvvv")))?;
        if let Some(reason) = denom_problem(denom) {
            return Err(bad(input, reason));
        }
        if out.iter().any(|c| c.denom == denom) {
            return Err(bad(input, format!("denom {denom} appears twice")));
        }
        out.push(DecCoin { denom: denom.to_string(), amount_atto: amount.atto() });
    }
    out.sort_by(|a, b| a.denom.cmp(&b.denom));
    Ok(out)
}

/// Fee for a gas limit at the given prices: `ceil(gas * price)` per denom,
/// as the SDK computes it; zero-priced denoms are left out.
pub fn fee_from_gas_prices(gas: u64, prices: &[DecCoin]) -> Result<Vec<Coin>, TypesError> {
    let mut fee = Vec::new();
    for p in prices {
        let amount =
            p.amount().mul_ceil(u128::from(gas)).ok_or_else(|| bad(&format!("{}{}", p.amount(), p.denom), "fee overflows".into()))?;
        if amount > 0 {
            fee.push(Coin { amount, denom: p.denom.clone() });
        }
    }
    Ok(fee)
}

/// `5uvvv,7ufoo`, the notation the parsers read.
pub fn coins_to_string(coins: &[Coin]) -> String {
    coins.iter().map(ToString::to_string).collect::<Vec<_>>().join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(amount: u128, denom: &str) -> Coin {
        Coin { amount, denom: denom.into() }
    }

    #[test]
    fn parses_single_and_multiple_coins_sorted() {
        assert_eq!(parse_coins("1000uvvv", false).unwrap(), vec![c(1000, "uvvv")]);
        assert_eq!(
            parse_coins("5uvvv, 7ibc/27394FB092D2ECCD56123C74F36E4C1F926001CEADA9CA97EA622B25F41E5EB2", false).unwrap(),
            vec![c(7, "ibc/27394FB092D2ECCD56123C74F36E4C1F926001CEADA9CA97EA622B25F41E5EB2"), c(5, "uvvv")]
        );
        assert_eq!(parse_coins("340282366920938463463374607431768211455uvvv", false).unwrap()[0].amount, u128::MAX);
    }

    #[test]
    fn rejects_bad_coin_strings() {
        for bad in [
            "",
            "uvvv",
            "1000",
            "10.5uvvv",
            "-5uvvv",
            "5u",
            "5uv$v",
            "5 uvvv x",
            "1uvvv,2uvvv",
            "0uvvv",
            "340282366920938463463374607431768211456uvvv",
            "5 1uvvv",
            "1uvvv,",
        ] {
            let err = parse_coins(bad, false);
            assert!(err.is_err(), "{bad:?} should fail, got {err:?}");
        }
        let msg = parse_coins("10.5uvvv", false).unwrap_err().to_string();
        assert!(msg.contains("10.5uvvv") && msg.contains("integers"), "{msg}");
        assert_eq!(parse_coins("5uv$v", false).unwrap_err().to_string(), "invalid coin amount \"5uv$v\": denom \"uv$v\" contains '$'");
    }

    #[test]
    fn zero_coins_dropped_for_fees() {
        assert_eq!(parse_coins("0uvvv", true).unwrap(), vec![]);
        assert_eq!(parse_coins("0uvvv,3ufoo", true).unwrap(), vec![c(3, "ufoo")]);
    }

    #[test]
    fn decimals() {
        assert_eq!(Dec::parse("1").unwrap(), Dec::ONE);
        assert_eq!(Dec::parse("0.025").unwrap().to_string(), "0.025");
        assert_eq!(Dec::parse("1.300").unwrap().to_string(), "1.3");
        for bad in ["", ".5", "1.", "1.2.3", "abc", "-1", "0.1234567890123456789"] {
            assert!(Dec::parse(bad).is_none(), "{bad:?}");
        }
        let d = parse_dec_coins("0.025uvvv").unwrap();
        assert_eq!(d[0].denom, "uvvv");
        assert!(parse_dec_coins("0.025").is_err());
        assert!(parse_dec_coins("0.025uvvv,1uvvv").is_err());
        // Same scale as the chain's minimum gas prices.
        assert_eq!(d[0], DecCoin::parse("0.025uvvv").unwrap());
    }

    #[test]
    fn fee_is_ceil_of_gas_times_price() {
        let p = parse_dec_coins("0.025uvvv").unwrap();
        assert_eq!(fee_from_gas_prices(200_000, &p).unwrap(), vec![c(5000, "uvvv")]);
        // 1 * 0.025 = 0.025 -> rounds up to 1.
        assert_eq!(fee_from_gas_prices(1, &p).unwrap(), vec![c(1, "uvvv")]);
        assert_eq!(fee_from_gas_prices(41, &p).unwrap(), vec![c(2, "uvvv")]); // 1.025
        assert_eq!(fee_from_gas_prices(40, &p).unwrap(), vec![c(1, "uvvv")]); // exactly 1
        assert_eq!(fee_from_gas_prices(0, &p).unwrap(), vec![]);
        let p = parse_dec_coins("1.5uvvv,0ufoo").unwrap();
        assert_eq!(fee_from_gas_prices(3, &p).unwrap(), vec![c(5, "uvvv")]);
        let huge = parse_dec_coins("340282366920938463463uvvv").unwrap();
        assert!(fee_from_gas_prices(u64::MAX, &huge).is_err());
        assert_eq!(coins_to_string(&[c(3, "ufoo"), c(5, "uvvv")]), "3ufoo,5uvvv");
    }
}
