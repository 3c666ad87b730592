//! Inference registered in the app: a model NFT (the real model-NFT
//! contract) listed by its owner only, a task's fee escrowed in the
//! inference module account, the queue query, committee assignment at end
//! block, the full refund at the deadline; compute credits minted in the
//! real compute-credit cw20 and the stake they lock refusing undelegation.
//! Every block is followed by the invariants (crisis) check.

mod common;
mod wasm_common;

use cosmos_sdk_proto::Any;
use cosmos_sdk_proto::cosmos::base::v1beta1::Coin as PCoin;
use cosmos_sdk_proto::cosmos::staking::v1beta1 as stakingpb;
use prost::{Message, Name};
use serde_json::{Value, json};
use tendermint_proto::v0_38::abci;
use venice_sdk::Address;
use venice_store::{Store, StoreOptions};
use venice_types::contract_address;
use venice_types::inference as pb;
use veniced::App;
use wasm_common::{artifact, gzip, response};

const VVV: u128 = 1_000_000;
const PRICE: u128 = 250;
const TIMEOUT: u64 = 4;
const MODEL_NFT_CODE: u64 = 1;
const CREDIT_CODE: u64 = 2;

fn any<M: Name>(m: &M) -> Any {
    Any { type_url: format!("/{}", M::full_name()), value: m.encode_to_vec() }
}

/// The app, its keys and their sequences; blocks are checked for invariants.
struct Chain {
    _dir: tempfile::TempDir,
    app: App,
    keys: Vec<venice_sdk::testing::TestKey>,
    seqs: common::Sequences,
    height: u64,
}

impl Chain {
    /// Genesis: one unit of work per block (the queue is visible), tasks
    /// time out after `TIMEOUT` blocks, and the compute-credit contract is
    /// the second contract instantiated (its classic address is known).
    fn new() -> Self {
        Self::with_params(|_| {})
    }

    fn with_params(edit: impl FnOnce(&mut Value)) -> Self {
        let keys: Vec<_> = (0..4).map(venice_sdk::testing::TestKey::from_seed).collect();
        let mut g = common::genesis(&keys);
        edit(&mut g["app_state"]["inference"]["params"]);
        let p = &mut g["app_state"]["inference"]["params"];
        p["block_work_budget"] = "1".into();
        p["task_timeout_blocks"] = TIMEOUT.to_string().into();
        p["credit_contract"] = credit_contract().to_bech32().into();
        g["consensus_params"]["abci"] = json!({"vote_extensions_enable_height": "1"});
        let dir = tempfile::tempdir().unwrap();
        let app = App::new(Store::open(&dir.path().join("db"), StoreOptions::default()).unwrap(), vec![]);
        app.init_chain(veniced::genesis::init_chain_request(&g).unwrap()).unwrap();
        Chain { _dir: dir, app, keys, seqs: common::Sequences::new(4), height: 0 }
    }

    fn addr(&self, i: usize) -> Address {
        self.keys[i].address()
    }

    fn tx(&mut self, from: usize, msg: Any) -> Vec<u8> {
        let p = self.seqs.next(from, 3_000_000);
        self.keys[from].sign_tx(vec![msg], &p)
    }

    fn block(&mut self, txs: Vec<Vec<u8>>) -> abci::ResponseFinalizeBlock {
        self.height += 1;
        common::run_block_checked(&self.app, self.height, txs)
    }

    fn run(&mut self, from: usize, msg: Any) -> abci::ExecTxResult {
        let tx = self.tx(from, msg);
        self.block(vec![tx]).tx_results.remove(0)
    }

    fn ok(&mut self, from: usize, msg: Any) -> abci::ExecTxResult {
        let r = self.run(from, msg);
        assert_eq!(r.code, 0, "{} ({}:{})", r.log, r.codespace, r.code);
        r
    }

    fn query<R: Message + Default>(&self, method: &str, req: impl Message) -> Result<R, (u32, String)> {
        let path = format!("/venice.inference.v1.Query/{method}");
        let r = self.app.query(abci::RequestQuery { path, data: req.encode_to_vec().into(), height: 0, prove: false });
        if r.code != 0 {
            return Err((r.code, r.log));
        }
        Ok(R::decode(r.value.as_ref()).unwrap())
    }

    fn task(&self, id: u64) -> pb::Task {
        self.query::<pb::QueryTaskResponse>("Task", pb::QueryTaskRequest { task_id: id }).unwrap().task.unwrap()
    }

