//! The `tester` contract (contracts/tester) in cosmwasm-vm 3.0.10: the calls
//! the wasm module's tests rely on, including the ones only a real VM can
//! show (a panic, an endless loop, a huge allocation).

use cosmwasm_std::{BankMsg, CosmosMsg, coins};
use cosmwasm_vm::VmError;
use serde_json::json;
use venice_contracts_vm::{Harness, HarnessError, load_wasm};

fn tester(gas_limit: u64) -> Harness {
    let wasm = load_wasm("tester").unwrap_or_else(|e| panic!("{e}"));
    Harness::with_wasm(&wasm, &[], gas_limit)
}

fn get(h: &mut Harness, key: &str) -> serde_json::Value {
    h.query(&json!({"get": {"key": key}})).unwrap().0["value"].clone()
}

#[test]
fn instantiate_set_get_and_messages() {
    let mut h = tester(venice_contracts_vm::GAS_LIMIT);
    let alice = h.addr("alice");
    let err = h.instantiate(&alice, &[], &json!({"fail": "no thanks"})).unwrap_err();
    assert!(err.to_string().contains("tester: no thanks"), "{err}");
    h.instantiate(&alice, &[], &json!({})).unwrap();
    assert_eq!(get(&mut h, "owner"), json!(alice));

    h.execute(&alice, &[], &json!({"set": {"key": "k", "value": "v"}})).unwrap();
    assert_eq!(get(&mut h, "k"), json!("v"));
    h.execute(&alice, &[], &json!({"delete": {"key": "k"}})).unwrap();
    assert_eq!(get(&mut h, "k"), json!(null));

    let err = h.execute(&alice, &[], &json!({"fail": {"reason": "boom"}})).unwrap_err();
    assert!(matches!(&err, HarnessError::Contract(m) if m.contains("tester: boom")), "{err}");
    assert_eq!(get(&mut h, "dirty"), json!(null));

    let bob = h.addr("bob");
    let c = h.execute(&alice, &[], &json!({"send": {"to_address": bob, "amount": [{"denom": "uvvv", "amount": "1"}]}})).unwrap();
    assert_eq!(c.response.messages[0].msg, CosmosMsg::Bank(BankMsg::Send { to_address: bob, amount: coins(1, "uvvv") }));

    let c = h.execute(&alice, &[], &json!({"return_data": {"data": "AQID"}})).unwrap();
    assert_eq!(c.response.data.unwrap().as_slice(), [1, 2, 3]);
    let c = h.execute(&alice, &[], &json!({"emit": {"event_type": "probe", "attributes": [{"key": "a", "value": "b"}]}})).unwrap();
    assert_eq!(c.response.events[0].ty, "probe");
    assert_eq!((c.response.attributes[0].key.as_str(), c.response.attributes[0].value.as_str()), ("a", "b"));

    // An 8 MiB allocation fits the VM's memory; a 64 MiB one does not (the
    // harness's memory limit is 16 MiB), and fails as a VM error.
    h.execute(&alice, &[], &json!({"allocate": {"bytes": 8 << 20}})).unwrap();
    let err = h.execute(&alice, &[], &json!({"allocate": {"bytes": 64u64 << 20}})).unwrap_err();
    assert!(matches!(err, HarnessError::Vm(_)), "{err}");
}

#[test]
fn panic_aborts_and_loop_runs_out_of_gas() {
    let mut h = tester(venice_contracts_vm::GAS_LIMIT);
    let alice = h.addr("alice");
    h.instantiate(&alice, &[], &json!({})).unwrap();
    let err = h.execute(&alice, &[], &json!({"panic": {}})).unwrap_err();
    // The panic message reaches the host through `abort` (a runtime error).
    assert!(
        matches!(&err, HarnessError::Vm(VmError::RuntimeErr { msg, .. }) if msg.contains("Aborted: panicked") && msg.contains("panic on request")),
        "{err}"
    );

    let mut h = tester(2_000_000_000);
    h.instantiate(&alice, &[], &json!({})).unwrap();
    let err = h.execute(&alice, &[], &json!({"loop": {}})).unwrap_err();
    assert!(matches!(err, HarnessError::Vm(VmError::GasDepletion { .. })), "{err}");
}

#[test]
fn migrate_records_the_version() {
    let mut h = tester(venice_contracts_vm::GAS_LIMIT);
    let alice = h.addr("alice");
    h.instantiate(&alice, &[], &json!({})).unwrap();
    let c = h.migrate(&json!({"version": "v2"})).unwrap();
    assert_eq!(c.response.data.unwrap().as_slice(), b"migrated");
    assert_eq!(get(&mut h, "migrated"), json!("v2"));
}
