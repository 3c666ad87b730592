//! `tx distribution …` and `query distribution …`: x/distribution's
//! messages and the `cosmos.distribution.v1beta1.Query` service, with the
//! SDK's command names. Decimal amounts print as the SDK's JSON writes
//! them (`"1.500000000000000000"`).

use clap::Subcommand;
use cosmos_sdk_proto::Any;
use cosmos_sdk_proto::cosmos::base::v1beta1::DecCoin;
use cosmos_sdk_proto::cosmos::distribution::v1beta1 as pb;
use prost::Message;
use serde_json::{Value, json};
use venice_types::coin_text::parse_coins;
use venice_types::{Address, Dec};

use super::node;
use super::wasm::{Signer, sign_and_send};
use crate::Cli;
use crate::error::{CliError, Result};
use crate::rpc::Node;

const QUERY: &str = "/cosmos.distribution.v1beta1.Query/";
pub const MSG_WITHDRAW_DELEGATOR_REWARD: &str = "/cosmos.distribution.v1beta1.MsgWithdrawDelegatorReward";
pub const MSG_WITHDRAW_VALIDATOR_COMMISSION: &str = "/cosmos.distribution.v1beta1.MsgWithdrawValidatorCommission";
pub const MSG_SET_WITHDRAW_ADDRESS: &str = "/cosmos.distribution.v1beta1.MsgSetWithdrawAddress";
pub const MSG_FUND_COMMUNITY_POOL: &str = "/cosmos.distribution.v1beta1.MsgFundCommunityPool";

#[derive(Subcommand, Debug)]
pub enum TxCmd {
    /// Withdraw the rewards of a delegation (and, with --commission, the validator's commission)
    #[command(name = "withdraw-rewards")]
    WithdrawRewards {
        /// Validator operator address (venicevaloper1…)
        validator: String,
        /// Also withdraw the validator's commission (the signer must be its operator)
        #[arg(long)]
        commission: bool,
        #[command(flatten)]
        sender: Signer,
    },
    /// Withdraw the rewards of every delegation of the signer
    #[command(name = "withdraw-all-rewards")]
    WithdrawAllRewards {
        #[command(flatten)]
        sender: Signer,
    },
    /// Set the address that receives the signer's rewards
    #[command(name = "set-withdraw-addr")]
    SetWithdrawAddr {
        withdraw_address: String,
        #[command(flatten)]
        sender: Signer,
    },
    /// Send coins to the community pool
    #[command(name = "fund-community-pool")]
    FundCommunityPool {
        /// Coins, e.g. 1000uvvv
        amount: String,
        #[command(flatten)]
        sender: Signer,
    },
}

#[derive(Subcommand, Debug)]
pub enum QueryCmd {
    /// Rewards of a delegator: all its delegations, or the one to VALIDATOR
    Rewards {
        delegator: String,
        validator: Option<String>,
        /// Query state at this height (default: latest)
        #[arg(long)]
        height: Option<u64>,
    },
    /// A validator's accumulated commission
    Commission {
        validator: String,
        #[arg(long)]
        height: Option<u64>,
    },
    /// The community pool
    #[command(name = "community-pool")]
    CommunityPool {
        #[arg(long)]
        height: Option<u64>,
    },
    /// A validator's outstanding (not yet withdrawn) rewards, commission included
    #[command(name = "validator-outstanding-rewards")]
    ValidatorOutstandingRewards {
        validator: String,
        #[arg(long)]
        height: Option<u64>,
    },
    /// A validator's slash events between two heights (default: all)
    Slashes {
        validator: String,
        start_height: Option<u64>,
        end_height: Option<u64>,
        #[arg(long)]
        height: Option<u64>,
    },
    /// Distribution module parameters
    Params {
        #[arg(long)]
        height: Option<u64>,
    },
}

fn valoper(s: &str) -> Result<String> {
    Address::parse_valoper(s).map_err(|e| CliError::BadFlag { flag: "validator", reason: e.to_string() })?;
    Ok(s.to_string())
}

