//! VVV tokenomics on a real one-validator chain: genesis from `veniced
//! genesis allocate` (vesting team and investor accounts, the ecosystem
//! pool, an airdrop with its proofs file, the community pool); a vesting
//! account cannot send its locked coins (ABCI error) but can delegate them;
//! an airdrop claim with a valid proof pays once, a forged or second claim
//! fails with the airdrop's codes; the state exports and re-imports.

use std::process::Command;
use std::time::Duration;

use cosmrs::proto::cosmos::auth::v1beta1 as authpb;
use cosmrs::proto::cosmos::bank::v1beta1 as bankpb;
use cosmrs::proto::cosmos::base::v1beta1::Coin;
use cosmrs::proto::cosmos::staking::v1beta1 as stakingpb;
use cosmrs::proto::cosmos::vesting::v1beta1 as vestpb;
use prost::Message;
use serde_json::Value;
use venice_e2e::Chain;
use venice_e2e::tx::{Outcome, Signer, TxSpec, account, any, balance, msg_send, submit};
use venice_types::airdrop as droppb;

const VVV: u128 = 1_000_000;
const SUPPLY: u128 = 100_000_000 * VVV;

fn abci<Resp: Message + Default>(chain: &Chain, path: &str, req: impl Message) -> Resp {
    let (code, log, value) = chain.rpc.abci_query(path, &req.encode_to_vec()).expect("abci_query");
    assert_eq!(code, 0, "{path}: {log}");
    Resp::decode(value.as_slice()).unwrap()
}

fn tx(chain: &Chain, signer: &Signer, msg: cosmrs::Any) -> Outcome {
    let (number, sequence) = account(&chain.rpc, &signer.address).unwrap().expect("account exists");
    let mut spec = TxSpec::new(&chain.chain_id, number, sequence, vec![msg]);
    spec.gas_limit = 400_000;
    submit(&chain.rpc, &spec.sign(signer))
}

fn cli_json(chain: &Chain, args: &[&str]) -> (bool, Value) {
    let node = chain.rpc.url();
    let mut all = args.to_vec();
    all.extend(["--node", &node, "--output", "json"]);
    let out = chain.venice(&all);
    let text = String::from_utf8_lossy(&out.stdout);
    (out.status.success(), serde_json::from_str(text.trim()).unwrap_or(Value::Null))
}

fn claim_cli(chain: &Chain, proofs: &str, sign_mode: &str) -> (bool, Value) {
    let args = ["tx", "airdrop", "claim", "--proofs-file", proofs, "--from", "claimer", "--chain-id", &chain.chain_id];
    let mut all = args.to_vec();
    all.extend(["--keyring-backend", "test", "--yes", "--fees", "5000uvvv", "--sign-mode", sign_mode]);
    cli_json(chain, &all)
}

