//! The three messages, with the Cosmos SDK's checks (x/auth/vesting's
//! `msg_server.go`): addresses, positive amounts, an end (or start) time,
//! send-enabled denoms, a recipient that does not exist yet. The account is
//! created first and then funded, so a failed transfer leaves nothing.

use cosmos_sdk_proto::Any;
use cosmos_sdk_proto::cosmos::base::v1beta1::Coin as PCoin;
use cosmos_sdk_proto::cosmos::vesting::v1beta1 as pb;
use prost::Message;
use venice_auth::vesting::{Period, Vesting};
use venice_sdk::{Address, Coins, Ctx, Error, Result, response_any};

use crate::VestingModule;

pub const MSG_CREATE_VESTING: &str = "/cosmos.vesting.v1beta1.MsgCreateVestingAccount";
pub const MSG_CREATE_PERMANENT_LOCKED: &str = "/cosmos.vesting.v1beta1.MsgCreatePermanentLockedAccount";
pub const MSG_CREATE_PERIODIC: &str = "/cosmos.vesting.v1beta1.MsgCreatePeriodicVestingAccount";

fn amount(list: &[PCoin]) -> Result<Coins> {
    let coins = Coins::from_proto_strict(list)?;
    if coins.is_empty() {
        return Err(Error::InvalidCoins("amount must be positive".into()));
    }
    Ok(coins)
}

fn addresses(from: &str, to: &str) -> Result<(Address, Address)> {
    let f = Address::parse(from).map_err(|e| Error::InvalidAddress(format!("invalid 'from' address: {e}")))?;
    let t = Address::parse(to).map_err(|e| Error::InvalidAddress(format!("invalid 'to' address: {e}")))?;
    Ok((f, t))
}

/// A periodic request's schedule; its total is what is sent.
fn periodic(msg: &pb::MsgCreatePeriodicVestingAccount) -> Result<Vesting> {
    if msg.start_time < 1 {
        return Err(Error::InvalidRequest(format!("invalid start time of {}, length must be greater than 0", msg.start_time)));
    }
    let mut periods = Vec::with_capacity(msg.vesting_periods.len());
    for (i, p) in msg.vesting_periods.iter().enumerate() {
        if p.length < 1 {
            return Err(Error::InvalidRequest(format!(
                "invalid period length of {} in period {i}, length must be greater than 0",
                p.length
            )));
        }
        periods.push(Period { length: p.length, amount: amount(&p.amount)? });
    }
    if periods.is_empty() {
        return Err(Error::InvalidRequest("vesting periods cannot be empty".into()));
    }
    Vesting::periodic(msg.start_time, periods)
}

/// Create `to` with `vesting` and fund it with the schedule's coins from `from`.
fn create(m: &VestingModule, ctx: &mut Ctx, from: &Address, to: &Address, vesting: Vesting) -> Result<()> {
    m.bank.check_send_enabled(ctx, &vesting.original_vesting)?;
    m.accounts.create_vesting_account(ctx, to, &vesting)?;
    m.bank.send(ctx, from, to, &vesting.original_vesting)
}

/// Stateless checks of a message; the address that must sign it.
pub fn signers(msg: &Any) -> Result<Vec<Address>> {
    let from = match msg.type_url.as_str() {
        MSG_CREATE_VESTING => {
            let m = pb::MsgCreateVestingAccount::decode(msg.value.as_slice())?;
            amount(&m.amount)?;
            if m.end_time <= 0 {
                return Err(Error::InvalidRequest("invalid end time".into()));
            }
            addresses(&m.from_address, &m.to_address)?.0
        }
        MSG_CREATE_PERMANENT_LOCKED => {
            let m = pb::MsgCreatePermanentLockedAccount::decode(msg.value.as_slice())?;
            amount(&m.amount)?;
            addresses(&m.from_address, &m.to_address)?.0
        }
        MSG_CREATE_PERIODIC => {
            let m = pb::MsgCreatePeriodicVestingAccount::decode(msg.value.as_slice())?;
            periodic(&m)?;
            addresses(&m.from_address, &m.to_address)?.0
        }
        other => return Err(Error::UnknownMessage(other.to_string())),
    };
    Ok(vec![from])
}

pub fn handle(m: &VestingModule, ctx: &mut Ctx, msg: &Any) -> Result<Any> {
    match msg.type_url.as_str() {
        MSG_CREATE_VESTING => {
            let msg = pb::MsgCreateVestingAccount::decode(msg.value.as_slice())?;
            let (from, to) = addresses(&msg.from_address, &msg.to_address)?;
            let coins = amount(&msg.amount)?;
            if msg.end_time <= 0 {
                return Err(Error::InvalidRequest("invalid end time".into()));
            }
            // Continuous accounts start vesting at this block.
            let v = if msg.delayed {
                Vesting::delayed(coins, msg.end_time)
            } else {
                Vesting::continuous(coins, ctx.info.time_secs, msg.end_time)
            };
            create(m, ctx, &from, &to, v)?;
            Ok(response_any(&pb::MsgCreateVestingAccountResponse {}))
        }
        MSG_CREATE_PERMANENT_LOCKED => {
            let msg = pb::MsgCreatePermanentLockedAccount::decode(msg.value.as_slice())?;
            let (from, to) = addresses(&msg.from_address, &msg.to_address)?;
            create(m, ctx, &from, &to, Vesting::permanent_locked(amount(&msg.amount)?))?;
            Ok(response_any(&pb::MsgCreatePermanentLockedAccountResponse {}))
        }
        MSG_CREATE_PERIODIC => {
            let msg = pb::MsgCreatePeriodicVestingAccount::decode(msg.value.as_slice())?;
            let (from, to) = addresses(&msg.from_address, &msg.to_address)?;
            create(m, ctx, &from, &to, periodic(&msg)?)?;
            Ok(response_any(&pb::MsgCreatePeriodicVestingAccountResponse {}))
        }
        other => Err(Error::UnknownMessage(other.to_string())),
    }
}
