//! Account public keys: a compressed secp256k1 key, or the Cosmos SDK's
//! `cosmos.crypto.multisig.LegacyAminoPubKey` (a threshold of secp256k1
//! member keys), with their `Any` and JSON forms and their addresses.

use base64::Engine;
use borsh::{BorshDeserialize, BorshSerialize};
use cosmos_sdk_proto::Any;
use cosmos_sdk_proto::cosmos::crypto::multisig::LegacyAminoPubKey;
use cosmos_sdk_proto::cosmos::crypto::secp256k1::PubKey as Secp256k1Proto;
use prost::Message;
use sha2::{Digest, Sha256};

use crate::address::Address;
pub use crate::paths::{MULTISIG_PUBKEY_URL, SECP256K1_PUBKEY_URL};

/// Amino binary prefixes of the registered key types (the first four bytes
/// of sha256 of the amino name, past its zero bytes), used by the
/// multisig address derivation.
const AMINO_PREFIX_SECP256K1: [u8; 4] = [0xeb, 0x5a, 0xe9, 0x87];
const AMINO_PREFIX_MULTISIG: [u8; 4] = [0x22, 0xc1, 0xf7, 0xe2];

/// An account's key.
#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub enum PubKey {
    /// Compressed (33 bytes).
    Secp256k1(Vec<u8>),
    Multisig(MultisigKey),
}

/// `threshold` of `keys` must sign. Member order is part of the key (and
/// of its address), as in the SDK.
#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct MultisigKey {
    pub threshold: u32,
    /// Compressed secp256k1 member keys.
    pub keys: Vec<Vec<u8>>,
}

fn b64() -> base64::engine::GeneralPurpose {
    base64::engine::general_purpose::STANDARD
}

fn check_secp256k1(key: &[u8]) -> Result<(), String> {
    if key.len() != 33 || !matches!(key[0], 2 | 3) {
        return Err(format!("secp256k1 key must be 33 compressed bytes, got {}", key.len()));
    }
    Ok(())
}

impl MultisigKey {
    /// As the SDK's `NewLegacyAminoPubKey`: 0 < threshold <= members.
    pub fn new(threshold: u32, keys: Vec<Vec<u8>>) -> Result<Self, String> {
        if threshold == 0 {
            return Err("threshold k of n multisignature: k <= 0".into());
        }
        if keys.len() < threshold as usize {
            return Err(format!("threshold k of n multisignature: len(pubKeys) < k ({} < {threshold})", keys.len()));
        }
        for k in &keys {
            check_secp256k1(k)?;
        }
        Ok(MultisigKey { threshold, keys })
    }

    /// The key's amino binary encoding, which its address hashes (the
    /// SDK's `LegacyAminoPubKey.Bytes()`).
    pub fn amino_bytes(&self) -> Vec<u8> {
        let mut out = AMINO_PREFIX_MULTISIG.to_vec();
        out.push(0x08);
        put_uvarint(&mut out, u64::from(self.threshold));
        for k in &self.keys {
            let mut member = AMINO_PREFIX_SECP256K1.to_vec();
            put_uvarint(&mut member, k.len() as u64);
            member.extend_from_slice(k);
            out.push(0x12);
            put_uvarint(&mut out, member.len() as u64);
            out.extend_from_slice(&member);
        }
        out
    }

    /// sha256 of the amino bytes, first 20 bytes (`LegacyAminoPubKey.Address()`).
    pub fn address(&self) -> Address {
        let h = Sha256::digest(self.amino_bytes());
        Address::from_bytes(&h[..20]).expect("20 bytes is a valid address length")
    }

    pub fn to_proto(&self) -> LegacyAminoPubKey {
        LegacyAminoPubKey { threshold: self.threshold, public_keys: self.keys.iter().map(|k| secp256k1_any(k)).collect() }
    }
}

fn put_uvarint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn secp256k1_any(key: &[u8]) -> Any {
    Any { type_url: SECP256K1_PUBKEY_URL.into(), value: Secp256k1Proto { key: key.to_vec() }.encode_to_vec() }
}

