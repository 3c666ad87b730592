//! SIGN_MODE_LEGACY_AMINO_JSON and `LegacyAminoPubKey` multisig signers,
//! through the real app: accepted when the signature covers the canonical
//! document, `unauthorized` (code 4) otherwise.

mod common;

use common::*;
use cosmos_sdk_proto::Any;
use cosmos_sdk_proto::cosmos::auth::v1beta1::{BaseAccount, QueryAccountRequest, QueryAccountResponse};
use cosmos_sdk_proto::cosmos::bank::v1beta1::MsgSend;
use cosmos_sdk_proto::cosmos::base::v1beta1::Coin;
use cosmos_sdk_proto::cosmos::tx::signing::v1beta1::SignMode;
use cosmos_sdk_proto::cosmos::tx::v1beta1::TxRaw;
use prost::Message;
use venice_sdk::testing::TestKey;
use venice_sdk::tx::MultisigKey;
use venice_sdk::tx::builder::{self as tx, FeeSpec};
use venice_sdk::tx::{BitArray, PubKey};
use venice_sdk::{Address, BASE_DENOM};

const FEE: u128 = 5000;

fn send_msg(from: &Address, to: &Address, amount: u128) -> Any {
    let m = MsgSend {
        from_address: from.to_bech32(),
        to_address: to.to_bech32(),
        amount: vec![Coin { denom: BASE_DENOM.into(), amount: amount.to_string() }],
    };
    Any { type_url: "/cosmos.bank.v1beta1.MsgSend".into(), value: m.encode_to_vec() }
}

fn account(f: &Fixture, addr: &Address) -> BaseAccount {
    let resp = f.query("/cosmos.auth.v1beta1.Query/Account", QueryAccountRequest { address: addr.to_bech32() }.encode_to_vec());
    assert_eq!(resp.code, 0, "{}", resp.log);
    let any = QueryAccountResponse::decode(resp.value.as_ref()).unwrap().account.unwrap();
    BaseAccount::decode(any.value.as_slice()).unwrap()
}

fn balance_of(f: &Fixture, addr: &Address) -> u128 {
    let req = cosmos_sdk_proto::cosmos::bank::v1beta1::QueryBalanceRequest { address: addr.to_bech32(), denom: BASE_DENOM.into() };
    let resp = f.query("/cosmos.bank.v1beta1.Query/Balance", req.encode_to_vec());
    let b = cosmos_sdk_proto::cosmos::bank::v1beta1::QueryBalanceResponse::decode(resp.value.as_ref()).unwrap();
    b.balance.unwrap().amount.parse().unwrap()
}

#[test]
fn amino_signed_send_is_accepted_in_check_and_deliver() {
    let mut f = Fixture::new(2);
    let tx = f.keys[0].sign_tx_amino(vec![f.keys[0].send_msg(&f.keys[1].address(), 777)], &f.params(0, 0));
    assert_eq!(f.check(tx.clone()).code, 0);
    let (res, _) = f.block(vec![tx]);
    assert_eq!(res[0].code, 0, "{}", res[0].log);
    assert_eq!(f.balance(1), FUNDS + 777);
    assert_eq!(f.balance(0), FUNDS - 777 - FEE);
    // The next one, in the same mode, at sequence 1.
    let tx = f.keys[0].sign_tx_amino(vec![f.keys[0].send_msg(&f.keys[1].address(), 1)], &f.params(0, 1));
    let (res, _) = f.block(vec![tx]);
    assert_eq!(res[0].code, 0, "{}", res[0].log);
}

#[test]
fn amino_txs_in_a_large_block_take_the_parallel_path() {
    // 20 txs: signatures are pre-verified on worker threads.
    let mut f = Fixture::new(20);
    let txs: Vec<_> =
        (0..20).map(|i| f.keys[i].sign_tx_amino(vec![f.keys[i].send_msg(&f.keys[(i + 1) % 20].address(), 10)], &f.params(i, 0))).collect();
    let (res, _) = f.block(txs);
    assert!(res.iter().all(|r| r.code == 0), "{:?}", res.iter().map(|r| &r.log).collect::<Vec<_>>());
}

