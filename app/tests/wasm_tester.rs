//! The wasm module against hostile and tricky contract behaviour (the
//! `tester` contract, `artifacts/tester.wasm`) and the unmodified
//! third-party cw20-base: submessages with each `reply_on`, rollback of a
//! failed submessage alone, reply data, panics, memory, query recursion,
//! gRPC queries, burns and custom events.

mod common;
mod wasm_common;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use cosmos_sdk_proto::cosmos::bank::v1beta1 as bankpb;
use cosmos_sdk_proto::cosmwasm::wasm::v1 as pb;
use prost::Message;
use serde_json::{Value, json};
use venice_sdk::Address;
use wasm_common::*;

fn tester(c: &mut Chain) -> (u64, Address, Address) {
    let (code_id, _) = c.store(0, &gzip(&artifact("tester")));
    let (a, _) = c.instantiate(0, code_id, &json!({}), Some(0), 0);
    let (b, _) = c.instantiate(0, code_id, &json!({}), Some(0), 0);
    (code_id, a, b)
}

fn get(c: &Chain, contract: &Address, key: &str) -> Value {
    c.smart(contract, &json!({"get": {"key": key}})).unwrap()["value"].clone()
}

fn sub(id: u64, reply_on: &str, msg: Value) -> Value {
    json!({"id": id, "payload": "", "msg": msg, "gas_limit": null, "reply_on": reply_on})
}

fn exec_on(contract: &Address, msg: Value) -> Value {
    json!({"wasm": {"execute": {"contract_addr": contract.to_bech32(), "msg": B64.encode(serde_json::to_vec(&msg).unwrap()), "funds": []}}})
}

fn dispatch(c: &mut Chain, a: &Address, msgs: Vec<Value>) -> tendermint_proto::v0_38::abci::ExecTxResult {
    c.execute(0, a, &json!({"dispatch": {"msgs": msgs, "data": null}}), 0)
}

#[test]
fn submessages_reply_on_each_mode() {
    let mut c = Chain::new(2);
    let (_, a, b) = tester(&mut c);
    let set = |k: &str| exec_on(&b, json!({"set": {"key": k, "value": "v"}}));
    let fail = exec_on(&b, json!({"fail": {"reason": "nope"}}));

    // never / success: the write stays, no reply.
    let r = dispatch(&mut c, &a, vec![sub(1, "never", set("k1"))]);
    assert_eq!(r.code, 0, "{}", r.log);
    assert_eq!(get(&c, &b, "k1"), json!("v"));
    assert_eq!(get(&c, &a, "reply:1"), Value::Null);

    // success / success: replied, and the reply's data is the tx's data.
    let r = dispatch(&mut c, &a, vec![sub(2, "success", exec_on(&b, json!({"return_data": {"data": B64.encode("x")}})))]);
    assert_eq!(r.code, 0, "{}", r.log);
    // The submessage's data is its MsgExecuteContractResponse, as in wasmd.
    let inner = pb::MsgExecuteContractResponse { data: b"x".to_vec() }.encode_to_vec();
    assert_eq!(get(&c, &a, "reply:2"), json!(format!("ok:{}", B64.encode(inner))));
    let resp: pb::MsgExecuteContractResponse = response(&r);
    assert_eq!(resp.data, b"reply-2");
    assert_eq!(events(&r, "reply").len(), 1);

    // error / success: no reply.
    let r = dispatch(&mut c, &a, vec![sub(3, "error", set("k3"))]);
    assert_eq!(r.code, 0, "{}", r.log);
    assert_eq!(get(&c, &a, "reply:3"), Value::Null);
    assert_eq!(get(&c, &b, "k3"), json!("v"));

    // error / failure: the failed submessage's writes (its `dirty` key) are
    // rolled back alone; the caller goes on with the error in its reply.
    let r = dispatch(&mut c, &a, vec![sub(4, "error", fail.clone()), sub(5, "never", set("k5"))]);
    assert_eq!(r.code, 0, "{}", r.log);
    let replied = get(&c, &a, "reply:4");
    assert!(replied.as_str().unwrap().starts_with("err:") && replied.as_str().unwrap().contains("nope"), "{replied}");
    assert_eq!(get(&c, &b, "dirty"), Value::Null);
    assert_eq!(get(&c, &b, "k5"), json!("v"));

    // always / failure and always / success.
    let r = dispatch(&mut c, &a, vec![sub(6, "always", fail.clone()), sub(7, "always", set("k7"))]);
    assert_eq!(r.code, 0, "{}", r.log);
    assert!(get(&c, &a, "reply:6").as_str().unwrap().starts_with("err:"));
    assert_eq!(get(&c, &a, "reply:7"), json!("ok:"));

    // success / failure and never / failure: the whole tx fails, nothing kept.
    for mode in ["success", "never"] {
        let r = dispatch(&mut c, &a, vec![sub(8, "never", set("k8")), sub(9, mode, fail.clone())]);
        assert_eq!((r.codespace.as_str(), r.code), ("wasm", 5), "{mode}: {}", r.log);
        assert_eq!(get(&c, &b, "k8"), Value::Null, "{mode}");
    }
    // A failing reply fails the tx.
    let r = dispatch(&mut c, &a, vec![sub(99, "always", set("k99"))]);
    assert_ne!(r.code, 0);
    assert_eq!(get(&c, &b, "k99"), Value::Null);

    // A submessage under its own gas limit runs out alone.
    let spin = exec_on(&b, json!({"loop": {}}));
    let limited = json!({"id": 10, "payload": "", "msg": spin, "gas_limit": 200_000, "reply_on": "error"});
    let r = dispatch(&mut c, &a, vec![limited]);
    assert_eq!(r.code, 0, "{}", r.log);
    assert_eq!(get(&c, &a, "reply:10"), json!("err:codespace: sdk, code: 11"));
}

