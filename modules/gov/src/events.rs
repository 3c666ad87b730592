//! gov events, named and shaped as the Cosmos SDK's x/gov emits them.

use venice_sdk::{Address, Coins, Event};

use crate::types::option_name;

pub const PROPOSAL_DROPPED: &str = "proposal_dropped";
pub const PROPOSAL_PASSED: &str = "proposal_passed";
pub const PROPOSAL_REJECTED: &str = "proposal_rejected";
pub const EXPEDITED_PROPOSAL_REJECTED: &str = "expedited_proposal_rejected";
pub const PROPOSAL_FAILED: &str = "proposal_failed";

pub fn submit_proposal(id: u64, type_urls: &[String]) -> Event {
    // The SDK writes ",/a.MsgX,/b.MsgY": each URL after a comma.
    let msgs: String = type_urls.iter().map(|u| format!(",{u}")).collect();
    Event::new("submit_proposal").attr("proposal_id", id.to_string()).attr("proposal_messages", msgs)
}

pub fn voting_period_start(kind: &str, id: u64) -> Event {
    Event::new(kind).attr("voting_period_start", id.to_string())
}

pub fn proposal_deposit(depositor: &Address, amount: &Coins, id: u64) -> Event {
    Event::new("proposal_deposit")
        .attr("depositor", depositor.to_bech32())
        .attr("amount", amount.to_string())
        .attr("proposal_id", id.to_string())
}

/// `option` as the SDK prints `WeightedVoteOptions`: one
/// `option:VOTE_OPTION_YES weight:"1.000000000000000000"` per line.
pub fn proposal_vote(voter: &Address, options: &[(i32, venice_types::Dec)], id: u64) -> Event {
    let opts: Vec<String> = options.iter().map(|(o, w)| format!("option:{} weight:\"{}\"", option_name(*o), w.to_sdk_string())).collect();
    Event::new("proposal_vote").attr("voter", voter.to_bech32()).attr("option", opts.join("\n")).attr("proposal_id", id.to_string())
}

pub fn cancel_proposal(sender: &Address, id: u64) -> Event {
    Event::new("cancel_proposal").attr("sender", sender.to_bech32()).attr("proposal_id", id.to_string())
}

pub fn inactive_proposal(id: u64, result: &str) -> Event {
    Event::new("inactive_proposal").attr("proposal_id", id.to_string()).attr("proposal_result", result)
}

pub fn active_proposal(id: u64, result: &str, log: &str) -> Event {
    Event::new("active_proposal").attr("proposal_id", id.to_string()).attr("proposal_result", result).attr("proposal_log", log)
}

pub fn message(sender: &Address) -> Event {
    Event::new("message").attr("module", "governance").attr("sender", sender.to_bech32())
}