    fn balance(&self, a: &Address) -> u128 {
        use cosmos_sdk_proto::cosmos::bank::v1beta1 as bankpb;
        let req = bankpb::QueryBalanceRequest { address: a.to_bech32(), denom: "uvvv".into() };
        let r = self.app.query(abci::RequestQuery {
            path: "/cosmos.bank.v1beta1.Query/Balance".into(),
            data: req.encode_to_vec().into(),
            height: 0,
            prove: false,
        });
        bankpb::QueryBalanceResponse::decode(r.value.as_ref()).unwrap().balance.unwrap().amount.parse().unwrap()
    }

    fn smart(&self, contract: &Address, msg: &Value) -> Value {
        use cosmos_sdk_proto::cosmwasm::wasm::v1 as wpb;
        let req = wpb::QuerySmartContractStateRequest { address: contract.to_bech32(), query_data: serde_json::to_vec(msg).unwrap() };
        let r = self.app.query(abci::RequestQuery {
            path: venice_sdk::paths::wasm::SMART_CONTRACT_STATE.into(),
            data: req.encode_to_vec().into(),
            height: 0,
            prove: false,
        });
        assert_eq!(r.code, 0, "{}", r.log);
        serde_json::from_slice(&wpb::QuerySmartContractStateResponse::decode(r.value.as_ref()).unwrap().data).unwrap()
    }

    fn store(&mut self, from: usize, name: &str) -> u64 {
        use cosmos_sdk_proto::cosmwasm::wasm::v1 as wpb;
        let m =
            wpb::MsgStoreCode { sender: self.addr(from).to_bech32(), wasm_byte_code: gzip(&artifact(name)), instantiate_permission: None };
        let r = self.ok(from, any(&m));
        response::<wpb::MsgStoreCodeResponse>(&r).code_id
    }

    fn instantiate(&mut self, from: usize, code_id: u64, msg: &Value) -> Address {
        use cosmos_sdk_proto::cosmwasm::wasm::v1 as wpb;
        let m = wpb::MsgInstantiateContract {
            sender: self.addr(from).to_bech32(),
            admin: String::new(),
            code_id,
            label: "inference test".into(),
            msg: serde_json::to_vec(msg).unwrap(),
            funds: vec![],
        };
        let r = self.ok(from, any(&m));
        Address::parse(&response::<wpb::MsgInstantiateContractResponse>(&r).address).unwrap()
    }

    fn execute(&mut self, from: usize, contract: &Address, msg: &Value) -> abci::ExecTxResult {
        use cosmos_sdk_proto::cosmwasm::wasm::v1 as wpb;
        let m = wpb::MsgExecuteContract {
            sender: self.addr(from).to_bech32(),
            contract: contract.to_bech32(),
            msg: serde_json::to_vec(msg).unwrap(),
            funds: vec![],
        };
        self.ok(from, any(&m))
    }
}

fn credit_contract() -> Address {
    contract_address::classic(CREDIT_CODE, 2)
}

fn create_validator(c: &Chain, i: usize, amount: u128) -> Any {
    c.keys[i].create_validator_msg(&consensus_key(i).verification_key().to_bytes(), amount)
}

/// Validator `i`'s consensus key (it signs its vote extensions).
fn consensus_key(i: usize) -> ed25519_consensus::SigningKey {
    ed25519_consensus::SigningKey::from([i as u8 + 1; 32])
}

fn sha() -> String {
    "3f".repeat(32)
}

/// Key 0 runs a validator; key 1 owns the `digits` model NFT; the
/// compute-credit cw20's minter is the inference module account.
fn setup() -> (Chain, Address) {
    setup_with(Chain::new())
}

fn setup_with(mut c: Chain) -> (Chain, Address) {
    c.ok(0, create_validator(&c, 0, 100 * VVV));
    assert_eq!(c.store(0, "model_nft"), MODEL_NFT_CODE);
    assert_eq!(c.store(0, "compute_credit"), CREDIT_CODE);
    let init = json!({"name": "Venice models", "symbol": "VMODEL", "admin": null, "mint_fee": null,
                      "fee_collector": c.addr(0).to_bech32()});
    let nft = c.instantiate(0, MODEL_NFT_CODE, &init);
    let cw20 = json!({"name": "Venice compute credit", "symbol": "VCU", "decimals": 0, "initial_balances": [],
                      "mint": {"minter": venice_inference::module_address().to_bech32(), "cap": null},
                      "marketing": null, "admin": null});
    assert_eq!(c.instantiate(0, CREDIT_CODE, &cw20), credit_contract());
    let mint = json!({"mint": {"token_id": "digits", "owner": c.addr(1).to_bech32(), "token_uri": null,
                               "extension": {"name": "digits", "description": "sklearn digits", "model": {
                                   "onnx_sha256": sha(), "storage_uri": "venice://models/digits",
                                   "inputs": [{"name": "input", "dtype": "float32", "shape": [null, 64]}],
                                   "outputs": [{"name": "label", "dtype": "int64", "shape": [null]}],
                                   "quant_rule": {"fixed_point": {"scale_exp": 4, "rounding": "half_even"}},
                                   "price_per_call": {"denom": "uvvv", "amount": PRICE.to_string()},
                                   "royalty_bps": 1500, "license": "MIT", "agent": false}}}});
    c.execute(1, &nft, &mint);
    (c, nft)
}

