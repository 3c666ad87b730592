//! Fee routing through CometBFT and the CLI (one validator, the dev
//! genesis of localnet/init.sh, which lists uvvv and ustable as fee
//! denoms): `--fees 12ustable` is accepted, `--fees 12unotlisted` refused
//! with the fees module's code; the next block splits the fee exactly as
//! the params say (community pool, ecosystem pool, burn); a gov proposal
//! carrying the fees `MsgUpdateParams` changes the split.

use std::process::Output;
use std::time::{Duration, Instant};

use serde_json::Value;
use venice_e2e::stdout_json;
use venice_e2e::{Chain, Cli};

const VVV: u128 = 1_000_000;

fn query(chain: &Chain, args: &[&str]) -> Value {
    Cli::new(chain).query(&[&["query"], args].concat())
}

fn gov_tx(chain: &Chain, args: &[&str]) -> Value {
    Cli::new(chain).tx_fixed(&[&["tx", "gov"], args].concat(), "demo", "600000", "10000uvvv")
}

fn bank_balance(chain: &Chain, addr: &str, denom: &str) -> u128 {
    let v = query(chain, &["bank", "balances", addr]);
    v["balances"].as_array().unwrap().iter().find(|c| c["denom"] == denom).map_or(0, |c| c["amount"].as_str().unwrap().parse().unwrap())
}

fn supply(chain: &Chain, denom: &str) -> u128 {
    let v = query(chain, &["bank", "total"]);
    let list = v["supply"].as_array().unwrap_or_else(|| panic!("{v}"));
    list.iter().find(|c| c["denom"] == denom).map_or(0, |c| c["amount"].as_str().unwrap().parse().unwrap())
}

/// The community pool's `ustable`, whole units (its decimals are zero here).
fn community_pool(chain: &Chain, denom: &str) -> String {
    let v = query(chain, &["distribution", "community-pool"]);
    v["pool"].as_array().unwrap().iter().find(|c| c["denom"] == denom).map_or("0".into(), |c| c["amount"].as_str().unwrap().to_string())
}

/// Send 1uvvv from demo paying `fee`; the CLI's JSON.
fn send(chain: &Chain, to: &str, fee: &str) -> Output {
    chain.bank_send_to(&chain.rpc.url(), &chain.chain_id, "demo", to, "1uvvv", &["--fees", fee])
}

/// Waits for the block after `height` plus one: the fee of a tx in block
/// `height` is split in the begin block of `height + 1`.
fn after_split(chain: &mut Chain, height: u64) {
    chain.wait_height(height + 2, Duration::from_secs(30));
}

