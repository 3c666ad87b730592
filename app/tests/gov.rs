//! Governance through the app: proposals carrying other modules' messages
//! pass by stake and take effect, a proposal whose message fails leaves
//! state unchanged and is marked failed, a non-gov signer's MsgUpdateParams
//! fails, and the v1beta1 messages and queries wallets use work alongside.

mod common;

use common::{CHAIN_ID, FUNDS, event_attr, run_block};
use cosmos_sdk_proto::Any;
use cosmos_sdk_proto::cosmos::bank::v1beta1 as bankpb;
use cosmos_sdk_proto::cosmos::base::v1beta1::Coin as PCoin;
use cosmos_sdk_proto::cosmos::gov::{v1, v1beta1};
use cosmos_sdk_proto::cosmos::staking::v1beta1 as stakingpb;
use prost::Message;
use tendermint_proto::v0_38::abci;
use venice_sdk::Address;
use venice_sdk::testing::{TestKey, TxParams};
use venice_store::{Store, StoreOptions};
use venice_types::paths;
use veniced::App;

const VVV: u128 = 1_000_000;
const MIN_DEPOSIT: u128 = 10 * VVV;

fn gov() -> String {
    Address::module("gov").to_bech32()
}

fn app(keys: &[TestKey]) -> (tempfile::TempDir, App) {
    let mut g = common::genesis(keys);
    let p = &mut g["app_state"]["gov"]["params"];
    p["voting_period"] = "10s".into();
    p["expedited_voting_period"] = "5s".into();
    p["min_deposit"] = serde_json::json!([{"denom": "uvvv", "amount": MIN_DEPOSIT.to_string()}]);
    p["expedited_min_deposit"] = serde_json::json!([{"denom": "uvvv", "amount": (5 * MIN_DEPOSIT).to_string()}]);
    let dir = tempfile::tempdir().unwrap();
    let app = App::new(Store::open(&dir.path().join("db"), StoreOptions::default()).unwrap(), vec![]);
    app.init_chain(veniced::genesis::init_chain_request(&g).unwrap()).unwrap();
    (dir, app)
}

fn params(idx: u64, seq: u64) -> TxParams {
    TxParams { chain_id: CHAIN_ID.into(), account_number: idx, sequence: seq, gas: 800_000, ..Default::default() }
}

fn any<M: prost::Name>(m: &M) -> Any {
    Any { type_url: format!("/{}", M::full_name()), value: m.encode_to_vec() }
}

fn create_validator(k: &TestKey, amount: u128) -> Any {
    any(&stakingpb::MsgCreateValidator {
        description: Some(stakingpb::Description { moniker: "v".into(), ..Default::default() }),
        commission: Some(stakingpb::CommissionRates {
            rate: "100000000000000000".into(),
            max_rate: "200000000000000000".into(),
            max_change_rate: "10000000000000000".into(),
        }),
        min_self_delegation: "1".into(),
        #[allow(deprecated)]
        delegator_address: String::new(),
        validator_address: k.address().to_valoper(),
        pubkey: Some(venice_staking::types::ed25519_any(&[1; 32])),
        value: Some(PCoin { denom: "uvvv".into(), amount: amount.to_string() }),
    })
}

fn bank_update(default_send_enabled: bool, per_denom: bool, authority: &str) -> Any {
    #[allow(deprecated)]
    let params = bankpb::Params {
        send_enabled: if per_denom { vec![bankpb::SendEnabled { denom: "uvvv".into(), enabled: true }] } else { vec![] },
        default_send_enabled,
    };
    any(&bankpb::MsgUpdateParams { authority: authority.into(), params: Some(params) })
}

fn submit(k: &TestKey, messages: Vec<Any>, title: &str) -> Any {
    any(&v1::MsgSubmitProposal {
        messages,
        initial_deposit: vec![PCoin { denom: "uvvv".into(), amount: MIN_DEPOSIT.to_string() }],
        proposer: k.address().to_bech32(),
        metadata: "ipfs://meta".into(),
        title: title.into(),
        summary: "a summary".into(),
        expedited: false,
    })
}

fn vote(k: &TestKey, id: u64) -> Any {
    any(&v1::MsgVote { proposal_id: id, voter: k.address().to_bech32(), option: 1, metadata: String::new() })
}

fn query<Req: Message, Resp: Message + Default>(app: &App, path: &str, req: Req) -> Resp {
    let r = app.query(abci::RequestQuery { path: path.into(), data: req.encode_to_vec().into(), height: 0, prove: false });
    assert_eq!(r.code, 0, "{path}: {}", r.log);
    Resp::decode(r.value.as_ref()).unwrap()
}

