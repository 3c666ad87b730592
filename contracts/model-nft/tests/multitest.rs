//! Every message and query of the model-NFT contract, with its failure paths.

use cosmwasm_std::{coin, coins, to_json_binary, Addr, Binary, Coin, Empty, StdError, Uint128};
use cw_multi_test::{App, AppResponse, Contract, ContractWrapper, Executor};
use cw_utils::Expiration;
use model_nft::contract::{execute, instantiate, migrate, query};
use model_nft::msg::*;
use model_nft::ContractError;
use venice_model_types::{Amount, DType, DescriptorError, ModelDescriptor, Price, QuantRule, Rounding, TensorSpec};

const FEE: u128 = 5_000_000;

fn nft_code() -> Box<dyn Contract<Empty>> {
    Box::new(ContractWrapper::new(execute, instantiate, query).with_migrate(migrate))
}

#[cosmwasm_schema::cw_serde]
enum ReceiverMsg {
    ReceiveNft(Cw721ReceiveMsg),
}

fn receiver_code() -> Box<dyn Contract<Empty>> {
    Box::new(ContractWrapper::new(
        |_d, _e, _i, ReceiverMsg::ReceiveNft(m)| -> Result<cosmwasm_std::Response, StdError> {
            Ok(cosmwasm_std::Response::new()
                .add_attribute("got_token", m.token_id)
                .add_attribute("from", m.sender)
                .add_attribute("payload", m.msg.to_base64()))
        },
        |_d, _e, _i, _m: Empty| -> Result<cosmwasm_std::Response, StdError> { Ok(cosmwasm_std::Response::new()) },
        |_d, _e, _m: Empty| -> Result<Binary, StdError> { to_json_binary(&Empty {}) },
    ))
}

fn descriptor(hash_byte: &str) -> ModelDescriptor {
    ModelDescriptor {
        onnx_sha256: hash_byte.repeat(32),
        storage_uri: "venice://models/digits".into(),
        inputs: vec![TensorSpec { name: "input".into(), dtype: DType::Float32, shape: vec![None, Some(64)] }],
        outputs: vec![TensorSpec { name: "label".into(), dtype: DType::Int64, shape: vec![None] }],
        quant_rule: QuantRule::FixedPoint { scale_exp: 3, rounding: Rounding::HalfEven },
        price_per_call: Price { denom: "uvvv".into(), amount: Amount(250) },
        royalty_bps: 1_000,
        license: "MIT".into(),
        agent: false,
    }
}

fn extension(hash_byte: &str) -> ModelExtension {
    ModelExtension { name: "digits".into(), description: Some("sklearn digits".into()), model: descriptor(hash_byte) }
}

struct T {
    app: App,
    nft: Addr,
    admin: Addr,
    collector: Addr,
    alice: Addr,
    bob: Addr,
    carol: Addr,
}

fn err(e: anyhow::Error) -> ContractError {
    e.downcast::<ContractError>().unwrap_or_else(|e| panic!("not a ContractError: {e:?}"))
}

fn setup() -> T {
    let api = cw_multi_test::MockApiBech32::new("cosmwasm");
    let [admin, collector, alice, bob, carol] = ["admin", "collector", "alice", "bob", "carol"].map(|n| api.addr_make(n));
    let (a2, b2) = (alice.clone(), bob.clone());
    let mut app = App::new(|router, _api, storage| {
        for who in [&a2, &b2] {
            router.bank.init_balance(storage, who, vec![coin(100 * FEE, "uvvv"), coin(1_000, "uatom")]).unwrap();
        }
    });
    let code = app.store_code(nft_code());
    let nft = app
        .instantiate_contract(
            code,
            admin.clone(),
            &InstantiateMsg {
                name: "Venice models".into(),
                symbol: "VMODEL".into(),
                admin: Some(admin.to_string()),
                mint_fee: Some(coin(FEE, "uvvv")),
                fee_collector: collector.to_string(),
            },
            &[],
            "models",
            Some(admin.to_string()),
        )
        .unwrap();
    T { app, nft, admin, collector, alice, bob, carol }
}