#[test]
fn fees_in_listed_denoms_split_by_governed_ratios() {
    let mut chain = Chain::init("venice-e2e-fees");
    chain.without_emissions();
    let gpath = chain.home.join("config/genesis.json");
    let mut g: Value = serde_json::from_str(&std::fs::read_to_string(&gpath).unwrap()).unwrap();
    assert_eq!(
        g["app_state"]["fees"]["params"]["min_gas_prices"],
        serde_json::json!([{"denom": "ustable", "amount": "0.00005"}, {"denom": "uvvv", "amount": "0"}]),
        "the dev genesis lists uvvv and ustable"
    );
    // 0.5 stakers / 0.2 community / 0.2 ecosystem / 0.1 burn; no community
    // tax, so the one validator's stakers' leg leaves nothing in the pool.
    g["app_state"]["fees"]["params"]["tx_fee_split"] =
        serde_json::json!({"stakers": "0.5", "community_pool": "0.2", "ecosystem": "0.2", "burn": "0.1"});
    g["app_state"]["distribution"]["params"]["community_tax"] = "0.000000000000000000".into();
    g["app_state"]["gov"]["params"]["voting_period"] = "10s".into();
    g["app_state"]["gov"]["params"]["expedited_voting_period"] = "5s".into();
    std::fs::write(&gpath, serde_json::to_string_pretty(&g).unwrap()).unwrap();
    chain.start();
    chain.wait_height(2, Duration::from_secs(30));
    let demo = chain.key_address("demo");
    let bob = chain.key_add("bob");
    let eco = venice_types::Address::module("ecosystem_incentives").to_bech32();

    // The CLI's queries.
    let p = query(&chain, &["fees", "params"]);
    assert_eq!(p["params"]["tx_fee_split"]["ecosystem"], "0.200000000000000000", "{p}");
    let s = query(&chain, &["fees", "split", "--amount", "12ustable"]);
    let preview: Vec<(String, String)> = s["tx_fee_preview"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (l["leg"].as_str().unwrap().into(), l["amount"][0]["amount"].as_str().unwrap().into()))
        .collect();
    // 12: stakers 6, community floor(2.4)=2, ecosystem 2, burn floor(1.2)=1, remainder 1.
    let want: Vec<(String, String)> = [("stakers", "6"), ("community_pool", "2"), ("ecosystem", "2"), ("burn", "1"), ("remainder", "1")]
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    assert_eq!(preview, want, "{s}");
    assert_eq!(s["remainder_sink"], "community_pool");
    // The same through the REST gateway.
    let api = chain.api_url();
    let r = venice_e2e::http::get(&api, "/venice/fees/v1/split?amount=12ustable").json();
    assert_eq!(r["tx_fee_split"]["stakers"], "0.500000000000000000", "{r}");
    assert_eq!(r["tx_fee_preview"].as_array().map(Vec::len), Some(5), "{r}");
    let r = venice_e2e::http::get(&api, "/venice/fees/v1/params").json();
    assert_eq!(r["params"]["min_gas_prices"][0]["denom"], "ustable", "{r}");

    // An unlisted fee denom is refused at CheckTx with the fees code.
    let before = chain.height();
    let out = send(&chain, &bob, "12unotlisted");
    assert!(!out.status.success(), "an unlisted fee denom must fail");
    let resp = stdout_json(&out);
    assert_eq!((resp["codespace"].as_str(), resp["code"].as_u64()), (Some("fees"), Some(2)), "{resp}");
    assert!(resp["raw_log"].as_str().unwrap().contains("fee denom unotlisted is not accepted"), "{resp}");
    assert_eq!(bank_balance(&chain, &bob, "uvvv"), 0);
    assert!(chain.height() >= before);

    // A listed one is accepted; the next block splits it exactly.
    let (pool0, eco0, supply0) = (community_pool(&chain, "ustable"), bank_balance(&chain, &eco, "ustable"), supply(&chain, "ustable"));
    let out = send(&chain, &bob, "12ustable");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let r = stdout_json(&out);
    assert_eq!(r["code"], 0, "{r}");
    let h: u64 = r["height"].as_str().map(|s| s.parse().unwrap()).or(r["height"].as_u64()).unwrap();
    after_split(&mut chain, h);
    let pool0: f64 = pool0.parse().unwrap();
    let pool1: f64 = community_pool(&chain, "ustable").parse().unwrap();
    assert_eq!(pool1 - pool0, 3.0, "community 2 + remainder 1");
    assert_eq!(bank_balance(&chain, &eco, "ustable"), eco0 + 2);
    assert_eq!(supply(&chain, "ustable"), supply0 - 1, "the burn leg");
    assert_eq!(bank_balance(&chain, &venice_e2e::chain::fee_collector(), "ustable"), 0, "the stakers' leg was distributed");

    // Governance changes the split: burn half, stake half.
    let dir = tempfile::tempdir().unwrap();
    let draft = dir.path().join("fees.json");
    let out = chain.venice(&[
        "tx",
        "gov",
        "draft-proposal",
        "--msg-type",
        "/venice.fees.v1.MsgUpdateParams",
        "--title",
        "Burn half of tx fees",
        "--summary",
        "tx_fee_split: 0.5 stakers, 0.5 burn",
        "--deposit",
        &format!("{}uvvv", 1000 * VVV),
        "--out",
        draft.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "draft-proposal failed: {}", String::from_utf8_lossy(&out.stderr));
    let mut doc: Value = serde_json::from_str(&std::fs::read_to_string(&draft).unwrap()).unwrap();
    assert_eq!(doc["messages"][0]["@type"], "/venice.fees.v1.MsgUpdateParams");
    assert_eq!(doc["messages"][0]["authority"], venice_types::Address::module("gov").to_bech32());
    let mut params = p["params"].clone();
    params["tx_fee_split"] = serde_json::json!({"stakers": "0.5", "burn": "0.5"});
    doc["messages"][0]["params"] = params;
    std::fs::write(&draft, doc.to_string()).unwrap();
    gov_tx(&chain, &["submit-proposal", draft.to_str().unwrap()]);
    let id = "1".to_string(); // the chain's first proposal
    gov_tx(&chain, &["vote", &id, "yes"]);
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let st = query(&chain, &["gov", "proposal", &id])["proposal"]["status"].as_str().unwrap().to_string();
        if st != "PROPOSAL_STATUS_VOTING_PERIOD" {
            assert_eq!(st, "PROPOSAL_STATUS_PASSED");
            break;
        }
        assert!(Instant::now() < deadline, "the proposal did not end");
        std::thread::sleep(Duration::from_millis(500));
    }
    let p = query(&chain, &["fees", "params"]);
    assert_eq!(p["params"]["tx_fee_split"]["burn"], "0.500000000000000000", "{p}");
    assert_eq!(p["params"]["tx_fee_split"]["ecosystem"], "0.000000000000000000", "{p}");

    // The new split applies to the next fee.
    let (eco0, supply0) = (bank_balance(&chain, &eco, "ustable"), supply(&chain, "ustable"));
    let out = send(&chain, &bob, "12ustable");
    let r = stdout_json(&out);
    assert_eq!(r["code"], 0, "{r}");
    let h: u64 = r["height"].as_str().map(|s| s.parse().unwrap()).or(r["height"].as_u64()).unwrap();
    after_split(&mut chain, h);
    assert_eq!(supply(&chain, "ustable"), supply0 - 6, "half burned");
    assert_eq!(bank_balance(&chain, &eco, "ustable"), eco0, "no ecosystem leg any more");
    assert!(bank_balance(&chain, &demo, "ustable") > 0);
}
