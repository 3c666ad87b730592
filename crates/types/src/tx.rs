//! Building Cosmos SDK transactions: `TxBody` / `AuthInfo` bytes, the
//! SIGN_MODE_DIRECT `SignDoc` a signer commits to, `TxRaw`, and CometBFT's
//! tx hash. Decoding and verification stay on the chain side (venice-sdk).
//!
//! Signing takes the key as a closure over the sign-doc bytes, so this crate
//! does not choose the caller's key library (`sign_with_k256` is a shortcut
//! behind the `k256` feature).

use cosmos_sdk_proto::Any;
use cosmos_sdk_proto::cosmos::base::v1beta1::Coin as ProtoCoin;
use cosmos_sdk_proto::cosmos::crypto::secp256k1::PubKey as Secp256k1Proto;
use cosmos_sdk_proto::cosmos::tx::signing::v1beta1::SignMode;
use cosmos_sdk_proto::cosmos::tx::v1beta1::{AuthInfo, Fee, ModeInfo, SignDoc, SignerInfo, TxBody, TxRaw, mode_info};
use prost::Message;
use sha2::{Digest, Sha256};

use cosmos_sdk_proto::cosmos::crypto::multisig::v1beta1::MultiSignature;

use crate::amino::{AminoError, StdSignDoc};
use crate::coin::Coin;
pub use crate::paths::SECP256K1_PUBKEY_URL;
use crate::pubkey::{BitArray, PubKey};

/// Gas limit written into a simulated transaction. Nodes meter simulations
/// with an unlimited gas meter, but some validate the tx first and refuse a
/// zero limit; a generous positive one passes both kinds.
pub const SIMULATION_GAS_LIMIT: u64 = 100_000_000;

/// Who signs, for which chain: the fields SIGN_MODE_DIRECT commits to.
#[derive(Debug, Clone)]
pub struct SignerData {
    pub chain_id: String,
    pub account_number: u64,
    pub sequence: u64,
}

/// The fee of a tx. Coins are written as given (a zero coin stays), so
/// tests can build exactly the shape they want.
#[derive(Debug, Clone)]
pub struct FeeSpec {
    pub amount: Vec<Coin>,
    pub gas_limit: u64,
}

/// A single-signer tx before its signature.
#[derive(Debug, Clone)]
pub struct UnsignedTx {
    pub body_bytes: Vec<u8>,
    pub auth_info_bytes: Vec<u8>,
}

/// `Any` of a compressed secp256k1 public key.
pub fn secp256k1_pubkey_any(compressed: &[u8]) -> Any {
    Any { type_url: SECP256K1_PUBKEY_URL.into(), value: Secp256k1Proto { key: compressed.to_vec() }.encode_to_vec() }
}

pub fn body_bytes(msgs: Vec<Any>, memo: &str, timeout_height: u64) -> Vec<u8> {
    TxBody { messages: msgs, memo: memo.to_string(), timeout_height, extension_options: vec![], non_critical_extension_options: vec![] }
        .encode_to_vec()
}

/// One signer's `AuthInfo`; `pub_key` may be left out (the chain then takes
/// it from the account).
pub fn auth_info_bytes(pub_key: Option<&[u8]>, sequence: u64, fee: &FeeSpec, mode: SignMode) -> Vec<u8> {
    let key = pub_key.map(|k| PubKey::Secp256k1(k.to_vec()));
    auth_info(vec![signer_info(key.as_ref(), sequence, single_mode(mode))], fee).encode_to_vec()
}

/// `AuthInfo` of the given signers and fee.
#[allow(deprecated)] // `tip` is deprecated in the SDK; left empty.
pub fn auth_info(signer_infos: Vec<SignerInfo>, fee: &FeeSpec) -> AuthInfo {
    AuthInfo {
        signer_infos,
        fee: Some(Fee {
            amount: fee.amount.iter().map(ProtoCoin::from).collect(),
            gas_limit: fee.gas_limit,
            payer: String::new(),
            granter: String::new(),
        }),
        tip: None,
    }
}

pub fn signer_info(pub_key: Option<&PubKey>, sequence: u64, mode_info: ModeInfo) -> SignerInfo {
    SignerInfo { public_key: pub_key.map(PubKey::to_any), mode_info: Some(mode_info), sequence }
}

/// A single signer's mode.
pub fn single_mode(mode: SignMode) -> ModeInfo {
    ModeInfo { sum: Some(mode_info::Sum::Single(mode_info::Single { mode: mode as i32 })) }
}

/// A multisig's mode: which members signed (`bits`), each member's mode in
/// the order of the set bits.
pub fn multi_mode(bits: &BitArray, modes: &[SignMode]) -> ModeInfo {
    ModeInfo {
        sum: Some(mode_info::Sum::Multi(mode_info::Multi {
            bitarray: Some(bits.to_proto()),
            mode_infos: modes.iter().map(|m| single_mode(*m)).collect(),
        })),
    }
}

/// A multisig's tx signature: the members' signatures, in bit order.
pub fn multi_signature(sigs: Vec<Vec<u8>>) -> Vec<u8> {
    MultiSignature { signatures: sigs }.encode_to_vec()
}