#[test]
fn tokenomics_genesis_vesting_and_airdrop_claims() {
    let mut chain = Chain::init("venice-e2e-vesting");
    let team = Signer::from_label("vest-team");
    let investor = Signer::from_label("vest-investor");
    let alice = Signer::from_label("vest-alice");
    let other = Signer::from_label("drop-other");
    let claimer = chain.key_add("claimer");
    // Claimants pay their fees from an ordinary balance.
    chain.add_genesis_account(&alice.address, &format!("{}uvvv", 1_000 * VVV));
    chain.add_genesis_account(&claimer, &format!("{}uvvv", VVV));
    chain.add_genesis_account(&other.address, &format!("{}uvvv", VVV));

    // The tokenomics config and the airdrop list, next to each other.
    let dir = chain.home.join("tokenomics");
    std::fs::create_dir_all(&dir).unwrap();
    let cfg =
        venice_e2e::localnet::write_tokenomics(&dir, &team.address, &investor.address, &[(&claimer, 5 * VVV), (&other.address, 7 * VVV)]);
    let out = Command::new(chain.bins.veniced())
        .args(["genesis", "allocate", "--config", cfg.to_str().unwrap(), "--home", chain.home_str()])
        .output()
        .expect("run veniced genesis allocate");
    assert!(out.status.success(), "allocate failed: {}", String::from_utf8_lossy(&out.stderr));
    let summary: Value = serde_json::from_slice(&out.stdout).expect("allocate prints JSON");
    assert_eq!(summary["total"], SUPPLY.to_string());
    assert_eq!(summary["team"], (SUPPLY / 5).to_string());
    assert_eq!(summary["airdrop"], (12 * VVV).to_string());
    assert_eq!(summary["community_pool"], (SUPPLY * 35 / 100 - 12 * VVV).to_string());
    let proofs_path = chain.home.join("config/airdrop-proofs.json");
    let proofs: Value = serde_json::from_str(&std::fs::read_to_string(&proofs_path).unwrap()).unwrap();
    assert_eq!(proofs["claims"][&claimer]["amount"], (5 * VVV).to_string());
    let proofs_path = proofs_path.to_str().unwrap().to_string();

    chain.start();
    chain.wait_height(3, Duration::from_secs(30));

    // The team's account is a periodic vesting account holding its grant.
    let acc: authpb::QueryAccountResponse =
        abci(&chain, "/cosmos.auth.v1beta1.Query/Account", authpb::QueryAccountRequest { address: team.address.clone() });
    let any_acc = acc.account.unwrap();
    assert_eq!(any_acc.type_url, "/cosmos.vesting.v1beta1.PeriodicVestingAccount");
    let pva = vestpb::PeriodicVestingAccount::decode(any_acc.value.as_slice()).unwrap();
    assert_eq!(pva.base_vesting_account.as_ref().unwrap().original_vesting[0].amount, (SUPPLY / 5).to_string());
    assert_eq!(balance(&chain.rpc, &team.address).unwrap(), SUPPLY / 5);
    let ecosystem = venice_types::Address::module("ecosystem_incentives").to_bech32();
    assert_eq!(balance(&chain.rpc, &ecosystem).unwrap(), SUPPLY * 30 / 100);

    // Free coins for fees; then more than those is refused: the rest is locked.
    let out = tx(&chain, &alice, msg_send(&alice.address, &team.address, VVV));
    assert_eq!(out.code, 0, "{}", out.log);
    let spendable: bankpb::QuerySpendableBalanceByDenomResponse = abci(
        &chain,
        "/cosmos.bank.v1beta1.Query/SpendableBalanceByDenom",
        bankpb::QuerySpendableBalanceByDenomRequest { address: team.address.clone(), denom: "uvvv".into() },
    );
    assert_eq!(spendable.balance.unwrap().amount, VVV.to_string());
    let out = tx(&chain, &team, msg_send(&team.address, &alice.address, 2 * VVV));
    assert_eq!((out.codespace.as_str(), out.code), ("sdk", 5), "locked coins must not move: {}", out.log);
    assert!(out.log.contains("spendable balance"), "{}", out.log);

    // Delegating locked coins works, and the account tracks it.
    let vals: stakingpb::QueryValidatorsResponse = abci(
        &chain,
        "/cosmos.staking.v1beta1.Query/Validators",
        stakingpb::QueryValidatorsRequest { status: "BOND_STATUS_BONDED".into(), pagination: None },
    );
    let val = vals.validators[0].operator_address.clone();
    let delegate = stakingpb::MsgDelegate {
        delegator_address: team.address.clone(),
        validator_address: val.clone(),
        amount: Some(Coin { denom: "uvvv".into(), amount: (1_000 * VVV).to_string() }),
    };
    let out = tx(&chain, &team, any("/cosmos.staking.v1beta1.MsgDelegate", delegate.encode_to_vec()));
    assert_eq!(out.code, 0, "delegating locked coins: {} {}", out.codespace, out.log);
    let acc: authpb::QueryAccountResponse =
        abci(&chain, "/cosmos.auth.v1beta1.Query/Account", authpb::QueryAccountRequest { address: team.address.clone() });
    let pva = vestpb::PeriodicVestingAccount::decode(acc.account.unwrap().value.as_slice()).unwrap();
    assert_eq!(pva.base_vesting_account.unwrap().delegated_vesting[0].amount, (1_000 * VVV).to_string());
    let d: stakingpb::QueryDelegationResponse = abci(
        &chain,
        "/cosmos.staking.v1beta1.Query/Delegation",
        stakingpb::QueryDelegationRequest { delegator_addr: team.address.clone(), validator_addr: val },
    );
    assert_eq!(d.delegation_response.unwrap().balance.unwrap().amount, (1_000 * VVV).to_string());
    // The CLI reads the vesting account (number and sequence for signing).
    let (ok, acc_json) = cli_json(&chain, &["query", "auth", "account", &team.address]);
    assert!(ok);
    assert_eq!(acc_json["base_vesting_account"]["base_account"]["address"], team.address);

    // The airdrop: a valid claim pays once (through the CLI and the proofs file).
    let before = balance(&chain.rpc, &claimer).unwrap();
    let (ok, out) = claim_cli(&chain, &proofs_path, "direct");
    assert!(ok, "claim failed: {out}");
    assert_eq!(out["code"], 0);
    assert_eq!(balance(&chain.rpc, &claimer).unwrap(), before + 5 * VVV - 5000);
    // Signed as amino JSON this time: the signature verifies, the claim does not.
    let (ok, out) = claim_cli(&chain, &proofs_path, "amino-json");
    assert!(!ok, "a second claim must fail");
    assert_eq!((out["codespace"].as_str(), out["code"].as_u64()), (Some("airdrop"), Some(4)), "{out}");
    assert_eq!(balance(&chain.rpc, &claimer).unwrap(), before + 5 * VVV - 2 * 5000);
    // A forged proof: the other claimant asks for more than listed.
    let proof: Vec<Vec<u8>> =
        proofs["claims"][&other.address]["proof"].as_array().unwrap().iter().map(|h| hex::decode(h.as_str().unwrap()).unwrap()).collect();
    let forged = droppb::MsgClaim { claimer: other.address.clone(), amount: (70 * VVV).to_string(), proof };
    let out = tx(&chain, &other, any(droppb::MSG_CLAIM_URL, forged.encode_to_vec()));
    assert_eq!((out.codespace.as_str(), out.code), ("airdrop", 3), "{}", out.log);
    let (ok, rec) = cli_json(&chain, &["query", "airdrop", "claimed", &claimer]);
    assert!(ok);
    assert_eq!(rec["claimed"], true);
    let (_, rec) = cli_json(&chain, &["query", "airdrop", "claimed", &other.address]);
    assert_eq!(rec["claimed"], false);
    // The REST gateway serves the airdrop's and bank's spendable routes.
    let api = chain.api_url();
    let r = venice_e2e::http::get(&api, &format!("/venice/airdrop/v1/claim_records/{claimer}")).json();
    assert_eq!((r["claimed"].as_bool(), r["amount"]["amount"].as_str()), (Some(true), Some("5000000")), "{r}");
    let r = venice_e2e::http::get(&api, &format!("/cosmos/bank/v1beta1/spendable_balances/{}/by_denom?denom=uvvv", team.address)).json();
    assert_eq!(r["balance"]["amount"], (VVV - 2 * 5000).to_string(), "{r}");
    let r = venice_e2e::http::get(&api, &format!("/cosmos/auth/v1beta1/accounts/{}", team.address)).json();
    assert_eq!(r["account"]["@type"], "/cosmos.vesting.v1beta1.PeriodicVestingAccount", "{r}");
    let (_, info) = cli_json(&chain, &["query", "airdrop", "info"]);
    assert_eq!(info["claimed"]["amount"], (5 * VVV).to_string());
    assert_eq!(info["remaining"]["amount"], (7 * VVV).to_string());
    assert_eq!(info["swept"], false);

    // A vesting account created by a message (the SDK CLI's command).
    let fresh = Signer::from_label("vest-fresh");
    let args = ["tx", "vesting", "create-vesting-account", &fresh.address, "2000000uvvv", "4102444800", "--delayed"];
    let mut all = args.to_vec();
    all.extend(["--from", "claimer", "--chain-id", &chain.chain_id, "--keyring-backend", "test", "--yes", "--fees", "5000uvvv"]);
    let (ok, out) = cli_json(&chain, &all);
    assert!(ok, "create-vesting-account: {out}");
    let (_, acc_json) = cli_json(&chain, &["query", "auth", "account", &fresh.address]);
    assert_eq!(acc_json["@type"], "/cosmos.vesting.v1beta1.DelayedVestingAccount", "{acc_json}");
    assert_eq!(acc_json["base_vesting_account"]["end_time"], "4102444800");
    assert_eq!(balance(&chain.rpc, &fresh.address).unwrap(), 2 * VVV);

    // Export: the vesting account keeps its SDK shape and tracking, and the
    // exported genesis initialises a chain again.
    chain.stop("cometbft");
    chain.stop("veniced");
    let out = Command::new(chain.bins.veniced()).args(["genesis", "export", "--home", chain.home_str()]).output().unwrap();
    assert!(out.status.success(), "export: {}", String::from_utf8_lossy(&out.stderr));
    let exported: Value = serde_json::from_slice(&out.stdout).unwrap();
    let accounts = exported["app_state"]["auth"]["accounts"].as_array().unwrap();
    let t = accounts.iter().find(|a| a["base_vesting_account"]["base_account"]["address"] == team.address.as_str()).unwrap();
    assert_eq!(t["@type"], "/cosmos.vesting.v1beta1.PeriodicVestingAccount");
    assert_eq!(t["base_vesting_account"]["delegated_vesting"][0]["amount"], (1_000 * VVV).to_string());
    assert_eq!(exported["app_state"]["airdrop"]["claims"][0]["address"], claimer.as_str());
    std::fs::write(chain.home.join("config/genesis.json"), serde_json::to_vec_pretty(&exported).unwrap()).unwrap();
    let out = Command::new(chain.bins.veniced()).args(["genesis", "validate", "--home", chain.home_str()]).output().unwrap();
    assert!(out.status.success(), "re-import: {} {}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
}
