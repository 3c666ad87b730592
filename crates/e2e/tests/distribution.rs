//! Rewards through CometBFT: fees of real blocks reach the `demo` validator
//! (localnet/init.sh's gentx) and its delegators; a withdrawal changes the
//! balance by exactly what the DelegationRewards query reported (truncated)
//! and what the withdraw_rewards event says; the CLI shows the same
//! numbers. Emissions are switched off in this genesis so that the blocks
//! between the query and the withdrawal allocate nothing new (the app
//! tests check mint's amounts exactly).

use std::time::Duration;

use cosmrs::proto::cosmos::base::v1beta1::Coin;
use cosmrs::proto::cosmos::distribution::v1beta1 as dpb;
use cosmrs::proto::cosmos::staking::v1beta1 as spb;
use prost::Message;
use serde_json::{Value, json};
use venice_e2e::Chain;
use venice_e2e::rpc::b64;
use venice_e2e::tx::{Signer, TxSpec, account, any, balance, event_attrs, msg_send, submit};

const VVV: u128 = 1_000_000;

/// An ABCI query at `height` (0: latest).
fn query_at<Resp: Message + Default>(chain: &Chain, path: &str, req: impl Message, height: u64) -> Resp {
    let mut params = json!({"path": path, "data": hex::encode(req.encode_to_vec()), "prove": false});
    if height > 0 {
        params["height"] = json!(height.to_string());
    }
    let r = chain.rpc.call("abci_query", params).expect("abci_query");
    let resp = &r["response"];
    assert_eq!(resp["code"].as_u64().unwrap_or(0), 0, "{path}: {}", resp["log"]);
    Resp::decode(b64(resp["value"].as_str().unwrap_or_default()).as_slice()).unwrap()
}

fn send(chain: &Chain, signer: &Signer, msg: cosmrs::Any, fee: u128) -> venice_e2e::tx::Outcome {
    let (number, sequence) = account(&chain.rpc, &signer.address).unwrap().expect("account exists");
    let mut spec = TxSpec::new(&chain.chain_id, number, sequence, vec![msg]);
    spec.gas_limit = 400_000;
    spec.fee = fee;
    let out = submit(&chain.rpc, &spec.sign(signer));
    assert_eq!(out.code, 0, "{} {}", out.codespace, out.log);
    out
}

fn dec_int(atto: &str) -> u128 {
    let n: u128 = atto.parse().unwrap();
    n / 1_000_000_000_000_000_000
}