fn register(c: &Chain, from: usize, nft: &Address) -> Any {
    any(&pb::MsgRegisterModel {
        owner: c.addr(from).to_bech32(),
        nft_contract: nft.to_bech32(),
        token_id: "digits".into(),
        max_input_bytes: 4096,
        max_output_bytes: 1024,
        committee_size: 1,
    })
}

fn submit(c: &Chain, from: usize, input: &str) -> Any {
    any(&pb::MsgSubmitInference {
        sender: c.addr(from).to_bech32(),
        model_id: sha(),
        input: input.as_bytes().to_vec(),
        data_credential: None,
        max_fee: Some(PCoin { denom: "uvvv".into(), amount: PRICE.to_string() }),
        priority: String::new(),
    })
}

#[test]
fn owner_lists_a_model_nft_tasks_escrow_queue_get_a_committee_and_are_refunded_at_the_deadline() {
    let (mut c, nft) = setup();
    let escrow = venice_inference::module_address();

    // Only the NFT's owner may list it; an unknown token is refused too.
    let r = c.run(2, register(&c, 2, &nft));
    assert_eq!((r.codespace.as_str(), r.code), ("inference", 4), "{}", r.log);
    let mut unknown = pb::MsgRegisterModel::decode(register(&c, 1, &nft).value.as_slice()).unwrap();
    unknown.token_id = "nope".into();
    let r = c.run(1, any(&unknown));
    assert_eq!((r.codespace.as_str(), r.code), ("inference", 5), "{}", r.log);
    let r = c.ok(1, register(&c, 1, &nft));
    assert_eq!(response::<pb::MsgRegisterModelResponse>(&r).model_id, sha());
    let m = c.query::<pb::QueryModelResponse>("Model", pb::QueryModelRequest { model_id: sha() }).unwrap().model.unwrap();
    assert_eq!((m.nft_contract, m.price_per_call.unwrap().amount), (nft.to_bech32(), PRICE.to_string()));
    assert!(m.quant_rule_json.contains("fixed_point"), "{}", m.quant_rule_json);
    assert_eq!(c.query::<pb::QueryModelsResponse>("Models", pb::QueryModelsRequest {}).unwrap().models.len(), 1);

    // Two tasks in one block; the budget (1 unit) assigns one per block.
    let before = c.balance(&c.addr(2));
    let (t1, t2) = (c.tx(2, submit(&c, 2, "[[0.5]]")), c.tx(3, submit(&c, 3, "[[0.25]]")));
    let resp = c.block(vec![t1, t2]);
    for r in &resp.tx_results {
        assert_eq!(r.code, 0, "{}", r.log);
    }
    let submitted = c.height;
    assert_eq!(c.balance(&escrow), 2 * PRICE, "both fees escrowed");
    assert_eq!(c.balance(&c.addr(2)), before - PRICE - 5000, "the price and the tx fee");
    let assigned = common::event_attr(&resp.events, "inference_assign", "task_id");
    assert_eq!(assigned, vec!["1".to_string()], "{:?}", resp.events.iter().map(|e| &e.r#type).collect::<Vec<_>>());
    let t = c.task(1);
    assert_eq!((t.status.as_str(), t.assigned_height), ("assigned", submitted));
    assert_eq!(t.committee.len(), 1);
    assert_eq!(t.committee[0].operator, c.addr(0).to_valoper(), "the one bonded validator");
    assert_eq!(t.deadline_height, submitted + TIMEOUT);
    let queue = c.query::<pb::QueryQueueResponse>("Queue", pb::QueryQueueRequest { limit: 0 }).unwrap().tasks;
    assert_eq!(queue.iter().map(|t| (t.id, t.status.as_str())).collect::<Vec<_>>(), vec![(2, "queued")]);

    // The next block assigns the second.
    c.block(vec![]);
    assert_eq!(c.task(2).status, "assigned");
    assert!(c.query::<pb::QueryQueueResponse>("Queue", pb::QueryQueueRequest { limit: 0 }).unwrap().tasks.is_empty());
    assert_eq!(c.query::<pb::QueryResultResponse>("Result", pb::QueryResultRequest { task_id: 1 }).unwrap_err().0, 38);

    // No results (no vote extensions yet): refunded in full at the deadline,
    // the silent member losing reputation.
    let sender_before = c.balance(&c.addr(2));
    while c.height < submitted + TIMEOUT - 1 {
        c.block(vec![]);
        assert_eq!(c.balance(&escrow), 2 * PRICE);
    }
    let resp = c.block(vec![]);
    assert_eq!(common::event_attr(&resp.events, "inference_expire", "task_id"), vec!["1".to_string(), "2".to_string()]);
    assert_eq!(c.balance(&escrow), 0);
    assert_eq!(c.balance(&c.addr(2)), sender_before + PRICE);
    assert_eq!(c.task(1).status, "expired");
    let rep = c
        .query::<pb::QueryReputationResponse>("Reputation", pb::QueryReputationRequest { validator_address: c.addr(0).to_valoper() })
        .unwrap();
    assert!(rep.reputation < 0, "silence costs reputation: {}", rep.reputation);

    // The owner delists; a non-owner cannot.
    let delist = |c: &Chain, from: usize| any(&pb::MsgDelistModel { owner: c.addr(from).to_bech32(), model_id: sha() });
    let r = c.run(2, delist(&c, 2));
    assert_eq!((r.codespace.as_str(), r.code), ("inference", 4), "{}", r.log);
    c.ok(1, delist(&c, 1));
    assert!(c.query::<pb::QueryModelsResponse>("Models", pb::QueryModelsRequest {}).unwrap().models.is_empty());
}

#[test]
fn credits_mint_in_the_cw20_and_lock_stake_against_undelegation() {
    let (mut c, _) = setup();
    let val = c.addr(0).to_valoper();
    let stake = |amount: u128| Some(PCoin { denom: "uvvv".into(), amount: amount.to_string() });
    let d = c.addr(3).to_bech32();
    c.ok(3, any(&stakingpb::MsgDelegate { delegator_address: d.clone(), validator_address: val.clone(), amount: stake(10 * VVV) }));

    // 3 credits at 1 VVV each, rising with credits outstanding.
    let r = c.ok(3, any(&pb::MsgMintCredits { owner: d.clone(), credits: "3".into(), max_stake: String::new() }));
    let locked: u128 = response::<pb::MsgMintCreditsResponse>(&r).locked.parse().unwrap();
    assert!(locked > 3 * VVV && locked < 3 * VVV + 10, "{locked}");
    let bal = c.smart(&credit_contract(), &json!({"balance": {"address": d}}));
    assert_eq!(bal["balance"], "3", "minted in the cw20 by the module account");
    let q = c.query::<pb::QueryCreditsResponse>("Credits", pb::QueryCreditsRequest { address: d.clone() }).unwrap();
    assert_eq!((q.credits.as_str(), q.locked.clone(), q.credits_outstanding.as_str()), ("3", locked.to_string(), "3"));
    assert_eq!(q.allowance_left, 300);

    // All 10 VVV out would leave less than the lock: refused by staking.
    let undelegate = |amount: u128| {
        any(&stakingpb::MsgUndelegate { delegator_address: d.clone(), validator_address: val.clone(), amount: stake(amount) })
    };
    let r = c.run(3, undelegate(10 * VVV));
    assert_eq!((r.codespace.as_str(), r.code), ("staking", 100), "{}", r.log);
    let r = c.run(3, undelegate(10 * VVV - locked + 1));
    assert_eq!((r.codespace.as_str(), r.code), ("staking", 100), "{}", r.log);
    c.ok(3, undelegate(10 * VVV - locked));
    // A mint beyond the unlocked stake fails.
    let r = c.run(3, any(&pb::MsgMintCredits { owner: d.clone(), credits: "1".into(), max_stake: String::new() }));
    assert_eq!((r.codespace.as_str(), r.code), ("sdk", 5), "{}", r.log);

    // Burning unlocks: the holder burns its own cw20 credits.
    let r = c.ok(3, any(&pb::MsgBurnCredits { owner: d.clone(), credits: "3".into() }));
    assert_eq!(response::<pb::MsgBurnCreditsResponse>(&r).unlocked, locked.to_string());
    assert_eq!(c.smart(&credit_contract(), &json!({"balance": {"address": d}}))["balance"], "0");
    assert_eq!(c.smart(&credit_contract(), &json!({"token_info": {}}))["total_supply"], "0");
    c.ok(3, undelegate(locked));
}

#[test]
fn inference_params_change_through_gov_shaped_msg_update_params_only() {
    let (mut c, _) = setup();
    let mut p = c.query::<pb::QueryParamsResponse>("Params", pb::QueryParamsRequest {}).unwrap().params.unwrap();
    assert_eq!((p.block_work_budget, p.credit_contract.clone()), (1, credit_contract().to_bech32()));
    p.block_work_budget = 7;
    let r = c.run(1, any(&pb::MsgUpdateParams { authority: c.addr(1).to_bech32(), params: Some(p) }));
    assert_ne!(r.code, 0, "only gov may change params");
}

/// This node's executor, as far as ExtendVote sees it.
struct Finished(Vec<u8>, Vec<venice_types::inference::TaskResult>);
impl venice_inference::local::LocalResults for Finished {
    fn consensus_address(&self) -> Option<Vec<u8>> {
        Some(self.0.clone())
    }
    fn finished(&self) -> Vec<venice_types::inference::TaskResult> {
        self.1.clone()
    }
}

fn cons_addr(i: usize) -> Vec<u8> {
    venice_sdk::Address::consensus(&consensus_key(i).verification_key().to_bytes()).as_bytes().to_vec()
}

/// Validator 0's extension `ext` for `height`, signed with `key`.
fn extended_commit(height: u64, ext: Vec<u8>, key: &ed25519_consensus::SigningKey) -> abci::ExtendedCommitInfo {
    signed_commit(height, &[(0, ext, key.clone())])
}

/// Commit votes of validators `(index, extension, signing key)`.
fn signed_commit(height: u64, votes: &[(usize, Vec<u8>, ed25519_consensus::SigningKey)]) -> abci::ExtendedCommitInfo {
    let votes = votes
        .iter()
        .map(|(i, ext, key)| abci::ExtendedVoteInfo {
            validator: Some(abci::Validator { address: cons_addr(*i).into(), power: 100 }),
            vote_extension: ext.clone().into(),
            extension_signature: key
                .sign(&venice_inference::commit::sign_bytes(ext, height, 0, common::CHAIN_ID))
                .to_bytes()
                .to_vec()
                .into(),
            block_id_flag: 2,
        })
        .collect();
    abci::ExtendedCommitInfo { round: 0, votes }
}

/// The envelope ExtendVote builds around inference's part.
fn envelope(results: Vec<venice_types::inference::TaskResult>) -> Vec<u8> {
    let part = venice_types::inference::InferenceVoteExtension { results }.encode_to_vec();
    let env = venice_sdk::manager::VoteExtension {
        parts: vec![venice_sdk::manager::ExtensionPart { module: venice_inference::MODULE.into(), data: part }],
    };
    borsh::to_vec(&env).unwrap()
}

#[test]
fn a_member_out_voted_past_the_reputation_threshold_is_slashed_and_jailed() {
    use cosmos_sdk_proto::cosmos::staking::v1beta1 as spb;
    // One disagreement reaches the threshold.
    let (mut c, nft) = setup_with(Chain::with_params(|p| {
        p["disagree_penalty"] = "10".into();
        p["slash_threshold"] = "10".into();
        p["slash_fraction"] = "0.010000000000000000".into();
    }));
    for i in 1..4 {
        c.ok(i, create_validator(&c, i, 100 * VVV));
    }
    let mut listing = pb::MsgRegisterModel::decode(register(&c, 1, &nft).value.as_slice()).unwrap();
    listing.committee_size = 4;
    c.ok(1, any(&listing));
    let tx = c.tx(2, submit(&c, 2, "[[0.5]]"));
    c.block(vec![tx]);
    let assigned = c.height;
    assert_eq!(c.task(1).committee.len(), 4);

    // Validators 0-2 agree, 3 reports another output.
    let answer = |hash: u8| envelope(vec![venice_types::inference::TaskResult { task_id: 1, output_hash: vec![hash; 32], output: vec![] }]);
    let votes: Vec<_> = (0..4).map(|i| (i, answer(if i == 3 { 9 } else { 7 }), consensus_key(i))).collect();
    let injected = venice_inference::commit::encode_injected(&signed_commit(assigned, &votes));
    let height = assigned + 1;
    let status = c
        .app
        .process_proposal(abci::RequestProcessProposal { txs: vec![injected.clone().into()], height: height as i64, ..Default::default() })
        .status;
    assert_eq!(status, abci::response_process_proposal::ProposalStatus::Accept as i32);
    c.height += 1;
    let resp = common::run_block_checked(&c.app, c.height, vec![injected]);
    assert_eq!(c.task(1).status, "final");
    let reasons = common::event_attr(&resp.events, "slash", "reason");
    assert_eq!(reasons, vec!["inference_fault".to_string()]);
    let r = c.app.query(abci::RequestQuery {
        path: "/cosmos.staking.v1beta1.Query/Validator".into(),
        data: spb::QueryValidatorRequest { validator_addr: c.addr(3).to_valoper() }.encode_to_vec().into(),
        height: 0,
        prove: false,
    });
    let v = spb::QueryValidatorResponse::decode(r.value.as_ref()).unwrap().validator.unwrap();
    assert!(v.jailed, "jailed by the slashing module");
    assert_eq!(v.tokens, (99 * VVV).to_string(), "1% of its 100 VVV burned");
    // Its reputation starts again from zero; the agreeing members gained.
    let rep = |i: usize| {
        c.query::<pb::QueryReputationResponse>("Reputation", pb::QueryReputationRequest { validator_address: c.addr(i).to_valoper() })
            .unwrap()
            .reputation
    };
    assert_eq!((rep(0), rep(3)), (1, 0));
}

#[test]
fn results_ride_in_the_injected_extended_commit_and_finalise_the_task() {
    use abci::response_process_proposal::ProposalStatus;
    use abci::response_verify_vote_extension::VerifyStatus;
    use sha2::Digest;
    let (mut c, nft) = setup();
    c.ok(1, register(&c, 1, &nft));
    let tx = c.tx(2, submit(&c, 2, "[[0.5]]"));
    c.block(vec![tx]);
    let assigned = c.height;
    assert_eq!(c.task(1).status, "assigned");
    let owner_before = c.balance(&c.addr(1));

    // Validator 0's executor finished task 1: its ExtendVote carries it,
    // and every validator's VerifyVoteExtension accepts that.
    let output = br#"{"label":[7]}"#.to_vec();
    let hash: [u8; 32] = sha2::Sha256::digest(&output).into();
    let me = venice_sdk::Address::consensus(&consensus_key(0).verification_key().to_bytes()).as_bytes().to_vec();
    let result = venice_types::inference::TaskResult { task_id: 1, output_hash: hash.to_vec(), output: output.clone() };
    c.app.modules.inference.as_ref().unwrap().set_local_results(std::sync::Arc::new(Finished(me, vec![result])));
    let ext = c.app.extend_vote(abci::RequestExtendVote { height: assigned as i64, ..Default::default() }).vote_extension.to_vec();
    assert!(!ext.is_empty());
    let verify = |ext: Vec<u8>| {
        c.app
            .verify_vote_extension(abci::RequestVerifyVoteExtension {
                vote_extension: ext.into(),
                height: assigned as i64,
                ..Default::default()
            })
            .status
    };
    assert_eq!(verify(ext.clone()), VerifyStatus::Accept as i32);
    let mut flipped = ext.clone();
    *flipped.last_mut().unwrap() ^= 1;
    assert_eq!(verify(flipped), VerifyStatus::Reject as i32, "an inline output that no longer matches its hash");

    // The proposer of the next height injects the signed extended commit first.
    let height = assigned + 1;
    let user_tx = c.tx(
        3,
        any(&cosmos_sdk_proto::cosmos::bank::v1beta1::MsgSend {
            from_address: c.addr(3).to_bech32(),
            to_address: c.addr(2).to_bech32(),
            amount: vec![PCoin { denom: "uvvv".into(), amount: "1".into() }],
        }),
    );
    let commit = extended_commit(assigned, ext.clone(), &consensus_key(0));
    let prepared = c.app.prepare_proposal(abci::RequestPrepareProposal {
        height: height as i64,
        local_last_commit: Some(commit.clone()),
        txs: vec![user_tx.clone().into()],
        max_tx_bytes: 1 << 20,
        ..Default::default()
    });
    assert_eq!(prepared.txs.len(), 2);
    assert!(venice_inference::commit::is_injected(&prepared.txs[0]));
    let process = |txs: Vec<bytes_of::B>| {
        c.app.process_proposal(abci::RequestProcessProposal { txs, height: height as i64, ..Default::default() }).status
    };
    assert_eq!(process(prepared.txs.clone()), ProposalStatus::Accept as i32);

    // What ProcessProposal refuses: the commit after a user tx, no commit,
    // a signature by another key, an answer rewritten after signing.
    assert_eq!(process(vec![prepared.txs[1].clone(), prepared.txs[0].clone()]), ProposalStatus::Reject as i32);
    assert_eq!(process(vec![prepared.txs[1].clone()]), ProposalStatus::Reject as i32);
    let forged = venice_inference::commit::encode_injected(&extended_commit(assigned, ext.clone(), &consensus_key(5)));
    assert_eq!(process(vec![forged.into(), prepared.txs[1].clone()]), ProposalStatus::Reject as i32);
    let mut tampered = commit.clone();
    let mut bytes = tampered.votes[0].vote_extension.to_vec();
    let at = bytes.windows(32).position(|w| w == hash).unwrap();
    bytes[at] ^= 1;
    tampered.votes[0].vote_extension = bytes.into();
    let tampered = venice_inference::commit::encode_injected(&tampered);
    assert_eq!(process(vec![tampered.clone().into(), prepared.txs[1].clone()]), ProposalStatus::Reject as i32);

    // Users cannot send the injected transaction.
    let r = c.app.check_tx(abci::RequestCheckTx { tx: prepared.txs[0].clone(), r#type: 0 });
    assert_ne!(r.code, 0);
    assert!(r.log.contains("built by the block proposer"), "{}", r.log);

    // The block applies it before anything else: the task is final with the
    // inline output, the model owner paid from the escrow.
    c.height += 1;
    let resp = common::run_block_checked(&c.app, c.height, prepared.txs.iter().map(|t| t.to_vec()).collect());
    assert_eq!(resp.tx_results.len(), 2);
    assert_eq!(resp.tx_results[1].code, 0, "{}", resp.tx_results[1].log);
    assert_eq!(common::event_attr(&resp.events, "inference_result", "task_id"), vec!["1".to_string()]);
    let t = c.task(1);
    assert_eq!(t.status, "final");
    let r = c.query::<pb::QueryResultResponse>("Result", pb::QueryResultRequest { task_id: 1 }).unwrap().result.unwrap();
    assert_eq!((r.output_hash, r.output), (hash.to_vec(), output));
    assert_eq!(c.balance(&venice_inference::module_address()), 0);
    assert!(c.balance(&c.addr(1)) > owner_before, "the model owner's share");
    // Its executor has nothing more to say about task 1.
    assert!(c.app.extend_vote(abci::RequestExtendVote { height: c.height as i64, ..Default::default() }).vote_extension.is_empty());
}

mod bytes_of {
    pub type B = prost::bytes::Bytes;
}

const DATA_CREDENTIAL_CODE: u64 = 3;

fn submit_with_credential(c: &Chain, from: usize, contract: &Address, id: u64) -> Any {
    any(&pb::MsgSubmitInference {
        sender: c.addr(from).to_bech32(),
        model_id: sha(),
        input: vec![],
        data_credential: Some(pb::DataCredentialRef { contract: contract.to_bech32(), credential_id: id }),
        max_fee: Some(PCoin { denom: "uvvv".into(), amount: PRICE.to_string() }),
        priority: String::new(),
    })
}

#[test]
fn a_data_credential_input_spends_a_use_in_the_real_contract() {
    let (mut c, nft) = setup();
    // A dataset is paid as the model's largest input: keep it within the
    // one unit of work these blocks have.
    let mut small = pb::MsgRegisterModel::decode(register(&c, 1, &nft).value.as_slice()).unwrap();
    small.max_input_bytes = 1024;
    c.ok(1, any(&small));
    assert_eq!(c.store(0, "data_credential"), DATA_CREDENTIAL_CODE);
    let creds = c.instantiate(0, DATA_CREDENTIAL_CODE, &json!({"admin": c.addr(0).to_bech32(), "consumers": []}));
    let hash = "ab".repeat(32);
    let dataset = |consumers: Vec<String>| {
        json!({"register_dataset": {"data_hash": hash, "uri": "file:///datasets/digit.json", "terms": "CC-BY-4.0",
               "offer": {"price": {"denom": "uvvv", "amount": "0"}, "validity": {"height": 1000}, "uses": 2, "transferable": false},
               "consumers": consumers}})
    };
    // Dataset 1 names the inference module account as its consumer; dataset 2 does not.
    c.execute(2, &creds, &dataset(vec![venice_inference::module_address().to_bech32()]));
    c.execute(2, &creds, &dataset(vec![]));
    c.execute(2, &creds, &json!({"purchase": {"dataset_id": 1}}));
    c.execute(2, &creds, &json!({"purchase": {"dataset_id": 2}}));
    let uses = |c: &Chain, id: u64| c.smart(&creds, &json!({"credential": {"credential_id": id}}))["credential"]["remaining_uses"].clone();

    // Someone else's credential: refused by the module, no use spent, no fee taken.
    let before = c.balance(&c.addr(3));
    let r = c.run(3, submit_with_credential(&c, 3, &creds, 1));
    assert_eq!((r.codespace.as_str(), r.code), ("inference", 21), "{}", r.log);
    assert!(r.log.contains("held by"), "{}", r.log);
    assert_eq!(c.balance(&c.addr(3)), before - 5000, "the tx fee only");
    // A dataset that does not name the module: the contract refuses, and the
    // rolled-back message spends nothing.
    let r = c.run(2, submit_with_credential(&c, 2, &creds, 2));
    assert_eq!((r.codespace.as_str(), r.code), ("inference", 21), "{}", r.log);
    assert!(r.log.contains("not an authorised consumer"), "{}", r.log);
    assert_eq!(uses(&c, 2), json!(2));

    // The holder's own: one use each, the dataset recorded on the task.
    let r = c.ok(2, submit_with_credential(&c, 2, &creds, 1));
    let id = response::<pb::MsgSubmitInferenceResponse>(&r).task_id;
    assert_eq!(uses(&c, 1), json!(1));
    let t = c.task(id);
    assert!(t.input.is_empty());
    assert_eq!(t.data_credential.unwrap().credential_id, 1);
    let d = t.dataset.unwrap();
    assert_eq!((d.dataset_id, d.data_hash.as_str(), d.uri.as_str()), (1, hash.as_str(), "file:///datasets/digit.json"));
    assert_eq!((t.storage_uri.as_str(), t.max_input_bytes), ("venice://models/digits", 1024));
    let id2 = response::<pb::MsgSubmitInferenceResponse>(&c.ok(2, submit_with_credential(&c, 2, &creds, 1))).task_id;
    assert_eq!(uses(&c, 1), json!(0));
    let r = c.run(2, submit_with_credential(&c, 2, &creds, 1));
    assert_eq!((r.codespace.as_str(), r.code), ("inference", 21), "{}", r.log);
    assert!(r.log.contains("uses left"), "{}", r.log);
    assert_eq!(c.balance(&venice_inference::module_address()), 2 * PRICE, "two tasks escrowed");

    // No vote extensions here: both expire at their deadline, the fees come
    // back, and the contract gets both uses back from the module.
    let deadline = c.task(id2).deadline_height;
    while c.height < deadline {
        c.block(vec![]);
    }
    assert_eq!((c.task(id).status.as_str(), c.task(id2).status.as_str()), ("expired", "expired"));
    assert_eq!(c.balance(&venice_inference::module_address()), 0);
    assert_eq!(uses(&c, 1), json!(2));
    c.ok(2, submit_with_credential(&c, 2, &creds, 1));
    assert_eq!(uses(&c, 1), json!(1));
}

#[test]
fn ended_tasks_are_pruned_after_the_retention_and_queries_say_not_found() {
    let (mut c, nft) = setup_with(Chain::with_params(|p| p["ended_task_retention_blocks"] = "2".into()));
    c.ok(1, register(&c, 1, &nft));
    let r = c.ok(2, submit(&c, 2, "[[0.5]]"));
    let id = response::<pb::MsgSubmitInferenceResponse>(&r).task_id;
    // No vote extensions here: it expires at its deadline, refunded.
    let deadline = c.task(id).deadline_height;
    while c.height < deadline {
        c.block(vec![]);
    }
    let t = c.task(id);
    assert_eq!((t.status.as_str(), t.ended_height), ("expired", deadline));
    c.block(vec![]);
    assert_eq!(c.task(id).status, "expired", "kept for the retention");
    c.block(vec![]);
    let (code, log) = c.query::<pb::QueryTaskResponse>("Task", pb::QueryTaskRequest { task_id: id }).unwrap_err();
    assert!(code != 0 && log.contains("not found"), "{code}: {log}");
}
