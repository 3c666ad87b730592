//! The split of a fee into legs: pure, exact integer arithmetic.
//!
//! Per denom with amount `A` and shares `r_i` (summing to 1), leg `i` gets
//! `floor(A * r_i)`; what those floors leave (`A - Σ floor`, less than the
//! number of legs) is the remainder. The compute providers' leg is shared
//! equally by the executors, `floor(leg / n)` each, its own remainder too.
//! The remainder sink is the community pool ([`REMAINDER_SINK`]): it takes
//! every remainder, the model owner's leg when there is no owner (a tx
//! fee) and the compute leg when there is no executor. So the legs always
//! sum exactly to the fee.

use std::collections::BTreeMap;

use venice_sdk::{Address, Coin, Coins, Result};
use venice_types::Dec;
use venice_types::dec::DEC_SCALE;

use crate::params::Split;

/// Where remainders and legs without a recipient go, documented once.
pub const REMAINDER_SINK: &str = "community_pool";

/// Which share a leg comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum LegKind {
    Stakers,
    ModelOwner,
    ComputeProviders,
    CommunityPool,
    Ecosystem,
    Burn,
    /// Rounding remainders (to the sink).
    Remainder,
}

impl LegKind {
    pub fn name(self) -> &'static str {
        match self {
            LegKind::Stakers => "stakers",
            LegKind::ModelOwner => "model_owner",
            LegKind::ComputeProviders => "compute_providers",
            LegKind::CommunityPool => "community_pool",
            LegKind::Ecosystem => "ecosystem",
            LegKind::Burn => "burn",
            LegKind::Remainder => "remainder",
        }
    }
}

/// Who receives a leg.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Recipient {
    /// The fee collector: distribution hands it to validators and delegators.
    FeeCollector,
    /// distribution's community pool (through `FundCommunityPool`).
    CommunityPool,
    /// The ecosystem incentives pool account.
    Ecosystem,
    /// Destroyed.
    Burn,
    /// An account: the model owner or an executor.
    Account(Address),
}

impl Recipient {
    /// The bech32 address paid (empty for the burn).
    pub fn address(&self) -> String {
        match self {
            Recipient::FeeCollector => crate::fee_collector().to_bech32(),
            Recipient::CommunityPool => Address::module("distribution").to_bech32(),
            Recipient::Ecosystem => crate::ecosystem_pool().to_bech32(),
            Recipient::Burn => String::new(),
            Recipient::Account(a) => a.to_bech32(),
        }
    }
}

/// One leg of a split: never empty.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Leg {
    pub kind: LegKind,
    pub recipient: Recipient,
    pub amount: Coins,
}

/// `floor(amount * share)`; 256-bit wide, never overflows (share ≤ 1).
fn share_of(amount: u128, share: Dec) -> u128 {
    // Dec(share) * amount / 10^18, truncated: an integer ≤ amount.
    share.mul_int_quo_int(amount, DEC_SCALE).map(|d| d.atto()).unwrap_or(0)
}

/// Split `fee` by `ratios` (which must sum to 1, as validated params do).
/// `model_owner`: the model owner's account (`None`: its leg to the sink);
/// `executors`: the compute providers sharing their leg equally (none: to
/// the sink). Legs come sorted by (kind, recipient), one per pair, empty
/// ones left out; their amounts add up exactly to `fee`.
pub fn split(fee: &Coins, ratios: &Split, model_owner: Option<&Address>, executors: &[Address]) -> Result<Vec<Leg>> {
    let mut acc: BTreeMap<(LegKind, Recipient), Vec<Coin>> = BTreeMap::new();
    let mut put = |kind: LegKind, to: Recipient, denom: &str, n: u128| {
        if n > 0 {
            acc.entry((kind, to)).or_default().push(Coin::new(denom.to_string(), n));
        }
    };
    let sink = || Recipient::CommunityPool;
    for c in fee.iter() {
        let a = c.amount;
        let d = c.denom.as_str();
        let stakers = share_of(a, ratios.stakers);
        let owner = share_of(a, ratios.model_owner);
        let compute = share_of(a, ratios.compute_providers);
        let community = share_of(a, ratios.community_pool);
        let ecosystem = share_of(a, ratios.ecosystem);
        let burn = share_of(a, ratios.burn);
        // Each floor is at most its exact share, so the sum is at most `a`
        // when the shares sum to 1 (saturating keeps a bad ratio set from
        // minting: the legs are then cut at `a`, see below).
        let taken = [stakers, owner, compute, community, ecosystem, burn].iter().fold(0u128, |s, x| s.saturating_add(*x));
        if taken > a {
            return Err(venice_sdk::Error::Internal(format!("fee split shares sum above 1 for {c}")));
        }
        put(LegKind::Stakers, Recipient::FeeCollector, d, stakers);
        match model_owner {
            Some(o) => put(LegKind::ModelOwner, Recipient::Account(o.clone()), d, owner),
            None => put(LegKind::ModelOwner, sink(), d, owner),
        }
        let mut remainder = a - taken;
        if executors.is_empty() {
            put(LegKind::ComputeProviders, sink(), d, compute);
        } else {
            let n = executors.len() as u128;
            let each = compute / n;
            for e in executors {
                put(LegKind::ComputeProviders, Recipient::Account(e.clone()), d, each);
            }
            remainder += compute - each * n;
        }
        put(LegKind::CommunityPool, Recipient::CommunityPool, d, community);
        put(LegKind::Ecosystem, Recipient::Ecosystem, d, ecosystem);
        put(LegKind::Burn, Recipient::Burn, d, burn);
        put(LegKind::Remainder, sink(), d, remainder);
    }
    acc.into_iter().map(|((kind, recipient), coins)| Ok(Leg { kind, recipient, amount: Coins::normalize(coins)? })).collect()
}

