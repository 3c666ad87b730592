//! staking events, named and shaped as x/staking emits them (amounts as
//! coin strings, times as RFC 3339 in whole seconds).

use venice_sdk::{Address, Event};
use venice_types::time::Timestamp;

pub fn create_validator(val: &Address, amount: &str) -> Event {
    Event::new("create_validator").attr("validator", val.to_valoper()).attr("amount", amount)
}

pub fn edit_validator(commission_rate: &str, min_self_delegation: u128) -> Event {
    Event::new("edit_validator").attr("commission_rate", commission_rate).attr("min_self_delegation", min_self_delegation.to_string())
}

pub fn delegate(val: &Address, del: &Address, amount: &str, new_shares: &str) -> Event {
    Event::new("delegate")
        .attr("validator", val.to_valoper())
        .attr("delegator", del.to_bech32())
        .attr("amount", amount)
        .attr("new_shares", new_shares)
}

pub fn unbond(val: &Address, del: &Address, amount: &str, completion: Timestamp) -> Event {
    Event::new("unbond")
        .attr("validator", val.to_valoper())
        .attr("delegator", del.to_bech32())
        .attr("amount", amount)
        .attr("completion_time", completion.to_rfc3339_secs())
}

pub fn redelegate(src: &Address, dst: &Address, amount: &str, completion: Timestamp) -> Event {
    Event::new("redelegate")
        .attr("source_validator", src.to_valoper())
        .attr("destination_validator", dst.to_valoper())
        .attr("amount", amount)
        .attr("completion_time", completion.to_rfc3339_secs())
}

pub fn cancel_unbonding_delegation(val: &Address, del: &Address, amount: &str, creation_height: i64) -> Event {
    Event::new("cancel_unbonding_delegation")
        .attr("amount", amount)
        .attr("validator", val.to_valoper())
        .attr("delegator", del.to_bech32())
        .attr("creation_height", creation_height.to_string())
}

pub fn complete_unbonding(del: &Address, val: &Address, amount: &str) -> Event {
    Event::new("complete_unbonding").attr("amount", amount).attr("validator", val.to_valoper()).attr("delegator", del.to_bech32())
}

pub fn complete_redelegation(del: &Address, src: &Address, dst: &Address, amount: &str) -> Event {
    Event::new("complete_redelegation")
        .attr("amount", amount)
        .attr("delegator", del.to_bech32())
        .attr("source_validator", src.to_valoper())
        .attr("destination_validator", dst.to_valoper())
}