impl T {
    fn exec(&mut self, who: &Addr, msg: &ExecuteMsg, funds: &[Coin]) -> Result<AppResponse, ContractError> {
        self.app.execute_contract(who.clone(), self.nft.clone(), msg, funds).map_err(err)
    }
    fn q<R: serde::de::DeserializeOwned>(&self, msg: &QueryMsg) -> R {
        self.app.wrap().query_wasm_smart(&self.nft, msg).unwrap()
    }
    fn q_err(&self, msg: &QueryMsg) -> String {
        self.app.wrap().query_wasm_smart::<Empty>(&self.nft, msg).unwrap_err().to_string()
    }
    fn mint(&mut self, who: &Addr, id: &str, hash_byte: &str) -> Result<AppResponse, ContractError> {
        let msg = ExecuteMsg::Mint {
            token_id: id.into(),
            owner: who.to_string(),
            token_uri: Some(format!("ipfs://card/{id}")),
            extension: extension(hash_byte),
        };
        self.exec(&who.clone(), &msg, &coins(FEE, "uvvv"))
    }
    fn balance(&self, who: &Addr, denom: &str) -> u128 {
        self.app.wrap().query_balance(who, denom).unwrap().amount.u128()
    }
    fn owner(&self, id: &str) -> String {
        self.q::<OwnerOfResponse>(&QueryMsg::OwnerOf { token_id: id.into(), include_expired: None }).owner
    }
    fn transfer(&mut self, who: &Addr, id: &str, to: &Addr) -> Result<AppResponse, ContractError> {
        self.exec(who, &ExecuteMsg::TransferNft { recipient: to.to_string(), token_id: id.into() }, &[])
    }
}

#[test]
fn mint_charges_the_fee_and_records_the_model() {
    let mut t = setup();
    let alice = t.alice.clone();
    let before = t.balance(&alice, "uvvv");
    let res = t.mint(&alice, "digits-v1", "ab").unwrap();
    assert!(res.events.iter().any(|e| e.attributes.iter().any(|a| a.key == "onnx_sha256" && a.value == "ab".repeat(32))));
    assert_eq!(t.balance(&alice, "uvvv"), before - FEE);
    assert_eq!(t.balance(&t.collector, "uvvv"), FEE);
    assert_eq!(t.balance(&t.nft, "uvvv"), 0);

    let m: ModelResponse = t.q(&QueryMsg::Model { token_id: "digits-v1".into() });
    assert_eq!(m.owner, alice.to_string());
    assert_eq!(m.publisher, alice.to_string());
    assert_eq!(m.extension, extension("ab"));
    assert_eq!(m.token_uri.as_deref(), Some("ipfs://card/digits-v1"));
    let n: NumTokensResponse = t.q(&QueryMsg::NumTokens {});
    assert_eq!(n.count, 1);
    let info: NftInfoResponse = t.q(&QueryMsg::NftInfo { token_id: "digits-v1".into() });
    assert_eq!(info.extension.model.royalty_bps, 1_000);
}

#[test]
fn publisher_may_mint_for_another_owner() {
    let mut t = setup();
    let (alice, bob) = (t.alice.clone(), t.bob.clone());
    let msg = ExecuteMsg::Mint { token_id: "m".into(), owner: bob.to_string(), token_uri: None, extension: extension("01") };
    t.exec(&alice, &msg, &coins(FEE, "uvvv")).unwrap();
    let m: ModelResponse = t.q(&QueryMsg::Model { token_id: "m".into() });
    assert_eq!((m.owner, m.publisher), (bob.to_string(), alice.to_string()));
}

