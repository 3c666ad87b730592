//! The wasm module through the real app (signed txs into FinalizeBlock,
//! ABCI queries) with the project's compiled contracts (`artifacts/`):
//! store, instantiate(2), execute with funds, bank sends by a contract,
//! storage isolation, migrate and admins, gas, queries, genesis export, and
//! bad input failing only its own tx.

mod common;
mod wasm_common;

use cosmos_sdk_proto::cosmwasm::wasm::v1 as pb;
use serde_json::json;
use venice_sdk::Address;
use venice_sdk::paths::wasm as paths;
use wasm_common::*;

fn cw20_init(c: &Chain, holder: usize, amount: u128) -> serde_json::Value {
    json!({"name": "Compute credit", "symbol": "CCRED", "decimals": 6,
           "initial_balances": [{"address": c.addr(holder).to_bech32(), "amount": amount.to_string()}],
           "mint": null, "marketing": null, "admin": null})
}

#[test]
fn store_instantiate_execute_and_query_a_cw20() {
    let mut c = Chain::new(3);
    let wasm = artifact("compute_credit");
    // Stored twice (once gzipped): same checksum, a new code id.
    let (id1, sum1) = c.store(0, &wasm);
    let (id2, sum2) = c.store(0, &gzip(&wasm));
    assert_eq!((id1, id2), (1, 2));
    assert_eq!(sum1, sum2);
    assert_eq!(hex::encode(&sum1), hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&wasm)));
    let codes: pb::QueryCodesResponse = c.query(paths::CODES, pb::QueryCodesRequest { pagination: None }).unwrap();
    assert_eq!(codes.code_infos.len(), 2);
    assert_eq!(codes.code_infos[1].data_hash, sum1);
    let code: pb::QueryCodeResponse = c.query(paths::CODE, pb::QueryCodeRequest { code_id: 2 }).unwrap();
    assert_eq!(code.data, wasm, "the unpacked wasm is kept");

    let (token, r) = c.instantiate(0, id1, &cw20_init(&c, 0, 1_000_000), None, 0);
    assert_eq!(token, venice_wasm::classic_address(1, 1), "wasmd's classic address");
    assert_eq!(token.as_bytes().len(), 32);
    let inst = events(&r, "instantiate");
    assert_eq!(attr(inst[0], "_contract_address"), Some(token.to_bech32()));
    assert_eq!(attr(inst[0], "code_id"), Some("1".into()));

    let r = c.execute(0, &token, &json!({"transfer": {"recipient": c.addr(1).to_bech32(), "amount": "250"}}), 0);
    assert_eq!(r.code, 0, "{}", r.log);
    assert_eq!(attr(events(&r, "execute")[0], "_contract_address"), Some(token.to_bech32()));
    let w = events(&r, "wasm");
    assert_eq!(attr(w[0], "_contract_address"), Some(token.to_bech32()));
    assert_eq!(attr(w[0], "action"), Some("transfer".into()));
    assert!(r.gas_used > 60_000 && r.gas_used < 2_000_000, "gas used {}", r.gas_used);

    let bal = c.smart(&token, &json!({"balance": {"address": c.addr(1).to_bech32()}})).unwrap();
    assert_eq!(bal, json!({"balance": "250"}));
    // A contract error is a failed tx with wasmd's code, its writes gone.
    let r = c.execute(1, &token, &json!({"transfer": {"recipient": c.addr(2).to_bech32(), "amount": "251"}}), 0);
    assert_eq!((r.codespace.as_str(), r.code), ("wasm", 5), "{}", r.log);
    assert!(r.log.contains("execute wasm contract failed"), "{}", r.log);
    assert_eq!(c.smart(&token, &json!({"balance": {"address": c.addr(1).to_bech32()}})).unwrap(), json!({"balance": "250"}));

    // Queries of the module.
    let by_code: pb::QueryContractsByCodeResponse =
        c.query(paths::CONTRACTS_BY_CODE, pb::QueryContractsByCodeRequest { code_id: 1, pagination: None }).unwrap();
    assert_eq!(by_code.contracts, vec![token.to_bech32()]);
    let by_creator: pb::QueryContractsByCreatorResponse = c
        .query(paths::CONTRACTS_BY_CREATOR, pb::QueryContractsByCreatorRequest { creator_address: c.addr(0).to_bech32(), pagination: None })
        .unwrap();
    assert_eq!(by_creator.contract_addresses, vec![token.to_bech32()]);
    let all: pb::QueryAllContractStateResponse =
        c.query(paths::ALL_CONTRACT_STATE, pb::QueryAllContractStateRequest { address: token.to_bech32(), pagination: None }).unwrap();
    assert!(all.models.iter().any(|m| m.key == b"token_info"), "cw20 keeps token_info");
    assert!(c.raw(&token, b"token_info").starts_with(b"{\"name\":\"Compute credit\""));
    let info = c.contract_info(&token);
    assert_eq!((info.code_id, info.creator.clone(), info.admin.clone()), (1, c.addr(0).to_bech32(), String::new()));
    let e = c.smart(&token, &json!({"no_such_query": {}})).unwrap_err();
    assert_eq!(e.0, 9, "query failed: {}", e.1);
    let e = c.smart(&venice_wasm::classic_address(9, 9), &json!({})).unwrap_err();
    assert_eq!(e.0, 22, "no such contract: {}", e.1);
    let params: pb::QueryParamsResponse = c.query(paths::PARAMS, pb::QueryParamsRequest {}).unwrap();
    assert_eq!(params.params.unwrap().instantiate_default_permission, pb::AccessType::Everybody as i32);

    // A second call never recompiles (memory cache), whatever the code id.
    let stats = c.f.app.modules.wasm.cache_stats().unwrap();
    assert_eq!(stats.misses, 0, "{stats:?}");
    assert!(stats.hits_memory >= 3, "{stats:?}");
}

