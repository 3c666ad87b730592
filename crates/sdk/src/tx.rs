//! Cosmos SDK transactions: `TxRaw` decoding, stateless checks and the sign
//! bytes of SIGN_MODE_DIRECT and SIGN_MODE_LEGACY_AMINO_JSON. Anything a
//! hostile peer can send goes through here first, so every failure is a
//! typed error, never a panic.

use cosmos_sdk_proto::Any;
use cosmos_sdk_proto::cosmos::base::v1beta1::Coin as ProtoCoin;
use cosmos_sdk_proto::cosmos::tx::signing::v1beta1::SignMode as ProtoSignMode;
use cosmos_sdk_proto::cosmos::tx::v1beta1::{AuthInfo, ModeInfo, TxBody, TxRaw, mode_info};
use prost::Message;
use sha2::{Digest, Sha256};

use crate::address::Address;
use crate::coin::Coins;
use crate::error::{Error, Result};

// Building and sign bytes live in venice-types (shared with the CLI).
pub use venice_types::tx::SECP256K1_PUBKEY_URL;

pub use venice_types::pubkey::{BitArray, MultisigKey, PubKey};
/// Building txs (tests, tools): venice-types' builder, as the CLI uses it.
pub use venice_types::tx as builder;

/// How a signer signed (its `ModeInfo`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SignMode {
    /// SIGN_MODE_DIRECT: the protobuf `SignDoc`.
    Direct,
    /// SIGN_MODE_LEGACY_AMINO_JSON: the `StdSignDoc` (see `venice_types::amino`).
    AminoJson,
    /// A multisig: which members signed, and how each did.
    Multi { bits: BitArray, modes: Vec<SignMode> },
    /// No mode: only in a tx sent for simulation.
    Unspecified,
}

/// One signer as declared in `AuthInfo.signer_infos`.
#[derive(Clone, Debug)]
pub struct Signer {
    /// The key, when the tx carries it.
    pub pub_key: Option<PubKey>,
    pub sequence: u64,
    pub mode: SignMode,
}

#[derive(Clone, Debug)]
pub struct DecodedTx {
    pub size: usize,
    pub body: TxBody,
    pub body_bytes: Vec<u8>,
    pub auth_info_bytes: Vec<u8>,
    pub signatures: Vec<Vec<u8>>,
    pub signers: Vec<Signer>,
    pub fee: Coins,
    /// The fee coins exactly as the tx lists them (the amino document
    /// signs these, not their normalized form).
    pub fee_amount: Vec<ProtoCoin>,
    pub gas_limit: u64,
    /// sha256 of the raw bytes: the hash CometBFT indexes the tx by.
    pub hash: [u8; 32],
}

impl DecodedTx {
    pub fn messages(&self) -> &[Any] {
        &self.body.messages
    }
    pub fn hash_hex(&self) -> String {
        hex::encode_upper(self.hash)
    }
}

/// Decode and check everything that needs no state.
pub fn decode_tx(bytes: &[u8]) -> Result<DecodedTx> {
    decode(bytes, false)
}

/// Decode a tx sent for gas estimation: clients (cosmjs) simulate with no
/// gas limit, SIGN_MODE_UNSPECIFIED and empty signatures, which only a real
/// submission must not have.
pub fn decode_tx_for_simulation(bytes: &[u8]) -> Result<DecodedTx> {
    decode(bytes, true)
}

