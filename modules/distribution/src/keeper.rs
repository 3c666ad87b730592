//! The F1 keeper (x/distribution's `keeper/allocation.go`,
//! `validator.go`, `delegation.go`): allocation to validators, reward
//! periods with reference-counted history, reward calculation across slash
//! events, withdrawals. Every truncation's remainder goes to the community
//! pool, so the module account always holds the outstanding rewards plus the
//! community pool, truncated.

use venice_sdk::{Address, Coins, Ctx, Error, Result};
use venice_types::Dec;

use crate::dec_coins::DecCoins;
use crate::error::DistributionError;
use crate::expected_keepers::ValidatorInfo;
use crate::state::{self, CurrentRewards, HistoricalRewards, SlashEvent, StartingInfo};
use crate::{Distribution, events, fee_collector, module_account};

fn internal(msg: impl Into<String>) -> Error {
    Error::Internal(format!("distribution: {}", msg.into()))
}

impl Distribution {
    // ---- allocation ---------------------------------------------------------------

    /// Allocate the fee collector's balance to the validators that signed
    /// the previous block, by power; the community tax and what truncation
    /// leaves go to the community pool (the SDK's `AllocateTokens`).
    pub fn allocate_tokens(&self, ctx: &mut Ctx) -> Result<()> {
        let collected = Coins::normalize(self.bank.all_balances(ctx, &fee_collector())?)?;
        if collected.is_empty() {
            return Ok(());
        }
        self.bank.send(ctx, &fee_collector(), &module_account(), &collected)?;
        let collected = DecCoins::from_coins(&collected)?;
        let votes: Vec<(Address, i64)> = ctx
            .info
            .comet
            .votes
            .iter()
            .filter(|v| v.signed && v.power > 0)
            .map(|v| Ok((Address::from_bytes(&v.address)?, v.power)))
            .collect::<Result<_>>()?;
        let total: i64 = votes.iter().map(|(_, p)| *p).sum();
        let mut pool = state::community_pool(ctx)?;
        if total == 0 {
            return state::set_community_pool(ctx, &pool.add(&collected)?);
        }
        let tax = state::params(ctx)?.community_tax;
        let vote_multiplier = Dec::ONE.checked_sub(tax).ok_or_else(|| internal("community tax above one"))?;
        let fee_multiplier = collected.mul_dec_truncate(vote_multiplier)?;
        let mut remaining = collected;
        let total_dec = Dec::from_int(total as u128).ok_or_else(|| internal("power"))?;
        for (cons, power) in votes {
            // A validator removed since it signed: its share stays in the pool.
            let Some(v) = self.staking.validator_by_cons(ctx, &cons)? else { continue };
            let fraction =
                Dec::from_int(power as u128).and_then(|p| p.quo_truncate(total_dec)).ok_or_else(|| internal("power fraction"))?;
            let reward = fee_multiplier.mul_dec_truncate(fraction)?;
            self.allocate_tokens_to_validator(ctx, &v, &reward)?;
            remaining = remaining.sub(&reward)?;
        }
        pool = pool.add(&remaining)?;
        state::set_community_pool(ctx, &pool)
    }

    /// Split `tokens` into the validator's commission and its delegators'
    /// share of the current period (`AllocateTokensToValidator`).
    pub fn allocate_tokens_to_validator(&self, ctx: &mut Ctx, v: &ValidatorInfo, tokens: &DecCoins) -> Result<()> {
        let commission = tokens.mul_dec(v.commission_rate)?;
        let shared = tokens.sub(&commission)?;
        let op = &v.operator;
        ctx.emit(events::commission(op, &commission));
        let updated = state::commission(ctx, op)?.add(&commission)?;
        state::set_commission(ctx, op, &updated)?;
        let mut cur = state::current(ctx, op)?.ok_or(DistributionError::NoValidatorDistInfo)?;
        cur.rewards = cur.rewards.add(&shared)?;
        state::set_current(ctx, op, &cur)?;
        ctx.emit(events::rewards(op, tokens));
        let updated = state::outstanding(ctx, op)?.add(tokens)?;
        state::set_outstanding(ctx, op, &updated)
    }

    // ---- periods ------------------------------------------------------------------------

    /// A new validator's records: period 0 of history (referenced by the
    /// current period 1), no commission, nothing outstanding.
    pub fn initialize_validator(&self, ctx: &mut Ctx, val: &Address) -> Result<()> {
        state::set_historical(ctx, val, 0, &HistoricalRewards { cumulative_reward_ratio: DecCoins::empty(), reference_count: 1 })?;
        state::set_current(ctx, val, &CurrentRewards { rewards: DecCoins::empty(), period: 1 })?;
        state::set_commission(ctx, val, &DecCoins::empty())?;
        state::set_outstanding(ctx, val, &DecCoins::empty())
    }

