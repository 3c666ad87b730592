//! Vesting accounts as the Cosmos SDK's x/auth/vesting defines them:
//! continuous, delayed, periodic and permanently locked. Pure arithmetic
//! over block time (unix seconds), no store access: auth keeps one
//! [`Vesting`] next to a base account, bank asks it for the locked coins,
//! and staking's delegations are tracked through it.
//!
//! - vested(t): what the schedule has released by `t`;
//! - vesting(t) = original_vesting - vested(t);
//! - locked(t) = vesting(t) - delegated_vesting (floored at zero per denom):
//!   coins still vesting but delegated are in the pools, not in the balance,
//!   so they lock nothing there (the SDK's `LockedCoins`).

use std::collections::BTreeMap;

use borsh::{BorshDeserialize, BorshSerialize};
use cosmos_sdk_proto::cosmos::vesting::v1beta1 as pb;
use venice_sdk::{Coin, Coins, Error, Result};

pub const CONTINUOUS_URL: &str = "/cosmos.vesting.v1beta1.ContinuousVestingAccount";
pub const DELAYED_URL: &str = "/cosmos.vesting.v1beta1.DelayedVestingAccount";
pub const PERIODIC_URL: &str = "/cosmos.vesting.v1beta1.PeriodicVestingAccount";
pub const PERMANENT_LOCKED_URL: &str = "/cosmos.vesting.v1beta1.PermanentLockedAccount";

/// One step of a periodic schedule: `amount` vests `length` seconds after
/// the previous step (the first after `start_time`).
#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct Period {
    pub length: i64,
    pub amount: Coins,
}

#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub enum Schedule {
    /// Linear from `start_time` to the end time.
    Continuous { start_time: i64 },
    /// All at the end time.
    Delayed,
    /// In steps from `start_time`.
    Periodic { start_time: i64, periods: Vec<Period> },
    /// Never (the end time is 0); the coins can still be delegated.
    PermanentLocked,
}

/// The vesting part of an account (the SDK's `BaseVestingAccount` fields
/// plus its concrete type's).
#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct Vesting {
    pub original_vesting: Coins,
    pub delegated_free: Coins,
    pub delegated_vesting: Coins,
    pub end_time: i64,
    pub schedule: Schedule,
}

/// Coins as a denom → amount map for the per-denom arithmetic below.
fn map(c: &Coins) -> BTreeMap<String, u128> {
    c.iter().map(|c| (c.denom.clone(), c.amount)).collect()
}

fn coins(m: BTreeMap<String, u128>) -> Coins {
    Coins::normalize(m.into_iter().map(|(d, a)| Coin::new(d, a))).expect("denoms come from valid coins")
}

/// `a - b` per denom, floored at zero (the SDK's `a.Sub(a.Min(b))`).
pub fn saturating_sub(a: &Coins, b: &Coins) -> Coins {
    let mut m = map(a);
    for c in b.iter() {
        if let Some(v) = m.get_mut(&c.denom) {
            *v = v.saturating_sub(c.amount);
        }
    }
    coins(m)
}

/// floor(a * x / y) without overflow, for 0 <= x <= y, y > 0.
fn mul_div(a: u128, x: u128, y: u128) -> u128 {
    (a / y) * x + (a % y) * x / y
}

impl Vesting {
    pub fn continuous(original: Coins, start_time: i64, end_time: i64) -> Self {
        Self::new(original, end_time, Schedule::Continuous { start_time })
    }
    pub fn delayed(original: Coins, end_time: i64) -> Self {
        Self::new(original, end_time, Schedule::Delayed)
    }
    /// End time = start + the sum of the period lengths; original = their sum.
    pub fn periodic(start_time: i64, periods: Vec<Period>) -> Result<Self> {
        let mut end = start_time;
        let mut total = Coins::empty();
        for (i, p) in periods.iter().enumerate() {
            if p.length < 1 {
                return Err(Error::InvalidRequest(format!(
                    "invalid period length of {} in period {i}, length must be greater than 0",
                    p.length
                )));
            }
            end = end.checked_add(p.length).ok_or_else(|| Error::InvalidRequest("vesting end time overflows".into()))?;
            total = total.checked_add(&p.amount)?;
        }
        Ok(Self::new(total, end, Schedule::Periodic { start_time, periods }))
    }
    pub fn permanent_locked(original: Coins) -> Self {
        Self::new(original, 0, Schedule::PermanentLocked)
    }
    fn new(original_vesting: Coins, end_time: i64, schedule: Schedule) -> Self {
        Vesting { original_vesting, delegated_free: Coins::empty(), delegated_vesting: Coins::empty(), end_time, schedule }
    }

