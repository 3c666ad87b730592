//! `make bench` (inference part): what inference in blocks costs the
//! state machine. Prints numbers, asserts only that every step succeeds.
//!
//! 1. `ProcessProposal`'s check of the injected extended commit (every
//!    ed25519 signature over its `CanonicalVoteExtension`, every
//!    extension's format, the 2/3 of power) for 4 and 100 validators, with
//!    1,000 tasks answered (committees of 4) and inline outputs.
//! 2. Tasks finalised per block: 1,000 tasks submitted in one block and
//!    assigned to the 4 validators, then the block whose injected commit
//!    carries all four validators' answers, through the real
//!    `ProcessProposal`, `FinalizeBlock` and `Commit` of the app (fees
//!    routed, results stored, reputations moved).
//!
//! Run: `cargo bench -p veniced --bench inference` (BENCH_QUICK=1: 200 tasks).

use std::time::{Duration, Instant};

use cosmos_sdk_proto::Any;
use cosmos_sdk_proto::cosmos::base::v1beta1::Coin as PCoin;
use ed25519_consensus::SigningKey;
use prost::{Message, Name};
use sha2::{Digest, Sha256};
use tendermint_proto::v0_38::abci as pb;
use venice_inference::commit::{self, sign_bytes};
use venice_inference::state::Signer;
use venice_sdk::Address;
use venice_sdk::manager::{ExtensionPart, VoteExtension};
use venice_sdk::testing::{TestKey, TxParams};
use venice_store::{Store, StoreOptions};
use venice_types::inference::{self as ipb, InferenceVoteExtension, TaskResult};
use veniced::App;
use veniced::genesis::AppGenesis;

const CHAIN_ID: &str = "venice-bench";
const VVV: u128 = 1_000_000;
const PRICE: u128 = 100;

fn cons_key(v: usize) -> SigningKey {
    SigningKey::from([v as u8 + 1; 32])
}

fn cons_addr(v: usize) -> Vec<u8> {
    Address::consensus(&cons_key(v).verification_key().to_bytes()).as_bytes().to_vec()
}

/// A canonical output of about the digits model's size, and its hash.
fn output(task: u64) -> (Vec<u8>, Vec<u8>) {
    let mut out = vec![0u8; 100];
    out[..8].copy_from_slice(&task.to_be_bytes());
    let hash = Sha256::digest(&out).to_vec();
    (out, hash)
}

fn envelope(tasks: impl Iterator<Item = u64>) -> Vec<u8> {
    let results = tasks
        .map(|t| {
            let (out, hash) = output(t);
            TaskResult { task_id: t, output_hash: hash, output: out }
        })
        .collect();
    let part = InferenceVoteExtension { results }.encode_to_vec();
    borsh::to_vec(&VoteExtension { parts: vec![ExtensionPart { module: venice_inference::MODULE.into(), data: part }] }).unwrap()
}

fn signed_commit(height: u64, exts: &[(usize, Vec<u8>)], power: i64) -> pb::ExtendedCommitInfo {
    let votes = exts
        .iter()
        .map(|(v, ext)| pb::ExtendedVoteInfo {
            validator: Some(pb::Validator { address: cons_addr(*v).into(), power }),
            vote_extension: ext.clone().into(),
            extension_signature: cons_key(*v).sign(&sign_bytes(ext, height, 0, CHAIN_ID)).to_bytes().to_vec().into(),
            block_id_flag: 2,
        })
        .collect();
    pb::ExtendedCommitInfo { round: 0, votes }
}

fn us(d: Duration) -> String {
    format!("{:.1} µs", d.as_secs_f64() * 1e6)
}
fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