#[test]
fn unpaid_or_wrongly_paid_mint_is_refused() {
    let mut t = setup();
    let alice = t.alice.clone();
    let msg = ExecuteMsg::Mint { token_id: "m".into(), owner: alice.to_string(), token_uri: None, extension: extension("ab") };
    for funds in [vec![], coins(FEE - 1, "uvvv"), coins(FEE + 1, "uvvv"), coins(5, "uatom"), vec![coin(FEE, "uvvv"), coin(1, "uatom")]] {
        let e = t.exec(&alice, &msg, &funds).unwrap_err();
        assert_eq!(e, ContractError::WrongMintFee { expected: coin(FEE, "uvvv"), got: funds.clone() }, "{funds:?}");
    }
    let n: NumTokensResponse = t.q(&QueryMsg::NumTokens {});
    assert_eq!(n.count, 0);
    assert_eq!(t.balance(&t.collector, "uvvv"), 0);
}

#[test]
fn mint_refuses_taken_ids_hashes_and_bad_descriptors() {
    let mut t = setup();
    let (alice, bob) = (t.alice.clone(), t.bob.clone());
    t.mint(&alice, "m1", "ab").unwrap();
    assert_eq!(t.mint(&bob, "m1", "cd").unwrap_err(), ContractError::Claimed("m1".into()));
    // Someone else's model file cannot be registered again under a new id.
    assert_eq!(t.mint(&bob, "copy", "ab").unwrap_err(), ContractError::HashRegistered("ab".repeat(32), "m1".into()));

    let mint_with = |f: fn(&mut ModelExtension)| {
        let mut ext = extension("ef");
        f(&mut ext);
        ExecuteMsg::Mint { token_id: "m2".into(), owner: bob.to_string(), token_uri: None, extension: ext }
    };
    let cases: Vec<(ExecuteMsg, ContractError)> = vec![
        (mint_with(|e| e.model.royalty_bps = 10_001), ContractError::Descriptor(DescriptorError::RoyaltyTooHigh(10_001))),
        (mint_with(|e| e.model.onnx_sha256 = "xyz".into()), ContractError::Descriptor(DescriptorError::BadHash)),
        (mint_with(|e| e.model.outputs.clear()), ContractError::Descriptor(DescriptorError::TensorCount("outputs"))),
        (mint_with(|e| e.name.clear()), ContractError::BadMetadata {}),
        (
            ExecuteMsg::Mint { token_id: "".into(), owner: bob.to_string(), token_uri: None, extension: extension("ef") },
            ContractError::BadTokenId {},
        ),
    ];
    for (msg, want) in cases {
        assert_eq!(t.exec(&bob, &msg, &coins(FEE, "uvvv")).unwrap_err(), want);
    }
    // Full royalty is allowed.
    t.exec(&bob, &mint_with(|e| e.model.royalty_bps = 10_000), &coins(FEE, "uvvv")).unwrap();
}