    pub fn type_url(&self) -> &'static str {
        match self.schedule {
            Schedule::Continuous { .. } => CONTINUOUS_URL,
            Schedule::Delayed => DELAYED_URL,
            Schedule::Periodic { .. } => PERIODIC_URL,
            Schedule::PermanentLocked => PERMANENT_LOCKED_URL,
        }
    }

    pub fn start_time(&self) -> Option<i64> {
        match &self.schedule {
            Schedule::Continuous { start_time } | Schedule::Periodic { start_time, .. } => Some(*start_time),
            _ => None,
        }
    }

    /// The schedule's own consistency (genesis accounts, which nobody built
    /// through a message).
    pub fn validate(&self) -> std::result::Result<(), String> {
        match &self.schedule {
            Schedule::Continuous { start_time } if *start_time >= self.end_time => {
                Err("vesting start-time cannot be before end-time".into())
            }
            Schedule::Periodic { start_time, periods } => {
                let rebuilt = Vesting::periodic(*start_time, periods.clone()).map_err(|e| e.to_string())?;
                if rebuilt.end_time != self.end_time {
                    return Err("vesting end time does not match length of all vesting periods".into());
                }
                if rebuilt.original_vesting != self.original_vesting {
                    return Err("original vesting coins does not match the sum of all coins in vesting periods".into());
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }

    /// Coins released by the schedule at block time `t`.
    pub fn vested(&self, t: i64) -> Coins {
        match &self.schedule {
            Schedule::PermanentLocked => Coins::empty(),
            Schedule::Delayed => {
                if t >= self.end_time {
                    self.original_vesting.clone()
                } else {
                    Coins::empty()
                }
            }
            Schedule::Continuous { start_time } => {
                if t <= *start_time {
                    Coins::empty()
                } else if t >= self.end_time {
                    self.original_vesting.clone()
                } else {
                    let x = (t - start_time) as u128;
                    let y = (self.end_time - start_time) as u128;
                    coins(map(&self.original_vesting).into_iter().map(|(d, a)| (d, mul_div(a, x, y))).collect())
                }
            }
            Schedule::Periodic { start_time, periods } => {
                if t <= *start_time {
                    return Coins::empty();
                }
                if t >= self.end_time {
                    return self.original_vesting.clone();
                }
                let mut vested = Coins::empty();
                let mut period_start = *start_time;
                for p in periods {
                    if t - period_start < p.length {
                        break;
                    }
                    vested = vested.checked_add(&p.amount).expect("bounded by original_vesting");
                    period_start += p.length;
                }
                vested
            }
        }
    }

    /// Coins still vesting at `t` (original - vested).
    pub fn vesting(&self, t: i64) -> Coins {
        saturating_sub(&self.original_vesting, &self.vested(t))
    }

    /// Coins of the balance that cannot be spent at `t`.
    pub fn locked(&self, t: i64) -> Coins {
        saturating_sub(&self.vesting(t), &self.delegated_vesting)
    }

    /// Record a delegation of `amount` out of a balance of `balance` at
    /// `t`: the part still vesting (and not already delegated) counts as
    /// delegated vesting, the rest as delegated free (the SDK's
    /// `TrackDelegation`).
    pub fn track_delegation(&mut self, t: i64, balance: &Coins, amount: &Coins) -> Result<()> {
        let vesting = self.vesting(t);
        let mut dv = map(&self.delegated_vesting);
        let mut df = map(&self.delegated_free);
        for c in amount.iter() {
            if balance.amount_of(&c.denom) < c.amount {
                return Err(Error::InsufficientFunds(format!(
                    "delegation attempt with insufficient funds: {} < {c}",
                    balance.amount_of(&c.denom)
                )));
            }
            let already = dv.get(&c.denom).copied().unwrap_or(0);
            let x = vesting.amount_of(&c.denom).saturating_sub(already).min(c.amount);
            let y = c.amount - x;
            *dv.entry(c.denom.clone()).or_default() += x;
            *df.entry(c.denom.clone()).or_default() += y;
        }
        self.delegated_vesting = coins(dv);
        self.delegated_free = coins(df);
        Ok(())
    }

    /// Record coins coming back from an undelegation: free ones first, so
    /// a slashed delegation's loss falls on the vesting part (the SDK's
    /// `TrackUndelegation`).
    pub fn track_undelegation(&mut self, amount: &Coins) {
        let mut dv = map(&self.delegated_vesting);
        let mut df = map(&self.delegated_free);
        for c in amount.iter() {
            let free = df.entry(c.denom.clone()).or_default();
            let x = (*free).min(c.amount);
            *free -= x;
            let vest = dv.entry(c.denom.clone()).or_default();
            let y = (*vest).min(c.amount - x);
            *vest -= y;
        }
        self.delegated_vesting = coins(dv);
        self.delegated_free = coins(df);
    }

    /// The account as its SDK protobuf type, in an `Any` (queries, cosmjs).
    pub fn to_any(&self, base: cosmos_sdk_proto::cosmos::auth::v1beta1::BaseAccount) -> cosmos_sdk_proto::Any {
        use prost::Message;
        let bva = Some(pb::BaseVestingAccount {
            base_account: Some(base),
            original_vesting: self.original_vesting.to_proto(),
            delegated_free: self.delegated_free.to_proto(),
            delegated_vesting: self.delegated_vesting.to_proto(),
            end_time: self.end_time,
        });
        let value = match &self.schedule {
            Schedule::Continuous { start_time } => {
                pb::ContinuousVestingAccount { base_vesting_account: bva, start_time: *start_time }.encode_to_vec()
            }
            Schedule::Delayed => pb::DelayedVestingAccount { base_vesting_account: bva }.encode_to_vec(),
            Schedule::Periodic { start_time, periods } => pb::PeriodicVestingAccount {
                base_vesting_account: bva,
                start_time: *start_time,
                vesting_periods: periods.iter().map(|p| pb::Period { length: p.length, amount: p.amount.to_proto() }).collect(),
            }
            .encode_to_vec(),
            Schedule::PermanentLocked => pb::PermanentLockedAccount { base_vesting_account: bva }.encode_to_vec(),
        };
        cosmos_sdk_proto::Any { type_url: self.type_url().into(), value }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(s: &str) -> Coins {
        Coins::parse(s).unwrap()
    }

    #[test]
    fn continuous_vests_linearly_and_floors() {
        let v = Vesting::continuous(c("1000uvvv,3ustake"), 100, 200);
        assert_eq!(v.vested(0), Coins::empty());
        assert_eq!(v.vested(100), Coins::empty());
        assert_eq!(v.vested(101), c("10uvvv"));
        assert_eq!(v.vested(150), c("500uvvv,1ustake"));
        assert_eq!(v.vested(199), c("990uvvv,2ustake"));
        assert_eq!(v.vested(200), c("1000uvvv,3ustake"));
        assert_eq!(v.vested(10_000), c("1000uvvv,3ustake"));
        for t in 0..300 {
            let sum = v.vested(t).checked_add(&v.vesting(t)).unwrap();
            assert_eq!(sum, v.original_vesting, "vested + vesting = original at {t}");
        }
        assert_eq!(v.locked(150), c("500uvvv,2ustake"));
    }

    #[test]
    fn continuous_huge_amounts_do_not_overflow() {
        let v = Vesting::continuous(Coins::normalize([Coin::new("uvvv", u128::MAX)]).unwrap(), 0, i64::MAX);
        assert_eq!(v.vested(i64::MAX / 2).amount_of("uvvv"), mul_div(u128::MAX, (i64::MAX / 2) as u128, i64::MAX as u128));
        assert!(v.vested(i64::MAX / 2).amount_of("uvvv") < u128::MAX / 2 + 1);
    }

    #[test]
    fn delayed_all_at_end() {
        let v = Vesting::delayed(c("500uvvv"), 1000);
        assert_eq!(v.vested(999), Coins::empty());
        assert_eq!(v.locked(999), c("500uvvv"));
        assert_eq!(v.vested(1000), c("500uvvv"));
        assert_eq!(v.locked(1000), Coins::empty());
    }

    #[test]
    fn periodic_steps() {
        let periods = vec![
            Period { length: 100, amount: c("100uvvv") },
            Period { length: 50, amount: c("200uvvv") },
            Period { length: 50, amount: c("300uvvv") },
        ];
        let v = Vesting::periodic(1000, periods).unwrap();
        assert_eq!(v.end_time, 1200);
        assert_eq!(v.original_vesting, c("600uvvv"));
        v.validate().unwrap();
        let at = |t| v.vested(t).amount_of("uvvv");
        assert_eq!(
            [at(0), at(1000), at(1099), at(1100), at(1149), at(1150), at(1199), at(1200), at(5000)],
            [0, 0, 0, 100, 100, 300, 300, 600, 600]
        );
        assert!(Vesting::periodic(0, vec![Period { length: 0, amount: c("1uvvv") }]).is_err());
    }

    #[test]
    fn permanent_locked_never_vests() {
        let v = Vesting::permanent_locked(c("77uvvv"));
        for t in [0, 1, i64::MAX] {
            assert_eq!(v.vested(t), Coins::empty());
            assert_eq!(v.locked(t), c("77uvvv"));
        }
    }

    #[test]
    fn delegation_tracking_follows_the_sdk() {
        // 100 vesting, nothing vested yet; balance 150 (50 free on top).
        let mut v = Vesting::delayed(c("100uvvv"), 1000);
        v.track_delegation(10, &c("150uvvv"), &c("60uvvv")).unwrap();
        assert_eq!((v.delegated_vesting.clone(), v.delegated_free.clone()), (c("60uvvv"), Coins::empty()));
        // Locked: 100 vesting - 60 delegated vesting = 40 of the 90 left.
        assert_eq!(v.locked(10), c("40uvvv"));
        v.track_delegation(10, &c("90uvvv"), &c("70uvvv")).unwrap();
        assert_eq!((v.delegated_vesting.clone(), v.delegated_free.clone()), (c("100uvvv"), c("30uvvv")));
        assert_eq!(v.locked(10), Coins::empty());
        assert!(v.track_delegation(10, &c("20uvvv"), &c("21uvvv")).is_err());
        // Undelegation returns free coins first.
        v.track_undelegation(&c("50uvvv"));
        assert_eq!((v.delegated_vesting.clone(), v.delegated_free.clone()), (c("80uvvv"), Coins::empty()));
        assert_eq!(v.locked(10), c("20uvvv"));
        // More than was delegated (rewards never come this way, but be safe).
        v.track_undelegation(&c("1000uvvv"));
        assert_eq!((v.delegated_vesting.clone(), v.delegated_free.clone()), (Coins::empty(), Coins::empty()));
        // After the end everything delegated counts as free.
        let mut v = Vesting::delayed(c("100uvvv"), 1000);
        v.track_delegation(1000, &c("100uvvv"), &c("100uvvv")).unwrap();
        assert_eq!((v.delegated_vesting.clone(), v.delegated_free.clone()), (Coins::empty(), c("100uvvv")));
    }

    #[test]
    fn continuous_delegation_over_time() {
        let mut v = Vesting::continuous(c("1000uvvv"), 0, 1000);
        // At 400: 600 vesting; delegate 800 of 1000 → 600 vesting, 200 free.
        v.track_delegation(400, &c("1000uvvv"), &c("800uvvv")).unwrap();
        assert_eq!((v.delegated_vesting.clone(), v.delegated_free.clone()), (c("600uvvv"), c("200uvvv")));
        for t in [400, 700, 1000] {
            assert_eq!(v.locked(t), saturating_sub(&v.vesting(t), &c("600uvvv")));
        }
        assert_eq!(v.locked(400), Coins::empty());
    }

    #[test]
    fn validate_catches_inconsistent_genesis() {
        assert!(Vesting::continuous(c("1uvvv"), 10, 10).validate().is_err());
        let mut p = Vesting::periodic(0, vec![Period { length: 5, amount: c("5uvvv") }]).unwrap();
        p.end_time = 6;
        assert!(p.validate().is_err());
    }
}

#[cfg(test)]
mod props {
    use super::*;
    use proptest::prelude::*;

    fn amt(a: u128) -> Coins {
        Coins::normalize([Coin::new("uvvv", a)]).unwrap()
    }

    proptest! {
        /// Over random delegations and undelegations at increasing times,
        /// the tracked parts always add up to what is out delegated (while
        /// no more comes back than went out), delegated vesting never
        /// exceeds the original, and what is locked never exceeds what is
        /// held, so spendable coins never go negative.
        #[test]
        fn tracking_stays_consistent(
            original in 1u128..1_000_000,
            free in 0u128..1_000_000,
            ops in proptest::collection::vec((any::<bool>(), 0u128..1_000_000, 0i64..50), 1..40),
        ) {
            let mut v = Vesting::continuous(amt(original), 100, 1100);
            let (mut held, mut out, mut t) = (original + free, 0u128, 0i64);
            for (delegate, x, dt) in ops {
                t += dt;
                if delegate {
                    let x = x.min(held);
                    if x == 0 { continue; }
                    v.track_delegation(t, &amt(held), &amt(x)).unwrap();
                    held -= x;
                    out += x;
                } else {
                    let x = x.min(out);
                    if x == 0 { continue; }
                    v.track_undelegation(&amt(x));
                    held += x;
                    out -= x;
                }
                let dv = v.delegated_vesting.amount_of("uvvv");
                prop_assert_eq!(dv + v.delegated_free.amount_of("uvvv"), out);
                prop_assert!(dv <= original);
                prop_assert!(v.locked(t).amount_of("uvvv") <= held, "locked {} > held {}", v.locked(t), held);
            }
        }
    }
}
