//! `tx vesting …`: the x/auth/vesting messages, with the Cosmos SDK CLI's
//! arguments (`create-vesting-account TO AMOUNT END_TIME [--delayed]`,
//! `create-permanent-locked-account TO AMOUNT`,
//! `create-periodic-vesting-account TO PERIODS_JSON_FILE`).

use std::path::PathBuf;

use clap::Subcommand;
use cosmos_sdk_proto::Any;
use cosmos_sdk_proto::cosmos::vesting::v1beta1 as pb;
use prost::Message;
use serde::Deserialize;
use venice_types::Address;
use venice_types::coin_text::parse_coins;

use super::{TxFlags, node, print_outcome};
use crate::Cli;
use crate::broadcast;
use crate::error::{CliError, Result};
use crate::keyring::Keyring;

pub const MSG_CREATE_VESTING_URL: &str = "/cosmos.vesting.v1beta1.MsgCreateVestingAccount";
pub const MSG_CREATE_PERMANENT_LOCKED_URL: &str = "/cosmos.vesting.v1beta1.MsgCreatePermanentLockedAccount";
pub const MSG_CREATE_PERIODIC_URL: &str = "/cosmos.vesting.v1beta1.MsgCreatePeriodicVestingAccount";

#[derive(Subcommand, Debug)]
pub enum TxCmd {
    /// Create a new account vesting AMOUNT until END_TIME (unix seconds):
    /// linearly from now, or all at END_TIME with --delayed
    #[command(name = "create-vesting-account")]
    Continuous {
        to_address: String,
        amount: String,
        end_time: i64,
        #[arg(long)]
        delayed: bool,
        /// Key name or address in the keyring (the funder)
        #[arg(long)]
        from: String,
        #[command(flatten)]
        flags: TxFlags,
    },
    /// Create a new account whose AMOUNT never vests (it can be delegated)
    #[command(name = "create-permanent-locked-account")]
    PermanentLocked {
        to_address: String,
        amount: String,
        #[arg(long)]
        from: String,
        #[command(flatten)]
        flags: TxFlags,
    },
    /// Create a new account vesting in periods read from a JSON file:
    /// {"start_time": 1625204910, "periods": [{"coins": "10uvvv", "length_seconds": 2592000}]}
    #[command(name = "create-periodic-vesting-account")]
    Periodic {
        to_address: String,
        periods_file: PathBuf,
        #[arg(long)]
        from: String,
        #[command(flatten)]
        flags: TxFlags,
    },
}

/// The SDK CLI's periods file.
#[derive(Deserialize)]
struct PeriodsFile {
    start_time: i64,
    periods: Vec<PeriodJson>,
}

#[derive(Deserialize)]
struct PeriodJson {
    coins: String,
    length_seconds: i64,
}

fn coins_pb(s: &str) -> Result<Vec<cosmos_sdk_proto::cosmos::base::v1beta1::Coin>> {
    Ok(parse_coins(s, false)?.iter().map(Into::into).collect())
}

/// The periodic message from the periods file's JSON.
pub fn periodic_msg(from: &str, to: &str, json: &str) -> Result<Any> {
    let f: PeriodsFile = serde_json::from_str(json).map_err(|e| CliError::TxBuild(format!("periods file: {e}")))?;
    let vesting_periods =
        f.periods.iter().map(|p| Ok(pb::Period { length: p.length_seconds, amount: coins_pb(&p.coins)? })).collect::<Result<Vec<_>>>()?;
    let m =
        pb::MsgCreatePeriodicVestingAccount { from_address: from.into(), to_address: to.into(), start_time: f.start_time, vesting_periods };
    Ok(Any { type_url: MSG_CREATE_PERIODIC_URL.into(), value: m.encode_to_vec() })
}

impl TxCmd {
    pub async fn run(&self, cli: &Cli) -> Result<()> {
        let (from, flags) = match self {
            TxCmd::Continuous { from, flags, .. } | TxCmd::PermanentLocked { from, flags, .. } | TxCmd::Periodic { from, flags, .. } => {
                (from, flags)
            }
        };
        let opts = flags.options(cli)?;
        let keyring = Keyring::open(&crate::home_dir(cli)?, cli.keyring_backend);
        let key = keyring.get(from)?;
        let msg = match self {
            TxCmd::Continuous { to_address, amount, end_time, delayed, .. } => {
                Address::parse_arg(to_address)?;
                let m = pb::MsgCreateVestingAccount {
                    from_address: key.address.clone(),
                    to_address: to_address.clone(),
                    amount: coins_pb(amount)?,
                    end_time: *end_time,
                    delayed: *delayed,
                };
                Any { type_url: MSG_CREATE_VESTING_URL.into(), value: m.encode_to_vec() }
            }
            TxCmd::PermanentLocked { to_address, amount, .. } => {
                Address::parse_arg(to_address)?;
                let m = pb::MsgCreatePermanentLockedAccount {
                    from_address: key.address.clone(),
                    to_address: to_address.clone(),
                    amount: coins_pb(amount)?,
                };
                Any { type_url: MSG_CREATE_PERMANENT_LOCKED_URL.into(), value: m.encode_to_vec() }
            }
            TxCmd::Periodic { to_address, periods_file, .. } => {
                Address::parse_arg(to_address)?;
                let text =
                    std::fs::read_to_string(periods_file).map_err(|e| CliError::TxBuild(format!("{}: {e}", periods_file.display())))?;
                periodic_msg(&key.address, to_address, &text)?
            }
        };
        let node = node(cli)?;
        print_outcome(cli, broadcast::sign_and_broadcast(&node, &keyring, &key, vec![msg], &opts).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_file_as_the_sdk_cli_reads_it() {
        let json = r#"{"start_time": 1625204910, "periods": [{"coins": "10uvvv", "length_seconds": 2592000}, {"coins": "5uvvv", "length_seconds": 60}]}"#;
        let any = periodic_msg("venice1a", "venice1b", json).unwrap();
        let m = pb::MsgCreatePeriodicVestingAccount::decode(any.value.as_slice()).unwrap();
        assert_eq!(m.start_time, 1625204910);
        assert_eq!(m.vesting_periods.len(), 2);
        assert_eq!((m.vesting_periods[0].length, m.vesting_periods[0].amount[0].amount.as_str()), (2592000, "10"));
        assert!(periodic_msg("a", "b", r#"{"start_time": 1}"#).is_err());
    }
}
