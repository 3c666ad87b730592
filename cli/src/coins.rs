//! Coin strings as the Cosmos SDK CLI writes them (`1000uvvv`,
//! `5uvvv,7ibc/ABC…`), decimal gas prices (`0.025uvvv`) and fee arithmetic,
//! all in integers so that a fee never depends on float rounding.

use std::fmt;

use crate::error::{CliError, Result};

/// An integer amount of one denom.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coin {
    pub amount: u128,
    pub denom: String,
}

impl fmt::Display for Coin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.amount, self.denom)
    }
}

impl From<&Coin> for cosmos_sdk_proto::cosmos::base::v1beta1::Coin {
    fn from(c: &Coin) -> Self {
        Self {
            denom: c.denom.clone(),
            amount: c.amount.to_string(),
        }
    }
}

/// Decimal fixed point with 18 fractional digits, as the SDK's `LegacyDec`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Dec(u128);

const DEC_SCALE: u128 = 1_000_000_000_000_000_000;
const DEC_DIGITS: usize = 18;

impl Dec {
    #[cfg(test)]
    pub const ONE: Dec = Dec(DEC_SCALE);

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
        let mut frac_val: u128 = if frac.is_empty() {
            0
        } else {
            frac.parse().ok()?
        };
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

/// A decimal amount of one denom (gas prices).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecCoin {
    pub amount: Dec,
    pub denom: String,
}

/// SDK denom rule: `[a-zA-Z][a-zA-Z0-9/:._-]{2,127}`.
pub fn validate_denom(denom: &str) -> std::result::Result<(), String> {
    let bytes = denom.as_bytes();
    if !(3..=128).contains(&bytes.len()) {
        return Err(format!("denom {denom:?} must be 3 to 128 characters"));
    }
    if !bytes[0].is_ascii_alphabetic() {
        return Err(format!("denom {denom:?} must start with a letter"));
    }
    if let Some(c) = denom
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '/' | ':' | '.' | '_' | '-')))
    {
        return Err(format!("denom {denom:?} contains {c:?}"));
    }
    Ok(())
}

/// Splits `123.4uvvv` into (`123.4`, `uvvv`).
fn split_amount(s: &str) -> (&str, &str) {
    let end = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(s.len());
    s.split_at(end)
}

fn parse_one(s: &str, input: &str) -> Result<Coin> {
    let bad = |reason: String| CliError::BadCoin {
        input: input.to_string(),
        reason,
    };
    let (amount, denom) = split_amount(s.trim());
    // The SDK's coin regex allows blanks between amount and denom.
    let denom = denom.trim_start();
    if amount.is_empty() {
        return Err(bad(format!(
            "{s:?} does not start with an amount (expected e.g. 1000uvvv)"
        )));
    }
    if amount.contains('.') {
        return Err(bad(format!(
            "{s:?}: amounts are integers of the base denom (e.g. uvvv)"
        )));
    }
    if denom.is_empty() {
        return Err(bad(format!("{s:?} has no denom (expected e.g. 1000uvvv)")));
    }
    validate_denom(denom).map_err(bad)?;
    let amount: u128 = amount
        .parse()
        .map_err(|_| bad(format!("amount {amount} is too large")))?;
    Ok(Coin {
        amount,
        denom: denom.to_string(),
    })
}

/// Parses a comma-separated coin list, sorted by denom with no duplicates
/// (what the SDK's `Coins.Validate` requires of a message). Zero amounts are
/// an error when `allow_zero` is false and are dropped otherwise.
pub fn parse_coins(input: &str, allow_zero: bool) -> Result<Vec<Coin>> {
    let bad = |reason: String| CliError::BadCoin {
        input: input.to_string(),
        reason,
    };
    if input.trim().is_empty() {
        return Err(bad("empty".into()));
    }
    let mut coins = Vec::new();
    for part in input.split(',') {
        let coin = parse_one(part, input)?;
        if coin.amount == 0 {
            if allow_zero {
                continue;
            }
            return Err(bad(format!("{part:?}: amount must be positive")));
        }
        coins.push(coin);
    }
    coins.sort_by(|a, b| a.denom.cmp(&b.denom));
    if let Some(w) = coins.windows(2).find(|w| w[0].denom == w[1].denom) {
        return Err(bad(format!("denom {} appears twice", w[0].denom)));
    }
    Ok(coins)
}

/// Parses gas prices like `0.025uvvv` or `0.025uvvv,1ufoo`.
pub fn parse_dec_coins(input: &str) -> Result<Vec<DecCoin>> {
    let bad = |reason: String| CliError::BadCoin {
        input: input.to_string(),
        reason,
    };
    let mut out: Vec<DecCoin> = Vec::new();
    for part in input.split(',') {
        let (amount, denom) = split_amount(part.trim());
        let denom = denom.trim_start();
        let amount = Dec::parse(amount).ok_or_else(|| {
            bad(format!(
                "{part:?}: expected a decimal amount and a denom, e.g. 0.025uvvv"
            ))
        })?;
        validate_denom(denom).map_err(bad)?;
        if out.iter().any(|c| c.denom == denom) {
            return Err(bad(format!("denom {denom} appears twice")));
        }
        out.push(DecCoin {
            amount,
            denom: denom.to_string(),
        });
    }
    out.sort_by(|a, b| a.denom.cmp(&b.denom));
    Ok(out)
}

