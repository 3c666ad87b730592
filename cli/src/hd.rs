//! Key material: BIP-39 mnemonics, BIP-32 derivation on the Cosmos path, and
//! the address of a key (the address rules are venice-types').

use bip32::{DerivationPath, XPrv};
use bip39::Mnemonic;
use rand_core::{OsRng, RngCore};
use venice_types::Address;
use zeroize::Zeroizing;

use crate::error::{CliError, Result};

/// SLIP-44 coin type shared with the Cosmos Hub, so wallets derive the same keys.
pub const COIN_TYPE: u32 = 118;

/// `m/44'/118'/ACCOUNT'/0/INDEX`, the path the Cosmos SDK and Keplr use.
pub fn hd_path(account: u32, index: u32) -> String {
    format!("m/44'/{COIN_TYPE}'/{account}'/0/{index}")
}

/// A fresh 24-word English mnemonic from 256 bits of OS randomness.
pub fn new_mnemonic() -> Zeroizing<String> {
    let mut entropy = Zeroizing::new([0u8; 32]);
    OsRng.fill_bytes(entropy.as_mut());
    let m = Mnemonic::from_entropy(entropy.as_ref()).expect("32 bytes is a valid BIP-39 entropy size");
    Zeroizing::new(m.to_string())
}

/// Parses a mnemonic of 12 to 24 words; whitespace and case are normalised so a
/// phrase pasted with line breaks or capitals still recovers the same key.
pub fn parse_mnemonic(phrase: &str) -> Result<Mnemonic> {
    let normalised = Zeroizing::new(phrase.split_whitespace().map(str::to_lowercase).collect::<Vec<_>>().join(" "));
    if normalised.is_empty() {
        return Err(CliError::BadMnemonic("empty input".into()));
    }
    Mnemonic::parse_in_normalized(bip39::Language::English, &normalised).map_err(|e| CliError::BadMnemonic(e.to_string()))
}

/// The 32-byte secp256k1 private key at `path` for `mnemonic` (empty BIP-39
/// passphrase, as the Cosmos SDK CLI uses by default).
pub fn derive_private_key(mnemonic: &Mnemonic, path: &str) -> Result<Zeroizing<[u8; 32]>> {
    let path: DerivationPath = path.parse().map_err(|e| CliError::BadFlag { flag: "--hd-path", reason: format!("{path:?}: {e}") })?;
    let seed = Zeroizing::new(mnemonic.to_seed(""));
    let xprv = XPrv::derive_from_path(seed.as_ref(), &path).map_err(|e| CliError::BadMnemonic(format!("key derivation failed: {e}")))?;
    Ok(Zeroizing::new(xprv.private_key().to_bytes().into()))
}

/// The compressed (33-byte SEC1) public key of a private key.
pub fn public_key(private_key: &[u8; 32]) -> Result<[u8; 33]> {
    let sk = k256::ecdsa::SigningKey::from_slice(private_key).map_err(|_| CliError::TxBuild("invalid secp256k1 private key".into()))?;
    let point = sk.verifying_key().to_encoded_point(true);
    let mut out = [0u8; 33];
    out.copy_from_slice(point.as_bytes());
    Ok(out)
}

/// The `venice1…` address of a compressed public key.
/// Checks a low-S secp256k1 signature over sha256(`msg`), as the chain does.
pub fn verify(compressed_pubkey: &[u8], msg: &[u8], sig: &[u8]) -> std::result::Result<(), ()> {
    use k256::ecdsa::signature::Verifier;
    let vk = k256::ecdsa::VerifyingKey::from_sec1_bytes(compressed_pubkey).map_err(|_| ())?;
    let sig = k256::ecdsa::Signature::from_slice(sig).map_err(|_| ())?;
    if sig.normalize_s().is_some() {
        return Err(());
    }
    vk.verify(msg, &sig).map_err(|_| ())
}

pub fn account_address(compressed_pubkey: &[u8; 33]) -> String {
    Address::from_secp256k1_pubkey(compressed_pubkey).to_bech32()
}

#[cfg(test)]
mod tests {
    use super::*;

    // Published cosmjs test-net faucet vectors (HD path m/44'/118'/0'/0/N,
    // prefix "cosmos"/"wasm"); the address bytes do not depend on the prefix.
    const FAUCET_24: &str = "economy stock theory fatal elder harbor betray wasp final emotion task crumble siren bottom lizard educate guess current outdoor pair theory focus wife stone";
    const FAUCET_12: &str = "enlist hip relief stomach skate base shallow young switch frequent cry park";

    fn bech32_encode(prefix: &str, bytes: &[u8]) -> String {
        bech32::encode::<bech32::Bech32>(bech32::Hrp::parse(prefix).unwrap(), bytes).unwrap()
    }

    fn rebech(addr: &str, prefix: &str) -> String {
        let (_, data) = bech32::decode(addr).unwrap();
        bech32_encode(prefix, &data)
    }

