//! wasm events, named and shaped as wasmd emits them
//! (`x/wasm/types/events.go`, `x/wasm/keeper/events.go`).

use venice_sdk::{Address, Event, Result};

use crate::error::WasmError;

pub const WASM: &str = "wasm";
pub const CUSTOM_PREFIX: &str = "wasm-";
pub const CONTRACT_ADDR: &str = "_contract_address";
const RESERVED_PREFIX: &str = "_";
const EVENT_TYPE_MIN_LENGTH: usize = 2;

pub fn store_code(checksum: &[u8], code_id: u64, capabilities: &[String]) -> Event {
    let mut e = Event::new("store_code").attr("code_checksum", hex::encode(checksum)).attr("code_id", code_id.to_string());
    // wasmd splits the comma list of required capabilities: none is one
    // empty attribute.
    if capabilities.is_empty() {
        e = e.attr("required_capability", "");
    }
    for c in capabilities {
        e = e.attr("required_capability", c.clone());
    }
    e
}

pub fn instantiate(contract: &Address, code_id: u64) -> Event {
    Event::new("instantiate").attr(CONTRACT_ADDR, contract.to_bech32()).attr("code_id", code_id.to_string())
}

pub fn execute(contract: &Address) -> Event {
    Event::new("execute").attr(CONTRACT_ADDR, contract.to_bech32())
}

pub fn reply(contract: &Address) -> Event {
    Event::new("reply").attr(CONTRACT_ADDR, contract.to_bech32())
}

pub fn migrate(contract: &Address, code_id: u64) -> Event {
    Event::new("migrate").attr("code_id", code_id.to_string()).attr(CONTRACT_ADDR, contract.to_bech32())
}

pub fn update_admin(contract: &Address, new_admin: Option<&Address>) -> Event {
    Event::new("update_contract_admin")
        .attr(CONTRACT_ADDR, contract.to_bech32())
        .attr("new_admin_address", new_admin.map(Address::to_bech32).unwrap_or_default())
}

/// The contract's attributes after `_contract_address`: keys trimmed and
/// non-empty, values trimmed, `_`-keys reserved.
fn contract_attributes(contract: &Address, attrs: &[cosmwasm_std::Attribute]) -> Result<Vec<(String, String)>> {
    let mut out = vec![(CONTRACT_ADDR.to_string(), contract.to_bech32())];
    for a in attrs {
        let key = a.key.trim();
        if key.is_empty() {
            return Err(WasmError::InvalidEvent(format!("Empty attribute key. Value: {}", a.value)).into());
        }
        if key.starts_with(RESERVED_PREFIX) {
            return Err(WasmError::InvalidEvent(format!("Attribute key starts with reserved prefix {RESERVED_PREFIX}: '{key}'")).into());
        }
        out.push((key.to_string(), a.value.trim().to_string()));
    }
    Ok(out)
}

/// The `wasm` event of a response's attributes (none when it has none).
pub fn wasm_event(contract: &Address, attrs: &[cosmwasm_std::Attribute]) -> Result<Option<Event>> {
    if attrs.is_empty() {
        return Ok(None);
    }
    Ok(Some(Event { kind: WASM.into(), attributes: contract_attributes(contract, attrs)? }))
}

/// `wasm-<type>` events of a response's custom events.
pub fn custom_events(contract: &Address, events: &[cosmwasm_std::Event]) -> Result<Vec<Event>> {
    events
        .iter()
        .map(|e| {
            let ty = e.ty.trim();
            if ty.len() <= EVENT_TYPE_MIN_LENGTH {
                return Err(WasmError::InvalidEvent(format!("Event type too short: '{ty}'")).into());
            }
            Ok(Event { kind: format!("{CUSTOM_PREFIX}{ty}"), attributes: contract_attributes(contract, &e.attributes)? })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contract_events_are_checked_and_prefixed() {
        let c = Address::from_bytes(&[5; 32]).unwrap();
        let e = wasm_event(&c, &[cosmwasm_std::Attribute::new(" action ", " mint ")]).unwrap().unwrap();
        assert_eq!(e.attributes, vec![(CONTRACT_ADDR.into(), c.to_bech32()), ("action".into(), "mint".into())]);
        assert!(wasm_event(&c, &[]).unwrap().is_none());
        for bad in ["", "_contract_address", "_x"] {
            let a = cosmwasm_std::Attribute { key: bad.into(), value: "v".into() };
            let err = wasm_event(&c, &[a]).unwrap_err();
            assert_eq!(err.abci_code(), ("wasm", 21), "{bad:?}");
        }
        let custom = custom_events(&c, &[cosmwasm_std::Event::new("probe").add_attribute("a", "b")]).unwrap();
        assert_eq!(custom[0].kind, "wasm-probe");
        assert!(custom_events(&c, &[cosmwasm_std::Event::new("ab")]).is_err());
    }
}
