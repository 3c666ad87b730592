//! The compiled contracts in cosmwasm-vm: instantiate, execute (with funds
//! where the contract takes them) and query each, checking outcomes, and
//! print the gas every call used (`cargo test -- --nocapture` shows it).

use cosmwasm_std::{BankMsg, CosmosMsg, Response, coin, coins};
use serde_json::json;
use venice_contracts_vm::{Harness, HarnessError, attr, load_wasm_from, sample_model_extension};

fn harness(name: &str, balances: &[(&str, &[cosmwasm_std::Coin])]) -> Harness {
    Harness::new(name, balances).unwrap_or_else(|e| panic!("{e}"))
}

fn report(contract: &str, call: &str, gas: u64) {
    println!("gas {contract:>16} {call:<28} {gas:>12}");
}

fn bank_send(res: &Response) -> Option<(String, Vec<cosmwasm_std::Coin>)> {
    res.messages.iter().find_map(|m| match &m.msg {
        CosmosMsg::Bank(BankMsg::Send { to_address, amount }) => Some((to_address.clone(), amount.clone())),
        _ => None,
    })
}

#[test]
fn missing_artifacts_fail_with_a_hint() {
    let empty = tempfile::tempdir().unwrap();
    let err = load_wasm_from(empty.path(), "model_nft").unwrap_err();
    assert!(matches!(err, HarnessError::MissingArtifact(_)));
    assert!(err.to_string().contains("make contracts"), "{err}");

    // A wasm whose sum is not the recorded one is refused too.
    std::fs::write(empty.path().join("model_nft.wasm"), b"\0asm").unwrap();
    std::fs::write(empty.path().join("checksums.txt"), format!("{}  model_nft.wasm\n", "0".repeat(64))).unwrap();
    let err = load_wasm_from(empty.path(), "model_nft").unwrap_err();
    assert!(matches!(err, HarnessError::StaleArtifact { .. }), "{err}");
}

#[test]
fn model_nft_in_vm() {
    let mut h = harness("model_nft", &[]);
    let (admin, collector, alice, bob) = (h.addr("admin"), h.addr("collector"), h.addr("alice"), h.addr("bob"));
    let c = h
        .instantiate(
            &admin,
            &[],
            &json!({"name": "Venice models", "symbol": "VMODEL", "admin": admin,
                    "mint_fee": {"denom": "uvvv", "amount": "1000000"}, "fee_collector": collector}),
        )
        .unwrap();
    report("model_nft", "instantiate", c.gas);

    let hash = "3f".repeat(32);
    let mint = json!({"mint": {"token_id": "digits-v1", "owner": alice, "token_uri": null,
                               "extension": sample_model_extension(&hash)}});
    let err = h.execute(&alice, &coins(999_999, "uvvv"), &mint).unwrap_err();
    assert!(err.to_string().contains("mint fee"), "{err}");
    let c = h.execute(&alice, &coins(1_000_000, "uvvv"), &mint).unwrap();
    report("model_nft", "mint (with fee)", c.gas);
    assert_eq!(bank_send(&c.response), Some((collector.clone(), coins(1_000_000, "uvvv"))));
    assert_eq!(attr(&c.response, "onnx_sha256"), Some(hash.as_str()));

    let (model, gas) = h.query(&json!({"model": {"token_id": "digits-v1"}})).unwrap();
    report("model_nft", "query model", gas);
    assert_eq!(model["owner"], json!(alice));
    assert_eq!(model["extension"], sample_model_extension(&hash));
    let (by_hash, gas) = h.query(&json!({"model_by_hash": {"onnx_sha256": hash}})).unwrap();
    report("model_nft", "query model_by_hash", gas);
    assert_eq!(by_hash["token_id"], "digits-v1");

    let c = h.execute(&alice, &[], &json!({"transfer_nft": {"recipient": bob, "token_id": "digits-v1"}})).unwrap();
    report("model_nft", "transfer_nft", c.gas);
    let (owner, gas) = h.query(&json!({"owner_of": {"token_id": "digits-v1"}})).unwrap();
    report("model_nft", "query owner_of", gas);
    assert_eq!(owner, json!({"owner": bob, "approvals": []}));
    let (royalty, _) = h.query(&json!({"royalty_info": {"token_id": "digits-v1", "sale_price": "10000"}})).unwrap();
    assert_eq!(royalty, json!({"address": bob, "royalty_amount": "1500"}));

    // The hash is immutable, in the VM as natively.
    let mut ext = sample_model_extension(&"40".repeat(32));
    ext["model"]["royalty_bps"] = json!(100);
    let err =
        h.execute(&bob, &[], &json!({"update_nft_info": {"token_id": "digits-v1", "token_uri": null, "extension": ext}})).unwrap_err();
    assert!(err.to_string().contains("immutable"), "{err}");
    let (n, _) = h.query(&json!({"num_tokens": {}})).unwrap();
    assert_eq!(n, json!({"count": 1}));
}

