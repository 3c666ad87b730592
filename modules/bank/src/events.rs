//! bank events, named and shaped as the Cosmos SDK's x/bank emits them.

use venice_sdk::{Address, Coins, Event};

pub fn coin_spent(spender: &Address, amount: &Coins) -> Event {
    Event::new("coin_spent").attr("spender", spender.to_bech32()).attr("amount", amount.to_string())
}

pub fn coin_received(receiver: &Address, amount: &Coins) -> Event {
    Event::new("coin_received").attr("receiver", receiver.to_bech32()).attr("amount", amount.to_string())
}

pub fn transfer(recipient: &Address, sender: Option<&Address>, amount: &Coins) -> Event {
    let e = Event::new("transfer").attr("recipient", recipient.to_bech32());
    let e = match sender {
        Some(s) => e.attr("sender", s.to_bech32()),
        None => e,
    };
    e.attr("amount", amount.to_string())
}

pub fn message_sender(sender: &Address) -> Event {
    Event::new("message").attr("sender", sender.to_bech32())
}

pub fn burn(burner: &Address, amount: &Coins) -> Event {
    Event::new("burn").attr("burner", burner.to_bech32()).attr("amount", amount.to_string())
}
