//! The unmodified third-party contracts (artifacts/thirdparty, built by
//! scripts/contracts-thirdparty.sh from the published cw20-base 2.0.0 and
//! cw721-base 0.22.0) really run in cosmwasm-vm 3.0.10, with plain JSON as a
//! client sends it.

use serde_json::json;
use venice_contracts_vm::{GAS_LIMIT, Harness, load_wasm_from, thirdparty_dir};

fn harness(name: &str) -> Harness {
    let wasm = load_wasm_from(&thirdparty_dir(), name).unwrap_or_else(|e| panic!("{e}"));
    Harness::with_wasm(&wasm, &[], GAS_LIMIT)
}

#[test]
fn cw20_base_instantiate_transfer_balance() {
    let mut h = harness("cw20_base");
    let (alice, bob) = (h.addr("alice"), h.addr("bob"));
    h.instantiate(
        &alice,
        &[],
        &json!({"name": "Compute credit", "symbol": "CRED", "decimals": 6,
                "initial_balances": [{"address": alice, "amount": "1000"}], "mint": null, "marketing": null}),
    )
    .unwrap();
    h.execute(&alice, &[], &json!({"transfer": {"recipient": bob, "amount": "250"}})).unwrap();
    let bal = |h: &mut Harness, a: &str| h.query(&json!({"balance": {"address": a}})).unwrap().0["balance"].clone();
    assert_eq!(bal(&mut h, &alice), json!("750"));
    assert_eq!(bal(&mut h, &bob), json!("250"));
    // More than the balance: the contract refuses, nothing moves.
    let err = h.execute(&bob, &[], &json!({"transfer": {"recipient": alice, "amount": "251"}})).unwrap_err();
    assert!(err.to_string().contains("Overflow") || err.to_string().contains("overflow"), "{err}");
    assert_eq!(bal(&mut h, &bob), json!("250"));
    let (info, _) = h.query(&json!({"token_info": {}})).unwrap();
    assert_eq!(info, json!({"name": "Compute credit", "symbol": "CRED", "decimals": 6, "total_supply": "1000"}));
}

#[test]
fn cw721_base_instantiate_mint_owner_of() {
    let mut h = harness("cw721_base");
    let (minter, alice, bob) = (h.addr("minter"), h.addr("alice"), h.addr("bob"));
    h.instantiate(
        &minter,
        &[],
        &json!({"name": "Models", "symbol": "MDL", "collection_info_extension": null, "minter": minter,
                "creator": null, "withdraw_address": null}),
    )
    .unwrap();
    let mint = json!({"mint": {"token_id": "t1", "owner": alice, "token_uri": "ipfs://x", "extension": null}});
    let err = h.execute(&alice, &[], &mint).unwrap_err();
    assert!(err.to_string().to_lowercase().contains("minter"), "only the minter mints: {err}");
    h.execute(&minter, &[], &mint).unwrap();
    let owner = |h: &mut Harness| h.query(&json!({"owner_of": {"token_id": "t1", "include_expired": null}})).unwrap().0["owner"].clone();
    assert_eq!(owner(&mut h), json!(alice));
    h.execute(&alice, &[], &json!({"transfer_nft": {"recipient": bob, "token_id": "t1"}})).unwrap();
    assert_eq!(owner(&mut h), json!(bob));
    let (n, _) = h.query(&json!({"num_tokens": {}})).unwrap();
    assert_eq!(n, json!({"count": 1}));
}