/// The SIGN_MODE_LEGACY_AMINO_JSON bytes of a tx given as its body and auth
/// info bytes (what a signer of an existing tx file signs).
pub fn amino_sign_bytes(
    body_bytes: &[u8],
    auth_info_bytes: &[u8],
    chain_id: &str,
    account_number: u64,
    sequence: u64,
) -> Result<Vec<u8>, AminoError> {
    let body = TxBody::decode(body_bytes).map_err(|e| AminoError::Encode { type_url: "TxBody".into(), reason: e.to_string() })?;
    let auth = AuthInfo::decode(auth_info_bytes).map_err(|e| AminoError::Encode { type_url: "AuthInfo".into(), reason: e.to_string() })?;
    let fee = auth.fee.unwrap_or_default();
    if !body.extension_options.is_empty() || !body.non_critical_extension_options.is_empty() {
        return Err(AminoError::Unsupported("protobuf extension options"));
    }
    StdSignDoc {
        chain_id,
        account_number,
        sequence,
        timeout_height: body.timeout_height,
        memo: &body.memo,
        fee_amount: &fee.amount,
        gas_limit: fee.gas_limit,
        fee_payer: &fee.payer,
        fee_granter: &fee.granter,
        msgs: &body.messages,
    }
    .sign_bytes()
}

/// The exact bytes SIGN_MODE_DIRECT signs.
pub fn sign_doc_bytes(body_bytes: &[u8], auth_info_bytes: &[u8], chain_id: &str, account_number: u64) -> Vec<u8> {
    SignDoc { body_bytes: body_bytes.to_vec(), auth_info_bytes: auth_info_bytes.to_vec(), chain_id: chain_id.to_string(), account_number }
        .encode_to_vec()
}

impl UnsignedTx {
    /// A SIGN_MODE_DIRECT tx of `msgs` for one signer.
    pub fn direct(msgs: Vec<Any>, memo: &str, timeout_height: u64, pub_key: Option<&[u8]>, sequence: u64, fee: &FeeSpec) -> Self {
        UnsignedTx {
            body_bytes: body_bytes(msgs, memo, timeout_height),
            auth_info_bytes: auth_info_bytes(pub_key, sequence, fee, SignMode::Direct),
        }
    }

    pub fn sign_doc(&self, chain_id: &str, account_number: u64) -> Vec<u8> {
        sign_doc_bytes(&self.body_bytes, &self.auth_info_bytes, chain_id, account_number)
    }

    /// `TxRaw` bytes with the given signatures.
    pub fn into_raw(self, signatures: Vec<Vec<u8>>) -> Vec<u8> {
        TxRaw { body_bytes: self.body_bytes, auth_info_bytes: self.auth_info_bytes, signatures }.encode_to_vec()
    }

    /// Signs the sign doc with `sign` (64-byte `r||s`, low S, over
    /// sha256 of the doc) and returns the `TxRaw` bytes.
    pub fn sign<E>(self, chain_id: &str, account_number: u64, sign: impl FnOnce(&[u8]) -> Result<Vec<u8>, E>) -> Result<Vec<u8>, E> {
        let sig = sign(&self.sign_doc(chain_id, account_number))?;
        Ok(self.into_raw(vec![sig]))
    }
}

/// Builds and signs a single-signer SIGN_MODE_DIRECT tx; returns `TxRaw` bytes.
pub fn sign_direct<E>(
    pub_key: &[u8],
    msgs: Vec<Any>,
    memo: &str,
    timeout_height: u64,
    signer: &SignerData,
    fee: &FeeSpec,
    sign: impl FnOnce(&[u8]) -> Result<Vec<u8>, E>,
) -> Result<Vec<u8>, E> {
    UnsignedTx::direct(msgs, memo, timeout_height, Some(pub_key), signer.sequence, fee).sign(&signer.chain_id, signer.account_number, sign)
}

/// ECDSA secp256k1 over sha256(msg), low S, as the chain requires.
#[cfg(feature = "k256")]
pub fn sign_with_k256(key: &k256::ecdsa::SigningKey, msg: &[u8]) -> Vec<u8> {
    use k256::ecdsa::signature::Signer as _;
    let sig: k256::ecdsa::Signature = key.sign(msg);
    sig.normalize_s().unwrap_or(sig).to_bytes().to_vec()
}

/// The transaction `Simulate` gets for gas estimation: public key and
/// sequence set, SIGN_MODE_DIRECT, an empty signature (simulation skips
/// signature checks), [`SIMULATION_GAS_LIMIT`] and `fee`.
pub fn simulation_tx(pub_key: &[u8], msgs: Vec<Any>, memo: &str, timeout_height: u64, sequence: u64, fee: Vec<Coin>) -> Vec<u8> {
    let fee = FeeSpec { amount: fee, gas_limit: SIMULATION_GAS_LIMIT };
    UnsignedTx::direct(msgs, memo, timeout_height, Some(pub_key), sequence, &fee).into_raw(vec![vec![]])
}

