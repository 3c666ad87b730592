//! `Dec`: non-negative decimal fixed point with 18 fractional digits, the
//! Cosmos SDK's `LegacyDec` as staking uses it (shares, exchange rates,
//! commission rates). Integer arithmetic only, with the SDK's rounding:
//! `mul` and `quo` round half to even on the 18th digit (the SDK's
//! `chopPrecisionAndRound`), `*_truncate` round toward zero. Products are
//! computed 256 bits wide, so `shares * tokens / shares` never overflows
//! for any supply a u128 can hold.
//!
//! Text forms: the SDK's JSON writes `"1.500000000000000000"`
//! ([`Dec::to_sdk_string`]); its protobuf fields (gogoproto customtype) carry
//! the integer scaled by 10^18, `"1500000000000000000"`
//! ([`Dec::to_atto_string`], [`Dec::from_atto_str`]).

use std::fmt;

use borsh::{BorshDeserialize, BorshSerialize};

/// 10^18, the scale of every `Dec`.
pub const DEC_SCALE: u128 = 1_000_000_000_000_000_000;
const DEC_DIGITS: usize = 18;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, BorshSerialize, BorshDeserialize)]
pub struct Dec(u128);

impl Dec {
    pub const ZERO: Dec = Dec(0);
    pub const ONE: Dec = Dec(DEC_SCALE);

    /// From an integer scaled by 10^18.
    pub const fn from_atto(atto: u128) -> Dec {
        Dec(atto)
    }

    pub fn atto(self) -> u128 {
        self.0
    }