fn any<M: Message>(type_url: &str, m: &M) -> Any {
    Any { type_url: type_url.into(), value: m.encode_to_vec() }
}

pub fn msg_withdraw_rewards(delegator: &str, validator: &str) -> Any {
    any(
        MSG_WITHDRAW_DELEGATOR_REWARD,
        &pb::MsgWithdrawDelegatorReward { delegator_address: delegator.into(), validator_address: validator.into() },
    )
}

/// A protobuf decimal (10^18-scaled integer) as the SDK's JSON shows it.
pub fn dec_text(atto: &str) -> String {
    Dec::from_atto_str(atto).map(Dec::to_sdk_string).unwrap_or_else(|| atto.to_string())
}

pub fn dec_coins_json(coins: &[DecCoin]) -> Value {
    Value::Array(coins.iter().map(|c| json!({ "denom": c.denom, "amount": dec_text(&c.amount) })).collect())
}

impl TxCmd {
    pub async fn run(&self, cli: &Cli) -> Result<()> {
        match self {
            TxCmd::WithdrawRewards { validator, commission, sender } => {
                let validator = valoper(validator)?;
                sign_and_send(cli, sender, |from, _| {
                    let mut msgs = vec![msg_withdraw_rewards(from, &validator)];
                    if *commission {
                        let own = Address::parse_arg(from)?.to_valoper();
                        if own != validator {
                            return Err(CliError::TxBuild(format!("--commission: {from} is not the operator of {validator}")));
                        }
                        msgs.push(any(
                            MSG_WITHDRAW_VALIDATOR_COMMISSION,
                            &pb::MsgWithdrawValidatorCommission { validator_address: validator.clone() },
                        ));
                    }
                    Ok(msgs)
                })
                .await
            }
            TxCmd::WithdrawAllRewards { sender } => {
                let keyring = crate::keyring::Keyring::open(&crate::home_dir(cli)?, cli.keyring_backend);
                let delegator = keyring.get(&sender.from)?.address;
                let validators = delegator_validators(&node(cli)?, &delegator, None).await?;
                if validators.is_empty() {
                    return Err(CliError::TxBuild(format!("{delegator} has no delegations")));
                }
                sign_and_send(cli, sender, |from, _| Ok(validators.iter().map(|v| msg_withdraw_rewards(from, v)).collect())).await
            }
            TxCmd::SetWithdrawAddr { withdraw_address, sender } => {
                Address::parse_arg(withdraw_address)?;
                sign_and_send(cli, sender, |from, _| {
                    Ok(vec![any(
                        MSG_SET_WITHDRAW_ADDRESS,
                        &pb::MsgSetWithdrawAddress { delegator_address: from.into(), withdraw_address: withdraw_address.clone() },
                    )])
                })
                .await
            }
            TxCmd::FundCommunityPool { amount, sender } => {
                let amount = parse_coins(amount, false)?;
                sign_and_send(cli, sender, |from, _| {
                    Ok(vec![any(
                        MSG_FUND_COMMUNITY_POOL,
                        &pb::MsgFundCommunityPool { amount: amount.iter().map(Into::into).collect(), depositor: from.into() },
                    )])
                })
                .await
            }
        }
    }
}

async fn delegator_validators(node: &Node, delegator: &str, height: Option<u64>) -> Result<Vec<String>> {
    let req = pb::QueryDelegatorValidatorsRequest { delegator_address: delegator.into() };
    let res: pb::QueryDelegatorValidatorsResponse = node.query(&format!("{QUERY}DelegatorValidators"), &req, height).await?;
    Ok(res.validators)
}