fn proposal(app: &App, id: u64) -> v1::Proposal {
    let r: v1::QueryProposalResponse = query(app, "/cosmos.gov.v1.Query/Proposal", v1::QueryProposalRequest { proposal_id: id });
    r.proposal.unwrap()
}

fn send_enabled(app: &App) -> bool {
    let r: bankpb::QueryParamsResponse = query(app, paths::bank::PARAMS, bankpb::QueryParamsRequest {});
    r.params.unwrap().default_send_enabled
}

fn ok(r: &abci::ResponseFinalizeBlock) {
    for t in &r.tx_results {
        assert_eq!(t.code, 0, "{}", t.log);
    }
}

#[test]
fn proposals_execute_as_gov_all_or_nothing_and_only_gov_may_update_params() {
    let keys: Vec<TestKey> = (0..3).map(TestKey::from_seed).collect();
    let (_d, app) = app(&keys);
    // Block 1: key 1 runs the only validator (30 VVV bonded).
    ok(&run_block(&app, 1, vec![keys[1].sign_tx(vec![create_validator(&keys[1], 30 * VVV)], &params(1, 0))]));

    // A non-gov signer's MsgUpdateParams fails (gov's ErrInvalidSigner).
    let r = run_block(&app, 2, vec![keys[2].sign_tx(vec![bank_update(false, false, &keys[2].address().to_bech32())], &params(2, 0))]);
    assert_eq!((r.tx_results[0].codespace.as_str(), r.tx_results[0].code), ("gov", 13), "{}", r.tx_results[0].log);
    assert!(send_enabled(&app));

    // Proposal 1: a good change, then a bad one: must fail whole.
    let failing = submit(&keys[0], vec![bank_update(false, false, &gov()), bank_update(false, true, &gov())], "fails");
    let r = run_block(&app, 3, vec![keys[0].sign_tx(vec![failing], &params(0, 0))]);
    ok(&r);
    assert_eq!(event_attr(&r.tx_results[0].events, "submit_proposal", "proposal_id"), vec!["1".to_string()]);
    assert_eq!(event_attr(&r.tx_results[0].events, "submit_proposal", "voting_period_start"), vec!["1".to_string()]);
    assert_eq!(proposal(&app, 1).status, v1::ProposalStatus::VotingPeriod as i32);
    // Proposal 2 (a block later): the same good change alone. Key 1 votes
    // on both, the second time signing in amino JSON as Keplr would.
    let passing = submit(&keys[0], vec![bank_update(false, false, &gov())], "passes");
    ok(&run_block(&app, 4, vec![keys[0].sign_tx(vec![passing], &params(0, 1)), keys[1].sign_tx(vec![vote(&keys[1], 1)], &params(1, 1))]));
    let r = run_block(&app, 5, vec![keys[1].sign_tx_amino(vec![vote(&keys[1], 2)], &params(1, 2))]);
    ok(&r);
    assert_eq!(event_attr(&r.tx_results[0].events, "proposal_vote", "proposal_id"), vec!["2".to_string()]);
    let tally: v1::QueryTallyResultResponse =
        query(&app, "/cosmos.gov.v1.Query/TallyResult", v1::QueryTallyResultRequest { proposal_id: 2 });
    assert_eq!(tally.tally.unwrap().yes_count, (30 * VVV).to_string());
    let deposits = common::balance_of(&app, &keys[0]);
    assert_eq!(deposits, FUNDS - 2 * MIN_DEPOSIT - 10_000);

    // Proposal 1 ends at block time +13 (submitted at +3, 10 s voting).
    let mut ended = None;
    for h in 6..=13 {
        let r = run_block(&app, h, vec![]);
        if !event_attr(&r.events, "active_proposal", "proposal_id").is_empty() {
            ended = Some((h, r));
            break;
        }
    }
    let (h, r) = ended.expect("proposal 1 ended");
    assert_eq!(h, 13);
    assert_eq!(event_attr(&r.events, "active_proposal", "proposal_result"), vec!["proposal_failed".to_string()]);
    let p = proposal(&app, 1);
    assert_eq!(p.status, v1::ProposalStatus::Failed as i32);
    assert!(p.failed_reason.contains("send_enabled"), "{}", p.failed_reason);
    assert!(send_enabled(&app), "the first message's change was rolled back");
    assert_eq!(common::balance_of(&app, &keys[0]), deposits + MIN_DEPOSIT, "deposit refunded");

    let r = run_block(&app, 14, vec![]);
    assert_eq!(event_attr(&r.events, "active_proposal", "proposal_result"), vec!["proposal_passed".to_string()]);
    assert_eq!(proposal(&app, 2).status, v1::ProposalStatus::Passed as i32);
    assert!(!send_enabled(&app), "the passed change took effect");
    let r = run_block(&app, 15, vec![keys[2].sign_send(&keys[0].address(), 1, CHAIN_ID, 2, 1, 5000, 200_000)]);
    assert_eq!((r.tx_results[0].codespace.as_str(), r.tx_results[0].code), ("bank", 4), "{}", r.tx_results[0].log);

    // Status filter.
    let r: v1::QueryProposalsResponse = query(
        &app,
        "/cosmos.gov.v1.Query/Proposals",
        v1::QueryProposalsRequest { proposal_status: v1::ProposalStatus::Passed as i32, ..Default::default() },
    );
    assert_eq!(r.proposals.iter().map(|p| p.id).collect::<Vec<_>>(), vec![2]);
}

