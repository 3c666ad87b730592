//! distribution events, named and shaped as x/distribution emits them.

use venice_sdk::{Address, Coins, Event};

use crate::dec_coins::DecCoins;

/// A validator's share of a block's rewards, commission included.
pub fn rewards(val: &Address, amount: &DecCoins) -> Event {
    Event::new("rewards").attr("amount", amount.to_sdk_string()).attr("validator", val.to_valoper())
}

pub fn commission(val: &Address, amount: &DecCoins) -> Event {
    Event::new("commission").attr("amount", amount.to_sdk_string()).attr("validator", val.to_valoper())
}

/// `amount` is `0<bond denom>` when nothing was paid, as the SDK writes it.
pub fn withdraw_rewards(val: &Address, del: &Address, amount: &str) -> Event {
    Event::new("withdraw_rewards").attr("amount", amount).attr("validator", val.to_valoper()).attr("delegator", del.to_bech32())
}

pub fn withdraw_commission(amount: &Coins) -> Event {
    Event::new("withdraw_commission").attr("amount", amount.to_string())
}

pub fn set_withdraw_address(to: &Address) -> Event {
    Event::new("set_withdraw_address").attr("withdraw_address", to.to_bech32())
}