#[test]
fn rewards_accrue_and_withdraw_exactly() {
    let mut chain = Chain::init("venice-e2e-distribution");
    let alice = Signer::from_label("dist-alice");
    let bob = Signer::from_label("dist-bob");
    chain.add_genesis_account(&alice.address, &format!("{}uvvv", 200_000 * VVV));
    chain.add_genesis_account(&bob.address, &format!("{}uvvv", 200_000 * VVV));
    // No emissions: rewards come from fees only (see the file's docs).
    chain.without_emissions();
    chain.start();
    chain.wait_height(2, Duration::from_secs(30));

    let vals: spb::QueryValidatorsResponse = query_at(
        &chain,
        "/cosmos.staking.v1beta1.Query/Validators",
        spb::QueryValidatorsRequest { status: "BOND_STATUS_BONDED".into(), pagination: None },
        0,
    );
    let val = vals.validators[0].operator_address.clone();

    // alice delegates as much as demo's self-delegation.
    let delegate = spb::MsgDelegate {
        delegator_address: alice.address.clone(),
        validator_address: val.clone(),
        amount: Some(Coin { denom: "uvvv".into(), amount: (100_000 * VVV).to_string() }),
    };
    send(&chain, &alice, any("/cosmos.staking.v1beta1.MsgDelegate", delegate.encode_to_vec()), 5_000);
    // bob pays large fees; they reach the validator the block after.
    let mut last = 0;
    for _ in 0..3 {
        last = send(&chain, &bob, msg_send(&bob.address, &bob.address, 1), 2_000_003).height;
    }
    chain.wait_height(last + 2, Duration::from_secs(30));

    let req = || dpb::QueryDelegationRewardsRequest { delegator_address: alice.address.clone(), validator_address: val.clone() };
    // CometBFT reports a block before the app has committed it: one below is safe.
    let at = chain.height() - 1;
    let before: dpb::QueryDelegationRewardsResponse = query_at(&chain, "/cosmos.distribution.v1beta1.Query/DelegationRewards", req(), at);
    let owed = dec_int(&before.rewards[0].amount);
    // Half of the stake, 98% of the fees after tax, minus the commission.
    assert!(owed > 2_000_000, "alice earned a share of 6 VVV of fees: {owed}");
    assert!(owed < 3_000_000, "at most half of the fees: {owed}");
    let out: dpb::QueryValidatorOutstandingRewardsResponse = query_at(
        &chain,
        "/cosmos.distribution.v1beta1.Query/ValidatorOutstandingRewards",
        dpb::QueryValidatorOutstandingRewardsRequest { validator_address: val.clone() },
        at,
    );
    assert!(dec_int(&out.rewards.unwrap().rewards[0].amount) >= 2 * owed);

    // The CLI reads the same number.
    let node = chain.rpc.url();
    let cli = chain.venice(&[
        "query",
        "distribution",
        "rewards",
        &alice.address,
        &val,
        "--node",
        &node,
        "--output",
        "json",
        "--height",
        &at.to_string(),
    ]);
    assert!(cli.status.success(), "{}", String::from_utf8_lossy(&cli.stderr));
    let v: Value = serde_json::from_slice(&cli.stdout).unwrap();
    assert_eq!(v["rewards"][0]["amount"].as_str().unwrap().split('.').next().unwrap(), owed.to_string());

    // Withdraw: nothing new is allocated meanwhile (no fees, no emissions).
    let balance_before = balance(&chain.rpc, &alice.address).unwrap();
    let withdraw = dpb::MsgWithdrawDelegatorReward { delegator_address: alice.address.clone(), validator_address: val.clone() };
    let out = send(&chain, &alice, any("/cosmos.distribution.v1beta1.MsgWithdrawDelegatorReward", withdraw.encode_to_vec()), 5_000);
    let again: dpb::QueryDelegationRewardsResponse =
        query_at(&chain, "/cosmos.distribution.v1beta1.Query/DelegationRewards", req(), out.height - 1);
    assert_eq!(again.rewards, before.rewards, "unchanged up to the block of the withdrawal");
    assert_eq!(balance(&chain.rpc, &alice.address).unwrap(), balance_before + owed - 5_000);
    let attrs = event_attrs(&out.result["tx_result"]["events"]);
    let amount: Vec<&String> = attrs.iter().filter(|(t, k, _)| t == "withdraw_rewards" && k == "amount").map(|(_, _, v)| v).collect();
    assert_eq!(amount, vec![&format!("{owed}uvvv")]);
    assert!(attrs.iter().any(|(t, k, v)| t == "withdraw_rewards" && k == "delegator" && v == &alice.address));

    // The operator's commission through the CLI's query; the community pool got the tax.
    let cli = chain.venice(&["query", "distribution", "commission", &val, "--node", &node, "--output", "json"]);
    assert!(cli.status.success(), "{}", String::from_utf8_lossy(&cli.stderr));
    let v: Value = serde_json::from_slice(&cli.stdout).unwrap();
    assert!(v["commission"]["commission"][0]["amount"].as_str().unwrap().parse::<f64>().is_ok());
    let cli = chain.venice(&["query", "distribution", "community-pool", "--node", &node, "--output", "json"]);
    let v: Value = serde_json::from_slice(&cli.stdout).unwrap();
    assert!(v["pool"][0]["amount"].as_str().unwrap() != "0.000000000000000000");
    let cli = chain.venice(&["query", "mint", "inflation", "--node", &node, "--output", "json"]);
    let v: Value = serde_json::from_slice(&cli.stdout).unwrap();
    assert_eq!(v["inflation"], "0.000000000000000000");
}