#[test]
fn v1beta1_text_proposals_votes_and_queries() {
    let keys: Vec<TestKey> = (0..2).map(TestKey::from_seed).collect();
    let (_d, app) = app(&keys);
    ok(&run_block(&app, 1, vec![keys[1].sign_tx(vec![create_validator(&keys[1], 30 * VVV)], &params(1, 0))]));
    let text = any(&v1beta1::TextProposal { title: "Hello".into(), description: "World".into() });
    let submit = any(&v1beta1::MsgSubmitProposal {
        content: Some(text),
        initial_deposit: vec![PCoin { denom: "uvvv".into(), amount: (MIN_DEPOSIT / 2).to_string() }],
        proposer: keys[0].address().to_bech32(),
    });
    // Amino JSON signing of the legacy message (cosmos-sdk/MsgSubmitProposal).
    ok(&run_block(&app, 2, vec![keys[0].sign_tx_amino(vec![submit], &params(0, 0))]));
    let deposit = any(&v1beta1::MsgDeposit {
        proposal_id: 1,
        depositor: keys[1].address().to_bech32(),
        amount: vec![PCoin { denom: "uvvv".into(), amount: (MIN_DEPOSIT / 2).to_string() }],
    });
    let r = run_block(&app, 3, vec![keys[1].sign_tx(vec![deposit], &params(1, 1))]);
    ok(&r);
    assert_eq!(event_attr(&r.tx_results[0].events, "proposal_deposit", "voting_period_start"), vec!["1".to_string()]);
    let vote = any(&v1beta1::MsgVoteWeighted {
        proposal_id: 1,
        voter: keys[1].address().to_bech32(),
        options: vec![
            v1beta1::WeightedVoteOption { option: 1, weight: "700000000000000000".into() },
            v1beta1::WeightedVoteOption { option: 3, weight: "300000000000000000".into() },
        ],
    });
    ok(&run_block(&app, 4, vec![keys[1].sign_tx_amino(vec![vote], &params(1, 2))]));

    let r: v1beta1::QueryProposalResponse =
        query(&app, "/cosmos.gov.v1beta1.Query/Proposal", v1beta1::QueryProposalRequest { proposal_id: 1 });
    let p = r.proposal.unwrap();
    let content = p.content.unwrap();
    assert_eq!(content.type_url, "/cosmos.gov.v1beta1.TextProposal");
    assert_eq!(v1beta1::TextProposal::decode(content.value.as_slice()).unwrap().title, "Hello");
    let r: v1beta1::QueryVoteResponse =
        query(&app, "/cosmos.gov.v1beta1.Query/Vote", v1beta1::QueryVoteRequest { proposal_id: 1, voter: keys[1].address().to_bech32() });
    assert_eq!(r.vote.unwrap().options[0].weight, "700000000000000000");
    let r: v1beta1::QueryParamsResponse =
        query(&app, "/cosmos.gov.v1beta1.Query/Params", v1beta1::QueryParamsRequest { params_type: "tallying".into() });
    assert_eq!(r.tally_params.unwrap().quorum, b"334000000000000000".to_vec());
    let r: v1beta1::QueryDepositsResponse =
        query(&app, "/cosmos.gov.v1beta1.Query/Deposits", v1beta1::QueryDepositsRequest { proposal_id: 1, pagination: None });
    assert_eq!(r.deposits.len(), 2);

    for h in 5..=13 {
        run_block(&app, h, vec![]);
    }
    let r: v1beta1::QueryTallyResultResponse =
        query(&app, "/cosmos.gov.v1beta1.Query/TallyResult", v1beta1::QueryTallyResultRequest { proposal_id: 1 });
    let t = r.tally.unwrap();
    assert_eq!((t.yes, t.no), ((21 * VVV).to_string(), (9 * VVV).to_string()));
    assert_eq!(proposal(&app, 1).status, v1::ProposalStatus::Passed as i32);
}
