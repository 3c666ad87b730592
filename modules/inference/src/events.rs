//! inference's events.

use venice_sdk::{Address, Coin, Event};

use crate::state::{Member, Task};

pub fn model_listed(kind: &str, model_id: &str, owner: &Address) -> Event {
    Event::new(kind).attr("model_id", model_id).attr("owner", owner.to_bech32())
}

pub fn task_submitted(t: &Task) -> Event {
    Event::new("inference_submit")
        .attr("task_id", t.id.to_string())
        .attr("sender", t.sender.to_bech32())
        .attr("model_id", hex::encode(t.model_id))
        .attr("fee", coin(&t.fee))
        .attr("work", t.work.to_string())
        .attr("allowance_used", t.allowance_used.to_string())
        .attr("deadline_height", t.deadline_height.to_string())
}

pub fn task_assigned(t: &Task) -> Event {
    let members: Vec<String> = t.committee.iter().map(|m: &Member| m.operator.to_valoper()).collect();
    Event::new("inference_assign").attr("task_id", t.id.to_string()).attr("committee", members.join(","))
}

pub fn task_final(t: &Task, hash: &[u8; 32], executors: &[Address]) -> Event {
    let ex: Vec<String> = executors.iter().map(Address::to_bech32).collect();
    Event::new("inference_result")
        .attr("task_id", t.id.to_string())
        .attr("output_hash", hex::encode(hash))
        .attr("fee", coin(&t.fee))
        .attr("executors", ex.join(","))
}

/// `credential_use`: for a task on a data credential, `refunded` or why
/// the use stays spent.
pub fn task_expired(t: &Task, credential_use: Option<&std::result::Result<(), String>>) -> Event {
    let e =
        Event::new("inference_expire").attr("task_id", t.id.to_string()).attr("refund", coin(&t.fee)).attr("sender", t.sender.to_bech32());
    match credential_use {
        None => e,
        Some(Ok(())) => e.attr("credential_use", "refunded"),
        Some(Err(reason)) => e.attr("credential_use", format!("kept: {}", bounded(reason))),
    }
}

pub fn output_stored(task_id: u64, size: usize) -> Event {
    Event::new("inference_output").attr("task_id", task_id.to_string()).attr("size", size.to_string())
}

pub fn reputation(operator: &Address, delta: i64, now: i64) -> Event {
    Event::new("inference_reputation")
        .attr("validator", operator.to_valoper())
        .attr("delta", delta.to_string())
        .attr("reputation", now.to_string())
}

pub fn slash(operator: &Address, height: u64) -> Event {
    Event::new("inference_slash").attr("validator", operator.to_valoper()).attr("height", height.to_string())
}

pub fn credits(kind: &str, owner: &Address, credits: u128, stake: u128) -> Event {
    Event::new(kind).attr("owner", owner.to_bech32()).attr("credits", credits.to_string()).attr("stake", stake.to_string())
}

pub fn payout(operator: &Address, to: &Address) -> Event {
    Event::new("inference_payout_address").attr("validator", operator.to_valoper()).attr("payout_address", to.to_bech32())
}

/// Most bytes of a contract's own words an event repeats: the sender chose
/// the contract, and its error message could be as long as it likes.
pub const MAX_REASON_BYTES: usize = 256;

fn bounded(reason: &str) -> &str {
    match reason.char_indices().find(|(i, c)| i + c.len_utf8() > MAX_REASON_BYTES) {
        Some((cut, _)) => &reason[..cut],
        None => reason,
    }
}

fn coin(c: &Coin) -> String {
    format!("{}{}", c.amount, c.denom)
}

/// A task's finalisation or refund failed and was rolled back.
pub fn task_error(task_id: u64, error: &str) -> Event {
    Event::new("inference_error").attr("task_id", task_id.to_string()).attr("error", error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contract_reasons_are_cut_at_a_char_boundary() {
        assert_eq!(bounded("no refunds"), "no refunds");
        let long = "é".repeat(200); // 400 bytes
        assert_eq!(bounded(&long).len(), MAX_REASON_BYTES);
        assert_eq!(bounded(&format!("x{long}")).len(), MAX_REASON_BYTES - 1, "never half a char");
    }
}