#[test]
fn instantiate2_address_is_predictable() {
    let mut c = Chain::new(2);
    let (code_id, sum) = c.store(0, &gzip(&artifact("compute_credit")));
    let init = serde_json::to_vec(&cw20_init(&c, 0, 5)).unwrap();
    let msg = |fix_msg: bool, salt: &[u8], c: &Chain| pb::MsgInstantiateContract2 {
        sender: c.addr(0).to_bech32(),
        admin: String::new(),
        code_id,
        label: "predictable".into(),
        msg: init.clone(),
        funds: vec![],
        salt: salt.to_vec(),
        fix_msg,
    };
    for (salt, fix) in [(b"salt-1".as_slice(), false), (b"salt-2".as_slice(), true)] {
        let want = venice_wasm::predictable_address(&sum, c.addr(0).as_bytes(), salt, if fix { &init } else { &[] });
        let m = msg(fix, salt, &c);
        let r = c.ok(0, any(&m), 3_000_000);
        let resp: pb::MsgInstantiateContract2Response = response(&r);
        assert_eq!(resp.address, want.to_bech32());
    }
    // The same salt again is the same address: refused as wasmd refuses it.
    let m = msg(false, b"salt-1", &c);
    let r = c.run(0, any(&m), 3_000_000);
    assert_eq!((r.codespace.as_str(), r.code), ("wasm", 15), "{}", r.log);
    let m = msg(false, b"", &c);
    let r = c.run(0, any(&m), 3_000_000);
    assert_eq!((r.codespace.as_str(), r.code), ("wasm", 12), "empty salt: {}", r.log);
}