    /// End the current period: its rewards per token join the cumulative
    /// ratio; returns the period ended (`IncrementValidatorPeriod`).
    pub fn increment_validator_period(&self, ctx: &mut Ctx, v: &ValidatorInfo) -> Result<u64> {
        let op = &v.operator;
        let cur = state::current(ctx, op)?.ok_or(DistributionError::NoValidatorDistInfo)?;
        let per_token = if v.tokens == 0 {
            // No stake to divide by: the period's rewards go to the community pool.
            let pool = state::community_pool(ctx)?.add(&cur.rewards)?;
            state::set_community_pool(ctx, &pool)?;
            let updated = state::outstanding(ctx, op)?.sub(&cur.rewards)?;
            state::set_outstanding(ctx, op, &updated)?;
            DecCoins::empty()
        } else {
            // Truncated, so no more is ever owed than was allocated.
            cur.rewards.quo_dec_truncate(Dec::from_int(v.tokens).ok_or_else(|| internal("tokens"))?)?
        };
        let prev = cur.period.checked_sub(1).ok_or_else(|| internal("period 0 is never current"))?;
        let historical = state::historical(ctx, op, prev)?.ok_or_else(|| internal("missing historical rewards"))?;
        self.decrement_reference_count(ctx, op, prev)?;
        let ratio = historical.cumulative_reward_ratio.add(&per_token)?;
        state::set_historical(ctx, op, cur.period, &HistoricalRewards { cumulative_reward_ratio: ratio, reference_count: 1 })?;
        state::set_current(ctx, op, &CurrentRewards { rewards: DecCoins::empty(), period: cur.period + 1 })?;
        Ok(cur.period)
    }

    fn increment_reference_count(&self, ctx: &mut Ctx, val: &Address, period: u64) -> Result<()> {
        let mut h = state::historical(ctx, val, period)?.ok_or_else(|| internal("reference to missing historical rewards"))?;
        if h.reference_count > 2 {
            return Err(internal("reference count should never exceed 2"));
        }
        h.reference_count += 1;
        state::set_historical(ctx, val, period, &h)
    }

    fn decrement_reference_count(&self, ctx: &mut Ctx, val: &Address, period: u64) -> Result<()> {
        let mut h = state::historical(ctx, val, period)?.ok_or_else(|| internal("reference to missing historical rewards"))?;
        h.reference_count = h.reference_count.checked_sub(1).ok_or_else(|| internal("cannot set negative reference count"))?;
        if h.reference_count == 0 { state::delete_historical(ctx, val, period) } else { state::set_historical(ctx, val, period, &h) }
    }

    // ---- delegations ----------------------------------------------------------------------

    /// Start a delegation's reward tracking at the period just ended
    /// (`initializeDelegation`).
    pub fn initialize_delegation(&self, ctx: &mut Ctx, val: &Address, del: &Address) -> Result<()> {
        let cur = state::current(ctx, val)?.ok_or(DistributionError::NoValidatorDistInfo)?;
        let previous_period = cur.period - 1;
        self.increment_reference_count(ctx, val, previous_period)?;
        let v = self.staking.validator(ctx, val)?.ok_or(DistributionError::NoValidatorExists)?;
        let shares = self.staking.delegation(ctx, del, val)?.ok_or(DistributionError::NoDelegationExists)?;
        // Truncated, so no more is ever owed than was allocated.
        let stake = v.tokens_from_shares_truncated(shares).ok_or_else(|| internal("stake"))?;
        state::set_starting_info(ctx, val, del, &StartingInfo { previous_period, stake, height: ctx.info.height })
    }

    fn rewards_between(&self, ctx: &mut Ctx, val: &Address, start: u64, end: u64, stake: Dec) -> Result<DecCoins> {
        if start > end {
            return Err(internal("starting period after ending period"));
        }
        let s = state::historical(ctx, val, start)?.ok_or_else(|| internal("missing starting historical rewards"))?;
        let e = state::historical(ctx, val, end)?.ok_or_else(|| internal("missing ending historical rewards"))?;
        let diff =
            e.cumulative_reward_ratio.sub(&s.cumulative_reward_ratio).map_err(|_| internal("negative rewards should not be possible"))?;
        diff.mul_dec_truncate(stake)
    }