/// An amino tx whose signature is over `doc` instead of the chain's document.
fn amino_tx_signing(key: &TestKey, msgs: Vec<Any>, memo: &str, doc: impl FnOnce(String) -> String) -> Vec<u8> {
    let fee = FeeSpec { amount: vec![venice_sdk::Coin::new(BASE_DENOM, FEE)], gas_limit: 200_000 };
    let pk = PubKey::Secp256k1(key.pub_key());
    let auth = tx::auth_info(vec![tx::signer_info(Some(&pk), 0, tx::single_mode(SignMode::LegacyAminoJson))], &fee).encode_to_vec();
    let body = tx::body_bytes(msgs, memo, 0);
    let canonical = String::from_utf8(tx::amino_sign_bytes(&body, &auth, CHAIN_ID, 0, 0).unwrap()).unwrap();
    let signed = doc(canonical);
    TxRaw { body_bytes: body, auth_info_bytes: auth, signatures: vec![key.sign_bytes(signed.as_bytes())] }.encode_to_vec()
}

#[test]
fn wrongly_sorted_or_tampered_amino_documents_are_unauthorized() {
    let mut f = Fixture::new(2);
    let msg = || vec![f.keys[0].send_msg(&f.keys[1].address(), 5)];
    // Control (sent last): the canonical document verifies.
    let ok = amino_tx_signing(&f.keys[0], msg(), "m", |d| d);
    let unsorted = amino_tx_signing(&f.keys[0], msg(), "m", |d| {
        // "sequence" moved to the front: same content, wrong order.
        let at = d.find(",\"sequence\"").unwrap();
        format!("{{{},{}}}", &d[at + 1..d.len() - 1], &d[1..at])
    });
    let spaced = amino_tx_signing(&f.keys[0], msg(), "m", |d| d.replace(":", ": "));
    let other_memo = amino_tx_signing(&f.keys[0], msg(), "m", |d| d.replace("\"memo\":\"m\"", "\"memo\":\"n\""));
    let other_amount = amino_tx_signing(&f.keys[0], msg(), "m", |d| d.replace("\"amount\":\"5\"", "\"amount\":\"6\""));
    let unescaped = amino_tx_signing(&f.keys[0], msg(), "<m>", |d| d.replace("\\u003cm\\u003e", "<m>"));
    for (name, tx) in [("unsorted", unsorted), ("spaced", spaced), ("memo", other_memo), ("amount", other_amount), ("unescaped", unescaped)]
    {
        let r = f.check(tx.clone());
        assert_eq!((r.codespace.as_str(), r.code), ("sdk", 4), "{name}: {}", r.log);
        assert!(r.log.contains("signature verification failed"), "{name}: {}", r.log);
        let (res, _) = f.block(vec![tx]);
        assert_eq!(res[0].code, 4, "{name}: {}", res[0].log);
    }
    assert_eq!(f.balance(1), FUNDS);
    let (res, _) = f.block(vec![ok]);
    assert_eq!(res[0].code, 0, "{}", res[0].log);
    assert_eq!(f.balance(1), FUNDS + 5);
}

/// A 2-of-3 multisig over keys 0, 1, 2 of the fixture.
fn multisig(f: &Fixture) -> MultisigKey {
    MultisigKey::new(2, (0..3).map(|i| f.keys[i].pub_key()).collect()).unwrap()
}

/// A send from the multisig signed by `signers` (member index, mode), with
/// the bit array `bits` (the signers' own when `None`).
fn multisig_send(
    f: &Fixture,
    ms: &MultisigKey,
    acc_num: u64,
    seq: u64,
    signers: &[(usize, SignMode)],
    bits: Option<BitArray>,
    to: &Address,
) -> Vec<u8> {
    let key = PubKey::Multisig(ms.clone());
    let fee = FeeSpec { amount: vec![venice_sdk::Coin::new(BASE_DENOM, FEE)], gas_limit: 300_000 };
    let bits = bits.unwrap_or_else(|| {
        let mut b = BitArray::new(ms.keys.len());
        signers.iter().for_each(|(i, _)| b.set(*i, true));
        b
    });
    let modes: Vec<SignMode> = signers.iter().map(|(_, m)| *m).collect();
    let auth = tx::auth_info(vec![tx::signer_info(Some(&key), seq, tx::multi_mode(&bits, &modes))], &fee).encode_to_vec();
    let body = tx::body_bytes(vec![send_msg(&key.address(), to, 1000)], "multisig", 0);
    let sigs = signers
        .iter()
        .map(|(i, mode)| {
            let doc = match mode {
                SignMode::Direct => tx::sign_doc_bytes(&body, &auth, CHAIN_ID, acc_num),
                _ => tx::amino_sign_bytes(&body, &auth, CHAIN_ID, acc_num, seq).unwrap(),
            };
            f.keys[*i].sign_bytes(&doc)
        })
        .collect();
    TxRaw { body_bytes: body, auth_info_bytes: auth, signatures: vec![tx::multi_signature(sigs)] }.encode_to_vec()
}