#[test]
fn execute_with_funds_and_a_contract_sending_coins() {
    let mut c = Chain::new(3);
    let (code_id, _) = c.store(0, &gzip(&artifact("model_nft")));
    let collector = c.addr(2);
    let init = json!({"name": "Venice models", "symbol": "VMODEL", "admin": c.addr(0).to_bech32(),
                      "mint_fee": {"denom": "uvvv", "amount": "1000000"}, "fee_collector": collector.to_bech32()});
    let (nft, _) = c.instantiate(0, code_id, &init, Some(0), 0);
    let before = (c.bank_balance(&c.addr(1)), c.bank_balance(&collector));
    let mint = json!({"mint": {"token_id": "digits-v1", "owner": c.addr(1).to_bech32(), "token_uri": null,
                               "extension": {"name": "digits", "description": "d", "model": {
                                   "onnx_sha256": "3f".repeat(32), "storage_uri": "venice://models/digits",
                                   "inputs": [{"name": "input", "dtype": "float32", "shape": [null, 64]}],
                                   "outputs": [{"name": "label", "dtype": "int64", "shape": [null]}],
                                   "quant_rule": {"fixed_point": {"scale_exp": 4, "rounding": "half_even"}},
                                   "price_per_call": {"denom": "uvvv", "amount": "250"},
                                   "royalty_bps": 1500, "license": "MIT", "agent": false}}}});
    // Too little: the contract refuses, the funds stay with the sender.
    let r = c.execute(1, &nft, &mint, 999_999);
    assert_eq!(r.code, 5, "{}", r.log);
    assert_eq!(c.bank_balance(&nft), 0);
    let r = c.execute(1, &nft, &mint, 1_000_000);
    assert_eq!(r.code, 0, "{}", r.log);
    // Funds went to the contract first, then the contract's BankMsg::Send
    // moved them on to the collector.
    assert_eq!(c.bank_balance(&nft), 0);
    assert_eq!(c.bank_balance(&collector), before.1 + 1_000_000);
    // Both txs paid their fee (5000); only the successful one moved funds.
    assert_eq!(c.bank_balance(&c.addr(1)), before.0 - 1_000_000 - 2 * 5000);
    let transfers: Vec<_> = events(&r, "transfer").into_iter().filter_map(|e| attr(e, "recipient")).collect();
    assert!(transfers.contains(&nft.to_bech32()) && transfers.contains(&collector.to_bech32()), "{transfers:?}");
    let by_hash = c.smart(&nft, &json!({"model_by_hash": {"onnx_sha256": "3f".repeat(32)}})).unwrap();
    assert_eq!(by_hash["token_id"], "digits-v1");
}

#[test]
fn contracts_cannot_touch_each_others_storage() {
    let mut c = Chain::new(2);
    let (code_id, _) = c.store(0, &gzip(&artifact("compute_credit")));
    let (a, _) = c.instantiate(0, code_id, &cw20_init(&c, 0, 100), None, 0);
    let mut init_b = cw20_init(&c, 1, 7);
    init_b["name"] = json!("Other token");
    let (b, _) = c.instantiate(1, code_id, &init_b, None, 0);
    assert_ne!(a, b);
    // Same key, separate stores: each contract reads only its own prefix.
    assert!(c.raw(&a, b"token_info").starts_with(b"{\"name\":\"Compute credit\""));
    assert!(c.raw(&b, b"token_info").starts_with(b"{\"name\":\"Other token\""));
    let r = c.execute(0, &a, &json!({"transfer": {"recipient": c.addr(1).to_bech32(), "amount": "40"}}), 0);
    assert_eq!(r.code, 0, "{}", r.log);
    assert_eq!(c.smart(&b, &json!({"balance": {"address": c.addr(1).to_bech32()}})).unwrap(), json!({"balance": "7"}));
    assert_eq!(c.smart(&a, &json!({"balance": {"address": c.addr(1).to_bech32()}})).unwrap(), json!({"balance": "40"}));
    // The raw store holds them under wasm/s/{len}{addr}: provable against the app hash.
    let key = [b"s/".as_slice(), &[32u8], a.as_bytes(), b"token_info"].concat();
    let r = c.f.app.query(tendermint_proto::v0_38::abci::RequestQuery {
        path: "/store/wasm/key".into(),
        data: key.into(),
        height: 0,
        prove: true,
    });
    assert_eq!(r.code, 0, "{}", r.log);
    assert_eq!(r.value.to_vec(), c.raw(&a, b"token_info"));
    assert!(r.proof_ops.is_some());
}