#[test]
fn hostile_contracts_fail_their_own_tx() {
    let mut c = Chain::new(2);
    let (_, a, _) = tester(&mut c);
    let r = c.execute(0, &a, &json!({"panic": {}}), 0);
    assert_eq!((r.codespace.as_str(), r.code), ("wasm", 29), "{}", r.log);
    assert_eq!(get(&c, &a, "dirty"), Value::Null);
    let r = c.execute(0, &a, &json!({"fail": {"reason": "because"}}), 0);
    assert_eq!((r.codespace.as_str(), r.code), ("wasm", 5), "{}", r.log);
    assert!(r.log.contains("because"), "{}", r.log);
    assert_eq!(get(&c, &a, "dirty"), Value::Null);
    let r = c.execute(0, &a, &json!({"loop": {}}), 0);
    assert_eq!((r.codespace.as_str(), r.code), ("sdk", 11), "{}", r.log);
    // More memory than an instance may have (32 MiB).
    let r = c.execute(0, &a, &json!({"allocate": {"bytes": 64u64 << 20}}), 0);
    assert_ne!(r.code, 0, "{}", r.log);
    assert!(r.codespace == "wasm" || r.code == 11, "{}: {}", r.codespace, r.log);
    // A modest allocation works.
    let r = c.execute(0, &a, &json!({"allocate": {"bytes": 1u64 << 20}}), 0);
    assert_eq!(r.code, 0, "{}", r.log);
    let r = c.run(
        0,
        any(&pb::MsgInstantiateContract {
            sender: c.addr(0).to_bech32(),
            admin: String::new(),
            code_id: 1,
            label: "f".into(),
            msg: br#"{"fail":"no"}"#.to_vec(),
            funds: vec![],
        }),
        2_000_000,
    );
    assert_eq!((r.codespace.as_str(), r.code), ("wasm", 4), "{}", r.log);
}

#[test]
fn queries_recurse_within_the_stack_limit() {
    let mut c = Chain::new(2);
    let (_, a, b) = tester(&mut c);
    assert_eq!(c.smart(&a, &json!({"recurse": {"depth": 5}})).unwrap(), json!({"depth_reached": 5}));
    // Deeper than wasmd's query stack (10): a failed query, not a crash.
    let e = c.smart(&a, &json!({"recurse": {"depth": 30}})).unwrap_err();
    assert_eq!(e.0, 9, "{}", e.1);
    assert!(e.1.contains("codespace: wasm, code: 27"), "{}", e.1);
    let r = c.execute(0, &a, &json!({"query_self": {"depth": 3}}), 0);
    assert_eq!(r.code, 0, "{}", r.log);
    let r = c.execute(0, &a, &json!({"query_self": {"depth": 40}}), 0);
    assert_eq!((r.codespace.as_str(), r.code), ("wasm", 5), "{}", r.log);

    // Other queries a contract makes: raw state of another contract, info,
    // bank balance, and gRPC on the accept-list.
    c.execute(0, &b, &json!({"set": {"key": "shared", "value": "yes"}}), 0);
    assert_eq!(c.smart(&a, &json!({"raw_of": {"contract": b.to_bech32(), "key": "shared"}})).unwrap(), json!({"value": "yes"}));
    let info = c.smart(&a, &json!({"contract_info": {"contract": b.to_bech32()}})).unwrap();
    assert_eq!(info["code_id"], 1);
    assert_eq!(info["admin"], json!(c.addr(0).to_bech32()));
    let bal = c.smart(&a, &json!({"balance": {"address": c.addr(1).to_bech32(), "denom": "uvvv"}})).unwrap();
    assert_eq!(bal["amount"], json!(c.bank_balance(&c.addr(1)).to_string()));
    let req = bankpb::QueryBalanceRequest { address: c.addr(1).to_bech32(), denom: "uvvv".into() }.encode_to_vec();
    let q = json!({"grpc": {"path": "/cosmos.bank.v1beta1.Query/Balance", "data": B64.encode(&req)}});
    let bytes = B64.decode(c.smart(&a, &q).unwrap().as_str().unwrap()).unwrap();
    let resp = bankpb::QueryBalanceResponse::decode(bytes.as_slice()).unwrap();
    assert_eq!(resp.balance.unwrap().amount, c.bank_balance(&c.addr(1)).to_string());
    let q = json!({"grpc": {"path": "/cosmos.staking.v1beta1.Query/Validators", "data": ""}});
    assert!(c.smart(&a, &q).is_err(), "not on the accept-list");
}