#[test]
fn owner_updates_metadata_but_not_hash_or_rule() {
    let mut t = setup();
    let (alice, bob) = (t.alice.clone(), t.bob.clone());
    t.mint(&alice, "m", "ab").unwrap();

    let mut ext = extension("ab");
    ext.model.price_per_call = Price { denom: "uvvv".into(), amount: Amount(900) };
    ext.model.storage_uri = "ipfs://new-home".into();
    ext.model.royalty_bps = 3_000;
    ext.model.agent = true;
    ext.description = None;
    let update = ExecuteMsg::UpdateNftInfo { token_id: "m".into(), token_uri: None, extension: ext.clone() };
    assert_eq!(t.exec(&bob, &update, &[]).unwrap_err(), ContractError::Unauthorized {});
    t.exec(&alice, &update, &[]).unwrap();
    let m: ModelResponse = t.q(&QueryMsg::Model { token_id: "m".into() });
    assert_eq!(m.extension, ext);
    assert_eq!(m.token_uri, None);

    let mut changed_hash = ext.clone();
    changed_hash.model.onnx_sha256 = "cd".repeat(32);
    let e = t.exec(&alice, &ExecuteMsg::UpdateNftInfo { token_id: "m".into(), token_uri: None, extension: changed_hash }, &[]).unwrap_err();
    assert_eq!(e, ContractError::HashImmutable { old: "ab".repeat(32), new: "cd".repeat(32) });

    let mut changed_rule = ext.clone();
    changed_rule.model.quant_rule = QuantRule::Argmax;
    let e = t.exec(&alice, &ExecuteMsg::UpdateNftInfo { token_id: "m".into(), token_uri: None, extension: changed_rule }, &[]).unwrap_err();
    assert_eq!(e, ContractError::RuleImmutable {});

    let mut over = ext.clone();
    over.model.royalty_bps = 10_500;
    let e = t.exec(&alice, &ExecuteMsg::UpdateNftInfo { token_id: "m".into(), token_uri: None, extension: over }, &[]).unwrap_err();
    assert_eq!(e, ContractError::Descriptor(DescriptorError::RoyaltyTooHigh(10_500)));
    // The hash index still resolves the (unchanged) hash.
    let by_hash: ModelResponse = t.q(&QueryMsg::ModelByHash { onnx_sha256: "ab".repeat(32) });
    assert_eq!(by_hash.extension, ext);
}

#[test]
fn transfer_moves_royalties_with_the_nft() {
    let mut t = setup();
    let (alice, bob, carol) = (t.alice.clone(), t.bob.clone(), t.carol.clone());
    t.mint(&alice, "m", "ab").unwrap();
    let r: RoyaltiesInfoResponse = t.q(&QueryMsg::RoyaltyInfo { token_id: "m".into(), sale_price: Uint128::new(1_999) });
    assert_eq!(r, RoyaltiesInfoResponse { address: alice.to_string(), royalty_amount: Uint128::new(199) });

    assert_eq!(t.transfer(&bob, "m", &bob).unwrap_err(), ContractError::Unauthorized {});
    t.transfer(&alice, "m", &bob).unwrap();
    assert_eq!(t.owner("m"), bob.to_string());
    let r: RoyaltiesInfoResponse = t.q(&QueryMsg::RoyaltyInfo { token_id: "m".into(), sale_price: Uint128::new(1_999) });
    assert_eq!(r.address, bob.to_string());
    // Publisher is provenance only.
    let m: ModelResponse = t.q(&QueryMsg::Model { token_id: "m".into() });
    assert_eq!(m.publisher, alice.to_string());
    let alice_models: ModelsResponse = t.q(&QueryMsg::ModelsByOwner { owner: alice.to_string(), start_after: None, limit: None });
    assert!(alice_models.models.is_empty());
    let bob_models: ModelsResponse = t.q(&QueryMsg::ModelsByOwner { owner: bob.to_string(), start_after: None, limit: None });
    assert_eq!(bob_models.models.len(), 1);
    // Old owner lost control.
    assert_eq!(t.transfer(&alice, "m", &carol).unwrap_err(), ContractError::Unauthorized {});
    // Funds on a non-mint message are refused.
    let e = t.exec(&bob, &ExecuteMsg::TransferNft { recipient: carol.to_string(), token_id: "m".into() }, &coins(1, "uvvv"));
    assert!(matches!(e.unwrap_err(), ContractError::Payment(_)));
}

