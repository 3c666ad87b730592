//! Proof of stake's economy on the real 4-validator localnet
//! (`localnet/init-multi.sh --tokenomics … --no-emissions`):
//!
//! - a delegation changes the voting power every node's CometBFT reports,
//!   two heights after its block;
//! - fees of real blocks reach the validators that signed them and their
//!   delegators; a delegator's withdrawal and an operator's rewards plus
//!   commission (`venice tx distribution withdraw-rewards --commission`)
//!   change balances by exactly what the queries reported the block before;
//! - the team grant of the tokenomics genesis is a vesting account: it
//!   cannot send its locked coins but can delegate them;
//! - an airdrop claim with a valid proof pays once; a second or a forged
//!   claim fails with the airdrop's codes;
//! - all four nodes hold the same headers (app hashes) at every height.
//!
//! Emissions are off so that no block between a query and a withdrawal
//! allocates anything new (the app tests check mint's amounts exactly).

use std::time::Duration;

use cosmrs::proto::cosmos::auth::v1beta1 as authpb;
use cosmrs::proto::cosmos::bank::v1beta1 as bankpb;
use cosmrs::proto::cosmos::base::v1beta1::Coin;
use cosmrs::proto::cosmos::distribution::v1beta1 as dpb;
use cosmrs::proto::cosmos::staking::v1beta1 as spb;
use cosmrs::proto::cosmos::vesting::v1beta1 as vestpb;
use prost::Message;
use serde_json::Value;
use venice_e2e::localnet::{Net, one_network, write_tokenomics};
use venice_e2e::tx::{Outcome, Signer, TxSpec, account, any, event_attrs, msg_send, submit};
use venice_types::airdrop as droppb;

const VVV: u128 = 1_000_000;
const FEE: u128 = 5_000;

/// A raw tx by `signer` through node `via`. The account's sequence is read
/// from that node, once it has caught up with the most advanced one: a node
/// still behind the signer's last tx would hand out its sequence again (and
/// the same tx bytes, "already in the cache").
fn tx(net: &mut Net, via: usize, signer: &Signer, msg: cosmrs::Any, fee: u128) -> Outcome {
    let tip = net.nodes.iter().map(|n| n.height()).max().unwrap_or(0);
    net.nodes[via].wait_height(tip, Duration::from_secs(30));
    let rpc = &net.nodes[via].rpc;
    let (number, sequence) = account(rpc, &signer.address).unwrap().expect("account exists");
    let mut spec = TxSpec::new(&net.chain_id, number, sequence, vec![msg]);
    spec.gas_limit = 400_000;
    spec.fee = fee;
    submit(rpc, &spec.sign(signer))
}

fn balance_at(net: &Net, via: usize, address: &str, height: u64) -> u128 {
    let req = bankpb::QueryBalanceRequest { address: address.into(), denom: "uvvv".into() };
    let r: bankpb::QueryBalanceResponse = net.abci(via, "/cosmos.bank.v1beta1.Query/Balance", &req, height);
    r.balance.unwrap().amount.parse().unwrap()
}

/// The whole units of the first DecCoin (rewards are paid truncated).
fn whole(coins: &[cosmrs::proto::cosmos::base::v1beta1::DecCoin]) -> u128 {
    coins.first().map_or(0, |c| c.amount.parse::<u128>().unwrap() / 1_000_000_000_000_000_000)
}

fn rewards(net: &Net, via: usize, delegator: &str, valoper: &str, height: u64) -> u128 {
    let req = dpb::QueryDelegationRewardsRequest { delegator_address: delegator.into(), validator_address: valoper.into() };
    let r: dpb::QueryDelegationRewardsResponse = net.abci(via, "/cosmos.distribution.v1beta1.Query/DelegationRewards", &req, height);
    whole(&r.rewards)
}

fn commission(net: &Net, via: usize, valoper: &str, height: u64) -> u128 {
    let req = dpb::QueryValidatorCommissionRequest { validator_address: valoper.into() };
    let r: dpb::QueryValidatorCommissionResponse = net.abci(via, "/cosmos.distribution.v1beta1.Query/ValidatorCommission", &req, height);
    whole(&r.commission.unwrap().commission)
}

/// Base64 ed25519 public key of node `i`'s consensus key.
fn cons_pubkey(net: &Net, i: usize) -> String {
    let key: Value = serde_json::from_slice(&std::fs::read(net.nodes[i].home.join("config/priv_validator_key.json")).unwrap()).unwrap();
    key["pub_key"]["value"].as_str().unwrap().to_string()
}

