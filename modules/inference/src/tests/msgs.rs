//! Message errors, listings, params and genesis round trips.

use super::*;
use crate::state::TaskStatus;

fn register(owner: u8, token: &str, committee: u32) -> pb::MsgRegisterModel {
    pb::MsgRegisterModel {
        owner: addr(owner).to_bech32(),
        nft_contract: nft_contract().to_bech32(),
        token_id: token.into(),
        max_input_bytes: 16,
        max_output_bytes: 64,
        committee_size: committee,
    }
}

#[test]
fn only_the_nft_owner_lists_updates_and_delists() {
    let mut env = Env::new(|_| {});
    env.mint_nft(1, "digits", descriptor(5, 100));
    let e = env.exec(handlers::MSG_REGISTER_MODEL, &register(2, "digits", 2)).unwrap_err();
    assert_eq!(e.abci_code(), ("inference", 4));
    let e = env.exec(handlers::MSG_REGISTER_MODEL, &register(1, "missing", 2)).unwrap_err();
    assert_eq!(e.abci_code(), ("inference", 5));
    let e = env.exec(handlers::MSG_REGISTER_MODEL, &register(1, "digits", 99)).unwrap_err();
    assert_eq!(e.abci_code(), ("inference", 6));
    env.exec(handlers::MSG_REGISTER_MODEL, &register(1, "digits", 2)).unwrap();
    let e = env.exec(handlers::MSG_REGISTER_MODEL, &register(1, "digits", 2)).unwrap_err();
    assert_eq!(e.abci_code(), ("inference", 3));

    // The NFT changes hands: its new owner updates (and the price follows the NFT).
    env.mint_nft(3, "digits", descriptor(5, 250));
    let update = |who: u8| pb::MsgUpdateModel {
        owner: addr(who).to_bech32(),
        model_id: model_id(5),
        max_input_bytes: 32,
        max_output_bytes: 64,
        committee_size: 3,
    };
    assert_eq!(env.exec(handlers::MSG_UPDATE_MODEL, &update(1)).unwrap_err().abci_code(), ("inference", 4));
    env.exec(handlers::MSG_UPDATE_MODEL, &update(3)).unwrap();
    let m = env.scoped(|ctx, _| state::model(ctx, &[5; 32])).unwrap().unwrap();
    assert_eq!((m.price.amount, m.max_input_bytes, m.committee_size), (250, 32, 3));
    assert_eq!(m.quant_rule_json, "\"exact\"");

    let delist = |who: u8| pb::MsgDelistModel { owner: addr(who).to_bech32(), model_id: model_id(5) };
    assert_eq!(env.exec(handlers::MSG_DELIST_MODEL, &delist(1)).unwrap_err().abci_code(), ("inference", 4));
    env.exec(handlers::MSG_DELIST_MODEL, &delist(3)).unwrap();
    assert!(env.scoped(|ctx, _| state::models(ctx)).unwrap().is_empty());
}

