//! Governance through CometBFT and the CLI: the chain's one validator is
//! the demo key's gentx (localnet/init.sh, whose dev genesis sets a short
//! voting period). A gov-params change is drafted, submitted, topped up
//! with a deposit and voted yes by stake: it passes at the end of the
//! voting period and the change is visible; a bank-params change voted no
//! is rejected and changes nothing; deposits come back.

use std::time::{Duration, Instant};

use serde_json::Value;
use venice_e2e::stdout_json;
use venice_e2e::tx::balance;
use venice_e2e::{Chain, Cli};

const VVV: u128 = 1_000_000;

fn query(chain: &Chain, args: &[&str]) -> Value {
    Cli::new(chain).query(&[&["query", "gov"], args].concat())
}

fn tx(chain: &Chain, args: &[&str]) -> Value {
    Cli::new(chain).tx_fixed(&[&["tx", "gov"], args].concat(), "demo", "600000", "10000uvvv")
}

fn status(chain: &Chain, id: &str) -> String {
    query(chain, &["proposal", id])["proposal"]["status"].as_str().unwrap().to_string()
}

#[test]
fn a_proposal_passes_by_stake_and_a_rejected_one_changes_nothing() {
    let mut chain = Chain::init("venice-e2e-gov");
    // The dev genesis votes in 30 s (expedited 15 s); this test shortens it
    // to keep the suite quick.
    let gpath = chain.home.join("config/genesis.json");
    let mut g: Value = serde_json::from_str(&std::fs::read_to_string(&gpath).unwrap()).unwrap();
    assert_eq!(g["app_state"]["gov"]["params"]["voting_period"], "30s");
    assert_eq!(g["app_state"]["gov"]["params"]["expedited_voting_period"], "15s");
    g["app_state"]["gov"]["params"]["voting_period"] = "15s".into();
    g["app_state"]["gov"]["params"]["expedited_voting_period"] = "8s".into();
    std::fs::write(&gpath, serde_json::to_string_pretty(&g).unwrap()).unwrap();
    chain.start();
    chain.wait_height(2, Duration::from_secs(30));
    let demo = chain.key_address("demo");
    let dir = tempfile::tempdir().unwrap();

    let params = query(&chain, &["params"])["params"].clone();
    assert_eq!(params["min_deposit"][0]["amount"], (1000 * VVV).to_string());
    assert_eq!(params["quorum"], "0.334000000000000000");

    // Proposal 1: raise the quorum. Drafted by the CLI, then filled in.
    let draft_path = dir.path().join("p1.json");
    let out = chain.venice(&[
        "tx",
        "gov",
        "draft-proposal",
        "--msg-type",
        "/cosmos.gov.v1.MsgUpdateParams",
        "--title",
        "Raise quorum",
        "--summary",
        "Quorum to 40%",
        "--deposit",
        &format!("{}uvvv", 500 * VVV),
        "--out",
        draft_path.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "draft-proposal failed");
    let mut p1: Value = serde_json::from_str(&std::fs::read_to_string(&draft_path).unwrap()).unwrap();
    assert_eq!(p1["messages"][0]["authority"], venice_types::Address::module("gov").to_bech32());
    let mut new_params = params.clone();
    new_params["quorum"] = "0.400000000000000000".into();
    p1["messages"][0]["params"] = new_params;
    std::fs::write(&draft_path, p1.to_string()).unwrap();
    let r = tx(&chain, &["submit-proposal", draft_path.to_str().unwrap()]);
    assert!(r.to_string().contains("submit_proposal"), "{r}");
    assert_eq!(status(&chain, "1"), "PROPOSAL_STATUS_DEPOSIT_PERIOD");
    // Half the minimum so far; the other half opens voting.
    tx(&chain, &["deposit", "1", &format!("{}uvvv", 500 * VVV)]);
    assert_eq!(status(&chain, "1"), "PROPOSAL_STATUS_VOTING_PERIOD");

    // Proposal 2: disable sends (must be voted down).
    let p2_path = dir.path().join("p2.json");
    let p2 = serde_json::json!({
        "messages": [{
            "@type": "/cosmos.bank.v1beta1.MsgUpdateParams",
            "authority": venice_types::Address::module("gov").to_bech32(),
            "params": {"send_enabled": [], "default_send_enabled": false},
        }],
        "metadata": "",
        "deposit": format!("{}uvvv", 1000 * VVV),
        "title": "Stop sends",
        "summary": "Disable transfers",
        "expedited": false,
    });
    std::fs::write(&p2_path, p2.to_string()).unwrap();
    tx(&chain, &["submit-proposal", p2_path.to_str().unwrap()]);
    assert_eq!(status(&chain, "2"), "PROPOSAL_STATUS_VOTING_PERIOD");
    let before_votes = balance(&chain.rpc, &demo).unwrap();

    tx(&chain, &["vote", "1", "yes"]);
    tx(&chain, &["weighted-vote", "2", "no=0.9,abstain=0.1"]);
    let v = query(&chain, &["vote", "1", &demo]);
    assert_eq!(v["vote"]["options"][0]["option"], "VOTE_OPTION_YES");
    let t = query(&chain, &["tally", "2"]);
    assert_eq!(t["tally"]["no_count"], (90_000 * VVV).to_string());
    assert_eq!(query(&chain, &["deposits", "1"])["deposits"].as_array().unwrap().len(), 1);
    let voting = query(&chain, &["proposals", "--status", "voting_period"]);
    assert_eq!(voting["proposals"].as_array().unwrap().len(), 2);

    // Both end within the voting period (15 s) plus a few blocks.
    let deadline = Instant::now() + Duration::from_secs(60);
    while status(&chain, "1") == "PROPOSAL_STATUS_VOTING_PERIOD" || status(&chain, "2") == "PROPOSAL_STATUS_VOTING_PERIOD" {
        assert!(Instant::now() < deadline, "proposals did not end");
        std::thread::sleep(Duration::from_millis(500));
    }
    let p1 = query(&chain, &["proposal", "1"])["proposal"].clone();
    assert_eq!(p1["status"], "PROPOSAL_STATUS_PASSED", "{p1}");
    assert_eq!(p1["final_tally_result"]["yes_count"], (100_000 * VVV).to_string());
    assert_eq!(query(&chain, &["params"])["params"]["quorum"], "0.400000000000000000", "the passed change took effect");

    let p2 = query(&chain, &["proposal", "2"])["proposal"].clone();
    assert_eq!(p2["status"], "PROPOSAL_STATUS_REJECTED", "{p2}");
    let bank = chain.venice(&["query", "bank", "params", "--node", &chain.rpc.url(), "--output", "json"]);
    assert_eq!(stdout_json(&bank)["params"]["default_send_enabled"], true, "the rejected change did nothing");
    // Both deposits (2,000 VVV) came back; only the two vote fees were paid.
    assert_eq!(balance(&chain.rpc, &demo).unwrap(), before_votes + 2000 * VVV - 2 * 10_000);
    let passed = query(&chain, &["proposals", "--status", "passed"]);
    assert_eq!(passed["proposals"].as_array().unwrap().len(), 1);

    // Explorers read the same through the REST gateway, v1 and v1beta1.
    let api = chain.api_url();
    let r = venice_e2e::http::get(&api, "/cosmos/gov/v1/proposals/1").json();
    assert_eq!(r["proposal"]["status"], "PROPOSAL_STATUS_PASSED", "{r}");
    let r = venice_e2e::http::get(&api, "/cosmos/gov/v1beta1/proposals/2").json();
    assert_eq!(r["proposal"]["status"], "PROPOSAL_STATUS_REJECTED", "{r}");
    assert_eq!(r["proposal"]["content"]["@type"], "/cosmos.bank.v1beta1.MsgUpdateParams", "{r}");
}
