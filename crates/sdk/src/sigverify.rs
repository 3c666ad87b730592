//! secp256k1 signature checks as the Cosmos SDK makes them: ECDSA over
//! sha256 of the sign bytes, a 33-byte compressed key, a 64-byte `r||s`
//! signature with low S.
//!
//! Production verification uses libsecp256k1 (the C library Bitcoin Core
//! uses, through the `secp256k1` crate): it verifies about 2.5 times as
//! fast as the pure-Rust `k256` here (`make bench-chain`), and signature
//! checks are the largest cost of a block of transfers. The `k256` verifier stays beside it, with the same
//! rules and the same error for every input, so tests can check both agree
//! and the benchmark can compare them.
//!
//! The two libraries differ at the edges, so the rules are spelled out here
//! rather than left to either: libsecp256k1 parses a zero `r` or `s` (and
//! only fails it at verification) where k256 refuses to parse it; it accepts
//! uncompressed and "hybrid" 65-byte keys where k256 accepts a different
//! set; and its verify rejects high S without saying why.

use std::sync::LazyLock;

use cosmos_sdk_proto::cosmos::crypto::multisig::v1beta1::MultiSignature;
use k256::ecdsa::signature::Verifier as _;
use prost::Message;
use sha2::{Digest, Sha256};

use crate::error::Error;
use crate::tx::{DecodedTx, PubKey, SignMode, sign_bytes};

/// A verification-only context: built once (it is immutable and holds no
/// secret), shared by every thread.
static SECP: LazyLock<secp256k1::Secp256k1<secp256k1::VerifyOnly>> = LazyLock::new(secp256k1::Secp256k1::verification_only);

pub const INVALID_PUBLIC_KEY: &str = "invalid public key";
pub const MALFORMED_SIGNATURE: &str = "malformed signature";
pub const HIGH_S: &str = "signature is not in lower-S form";
pub const MISMATCH: &str = "signature mismatch";

/// The checks both verifiers make on the bytes alone: a compressed key
/// (tag 2 or 3, 33 bytes; whether x is on the curve is the parser's call)
/// and a 64-byte signature with neither half zero.
fn check_shape(pub_key: &[u8], sig: &[u8]) -> Result<(), &'static str> {
    if pub_key.len() != 33 || !matches!(pub_key[0], 0x02 | 0x03) {
        return Err(INVALID_PUBLIC_KEY);
    }
    if sig.len() != 64 || sig[..32].iter().all(|&b| b == 0) || sig[32..].iter().all(|&b| b == 0) {
        return Err(MALFORMED_SIGNATURE);
    }
    Ok(())
}

/// Verify with libsecp256k1 (production).
pub fn verify_secp256k1(pub_key: &[u8], msg: &[u8], sig: &[u8]) -> Result<(), &'static str> {
    check_shape(pub_key, sig)?;
    let pk = secp256k1::PublicKey::from_slice(pub_key).map_err(|_| INVALID_PUBLIC_KEY)?;
    // Fails for r or s >= the group order, as k256's parser does.
    let sig = secp256k1::ecdsa::Signature::from_compact(sig).map_err(|_| MALFORMED_SIGNATURE)?;
    // libsecp256k1's verify refuses high S silently; test first so the
    // error names the real reason.
    let mut low = sig;
    low.normalize_s();
    if low != sig {
        return Err(HIGH_S);
    }
    let digest: [u8; 32] = Sha256::digest(msg).into();
    let msg = secp256k1::Message::from_digest(digest);
    SECP.verify_ecdsa(msg, &sig, &pk).map_err(|_| MISMATCH)
}

/// Where a signer signs: the fields its sign bytes commit to besides the tx.
#[derive(Clone, Copy, Debug)]
pub struct SignerData<'a> {
    pub chain_id: &'a str,
    pub account_number: u64,
    pub sequence: u64,
}