#[test]
fn submission_errors_are_typed_and_move_nothing() {
    let mut env = Env::new(|p| p.block_work_budget = 2);
    env.mint_nft(1, "digits", descriptor(5, 100));
    let mut big = register(1, "digits", 2);
    big.max_input_bytes = 64 * 1024;
    env.exec(handlers::MSG_REGISTER_MODEL, &big).unwrap();
    let model = model_id(5);
    let code = |r: Result<u64>| r.unwrap_err().abci_code();
    // Oversize input, insufficient max fee, unknown model, too much work.
    assert_eq!(code(env.submit(2, &model, &vec![0u8; 64 * 1024 + 1], 100, 0)), ("inference", 7));
    assert_eq!(code(env.submit(2, &model, b"in", 99, 0)), ("inference", 9));
    assert_eq!(code(env.submit(2, &model, b"in", 100, 1)), ("inference", 9));
    assert_eq!(code(env.submit(2, &model_id(6), b"in", 100, 0)), ("inference", 2));
    assert_eq!(code(env.submit(2, &model, &vec![0u8; 8192], 100, 0)), ("inference", 10));
    // No input at all, or both an input and a data credential.
    assert_eq!(code(env.submit(2, &model, b"", 100, 0)), ("inference", 8));
    let both = pb::MsgSubmitInference {
        sender: addr(2).to_bech32(),
        model_id: model.clone(),
        input: b"in".to_vec(),
        data_credential: Some(pb::DataCredentialRef { contract: nft_contract().to_bech32(), credential_id: 1 }),
        max_fee: Some(coin(100)),
        priority: String::new(),
    };
    assert_eq!(env.exec(handlers::MSG_SUBMIT_INFERENCE, &both).unwrap_err().abci_code(), ("inference", 8));
    // A dataset is paid as the model's largest input: 64 KiB is over budget.
    let cred = pb::MsgSubmitInference { input: vec![], ..both };
    assert_eq!(env.exec(handlers::MSG_SUBMIT_INFERENCE, &cred).unwrap_err().abci_code(), ("inference", 10));
    env.submit(2, &model, b"in", 100, 0).unwrap();
    // Not enough coins: bank's error, and nothing escrowed.
    assert_eq!(code(env.submit(2, &model, b"in", 2_000_000, 1_999_900)), ("sdk", 5));
    assert_eq!(env.module_balance(), 100);
    assert_eq!(env.balance(&addr(2)), 1_000_000 - 100);
    env.invariant_holds();
}

#[test]
fn payout_addresses_belong_to_validators_and_params_to_gov() {
    let mut env = Env::new(|_| {});
    let set = pb::MsgSetPayoutAddress { validator_address: addr(5).to_valoper(), payout_address: addr(6).to_bech32() };
    assert_eq!(env.exec(handlers::MSG_SET_PAYOUT_ADDRESS, &set).unwrap_err().abci_code(), ("inference", 18));
    let any = Any { type_url: handlers::MSG_SET_PAYOUT_ADDRESS.into(), value: set.encode_to_vec() };
    assert_eq!(handlers::signers(&any).unwrap(), vec![addr(5)]);

    let mut p = Params::default().to_proto();
    p.block_work_budget = 7;
    let wrong = pb::MsgUpdateParams { authority: addr(1).to_bech32(), params: Some(p.clone()) };
    assert_eq!(env.exec(handlers::MSG_UPDATE_PARAMS, &wrong).unwrap_err().abci_code(), ("gov", 13));
    let gov = venice_sdk::gov_authority().to_bech32();
    let mut invalid = p.clone();
    invalid.credit_curve_exponent = 9;
    let bad = pb::MsgUpdateParams { authority: gov.clone(), params: Some(invalid) };
    assert_eq!(env.exec(handlers::MSG_UPDATE_PARAMS, &bad).unwrap_err().abci_code(), ("inference", 19));
    env.exec(handlers::MSG_UPDATE_PARAMS, &pb::MsgUpdateParams { authority: gov, params: Some(p) }).unwrap();
    assert_eq!(env.scoped(|ctx, _| state::params(ctx)).unwrap().block_work_budget, 7);
}

