//! slashing events as x/slashing emits them (`liveness`, `slash`), with
//! consensus addresses in `venicevalcons` bech32.

use venice_sdk::{Address, Event};

pub const REASON_DOUBLE_SIGN: &str = "double_sign";
pub const REASON_MISSING_SIGNATURE: &str = "missing_signature";

/// A validator missed the last block.
pub fn liveness(cons: &Address, missed_blocks: i64, height: i64) -> Event {
    Event::new("liveness")
        .attr("address", cons.to_valcons())
        .attr("missed_blocks", missed_blocks.to_string())
        .attr("height", height.to_string())
}

/// Downtime: slashed and jailed in one event.
pub fn slash_downtime(cons: &Address, power: i64, burned: u128) -> Event {
    Event::new("slash")
        .attr("address", cons.to_valcons())
        .attr("power", power.to_string())
        .attr("reason", REASON_MISSING_SIGNATURE)
        .attr("jailed", cons.to_valcons())
        .attr("burned_coins", burned.to_string())
}

/// A slash for `reason` (the slashing keeper's `SlashWithInfractionReason`).
pub fn slash(cons: &Address, power: i64, reason: &str, burned: u128) -> Event {
    Event::new("slash")
        .attr("address", cons.to_valcons())
        .attr("power", power.to_string())
        .attr("reason", reason)
        .attr("burned_coins", burned.to_string())
}

/// The slashing keeper's `Jail`.
pub fn jail(cons: &Address) -> Event {
    Event::new("slash").attr("jailed", cons.to_valcons())
}