/// Fee for a gas limit at the given prices: `ceil(gas * price)` per denom,
/// as the SDK computes it; zero-priced denoms are left out.
pub fn fee_from_gas_prices(gas: u64, prices: &[DecCoin]) -> Result<Vec<Coin>> {
    let mut fee = Vec::new();
    for p in prices {
        let amount = p
            .amount
            .mul_ceil(u128::from(gas))
            .ok_or_else(|| CliError::BadCoin {
                input: format!("{}{}", p.amount, p.denom),
                reason: "fee overflows".into(),
            })?;
        if amount > 0 {
            fee.push(Coin {
                amount,
                denom: p.denom.clone(),
            });
        }
    }
    Ok(fee)
}

/// Gas limit from a simulation: `ceil(gas_used * adjustment)`.
pub fn adjusted_gas(gas_used: u64, adjustment: Dec) -> Result<u64> {
    adjustment
        .mul_ceil(u128::from(gas_used))
        .and_then(|g| u64::try_from(g).ok())
        .ok_or_else(|| CliError::BadFlag {
            flag: "--gas-adjustment",
            reason: "gas limit overflows".into(),
        })
}

pub fn coins_to_string(coins: &[Coin]) -> String {
    coins
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(amount: u128, denom: &str) -> Coin {
        Coin {
            amount,
            denom: denom.into(),
        }
    }

    #[test]
    fn parses_single_and_multiple_coins_sorted() {
        assert_eq!(
            parse_coins("1000uvvv", false).unwrap(),
            vec![c(1000, "uvvv")]
        );
        assert_eq!(
            parse_coins(
                "5uvvv, 7ibc/27394FB092D2ECCD56123C74F36E4C1F926001CEADA9CA97EA622B25F41E5EB2",
                false
            )
            .unwrap(),
            vec![
                c(
                    7,
                    "ibc/27394FB092D2ECCD56123C74F36E4C1F926001CEADA9CA97EA622B25F41E5EB2"
                ),
                c(5, "uvvv")
            ]
        );
        assert_eq!(
            parse_coins("340282366920938463463374607431768211455uvvv", false).unwrap()[0].amount,
            u128::MAX
        );
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
        assert!(
            msg.contains("10.5uvvv") && msg.contains("integers"),
            "{msg}"
        );
    }

    #[test]
    fn zero_coins_dropped_for_fees() {
        assert_eq!(parse_coins("0uvvv", true).unwrap(), vec![]);
        assert_eq!(
            parse_coins("0uvvv,3ufoo", true).unwrap(),
            vec![c(3, "ufoo")]
        );
    }

    #[test]
    fn decimals() {
        assert_eq!(Dec::parse("1").unwrap(), Dec::ONE);
        assert_eq!(Dec::parse("0.025").unwrap().to_string(), "0.025");
        assert_eq!(Dec::parse("1.300").unwrap().to_string(), "1.3");
        for bad in [
            "",
            ".5",
            "1.",
            "1.2.3",
            "abc",
            "-1",
            "0.1234567890123456789",
        ] {
            assert!(Dec::parse(bad).is_none(), "{bad:?}");
        }
        let d = parse_dec_coins("0.025uvvv").unwrap();
        assert_eq!(d[0].denom, "uvvv");
        assert!(parse_dec_coins("0.025").is_err());
        assert!(parse_dec_coins("0.025uvvv,1uvvv").is_err());
    }

    #[test]
    fn fee_is_ceil_of_gas_times_price() {
        let p = parse_dec_coins("0.025uvvv").unwrap();
        assert_eq!(
            fee_from_gas_prices(200_000, &p).unwrap(),
            vec![c(5000, "uvvv")]
        );
        // 1 * 0.025 = 0.025 -> rounds up to 1.
        assert_eq!(fee_from_gas_prices(1, &p).unwrap(), vec![c(1, "uvvv")]);
        assert_eq!(fee_from_gas_prices(41, &p).unwrap(), vec![c(2, "uvvv")]); // 1.025
        assert_eq!(fee_from_gas_prices(40, &p).unwrap(), vec![c(1, "uvvv")]); // exactly 1
        assert_eq!(fee_from_gas_prices(0, &p).unwrap(), vec![]);
        let p = parse_dec_coins("1.5uvvv,0ufoo").unwrap();
        assert_eq!(fee_from_gas_prices(3, &p).unwrap(), vec![c(5, "uvvv")]);
        let huge = parse_dec_coins("340282366920938463463uvvv").unwrap();
        assert!(fee_from_gas_prices(u64::MAX, &huge).is_err());
    }

    #[test]
    fn gas_adjustment() {
        let adj = Dec::parse("1.3").unwrap();
        assert_eq!(adjusted_gas(100_000, adj).unwrap(), 130_000);
        assert_eq!(adjusted_gas(1, adj).unwrap(), 2); // 1.3 -> 2
        assert_eq!(adjusted_gas(10, Dec::ONE).unwrap(), 10);
        assert!(adjusted_gas(u64::MAX, Dec::parse("2").unwrap()).is_err());
    }
}