#[test]
fn genesis_export_then_import_gives_the_same_state_and_queries_answer() {
    let mut env = Env::new(|_| {});
    let model = env.list(1, 100, 4);
    let a = env.submit(2, &model, b"first", 105, 5).unwrap();
    env.end_block();
    env.report(1, &[(0, a, 1), (1, a, 1)]); // votes of an open task
    let b = env.submit(3, &model, b"second", 100, 0).unwrap(); // queued
    env.d.book().stake.insert(addr(4), (10_000_000, 0));
    let m = pb::MsgMintCredits { owner: addr(4).to_bech32(), credits: "3".into(), max_stake: String::new() };
    env.exec(handlers::MSG_MINT_CREDITS, &m).unwrap();
    let exported = env.scoped(|ctx, i| i.export_genesis(ctx)).unwrap();

    let mut fresh = Env::new(|_| {});
    fresh.scoped(|ctx, i| i.init_genesis(ctx, &exported)).unwrap();
    // Bank's genesis carries the escrow balance.
    let escrow = env.module_balance();
    fresh.with(|ctx, _| TestBank::put(ctx, &module_address(), escrow));
    fresh.invariant_holds();
    assert_eq!(fresh.scoped(|ctx, i| i.export_genesis(ctx)).unwrap(), exported);
    assert_eq!(fresh.task(a), env.task(a));
    // The queue and the open task's votes came back: finishing works alike.
    let q = fresh.scoped(|ctx, _| state::queue_head(ctx, 10)).unwrap();
    assert_eq!(q.iter().map(|(_, id)| *id).collect::<Vec<_>>(), [b]);
    fresh.report(2, &[(2, a, 1), (3, a, 1)]);
    assert_eq!(fresh.task(a).status, crate::state::TaskStatus::Final);

    // Queries.
    let ask = |env: &mut Env, method: &str, req: Vec<u8>| env.scoped(|ctx, i| crate::query::query(i, ctx, method, &req)).unwrap();
    let t = pb::QueryTaskResponse::decode(ask(&mut env, "Task", pb::QueryTaskRequest { task_id: a }.encode_to_vec()).as_slice()).unwrap();
    assert_eq!(t.task.unwrap().status, "assigned");
    let q = pb::QueryQueueResponse::decode(ask(&mut env, "Queue", vec![]).as_slice()).unwrap();
    assert_eq!(q.tasks.iter().map(|t| t.id).collect::<Vec<_>>(), [b]);
    let ms = pb::QueryModelsResponse::decode(ask(&mut env, "Models", vec![]).as_slice()).unwrap();
    assert_eq!(ms.models[0].model_id, model);
    let c = pb::QueryCreditsResponse::decode(
        ask(&mut env, "Credits", pb::QueryCreditsRequest { address: addr(4).to_bech32() }.encode_to_vec()).as_slice(),
    )
    .unwrap();
    assert_eq!((c.credits.as_str(), c.allowance_left), ("3", 300));
    let r = pb::QueryReputationRequest { validator_address: op(0).to_valoper() }.encode_to_vec();
    assert_eq!(pb::QueryReputationResponse::decode(ask(&mut env, "Reputation", r).as_slice()).unwrap().payout_address, op(0).to_bech32());
    let p = pb::QueryParamsResponse::decode(ask(&mut env, "Params", vec![]).as_slice()).unwrap();
    assert_eq!(Params::from_proto(&p.params.unwrap()).unwrap(), Params::default());
    assert!(
        env.scoped(|ctx, i| crate::query::query(i, ctx, "Result", pb::QueryResultRequest { task_id: a }.encode_to_vec().as_slice()))
            .is_err()
    );
}

#[test]
fn the_escrow_invariant_sees_a_stray_balance() {
    let mut env = Env::new(|_| {});
    let model = env.list(1, 100, 2);
    env.submit(2, &model, b"in", 100, 0).unwrap();
    env.invariant_holds();
    env.with(|ctx, _| TestBank::put(ctx, &module_address(), 101));
    let inv = env.scoped(|ctx, i| i.invariants(ctx)).unwrap();
    assert_eq!(inv[0].broken.as_deref(), Some("module account holds 101uvvv but open tasks escrow 100uvvv"));
    assert_eq!(inv[1].broken, None);
}