#[test]
fn bank_messages_and_events_of_a_contract() {
    let mut c = Chain::new(2);
    let (_, a, _) = tester(&mut c);
    let supply = |c: &Chain| {
        let r: bankpb::QuerySupplyOfResponse =
            c.query("/cosmos.bank.v1beta1.Query/SupplyOf", bankpb::QuerySupplyOfRequest { denom: "uvvv".into() }).unwrap();
        r.amount.unwrap().amount.parse::<u128>().unwrap()
    };
    let r = c.execute(0, &a, &json!({"set": {"key": "k", "value": "v"}}), 1000);
    assert_eq!(r.code, 0, "{}", r.log);
    assert_eq!(c.bank_balance(&a), 1000);
    let before = (supply(&c), c.bank_balance(&c.addr(1)));
    let r = c.execute(0, &a, &json!({"send": {"to_address": c.addr(1).to_bech32(), "amount": [{"denom": "uvvv", "amount": "300"}]}}), 0);
    assert_eq!(r.code, 0, "{}", r.log);
    assert_eq!(c.bank_balance(&c.addr(1)), before.1 + 300);
    let r = c.execute(0, &a, &json!({"burn": {"amount": [{"denom": "uvvv", "amount": "200"}]}}), 0);
    assert_eq!(r.code, 0, "{}", r.log);
    assert_eq!(c.bank_balance(&a), 500);
    assert_eq!(supply(&c), before.0 - 200, "a burn lowers the supply");
    // Overspending fails the tx (the SDK's insufficient funds).
    let r = c.execute(0, &a, &json!({"burn": {"amount": [{"denom": "uvvv", "amount": "501"}]}}), 0);
    assert_eq!((r.codespace.as_str(), r.code), ("sdk", 5), "{}", r.log);

    let r = c.execute(0, &a, &json!({"emit": {"event_type": "probe", "attributes": [{"key": "a", "value": "b"}]}}), 0);
    assert_eq!(r.code, 0, "{}", r.log);
    let custom = events(&r, "wasm-probe");
    assert_eq!(attr(custom[0], "_contract_address"), Some(a.to_bech32()));
    assert_eq!(attr(custom[0], "a"), Some("b".into()));
    // Reserved or empty keys and too short types are the contract's fault.
    for (ty, key) in [("probe", "_x"), ("probe", " "), ("ab", "a")] {
        let r = c.execute(0, &a, &json!({"emit": {"event_type": ty, "attributes": [{"key": key, "value": "b"}]}}), 0);
        assert_eq!((r.codespace.as_str(), r.code), ("wasm", 21), "{ty}/{key:?}: {}", r.log);
    }
}

#[test]
fn unmodified_cw20_base_runs() {
    let mut c = Chain::new(2);
    let wasm = std::fs::read(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../artifacts/thirdparty/cw20_base.wasm")).unwrap();
    let (code_id, _) = c.store(0, &gzip(&wasm));
    let init = json!({"name": "Base", "symbol": "BASE", "decimals": 6,
                      "initial_balances": [{"address": c.addr(0).to_bech32(), "amount": "1000"}], "mint": null, "marketing": null});
    let (token, _) = c.instantiate(0, code_id, &init, None, 0);
    let r = c.execute(0, &token, &json!({"transfer": {"recipient": c.addr(1).to_bech32(), "amount": "10"}}), 0);
    assert_eq!(r.code, 0, "{}", r.log);
    assert_eq!(c.smart(&token, &json!({"balance": {"address": c.addr(1).to_bech32()}})).unwrap(), json!({"balance": "10"}));
    let all = c.smart(&token, &json!({"all_accounts": {}})).unwrap();
    assert_eq!(all["accounts"].as_array().unwrap().len(), 2);
}