    /// The integer `n` as a decimal (`None` when it does not fit).
    pub fn from_int(n: u128) -> Option<Dec> {
        n.checked_mul(DEC_SCALE).map(Dec)
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

    /// The protobuf form: the integer scaled by 10^18 (empty is zero, as
    /// gogoproto's customtype reads it).
    pub fn from_atto_str(s: &str) -> Option<Dec> {
        if s.is_empty() {
            return Some(Dec::ZERO);
        }
        if !s.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        s.parse().ok().map(Dec)
    }

    pub fn to_atto_string(self) -> String {
        self.0.to_string()
    }

    /// The SDK's `LegacyDec.String()`: always 18 fractional digits.
    pub fn to_sdk_string(self) -> String {
        format!("{}.{:018}", self.0 / DEC_SCALE, self.0 % DEC_SCALE)
    }

    pub fn is_zero(self) -> bool {
        self.0 == 0
    }

    pub fn checked_add(self, o: Dec) -> Option<Dec> {
        self.0.checked_add(o.0).map(Dec)
    }

    pub fn checked_sub(self, o: Dec) -> Option<Dec> {
        self.0.checked_sub(o.0).map(Dec)
    }

    /// `self * o`, rounded half to even.
    pub fn checked_mul(self, o: Dec) -> Option<Dec> {
        let (q, r) = U256::mul(self.0, o.0).div_rem(DEC_SCALE);
        round_half_even(q.to_u128()?, r, DEC_SCALE)
    }

    /// `self * o`, truncated.
    pub fn mul_truncate(self, o: Dec) -> Option<Dec> {
        U256::mul(self.0, o.0).div_rem(DEC_SCALE).0.to_u128().map(Dec)
    }

    /// `self * n` for an integer `n` (exact).
    pub fn mul_int(self, n: u128) -> Option<Dec> {
        self.0.checked_mul(n).map(Dec)
    }

    /// `self / n` for an integer `n`, truncated (the SDK's `QuoInt`).
    pub fn quo_int(self, n: u128) -> Option<Dec> {
        self.0.checked_div(n).map(Dec)
    }

    /// `self * n / d` with integers `n`, `d`, truncated, without overflow
    /// of the intermediate (`Dec.MulInt(n).QuoInt(d)`).
    pub fn mul_int_quo_int(self, n: u128, d: u128) -> Option<Dec> {
        if d == 0 {
            return None;
        }
        U256::mul(self.0, n).div_rem(d).0.to_u128().map(Dec)
    }

    /// `self * n / o`, as the SDK's `Dec.MulInt(n).Quo(o)` rounds it
    /// (half to even on the truncated 36-digit quotient).
    pub fn mul_int_quo(self, n: u128, o: Dec) -> Option<Dec> {
        quo_wide(U256::mul(self.0, n), o.0)
    }

    /// `self * n / o`, truncated (`Dec.MulInt(n).QuoTruncate(o)`).
    pub fn mul_int_quo_truncate(self, n: u128, o: Dec) -> Option<Dec> {
        if o.0 == 0 {
            return None;
        }
        U256::mul(self.0, n).mul_small(DEC_SCALE)?.div_rem(o.0).0.to_u128().map(Dec)
    }

    /// `self / o`, rounded half to even (the SDK's `Quo`).
    pub fn quo(self, o: Dec) -> Option<Dec> {
        quo_wide(U256::from(self.0), o.0)
    }

    /// `self / o`, truncated (the SDK's `QuoTruncate`).
    pub fn quo_truncate(self, o: Dec) -> Option<Dec> {
        if o.0 == 0 {
            return None;
        }
        U256::mul(self.0, DEC_SCALE).div_rem(o.0).0.to_u128().map(Dec)
    }

    /// The integer part (the SDK's `TruncateInt`).
    pub fn truncate_int(self) -> u128 {
        self.0 / DEC_SCALE
    }

    /// `ceil(n * self)`, or `None` on overflow.
    pub fn mul_ceil(self, n: u128) -> Option<u128> {
        let (q, r) = U256::mul(self.0, n).div_rem(DEC_SCALE);
        q.to_u128()?.checked_add(u128::from(r > 0))
    }
}

/// `x / d` where `x` is already scaled by 10^18, as the SDK computes `Quo`:
/// `chopPrecisionAndRound(x * 10^36 / d)`. With `x*10^18 = Q*d + r1`, the
/// 36-digit quotient is `Q*10^18 + floor(r1*10^18/d)`, whose chop is `Q`
/// with remainder `floor(r1*10^18/d)`: no 512-bit product needed.
fn quo_wide(x: U256, d: u128) -> Option<Dec> {
    if d == 0 {
        return None;
    }
    let (q, r1) = x.mul_small(DEC_SCALE)?.div_rem(d);
    let (f, _) = U256::mul(r1, DEC_SCALE).div_rem(d);
    round_half_even(q.to_u128()?, f.to_u128()?, DEC_SCALE)
}

/// `q + rem/scale` rounded to an integer, half to even.
fn round_half_even(q: u128, rem: u128, scale: u128) -> Option<Dec> {
    let half = scale / 2;
    let up = rem > half || (rem == half && q % 2 == 1);
    q.checked_add(u128::from(up)).map(Dec)
}

impl fmt::Display for Dec {
    /// Shortest form (`0.025`, `1.3`, `2`): the CLI's way of showing a number.
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

/// Unsigned 256-bit integer: just the operations the exact products need.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct U256 {
    hi: u128,
    lo: u128,
}

impl From<u128> for U256 {
    fn from(lo: u128) -> Self {
        U256 { hi: 0, lo }
    }
}

impl U256 {
    /// The full product of two u128.
    fn mul(a: u128, b: u128) -> U256 {
        const M: u128 = u64::MAX as u128;
        let (a1, a0) = (a >> 64, a & M);
        let (b1, b0) = (b >> 64, b & M);
        let p00 = a0 * b0;
        let p01 = a0 * b1;
        let p10 = a1 * b0;
        let p11 = a1 * b1;
        // Middle column: at most three 64-bit terms, carried into the high half.
        let mid = (p00 >> 64) + (p01 & M) + (p10 & M);
        let lo = (p00 & M) | (mid << 64);
        let hi = p11 + (p01 >> 64) + (p10 >> 64) + (mid >> 64);
        U256 { hi, lo }
    }

    /// `self * m`, `None` past 256 bits.
    fn mul_small(self, m: u128) -> Option<U256> {
        let low = U256::mul(self.lo, m);
        let high = U256::mul(self.hi, m);
        if high.hi != 0 {
            return None;
        }
        let hi = low.hi.checked_add(high.lo)?;
        Some(U256 { hi, lo: low.lo })
    }