/// Check signer `sig` of `tx` under `key`, signed in `mode`: a secp256k1
/// key in direct or amino JSON mode, or a `LegacyAminoPubKey` multisig
/// whose `MultiSignature` holds one signature per set bit of the mode's
/// bit array (each member in its own mode), at least `threshold` of them.
/// Every failure is the SDK's `unauthorized` (code 4).
pub fn verify_signer(tx: &DecodedTx, key: &PubKey, mode: &SignMode, sig: &[u8], data: SignerData) -> Result<(), Error> {
    let failed = || Error::SignatureVerification { account_number: data.account_number, chain_id: data.chain_id.to_string() };
    match (key, mode) {
        (PubKey::Secp256k1(k), SignMode::Direct | SignMode::AminoJson) => {
            let bytes = sign_bytes(tx, mode, data.chain_id, data.account_number, data.sequence)?;
            verify_secp256k1(k, &bytes, sig).map_err(|_| failed())
        }
        (PubKey::Multisig(m), SignMode::Multi { bits, modes }) => {
            let multi = MultiSignature::decode(sig).map_err(|e| Error::Unauthorized(format!("malformed multisignature: {e}")))?;
            if bits.len() != m.keys.len() {
                return Err(Error::Unauthorized(format!("bit array size is incorrect, expected: {} found: {}", m.keys.len(), bits.len())));
            }
            let signed = bits.count_ones();
            if multi.signatures.len() != signed || modes.len() != signed {
                return Err(Error::Unauthorized(format!(
                    "signature size is incorrect: {} signatures and {} sign modes for {signed} set bits",
                    multi.signatures.len(),
                    modes.len()
                )));
            }
            if signed < m.threshold as usize {
                return Err(Error::Unauthorized(format!("not enough signatures: {signed} of the {} required", m.threshold)));
            }
            for ((i, sub_sig), sub_mode) in bits.ones().zip(&multi.signatures).zip(modes) {
                if !matches!(sub_mode, SignMode::Direct | SignMode::AminoJson) {
                    return Err(Error::Unauthorized("a multisig member must sign in direct or amino JSON mode".into()));
                }
                let bytes = sign_bytes(tx, sub_mode, data.chain_id, data.account_number, data.sequence)?;
                verify_secp256k1(&m.keys[i], &bytes, sub_sig).map_err(|_| failed())?;
            }
            Ok(())
        }
        (PubKey::Multisig(_), _) => Err(Error::Unauthorized("a multisig key needs a multi sign mode".into())),
        (PubKey::Secp256k1(_), _) => Err(Error::Unauthorized("a single key needs a single sign mode".into())),
    }
}