#[test]
fn approvals_allow_transfer_until_expiry_or_revocation() {
    let mut t = setup();
    let (alice, bob, carol) = (t.alice.clone(), t.bob.clone(), t.carol.clone());
    t.mint(&alice, "m1", "01").unwrap();
    t.mint(&alice, "m2", "02").unwrap();
    let h = t.app.block_info().height;

    // Only the owner (or its operator) approves.
    let approve = |spender: &Addr, id: &str, expires| ExecuteMsg::Approve { spender: spender.to_string(), token_id: id.into(), expires };
    assert_eq!(t.exec(&bob, &approve(&bob, "m1", None), &[]).unwrap_err(), ContractError::Unauthorized {});
    assert_eq!(t.exec(&alice, &approve(&bob, "m1", Some(Expiration::AtHeight(h))), &[]).unwrap_err(), ContractError::Expired {});
    t.exec(&alice, &approve(&bob, "m1", Some(Expiration::AtHeight(h + 10))), &[]).unwrap();
    t.exec(&alice, &approve(&bob, "m2", Some(Expiration::AtHeight(h + 1))), &[]).unwrap();

    let a: ApprovalResponse = t.q(&QueryMsg::Approval { token_id: "m1".into(), spender: bob.to_string(), include_expired: None });
    assert_eq!(a.approval.expires, Expiration::AtHeight(h + 10));
    let all: ApprovalsResponse = t.q(&QueryMsg::Approvals { token_id: "m1".into(), include_expired: None });
    assert_eq!(all.approvals.len(), 1);

    t.app.update_block(|b| b.height += 2);
    // m2's approval has expired.
    assert_eq!(t.transfer(&bob, "m2", &carol).unwrap_err(), ContractError::Unauthorized {});
    let owner_view: OwnerOfResponse = t.q(&QueryMsg::OwnerOf { token_id: "m2".into(), include_expired: Some(false) });
    assert!(owner_view.approvals.is_empty());
    let owner_view: OwnerOfResponse = t.q(&QueryMsg::OwnerOf { token_id: "m2".into(), include_expired: Some(true) });
    assert_eq!(owner_view.approvals.len(), 1);
    assert!(t
        .q_err(&QueryMsg::Approval { token_id: "m2".into(), spender: bob.to_string(), include_expired: None })
        .contains("Approval not found"));

    // m1's approval works; it is cleared by the transfer.
    t.transfer(&bob, "m1", &carol).unwrap();
    assert_eq!(t.owner("m1"), carol.to_string());
    let all: ApprovalsResponse = t.q(&QueryMsg::Approvals { token_id: "m1".into(), include_expired: Some(true) });
    assert!(all.approvals.is_empty());

    // Revoke.
    t.exec(&alice, &approve(&bob, "m2", None), &[]).unwrap();
    t.exec(&alice, &ExecuteMsg::Revoke { spender: bob.to_string(), token_id: "m2".into() }, &[]).unwrap();
    assert_eq!(t.transfer(&bob, "m2", &bob).unwrap_err(), ContractError::Unauthorized {});
}