    /// Long division by a u128: (quotient, remainder).
    fn div_rem(self, d: u128) -> (U256, u128) {
        assert!(d != 0, "division by zero");
        if self.hi == 0 {
            return (U256::from(self.lo / d), self.lo % d);
        }
        let mut q = U256 { hi: 0, lo: 0 };
        let mut rem: u128 = 0;
        for i in (0..256).rev() {
            let bit = if i >= 128 { (self.hi >> (i - 128)) & 1 } else { (self.lo >> i) & 1 };
            // rem < d before the shift, so 2*rem+bit < 2d: one subtraction
            // suffices; a carry out of bit 127 means the value exceeds d.
            let carry = rem >> 127;
            rem = (rem << 1) | bit;
            if carry == 1 || rem >= d {
                rem = rem.wrapping_sub(d);
                if i >= 128 {
                    q.hi |= 1 << (i - 128);
                } else {
                    q.lo |= 1 << i;
                }
            }
        }
        (q, rem)
    }

    fn to_u128(self) -> Option<u128> {
        (self.hi == 0).then_some(self.lo)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Dec {
        Dec::parse(s).unwrap()
    }

    #[test]
    fn text_forms() {
        assert_eq!(d("1").to_sdk_string(), "1.000000000000000000");
        assert_eq!(d("0.05").to_atto_string(), "50000000000000000");
        assert_eq!(Dec::from_atto_str("50000000000000000"), Some(d("0.05")));
        assert_eq!(Dec::from_atto_str(""), Some(Dec::ZERO));
        assert_eq!(Dec::from_atto_str("0.5"), None);
        assert_eq!(d("1.300").to_string(), "1.3");
    }

    #[test]
    fn rounding_matches_the_sdk() {
        // 2/3 = 0.666…667 (rounded), 0.666…666 (truncated).
        assert_eq!(d("2").quo(d("3")).unwrap().to_sdk_string(), "0.666666666666666667");
        assert_eq!(d("2").quo_truncate(d("3")).unwrap().to_sdk_string(), "0.666666666666666666");
        // Half to even on the 18th digit.
        let tiny = Dec::from_atto(5);
        assert_eq!(tiny.checked_mul(d("0.1")).unwrap(), Dec::ZERO, "0.5 atto rounds to even 0");
        assert_eq!(Dec::from_atto(15).checked_mul(d("0.1")).unwrap(), Dec::from_atto(2), "1.5 atto rounds to even 2");
        assert_eq!(Dec::from_atto(15).mul_truncate(d("0.1")).unwrap(), Dec::from_atto(1));
        assert_eq!(d("3").mul_ceil(7), Some(21));
        assert_eq!(d("0.0025").mul_ceil(200_001), Some(501));
    }

    #[test]
    fn wide_products_do_not_overflow() {
        // 10^14 tokens of shares (10^32 atto) times 10^14 tokens.
        let shares = Dec::from_int(100_000_000_000_000).unwrap();
        let t = 100_000_000_000_000u128;
        assert_eq!(shares.mul_int_quo_int(t, t), Some(shares));
        assert_eq!(shares.mul_int_quo(t, shares), Dec::from_int(t));
        assert_eq!(shares.mul_int_quo_truncate(t, shares), Dec::from_int(t));
        assert_eq!(Dec::from_atto(u128::MAX).checked_mul(Dec::from_atto(u128::MAX)), None);
        let third = Dec::ONE.mul_int_quo(1, d("3")).unwrap();
        assert_eq!(third.to_sdk_string(), "0.333333333333333333");
    }

    #[test]
    fn u256_division_is_exact() {
        for (a, b, m) in [(u128::MAX, u128::MAX, 7u128), (12345, 678910, 3), (1 << 100, 1 << 90, (1 << 127) + 1)] {
            let p = U256::mul(a, b);
            let (q, r) = p.div_rem(m);
            // q*m + r == p
            let back = q.mul_small(m).unwrap();
            let (lo, c) = back.lo.overflowing_add(r);
            assert_eq!(U256 { hi: back.hi + u128::from(c), lo }, p);
        }
    }
}