#[test]
fn migrate_with_and_without_admin() {
    let mut c = Chain::new(3);
    let wasm = gzip(&artifact("compute_credit"));
    let (v1, _) = c.store(0, &wasm);
    let (v2, _) = c.store(0, &wasm);
    let (with_admin, _) = c.instantiate(0, v1, &cw20_init(&c, 0, 1), Some(0), 0);
    let (no_admin, _) = c.instantiate(0, v1, &cw20_init(&c, 0, 1), None, 0);
    let migrate = |c: &Chain, from: usize, contract: &Address| {
        any(&pb::MsgMigrateContract { sender: c.addr(from).to_bech32(), contract: contract.to_bech32(), code_id: v2, msg: b"{}".to_vec() })
    };
    // Not the admin, or no admin at all: unauthorized.
    let m = migrate(&c, 1, &with_admin);
    assert_eq!(c.run(1, m, 3_000_000).code, 4);
    let m = migrate(&c, 0, &no_admin);
    let r = c.run(0, m, 3_000_000);
    assert_eq!((r.codespace.as_str(), r.code), ("sdk", 4), "{}", r.log);
    // The admin migrates.
    let m = migrate(&c, 0, &with_admin);
    let r = c.ok(0, m, 3_000_000);
    assert_eq!(attr(events(&r, "migrate")[0], "code_id"), Some(v2.to_string()));
    assert_eq!(c.contract_info(&with_admin).code_id, v2);
    let hist: pb::QueryContractHistoryResponse =
        c.query(paths::CONTRACT_HISTORY, pb::QueryContractHistoryRequest { address: with_admin.to_bech32(), pagination: None }).unwrap();
    let ops: Vec<(i32, u64)> = hist.entries.iter().map(|e| (e.operation, e.code_id)).collect();
    assert_eq!(ops, vec![(1, v1), (2, v2)]);
    let by_code = |c: &Chain, id: u64| {
        c.query::<pb::QueryContractsByCodeResponse>(
            paths::CONTRACTS_BY_CODE,
            pb::QueryContractsByCodeRequest { code_id: id, pagination: None },
        )
        .unwrap()
        .contracts
    };
    assert_eq!(by_code(&c, v2), vec![with_admin.to_bech32()]);
    assert_eq!(by_code(&c, v1), vec![no_admin.to_bech32()]);

    // Admin handed over, then cleared: the old admin may no longer migrate.
    let m = any(&pb::MsgUpdateAdmin { sender: c.addr(0).to_bech32(), new_admin: c.addr(2).to_bech32(), contract: with_admin.to_bech32() });
    let r = c.ok(0, m, 300_000);
    assert_eq!(attr(events(&r, "update_contract_admin")[0], "new_admin_address"), Some(c.addr(2).to_bech32()));
    let m = any(&pb::MsgClearAdmin { sender: c.addr(2).to_bech32(), contract: with_admin.to_bech32() });
    c.ok(2, m, 300_000);
    assert_eq!(c.contract_info(&with_admin).admin, "");
    let m = migrate(&c, 2, &with_admin);
    assert_eq!(c.run(2, m, 3_000_000).code, 4);
}