#[test]
fn operators_act_for_all_tokens_of_an_owner() {
    let mut t = setup();
    let (alice, bob, carol) = (t.alice.clone(), t.bob.clone(), t.carol.clone());
    t.mint(&alice, "m1", "01").unwrap();
    t.mint(&alice, "m2", "02").unwrap();
    t.exec(&alice, &ExecuteMsg::ApproveAll { operator: bob.to_string(), expires: None }, &[]).unwrap();
    let ops: OperatorsResponse =
        t.q(&QueryMsg::AllOperators { owner: alice.to_string(), include_expired: None, start_after: None, limit: None });
    assert_eq!(ops.operators, vec![Approval { spender: bob.to_string(), expires: Expiration::Never {} }]);
    let op: OperatorResponse = t.q(&QueryMsg::Operator { owner: alice.to_string(), operator: bob.to_string(), include_expired: None });
    assert_eq!(op.approval.spender, bob.to_string());

    // The operator may approve others and transfer.
    t.exec(&bob, &ExecuteMsg::Approve { spender: carol.to_string(), token_id: "m1".into(), expires: None }, &[]).unwrap();
    t.transfer(&carol, "m1", &carol).unwrap();
    t.transfer(&bob, "m2", &bob).unwrap();
    assert_eq!((t.owner("m1"), t.owner("m2")), (carol.to_string(), bob.to_string()));

    t.mint(&alice, "m3", "03").unwrap();
    t.exec(&alice, &ExecuteMsg::RevokeAll { operator: bob.to_string() }, &[]).unwrap();
    assert_eq!(t.transfer(&bob, "m3", &bob).unwrap_err(), ContractError::Unauthorized {});
    assert!(t
        .q_err(&QueryMsg::Operator { owner: alice.to_string(), operator: bob.to_string(), include_expired: None })
        .contains("not found"));

    // Expired operator.
    let h = t.app.block_info().height;
    t.exec(&alice, &ExecuteMsg::ApproveAll { operator: bob.to_string(), expires: Some(Expiration::AtHeight(h + 1)) }, &[]).unwrap();
    t.app.update_block(|b| b.height += 1);
    assert_eq!(t.transfer(&bob, "m3", &bob).unwrap_err(), ContractError::Unauthorized {});
    let ops: OperatorsResponse =
        t.q(&QueryMsg::AllOperators { owner: alice.to_string(), include_expired: Some(false), start_after: None, limit: None });
    assert!(ops.operators.is_empty());
    let ops: OperatorsResponse =
        t.q(&QueryMsg::AllOperators { owner: alice.to_string(), include_expired: Some(true), start_after: None, limit: None });
    assert_eq!(ops.operators.len(), 1);
    assert_eq!(
        t.exec(&alice, &ExecuteMsg::ApproveAll { operator: bob.to_string(), expires: Some(Expiration::AtHeight(h)) }, &[]).unwrap_err(),
        ContractError::Expired {}
    );
}

#[test]
fn send_nft_calls_the_receiver() {
    let mut t = setup();
    let alice = t.alice.clone();
    t.mint(&alice, "m", "ab").unwrap();
    let rc = t.app.store_code(receiver_code());
    let receiver = t.app.instantiate_contract(rc, alice.clone(), &Empty {}, &[], "r", None).unwrap();
    let res = t
        .exec(
            &alice,
            &ExecuteMsg::SendNft { contract: receiver.to_string(), token_id: "m".into(), msg: Binary::from(b"hi".as_slice()) },
            &[],
        )
        .unwrap();
    assert!(res.events.iter().any(|e| e.attributes.iter().any(|a| a.key == "got_token" && a.value == "m")));
    assert!(res.events.iter().any(|e| e.attributes.iter().any(|a| a.key == "from" && a.value == alice.as_str())));
    assert_eq!(t.owner("m"), receiver.to_string());
}

#[test]
fn burn_removes_the_token_and_frees_its_hash() {
    let mut t = setup();
    let (alice, bob) = (t.alice.clone(), t.bob.clone());
    t.mint(&alice, "m", "ab").unwrap();
    assert_eq!(t.exec(&bob, &ExecuteMsg::Burn { token_id: "m".into() }, &[]).unwrap_err(), ContractError::Unauthorized {});
    t.exec(&alice, &ExecuteMsg::Burn { token_id: "m".into() }, &[]).unwrap();
    let n: NumTokensResponse = t.q(&QueryMsg::NumTokens {});
    assert_eq!(n.count, 0);
    assert!(t.q_err(&QueryMsg::NftInfo { token_id: "m".into() }).contains("not found"));
    assert!(t.q_err(&QueryMsg::ModelByHash { onnx_sha256: "ab".repeat(32) }).contains("not found"));
    t.mint(&bob, "m-again", "ab").unwrap();
}

