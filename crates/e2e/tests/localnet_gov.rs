//! Governance on the real 4-validator localnet, through the `venice` CLI:
//! the validators (1000, 1100, 1200 and 1300 VVV of stake) vote from their
//! own nodes' keyrings.
//!
//! - a parameter change (the tx fee split, then mint's inflation bounds,
//!   in one proposal), drafted by the CLI,
//!   submitted with half its deposit, topped up by another validator and
//!   voted by stake, passes and takes effect in exactly the block whose end
//!   block passes it (the params before it are the old ones);
//! - a community-pool spend pays its recipient;
//! - a proposal voted down by stake is rejected and changes nothing;
//! - a proposal whose message fails at execution (minimum inflation above
//!   the maximum) is marked failed and changes nothing;
//! - a non-gov signer's `MsgUpdateParams` fails with gov's code 13;
//! - all four nodes hold the same headers at every height.

use std::time::{Duration, Instant};

use cosmrs::proto::cosmos::mint::v1beta1 as mintpb;
use prost::Message;
use serde_json::{Value, json};
use venice_e2e::localnet::{Net, one_network};
use venice_e2e::tx::{Signer, TxSpec, account, any, balance, submit};
use venice_types::fees as fpb;

const VVV: u128 = 1_000_000;

fn gov() -> String {
    venice_types::Address::module("gov").to_bech32()
}

/// `venice tx gov …` by validator `i` from its own node; the tx's height.
fn gov_tx(net: &Net, i: usize, args: &[&str]) -> u64 {
    let mut all = vec!["gov"];
    all.extend(args);
    all.extend(["--gas", "800000"]);
    let (ok, v, err) = net.cli_tx(i, i, &all, &format!("val{i}"));
    assert!(ok, "venice tx gov {args:?} by val{i}: {err}");
    assert_eq!(v["code"], 0, "{v}");
    v["height"].as_str().unwrap().parse().unwrap()
}

fn proposal(net: &Net, via: usize, id: &str) -> Value {
    net.cli_query(via, &["gov", "proposal", id])["proposal"].clone()
}

fn write_proposal(dir: &std::path::Path, name: &str, title: &str, messages: Vec<Value>, deposit: u128) -> String {
    let p = json!({
        "messages": messages,
        "metadata": "",
        "deposit": format!("{deposit}uvvv"),
        "title": title,
        "summary": title,
        "expedited": false,
    });
    let path = dir.join(name);
    std::fs::write(&path, p.to_string()).unwrap();
    path.to_str().unwrap().to_string()
}

fn mint_params_at(net: &Net, height: u64) -> mintpb::Params {
    let r: mintpb::QueryParamsResponse = net.abci(1, "/cosmos.mint.v1beta1.Query/Params", &mintpb::QueryParamsRequest {}, height);
    r.params.unwrap()
}