impl PubKey {
    /// From the `Any` a tx's signer info (or an account) carries.
    pub fn from_any(any: &Any) -> Result<PubKey, String> {
        match any.type_url.as_str() {
            SECP256K1_PUBKEY_URL => {
                let pk = Secp256k1Proto::decode(any.value.as_slice()).map_err(|e| e.to_string())?;
                check_secp256k1(&pk.key)?;
                Ok(PubKey::Secp256k1(pk.key))
            }
            MULTISIG_PUBKEY_URL => {
                let m = LegacyAminoPubKey::decode(any.value.as_slice()).map_err(|e| e.to_string())?;
                let keys = m
                    .public_keys
                    .iter()
                    .map(|k| match PubKey::from_any(k)? {
                        PubKey::Secp256k1(k) => Ok(k),
                        PubKey::Multisig(_) => Err("nested multisig keys are not supported".to_string()),
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(PubKey::Multisig(MultisigKey::new(m.threshold, keys)?))
            }
            other => Err(format!("unsupported key type {other}")),
        }
    }

    pub fn to_any(&self) -> Any {
        match self {
            PubKey::Secp256k1(k) => secp256k1_any(k),
            PubKey::Multisig(m) => Any { type_url: MULTISIG_PUBKEY_URL.into(), value: m.to_proto().encode_to_vec() },
        }
    }

    pub fn address(&self) -> Address {
        match self {
            PubKey::Secp256k1(k) => Address::from_secp256k1_pubkey(k),
            PubKey::Multisig(m) => m.address(),
        }
    }

    pub fn as_secp256k1(&self) -> Option<&[u8]> {
        match self {
            PubKey::Secp256k1(k) => Some(k),
            PubKey::Multisig(_) => None,
        }
    }

    /// Signatures this key counts for against `tx_sig_limit` (the SDK's
    /// `CountSubKeys`).
    pub fn sub_key_count(&self) -> usize {
        match self {
            PubKey::Secp256k1(_) => 1,
            PubKey::Multisig(m) => m.keys.len(),
        }
    }

    /// Protobuf JSON: `{"@type": ..., "key": base64}` or `{"@type": ...,
    /// "threshold": n, "public_keys": [...]}`.
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            PubKey::Secp256k1(k) => serde_json::json!({"@type": SECP256K1_PUBKEY_URL, "key": b64().encode(k)}),
            PubKey::Multisig(m) => serde_json::json!({
                "@type": MULTISIG_PUBKEY_URL,
                "threshold": m.threshold,
                "public_keys": m.keys.iter().map(|k| PubKey::Secp256k1(k.clone()).to_json()).collect::<Vec<_>>(),
            }),
        }
    }

    pub fn from_json(v: &serde_json::Value) -> Result<PubKey, String> {
        let ty = v.get("@type").and_then(|t| t.as_str()).ok_or("public key without @type")?;
        match ty {
            SECP256K1_PUBKEY_URL => {
                let key = v.get("key").and_then(|k| k.as_str()).ok_or("secp256k1 key without \"key\"")?;
                let key = b64().decode(key).map_err(|e| format!("key: {e}"))?;
                check_secp256k1(&key)?;
                Ok(PubKey::Secp256k1(key))
            }
            MULTISIG_PUBKEY_URL => {
                let threshold = match v.get("threshold") {
                    Some(serde_json::Value::Number(n)) => n.as_u64(),
                    Some(serde_json::Value::String(s)) => s.parse().ok(),
                    _ => None,
                }
                .and_then(|t| u32::try_from(t).ok())
                .ok_or("multisig key without a valid \"threshold\"")?;
                let members = v.get("public_keys").and_then(|k| k.as_array()).ok_or("multisig key without \"public_keys\"")?;
                let keys = members
                    .iter()
                    .map(|m| match PubKey::from_json(m)? {
                        PubKey::Secp256k1(k) => Ok(k),
                        PubKey::Multisig(_) => Err("nested multisig keys are not supported".to_string()),
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(PubKey::Multisig(MultisigKey::new(threshold, keys)?))
            }
            other => Err(format!("unsupported key type {other}")),
        }
    }
}

/// The SDK's `CompactBitArray` (`cosmos.crypto.multisig.v1beta1`): bit `i`
/// is the most significant first within each byte.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BitArray {
    bits: Vec<bool>,
}

impl BitArray {
    pub fn new(len: usize) -> Self {
        BitArray { bits: vec![false; len] }
    }