#[test]
fn a_data_credential_input_spends_a_use_and_records_its_dataset() {
    let mut env = Env::new(|_| {});
    let model = env.list(5, 100, 2);
    let (contract, dataset) = (credential_contract(), dataset());
    env.d.book().credentials.insert((contract.clone(), 3), (addr(2), 1, dataset.clone()));
    let submit = |env: &mut Env, sender: u8, id: u64| env.submit_on_credential(sender, &model, id);
    // Someone else's credential, and one that does not exist: refused, nothing paid.
    let e = submit(&mut env, 3, 3).unwrap_err();
    assert_eq!(e.abci_code(), ("inference", 21));
    assert!(e.to_string().contains("data credential 3") && e.to_string().contains("held by"), "{e}");
    assert_eq!(submit(&mut env, 2, 4).unwrap_err().abci_code(), ("inference", 21));
    assert_eq!(env.balance(&addr(3)), 1_000_000);

    let id = submit(&mut env, 2, 3).unwrap();
    let t = env.task(id);
    let d = t.data_credential.clone().unwrap();
    assert_eq!((d.contract, d.credential_id, d.dataset_id, d.data_hash, d.uri), (contract.clone(), 3, 7, dataset.data_hash, dataset.uri));
    assert!(t.input.is_empty());
    // Paid as the model's largest input (1024 bytes), with the listing kept.
    let p = Params::default();
    assert_eq!(t.work, crate::queue::work(&p, 1024));
    assert_eq!((t.max_input_bytes, t.storage_uri.as_str(), t.quant_rule_json.as_str()), (1024, "venice://models/digits", "\"exact\""));
    assert_eq!(env.d.book().credentials[&(contract.clone(), 3)].1, 0, "one use spent");
    // The only use is gone; the query shows the dataset.
    let e = submit(&mut env, 2, 3).unwrap_err();
    assert!(e.to_string().contains("exhausted"), "{e}");
    let q = crate::query::task_pb(&env.task(id));
    let ds = q.dataset.unwrap();
    assert_eq!((ds.dataset_id, ds.uri.as_str()), (7, "file:///data/x.json"));
    assert_eq!(q.data_credential.unwrap().credential_id, 3);
    env.invariant_holds();
}

#[test]
fn an_expired_data_credential_task_gives_its_use_back_within_a_gas_bound() {
    let mut env = Env::new(|p| p.task_timeout_blocks = 2);
    env.set_validators(&[]);
    let model = env.list(5, 100, 2);
    let contract = credential_contract();
    for id in 1..=3 {
        env.d.book().credentials.insert((contract.clone(), id), (addr(2), 1, dataset()));
    }
    let submit = |env: &mut Env, id: u64| env.submit_on_credential(2, &model, id).unwrap();
    let uses = |env: &Env, id: u64| env.d.book().credentials[&(contract.clone(), id)].1;
    let expire = |env: &mut Env| {
        env.next_block();
        let events = env.next_block();
        events.into_iter().filter(|e| e.kind == "inference_expire").collect::<Vec<_>>()
    };
    let credential_use = |e: &venice_sdk::Event| e.attributes.iter().find(|(k, _)| k == "credential_use").map(|(_, v)| v.clone());

    // No validators: the task waits in the queue, then expires refunded,
    // and the credential's use comes back.
    let t = submit(&mut env, 1);
    assert_eq!(uses(&env, 1), 0);
    let before = env.balance(&addr(2));
    let events = expire(&mut env);
    assert_eq!(env.task(t).status, TaskStatus::Expired);
    assert_eq!(env.balance(&addr(2)), before + 100);
    assert_eq!(uses(&env, 1), 1);
    assert_eq!(credential_use(&events[0]).as_deref(), Some("refunded"));

    // The credential changed hands meanwhile: the contract refuses, the use
    // stays spent, the fee still comes back.
    let t = submit(&mut env, 2);
    env.d.book().credentials.get_mut(&(contract.clone(), 2)).unwrap().0 = addr(3);
    let before = env.balance(&addr(2));
    let events = expire(&mut env);
    assert_eq!((env.task(t).status, env.balance(&addr(2))), (TaskStatus::Expired, before + 100));
    assert_eq!(uses(&env, 2), 0);
    assert!(credential_use(&events[0]).unwrap().starts_with("kept: held by"), "{events:?}");

    // A contract that would spend more than the bound runs out of gas,
    // instead of running unmetered in the begin block.
    let t = submit(&mut env, 3);
    env.d.book().refund_gas = crate::abci::CREDENTIAL_REFUND_GAS + 1;
    let before = env.balance(&addr(2));
    let events = expire(&mut env);
    assert_eq!((env.task(t).status, env.balance(&addr(2))), (TaskStatus::Expired, before + 100));
    assert_eq!(uses(&env, 3), 0);
    assert!(credential_use(&events[0]).unwrap().contains("out of gas"), "{events:?}");
    env.invariant_holds();
}
