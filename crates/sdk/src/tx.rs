//! Cosmos SDK transactions: `TxRaw` decoding, stateless checks and the
//! SIGN_MODE_DIRECT sign bytes. Anything a hostile peer can send goes through
//! here first, so every failure is a typed error, never a panic.

use cosmos_sdk_proto::Any;
use cosmos_sdk_proto::cosmos::crypto::secp256k1::PubKey as Secp256k1PubKey;
use cosmos_sdk_proto::cosmos::tx::signing::v1beta1::SignMode;
use cosmos_sdk_proto::cosmos::tx::v1beta1::{AuthInfo, TxBody, TxRaw, mode_info};
use prost::Message;
use sha2::{Digest, Sha256};

use crate::address::Address;
use crate::coin::Coins;
use crate::error::{Error, Result};

// Building and sign bytes live in venice-types (shared with the CLI).
pub use venice_types::tx::SECP256K1_PUBKEY_URL;

/// One signer as declared in `AuthInfo.signer_infos`.
#[derive(Clone, Debug)]
pub struct Signer {
    /// Compressed secp256k1 key (33 bytes), when the tx carries it.
    pub pub_key: Option<Vec<u8>>,
    pub sequence: u64,
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
        let mode = si.mode_info.as_ref().and_then(|m| m.sum.as_ref());
        match mode {
            Some(mode_info::Sum::Single(s)) if s.mode == SignMode::Direct as i32 => {}
            _ if simulate => {}
            _ => return Err(Error::InvalidRequest("only SIGN_MODE_DIRECT single signatures are supported".into())),
        }
        let pub_key = match &si.public_key {
            None => None,
            Some(any) if any.type_url == SECP256K1_PUBKEY_URL => {
                let pk = Secp256k1PubKey::decode(any.value.as_slice())?;
                if pk.key.len() != 33 {
                    return Err(Error::InvalidPubKey(format!("secp256k1 key must be 33 bytes, got {}", pk.key.len())));
                }
                Some(pk.key)
            }
            Some(any) => return Err(Error::InvalidPubKey(format!("unsupported key type {}", any.type_url))),
        };
        signers.push(Signer { pub_key, sequence: si.sequence });
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
        gas_limit: fee.gas_limit,
        hash,
    })
}

/// The SIGN_MODE_DIRECT bytes a signer commits to.
pub fn sign_doc_bytes(tx: &DecodedTx, chain_id: &str, account_number: u64) -> Vec<u8> {
    venice_types::tx::sign_doc_bytes(&tx.body_bytes, &tx.auth_info_bytes, chain_id, account_number)
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
        assert_eq!(tx.signers[0].pub_key.as_deref(), Some(key.pub_key().as_slice()));
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
            Some(ModeInfo { sum: Some(mode_info::Sum::Single(mode_info::Single { mode: SignMode::Unspecified as i32 })) });
        raw.auth_info_bytes = auth.encode_to_vec();
        raw.signatures = vec![vec![]];
        let bytes = raw.encode_to_vec();
        assert!(decode_tx(&bytes).is_err());
        let tx = decode_tx_for_simulation(&bytes).unwrap();
        assert_eq!(tx.gas_limit, 0);
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
