//! The minter's arithmetic (x/mint's `types/minter.go`), integer only. The
//! SDK's signed decimals round symmetrically, so the rate change is
//! computed on its magnitude and added or subtracted.

use borsh::{BorshDeserialize, BorshSerialize};
use serde::{Deserialize, Serialize};
use venice_types::Dec;

use crate::params::{Params, dec_str};

#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize, Serialize, Deserialize)]
pub struct Minter {
    /// The current annual inflation rate.
    #[serde(with = "dec_str")]
    pub inflation: Dec,
    /// The current annual expected provisions.
    #[serde(with = "dec_str")]
    pub annual_provisions: Dec,
}

impl Minter {
    /// The genesis minter of VVV: 8% a year, provisions computed at the
    /// first block.
    pub fn vvv() -> Self {
        Minter { inflation: Dec::parse("0.08").expect("constant"), annual_provisions: Dec::ZERO }
    }

    /// The next block's inflation rate given the bonded ratio, within
    /// `[inflation_min, inflation_max]` (`NextInflationRate`).
    pub fn next_inflation_rate(&self, p: &Params, bonded_ratio: Dec) -> Option<Dec> {
        let ratio = bonded_ratio.quo(p.goal_bonded)?;
        let blocks = Dec::from_int(u128::from(p.blocks_per_year))?;
        let inflation = if ratio <= Dec::ONE {
            let per_year = Dec::ONE.checked_sub(ratio)?.checked_mul(p.inflation_rate_change)?;
            self.inflation.checked_add(per_year.quo(blocks)?)?
        } else {
            let per_year = ratio.checked_sub(Dec::ONE)?.checked_mul(p.inflation_rate_change)?;
            self.inflation.checked_sub(per_year.quo(blocks)?).unwrap_or(Dec::ZERO)
        };
        Some(inflation.min(p.inflation_max).max(p.inflation_min))
    }

    /// `inflation × total supply` (`NextAnnualProvisions`).
    pub fn next_annual_provisions(&self, total_supply: u128) -> Option<Dec> {
        self.inflation.mul_int(total_supply)
    }

    /// This block's coins: annual provisions over the blocks of a year,
    /// truncated (`BlockProvision`).
    pub fn block_provision(&self, p: &Params) -> u128 {
        self.annual_provisions.quo_int(u128::from(p.blocks_per_year)).map(Dec::truncate_int).unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Dec {
        Dec::parse(s).unwrap()
    }

    #[test]
    fn inflation_moves_toward_the_goal_within_bounds() {
        let p = Params::sdk_default();
        let m = Minter { inflation: d("0.13"), annual_provisions: Dec::ZERO };
        // Bonded below the goal: up by (1 - 0.5/0.67) * 0.13 / blocks.
        let up = m.next_inflation_rate(&p, d("0.5")).unwrap();
        let step = Dec::ONE.checked_sub(d("0.5").quo(d("0.67")).unwrap()).unwrap().checked_mul(d("0.13")).unwrap();
        let step = step.quo(Dec::from_int(6_311_520).unwrap()).unwrap();
        assert_eq!(up, d("0.13").checked_add(step).unwrap());
        // Above the goal: down by the same formula's magnitude.
        let down = m.next_inflation_rate(&p, d("0.9")).unwrap();
        assert!(down < d("0.13"));
        // At the goal: unchanged.
        assert_eq!(m.next_inflation_rate(&p, d("0.67")).unwrap(), d("0.13"));
        // Clamped.
        let high = Minter { inflation: d("0.2"), annual_provisions: Dec::ZERO };
        assert_eq!(high.next_inflation_rate(&p, Dec::ZERO).unwrap(), d("0.2"));
        let low = Minter { inflation: d("0.07"), annual_provisions: Dec::ZERO };
        assert_eq!(low.next_inflation_rate(&p, Dec::ONE).unwrap(), d("0.07"));
    }

    #[test]
    fn provisions_and_block_provision() {
        let p = Params::sdk_default();
        let mut m = Minter { inflation: d("0.1"), annual_provisions: Dec::ZERO };
        m.annual_provisions = m.next_annual_provisions(1_000_000_000_000).unwrap();
        assert_eq!(m.annual_provisions, Dec::from_int(100_000_000_000).unwrap());
        // 10^11 / 6311520 = 15844.04... -> 15844
        assert_eq!(m.block_provision(&p), 15_844);
    }
}