fn decode(bytes: &[u8], simulate: bool) -> Result<DecodedTx> {
    let raw = TxRaw::decode(bytes)?;
    let body = TxBody::decode(raw.body_bytes.as_slice())?;
    let auth = AuthInfo::decode(raw.auth_info_bytes.as_slice())?;
    if body.messages.is_empty() {
        return Err(Error::InvalidRequest("must contain at least one message".into()));
    }
    if let Some(opt) = body.extension_options.first() {
        return Err(Error::UnknownExtensionOptions(opt.type_url.clone()));
    }
    if let Some(opt) = body.non_critical_extension_options.first() {
        return Err(Error::UnknownExtensionOptions(format!("non-critical {}", opt.type_url)));
    }
    let fee = auth.fee.as_ref().ok_or_else(|| Error::TxDecode("missing fee".into()))?;
    let fee_coins = Coins::normalize(fee.amount.iter().map(crate::coin::Coin::from_proto).collect::<Result<Vec<_>, _>>()?)?;
    if fee.gas_limit == 0 && !simulate {
        return Err(Error::InvalidGasLimit("gas limit must be positive".into()));
    }
    if fee.gas_limit > i64::MAX as u64 {
        return Err(Error::InvalidGasLimit(format!("gas limit {} too large", fee.gas_limit)));
    }
    if !fee.payer.is_empty() || !fee.granter.is_empty() {
        return Err(Error::InvalidRequest("fee payer and fee grants are not supported".into()));
    }
    if raw.signatures.is_empty() {
        return Err(Error::NoSignatures);
    }
    if raw.signatures.len() != auth.signer_infos.len() {
        return Err(Error::Unauthorized(format!(
            "wrong number of signatures; expected {}, got {}",
            auth.signer_infos.len(),
            raw.signatures.len()
        )));
    }
    let mut signers = Vec::with_capacity(auth.signer_infos.len());
    for si in &auth.signer_infos {
        let mode = match sign_mode(si.mode_info.as_ref(), true) {
            Ok(m) => m,
            Err(_) if simulate => SignMode::Unspecified,
            Err(e) => return Err(e),
        };
        let pub_key = match &si.public_key {
            None => None,
            Some(any) => Some(PubKey::from_any(any).map_err(Error::InvalidPubKey)?),
        };
        signers.push(Signer { pub_key, sequence: si.sequence, mode });
    }
    let hash: [u8; 32] = Sha256::digest(bytes).into();
    Ok(DecodedTx {
        size: bytes.len(),
        body,
        body_bytes: raw.body_bytes,
        auth_info_bytes: raw.auth_info_bytes,
        signatures: raw.signatures,
        signers,
        fee: fee_coins,
        fee_amount: fee.amount.clone(),
        gas_limit: fee.gas_limit,
        hash,
    })
}

/// A signer's `ModeInfo`; a multisig's members are single signers
/// (`top` is false there: multisigs do not nest).
fn sign_mode(info: Option<&ModeInfo>, top: bool) -> Result<SignMode> {
    match info.and_then(|m| m.sum.as_ref()) {
        Some(mode_info::Sum::Single(s)) if s.mode == ProtoSignMode::Direct as i32 => Ok(SignMode::Direct),
        Some(mode_info::Sum::Single(s)) if s.mode == ProtoSignMode::LegacyAminoJson as i32 => Ok(SignMode::AminoJson),
        Some(mode_info::Sum::Single(s)) => Err(Error::InvalidRequest(format!(
            "unsupported sign mode {}: use SIGN_MODE_DIRECT or SIGN_MODE_LEGACY_AMINO_JSON",
            ProtoSignMode::try_from(s.mode).map_or_else(|_| s.mode.to_string(), |m| m.as_str_name().to_string())
        ))),
        Some(mode_info::Sum::Multi(m)) if top => {
            let bits =
                m.bitarray.as_ref().map(BitArray::from_proto).transpose().map_err(Error::InvalidRequest)?.unwrap_or(BitArray::new(0));
            let modes = m.mode_infos.iter().map(|mi| sign_mode(Some(mi), false)).collect::<Result<Vec<_>>>()?;
            Ok(SignMode::Multi { bits, modes })
        }
        Some(mode_info::Sum::Multi(_)) => Err(Error::InvalidRequest("nested multisig mode info is not supported".into())),
        None => Err(Error::InvalidRequest("signer info without a sign mode".into())),
    }
}

