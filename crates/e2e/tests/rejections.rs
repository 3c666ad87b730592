//! Every rejection the issue lists, sent as raw transactions through
//! CometBFT's `broadcast_tx_sync`, must come back with the Cosmos SDK's
//! codespace/code and a log that says what is wrong; none may move funds
//! beyond the fee, and the node must keep producing blocks.

use std::time::Duration;

use venice_e2e::Chain;
use venice_e2e::tx::{Outcome, Signer, TxSpec, account, any, balance, broadcast_sync, msg_send, submit};

const START: u128 = 5_000_000_000;

struct Case {
    name: &'static str,
    tx: Vec<u8>,
    code: u32,
    log_has: Vec<String>,
}

fn check(case: &Case, out: &Outcome) {
    assert_eq!(
        (out.codespace.as_str(), out.code),
        ("sdk", case.code),
        "{}: expected sdk/{}, got {}/{} ({} stage) log: {}",
        case.name,
        case.code,
        out.codespace,
        out.code,
        out.stage,
        out.log
    );
    let log = out.log.to_lowercase();
    for needle in &case.log_has {
        assert!(log.contains(&needle.to_lowercase()), "{}: log {:?} should mention {:?}", case.name, out.log, needle);
    }
}

#[test]
fn each_rejection_has_its_code_and_a_clear_log() {
    let sender = Signer::from_label("rejections/sender");
    let receiver = Signer::from_label("rejections/receiver");
    let mut chain = Chain::init("venice-e2e-reject");
    chain.add_genesis_account(&sender.address, &format!("{START}uvvv"));
    chain.start();
    let rpc = chain.rpc.clone();
    let (acc_num, seq) = account(&rpc, &sender.address).unwrap().expect("genesis account exists");
    assert_eq!(seq, 0);
    assert!(account(&rpc, &receiver.address).unwrap().is_none(), "receiver does not exist yet");

    let send = |amount| vec![msg_send(&sender.address, &receiver.address, amount)];
    let good = TxSpec::new(&chain.chain_id, acc_num, seq, send(1_000));

    let mut cases = Vec::new();
    cases.push(Case {
        name: "bad signature",
        tx: good.sign_corrupted(&sender),
        code: 4,
        log_has: vec!["signature verification failed".into()],
    });
    cases.push(Case {
        name: "wrong sequence",
        tx: TxSpec { sequence: 5, ..good.clone() }.sign(&sender),
        code: 32,
        log_has: vec!["account sequence mismatch".into(), "expected 0, got 5".into()],
    });
    cases.push(Case {
        name: "wrong chain-id",
        tx: TxSpec { chain_id: "some-other-chain".into(), ..good.clone() }.sign(&sender),
        code: 4,
        log_has: vec!["signature verification failed".into(), "chain-id".into(), chain.chain_id.clone()],
    });
    cases.push(Case {
        name: "wrong account number",
        tx: TxSpec { account_number: acc_num + 77, ..good.clone() }.sign(&sender),
        code: 4,
        log_has: vec!["signature verification failed".into(), format!("account number ({acc_num})")],
    });
    cases.push(Case {
        name: "insufficient fee",
        // 200000 gas at 0.0025uvvv needs 500uvvv.
        tx: TxSpec { fee: 1, ..good.clone() }.sign(&sender),
        code: 13,
        log_has: vec!["insufficient fee".into()],
    });
    cases.push(Case {
        name: "unknown message type",
        tx: TxSpec { msgs: vec![any("/cosmos.nothing.v1.MsgNothing", vec![1, 2, 3])], ..good.clone() }.sign(&sender),
        code: 6,
        log_has: vec!["/cosmos.nothing.v1.MsgNothing".into()],
    });
    cases.push(Case {
        name: "malformed bytes",
        tx: b"\xff\xfe this is not a protobuf TxRaw \x00\x01\x02".to_vec(),
        code: 2,
        log_has: vec![],
    });
    cases.push(Case {
        name: "out of gas",
        // Enough fee for the price, far too little gas for the per-byte cost.
        tx: TxSpec { gas_limit: 1_000, fee: 5, ..good.clone() }.sign(&sender),
        code: 11,
        log_has: vec!["out of gas".into()],
    });
    cases.push(Case {
        name: "tx too large",
        // Under CometBFT's 1 MiB mempool limit, so the app itself must refuse it.
        tx: TxSpec { memo: "x".repeat(600 * 1024), gas_limit: 50_000_000, fee: 125_000, ..good.clone() }.sign(&sender),
        code: 21,
        log_has: vec!["too large".into()],
    });

    for case in &cases {
        let out = submit(&rpc, &case.tx);
        eprintln!("{}: {} stage, {}/{}: {}", case.name, out.stage, out.codespace, out.code, out.log);
        check(case, &out);
        assert_eq!(out.stage, "check", "{}: refused by CheckTx, never reaches a block", case.name);
    }
    // None of them touched state: same sequence, same balance.
    assert_eq!(account(&rpc, &sender.address).unwrap(), Some((acc_num, 0)));
    assert_eq!(balance(&rpc, &sender.address).unwrap(), START);

    // Insufficient funds: the ante handler passes (the fee is covered), the
    // message fails in the block; the fee and the sequence stay charged, the
    // transfer rolls back.
    let broke = TxSpec::new(&chain.chain_id, acc_num, 0, send(START * 10));
    let out = submit(&rpc, &broke.sign(&sender));
    check(&Case { name: "insufficient funds", tx: vec![], code: 5, log_has: vec!["insufficient funds".into()] }, &out);
    let (fee_charged, next_seq) = if out.stage == "deliver" { (5_000, 1) } else { (0, 0) };
    assert_eq!(balance(&rpc, &sender.address).unwrap(), START - fee_charged);
    assert_eq!(account(&rpc, &sender.address).unwrap(), Some((acc_num, next_seq)));
    assert_eq!(balance(&rpc, &receiver.address).unwrap(), 0);

    // A fee the account cannot pay is insufficient funds too, in CheckTx.
    let out = submit(&rpc, &TxSpec { fee: START * 10, ..TxSpec::new(&chain.chain_id, acc_num, next_seq, send(1)) }.sign(&sender));
    check(&Case { name: "unpayable fee", tx: vec![], code: 5, log_has: vec!["insufficient funds".into()] }, &out);

    // A correct tx still goes through: the refusals left no trace.
    let ok = TxSpec::new(&chain.chain_id, acc_num, next_seq, send(777));
    let out = submit(&rpc, &ok.sign(&sender));
    assert_eq!((out.stage, out.code), ("deliver", 0), "valid send: {}", out.log);
    assert_eq!(balance(&rpc, &receiver.address).unwrap(), 777);
    assert_eq!(balance(&rpc, &sender.address).unwrap(), START - fee_charged - 777 - 5_000);
    // Replaying the same signed bytes is refused: by CometBFT's mempool cache
    // ("tx already exists in cache") or by the app's sequence check.
    match broadcast_sync(&rpc, &ok.sign(&sender)) {
        Ok(out) => assert_eq!(out.code, 32, "a replayed tx must be refused: {}", out.log),
        Err(e) => assert!(e.to_string().contains("already exists in cache"), "replay: {e}"),
    }

    let h = chain.height();
    chain.wait_height(h + 2, Duration::from_secs(15));
}
