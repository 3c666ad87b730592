//! ICS23 proofs through CometBFT's RPC, as a light client or IBC relayer
//! would get them: `abci_query` with `prove=true` on a raw store key, checked
//! against the app hash CometBFT put in the next block's header, at the
//! latest height and at a past one.

use std::time::Duration;

use prost::Message;
use serde_json::json;
use venice_e2e::Chain;
use venice_e2e::rpc::{Rpc, as_u64, b64};
use venice_e2e::tx::{Signer, TxSpec, account, msg_send, submit};

/// bank's balance key: `bank/bal/{len(addr)}{addr}{denom}` → u128 big-endian.
fn balance_key(address: &str) -> Vec<u8> {
    let id: cosmrs::AccountId = address.parse().unwrap();
    let addr = id.to_bytes();
    [b"bank/bal/".as_slice(), &[addr.len() as u8], &addr, b"uvvv"].concat()
}

struct Proven {
    height: u64,
    value: Vec<u8>,
    proof: ics23::CommitmentProof,
}

fn query_proven(rpc: &Rpc, key: &[u8], height: u64) -> Proven {
    let r = rpc
        .call("abci_query", json!({"path": "/store/key", "data": hex::encode(key), "height": height.to_string(), "prove": true}))
        .unwrap();
    let resp = &r["response"];
    assert_eq!(resp["code"].as_u64().unwrap_or(0), 0, "query failed: {resp}");
    let ops = resp["proofOps"]["ops"].as_array().unwrap_or_else(|| panic!("no proof ops: {resp}"));
    assert_eq!(ops.len(), 1, "one proof up to the app hash");
    assert_eq!(ops[0]["type"], "ics23:jmt");
    let proof = ics23::CommitmentProof::decode(b64(ops[0]["data"].as_str().unwrap()).as_slice()).expect("CommitmentProof");
    Proven { height: as_u64(&resp["height"]), value: b64(resp["value"].as_str().unwrap_or_default()), proof }
}

/// The app hash after block `h`, as CometBFT records it in header `h + 1`.
fn app_hash_after(chain: &mut Chain, h: u64) -> [u8; 32] {
    chain.wait_height(h + 1, Duration::from_secs(30));
    let header = chain.rpc.call("header", json!({"height": (h + 1).to_string()})).unwrap();
    hex::decode(header["header"]["app_hash"].as_str().unwrap()).unwrap().try_into().expect("32-byte app hash")
}

#[test]
fn store_proofs_verify_against_the_header_app_hash() {
    let holder = Signer::from_label("proofs/holder");
    let nobody = Signer::from_label("proofs/nobody");
    let mut chain = Chain::init("venice-e2e-proofs");
    chain.add_genesis_account(&holder.address, "123456789uvvv");
    chain.start();

    // Existence: the holder's balance.
    let key = balance_key(&holder.address);
    let p = query_proven(&chain.rpc, &key, 0);
    assert_eq!(p.value, 123_456_789u128.to_be_bytes());
    let root = app_hash_after(&mut chain, p.height);
    assert!(venice_store::verify_membership(&p.proof, &root, &key, &p.value), "existence proof at {}", p.height);
    // The same proof does not vouch for another value or another key.
    assert!(!venice_store::verify_membership(&p.proof, &root, &key, &1u128.to_be_bytes()));
    assert!(!venice_store::verify_membership(&p.proof, &root, &balance_key(&nobody.address), &p.value));

    // Non-existence: an address that never held anything.
    let absent = balance_key(&nobody.address);
    let q = query_proven(&chain.rpc, &absent, 0);
    assert!(q.value.is_empty());
    let root_q = app_hash_after(&mut chain, q.height);
    assert!(venice_store::verify_non_membership(&q.proof, &root_q, &absent), "non-existence proof at {}", q.height);

    // A transfer changes the balance; the old height still proves the old value.
    let (acc, seq) = account(&chain.rpc, &holder.address).unwrap().unwrap();
    let out =
        submit(&chain.rpc, &TxSpec::new(&chain.chain_id, acc, seq, vec![msg_send(&holder.address, &nobody.address, 1_000)]).sign(&holder));
    assert_eq!(out.code, 0, "{}", out.log);
    let now = query_proven(&chain.rpc, &key, 0);
    assert_eq!(now.value, (123_456_789u128 - 1_000 - 5_000).to_be_bytes());
    let root_now = app_hash_after(&mut chain, now.height);
    assert!(venice_store::verify_membership(&now.proof, &root_now, &key, &now.value));

    let old = query_proven(&chain.rpc, &key, p.height);
    assert_eq!(old.height, p.height);
    assert_eq!(old.value, p.value, "past-height read");
    assert!(venice_store::verify_membership(&old.proof, &root, &key, &old.value), "past-height proof");
    // And the once-absent key now exists, with a proof at the new height.
    let got = query_proven(&chain.rpc, &absent, 0);
    assert_eq!(got.value, 1_000u128.to_be_bytes());
    let root_got = app_hash_after(&mut chain, got.height);
    assert!(venice_store::verify_membership(&got.proof, &root_got, &absent, &got.value));
}