/// The SIGN_MODE_DIRECT bytes a signer commits to.
pub fn sign_doc_bytes(tx: &DecodedTx, chain_id: &str, account_number: u64) -> Vec<u8> {
    venice_types::tx::sign_doc_bytes(&tx.body_bytes, &tx.auth_info_bytes, chain_id, account_number)
}

/// The SIGN_MODE_LEGACY_AMINO_JSON bytes a signer commits to, rebuilt from
/// the tx itself. A message without an amino name cannot be signed this
/// way: `unauthorized`, as the SDK's signature check reports it.
pub fn amino_sign_bytes(tx: &DecodedTx, chain_id: &str, account_number: u64, sequence: u64) -> Result<Vec<u8>> {
    venice_types::amino::StdSignDoc {
        chain_id,
        account_number,
        sequence,
        timeout_height: tx.body.timeout_height,
        memo: &tx.body.memo,
        fee_amount: &tx.fee_amount,
        gas_limit: tx.gas_limit,
        fee_payer: "",
        fee_granter: "",
        msgs: &tx.body.messages,
    }
    .sign_bytes()
    .map_err(|e| Error::Unauthorized(e.to_string()))
}

/// The bytes a single signer in `mode` signed.
pub fn sign_bytes(tx: &DecodedTx, mode: &SignMode, chain_id: &str, account_number: u64, sequence: u64) -> Result<Vec<u8>> {
    match mode {
        SignMode::Direct => Ok(sign_doc_bytes(tx, chain_id, account_number)),
        SignMode::AminoJson => amino_sign_bytes(tx, chain_id, account_number, sequence),
        SignMode::Multi { .. } | SignMode::Unspecified => Err(Error::Unauthorized("not a single signer's sign mode".into())),
    }
}

/// ECDSA secp256k1 over sha256(msg); 64-byte `r||s` with low S, as the Cosmos
/// SDK requires (a high-S twin of a valid signature would change the tx hash).
/// The checks live in `sigverify` (libsecp256k1).
pub fn verify_secp256k1(pub_key: &[u8], msg: &[u8], sig: &[u8]) -> Result<(), &'static str> {
    crate::sigverify::verify_secp256k1(pub_key, msg, sig)
}