/// The voting power of `pubkey` in CometBFT's set at `height`, as node `via` reports it.
fn power_of(net: &Net, via: usize, pubkey: &str, height: u64) -> u64 {
    let r = net.nodes[via].rpc.call("validators", serde_json::json!({"height": height.to_string(), "per_page": "100"})).unwrap();
    r["validators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["pub_key"]["value"] == pubkey)
        .map_or(0, |v| venice_e2e::rpc::as_u64(&v["voting_power"]))
}

#[test]
fn rewards_vesting_and_airdrop_on_four_validators() {
    let _one = one_network();
    let alice = Signer::from_label("econ-alice");
    let payer = Signer::from_label("econ-payer");
    let team = Signer::from_label("econ-team");
    let investor = Signer::from_label("econ-investor");
    let claimer = Signer::from_label("econ-claimer");
    let other = Signer::from_label("econ-other");
    let cfg_dir = tempfile::tempdir().unwrap();
    let cfg = write_tokenomics(cfg_dir.path(), &team.address, &investor.address, &[(&claimer.address, 5 * VVV), (&other.address, 7 * VVV)]);
    let mut accounts = vec!["--no-emissions".to_string(), "--tokenomics".into(), cfg.to_str().unwrap().into()];
    for (s, amount) in [(&alice, 10_000 * VVV), (&payer, 10_000 * VVV), (&claimer, VVV), (&other, VVV)] {
        accounts.extend(["--account".into(), format!("{}={amount}uvvv", s.address)]);
    }
    let args: Vec<&str> = accounts.iter().map(String::as_str).collect();
    let mut net = Net::init(4, 0, "venice-e2e-economy", &args);
    let proofs: Value = serde_json::from_slice(&std::fs::read(net.root.join("node0/config/airdrop-proofs.json")).unwrap()).unwrap();
    net.start();

    // ---- rewards: alice delegates to validator 2 (through node 1), the
    // payer's fees reach the signers of the next blocks.
    let val2 = net.valopers[2].clone();
    let delegate = spb::MsgDelegate {
        delegator_address: alice.address.clone(),
        validator_address: val2.clone(),
        amount: Some(Coin { denom: "uvvv".into(), amount: (1_200 * VVV).to_string() }),
    };
    let out = tx(&mut net, 1, &alice, any("/cosmos.staking.v1beta1.MsgDelegate", delegate.encode_to_vec()), FEE);
    assert_eq!(out.code, 0, "{}", out.log);
    // CometBFT's set follows: the end block of H returns the update, which
    // counts from H+2 (CometBFT's update delay), on every node.
    let key2 = cons_pubkey(&net, 2);
    net.wait_all(out.height + 3, Duration::from_secs(30));
    for via in 0..4 {
        assert_eq!(power_of(&net, via, &key2, out.height + 1), 1_200, "node {via} at H+1");
        assert_eq!(power_of(&net, via, &key2, out.height + 2), 2_400, "node {via} at H+2");
    }
    let mut last = 0;
    for i in 0..4 {
        let out = tx(&mut net, i, &payer, msg_send(&payer.address, &payer.address, 1), 2_000_003);
        assert_eq!(out.code, 0, "{}", out.log);
        last = out.height;
    }
    net.wait_all(last + 3, Duration::from_secs(30));

    // CometBFT reports a block before the app commits it: one below is safe.
    let at = net.nodes[3].height() - 1;
    let owed = rewards(&net, 3, &alice.address, &val2, at);
    // Half of validator 2's 2400 VVV of stake; it signs about a quarter of
    // the power of the blocks after the fees: some of 8 VVV.
    assert!(owed > 100_000 && owed < 4 * VVV, "alice's share of the fees: {owed}");
    let out = tx(
        &mut net,
        3,
        &alice,
        any(
            "/cosmos.distribution.v1beta1.MsgWithdrawDelegatorReward",
            dpb::MsgWithdrawDelegatorReward { delegator_address: alice.address.clone(), validator_address: val2.clone() }.encode_to_vec(),
        ),
        FEE,
    );
    assert_eq!(out.code, 0, "{}", out.log);
    assert_eq!(rewards(&net, 3, &alice.address, &val2, out.height - 1), owed, "nothing allocated in between");
    let paid: Vec<String> = event_attrs(&out.result["tx_result"]["events"])
        .into_iter()
        .filter(|(t, k, _)| t == "withdraw_rewards" && k == "amount")
        .map(|(_, _, v)| v)
        .collect();
    assert_eq!(paid, vec![format!("{owed}uvvv")]);
    assert_eq!(balance_at(&net, 3, &alice.address, out.height), balance_at(&net, 3, &alice.address, out.height - 1) + owed - FEE);

    // Validator 2's operator: its self-delegation's rewards and its
    // commission through the CLI, on its own node, once alice's fee has
    // been handed out (a block with no fees before it allocates nothing).
    net.nodes[2].wait_height(out.height + 2, Duration::from_secs(30));
    let operator = net.nodes[2].key_address("val2");
    let (ok, v, err) = net.cli_tx(2, 2, &["distribution", "withdraw-rewards", &val2, "--commission"], "val2");
    assert!(ok, "withdraw-rewards --commission: {err}");
    let height: u64 = v["height"].as_str().unwrap().parse().unwrap();
    let (self_owed, comm) = (rewards(&net, 2, &operator, &val2, height - 1), commission(&net, 2, &val2, height - 1));
    assert!(comm > 0 && self_owed > 0, "validator 2 earned rewards and commission");
    let events = event_attrs(&v["events"]);
    let amount = |kind: &str| events.iter().filter(|(t, k, _)| t == kind && k == "amount").map(|(_, _, v)| v.clone()).collect::<Vec<_>>();
    assert_eq!(amount("withdraw_rewards"), vec![format!("{self_owed}uvvv")]);
    assert_eq!(amount("withdraw_commission"), vec![format!("{comm}uvvv")]);
    assert_eq!(balance_at(&net, 2, &operator, height), balance_at(&net, 2, &operator, height - 1) + self_owed + comm - FEE);

    // ---- vesting: the team grant is locked; free coins sent to it pay fees.
    let acc: authpb::QueryAccountResponse =
        net.abci(0, "/cosmos.auth.v1beta1.Query/Account", &authpb::QueryAccountRequest { address: team.address.clone() }, 0);
    let acc = acc.account.unwrap();
    assert_eq!(acc.type_url, "/cosmos.vesting.v1beta1.PeriodicVestingAccount");
    let granted: u128 =
        vestpb::PeriodicVestingAccount::decode(acc.value.as_slice()).unwrap().base_vesting_account.unwrap().original_vesting[0]
            .amount
            .parse()
            .unwrap();
    assert!(granted > 0);
    assert_eq!(tx(&mut net, 0, &alice, msg_send(&alice.address, &team.address, VVV), FEE).code, 0);
    let out = tx(&mut net, 1, &team, msg_send(&team.address, &alice.address, 2 * VVV), FEE);
    assert_eq!((out.codespace.as_str(), out.code), ("sdk", 5), "locked coins must not move: {}", out.log);
    let delegate = spb::MsgDelegate {
        delegator_address: team.address.clone(),
        validator_address: net.valopers[3].clone(),
        amount: Some(Coin { denom: "uvvv".into(), amount: (5_000 * VVV).to_string() }),
    };
    let out = tx(&mut net, 2, &team, any("/cosmos.staking.v1beta1.MsgDelegate", delegate.encode_to_vec()), FEE);
    assert_eq!(out.code, 0, "delegating locked coins: {} {}", out.codespace, out.log);
    // Nodes 3 and 0 are read below at their latest height: let them commit it.
    net.wait_all(out.height + 1, Duration::from_secs(30));
    let acc: authpb::QueryAccountResponse =
        net.abci(3, "/cosmos.auth.v1beta1.Query/Account", &authpb::QueryAccountRequest { address: team.address.clone() }, 0);
    let pva = vestpb::PeriodicVestingAccount::decode(acc.account.unwrap().value.as_slice()).unwrap();
    assert_eq!(pva.base_vesting_account.unwrap().delegated_vesting[0].amount, (5_000 * VVV).to_string());
    assert_eq!(net.validator(0, 3).tokens, ((1_300 + 5_000) * VVV).to_string(), "the locked stake counts");

    // ---- airdrop: a valid claim pays once; a second and a forged one fail.
    let proof = |who: &str| -> Vec<Vec<u8>> {
        proofs["claims"][who]["proof"].as_array().unwrap().iter().map(|h| hex::decode(h.as_str().unwrap()).unwrap()).collect()
    };
    let claim = |who: &Signer, amount: u128| {
        let m = droppb::MsgClaim { claimer: who.address.clone(), amount: amount.to_string(), proof: proof(&who.address) };
        any(droppb::MSG_CLAIM_URL, m.encode_to_vec())
    };
    let out = tx(&mut net, 0, &claimer, claim(&claimer, 5 * VVV), FEE);
    assert_eq!(out.code, 0, "{}", out.log);
    assert_eq!(balance_at(&net, 1, &claimer.address, out.height), VVV + 5 * VVV - FEE);
    let out = tx(&mut net, 1, &claimer, claim(&claimer, 5 * VVV), FEE);
    assert_eq!((out.codespace.as_str(), out.code), ("airdrop", 4), "second claim: {}", out.log);
    let out = tx(&mut net, 2, &other, claim(&other, 70 * VVV), FEE);
    assert_eq!((out.codespace.as_str(), out.code), ("airdrop", 3), "forged claim: {}", out.log);
    assert_eq!(balance_at(&net, 3, &claimer.address, out.height), VVV + 5 * VVV - 2 * FEE);

    let h = net.nodes[0].height();
    net.wait_all(h + 2, Duration::from_secs(30));
    net.assert_same_headers(&[0, 1, 2, 3]);
}