/// The sum of `legs` (what `split` was given).
pub fn total(legs: &[Leg]) -> Result<Coins> {
    let mut t = Coins::empty();
    for l in legs {
        t = t.checked_add(&l.amount)?;
    }
    Ok(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(st: &str, mo: &str, cp: &str, cm: &str, ec: &str, bu: &str) -> Split {
        let d = |x: &str| Dec::parse(x).unwrap();
        Split { stakers: d(st), model_owner: d(mo), compute_providers: d(cp), community_pool: d(cm), ecosystem: d(ec), burn: d(bu) }
    }

    fn addr(i: u8) -> Address {
        Address::from_bytes(&[i; 20]).unwrap()
    }

    fn leg(legs: &[Leg], kind: LegKind, to: &Recipient) -> Coins {
        legs.iter().find(|l| l.kind == kind && &l.recipient == to).map(|l| l.amount.clone()).unwrap_or_default()
    }

    #[test]
    fn thirds_leave_a_remainder_to_the_sink() {
        let r = s("0.333333333333333333", "0", "0", "0.333333333333333333", "0.333333333333333334", "0");
        let legs = split(&Coins::parse("100uvvv").unwrap(), &r, None, &[]).unwrap();
        assert_eq!(leg(&legs, LegKind::Stakers, &Recipient::FeeCollector), Coins::parse("33uvvv").unwrap());
        assert_eq!(leg(&legs, LegKind::CommunityPool, &Recipient::CommunityPool), Coins::parse("33uvvv").unwrap());
        assert_eq!(leg(&legs, LegKind::Ecosystem, &Recipient::Ecosystem), Coins::parse("33uvvv").unwrap());
        assert_eq!(leg(&legs, LegKind::Remainder, &Recipient::CommunityPool), Coins::parse("1uvvv").unwrap());
        assert_eq!(total(&legs).unwrap(), Coins::parse("100uvvv").unwrap());
    }

    #[test]
    fn tx_fee_owner_and_compute_legs_go_to_the_sink() {
        let r = s("0.5", "0.2", "0.2", "0", "0", "0.1");
        let legs = split(&Coins::parse("1000uvvv,10ustable").unwrap(), &r, None, &[]).unwrap();
        assert_eq!(leg(&legs, LegKind::ModelOwner, &Recipient::CommunityPool), Coins::parse("200uvvv,2ustable").unwrap());
        assert_eq!(leg(&legs, LegKind::ComputeProviders, &Recipient::CommunityPool), Coins::parse("200uvvv,2ustable").unwrap());
        assert_eq!(leg(&legs, LegKind::Burn, &Recipient::Burn), Coins::parse("100uvvv,1ustable").unwrap());
        assert_eq!(total(&legs).unwrap(), Coins::parse("1000uvvv,10ustable").unwrap());
    }

    #[test]
    fn executors_share_equally_and_the_odd_unit_goes_to_the_sink() {
        let r = s("0", "0.3", "0.7", "0", "0", "0");
        let owner = addr(9);
        let ex = [addr(1), addr(2), addr(3)];
        let legs = split(&Coins::parse("100uvvv").unwrap(), &r, Some(&owner), &ex).unwrap();
        assert_eq!(leg(&legs, LegKind::ModelOwner, &Recipient::Account(owner)), Coins::parse("30uvvv").unwrap());
        for e in &ex {
            assert_eq!(leg(&legs, LegKind::ComputeProviders, &Recipient::Account(e.clone())), Coins::parse("23uvvv").unwrap());
        }
        assert_eq!(leg(&legs, LegKind::Remainder, &Recipient::CommunityPool), Coins::parse("1uvvv").unwrap());
        assert_eq!(total(&legs).unwrap(), Coins::parse("100uvvv").unwrap());
    }

    #[test]
    fn empty_fee_has_no_legs() {
        assert!(split(&Coins::empty(), &Split { stakers: Dec::ONE, ..Split::default() }, None, &[]).unwrap().is_empty());
    }
}
