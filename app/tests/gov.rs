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
    k.create_validator_msg(&[1; 32], amount)
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

/// Every module's `MsgUpdateParams` (auth, staking, distribution, mint,
/// slashing, wasm) and `MsgCommunityPoolSpend`: a non-gov signer fails;
/// good values pass by proposal and show in each module's Params query; a
/// bad value fails its proposal and changes nothing.
#[test]
fn every_module_params_change_only_by_gov_and_bad_values_fail_their_proposal() {
    use cosmos_sdk_proto::cosmos::slashing::v1beta1 as slashpb;
    use cosmos_sdk_proto::cosmos::{auth::v1beta1 as authpb, distribution::v1beta1 as distrpb, mint::v1beta1 as mintpb};
    use cosmos_sdk_proto::cosmwasm::wasm::v1 as wasmpb;
    use tendermint_proto::google::protobuf::Duration;

    let keys: Vec<TestKey> = (0..4).map(TestKey::from_seed).collect();
    let (_d, app) = app(&keys);
    let dec = |s: &str| venice_types::Dec::parse(s).unwrap().to_atto_string();
    let auth_p = |memo: u64, sig_limit: u64| authpb::Params {
        max_memo_characters: memo,
        tx_sig_limit: sig_limit,
        tx_size_cost_per_byte: 10,
        sig_verify_cost_ed25519: 590,
        sig_verify_cost_secp256k1: 1000,
    };
    let staking_p = |max_validators: u32, denom: &str| stakingpb::Params {
        unbonding_time: Some(Duration { seconds: 100, nanos: 0 }),
        max_validators,
        max_entries: 7,
        historical_entries: 100,
        bond_denom: denom.into(),
        min_commission_rate: dec("0.01"),
    };
    #[allow(deprecated)]
    let distr_p = |tax: &str| distrpb::Params {
        community_tax: dec(tax),
        base_proposer_reward: dec("0"),
        bonus_proposer_reward: dec("0"),
        withdraw_addr_enabled: true,
    };
    let mint_p = |min: &str, max: &str| mintpb::Params {
        mint_denom: "uvvv".into(),
        inflation_rate_change: dec("0.05"),
        inflation_max: dec(max),
        inflation_min: dec(min),
        goal_bonded: dec("0.6"),
        blocks_per_year: 6_311_520,
    };
    let slash_p = |window: i64, downtime: &str| slashpb::Params {
        signed_blocks_window: window,
        min_signed_per_window: dec("0.5").into_bytes(),
        downtime_jail_duration: Some(Duration { seconds: 60, nanos: 0 }),
        slash_fraction_double_sign: dec("0.05").into_bytes(),
        slash_fraction_downtime: dec(downtime).into_bytes(),
    };
    let wasm_p = |upload: wasmpb::AccessType, default: i32| wasmpb::Params {
        code_upload_access: Some(wasmpb::AccessConfig { permission: upload as i32, addresses: vec![] }),
        instantiate_default_permission: default,
    };
    let everybody = wasmpb::AccessType::Everybody as i32;
    let updates = |who: &str, good: bool| -> Vec<Any> {
        let a = who.to_string();
        vec![
            any(&authpb::MsgUpdateParams { authority: a.clone(), params: Some(if good { auth_p(512, 7) } else { auth_p(512, 0) }) }),
            any(&stakingpb::MsgUpdateParams {
                authority: a.clone(),
                params: Some(if good { staking_p(50, "uvvv") } else { staking_p(50, "ustable") }),
            }),
            any(&distrpb::MsgUpdateParams { authority: a.clone(), params: Some(distr_p(if good { "0.05" } else { "1.5" })) }),
            any(&mintpb::MsgUpdateParams {
                authority: a.clone(),
                params: Some(if good { mint_p("0.04", "0.09") } else { mint_p("0.2", "0.1") }),
            }),
            any(&slashpb::MsgUpdateParams { authority: a.clone(), params: Some(slash_p(50, if good { "0.02" } else { "2" })) }),
            any(&wasmpb::MsgUpdateParams {
                authority: a,
                params: Some(if good { wasm_p(wasmpb::AccessType::Nobody, everybody) } else { wasm_p(wasmpb::AccessType::Everybody, 0) }),
            }),
        ]
    };
    let read_params = |app: &App| -> Vec<Vec<u8>> {
        let q = |path: &str| {
            let r = app.query(abci::RequestQuery { path: path.into(), data: vec![].into(), height: 0, prove: false });
            assert_eq!(r.code, 0, "{path}: {}", r.log);
            r.value.to_vec()
        };
        [
            "/cosmos.auth.v1beta1.Query/Params",
            "/cosmos.staking.v1beta1.Query/Params",
            "/cosmos.distribution.v1beta1.Query/Params",
            "/cosmos.mint.v1beta1.Query/Params",
            "/cosmos.slashing.v1beta1.Query/Params",
            "/cosmwasm.wasm.v1.Query/Params",
        ]
        .iter()
        .map(|p| q(p))
        .collect()
    };

    ok(&run_block(&app, 1, vec![keys[1].sign_tx(vec![create_validator(&keys[1], 30 * VVV)], &params(1, 0))]));
    // A non-gov signer's MsgUpdateParams fails for every module (gov's ErrInvalidSigner).
    let before = read_params(&app);
    let own = keys[2].address().to_bech32();
    let txs = updates(&own, true).into_iter().enumerate().map(|(i, m)| keys[2].sign_tx(vec![m], &params(2, i as u64))).collect();
    let r = run_block(&app, 2, txs);
    for t in &r.tx_results {
        assert_eq!((t.codespace.as_str(), t.code), ("gov", 13), "{}", t.log);
    }
    assert_eq!(read_params(&app), before);

    // Fund the community pool, then: proposal 1 = every good change;
    // proposals 2..=7 = one bad change each; 8 = a pool spend; 9 = a spend
    // larger than the pool.
    let fund = any(&distrpb::MsgFundCommunityPool {
        amount: vec![PCoin { denom: "uvvv".into(), amount: (5 * VVV).to_string() }],
        depositor: keys[0].address().to_bech32(),
    });
    let spend = |amount: u128| {
        any(&distrpb::MsgCommunityPoolSpend {
            authority: gov(),
            recipient: keys[3].address().to_bech32(),
            amount: vec![PCoin { denom: "uvvv".into(), amount: amount.to_string() }],
        })
    };
    let mut msgs = vec![fund, submit(&keys[0], updates(&gov(), true), "all good")];
    msgs.extend(updates(&gov(), false).into_iter().map(|m| submit(&keys[0], vec![m], "bad")));
    msgs.push(submit(&keys[0], vec![spend(3 * VVV)], "spend"));
    msgs.push(submit(&keys[0], vec![spend(1_000 * VVV)], "overspend"));
    let mut p = params(0, 0);
    p.gas = 5_000_000;
    ok(&run_block(&app, 3, vec![keys[0].sign_tx(msgs, &p)]));
    let votes = (1..=9).map(|id| vote(&keys[1], id)).collect();
    let mut p = params(1, 1);
    p.gas = 2_000_000;
    ok(&run_block(&app, 4, vec![keys[1].sign_tx(votes, &p)]));
    let recipient_before = common::balance_of(&app, &keys[3]);
    for h in 5..=13 {
        run_block(&app, h, vec![]);
    }

    let status = |id| proposal(&app, id).status;
    assert_eq!(status(1), v1::ProposalStatus::Passed as i32, "{}", proposal(&app, 1).failed_reason);
    for id in 2..=7 {
        assert_eq!(status(id), v1::ProposalStatus::Failed as i32, "proposal {id}");
    }
    for (id, why) in
        [(2, "tx_sig_limit"), (3, "bond_denom"), (4, "community tax"), (5, "inflation"), (6, "slash fraction"), (7, "permission")]
    {
        let reason = proposal(&app, id).failed_reason;
        assert!(reason.contains(why), "proposal {id}: {reason}");
    }
    let after = read_params(&app);
    let auth: authpb::QueryParamsResponse = prost::Message::decode(after[0].as_slice()).unwrap();
    assert_eq!(auth.params.unwrap().max_memo_characters, 512);
    let staking: stakingpb::QueryParamsResponse = prost::Message::decode(after[1].as_slice()).unwrap();
    assert_eq!(staking.params.unwrap(), staking_p(50, "uvvv"));
    let distr: distrpb::QueryParamsResponse = prost::Message::decode(after[2].as_slice()).unwrap();
    assert_eq!(distr.params.unwrap().community_tax, dec("0.05"));
    let mint: mintpb::QueryParamsResponse = prost::Message::decode(after[3].as_slice()).unwrap();
    assert_eq!(mint.params.unwrap(), mint_p("0.04", "0.09"));
    let slash: slashpb::QueryParamsResponse = prost::Message::decode(after[4].as_slice()).unwrap();
    assert_eq!(slash.params.unwrap().signed_blocks_window, 50);
    let wasm: wasmpb::QueryParamsResponse = prost::Message::decode(after[5].as_slice()).unwrap();
    assert_eq!(wasm.params.unwrap().code_upload_access.unwrap().permission, wasmpb::AccessType::Nobody as i32);

    assert_eq!(status(8), v1::ProposalStatus::Passed as i32, "{}", proposal(&app, 8).failed_reason);
    assert_eq!(common::balance_of(&app, &keys[3]), recipient_before + 3 * VVV, "the spend paid its recipient");
    assert_eq!(status(9), v1::ProposalStatus::Failed as i32);
    assert!(proposal(&app, 9).failed_reason.contains("community pool"), "{}", proposal(&app, 9).failed_reason);
}