/// Verify with the pure-Rust k256: same rules, same errors (tests, benchmark).
pub fn verify_secp256k1_k256(pub_key: &[u8], msg: &[u8], sig: &[u8]) -> Result<(), &'static str> {
    check_shape(pub_key, sig)?;
    let vk = k256::ecdsa::VerifyingKey::from_sec1_bytes(pub_key).map_err(|_| INVALID_PUBLIC_KEY)?;
    let sig = k256::ecdsa::Signature::from_slice(sig).map_err(|_| MALFORMED_SIGNATURE)?;
    if sig.normalize_s().is_some() {
        return Err(HIGH_S);
    }
    vk.verify(msg, &sig).map_err(|_| MISMATCH)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::TestKey;
    use crate::tx::{decode_tx, sign_doc_bytes};
    use k256::ecdsa::signature::Signer as _;
    use proptest::prelude::*;

    const CHAIN: &str = "venice-test";

    /// Both verifiers' verdict, which must be the same.
    fn verdict(pub_key: &[u8], msg: &[u8], sig: &[u8]) -> Result<(), &'static str> {
        let c = verify_secp256k1(pub_key, msg, sig);
        let r = verify_secp256k1_k256(pub_key, msg, sig);
        assert_eq!(c, r, "libsecp256k1 and k256 disagree on key {} sig {}", hex::encode(pub_key), hex::encode(sig));
        c
    }

    /// A signed send: (key, sign bytes for CHAIN, signature).
    fn signed(seed: u64) -> (Vec<u8>, Vec<u8>, Vec<u8>) {
        let key = TestKey::from_seed(seed);
        let tx = decode_tx(&key.sign_send(&key.address(), 5, CHAIN, 3, 0, 1000, 200_000)).unwrap();
        (key.pub_key(), sign_doc_bytes(&tx, CHAIN, 3), tx.signatures[0].clone())
    }

    fn high_s(sig: &[u8]) -> Vec<u8> {
        let sig = k256::ecdsa::Signature::from_slice(sig).unwrap();
        let (r, s) = sig.split_scalars();
        k256::ecdsa::Signature::from_scalars(r, -*s).unwrap().to_bytes().to_vec()
    }

    #[test]
    fn vectors_give_the_same_verdict_in_both() {
        let (pk, doc, sig) = signed(1);
        let key = TestKey::from_seed(1);
        let tx = decode_tx(&key.sign_send(&key.address(), 5, CHAIN, 3, 0, 1000, 200_000)).unwrap();
        let other_key = TestKey::from_seed(2).pub_key();
        // 0x02 followed by x = 5: not the x of any curve point (5^3 + 7 = 132
        // is not a square mod p).
        let mut off_curve = vec![0x02; 1];
        off_curve.extend_from_slice(&[0u8; 31]);
        off_curve.push(5);
        let mut uncompressed_tag = pk.clone();
        uncompressed_tag[0] = 0x04;
        // r = the group order n: out of range.
        let n = hex::decode("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141").unwrap();
        let r_overflow = [n.as_slice(), &sig[32..]].concat();
        let zero_r = [&[0u8; 32][..], &sig[32..]].concat();
        let zero_s = [&sig[..32], &[0u8; 32][..]].concat();
        let mut flipped = sig.clone();
        flipped[10] ^= 1;

        // (name, key, sign bytes, signature, expected verdict)
        type Case = (&'static str, Vec<u8>, Vec<u8>, Vec<u8>, Result<(), &'static str>);
        let cases: Vec<Case> = vec![
            ("valid", pk.clone(), doc.clone(), sig.clone(), Ok(())),
            ("high S", pk.clone(), doc.clone(), high_s(&sig), Err(HIGH_S)),
            ("wrong key", other_key, doc.clone(), sig.clone(), Err(MISMATCH)),
            ("wrong chain id", pk.clone(), sign_doc_bytes(&tx, "other-chain", 3), sig.clone(), Err(MISMATCH)),
            ("wrong account number", pk.clone(), sign_doc_bytes(&tx, CHAIN, 4), sig.clone(), Err(MISMATCH)),
            ("flipped signature bit", pk.clone(), doc.clone(), flipped, Err(MISMATCH)),
            ("truncated signature", pk.clone(), doc.clone(), sig[..63].to_vec(), Err(MALFORMED_SIGNATURE)),
            ("long signature", pk.clone(), doc.clone(), [sig.as_slice(), &[0]].concat(), Err(MALFORMED_SIGNATURE)),
            ("empty signature", pk.clone(), doc.clone(), vec![], Err(MALFORMED_SIGNATURE)),
            ("all-zero signature", pk.clone(), doc.clone(), vec![0; 64], Err(MALFORMED_SIGNATURE)),
            ("zero r", pk.clone(), doc.clone(), zero_r, Err(MALFORMED_SIGNATURE)),
            ("zero s", pk.clone(), doc.clone(), zero_s, Err(MALFORMED_SIGNATURE)),
            ("r = n", pk.clone(), doc.clone(), r_overflow, Err(MALFORMED_SIGNATURE)),
            ("truncated key", pk[..32].to_vec(), doc.clone(), sig.clone(), Err(INVALID_PUBLIC_KEY)),
            ("garbage key", vec![0xAB; 33], doc.clone(), sig.clone(), Err(INVALID_PUBLIC_KEY)),
            ("x not on the curve", off_curve, doc.clone(), sig.clone(), Err(INVALID_PUBLIC_KEY)),
            ("uncompressed tag on 33 bytes", uncompressed_tag, doc.clone(), sig.clone(), Err(INVALID_PUBLIC_KEY)),
            ("empty key", vec![], doc.clone(), sig.clone(), Err(INVALID_PUBLIC_KEY)),
        ];
        for (name, pk, msg, sig, want) in cases {
            assert_eq!(verdict(&pk, &msg, &sig), want, "{name}");
        }
    }

    #[test]
    fn uncompressed_and_hybrid_keys_are_refused_by_both() {
        // libsecp256k1 alone would parse these (k256 the uncompressed one):
        // the Cosmos key type is compressed only.
        let sk = k256::ecdsa::SigningKey::from_slice(&[9u8; 32]).unwrap();
        let msg = b"sign bytes";
        let sig: k256::ecdsa::Signature = sk.sign(msg);
        let sig = sig.normalize_s().unwrap_or(sig).to_bytes();
        let point = sk.verifying_key().to_encoded_point(false);
        let uncompressed = point.as_bytes().to_vec();
        let mut hybrid = uncompressed.clone();
        hybrid[0] = if uncompressed[64] & 1 == 0 { 0x06 } else { 0x07 };
        for pk in [uncompressed, hybrid] {
            assert_eq!(verdict(&pk, msg, &sig), Err(INVALID_PUBLIC_KEY));
        }
        let compressed = sk.verifying_key().to_encoded_point(true);
        assert_eq!(verdict(compressed.as_bytes(), msg, &sig), Ok(()));
    }

    #[test]
    fn high_s_is_named_even_under_a_wrong_key() {
        // The S check comes before the curve arithmetic in both, so the
        // error does not depend on whether the twin would have verified.
        let (_, doc, sig) = signed(5);
        assert_eq!(verdict(&TestKey::from_seed(6).pub_key(), &doc, &high_s(&sig)), Err(HIGH_S));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        /// Random keys and messages, with at most one bit flipped in the
        /// message, the key or the signature: both verifiers agree, and the
        /// untouched signature verifies.
        #[test]
        fn both_verifiers_agree(
            secret in proptest::array::uniform32(any::<u8>()),
            msg in proptest::collection::vec(any::<u8>(), 0..300),
            target in 0u8..4,
            bit in 0usize..(64 * 8),
        ) {
            let Ok(sk) = k256::ecdsa::SigningKey::from_slice(&secret) else { return Ok(()) };
            let sig: k256::ecdsa::Signature = sk.sign(&msg);
            let mut sig = sig.normalize_s().unwrap_or(sig).to_bytes().to_vec();
            let mut pk = sk.verifying_key().to_encoded_point(true).as_bytes().to_vec();
            let mut msg = msg;
            match target {
                0 => {}
                1 if !msg.is_empty() => { let i = bit % (msg.len() * 8); msg[i / 8] ^= 1 << (i % 8); }
                1 => msg.push(0),
                2 => { let i = bit % (33 * 8); pk[i / 8] ^= 1 << (i % 8); }
                _ => sig[bit / 8] ^= 1 << (bit % 8),
            }
            let v = verdict(&pk, &msg, &sig);
            if target == 0 {
                prop_assert_eq!(v, Ok(()));
            } else {
                prop_assert!(v.is_err());
            }
        }
    }
}
