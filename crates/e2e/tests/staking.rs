//! Proof of stake through CometBFT: the chain's validator comes from a gentx
//! of `demo` (localnet/init.sh); a delegation changes the voting power
//! CometBFT reports at /validators exactly two heights after the block that
//! included it (end block of H sets the set of H+2); a second validator
//! created by MsgCreateValidator joins CometBFT's set the same way.

use std::process::Command;
use std::time::Duration;

use cosmrs::proto::cosmos::base::v1beta1::Coin;
use cosmrs::proto::cosmos::staking::v1beta1 as pb;
use prost::Message;
use serde_json::{Value, json};
use venice_e2e::Chain;
use venice_e2e::rpc::as_u64;
use venice_e2e::tx::{Signer, TxSpec, account, any, submit};

const VVV: u128 = 1_000_000;

/// (pub key base64, power) of CometBFT's validator set at `height`.
fn cometbft_validators(chain: &Chain, height: u64) -> Vec<(String, u64)> {
    let r: Value = chain.rpc.call("validators", json!({"height": height.to_string(), "per_page": "100"})).expect("/validators");
    r["validators"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| (v["pub_key"]["value"].as_str().unwrap().to_string(), as_u64(&v["voting_power"])))
        .collect()
}

fn staking_query<Resp: Message + Default>(chain: &Chain, method: &str, req: impl Message) -> Resp {
    let (code, log, value) =
        chain.rpc.abci_query(&format!("/cosmos.staking.v1beta1.Query/{method}"), &req.encode_to_vec()).expect("abci_query");
    assert_eq!(code, 0, "{method}: {log}");
    Resp::decode(value.as_slice()).unwrap()
}

fn send_tx(chain: &Chain, signer: &Signer, type_url: &str, msg: Vec<u8>) -> u64 {
    let (number, sequence) = account(&chain.rpc, &signer.address).unwrap().expect("account exists");
    let mut spec = TxSpec::new(&chain.chain_id, number, sequence, vec![any(type_url, msg)]);
    spec.gas_limit = 400_000;
    let out = submit(&chain.rpc, &spec.sign(signer));
    assert_eq!(out.code, 0, "{type_url}: {} {}", out.codespace, out.log);
    out.height
}

#[test]
fn delegations_and_new_validators_reach_cometbft() {
    let mut chain = Chain::init("venice-e2e-staking");
    let alice = Signer::from_label("staking-alice");
    let bob = Signer::from_label("staking-bob");
    chain.add_genesis_account(&alice.address, &format!("{}uvvv", 100_000 * VVV));
    chain.add_genesis_account(&bob.address, &format!("{}uvvv", 100_000 * VVV));
    chain.start();
    chain.wait_height(2, Duration::from_secs(30));

    // The gentx's validator: demo's 100,000 VVV, 1 VVV = 1 power.
    let vals: pb::QueryValidatorsResponse =
        staking_query(&chain, "Validators", pb::QueryValidatorsRequest { status: "BOND_STATUS_BONDED".into(), pagination: None });
    assert_eq!(vals.validators.len(), 1);
    let demo_val = vals.validators[0].operator_address.clone();
    assert!(demo_val.starts_with("venicevaloper1"), "{demo_val}");
    assert_eq!(vals.validators[0].description.as_ref().unwrap().moniker, "e2e");
    let start = cometbft_validators(&chain, chain.height());
    assert_eq!(start.len(), 1);
    assert_eq!(start[0].1, 100_000);
    let demo_key = start[0].0.clone();

    // alice delegates 50,000 VVV: power 150,000 from H+2 on, not before.
    let delegate = pb::MsgDelegate {
        delegator_address: alice.address.clone(),
        validator_address: demo_val.clone(),
        amount: Some(Coin { denom: "uvvv".into(), amount: (50_000 * VVV).to_string() }),
    };
    let h = send_tx(&chain, &alice, "/cosmos.staking.v1beta1.MsgDelegate", delegate.encode_to_vec());
    chain.wait_height(h + 3, Duration::from_secs(30));
    assert_eq!(cometbft_validators(&chain, h + 1), vec![(demo_key.clone(), 100_000)], "height {}", h + 1);
    assert_eq!(cometbft_validators(&chain, h + 2), vec![(demo_key.clone(), 150_000)], "height {}", h + 2);
    let d: pb::QueryDelegationResponse = staking_query(
        &chain,
        "Delegation",
        pb::QueryDelegationRequest { delegator_addr: alice.address.clone(), validator_addr: demo_val.clone() },
    );
    assert_eq!(d.delegation_response.unwrap().balance.unwrap().amount, (50_000 * VVV).to_string());

    // bob creates a second validator (its node never runs: 10,000 of
    // 160,000 power does not stop the chain) with a fresh consensus key.
    let out = Command::new(chain.bins.cometbft()).arg("gen-validator").output().expect("cometbft gen-validator");
    assert!(out.status.success());
    let generated: Value = serde_json::from_slice(&out.stdout).expect("gen-validator JSON");
    let bob_key_b64 =
        generated["Key"]["pub_key"]["value"].as_str().or(generated["pub_key"]["value"].as_str()).expect("pub key").to_string();
    let bob_key = venice_e2e::rpc::b64(&bob_key_b64);
    let bob_valoper = venice_types::Address::parse(&bob.address).unwrap().to_valoper();
    let create = pb::MsgCreateValidator {
        description: Some(pb::Description { moniker: "bob".into(), ..Default::default() }),
        commission: Some(pb::CommissionRates {
            rate: "100000000000000000".into(),
            max_rate: "200000000000000000".into(),
            max_change_rate: "10000000000000000".into(),
        }),
        min_self_delegation: "1".into(),
        #[allow(deprecated)]
        delegator_address: String::new(),
        validator_address: bob_valoper,
        pubkey: Some(cosmrs::Any {
            type_url: "/cosmos.crypto.ed25519.PubKey".into(),
            value: cosmrs::proto::cosmos::crypto::ed25519::PubKey { key: bob_key }.encode_to_vec(),
        }),
        value: Some(Coin { denom: "uvvv".into(), amount: (10_000 * VVV).to_string() }),
    };
    let h = send_tx(&chain, &bob, "/cosmos.staking.v1beta1.MsgCreateValidator", create.encode_to_vec());
    chain.wait_height(h + 3, Duration::from_secs(30));
    assert_eq!(cometbft_validators(&chain, h + 1).len(), 1, "height {}", h + 1);
    let mut set = cometbft_validators(&chain, h + 2);
    set.sort();
    let mut want = vec![(demo_key, 150_000), (bob_key_b64, 10_000)];
    want.sort();
    assert_eq!(set, want, "height {}", h + 2);
    let pool: pb::QueryPoolResponse = staking_query(&chain, "Pool", pb::QueryPoolRequest {});
    assert_eq!(pool.pool.unwrap().bonded_tokens, (160_000 * VVV).to_string());
}