/// Fixture with the multisig funded; returns it and its account number.
fn funded_multisig() -> (Fixture, MultisigKey, u64) {
    let mut f = Fixture::new(4);
    let ms = multisig(&f);
    let addr = PubKey::Multisig(ms.clone()).address();
    let (res, _) = f.block(vec![f.keys[3].sign_send(&addr, 1_000_000, CHAIN_ID, 3, 0, FEE, 200_000)]);
    assert_eq!(res[0].code, 0, "{}", res[0].log);
    let num = account(&f, &addr).account_number;
    (f, ms, num)
}

#[test]
fn multisig_two_of_three_is_accepted_and_sets_the_key() {
    let (mut f, ms, num) = funded_multisig();
    let addr = PubKey::Multisig(ms.clone()).address();
    let to = f.keys[3].address();
    let tx = multisig_send(&f, &ms, num, 0, &[(0, SignMode::LegacyAminoJson), (2, SignMode::LegacyAminoJson)], None, &to);
    assert_eq!(f.check(tx.clone()).code, 0);
    let (res, _) = f.block(vec![tx]);
    assert_eq!(res[0].code, 0, "{}", res[0].log);
    assert_eq!(balance_of(&f, &addr), 1_000_000 - 1000 - FEE);
    let acc = account(&f, &addr);
    assert_eq!(acc.sequence, 1);
    let pk = acc.pub_key.expect("the multisig key is set by its first tx");
    assert_eq!(pk.type_url, "/cosmos.crypto.multisig.LegacyAminoPubKey");
    assert_eq!(PubKey::from_any(&pk).unwrap(), PubKey::Multisig(ms.clone()));
    // Members may mix modes; all three may sign.
    let tx = multisig_send(&f, &ms, num, 1, &[(0, SignMode::Direct), (1, SignMode::LegacyAminoJson), (2, SignMode::Direct)], None, &to);
    let (res, _) = f.block(vec![tx]);
    assert_eq!(res[0].code, 0, "{}", res[0].log);
    // Gas: one secp256k1 verification per member that signed.
    let two = multisig_send(&f, &ms, num, 2, &[(1, SignMode::Direct), (2, SignMode::Direct)], None, &to);
    let (res2, _) = f.block(vec![two]);
    assert_eq!(res2[0].code, 0, "{}", res2[0].log);
    assert!(
        res[0].gas_used >= res2[0].gas_used + 1000,
        "3 signatures cost a verification more than 2: {} vs {}",
        res[0].gas_used,
        res2[0].gas_used
    );
}

#[test]
fn multisig_below_threshold_or_with_a_wrong_bit_array_is_unauthorized() {
    let (mut f, ms, num) = funded_multisig();
    let addr = PubKey::Multisig(ms.clone()).address();
    let to = f.keys[3].address();
    let before = balance_of(&f, &addr);
    let one = multisig_send(&f, &ms, num, 0, &[(1, SignMode::LegacyAminoJson)], None, &to);
    // Bits say members 0 and 2, the signatures are 0's and 1's.
    let mut wrong = BitArray::new(3);
    wrong.set(0, true);
    wrong.set(2, true);
    let swapped = multisig_send(&f, &ms, num, 0, &[(0, SignMode::LegacyAminoJson), (1, SignMode::LegacyAminoJson)], Some(wrong), &to);
    let mut four = BitArray::new(4);
    four.set(0, true);
    four.set(1, true);
    let too_long = multisig_send(&f, &ms, num, 0, &[(0, SignMode::Direct), (1, SignMode::Direct)], Some(four), &to);
    for (name, tx, log) in [
        ("1 of 3", one, "not enough signatures: 1 of the 2 required"),
        ("bits of other members", swapped, "signature verification failed"),
        ("bit array of 4", too_long, "bit array size is incorrect"),
    ] {
        let r = f.check(tx.clone());
        assert_eq!((r.codespace.as_str(), r.code), ("sdk", 4), "{name}: {}", r.log);
        assert!(r.log.contains(log), "{name}: {}", r.log);
        let (res, _) = f.block(vec![tx]);
        assert_eq!(res[0].code, 4, "{name}: {}", res[0].log);
    }
    assert_eq!(balance_of(&f, &addr), before, "nothing moved, no fee taken");
}
