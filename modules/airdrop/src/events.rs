//! airdrop's events.

use venice_sdk::{Address, Coins, Event};

pub fn claim(claimer: &Address, amount: &Coins) -> Event {
    Event::new("claim").attr("claimer", claimer.to_bech32()).attr("amount", amount.to_string())
}

/// The deadline passed: the remainder went to the community pool.
pub fn sweep(amount: &Coins) -> Event {
    Event::new("airdrop_sweep").attr("amount", amount.to_string())
}
