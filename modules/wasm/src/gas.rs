//! wasmd's gas register (`x/wasm/types/gas_register.go`, v0.61 defaults):
//! VM gas to chain gas, the cost of loading an instance, of compiling, of
//! unpacking gzip and of the events a contract emits.

use cosmwasm_std::{Attribute, Event};

/// CosmWasm gas points per chain (SDK) gas point.
pub const GAS_MULTIPLIER: u64 = 140_000;
/// Chain gas for loading an instance of a contract.
pub const INSTANCE_COST: u64 = 60_000;
/// ... when it is in a memory cache for sure (pinned codes, replies).
pub const INSTANCE_COST_DISCOUNT: u64 = 2_000;
/// Chain gas per byte of wasm compiled at store-code.
pub const COMPILE_COST: u64 = 3;
/// Chain gas per gzip byte unpacked (0.15 gas).
pub const UNCOMPRESS_COST: (u64, u64) = (15, 100);
const EVENT_ATTRIBUTE_DATA_COST: u64 = 1;
const PER_ATTRIBUTE_COST: u64 = 10;
const PER_CUSTOM_EVENT_COST: u64 = 20;
const EVENT_ATTRIBUTE_DATA_FREE_TIER: u64 = 100;
/// Gas wasmvm charges for address conversions (CosmWasm gas).
pub const COST_HUMANIZE: u64 = 5 * GAS_MULTIPLIER;
pub const COST_CANONICALIZE: u64 = 4 * GAS_MULTIPLIER;

/// Chain gas -> VM gas for a call's limit (saturating: an unmetered context
/// gives the VM all it can count).
pub fn to_vm_gas(chain_gas: u64) -> u64 {
    chain_gas.saturating_mul(GAS_MULTIPLIER)
}

/// VM gas -> chain gas, rounded down as wasmd does.
pub fn from_vm_gas(vm_gas: u64) -> u64 {
    vm_gas / GAS_MULTIPLIER
}

pub fn setup_cost(discount: bool) -> u64 {
    if discount { INSTANCE_COST_DISCOUNT } else { INSTANCE_COST }
}

pub fn uncompress_cost(len: usize) -> u64 {
    (len as u64).saturating_mul(UNCOMPRESS_COST.0) / UNCOMPRESS_COST.1
}

/// Cost of the `wasm` attributes and custom events of one response; the
/// free tier applies to the whole set, not per event.
pub fn event_costs(attrs: &[Attribute], events: &[Event]) -> u64 {
    let (mut gas, mut free) = attribute_costs(attrs, EVENT_ATTRIBUTE_DATA_FREE_TIER);
    for e in events {
        gas = gas.saturating_add(PER_CUSTOM_EVENT_COST).saturating_add(e.ty.len() as u64 * EVENT_ATTRIBUTE_DATA_COST);
        let (g, f) = attribute_costs(&e.attributes, free);
        gas = gas.saturating_add(g);
        free = f;
    }
    gas
}

fn attribute_costs(attrs: &[Attribute], free: u64) -> (u64, u64) {
    if attrs.is_empty() {
        return (0, free);
    }
    let bytes: u64 = attrs.iter().map(|a| (a.key.len() + a.value.len()) as u64).sum();
    let (charged, free) = if bytes > free { (bytes - free, 0) } else { (0, free - bytes) };
    (charged.saturating_mul(EVENT_ATTRIBUTE_DATA_COST).saturating_add(PER_ATTRIBUTE_COST * attrs.len() as u64), free)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversions_and_event_costs_follow_wasmd() {
        assert_eq!(from_vm_gas(to_vm_gas(1234)), 1234);
        assert_eq!(from_vm_gas(GAS_MULTIPLIER - 1), 0);
        assert_eq!(to_vm_gas(u64::MAX), u64::MAX);
        assert_eq!(uncompress_cost(1000), 150);
        // 2 attributes of 60 bytes each: 20 bytes over the free tier + 2 * 10.
        let a = Attribute::new("k".repeat(30), "v".repeat(30));
        assert_eq!(event_costs(&[a.clone(), a.clone()], &[]), 20 + 20);
        // An event: 20 + type length, its attributes past the remaining tier.
        let e = Event::new("probe").add_attribute("a", "b");
        assert_eq!(event_costs(&[], &[e]), 20 + 5 + 10);
    }
}