    fn b64(bytes: &[u8]) -> String {
        use cosmrs::tendermint::public_key::PublicKey as TmPk;
        // tendermint's serde base64 of a secp256k1 key equals the cosmjs `value`.
        let pk = TmPk::from_raw_secp256k1(bytes).unwrap();
        let json = serde_json::to_value(pk).unwrap();
        json["value"].as_str().unwrap().to_string()
    }

    fn derive(phrase: &str, index: u32) -> ([u8; 32], [u8; 33]) {
        let m = parse_mnemonic(phrase).unwrap();
        let sk = derive_private_key(&m, &hd_path(0, index)).unwrap();
        let pk = public_key(&sk).unwrap();
        (*sk, pk)
    }

    #[test]
    fn cosmjs_faucet_24_words_index_0_and_1() {
        let (_, pk0) = derive(FAUCET_24, 0);
        assert_eq!(b64(&pk0), "A08EGB7ro1ORuFhjOnZcSgwYlpe0DSFjVNUIkNNQxwKQ");
        assert_eq!(account_address(&pk0), rebech("cosmos1pkptre7fdkl6gfrzlesjjvhxhlc3r4gmmk8rs6", "venice"));
        let (_, pk1) = derive(FAUCET_24, 1);
        assert_eq!(account_address(&pk1), rebech("cosmos10dyr9899g6t0pelew4nvf4j5c3jcgv0r73qga5", "venice"));
    }

    #[test]
    fn cosmjs_faucet_12_words() {
        let (_, pk) = derive(FAUCET_12, 0);
        assert_eq!(b64(&pk), "A9cXhWb8ZpqCzkA8dQCPV29KdeRLV3rUYxrkHudLbQtS");
        assert_eq!(account_address(&pk), rebech("wasm14qemq0vw6y3gc3u3e0aty2e764u4gs5lndxgyk", "venice"));
    }

    #[test]
    fn matches_cosmrs_derivation_and_address() {
        // Independent route: cosmrs's own BIP-32 + AccountId.
        let m = parse_mnemonic(FAUCET_24).unwrap();
        let seed = m.to_seed("");
        let path: DerivationPath = hd_path(0, 0).parse().unwrap();
        let ck = cosmrs::crypto::secp256k1::SigningKey::derive_from_path(seed, &path).unwrap();
        let cosmrs_addr = ck.public_key().account_id(venice_types::BECH32_PREFIX).unwrap().to_string();
        let (sk, pk) = derive(FAUCET_24, 0);
        assert_eq!(ck.public_key().to_bytes(), pk.to_vec());
        assert_eq!(cosmrs_addr, account_address(&pk));
        assert!(cosmrs_addr.starts_with("venice1"));
        assert_eq!(public_key(&sk).unwrap(), pk);
    }

    #[test]
    fn mnemonic_normalisation_and_errors() {
        let messy = format!("  {}\n", FAUCET_12.to_uppercase().replace(' ', "\n  "));
        assert_eq!(derive(&messy, 0).1, derive(FAUCET_12, 0).1);
        assert!(parse_mnemonic("").is_err());
        // Valid words, wrong checksum.
        assert!(parse_mnemonic(&FAUCET_12.replace("park", "abandon")).is_err());
        assert!(parse_mnemonic("notaword ".repeat(12).trim()).is_err());
    }

    #[test]
    fn new_mnemonic_is_24_valid_words_and_random() {
        let a = new_mnemonic();
        let b = new_mnemonic();
        assert_eq!(a.split(' ').count(), 24);
        assert!(parse_mnemonic(&a).is_ok());
        assert_ne!(*a, *b);
    }

    #[test]
    fn address_parsing() {
        let parse = |a: &str| Address::parse_arg(a).map(|a| a.as_bytes().to_vec());
        let (_, pk) = derive(FAUCET_24, 0);
        let addr = account_address(&pk);
        assert_eq!(parse(&addr).unwrap(), Address::from_secp256k1_pubkey(&pk).as_bytes());
        let cosmos = rebech(&addr, "cosmos");
        let err = parse(&cosmos).unwrap_err().to_string();
        assert!(err.contains("prefix"), "{err}");
        let mut broken = addr.clone();
        let last = broken.pop().unwrap();
        broken.push(if last == 'q' { 'p' } else { 'q' });
        assert!(parse(&broken).unwrap_err().to_string().contains("bech32"));
        // The chain's rule: 1 to 255 bytes (32: contract accounts).
        assert_eq!(parse(&bech32_encode("venice", &[1, 2, 3])).unwrap(), [1, 2, 3]);
        assert_eq!(parse(&bech32_encode("venice", &[7; 32])).unwrap(), [7; 32]);
        assert!(parse(&bech32_encode("venice", &[])).is_err());
        assert!(parse(&bech32_encode("venice", &[7; 256])).is_err());
        assert!(parse("hello").is_err());
    }
}