#[test]
fn data_credential_in_vm() {
    let mut h = harness("data_credential", &[]);
    let (admin, issuer, alice, module) = (h.addr("admin"), h.addr("issuer"), h.addr("alice"), h.addr("module"));
    let c = h.instantiate(&admin, &[], &json!({"admin": admin, "consumers": [module]})).unwrap();
    report("data_credential", "instantiate", c.gas);
    let c = h
        .execute(
            &issuer,
            &[],
            &json!({"register_dataset": {"data_hash": "aa".repeat(32), "uri": "ipfs://data", "terms": "CC-BY-4.0",
                    "offer": {"price": {"denom": "uvvv", "amount": "5000"}, "validity": {"height": 10},
                              "uses": 2, "transferable": false},
                    "consumers": []}}),
        )
        .unwrap();
    report("data_credential", "register_dataset", c.gas);
    let ds = attr(&c.response, "dataset_id").unwrap().parse::<u64>().unwrap();

    let err = h.execute(&alice, &coins(4_999, "uvvv"), &json!({"purchase": {"dataset_id": ds}})).unwrap_err();
    assert!(err.to_string().contains("price is"), "{err}");
    let c = h.execute(&alice, &coins(5_000, "uvvv"), &json!({"purchase": {"dataset_id": ds}})).unwrap();
    report("data_credential", "purchase (with funds)", c.gas);
    assert_eq!(bank_send(&c.response), Some((issuer.clone(), coins(5_000, "uvvv"))));
    let cred = attr(&c.response, "credential_id").unwrap().parse::<u64>().unwrap();

    let (v, gas) = h.query(&json!({"verify": {"holder": alice, "dataset_id": ds}})).unwrap();
    report("data_credential", "query verify", gas);
    assert_eq!(v, json!({"allowed": true, "credential_id": cred, "reason": null}));

    let consume = json!({"consume": {"credential_id": cred, "holder": alice, "dataset_id": ds, "uses": null}});
    let err = h.execute(&alice, &[], &consume).unwrap_err();
    assert!(err.to_string().contains("not an authorised consumer"), "{err}");
    let c = h.execute(&module, &[], &consume).unwrap();
    report("data_credential", "consume", c.gas);
    assert_eq!(attr(&c.response, "remaining_uses"), Some("1"));

    // Past its validity the credential is refused.
    h.env.block.height += 10;
    let err = h.execute(&module, &[], &consume).unwrap_err();
    assert!(err.to_string().contains("expired"), "{err}");
    let (v, _) = h.query(&json!({"verify": {"holder": alice, "dataset_id": ds}})).unwrap();
    assert_eq!(v, json!({"allowed": false, "credential_id": null, "reason": "expired"}));
}

#[test]
fn compute_credit_in_vm() {
    let mut h = harness("compute_credit", &[]);
    let (admin, minter, alice, bob) = (h.addr("admin"), h.addr("minter"), h.addr("alice"), h.addr("bob"));
    let c = h
        .instantiate(
            &admin,
            &[],
            &json!({"name": "Venice compute credit", "symbol": "VCC", "decimals": 6,
                    "initial_balances": [{"address": alice, "amount": "1000"}],
                    "mint": {"minter": minter, "cap": "2000"},
                    "marketing": null, "admin": admin}),
        )
        .unwrap();
    report("compute_credit", "instantiate", c.gas);

    let c = h.execute(&alice, &[], &json!({"transfer": {"recipient": bob, "amount": "400"}})).unwrap();
    report("compute_credit", "transfer", c.gas);
    let err = h.execute(&alice, &[], &json!({"transfer": {"recipient": bob, "amount": "601"}})).unwrap_err();
    assert!(err.to_string().contains("Overflow"), "{err}");
    let (b, gas) = h.query(&json!({"balance": {"address": bob}})).unwrap();
    report("compute_credit", "query balance", gas);
    assert_eq!(b, json!({"balance": "400"}));

    let c = h.execute(&alice, &[], &json!({"increase_allowance": {"spender": bob, "amount": "100", "expires": null}})).unwrap();
    report("compute_credit", "increase_allowance", c.gas);
    let from = json!({"transfer_from": {"owner": alice, "recipient": bob, "amount": "101"}});
    let err = h.execute(&bob, &[], &from).unwrap_err();
    assert!(err.to_string().contains("Overflow"), "{err}");
    let from = json!({"transfer_from": {"owner": alice, "recipient": bob, "amount": "100"}});
    let c = h.execute(&bob, &[], &from).unwrap();
    report("compute_credit", "transfer_from", c.gas);

    let c = h.execute(&minter, &[], &json!({"mint": {"recipient": bob, "amount": "1000"}})).unwrap();
    report("compute_credit", "mint", c.gas);
    let err = h.execute(&minter, &[], &json!({"mint": {"recipient": bob, "amount": "1"}})).unwrap_err();
    assert!(err.to_string().contains("cap"), "{err}");
    let c = h.execute(&admin, &[], &json!({"set_minter_policy": {"minter": minter, "cap": "5000"}})).unwrap();
    report("compute_credit", "set_minter_policy", c.gas);
    h.execute(&minter, &[], &json!({"mint": {"recipient": bob, "amount": "1"}})).unwrap();
    let (info, _) = h.query(&json!({"token_info": {}})).unwrap();
    assert_eq!(info["total_supply"], "2001");
    let (m, _) = h.query(&json!({"minter": {}})).unwrap();
    assert_eq!(m, json!({"minter": minter, "cap": "5000"}));
    // Funds sent to a cw20 call are kept as cw20-base does; nothing to pay out.
    let c = h.execute(&bob, &[coin(1, "uvvv")], &json!({"burn": {"amount": "1"}})).unwrap();
    assert!(c.response.messages.is_empty());
}