#[test]
fn listing_queries_paginate() {
    let mut t = setup();
    let (alice, bob) = (t.alice.clone(), t.bob.clone());
    for i in 0..5 {
        t.mint(&alice, &format!("a{i}"), &format!("a{i}")).unwrap();
    }
    t.mint(&bob, "b0", "b0").unwrap();
    let page: TokensResponse = t.q(&QueryMsg::Tokens { owner: alice.to_string(), start_after: None, limit: Some(2) });
    assert_eq!(page.tokens, vec!["a0", "a1"]);
    let page: TokensResponse = t.q(&QueryMsg::Tokens { owner: alice.to_string(), start_after: Some("a1".into()), limit: Some(10) });
    assert_eq!(page.tokens, vec!["a2", "a3", "a4"]);
    let all: TokensResponse = t.q(&QueryMsg::AllTokens { start_after: Some("a3".into()), limit: None });
    assert_eq!(all.tokens, vec!["a4", "b0"]);
    let models: ModelsResponse = t.q(&QueryMsg::ModelsByOwner { owner: alice.to_string(), start_after: Some("a3".into()), limit: None });
    assert_eq!(models.models.iter().map(|m| m.token_id.as_str()).collect::<Vec<_>>(), vec!["a4"]);
    let by_hash: ModelResponse = t.q(&QueryMsg::ModelByHash { onnx_sha256: "B0".repeat(32) });
    assert_eq!((by_hash.token_id.as_str(), by_hash.owner), ("b0", bob.to_string()));
    let all_info: AllNftInfoResponse = t.q(&QueryMsg::AllNftInfo { token_id: "b0".into(), include_expired: None });
    assert_eq!(all_info.access.owner, bob.to_string());
    assert_eq!(all_info.info.extension, extension("b0"));
}

#[test]
fn collection_info_and_config() {
    let mut t = setup();
    let (admin, alice, bob) = (t.admin.clone(), t.alice.clone(), t.bob.clone());
    let info: ContractInfoResponse = t.q(&QueryMsg::ContractInfo {});
    assert_eq!((info.name.as_str(), info.symbol.as_str()), ("Venice models", "VMODEL"));
    let minter: MinterResponse = t.q(&QueryMsg::Minter {});
    assert_eq!(minter.minter, None);

    let update =
        ExecuteMsg::UpdateConfig { admin: Some(admin.to_string()), mint_fee: Some(coin(7, "uatom")), fee_collector: bob.to_string() };
    assert_eq!(t.exec(&alice, &update, &[]).unwrap_err(), ContractError::NotAdmin {});
    t.exec(&admin, &update, &[]).unwrap();
    let c: ConfigResponse = t.q(&QueryMsg::Config {});
    assert_eq!((c.mint_fee, c.fee_collector), (Some(coin(7, "uatom")), bob.to_string()));
    let before = t.balance(&bob, "uatom");
    let msg = ExecuteMsg::Mint { token_id: "m".into(), owner: alice.to_string(), token_uri: None, extension: extension("ab") };
    t.exec(&alice, &msg, &coins(7, "uatom")).unwrap();
    assert_eq!(t.balance(&bob, "uatom"), before + 7);

    // Free minting, then the admin renounces: config frozen.
    t.exec(&admin, &ExecuteMsg::UpdateConfig { admin: None, mint_fee: None, fee_collector: bob.to_string() }, &[]).unwrap();
    let msg = ExecuteMsg::Mint { token_id: "free".into(), owner: alice.to_string(), token_uri: None, extension: extension("cd") };
    assert!(matches!(t.exec(&alice, &msg, &coins(1, "uvvv")).unwrap_err(), ContractError::Payment(_)));
    t.exec(&alice, &msg, &[]).unwrap();
    assert_eq!(t.exec(&admin, &update, &[]).unwrap_err(), ContractError::NotAdmin {});
}

#[test]
fn migrate_keeps_state() {
    let mut t = setup();
    let alice = t.alice.clone();
    t.mint(&alice, "m", "ab").unwrap();
    let code = t.app.store_code(nft_code());
    t.app.migrate_contract(t.admin.clone(), t.nft.clone(), &MigrateMsg {}, code).unwrap();
    assert_eq!(t.owner("m"), alice.to_string());
}
