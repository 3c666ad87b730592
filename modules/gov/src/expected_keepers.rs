//! What gov needs of other modules, declared here by gov (the SDK's
//! `expected_keepers.go`) and implemented by adapters in the app.

use venice_sdk::{Address, Coins, Ctx, Result};
use venice_types::Dec;

/// A bonded validator as the tally sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BondedValidator {
    /// The operator's account bytes (its vote is cast from this address).
    pub operator: Address,
    pub tokens: u128,
    pub delegator_shares: Dec,
}

/// Stake, read-only.
pub trait StakingKeeper: Send + Sync {
    /// The validators whose stake votes: bonded and not jailed, highest
    /// power first (the SDK's `IterateBondedValidatorsByPower`).
    fn bonded_validators(&self, ctx: &mut Ctx) -> Result<Vec<BondedValidator>>;
    /// `delegator`'s delegations: (validator operator, shares).
    fn delegations(&self, ctx: &mut Ctx, delegator: &Address) -> Result<Vec<(Address, Dec)>>;
    /// Tokens in the bonded pool (the quorum's denominator).
    fn total_bonded_tokens(&self, ctx: &mut Ctx) -> Result<u128>;
}

/// Coins: deposits in and out of the gov module account.
pub trait BankKeeper: Send + Sync {
    fn send(&self, ctx: &mut Ctx, from: &Address, to: &Address, coins: &Coins) -> Result<()>;
    /// Destroy `coins` held by `from`, lowering the supply.
    fn burn(&self, ctx: &mut Ctx, from: &Address, coins: &Coins) -> Result<()>;
    /// `addr`'s balance of `denom` (the module-account invariant).
    fn balance(&self, ctx: &mut Ctx, addr: &Address, denom: &str) -> Result<u128>;
}

/// The community pool (distribution's `FundCommunityPool`): where the
/// charges of cancelled proposals go when `proposal_cancel_dest` names the
/// pool's account, so the pool's record grows with its balance.
pub trait CommunityPool: Send + Sync {
    /// The account that holds the pool.
    fn address(&self) -> Address;
    fn fund(&self, ctx: &mut Ctx, from: &Address, coins: &Coins) -> Result<()>;
}