#[test]
fn out_of_gas_rolls_back_the_call() {
    let mut c = Chain::new(2);
    let (code_id, _) = c.store(0, &gzip(&artifact("compute_credit")));
    let (token, _) = c.instantiate(0, code_id, &cw20_init(&c, 0, 1000), None, 0);
    let transfer = json!({"transfer": {"recipient": c.addr(1).to_bech32(), "amount": "1"}});
    // Enough for the ante handler and loading the instance, not the call.
    let m = c.exec_msg(0, &token, &transfer, 0);
    let tx = c.tx(0, vec![m], 90_000);
    let r = c.block(vec![tx]).remove(0);
    assert_eq!((r.codespace.as_str(), r.code), ("sdk", 11), "{}", r.log);
    assert_eq!(r.gas_used, r.gas_wanted);
    assert_eq!(c.smart(&token, &json!({"balance": {"address": c.addr(1).to_bech32()}})).unwrap(), json!({"balance": "0"}));

    // A contract that loops: out of gas, and the block goes on.
    let (looper, _) = c.store(0, &wat_contract("(loop $l (br $l)) (unreachable)", ""));
    let (lc, _) = c.instantiate(0, looper, &json!({}), None, 0);
    let spin = c.exec_msg(0, &lc, &json!({}), 0);
    let t1 = c.tx(0, vec![spin], 1_000_000);
    let t2 = c.f.send(1, 0, 5, c.seqs[1]);
    c.seqs[1] += 1;
    let rs = c.block(vec![t1, t2]);
    assert_eq!((rs[0].codespace.as_str(), rs[0].code), ("sdk", 11), "{}", rs[0].log);
    assert_eq!(rs[0].gas_used, 1_000_000);
    assert_eq!(rs[1].code, 0, "{}", rs[1].log);
}