/// CometBFT's transaction hash: upper-case hex SHA-256 of the bytes.
pub fn tx_hash(tx_bytes: &[u8]) -> String {
    hex::encode_upper(Sha256::digest(tx_bytes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use k256::ecdsa::signature::{Signer as _, Verifier};
    use k256::ecdsa::{Signature, SigningKey, VerifyingKey};

    fn key() -> SigningKey {
        SigningKey::from_slice(&[7u8; 32]).unwrap()
    }

    fn pk(k: &SigningKey) -> Vec<u8> {
        k.verifying_key().to_encoded_point(true).as_bytes().to_vec()
    }

    fn sign(k: &SigningKey) -> impl FnOnce(&[u8]) -> Result<Vec<u8>, std::convert::Infallible> + '_ {
        move |doc| {
            let s: Signature = k.sign(doc);
            Ok(s.normalize_s().unwrap_or(s).to_bytes().to_vec())
        }
    }

    fn send() -> Any {
        Any { type_url: crate::paths::MSG_SEND_URL.into(), value: vec![1, 2, 3] }
    }

    #[test]
    fn signed_tx_verifies_over_its_sign_doc_only() {
        let k = key();
        let fee = FeeSpec { amount: vec![Coin::new("uvvv", 500)], gas_limit: 123_456 };
        let signer = SignerData { chain_id: "venice-test-1".into(), account_number: 7, sequence: 3 };
        let bytes = sign_direct(&pk(&k), vec![send()], "hi", 99, &signer, &fee, sign(&k)).unwrap();
        let raw = TxRaw::decode(bytes.as_slice()).unwrap();
        let body = TxBody::decode(raw.body_bytes.as_slice()).unwrap();
        assert_eq!((body.memo.as_str(), body.timeout_height, body.messages.len()), ("hi", 99, 1));
        let auth = AuthInfo::decode(raw.auth_info_bytes.as_slice()).unwrap();
        let f = auth.fee.unwrap();
        assert_eq!((f.gas_limit, f.amount[0].amount.as_str(), f.amount[0].denom.as_str()), (123_456, "500", "uvvv"));
        let si = &auth.signer_infos[0];
        assert_eq!(si.sequence, 3);
        let pk_any = si.public_key.as_ref().unwrap();
        assert_eq!(pk_any.type_url, SECP256K1_PUBKEY_URL);
        assert_eq!(Secp256k1Proto::decode(pk_any.value.as_slice()).unwrap().key, pk(&k));
        assert_eq!(si.mode_info.as_ref().unwrap().sum, Some(mode_info::Sum::Single(mode_info::Single { mode: SignMode::Direct as i32 })));

        let vk = VerifyingKey::from_sec1_bytes(&pk(&k)).unwrap();
        let sig = Signature::from_slice(&raw.signatures[0]).unwrap();
        assert!(sig.normalize_s().is_none(), "signature must be low-S");
        vk.verify(&sign_doc_bytes(&raw.body_bytes, &raw.auth_info_bytes, "venice-test-1", 7), &sig).unwrap();
        assert!(vk.verify(&sign_doc_bytes(&raw.body_bytes, &raw.auth_info_bytes, "venice-test-2", 7), &sig).is_err());
        assert!(vk.verify(&sign_doc_bytes(&raw.body_bytes, &raw.auth_info_bytes, "venice-test-1", 8), &sig).is_err());

        // Deterministic (RFC 6979): same inputs, same bytes, same hash.
        assert_eq!(bytes, sign_direct(&pk(&k), vec![send()], "hi", 99, &signer, &fee, sign(&k)).unwrap());
        assert_eq!(tx_hash(&bytes), hex::encode(Sha256::digest(&bytes)).to_uppercase());
    }

    #[test]
    fn without_pubkey_and_zero_fee_coin_kept() {
        let fee = FeeSpec { amount: vec![Coin::new("uvvv", 0)], gas_limit: 1 };
        let tx = UnsignedTx::direct(vec![send()], "", 0, None, 0, &fee);
        let auth = AuthInfo::decode(tx.auth_info_bytes.as_slice()).unwrap();
        assert!(auth.signer_infos[0].public_key.is_none());
        assert_eq!(auth.fee.unwrap().amount[0].amount, "0");
        let k = key();
        let bytes = tx.clone().sign("c", 1, sign(&k)).unwrap();
        assert_eq!(TxRaw::decode(bytes.as_slice()).unwrap().signatures.len(), 1);
        assert_eq!(tx.sign::<()>("c", 1, |_| Err(())), Err(()));
    }

    #[test]
    fn simulation_tx_shape() {
        let bytes = simulation_tx(&pk(&key()), vec![send()], "", 0, 5, vec![]);
        let raw = TxRaw::decode(bytes.as_slice()).unwrap();
        assert_eq!(raw.signatures, vec![Vec::<u8>::new()]);
        let auth = AuthInfo::decode(raw.auth_info_bytes.as_slice()).unwrap();
        assert_eq!(auth.signer_infos[0].sequence, 5);
        let fee = auth.fee.unwrap();
        assert_eq!(fee.gas_limit, SIMULATION_GAS_LIMIT);
        assert!(fee.amount.is_empty());
    }
}