#[test]
fn proposals_pass_fail_and_are_rejected_by_stake_on_four_validators() {
    let _one = one_network();
    let outsider = Signer::from_label("gov-outsider");
    let recipient = Signer::from_label("gov-recipient");
    let funded = format!("{}={}uvvv", outsider.address, 100 * VVV);
    let mut net = Net::init(4, 0, "venice-e2e-localgov", &["--account", &funded]);
    // The dev genesis votes in 30 s: time for sixteen CLI votes.
    net.edit_genesis(|g| assert_eq!(g["app_state"]["gov"]["params"]["voting_period"], "30s"));
    net.start();
    let dir = tempfile::tempdir().unwrap();
    let min_deposit: u128 = net.cli_query(0, &["gov", "params"])["params"]["min_deposit"][0]["amount"].as_str().unwrap().parse().unwrap();

    // A non-gov signer's MsgUpdateParams fails (gov's ErrInvalidSigner).
    let own = mintpb::MsgUpdateParams { authority: outsider.address.clone(), params: Some(mint_params_at(&net, 0)) };
    let (number, sequence) = account(&net.nodes[2].rpc, &outsider.address).unwrap().unwrap();
    let mut spec = TxSpec::new(&net.chain_id, number, sequence, vec![any("/cosmos.mint.v1beta1.MsgUpdateParams", own.encode_to_vec())]);
    spec.gas_limit = 300_000;
    let out = submit(&net.nodes[2].rpc, &spec.sign(&outsider));
    assert_eq!((out.codespace.as_str(), out.code), ("gov", 13), "{}", out.log);

    // Proposal 1: narrower inflation bounds, drafted by the CLI.
    let draft = dir.path().join("draft.json");
    let out = net.nodes[0].venice(&[
        "tx",
        "gov",
        "draft-proposal",
        "--msg-type",
        "/cosmos.mint.v1beta1.MsgUpdateParams",
        "--title",
        "Narrower inflation",
        "--summary",
        "4% to 9%",
        "--deposit",
        &format!("{}uvvv", min_deposit / 2),
        "--out",
        draft.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "draft-proposal: {}", String::from_utf8_lossy(&out.stderr));
    let mut p1: Value = serde_json::from_slice(&std::fs::read(&draft).unwrap()).unwrap();
    assert_eq!(p1["messages"][0]["authority"], gov());
    let mut params = net.cli_query(0, &["mint", "params"])["params"].clone();
    assert_eq!(params["inflation_min"], "0.030000000000000000");
    params["inflation_min"] = "0.04".into();
    params["inflation_max"] = "0.09".into();
    p1["messages"][0]["params"] = params.clone();
    // The same proposal moves a tenth of every tx fee to the community pool.
    let mut fees = net.cli_query(0, &["fees", "params"])["params"].clone();
    assert_eq!(fees["tx_fee_split"]["stakers"], "1.000000000000000000", "{fees}");
    fees["tx_fee_split"]["stakers"] = "0.9".into();
    fees["tx_fee_split"]["community_pool"] = "0.1".into();
    p1["messages"].as_array_mut().unwrap().push(json!({"@type": "/venice.fees.v1.MsgUpdateParams", "authority": gov(), "params": fees}));
    std::fs::write(&draft, p1.to_string()).unwrap();
    gov_tx(&net, 0, &["submit-proposal", draft.to_str().unwrap()]);
    assert_eq!(proposal(&net, 1, "1")["status"], "PROPOSAL_STATUS_DEPOSIT_PERIOD");
    gov_tx(&net, 1, &["deposit", "1", &format!("{}uvvv", min_deposit - min_deposit / 2)]);
    assert_eq!(proposal(&net, 2, "1")["status"], "PROPOSAL_STATUS_VOTING_PERIOD");

    // Proposal 2: a community-pool spend (the pool funded first).
    let (ok, _, err) = net.cli_tx(3, 3, &["distribution", "fund-community-pool", &format!("{}uvvv", 10 * VVV)], "val3");
    assert!(ok, "fund-community-pool: {err}");
    let spend = json!({"@type": "/cosmos.distribution.v1beta1.MsgCommunityPoolSpend", "authority": gov(),
        "recipient": recipient.address, "amount": [{"denom": "uvvv", "amount": (3 * VVV).to_string()}]});
    gov_tx(&net, 0, &["submit-proposal", &write_proposal(dir.path(), "p2.json", "Spend", vec![spend], min_deposit)]);
    // Proposal 3: stop sends; voted down.
    let stop = json!({"@type": "/cosmos.bank.v1beta1.MsgUpdateParams", "authority": gov(),
        "params": {"send_enabled": [], "default_send_enabled": false}});
    gov_tx(&net, 0, &["submit-proposal", &write_proposal(dir.path(), "p3.json", "Stop sends", vec![stop], min_deposit)]);
    // Proposal 4: a minimum above the maximum: fails when it executes.
    let mut bad = params.clone();
    bad["inflation_min"] = "0.5".into();
    let bad = json!({"@type": "/cosmos.mint.v1beta1.MsgUpdateParams", "authority": gov(), "params": bad});
    gov_tx(&net, 0, &["submit-proposal", &write_proposal(dir.path(), "p4.json", "Bad bounds", vec![bad], min_deposit)]);

    // Votes by stake: validators 0–2 (3300 of 4600) yes on 1, 2 and 4;
    // on 3 only validator 0 (1000) says yes, the others no.
    for i in 0..4 {
        for id in ["1", "2", "4"] {
            gov_tx(&net, i, &["vote", id, if i < 3 { "yes" } else { "no" }]);
        }
        gov_tx(&net, i, &["vote", "3", if i == 0 { "yes" } else { "no" }]);
    }
    let t = net.cli_query(3, &["gov", "tally", "3"]);
    assert_eq!(t["tally"]["no_count"], (3600 * VVV).to_string(), "{t}");
    let recipient_before = balance(&net.nodes[0].rpc, &recipient.address).unwrap_or(0);

    let deadline = Instant::now() + Duration::from_secs(90);
    let ended = |net: &Net| ["1", "2", "3", "4"].iter().all(|id| proposal(net, 0, id)["status"] != "PROPOSAL_STATUS_VOTING_PERIOD");
    while !ended(&net) {
        assert!(Instant::now() < deadline, "proposals did not end");
        std::thread::sleep(Duration::from_millis(500));
    }
    let status = |id| proposal(&net, 1, id)["status"].as_str().unwrap().to_string();
    assert_eq!(status("1"), "PROPOSAL_STATUS_PASSED");
    assert_eq!(status("2"), "PROPOSAL_STATUS_PASSED");
    assert_eq!(status("3"), "PROPOSAL_STATUS_REJECTED");
    assert_eq!(status("4"), "PROPOSAL_STATUS_FAILED");
    assert!(proposal(&net, 2, "4")["failed_reason"].as_str().unwrap().contains("inflation"), "{}", proposal(&net, 2, "4"));

    // Proposal 1 took effect in exactly the block whose end block passed it.
    let mut h = net.nodes[1].height() - 1;
    let new = mint_params_at(&net, h);
    assert_eq!((new.inflation_min.as_str(), new.inflation_max.as_str()), ("40000000000000000", "90000000000000000"));
    while mint_params_at(&net, h - 1).inflation_min == new.inflation_min {
        h -= 1;
    }
    assert_eq!(mint_params_at(&net, h - 1).inflation_min, "30000000000000000");
    let split_at = |height| {
        let r: fpb::QueryParamsResponse = net.abci(1, fpb::QUERY_PARAMS, &fpb::QueryParamsRequest {}, height);
        r.params.unwrap().tx_fee_split.unwrap().stakers
    };
    assert_eq!((split_at(h - 1).as_str(), split_at(h).as_str()), ("1.000000000000000000", "0.900000000000000000"), "the fee split with it");
    let results = net.nodes[1].rpc.call("block_results", json!({"height": h.to_string()})).unwrap();
    let events = venice_e2e::tx::event_attrs(&results["finalize_block_events"]);
    let passed_here: Vec<&String> =
        events.iter().filter(|(t, k, _)| t == "active_proposal" && k == "proposal_id").map(|(_, _, v)| v).collect();
    assert!(passed_here.contains(&&"1".to_string()), "proposal 1 ended at {h}: {events:?}");

    assert_eq!(balance(&net.nodes[3].rpc, &recipient.address).unwrap(), recipient_before + 3 * VVV, "the spend paid");
    let bank = net.cli_query(2, &["bank", "params"]);
    assert_eq!(bank["params"]["default_send_enabled"], true, "the rejected change did nothing");
    let p = net.cli_query(3, &["mint", "params"]);
    assert_eq!(p["params"]["inflation_min"], "0.040000000000000000", "the failed proposal changed nothing");

    let top = net.nodes[0].height();
    net.wait_all(top + 2, Duration::from_secs(30));
    net.assert_same_headers(&[0, 1, 2, 3]);
}