    /// A delegation's rewards up to `ending_period` (already incremented),
    /// stepping over the validator's slash events (`CalculateDelegationRewards`).
    pub fn calculate_delegation_rewards(
        &self,
        ctx: &mut Ctx,
        v: &ValidatorInfo,
        del: &Address,
        shares: Dec,
        ending_period: u64,
    ) -> Result<DecCoins> {
        let val = &v.operator;
        let info = state::starting_info(ctx, val, del)?.ok_or(DistributionError::EmptyDelegationDistInfo)?;
        let mut rewards = DecCoins::empty();
        let mut start = info.previous_period;
        let mut stake = info.stake;
        let height = ctx.info.height;
        if height > info.height {
            for (_, event) in state::slash_events_between(ctx, val, info.height, height)? {
                if event.validator_period > start {
                    rewards = rewards.add(&self.rewards_between(ctx, val, start, event.validator_period, stake)?)?;
                    let keep = Dec::ONE.checked_sub(event.fraction).ok_or_else(|| internal("slash fraction above one"))?;
                    stake = stake.mul_truncate(keep).ok_or_else(|| internal("stake"))?;
                    start = event.validator_period;
                }
            }
        }
        // Accumulated rounding may leave the stake a few atto above the
        // current one; the SDK tolerates three.
        let current = v.tokens_from_shares(shares).ok_or_else(|| internal("stake"))?;
        if stake > current {
            let margin = current.checked_add(Dec::from_atto(3)).ok_or_else(|| internal("stake"))?;
            if stake <= margin {
                stake = current;
            } else {
                return Err(internal(format!(
                    "calculated final stake for delegator {del} greater than current stake: {} > {}",
                    stake.to_sdk_string(),
                    current.to_sdk_string()
                )));
            }
        }
        rewards.add(&self.rewards_between(ctx, val, start, ending_period, stake)?)
    }

    /// Pay a delegation's rewards to its withdraw address and end its
    /// tracking (the caller re-initialises it if it lives on). Returns the
    /// coins paid (`withdrawDelegationRewards`).
    pub fn withdraw_delegation_rewards(&self, ctx: &mut Ctx, v: &ValidatorInfo, del: &Address, shares: Dec) -> Result<Coins> {
        let val = &v.operator;
        let info = state::starting_info(ctx, val, del)?.ok_or(DistributionError::EmptyDelegationDistInfo)?;
        let ending = self.increment_validator_period(ctx, v)?;
        let raw = self.calculate_delegation_rewards(ctx, v, del, shares, ending)?;
        let outstanding = state::outstanding(ctx, val)?;
        // The last digits may exceed what is outstanding through rounding order.
        let rewards = raw.intersect(&outstanding);
        let (paid, remainder) = rewards.truncate_decimal()?;
        if !paid.is_empty() {
            let to = state::withdraw_addr(ctx, del)?;
            self.bank.send(ctx, &module_account(), &to, &paid)?;
        }
        state::set_outstanding(ctx, val, &outstanding.sub(&rewards)?)?;
        let updated = state::community_pool(ctx)?.add(&remainder)?;
        state::set_community_pool(ctx, &updated)?;
        self.decrement_reference_count(ctx, val, info.previous_period)?;
        state::delete_starting_info(ctx, val, del)?;
        let shown = if paid.is_empty() { format!("0{}", venice_sdk::BASE_DENOM) } else { paid.to_string() };
        ctx.emit(events::withdraw_rewards(val, del, &shown));
        Ok(paid)
    }

    /// `MsgWithdrawDelegatorReward`: withdraw, then track the delegation anew.
    pub fn withdraw_rewards(&self, ctx: &mut Ctx, del: &Address, val: &Address) -> Result<Coins> {
        let v = self.staking.validator(ctx, val)?.ok_or(DistributionError::NoValidatorDistInfo)?;
        let shares = self.staking.delegation(ctx, del, val)?.ok_or(DistributionError::EmptyDelegationDistInfo)?;
        let paid = self.withdraw_delegation_rewards(ctx, &v, del, shares)?;
        self.initialize_delegation(ctx, val, del)?;
        Ok(paid)
    }

    /// What a delegation would withdraw now (queries; the caller discards
    /// the period increment).
    pub fn pending_rewards(&self, ctx: &mut Ctx, del: &Address, val: &Address) -> Result<DecCoins> {
        let v = self.staking.validator(ctx, val)?.ok_or(DistributionError::NoValidatorExists)?;
        let shares = self.staking.delegation(ctx, del, val)?.ok_or(DistributionError::NoDelegationExists)?;
        let ending = self.increment_validator_period(ctx, &v)?;
        self.calculate_delegation_rewards(ctx, &v, del, shares, ending)
    }

