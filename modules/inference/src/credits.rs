//! Compute credits: the mint curve and the daily allowance.
//!
//! **Curve.** The `i`-th credit outstanding (from 0) costs
//! `base_rate · ((scale + i) / scale)^k` of locked stake, so the price
//! rises with credits outstanding. Minting `m` credits with `s` outstanding
//! locks the exact sum over `i` in `[s, s + m)`, rounded up once:
//! `ceil(base_rate · Σ_{j=scale+s}^{scale+s+m-1} j^k / scale^k)`. The power
//! sums have closed forms (Faulhaber, k ≤ 4) evaluated in 512-bit integers,
//! so the cost is exact, independent of how a mint is split (up to the one
//! rounding), and never a float.
//!
//! **Allowance.** Each credit grants `allowance_per_credit` work units per
//! UTC day, the day being block time / 86400: the count resets at the first
//! block of a new day, whatever the hour of the last one.

use bnum::types::U512;

use crate::params::Params;
use crate::state::Allowance;

pub const SECONDS_PER_DAY: i64 = 86_400;
/// Most credits outstanding (keeps the power sums far inside 512 bits).
pub const MAX_CREDITS_OUTSTANDING: u128 = 1_000_000_000_000_000;

fn u(n: u128) -> U512 {
    U512::from(n)
}

/// `Σ_{j=0}^{n-1} j^k` for `k ≤ 4`.
fn power_sum(n: U512, k: u32) -> Option<U512> {
    let one = U512::ONE;
    if n.is_zero() {
        return Some(U512::ZERO);
    }
    let m = n - one; // sum over 1..=m
    let m1 = m.checked_add(one)?;
    Some(match k {
        0 => n,
        1 => m.checked_mul(m1)? / u(2),
        2 => m.checked_mul(m1)?.checked_mul(m.checked_mul(u(2))?.checked_add(one)?)? / u(6),
        3 => {
            let t = m.checked_mul(m1)? / u(2);
            t.checked_mul(t)?
        }
        4 => {
            let q = m.checked_mul(m)?.checked_mul(u(3))?.checked_add(m.checked_mul(u(3))?)?.checked_sub(one)?;
            m.checked_mul(m1)?.checked_mul(m.checked_mul(u(2))?.checked_add(one)?)?.checked_mul(q)? / u(30)
        }
        _ => return None,
    })
}

/// Stake locked by minting `m` credits when `outstanding` exist; `None` on
/// overflow or past [`MAX_CREDITS_OUTSTANDING`].
pub fn mint_cost(p: &Params, outstanding: u128, m: u128) -> Option<u128> {
    let end = outstanding.checked_add(m)?;
    if end > MAX_CREDITS_OUTSTANDING {
        return None;
    }
    let k = p.credit_curve_exponent;
    let a = u(p.credit_curve_scale.checked_add(outstanding)?);
    let b = u(p.credit_curve_scale.checked_add(end)?);
    let sum = power_sum(b, k)?.checked_sub(power_sum(a, k)?)?;
    let num = sum.checked_mul(u(p.credit_base_rate))?;
    let den = u(p.credit_curve_scale).checked_pow(k)?;
    let q = num / den;
    let cost = if (q * den) == num { q } else { q.checked_add(U512::ONE)? };
    u128::try_from(cost).ok()
}

/// The marginal price of one more credit with `outstanding` existing.
pub fn price(p: &Params, outstanding: u128) -> Option<u128> {
    mint_cost(p, outstanding, 1)
}

/// Stake unlocked by burning `burn` of an account's `credits` backed by
/// `locked`: its share, all of it with the last credit.
pub fn unlock_amount(credits: u128, locked: u128, burn: u128) -> u128 {
    if burn >= credits {
        return locked;
    }
    // locked · burn / credits without overflow.
    u128::try_from(u(locked) * u(burn) / u(credits)).unwrap_or(locked)
}

/// The UTC day of a block time.
pub fn day(time_secs: i64) -> u64 {
    (time_secs.max(0) / SECONDS_PER_DAY) as u64
}

/// Work units `credits` grant per day.
pub fn daily_cap(p: &Params, credits: u128) -> u64 {
    u64::try_from(credits.saturating_mul(u128::from(p.allowance_per_credit))).unwrap_or(u64::MAX)
}

/// The allowance as of `today`: a record of an earlier day counts as unused.
pub fn current(a: Allowance, today: u64) -> Allowance {
    if a.day == today { a } else { Allowance { day: today, used: 0 } }
}

/// Work units left today.
pub fn left(p: &Params, credits: u128, a: Allowance, today: u64) -> u64 {
    daily_cap(p, credits).saturating_sub(current(a, today).used)
}
