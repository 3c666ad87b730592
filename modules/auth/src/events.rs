//! Events of the ante handler, as the Cosmos SDK names them (`tx` with `fee`,
//! `fee_payer`, `acc_seq`, `signature`).

use venice_sdk::{Address, Coins, Event};

pub fn fee(fee: &Coins, payer: &Address) -> Event {
    Event::new("tx").attr("fee", fee.to_string()).attr("fee_payer", payer.to_bech32())
}

pub fn acc_seq(addr: &Address, sequence: u64) -> Event {
    Event::new("tx").attr("acc_seq", format!("{}/{}", addr.to_bech32(), sequence))
}

pub fn signature(sig_b64: String) -> Event {
    Event::new("tx").attr("signature", sig_b64)
}