    // ---- commission, slashes, the community pool -----------------------------------------------

    /// `MsgWithdrawValidatorCommission`: the whole coins; the decimal
    /// change stays for later.
    pub fn withdraw_validator_commission(&self, ctx: &mut Ctx, val: &Address) -> Result<Coins> {
        let acc = state::commission(ctx, val)?;
        if acc.is_zero() {
            return Err(DistributionError::NoValidatorCommission.into());
        }
        let (paid, remainder) = acc.truncate_decimal()?;
        state::set_commission(ctx, val, &remainder)?;
        let outstanding = state::outstanding(ctx, val)?;
        state::set_outstanding(ctx, val, &outstanding.sub(&DecCoins::from_coins(&paid)?)?)?;
        if !paid.is_empty() {
            let to = state::withdraw_addr(ctx, val)?;
            self.bank.send(ctx, &module_account(), &to, &paid)?;
        }
        ctx.emit(events::withdraw_commission(&paid));
        Ok(paid)
    }

    /// Record a slash of `fraction` at this height: a new period ends here,
    /// and delegations spanning it are paid on the stake before and after
    /// (`updateValidatorSlashFraction`).
    pub fn record_slash(&self, ctx: &mut Ctx, val: &Address, fraction: Dec) -> Result<()> {
        if fraction > Dec::ONE {
            return Err(internal(format!("fraction must be >=0 and <=1, current fraction: {}", fraction.to_sdk_string())));
        }
        let v = self.staking.validator(ctx, val)?.ok_or(DistributionError::NoValidatorExists)?;
        let period = self.increment_validator_period(ctx, &v)?;
        self.increment_reference_count(ctx, val, period)?;
        state::set_slash_event(ctx, val, ctx.info.height, period, &SlashEvent { validator_period: period, fraction })
    }

    /// Move `coins` from `from` into the community pool (`MsgFundCommunityPool`,
    /// and other modules returning funds, e.g. unclaimed airdrops).
    pub fn fund_community_pool(&self, ctx: &mut Ctx, from: &Address, coins: &Coins) -> Result<()> {
        self.bank.send(ctx, from, &module_account(), coins)?;
        let pool = state::community_pool(ctx)?.add(&DecCoins::from_coins(coins)?)?;
        state::set_community_pool(ctx, &pool)
    }

    /// Pay `coins` out of the community pool to `to` (`MsgCommunityPoolSpend`):
    /// the pool's record shrinks by exactly what leaves its account.
    pub fn distribute_from_community_pool(&self, ctx: &mut Ctx, to: &Address, coins: &Coins) -> Result<()> {
        let pool = state::community_pool(ctx)?;
        let spend = DecCoins::from_coins(coins)?;
        if !spend.is_all_lte(&pool) {
            return Err(DistributionError::BadDistribution.into());
        }
        if self.blocked.contains(to) {
            return Err(Error::Unauthorized(format!("{} is not allowed to receive external funds", to.to_bech32())));
        }
        state::set_community_pool(ctx, &pool.sub(&spend)?)?;
        self.bank.send(ctx, &module_account(), to, coins)
    }

    /// `MsgSetWithdrawAddress`.
    pub fn set_withdraw_addr(&self, ctx: &mut Ctx, del: &Address, to: &Address) -> Result<()> {
        if self.blocked.contains(to) {
            return Err(Error::Unauthorized(format!("{} is not allowed to receive external funds", to.to_bech32())));
        }
        if !state::params(ctx)?.withdraw_addr_enabled {
            return Err(DistributionError::SetWithdrawAddrDisabled.into());
        }
        ctx.emit(events::set_withdraw_address(to));
        state::set_withdraw_addr(ctx, del, to)
    }

    /// A removed validator's records: commission paid out, outstanding dust
    /// to the community pool, history deleted (`AfterValidatorRemoved`).
    pub fn remove_validator(&self, ctx: &mut Ctx, val: &Address) -> Result<()> {
        let mut outstanding = state::outstanding(ctx, val)?;
        let commission = state::commission(ctx, val)?;
        let mut pool = state::community_pool(ctx)?;
        if !commission.is_zero() {
            outstanding = outstanding.sub(&commission)?;
            let (coins, remainder) = commission.truncate_decimal()?;
            pool = pool.add(&remainder)?;
            if !coins.is_empty() {
                let to = state::withdraw_addr(ctx, val)?;
                self.bank.send(ctx, &module_account(), &to, &coins)?;
            }
        }
        pool = pool.add(&outstanding)?;
        state::set_community_pool(ctx, &pool)?;
        state::delete_validator_records(ctx, val)
    }
}
