//! The tester's logic in cw-multi-test: everything except `loop`, `allocate`
//! and `panic`, which only mean something in a real VM (crates/contracts-vm
//! and the chain's wasm module run those).

use cosmwasm_std::{coin, coins, to_json_binary, Addr, Binary, CosmosMsg, Empty, ReplyOn, SubMsg, WasmMsg};
use cw_multi_test::{App, AppBuilder, Contract, ContractWrapper, Executor};
use tester::contract::{execute, instantiate, migrate, query, reply};
use tester::msg::*;

fn code() -> Box<dyn Contract<Empty>> {
    Box::new(ContractWrapper::new(execute, instantiate, query).with_reply(reply).with_migrate(migrate))
}

struct T {
    app: App,
    code_id: u64,
    c: Addr,
    alice: Addr,
    admin: Addr,
}

fn setup() -> T {
    let mut app = AppBuilder::new().build(|_, _, _| {});
    let alice = app.api().addr_make("alice");
    let admin = app.api().addr_make("admin");
    app.init_modules(|router, _, storage| router.bank.init_balance(storage, &alice, coins(1_000, "uvvv")).unwrap());
    let code_id = app.store_code(code());
    let c = app.instantiate_contract(code_id, alice.clone(), &InstantiateMsg::default(), &[], "tester", Some(admin.to_string())).unwrap();
    T { app, code_id, c, alice, admin }
}

impl T {
    fn get(&self, key: &str) -> Option<String> {
        let r: ValueResponse = self.app.wrap().query_wasm_smart(&self.c, &QueryMsg::Get { key: key.into() }).unwrap();
        r.value
    }
    fn exec(&mut self, msg: &ExecuteMsg) -> anyhow::Result<cw_multi_test::AppResponse> {
        self.app.execute_contract(self.alice.clone(), self.c.clone(), msg, &[])
    }
}

