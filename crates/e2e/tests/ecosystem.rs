//! Ecosystem grants on a real one-validator chain whose genesis comes from
//! `veniced genesis allocate` (30% of the supply in the ecosystem pool): a
//! proposal with two `MsgGrant`s passes by the validator's vote; the lump
//! sum reaches its recipient, the vesting grant creates a continuous
//! vesting account whose locked coins cannot be sent; the pool shrinks by
//! both; nobody can send to the pool directly (a bank-blocked address).

use std::process::Command;
use std::time::Duration;

use cosmrs::proto::cosmos::auth::v1beta1 as authpb;
use prost::Message;
use serde_json::{Value, json};
use venice_e2e::tx::{Signer, TxSpec, account, balance, msg_send, submit};
use venice_e2e::{Chain, wait_for};
use venice_types::Address;

const VVV: u128 = 1_000_000;
const SUPPLY: u128 = 100_000_000 * VVV;

fn cli(chain: &Chain, args: &[&str]) -> (bool, Value) {
    let node = chain.rpc.url();
    let mut all = args.to_vec();
    all.extend(["--node", &node, "--output", "json"]);
    let out = chain.venice(&all);
    let text = String::from_utf8_lossy(&out.stdout);
    let v = text.find('{').and_then(|s| serde_json::from_str(text[s..].trim()).ok()).unwrap_or(Value::Null);
    (out.status.success(), v)
}

fn gov_tx(chain: &Chain, args: &[&str]) -> Value {
    let mut all = vec!["tx", "gov"];
    all.extend(args);
    all.extend(["--from", "demo", "--keyring-backend", "test", "--chain-id", &chain.chain_id]);
    all.extend(["--fees", "10000uvvv", "--gas", "600000", "--yes"]);
    let (ok, v) = cli(chain, &all);
    assert!(ok && v["code"] == 0, "venice tx gov {args:?}: {v}");
    v
}

fn pool(chain: &Chain) -> u128 {
    let (ok, v) = cli(chain, &["query", "ecosystem", "pool"]);
    assert!(ok, "{v}");
    assert_eq!(v["address"], Address::module("ecosystem_incentives").to_bech32());
    v["pool"].as_array().unwrap().iter().find(|c| c["denom"] == "uvvv").map_or(0, |c| c["amount"].as_str().unwrap().parse().unwrap())
}

