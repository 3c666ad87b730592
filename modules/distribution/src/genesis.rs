//! distribution genesis in the SDK's JSON shape: params, fee_pool, withdraw
//! infos and every F1 record, so an exported chain resumes exactly where
//! it stopped. A new chain usually has only params: the validators' records
//! come from staking's hooks as gentxs are delivered.

use serde::{Deserialize, Serialize};
use venice_sdk::json::int_str;
use venice_sdk::{Address, Coins, Ctx, Error, Result};
use venice_types::Dec;

use crate::dec_coins::{DecCoins, JsonDecCoin};
use crate::params::{Params, dec_str};
use crate::state::{self, CurrentRewards, HistoricalRewards, SlashEvent, StartingInfo};
use crate::{Distribution, module_account};

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct GenesisState {
    #[serde(default)]
    pub params: Params,
    #[serde(default)]
    pub fee_pool: FeePool,
    #[serde(default)]
    pub delegator_withdraw_infos: Vec<WithdrawInfo>,
    #[serde(default)]
    pub previous_proposer: String,
    #[serde(default)]
    pub outstanding_rewards: Vec<OutstandingRecord>,
    #[serde(default)]
    pub validator_accumulated_commissions: Vec<CommissionRecord>,
    #[serde(default)]
    pub validator_historical_rewards: Vec<HistoricalRecord>,
    #[serde(default)]
    pub validator_current_rewards: Vec<CurrentRecord>,
    #[serde(default)]
    pub delegator_starting_infos: Vec<StartingInfoRecord>,
    #[serde(default)]
    pub validator_slash_events: Vec<SlashEventRecord>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct FeePool {
    #[serde(default)]
    pub community_pool: Vec<JsonDecCoin>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct WithdrawInfo {
    pub delegator_address: String,
    pub withdraw_address: String,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct OutstandingRecord {
    pub validator_address: String,
    pub outstanding_rewards: Vec<JsonDecCoin>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct CommissionRecord {
    pub validator_address: String,
    pub accumulated: Accumulated,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct Accumulated {
    #[serde(default)]
    pub commission: Vec<JsonDecCoin>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct HistoricalRecord {
    pub validator_address: String,
    #[serde(with = "int_str")]
    pub period: u64,
    pub rewards: HistoricalJson,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct HistoricalJson {
    #[serde(default)]
    pub cumulative_reward_ratio: Vec<JsonDecCoin>,
    pub reference_count: u32,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct CurrentRecord {
    pub validator_address: String,
    pub rewards: CurrentJson,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct CurrentJson {
    #[serde(default)]
    pub rewards: Vec<JsonDecCoin>,
    #[serde(with = "int_str")]
    pub period: u64,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct StartingInfoRecord {
    pub delegator_address: String,
    pub validator_address: String,
    pub starting_info: StartingInfoJson,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct StartingInfoJson {
    #[serde(with = "int_str")]
    pub previous_period: u64,
    #[serde(with = "dec_str")]
    pub stake: Dec,
    #[serde(with = "int_str")]
    pub height: u64,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct SlashEventRecord {
    pub validator_address: String,
    #[serde(with = "int_str")]
    pub height: u64,
    #[serde(with = "int_str")]
    pub period: u64,
    pub validator_slash_event: SlashEventJson,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct SlashEventJson {
    #[serde(with = "int_str")]
    pub validator_period: u64,
    #[serde(with = "dec_str")]
    pub fraction: Dec,
}

fn gerr(field: &str, e: impl std::fmt::Display) -> Error {
    Error::Genesis(format!("distribution.{field}: {e}"))
}

pub fn parse(section: &serde_json::Value) -> Result<GenesisState> {
    let g: GenesisState = serde_json::from_value(section.clone()).map_err(|e| Error::Genesis(format!("distribution: {e}")))?;
    g.params.validate().map_err(|e| gerr("params", e))?;
    Ok(g)
}

fn acc(s: &str, field: &str) -> Result<Address> {
    Address::parse(s).map_err(|e| gerr(field, e))
}

fn val(s: &str, field: &str) -> Result<Address> {
    Address::parse_valoper(s).map_err(|e| gerr(field, e))
}

pub fn init_genesis(k: &Distribution, ctx: &mut Ctx, g: &GenesisState) -> Result<()> {
    state::set_params(ctx, &g.params)?;
    let pool = DecCoins::from_json(&g.fee_pool.community_pool, "distribution.fee_pool.community_pool")?;
    // Staking's hooks may already have added to the pool (zero-token
    // validators at genesis); keep that.
    let updated = state::community_pool(ctx)?.add(&pool)?;
    state::set_community_pool(ctx, &updated)?;
    for (i, w) in g.delegator_withdraw_infos.iter().enumerate() {
        let f = format!("delegator_withdraw_infos[{i}]");
        state::set_withdraw_addr(ctx, &acc(&w.delegator_address, &f)?, &acc(&w.withdraw_address, &f)?)?;
    }
    for (i, r) in g.outstanding_rewards.iter().enumerate() {
        let f = format!("outstanding_rewards[{i}]");
        state::set_outstanding(ctx, &val(&r.validator_address, &f)?, &DecCoins::from_json(&r.outstanding_rewards, &f)?)?;
    }
    for (i, r) in g.validator_accumulated_commissions.iter().enumerate() {
        let f = format!("validator_accumulated_commissions[{i}]");
        state::set_commission(ctx, &val(&r.validator_address, &f)?, &DecCoins::from_json(&r.accumulated.commission, &f)?)?;
    }
    for (i, r) in g.validator_historical_rewards.iter().enumerate() {
        let f = format!("validator_historical_rewards[{i}]");
        let h = HistoricalRewards {
            cumulative_reward_ratio: DecCoins::from_json(&r.rewards.cumulative_reward_ratio, &f)?,
            reference_count: r.rewards.reference_count,
        };
        state::set_historical(ctx, &val(&r.validator_address, &f)?, r.period, &h)?;
    }
    for (i, r) in g.validator_current_rewards.iter().enumerate() {
        let f = format!("validator_current_rewards[{i}]");
        let c = CurrentRewards { rewards: DecCoins::from_json(&r.rewards.rewards, &f)?, period: r.rewards.period };
        state::set_current(ctx, &val(&r.validator_address, &f)?, &c)?;
    }
    for (i, r) in g.delegator_starting_infos.iter().enumerate() {
        let f = format!("delegator_starting_infos[{i}]");
        let s = &r.starting_info;
        state::set_starting_info(
            ctx,
            &val(&r.validator_address, &f)?,
            &acc(&r.delegator_address, &f)?,
            &StartingInfo { previous_period: s.previous_period, stake: s.stake, height: s.height },
        )?;
    }
    for (i, r) in g.validator_slash_events.iter().enumerate() {
        let f = format!("validator_slash_events[{i}]");
        let e = &r.validator_slash_event;
        state::set_slash_event(
            ctx,
            &val(&r.validator_address, &f)?,
            r.height,
            r.period,
            &SlashEvent { validator_period: e.validator_period, fraction: e.fraction },
        )?;
    }
    // The module account must hold what the records owe (bank ran first).
    let mut holdings = state::community_pool(ctx)?;
    for (_, o) in state::all_outstanding(ctx)? {
        holdings = holdings.add(&o)?;
    }
    let (want, _) = holdings.truncate_decimal()?;
    let have = Coins::normalize(k.bank.all_balances(ctx, &module_account())?)?;
    if have != want {
        return Err(Error::Genesis(format!("distribution module balance does not match the module holdings: {have} <-> {want}")));
    }
    Ok(())
}

pub fn export_genesis(ctx: &mut Ctx) -> Result<GenesisState> {
    Ok(GenesisState {
        params: state::params(ctx)?,
        fee_pool: FeePool { community_pool: state::community_pool(ctx)?.to_json() },
        delegator_withdraw_infos: state::all_withdraw_addrs(ctx)?
            .into_iter()
            .map(|(d, w)| WithdrawInfo { delegator_address: d.to_bech32(), withdraw_address: w.to_bech32() })
            .collect(),
        previous_proposer: String::new(),
        outstanding_rewards: state::all_outstanding(ctx)?
            .into_iter()
            .map(|(v, o)| OutstandingRecord { validator_address: v.to_valoper(), outstanding_rewards: o.to_json() })
            .collect(),
        validator_accumulated_commissions: state::all_commissions(ctx)?
            .into_iter()
            .map(|(v, c)| CommissionRecord { validator_address: v.to_valoper(), accumulated: Accumulated { commission: c.to_json() } })
            .collect(),
        validator_historical_rewards: state::all_historical(ctx)?
            .into_iter()
            .map(|(v, period, h)| HistoricalRecord {
                validator_address: v.to_valoper(),
                period,
                rewards: HistoricalJson {
                    cumulative_reward_ratio: h.cumulative_reward_ratio.to_json(),
                    reference_count: h.reference_count,
                },
            })
            .collect(),
        validator_current_rewards: state::all_current(ctx)?
            .into_iter()
            .map(|(v, c)| CurrentRecord {
                validator_address: v.to_valoper(),
                rewards: CurrentJson { rewards: c.rewards.to_json(), period: c.period },
            })
            .collect(),
        delegator_starting_infos: state::all_starting_infos(ctx)?
            .into_iter()
            .map(|(v, d, s)| StartingInfoRecord {
                delegator_address: d.to_bech32(),
                validator_address: v.to_valoper(),
                starting_info: StartingInfoJson { previous_period: s.previous_period, stake: s.stake, height: s.height },
            })
            .collect(),
        validator_slash_events: state::all_slash_events(ctx)?
            .into_iter()
            .map(|(v, height, period, e)| SlashEventRecord {
                validator_address: v.to_valoper(),
                height,
                period,
                validator_slash_event: SlashEventJson { validator_period: e.validator_period, fraction: e.fraction },
            })
            .collect(),
    })
}
