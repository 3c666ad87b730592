//! `MsgGrant`: gov authority; a valid recipient that may receive funds; a
//! positive amount of send-enabled denoms the pool holds; for a vesting
//! grant, a schedule that ends after it starts and a recipient with no
//! account yet. The account is created first, then funded (one state
//! layer: a failed transfer leaves nothing).

use cosmos_sdk_proto::Any;
use prost::Message;
use venice_auth::Vesting;
use venice_sdk::{Address, Coins, Ctx, Error, Event, Result, check_gov_authority, response_any};

use crate::error::EcosystemError;
use crate::proto::{MSG_GRANT_URL, MsgGrant, MsgGrantResponse, VestingSchedule};
use crate::{Ecosystem, MODULE, pool_address};

pub const MSG_GRANT: &str = MSG_GRANT_URL;

struct Checked {
    recipient: Address,
    amount: Coins,
}

fn check(m: &MsgGrant) -> Result<Checked> {
    let recipient = Address::parse(&m.recipient).map_err(|e| Error::InvalidAddress(format!("invalid recipient address: {e}")))?;
    let amount = Coins::from_proto_strict(&m.amount)?;
    if amount.is_empty() {
        return Err(Error::InvalidCoins("amount must be positive".into()));
    }
    if let Some(v) = &m.vesting {
        if v.end_time <= 0 {
            return Err(EcosystemError::InvalidSchedule("end time must be positive".into()).into());
        }
        if v.start_time < 0 {
            return Err(EcosystemError::InvalidSchedule("start time must not be negative".into()).into());
        }
    }
    Ok(Checked { recipient, amount })
}

/// The account's schedule: continuous from the start (0: this block's time)
/// to the end, or everything at the end (delayed).
fn schedule(ctx: &Ctx, v: &VestingSchedule, amount: Coins) -> Result<Vesting> {
    if v.delayed {
        return Ok(Vesting::delayed(amount, v.end_time));
    }
    let start = if v.start_time == 0 { ctx.info.time_secs } else { v.start_time };
    if v.end_time <= start {
        return Err(EcosystemError::InvalidSchedule(format!("end time {} is not after the start {start}", v.end_time)).into());
    }
    Ok(Vesting::continuous(amount, start, v.end_time))
}

/// Stateless checks; the signer is the authority.
pub fn signers(msg: &Any) -> Result<Vec<Address>> {
    match msg.type_url.as_str() {
        MSG_GRANT => {
            let m = MsgGrant::decode(msg.value.as_slice())?;
            check(&m)?;
            Ok(vec![Address::parse(&m.authority).map_err(|e| Error::InvalidAddress(format!("invalid authority address: {e}")))?])
        }
        other => Err(Error::UnknownMessage(other.to_string())),
    }
}

pub fn handle(e: &Ecosystem, ctx: &mut Ctx, msg: &Any) -> Result<Any> {
    match msg.type_url.as_str() {
        MSG_GRANT => {
            let m = MsgGrant::decode(msg.value.as_slice())?;
            check_gov_authority(&m.authority)?;
            grant(e, ctx, &m)?;
            Ok(response_any(&MsgGrantResponse {}))
        }
        other => Err(Error::UnknownMessage(other.to_string())),
    }
}

/// Pay `m` from the pool.
pub fn grant(e: &Ecosystem, ctx: &mut Ctx, m: &MsgGrant) -> Result<()> {
    let Checked { recipient, amount } = check(m)?;
    e.bank.check_send_enabled(ctx, &amount)?;
    e.bank.check_receiver(&recipient)?;
    let pool = pool_address();
    let held = e.bank.all_balances(ctx, &pool)?;
    if amount.iter().any(|c| held.iter().find(|h| h.denom == c.denom).map_or(0, |h| h.amount) < c.amount) {
        let have = Coins::normalize(held).map(|c| c.to_string()).unwrap_or_default();
        return Err(EcosystemError::InsufficientPool { have, want: amount.to_string() }.into());
    }
    let kind = match &m.vesting {
        Some(v) => {
            let vesting = schedule(ctx, v, amount.clone())?;
            e.accounts.create_vesting_account(ctx, &recipient, &vesting)?;
            if v.delayed { "delayed" } else { "continuous" }
        }
        None => "none",
    };
    e.bank.send(ctx, &pool, &recipient, &amount)?;
    ctx.emit(
        Event::new("ecosystem_grant")
            .attr("recipient", recipient.to_bech32())
            .attr("amount", amount.to_string())
            .attr("vesting", kind)
            .attr("module", MODULE),
    );
    Ok(())
}