/// Part 1: the signature and format check alone, median of 21.
fn verify_bench(tasks: u64) {
    println!("-- ProcessProposal: the injected extended commit of {tasks} tasks (committees of 4), median of 21 --");
    let limits = venice_inference::Params::default().extension_limits();
    for n in [4usize, 100] {
        let signers: Vec<Signer> = (0..n)
            .map(|v| Signer { consensus_address: cons_addr(v), pubkey: cons_key(v).verification_key().to_bytes().to_vec(), power: 10 })
            .collect();
        // Task t's committee: validators t, t+1, t+2, t+3 (mod n).
        let exts: Vec<(usize, Vec<u8>)> =
            (0..n).map(|v| (v, envelope((1..=tasks).filter(|t| (0..4).any(|k| (*t as usize + k) % n == v))))).collect();
        let c = signed_commit(7, &exts, 10);
        let tx = commit::encode_injected(&c);
        let mut times: Vec<Duration> = (0..21)
            .map(|_| {
                let t = Instant::now();
                let decoded = commit::decode_injected(&tx).unwrap();
                let ok = commit::verify(&decoded, CHAIN_ID, 7, &signers, |e| {
                    let part = VoteExtension::part(e, venice_inference::MODULE).unwrap();
                    venice_inference::extension::verify_extension_format(&part, &limits).map(|_| ()).map_err(|e| e.to_string())
                })
                .unwrap();
                assert_eq!(ok.len(), n);
                t.elapsed()
            })
            .collect();
        times.sort();
        println!(
            "{n:>3} validators: {} per proposal ({} bytes injected, {} per validator)",
            us(times[10]),
            tx.len(),
            us(times[10] / n as u32)
        );
    }
}

fn any<M: Name>(m: &M) -> Any {
    Any { type_url: format!("/{}", M::full_name()), value: m.encode_to_vec() }
}

fn gentx(k: &TestKey, v: usize) -> serde_json::Value {
    let msg = k.create_validator_msg(&cons_key(v).verification_key().to_bytes(), 1_000 * VVV);
    let raw = k.sign_tx(
        vec![msg],
        &TxParams { chain_id: CHAIN_ID.into(), account_number: 0, sequence: 0, fee: 0, gas: 400_000, ..Default::default() },
    );
    serde_json::to_value(veniced::genutil::TxJson::from_raw(&raw).unwrap()).unwrap()
}