#[test]
fn bad_input_fails_only_its_own_tx() {
    let mut c = Chain::new(2);
    let store = |c: &Chain, code: Vec<u8>| {
        any(&pb::MsgStoreCode { sender: c.addr(0).to_bech32(), wasm_byte_code: code, instantiate_permission: None })
    };
    let simd = wat_contract("(drop (i32x4.splat (i32.const 1))) (i32.const 2048)", "");
    let bulk_memory = wat_contract("(memory.fill (i32.const 0) (i32.const 0) (i32.const 8)) (i32.const 2048)", "");
    let no_exports = wat::parse_str(r#"(module (memory (export "memory") 1))"#).unwrap();
    let mut bad_gzip = vec![0x1f, 0x8b, 0x08];
    bad_gzip.extend_from_slice(b"definitely not deflate");
    let bomb = gzip(&vec![0u8; venice_wasm::MAX_WASM_SIZE + 1]);
    let cases: Vec<(&str, Vec<u8>, (&str, u32))> = vec![
        ("SIMD operators", simd, ("wasm", 2)),
        ("bulk memory operators", bulk_memory, ("wasm", 2)),
        ("missing exports", no_exports, ("wasm", 2)),
        ("not wasm", b"\0asm garbage".to_vec(), ("wasm", 2)),
        ("bad gzip", bad_gzip, ("wasm", 2)),
        ("gzip over the size limit", bomb, ("wasm", 2)),
    ];
    for (what, code, want) in cases {
        let m = store(&c, code);
        let bad = c.tx(0, vec![m], 5_000_000);
        // A good tx in the same block still goes through.
        let good = c.f.send(1, 0, 1, c.seqs[1]);
        c.seqs[1] += 1;
        let rs = c.block(vec![bad, good]);
        assert_eq!((rs[0].codespace.as_str(), rs[0].code), want, "{what}: {}", rs[0].log);
        assert!(rs[0].log.contains("create wasm contract failed"), "{what}: {}", rs[0].log);
        assert_eq!(rs[1].code, 0, "{what}: {}", rs[1].log);
    }
    // Too large before unpacking: refused before any work (here the tx
    // size limit, 512 KiB, comes before wasmd's 800 KiB code limit).
    let m = store(&c, vec![0u8; venice_wasm::MAX_WASM_SIZE + 1]);
    let tx = c.tx(0, vec![m], 5_000_000);
    c.seqs[0] -= 1; // only checked, never in a block
    let check = c.f.check(tx);
    assert_eq!((check.codespace.as_str(), check.code), ("sdk", 21), "{}", check.log);
    let m = store(&c, vec![]);
    let tx = c.tx(0, vec![m], 5_000_000);
    c.seqs[0] -= 1;
    let check = c.f.check(tx);
    assert_eq!((check.codespace.as_str(), check.code), ("sdk", 18), "empty code: {}", check.log);

    let (code_id, _) = c.store(0, &gzip(&artifact("compute_credit")));
    let (token, _) = c.instantiate(0, code_id, &cw20_init(&c, 0, 10), None, 0);
    // Malformed JSON: refused before execution (CheckTx and FinalizeBlock).
    let m =
        pb::MsgExecuteContract { sender: c.addr(0).to_bech32(), contract: token.to_bech32(), msg: b"{not json".to_vec(), funds: vec![] };
    let tx = c.tx(0, vec![any(&m)], 500_000);
    c.seqs[0] -= 1; // refused before the ante handler: no sequence taken
    let check = c.f.check(tx.clone());
    assert_eq!((check.codespace.as_str(), check.code), ("wasm", 14), "{}", check.log);
    let r = c.block(vec![tx]).remove(0);
    assert_eq!((r.codespace.as_str(), r.code), ("wasm", 14), "{}", r.log);
    // JSON the contract does not understand: the contract's own error.
    let r = c.execute(0, &token, &json!({"fly": {}}), 0);
    assert_eq!((r.codespace.as_str(), r.code), ("wasm", 5), "{}", r.log);

    // Floats are deterministic in cosmwasm-vm 3 (NaN canonicalisation) and
    // accepted, as wasmd 0.61 accepts them.
    let (floats, _) = c.store(0, &wat_contract("(drop (f32.div (f32.const 0) (f32.const 0))) (i32.const 2048)", ""));
    let (fc, _) = c.instantiate(0, floats, &json!({}), None, 0);
    assert_eq!(c.execute(0, &fc, &json!({}), 0).code, 0);

    // A contract that traps (a panic) and one that asks for too much memory.
    let (trap, _) = c.store(0, &wat_contract("(unreachable)", ""));
    let (tc, _) = c.instantiate(0, trap, &json!({}), None, 0);
    let r = c.execute(0, &tc, &json!({}), 0);
    assert_eq!((r.codespace.as_str(), r.code), ("wasm", 29), "{}", r.log);
    let hog = wat_contract("(if (i32.eq (memory.grow (i32.const 1000)) (i32.const -1)) (then (unreachable))) (i32.const 2048)", "");
    let (hog, _) = c.store(0, &hog);
    let (hc, _) = c.instantiate(0, hog, &json!({}), None, 0);
    let r = c.execute(0, &hc, &json!({}), 0);
    assert_eq!((r.codespace.as_str(), r.code), ("wasm", 29), "{}", r.log);
    // The chain still runs contracts afterwards.
    let r = c.execute(0, &token, &json!({"transfer": {"recipient": c.addr(1).to_bech32(), "amount": "1"}}), 0);
    assert_eq!(r.code, 0, "{}", r.log);
}

#[test]
fn genesis_export_round_trips_codes_and_contracts() {
    let mut c = Chain::new(2);
    let (code_id, _) = c.store(0, &gzip(&artifact("compute_credit")));
    let (token, _) = c.instantiate(0, code_id, &cw20_init(&c, 0, 77), Some(0), 0);
    c.f.app.store.wait_indexed().unwrap();
    let template = crate::common::genesis(&c.f.keys);
    let exported = veniced::export::export_store(&c.f.app.store, &template, None, None).unwrap();
    let section = &exported["app_state"]["wasm"];
    assert_eq!(section["codes"][0]["code_id"], "1");
    assert_eq!(section["contracts"][0]["contract_address"], token.to_bech32());
    assert_eq!(section["contracts"][0]["contract_code_history"][0]["operation"], "CONTRACT_CODE_HISTORY_OPERATION_TYPE_INIT");

    // A new chain from the export has the same contract with the same state.
    let dir = tempfile::tempdir().unwrap();
    let app = veniced::App::new(venice_store::Store::open(&dir.path().join("db"), Default::default()).unwrap(), vec![]);
    app.init_chain(veniced::genesis::init_chain_request(&exported).unwrap()).unwrap();
    common::run_block(&app, 1, vec![]);
    let req = pb::QuerySmartContractStateRequest { address: token.to_bech32(), query_data: br#"{"token_info":{}}"#.to_vec() };
    let r = app.query(tendermint_proto::v0_38::abci::RequestQuery {
        path: paths::SMART_CONTRACT_STATE.into(),
        data: prost::Message::encode_to_vec(&req).into(),
        height: 0,
        prove: false,
    });
    assert_eq!(r.code, 0, "{}", r.log);
    let data: pb::QuerySmartContractStateResponse = prost::Message::decode(r.value.as_ref()).unwrap();
    let info: serde_json::Value = serde_json::from_slice(&data.data).unwrap();
    assert_eq!(info["total_supply"], "77");
}

#[test]
fn a_restart_loads_compiled_modules_from_disk() {
    let mut c = Chain::new(2);
    let (code_id, _) = c.store(0, &gzip(&artifact("compute_credit")));
    let (token, _) = c.instantiate(0, code_id, &cw20_init(&c, 0, 10), None, 0);
    c.f.app.store.wait_indexed().unwrap();
    let path = c.f.dir.path().join("db");
    // Stop the node: a new app over the same store and wasm directory.
    let old = std::mem::replace(
        &mut c.f.app,
        veniced::App::new(venice_store::Store::open(&c.f.dir.path().join("other"), Default::default()).unwrap(), vec![]),
    );
    drop(old);
    c.f.app = veniced::App::new(venice_store::Store::open(&path, Default::default()).unwrap(), vec![]);
    let r = c.execute(0, &token, &json!({"transfer": {"recipient": c.addr(1).to_bech32(), "amount": "3"}}), 0);
    assert_eq!(r.code, 0, "{}", r.log);
    let stats = c.f.app.modules.wasm.cache_stats().unwrap();
    assert_eq!((stats.misses, stats.hits_fs), (0, 1), "no recompilation after a restart: {stats:?}");
    assert_eq!(c.smart(&token, &json!({"balance": {"address": c.addr(1).to_bech32()}})).unwrap(), json!({"balance": "3"}));
}

/// wasmd's amino names (`wasm/MsgStoreCode`, `wasm/MsgInstantiateContract`,
/// `wasm/MsgExecuteContract`, with `msg` as inline JSON): a Keplr or Ledger
/// user signing in amino JSON mode stores, instantiates and executes.
#[test]
fn amino_signed_wasm_messages_are_accepted() {
    let mut c = Chain::new(2);
    let wasm = artifact("compute_credit");
    let store = any(&pb::MsgStoreCode { sender: c.addr(0).to_bech32(), wasm_byte_code: gzip(&wasm), instantiate_permission: None });
    let tx = c.tx_amino(0, vec![store], 5_000_000);
    let r = c.block(vec![tx]).remove(0);
    assert_eq!(r.code, 0, "{}", r.log);
    let code_id: u64 = attr(events(&r, "store_code")[0], "code_id").unwrap().parse().unwrap();
    let init = any(&pb::MsgInstantiateContract {
        sender: c.addr(0).to_bech32(),
        admin: String::new(),
        code_id,
        label: "ccred".into(),
        msg: serde_json::to_vec(&cw20_init(&c, 0, 1_000)).unwrap(),
        funds: vec![],
    });
    let tx = c.tx_amino(0, vec![init], 2_000_000);
    let r = c.block(vec![tx]).remove(0);
    assert_eq!(r.code, 0, "{}", r.log);
    let token = Address::parse(&attr(events(&r, "instantiate")[0], "_contract_address").unwrap()).unwrap();
    let exec = c.exec_msg(0, &token, &json!({"transfer": {"recipient": c.addr(1).to_bech32(), "amount": "400"}}), 0);
    let tx = c.tx_amino(0, vec![exec], 2_000_000);
    let r = c.block(vec![tx]).remove(0);
    assert_eq!(r.code, 0, "{}", r.log);
    assert_eq!(c.smart(&token, &json!({"balance": {"address": c.addr(1).to_bech32()}})).unwrap(), json!({"balance": "400"}));
}
