//! ABCI `Query` with `prove=true`: existence and non-existence proofs that
//! verify, with the `ics23` crate, against the app hash of the queried height.

mod common;

use common::*;
use ics23::HostFunctionsManager;
use prost::Message;
use tendermint_proto::v0_38::abci::RequestQuery;

fn balance_subkey(f: &Fixture, who: usize) -> Vec<u8> {
    let a = f.keys[who].address();
    [b"bal/".as_slice(), &[a.as_bytes().len() as u8], a.as_bytes(), b"uvvv"].concat()
}

fn prove(f: &Fixture, path: &str, key: Vec<u8>, height: i64) -> (Vec<u8>, Vec<u8>, ics23::CommitmentProof) {
    let r = f.app.query(RequestQuery { path: path.into(), data: key.into(), height, prove: true });
    assert_eq!(r.code, 0, "{}", r.log);
    assert_eq!(r.height, height);
    let ops = r.proof_ops.expect("proof requested");
    assert_eq!(ops.ops.len(), 1);
    assert_eq!(ops.ops[0].r#type, "ics23:jmt");
    let proof = ics23::CommitmentProof::decode(ops.ops[0].data.as_slice()).unwrap();
    (r.key.to_vec(), r.value.to_vec(), proof)
}

#[test]
fn existence_and_non_existence_proofs_verify_against_the_app_hash() {
    let mut f = Fixture::new(3);
    let (_, hash1) = f.block(vec![f.send(0, 1, 10, 0)]);
    let (_, hash2) = f.block(vec![f.send(0, 1, 10, 1)]);
    let spec = venice_store::Store::proof_spec();

    // Existence, at the latest and at a past height, each against its own root.
    for (height, root, expected) in [(1i64, &hash1, FUNDS + 10), (2, &hash2, FUNDS + 20)] {
        let (key, value, proof) = prove(&f, "/store/bank/key", balance_subkey(&f, 1), height);
        assert_eq!(u128::from_be_bytes(value.as_slice().try_into().unwrap()), expected);
        assert!(ics23::verify_membership::<HostFunctionsManager>(&proof, &spec, root, &key, &value));
        // Tampering with the value or the root breaks it.
        let mut forged = value.clone();
        forged[15] ^= 1;
        assert!(!ics23::verify_membership::<HostFunctionsManager>(&proof, &spec, root, &key, &forged));
        let other_root = if height == 1 { &hash2 } else { &hash1 };
        assert!(!ics23::verify_membership::<HostFunctionsManager>(&proof, &spec, other_root, &key, &value));
    }

    // Non-existence: an address that never held anything.
    let stranger = venice_sdk::testing::TestKey::from_seed(4242).address();
    let missing = [b"bal/".as_slice(), &[20u8], stranger.as_bytes(), b"uvvv"].concat();
    let (key, value, proof) = prove(&f, "/store/bank/key", missing, 2);
    assert!(value.is_empty());
    assert!(ics23::verify_non_membership::<HostFunctionsManager>(&proof, &spec, &hash2, &key));
    assert!(!ics23::verify_membership::<HostFunctionsManager>(&proof, &spec, &hash2, &key, b"x"));

    // Raw key path: the same key addressed in full.
    let full = [b"bank/".as_slice(), &balance_subkey(&f, 1)].concat();
    let (key, value, proof) = prove(&f, "/store/key", full.clone(), 2);
    assert_eq!(key, full);
    assert!(ics23::verify_membership::<HostFunctionsManager>(&proof, &spec, &hash2, &key, &value));
}

#[test]
fn proofs_at_pruned_heights_are_refused() {
    let mut f = Fixture::with_options(2, venice_store::StoreOptions { keep_recent: 2 }, vec![]);
    for seq in 0..5 {
        f.block(vec![f.send(0, 1, 1, seq)]);
    }
    let r = f.app.query(RequestQuery { path: "/store/bank/key".into(), data: balance_subkey(&f, 1).into(), height: 1, prove: true });
    assert_ne!(r.code, 0);
    assert!(r.log.to_lowercase().contains("prun"), "{}", r.log);
    let r = f.app.query(RequestQuery { path: "/store/bank/key".into(), data: balance_subkey(&f, 1).into(), height: 5, prove: true });
    assert_eq!(r.code, 0, "{}", r.log);
}