impl QueryCmd {
    pub async fn run(&self, cli: &Cli) -> Result<Value> {
        let node = node(cli)?;
        match self {
            QueryCmd::Rewards { delegator, validator: Some(v), height } => {
                Address::parse_arg(delegator)?;
                let req = pb::QueryDelegationRewardsRequest { delegator_address: delegator.clone(), validator_address: valoper(v)? };
                let res: pb::QueryDelegationRewardsResponse = node.query(&format!("{QUERY}DelegationRewards"), &req, *height).await?;
                Ok(json!({ "rewards": dec_coins_json(&res.rewards) }))
            }
            QueryCmd::Rewards { delegator, validator: None, height } => {
                Address::parse_arg(delegator)?;
                let req = pb::QueryDelegationTotalRewardsRequest { delegator_address: delegator.clone() };
                let res: pb::QueryDelegationTotalRewardsResponse =
                    node.query(&format!("{QUERY}DelegationTotalRewards"), &req, *height).await?;
                let rewards: Vec<Value> = res
                    .rewards
                    .iter()
                    .map(|r| json!({ "validator_address": r.validator_address, "reward": dec_coins_json(&r.reward) }))
                    .collect();
                Ok(json!({ "rewards": rewards, "total": dec_coins_json(&res.total) }))
            }
            QueryCmd::Commission { validator, height } => {
                let req = pb::QueryValidatorCommissionRequest { validator_address: valoper(validator)? };
                let res: pb::QueryValidatorCommissionResponse = node.query(&format!("{QUERY}ValidatorCommission"), &req, *height).await?;
                Ok(json!({ "commission": { "commission": dec_coins_json(&res.commission.unwrap_or_default().commission) } }))
            }
            QueryCmd::CommunityPool { height } => {
                let res: pb::QueryCommunityPoolResponse =
                    node.query(&format!("{QUERY}CommunityPool"), &pb::QueryCommunityPoolRequest {}, *height).await?;
                Ok(json!({ "pool": dec_coins_json(&res.pool) }))
            }
            QueryCmd::ValidatorOutstandingRewards { validator, height } => {
                let req = pb::QueryValidatorOutstandingRewardsRequest { validator_address: valoper(validator)? };
                let res: pb::QueryValidatorOutstandingRewardsResponse =
                    node.query(&format!("{QUERY}ValidatorOutstandingRewards"), &req, *height).await?;
                Ok(json!({ "rewards": { "rewards": dec_coins_json(&res.rewards.unwrap_or_default().rewards) } }))
            }
            QueryCmd::Slashes { validator, start_height, end_height, height } => {
                let req = pb::QueryValidatorSlashesRequest {
                    validator_address: valoper(validator)?,
                    starting_height: start_height.unwrap_or(0),
                    ending_height: end_height.unwrap_or(u64::MAX),
                    pagination: None,
                };
                let res: pb::QueryValidatorSlashesResponse = node.query(&format!("{QUERY}ValidatorSlashes"), &req, *height).await?;
                let slashes: Vec<Value> = res
                    .slashes
                    .iter()
                    .map(|s| json!({ "validator_period": s.validator_period.to_string(), "fraction": dec_text(&s.fraction) }))
                    .collect();
                Ok(json!({ "slashes": slashes }))
            }
            QueryCmd::Params { height } => {
                let res: pb::QueryParamsResponse = node.query(&format!("{QUERY}Params"), &pb::QueryParamsRequest {}, *height).await?;
                let p = res.params.unwrap_or_default();
                #[allow(deprecated)]
                Ok(json!({ "params": {
                    "community_tax": dec_text(&p.community_tax),
                    "base_proposer_reward": dec_text(&p.base_proposer_reward),
                    "bonus_proposer_reward": dec_text(&p.bonus_proposer_reward),
                    "withdraw_addr_enabled": p.withdraw_addr_enabled,
                }}))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_print_as_the_sdk() {
        assert_eq!(dec_text("1500000000000000000"), "1.500000000000000000");
        let v = dec_coins_json(&[DecCoin { denom: "uvvv".into(), amount: "20000000000000000000".into() }]);
        assert_eq!(v, json!([{ "denom": "uvvv", "amount": "20.000000000000000000" }]));
        let m = msg_withdraw_rewards("venice1a", "venicevaloper1b");
        assert_eq!(m.type_url, MSG_WITHDRAW_DELEGATOR_REWARD);
    }
}