#[test]
fn instantiate_stores_owner_and_fail_fails() {
    let mut t = setup();
    assert_eq!(t.get("owner").as_deref(), Some(t.alice.as_str()));
    let err =
        t.app.instantiate_contract(t.code_id, t.alice.clone(), &InstantiateMsg { fail: Some("nope".into()) }, &[], "x", None).unwrap_err();
    assert!(err.root_cause().to_string().contains("tester: nope"), "{err:?}");
    // The JSON shapes of the interface.
    assert_eq!(serde_json::to_string(&InstantiateMsg::default()).unwrap(), "{}");
    let m: InstantiateMsg = serde_json::from_str(r#"{"fail":"why"}"#).unwrap();
    assert_eq!(m.fail.as_deref(), Some("why"));
}

#[test]
fn set_delete_and_fail_rolls_back() {
    let mut t = setup();
    t.exec(&ExecuteMsg::Set { key: "k".into(), value: "v".into() }).unwrap();
    assert_eq!(t.get("k").as_deref(), Some("v"));
    t.exec(&ExecuteMsg::Delete { key: "k".into() }).unwrap();
    assert_eq!(t.get("k"), None);
    let err = t.exec(&ExecuteMsg::Fail { reason: "boom".into() }).unwrap_err();
    assert!(err.root_cause().to_string().contains("tester: boom"));
    assert_eq!(t.get("dirty"), None, "a failed execute leaves no writes");
}

#[test]
fn send_and_burn_move_the_contract_coins() {
    let mut t = setup();
    let bob = t.app.api().addr_make("bob");
    t.app.send_tokens(t.alice.clone(), t.c.clone(), &coins(100, "uvvv")).unwrap();
    let msg: ExecuteMsg =
        serde_json::from_str(&format!(r#"{{"send":{{"to_address":"{bob}","amount":[{{"denom":"uvvv","amount":"30"}}]}}}}"#)).unwrap();
    t.exec(&msg).unwrap();
    assert_eq!(t.app.wrap().query_balance(&bob, "uvvv").unwrap(), coin(30, "uvvv"));
    t.exec(&ExecuteMsg::Burn { amount: coins(20, "uvvv") }).unwrap();
    assert_eq!(t.app.wrap().query_balance(&t.c, "uvvv").unwrap(), coin(50, "uvvv"));
    // More than it has: the whole execute fails.
    assert!(t.exec(&ExecuteMsg::Burn { amount: coins(51, "uvvv") }).is_err());
    // The balance query goes through the querier.
    let b: cosmwasm_std::Coin =
        t.app.wrap().query_wasm_smart(&t.c, &QueryMsg::Balance { address: bob.to_string(), denom: "uvvv".into() }).unwrap();
    assert_eq!(b, coin(30, "uvvv"));
}

fn self_exec(t: &T, msg: &ExecuteMsg) -> CosmosMsg {
    WasmMsg::Execute { contract_addr: t.c.to_string(), msg: to_json_binary(msg).unwrap(), funds: vec![] }.into()
}

#[test]
fn dispatch_replies_in_every_mode() {
    let mut t = setup();
    let ok = self_exec(&t, &ExecuteMsg::ReturnData { data: Binary::from(b"inner".as_slice()) });
    let bad = self_exec(&t, &ExecuteMsg::Fail { reason: "inner".into() });
    let sub = |id, msg: &CosmosMsg, reply_on| SubMsg { id, payload: Binary::default(), msg: msg.clone(), gas_limit: None, reply_on };
    let msgs = vec![
        sub(1, &ok, ReplyOn::Success),
        sub(2, &bad, ReplyOn::Error),
        sub(3, &ok, ReplyOn::Always),
        sub(4, &bad, ReplyOn::Always),
        sub(5, &ok, ReplyOn::Never),
    ];
    let res = t.exec(&ExecuteMsg::Dispatch { msgs, data: Some(Binary::from(b"outer".as_slice())) }).unwrap();
    // Success replies carry the inner data; error replies the error text.
    let r1 = t.get("reply:1").unwrap();
    assert!(r1.starts_with("ok:") && r1.len() > 3, "{r1}");
    assert!(t.get("reply:2").unwrap().starts_with("err:"));
    assert!(t.get("reply:3").unwrap().starts_with("ok:"));
    assert!(t.get("reply:4").unwrap().starts_with("err:"));
    assert_eq!(t.get("reply:5"), None);
    // The failed submessages' own writes are gone.
    assert_eq!(t.get("dirty"), None);
    // The last reply's data overrides the response data, as in wasmd.
    assert_eq!(res.data, Some(Binary::from(b"reply-4".as_slice())));

    // Reply 99 fails, and with it the whole execute.
    let err = t.exec(&ExecuteMsg::Dispatch { msgs: vec![sub(99, &ok, ReplyOn::Success)], data: None }).unwrap_err();
    assert!(format!("{err:?}").contains("reply 99 fails on purpose"), "{err:?}");
    assert_eq!(t.get("reply:99"), None);

    // A plain bank message with reply_on never, from the interface's JSON.
    t.app.send_tokens(t.alice.clone(), t.c.clone(), &coins(5, "uvvv")).unwrap();
    let json = format!(
        r#"{{"dispatch":{{"msgs":[{{"id":7,"msg":{{"bank":{{"send":{{"to_address":"{}","amount":[{{"denom":"uvvv","amount":"5"}}]}}}}}},"reply_on":"never","gas_limit":null}}],"data":null}}}}"#,
        t.admin
    );
    let msg: ExecuteMsg = serde_json::from_str(&json).unwrap();
    t.exec(&msg).unwrap();
    assert_eq!(t.app.wrap().query_balance(&t.admin, "uvvv").unwrap(), coin(5, "uvvv"));
}

#[test]
fn data_and_events() {
    let mut t = setup();
    let res = t.exec(&ExecuteMsg::ReturnData { data: Binary::from(vec![1, 2, 3]) }).unwrap();
    assert_eq!(res.data, Some(Binary::from(vec![1, 2, 3])));
    let msg: ExecuteMsg = serde_json::from_str(r#"{"emit":{"event_type":"probe","attributes":[{"key":"a","value":"b"}]}}"#).unwrap();
    let res = t.exec(&msg).unwrap();
    let probe = res.events.iter().find(|e| e.ty == "wasm-probe").expect("wasm-probe event");
    assert!(probe.attributes.iter().any(|a| a.key == "a" && a.value == "b"));
    let wasm = res.events.iter().find(|e| e.ty == "wasm").expect("wasm event");
    assert!(wasm.attributes.iter().any(|a| a.key == "a" && a.value == "b"));
}

#[test]
fn recursive_queries() {
    let mut t = setup();
    let r: DepthResponse = t.app.wrap().query_wasm_smart(&t.c, &QueryMsg::Recurse { depth: 5 }).unwrap();
    assert_eq!(r.depth_reached, 5);
    t.exec(&ExecuteMsg::QuerySelf { depth: 3 }).unwrap();
    assert_eq!(t.get("query_self").as_deref(), Some(r#"{"depth_reached":3}"#));
}

#[test]
fn raw_of_and_contract_info_read_another_contract() {
    let mut t = setup();
    let other = t.app.instantiate_contract(t.code_id, t.admin.clone(), &InstantiateMsg::default(), &[], "other", None).unwrap();
    t.app.execute_contract(t.alice.clone(), other.clone(), &ExecuteMsg::Set { key: "x".into(), value: "y".into() }, &[]).unwrap();
    let r: ValueResponse = t.app.wrap().query_wasm_smart(&t.c, &QueryMsg::RawOf { contract: other.to_string(), key: "x".into() }).unwrap();
    assert_eq!(r.value.as_deref(), Some("y"));
    let r: ValueResponse =
        t.app.wrap().query_wasm_smart(&t.c, &QueryMsg::RawOf { contract: other.to_string(), key: "none".into() }).unwrap();
    assert_eq!(r.value, None);
    let info: cosmwasm_std::ContractInfoResponse =
        t.app.wrap().query_wasm_smart(&t.c, &QueryMsg::ContractInfo { contract: other.to_string() }).unwrap();
    assert_eq!(info.code_id, t.code_id);
    assert_eq!(info.creator, t.admin);
}

#[test]
fn migrate_records_the_version() {
    let mut t = setup();
    let res = t.app.migrate_contract(t.admin.clone(), t.c.clone(), &MigrateMsg { version: "v2".into() }, t.code_id).unwrap();
    // multi-test wraps it in MsgMigrateContractResponse { data } (field 1), as wasmd does.
    assert_eq!(res.data, Some(Binary::from([b"\x0a\x08".as_slice(), b"migrated"].concat())));
    assert_eq!(t.get("migrated").as_deref(), Some("v2"));
}

#[test]
fn json_shapes_of_the_interface() {
    let cases = [
        (r#"{"set":{"key":"k","value":"v"}}"#, ExecuteMsg::Set { key: "k".into(), value: "v".into() }),
        (r#"{"delete":{"key":"k"}}"#, ExecuteMsg::Delete { key: "k".into() }),
        (r#"{"fail":{"reason":"r"}}"#, ExecuteMsg::Fail { reason: "r".into() }),
        (r#"{"panic":{}}"#, ExecuteMsg::Panic {}),
        (r#"{"loop":{}}"#, ExecuteMsg::Loop {}),
        (r#"{"allocate":{"bytes":1048576}}"#, ExecuteMsg::Allocate { bytes: 1 << 20 }),
        (r#"{"return_data":{"data":"AQI="}}"#, ExecuteMsg::ReturnData { data: Binary::from(vec![1, 2]) }),
        (r#"{"query_self":{"depth":2}}"#, ExecuteMsg::QuerySelf { depth: 2 }),
    ];
    for (json, msg) in cases {
        assert_eq!(serde_json::from_str::<ExecuteMsg>(json).unwrap(), msg, "{json}");
    }
    let q: QueryMsg = serde_json::from_str(r#"{"grpc":{"path":"/cosmos.bank.v1beta1.Query/Balance","data":"CgA="}}"#).unwrap();
    assert_eq!(q, QueryMsg::Grpc { path: "/cosmos.bank.v1beta1.Query/Balance".into(), data: Binary::from(vec![10, 0]) });
    let any: ExecuteMsg = serde_json::from_str(
        r#"{"dispatch":{"msgs":[{"id":1,"msg":{"any":{"type_url":"/cosmos.bank.v1beta1.MsgSend","value":""}},"reply_on":"always","gas_limit":50000}]}}"#,
    )
    .unwrap();
    let ExecuteMsg::Dispatch { msgs, data } = any else { panic!() };
    assert_eq!((msgs[0].reply_on.clone(), msgs[0].gas_limit, data), (ReplyOn::Always, Some(50_000), None));
}