#[test]
fn grants_pay_from_the_ecosystem_pool_at_once_or_vesting() {
    let mut chain = Chain::init("venice-e2e-ecosystem");
    let team = Signer::from_label("eco-team");
    let investor = Signer::from_label("eco-investor");
    let lump = Signer::from_label("eco-lump");
    let vest = Signer::from_label("eco-vest");
    let dir = chain.home.join("tokenomics");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("tokenomics.toml"),
        format!(
            "[percent]\necosystem = 30\nteam = 20\ninvestors = 15\ncommunity = 35\n\
             [[team.members]]\naddress = \"{}\"\n[[investors.members]]\naddress = \"{}\"\n",
            team.address, investor.address
        ),
    )
    .unwrap();
    let out = Command::new(chain.bins.veniced())
        .args(["genesis", "allocate", "--config", dir.join("tokenomics.toml").to_str().unwrap(), "--home", chain.home_str()])
        .output()
        .expect("run veniced genesis allocate");
    assert!(out.status.success(), "allocate failed: {}", String::from_utf8_lossy(&out.stderr));
    // A short vote keeps the test quick.
    let gpath = chain.home.join("config/genesis.json");
    let mut g: Value = serde_json::from_str(&std::fs::read_to_string(&gpath).unwrap()).unwrap();
    g["app_state"]["gov"]["params"]["voting_period"] = "8s".into();
    g["app_state"]["gov"]["params"]["expedited_voting_period"] = "4s".into();
    std::fs::write(&gpath, serde_json::to_string_pretty(&g).unwrap()).unwrap();
    chain.start();
    let demo = chain.key_address("demo");
    let start_pool = pool(&chain);
    assert_eq!(start_pool, SUPPLY * 30 / 100);

    // Users cannot send to the pool: it pays only voted grants.
    let (ok, v) = cli(
        &chain,
        &["tx", "bank", "send", "demo", &Address::module("ecosystem_incentives").to_bech32(), "5uvvv", "--keyring-backend", "test"]
            .into_iter()
            .chain(["--chain-id", &chain.chain_id, "--fees", "5000uvvv", "--yes"])
            .collect::<Vec<_>>(),
    );
    assert!(!ok || v["code"] != 0, "a send to the pool must fail: {v}");
    assert!(v.to_string().contains("not allowed to receive funds"), "{v}");

    // One proposal, two grants: 1,000 VVV at once, 500 VVV vesting over a year.
    let gov = Address::module("gov").to_bech32();
    let status = chain.rpc.call("status", json!({})).unwrap();
    let now = venice_types::time::Timestamp::parse_rfc3339(status["sync_info"]["latest_block_time"].as_str().unwrap()).unwrap().secs;
    let end = now + 365 * 24 * 3600;
    let proposal = json!({
        "messages": [
            {"@type": "/venice.ecosystem.v1.MsgGrant", "authority": gov, "recipient": lump.address,
             "amount": [{"denom": "uvvv", "amount": (1_000 * VVV).to_string()}]},
            {"@type": "/venice.ecosystem.v1.MsgGrant", "authority": gov, "recipient": vest.address,
             "amount": [{"denom": "uvvv", "amount": (500 * VVV).to_string()}],
             "vesting": {"start_time": "0", "end_time": end.to_string(), "delayed": false}},
        ],
        "metadata": "",
        "deposit": format!("{}uvvv", 1000 * VVV),
        "title": "Ecosystem grants",
        "summary": "A builder grant and a vesting contributor grant",
        "expedited": false,
    });
    let path = chain.home.join("grants.json");
    std::fs::write(&path, proposal.to_string()).unwrap();
    gov_tx(&chain, &["submit-proposal", path.to_str().unwrap()]);
    gov_tx(&chain, &["vote", "1", "yes"]);
    let p = wait_for("the grants proposal to end", Duration::from_secs(60), || {
        let (_, v) = cli(&chain, &["query", "gov", "proposal", "1"]);
        let s = v["proposal"]["status"].as_str().unwrap_or_default().to_string();
        (s != "PROPOSAL_STATUS_VOTING_PERIOD" && !s.is_empty()).then_some(v)
    });
    assert_eq!(p["proposal"]["status"], "PROPOSAL_STATUS_PASSED", "{p}");

    assert_eq!(balance(&chain.rpc, &lump.address).unwrap(), 1_000 * VVV);
    assert_eq!(balance(&chain.rpc, &vest.address).unwrap(), 500 * VVV);
    assert_eq!(pool(&chain), start_pool - 1_500 * VVV);
    let rest = venice_e2e::http::get(&chain.api_url(), "/venice/ecosystem/v1/pool").json();
    assert_eq!(rest["pool"][0]["amount"], (start_pool - 1_500 * VVV).to_string(), "{rest}");

    // The vesting grant is a continuous vesting account from the block it
    // executed in to `end`.
    let (code, log, value) = chain
        .rpc
        .abci_query("/cosmos.auth.v1beta1.Query/Account", &authpb::QueryAccountRequest { address: vest.address.clone() }.encode_to_vec())
        .unwrap();
    assert_eq!(code, 0, "{log}");
    let acc = authpb::QueryAccountResponse::decode(value.as_slice()).unwrap().account.unwrap();
    assert_eq!(acc.type_url, "/cosmos.vesting.v1beta1.ContinuousVestingAccount");
    let cva = cosmrs::proto::cosmos::vesting::v1beta1::ContinuousVestingAccount::decode(acc.value.as_slice()).unwrap();
    let base = cva.base_vesting_account.unwrap();
    assert_eq!((base.end_time, base.original_vesting[0].amount.clone()), (end, (500 * VVV).to_string()));
    assert!(cva.start_time >= now && cva.start_time < end);

    // Its locked coins do not move: with 1 VVV of its own for fees, a
    // send of 2 VVV is refused.
    let (ok, v) = cli(
        &chain,
        &["tx", "bank", "send", "demo", &vest.address, &format!("{VVV}uvvv"), "--keyring-backend", "test"]
            .into_iter()
            .chain(["--chain-id", &chain.chain_id, "--fees", "5000uvvv", "--yes"])
            .collect::<Vec<_>>(),
    );
    assert!(ok && v["code"] == 0, "{v}");
    let (number, sequence) = account(&chain.rpc, &vest.address).unwrap().expect("the vesting account");
    let mut spec = TxSpec::new(&chain.chain_id, number, sequence, vec![msg_send(&vest.address, &demo, 2 * VVV)]);
    spec.gas_limit = 200_000;
    let out = submit(&chain.rpc, &spec.sign(&vest));
    assert_eq!((out.codespace.as_str(), out.code), ("sdk", 5), "locked coins must not move: {}", out.log);
}
