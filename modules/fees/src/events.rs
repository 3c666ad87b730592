//! fees' events: one `fee_split` per leg that moved coins.

use venice_sdk::{Coins, Event};

/// `source`: `tx` (the fee collector's balance) or `inference`;
/// `recipient`: the bech32 address paid (empty for the burn).
pub fn fee_split(source: &str, leg: &str, recipient: &str, amount: &Coins) -> Event {
    Event::new("fee_split").attr("source", source).attr("leg", leg).attr("recipient", recipient).attr("amount", amount.to_string())
}
