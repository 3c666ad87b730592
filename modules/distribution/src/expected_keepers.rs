//! What distribution needs of other modules, declared here (the SDK's
//! `x/distribution/types/expected_keepers.go`) and wired by the app.

use venice_sdk::{Address, Coin, Coins, Ctx, Result};
use venice_types::Dec;

/// What distribution reads of a validator.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidatorInfo {
    pub operator: Address,
    pub tokens: u128,
    pub delegator_shares: Dec,
    /// The current commission rate.
    pub commission_rate: Dec,
}

impl ValidatorInfo {
    /// Tokens `shares` are worth, rounded (staking's `TokensFromShares`).
    pub fn tokens_from_shares(&self, shares: Dec) -> Option<Dec> {
        if self.delegator_shares.is_zero() {
            return Some(Dec::ZERO);
        }
        shares.mul_int_quo(self.tokens, self.delegator_shares)
    }
    /// Rounded down (`TokensFromSharesTruncated`).
    pub fn tokens_from_shares_truncated(&self, shares: Dec) -> Option<Dec> {
        if self.delegator_shares.is_zero() {
            return Some(Dec::ZERO);
        }
        shares.mul_int_quo_truncate(self.tokens, self.delegator_shares)
    }
}

/// Read-only stake. Provided by `staking`.
pub trait StakingKeeper: Send + Sync {
    fn validator(&self, ctx: &mut Ctx, operator: &Address) -> Result<Option<ValidatorInfo>>;
    /// The validator whose consensus address is `cons` (20 bytes).
    fn validator_by_cons(&self, ctx: &mut Ctx, cons: &Address) -> Result<Option<ValidatorInfo>>;
    /// A delegation's shares.
    fn delegation(&self, ctx: &mut Ctx, delegator: &Address, validator: &Address) -> Result<Option<Dec>>;
    /// A delegator's delegations (validator, shares), in validator order.
    fn delegator_delegations(&self, ctx: &mut Ctx, delegator: &Address) -> Result<Vec<(Address, Dec)>>;
    /// Every validator's operator, in key order (invariants, genesis checks).
    fn all_validators(&self, ctx: &mut Ctx) -> Result<Vec<Address>>;
    /// Every delegation (delegator, validator) (invariants).
    fn all_delegations(&self, ctx: &mut Ctx) -> Result<Vec<(Address, Address)>>;
}

/// Coins in and out of the module account. Provided by `bank`.
pub trait BankKeeper: Send + Sync {
    fn send(&self, ctx: &mut Ctx, from: &Address, to: &Address, coins: &Coins) -> Result<()>;
    fn all_balances(&self, ctx: &mut Ctx, addr: &Address) -> Result<Vec<Coin>>;
}