/// Part 2: one chain, `tasks` submitted in block 2, answered in block 4.
fn finalise_bench(tasks: u64) {
    let model_id = [0x3fu8; 32];
    let senders = 4 + (tasks as usize).div_ceil(10);
    let keys: Vec<TestKey> = (0..senders as u64).map(TestKey::from_seed).collect();
    let mut g = AppGenesis::new_default();
    for k in &keys {
        g.add_account(&k.address(), &venice_sdk::Coins::parse("1000000000000uvvv").unwrap()).unwrap();
    }
    let mut state = serde_json::to_value(&g).unwrap();
    state["genutil"]["gen_txs"] = serde_json::json!((0..4).map(|v| gentx(&keys[v], v)).collect::<Vec<_>>());
    let mut inf = venice_inference::genesis::GenesisState::default();
    inf.params.block_work_budget = tasks.max(1);
    inf.params.max_committee_size = 4;
    inf.models.push(venice_inference::state::Model {
        id: model_id,
        nft_contract: Address::from_bytes(&[7; 32]).unwrap(),
        token_id: "digits".into(),
        price: venice_sdk::Coin::new("uvvv", PRICE),
        quant_rule_json: r#"{"fixed_point":{"scale_exp":4,"rounding":"half_even"}}"#.into(),
        io_schema_json: "{}".into(),
        storage_uri: "file:///models/digits.onnx".into(),
        max_input_bytes: 4096,
        max_output_bytes: 1024,
        committee_size: 4,
    });
    state["inference"] = serde_json::to_value(&inf).unwrap();
    let genesis = serde_json::json!({"chain_id": CHAIN_ID, "consensus_params": {"block": {"max_gas": "-1"}, "abci": {"vote_extensions_enable_height": "1"}}, "app_state": state});
    let dir = tempfile::tempdir().unwrap();
    let app = App::new(Store::open(&dir.path().join("db"), StoreOptions::default()).unwrap(), vec![]);
    app.init_chain(veniced::genesis::init_chain_request(&genesis).unwrap()).unwrap();
    let block = |height: u64, txs: Vec<Vec<u8>>| -> (pb::ResponseFinalizeBlock, Duration) {
        let txs: Vec<_> = txs.into_iter().map(Into::into).collect();
        let t = Instant::now();
        let p = app.process_proposal(pb::RequestProcessProposal { txs: txs.clone(), height: height as i64, ..Default::default() });
        assert_eq!(p.status, pb::response_process_proposal::ProposalStatus::Accept as i32, "proposal at {height}");
        let r = app.finalize_block(pb::RequestFinalizeBlock { txs, height: height as i64, ..Default::default() }).unwrap();
        app.commit().unwrap();
        app.store.wait_indexed().unwrap();
        (r, t.elapsed())
    };
    let input = br#"{"inputs":{"input":{"dtype":"float32","shape":[1,64],"data":[0,0,5,13,9,1,0,0,0,0,13,15,10,15,5,0,0,3,15,2,0,11,8,0,0,4,12,0,0,8,8,0,0,5,8,0,0,9,8,0,0,4,11,0,1,12,7,0,0,2,14,5,10,12,0,0,0,0,6,13,10,0,0,0]}}}"#;
    block(1, vec![]);
    let empty_commit = |h: u64| commit::encode_injected(&signed_commit(h, &(0..4).map(|v| (v, vec![])).collect::<Vec<_>>(), 1_000));
    let mut txs = vec![empty_commit(1)];
    let mut seq = vec![0u64; senders];
    for t in 0..tasks {
        let s = 4 + (t as usize % (senders - 4));
        let m = ipb::MsgSubmitInference {
            sender: keys[s].address().to_bech32(),
            model_id: hex::encode(model_id),
            input: input.to_vec(),
            data_credential: None,
            max_fee: Some(PCoin { denom: "uvvv".into(), amount: PRICE.to_string() }),
            priority: String::new(),
        };
        let p =
            TxParams { chain_id: CHAIN_ID.into(), account_number: s as u64, sequence: seq[s], fee: 0, gas: 200_000, ..Default::default() };
        seq[s] += 1;
        txs.push(keys[s].sign_tx(vec![any(&m)], &p));
    }
    let (r, t_submit) = block(2, txs);
    assert!(r.tx_results.iter().all(|r| r.code == 0), "{:?}", r.tx_results.iter().find(|r| r.code != 0));
    block(3, vec![empty_commit(2)]);
    // Every validator answers every task (committees of 4 out of 4).
    let exts: Vec<(usize, Vec<u8>)> = (0..4).map(|v| (v, envelope(1..=tasks))).collect();
    let injected = commit::encode_injected(&signed_commit(3, &exts, 1_000));
    let (r, t_final) = block(4, vec![injected.clone()]);
    let finals = r.events.iter().filter(|e| e.r#type == "inference_result").count() as u64;
    assert_eq!(finals, tasks, "every task final");
    println!("-- tasks finalised per block: {tasks} tasks, 4 validators, committees of 4 --");
    println!("block submitting {tasks} tasks (signatures, escrow, queue, assignment): {}", ms(t_submit));
    println!(
        "block finalising {tasks} tasks (ProcessProposal + FinalizeBlock + Commit, {} KB injected): {} ({:.0} tasks/s of state machine)",
        injected.len() / 1024,
        ms(t_final),
        tasks as f64 / t_final.as_secs_f64()
    );
}

fn main() {
    let quick = std::env::var("BENCH_QUICK").is_ok_and(|v| v == "1");
    let tasks = if quick { 200 } else { 1_000 };
    verify_bench(tasks);
    finalise_bench(tasks);
}