    pub fn from_proto(c: &cosmos_sdk_proto::cosmos::crypto::multisig::v1beta1::CompactBitArray) -> Result<Self, String> {
        if c.extra_bits_stored > 7 {
            return Err(format!("invalid bit array: extra_bits_stored {} > 7", c.extra_bits_stored));
        }
        let len = match c.extra_bits_stored {
            0 => c.elems.len() * 8,
            extra if c.elems.is_empty() => return Err(format!("invalid bit array: {extra} extra bits and no bytes")),
            extra => (c.elems.len() - 1) * 8 + extra as usize,
        };
        Ok(BitArray { bits: (0..len).map(|i| c.elems[i / 8] & (1 << (7 - (i % 8))) != 0).collect() })
    }

    pub fn to_proto(&self) -> cosmos_sdk_proto::cosmos::crypto::multisig::v1beta1::CompactBitArray {
        let mut elems = vec![0u8; self.bits.len().div_ceil(8)];
        for (i, &b) in self.bits.iter().enumerate() {
            if b {
                elems[i / 8] |= 1 << (7 - (i % 8));
            }
        }
        cosmos_sdk_proto::cosmos::crypto::multisig::v1beta1::CompactBitArray { extra_bits_stored: (self.bits.len() % 8) as u32, elems }
    }

    pub fn len(&self) -> usize {
        self.bits.len()
    }
    pub fn is_empty(&self) -> bool {
        self.bits.is_empty()
    }
    pub fn get(&self, i: usize) -> bool {
        self.bits.get(i).copied().unwrap_or(false)
    }
    pub fn set(&mut self, i: usize, v: bool) {
        if let Some(b) = self.bits.get_mut(i) {
            *b = v;
        }
    }
    pub fn count_ones(&self) -> usize {
        self.bits.iter().filter(|b| **b).count()
    }
    /// Indexes of the set bits, ascending.
    pub fn ones(&self) -> impl Iterator<Item = usize> + '_ {
        self.bits.iter().enumerate().filter(|(_, b)| **b).map(|(i, _)| i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(seed: u8) -> Vec<u8> {
        let sk = k256::ecdsa::SigningKey::from_slice(&[seed; 32]).unwrap();
        sk.verifying_key().to_encoded_point(true).as_bytes().to_vec()
    }

    #[test]
    fn multisig_any_and_json_round_trip() {
        let m = PubKey::Multisig(MultisigKey::new(2, vec![key(1), key(2), key(3)]).unwrap());
        assert_eq!(PubKey::from_any(&m.to_any()).unwrap(), m);
        assert_eq!(PubKey::from_json(&m.to_json()).unwrap(), m);
        let s = PubKey::Secp256k1(key(4));
        assert_eq!(PubKey::from_json(&s.to_json()).unwrap(), s);
        assert_eq!(m.sub_key_count(), 3);
        assert!(MultisigKey::new(0, vec![key(1)]).is_err());
        assert!(MultisigKey::new(3, vec![key(1), key(2)]).is_err());
    }

    #[test]
    fn multisig_amino_bytes_layout() {
        let m = MultisigKey::new(2, vec![key(1), key(2)]).unwrap();
        let b = m.amino_bytes();
        assert_eq!(&b[..6], &[0x22, 0xc1, 0xf7, 0xe2, 0x08, 0x02]);
        assert_eq!(&b[6..12], &[0x12, 0x26, 0xeb, 0x5a, 0xe9, 0x87]);
        assert_eq!(b[12], 0x21);
        assert_eq!(b.len(), 6 + 2 * 40);
    }

    #[test]
    fn bit_array_msb_first_and_sized() {
        let mut b = BitArray::new(3);
        b.set(0, true);
        b.set(2, true);
        let p = b.to_proto();
        assert_eq!((p.extra_bits_stored, p.elems.clone()), (3, vec![0b1010_0000]));
        let back = BitArray::from_proto(&p).unwrap();
        assert_eq!(back, b);
        assert_eq!(back.ones().collect::<Vec<_>>(), vec![0, 2]);
        let nine = BitArray::new(9).to_proto();
        assert_eq!((nine.extra_bits_stored, nine.elems.len()), (1, 2));
        assert_eq!(BitArray::from_proto(&nine).unwrap().len(), 9);
    }
}