/// Address of a signer's compressed key.
pub fn signer_address(pub_key: &[u8]) -> Address {
    Address::from_secp256k1_pubkey(pub_key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::TestKey;

    #[test]
    fn decodes_a_signed_send_and_verifies_it() {
        let key = TestKey::from_seed(1);
        let bytes = key.sign_send(&key.address(), 5, "venice-test", 0, 0, 1000, 200_000);
        let tx = decode_tx(&bytes).unwrap();
        assert_eq!(tx.gas_limit, 200_000);
        assert_eq!(tx.fee.amount_of("uvvv"), 1000);
        assert_eq!(tx.signers[0].pub_key, Some(PubKey::Secp256k1(key.pub_key())));
        assert_eq!(tx.signers[0].mode, SignMode::Direct);
        let doc = sign_doc_bytes(&tx, "venice-test", 0);
        verify_secp256k1(&key.pub_key(), &doc, &tx.signatures[0]).unwrap();
        let other = sign_doc_bytes(&tx, "other-chain", 0);
        assert!(verify_secp256k1(&key.pub_key(), &other, &tx.signatures[0]).is_err());
    }

    #[test]
    fn rejects_high_s_twin() {
        let key = TestKey::from_seed(2);
        let bytes = key.sign_send(&key.address(), 5, "c", 0, 0, 1000, 200_000);
        let tx = decode_tx(&bytes).unwrap();
        let doc = sign_doc_bytes(&tx, "c", 0);
        let sig = k256::ecdsa::Signature::from_slice(&tx.signatures[0]).unwrap();
        let (r, s) = sig.split_scalars();
        let high = k256::ecdsa::Signature::from_scalars(r, -*s).unwrap();
        assert_eq!(verify_secp256k1(&key.pub_key(), &doc, &high.to_bytes()), Err("signature is not in lower-S form"));
    }

    #[test]
    fn simulation_accepts_what_cosmjs_sends_but_submission_does_not() {
        use cosmos_sdk_proto::cosmos::tx::v1beta1::{AuthInfo, Fee, ModeInfo, TxRaw};
        let key = TestKey::from_seed(3);
        let bytes = key.sign_send(&key.address(), 5, "c", 0, 0, 0, 200_000);
        let mut raw = TxRaw::decode(bytes.as_slice()).unwrap();
        let mut auth = AuthInfo::decode(raw.auth_info_bytes.as_slice()).unwrap();
        auth.fee = Some(Fee { amount: vec![], gas_limit: 0, payer: String::new(), granter: String::new() });
        auth.signer_infos[0].mode_info =
            Some(ModeInfo { sum: Some(mode_info::Sum::Single(mode_info::Single { mode: ProtoSignMode::Unspecified as i32 })) });
        raw.auth_info_bytes = auth.encode_to_vec();
        raw.signatures = vec![vec![]];
        let bytes = raw.encode_to_vec();
        assert!(decode_tx(&bytes).is_err());
        let tx = decode_tx_for_simulation(&bytes).unwrap();
        assert_eq!(tx.gas_limit, 0);
    }

    #[test]
    fn amino_mode_for_a_message_without_an_amino_name_is_unauthorized() {
        let key = TestKey::from_seed(4);
        let p = crate::testing::TxParams::default();
        let bytes = key.sign_tx_amino(vec![key.send_msg(&key.address(), 1)], &p);
        let mut tx = decode_tx(&bytes).unwrap();
        assert_eq!(tx.signers[0].mode, SignMode::AminoJson);
        assert!(amino_sign_bytes(&tx, &p.chain_id, 0, 0).is_ok());
        tx.body.messages.push(Any { type_url: "/venice.test.v1.MsgWithoutAminoName".into(), value: vec![] });
        let e = amino_sign_bytes(&tx, &p.chain_id, 0, 0).unwrap_err();
        assert_eq!(e.abci_code(), ("sdk", 4));
        assert!(e.to_string().contains("has no amino name"), "{e}");
    }

    #[test]
    fn multisig_mode_info_and_key_decode() {
        use venice_types::tx as b;
        let keys: Vec<TestKey> = (10..13).map(TestKey::from_seed).collect();
        let ms = PubKey::Multisig(MultisigKey::new(2, keys.iter().map(|k| k.pub_key()).collect()).unwrap());
        let mut bits = BitArray::new(3);
        bits.set(1, true);
        bits.set(2, true);
        let fee = b::FeeSpec { amount: vec![], gas_limit: 1 };
        let modes = [ProtoSignMode::Direct, ProtoSignMode::LegacyAminoJson];
        let auth = b::auth_info(vec![b::signer_info(Some(&ms), 4, b::multi_mode(&bits, &modes))], &fee);
        let raw = TxRaw {
            body_bytes: b::body_bytes(vec![keys[0].send_msg(&keys[1].address(), 1)], "", 0),
            auth_info_bytes: auth.encode_to_vec(),
            signatures: vec![b::multi_signature(vec![vec![1; 64], vec![2; 64]])],
        };
        let tx = decode_tx(&raw.encode_to_vec()).unwrap();
        assert_eq!(tx.signers[0].pub_key, Some(ms));
        assert_eq!(tx.signers[0].mode, SignMode::Multi { bits, modes: vec![SignMode::Direct, SignMode::AminoJson] });
    }

    #[test]
    fn malformed_bytes_are_decode_errors() {
        for bad in [&b"\xff\xff\xff"[..], b"", b"\x0a\x05hello"] {
            let e = decode_tx(bad).unwrap_err();
            let (_, code) = e.abci_code();
            assert!(code == 2 || code == 18 || code == 15, "{bad:?}: {e}");
        }
    }
}
