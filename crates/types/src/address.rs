//! Account addresses: 1 to 255 bytes shown as bech32 with the `venice`
//! prefix, as the Cosmos SDK does with its own prefixes. Key accounts are 20
//! bytes (`ripemd160(sha256(pubkey))`), module accounts `sha256(name)[..20]`,
//! contract accounts 32 bytes; the chain and the CLI accept all of them.

use bech32::primitives::decode::{CheckedHrpstring, CheckedHrpstringError};
use bech32::{Bech32, Hrp};
use borsh::{BorshDeserialize, BorshSerialize};
use ripemd::Ripemd160;
use sha2::{Digest, Sha256};
use std::fmt;
use std::str::FromStr;

use crate::error::TypesError;

pub const BECH32_PREFIX: &str = "venice";
/// Longest address the SDK accepts (`address.MaxAddrLen`).
pub const MAX_ADDR_LEN: usize = 255;

/// Why a string is not an address; the CLI shows it as the reason after the
/// argument, the chain in its own `invalid address: …` wording.
#[derive(thiserror::Error, Debug, Clone, PartialEq, Eq)]
pub enum AddressError {
    #[error("not valid bech32 ({})", bech32_reason(.0))]
    Bech32(#[from] CheckedHrpstringError),
    #[error("prefix is {got:?}, expected {BECH32_PREFIX:?}")]
    Prefix { got: String },
    #[error("{0} bytes, expected 1 to {MAX_ADDR_LEN}")]
    Length(usize),
}

#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, BorshSerialize, BorshDeserialize)]
pub struct Address(Vec<u8>);

impl Address {
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, TypesError> {
        if !valid_len(bytes.len()) {
            return Err(TypesError::InvalidAddress(format!("address length {} out of range", bytes.len())));
        }
        Ok(Address(bytes.to_vec()))
    }

    /// Address of a compressed secp256k1 public key.
    pub fn from_secp256k1_pubkey(compressed: &[u8]) -> Self {
        let sha = Sha256::digest(compressed);
        Address(Ripemd160::digest(sha).to_vec())
    }

    /// Address of a module account (`authtypes.NewModuleAddress`).
    pub fn module(name: &str) -> Self {
        Address(Sha256::digest(name.as_bytes())[..20].to_vec())
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The one parsing rule: bech32 (not bech32m, as the Cosmos SDK's
    /// `bech32.DecodeAndConvert`), prefix `venice`, 1 to 255 bytes.
    pub fn decode(s: &str) -> Result<Self, AddressError> {
        let checked = CheckedHrpstring::new::<Bech32>(s)?;
        let hrp = checked.hrp();
        if hrp.as_str() != BECH32_PREFIX {
            return Err(AddressError::Prefix { got: hrp.as_str().to_string() });
        }
        let data: Vec<u8> = checked.byte_iter().collect();
        if !valid_len(data.len()) {
            return Err(AddressError::Length(data.len()));
        }
        Ok(Address(data))
    }

    /// Parse a bech32 address with our prefix, in the state machine's wording.
    pub fn parse(s: &str) -> Result<Self, TypesError> {
        Address::decode(s).map_err(|e| {
            TypesError::InvalidAddress(match e {
                AddressError::Bech32(e) => format!("{s}: {e}"),
                AddressError::Prefix { got } => {
                    format!("{s}: invalid Bech32 prefix; expected {BECH32_PREFIX}, got {got}")
                }
                AddressError::Length(_) => format!("{s}: bad length"),
            })
        })
    }

    /// Parse a command-line argument: the error names the argument.
    pub fn parse_arg(s: &str) -> Result<Self, TypesError> {
        Address::decode(s).map_err(|source| TypesError::BadAddress { addr: s.to_string(), source })
    }

    pub fn to_bech32(&self) -> String {
        let hrp = Hrp::parse(BECH32_PREFIX).expect("static prefix is valid");
        bech32::encode::<Bech32>(hrp, &self.0).expect("address length is bounded")
    }
}

/// The CLI's words for a bech32 failure (kept from before the CLI shared
/// this parser); the full error stays reachable as the source.
fn bech32_reason(e: &CheckedHrpstringError) -> &'static str {
    match e {
        CheckedHrpstringError::Parse(_) => "parse failed",
        _ => "invalid checksum",
    }
}

fn valid_len(n: usize) -> bool {
    (1..=MAX_ADDR_LEN).contains(&n)
}

impl fmt::Display for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_bech32())
    }
}

impl fmt::Debug for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Address({})", self.to_bech32())
    }
}

impl FromStr for Address {
    type Err = TypesError;
    fn from_str(s: &str) -> Result<Self, TypesError> {
        Address::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encode(prefix: &str, bytes: &[u8]) -> String {
        bech32::encode::<Bech32>(Hrp::parse(prefix).unwrap(), bytes).unwrap()
    }

    #[test]
    fn bech32_round_trip_and_prefix_check() {
        let a = Address::from_bytes(&[7u8; 20]).unwrap();
        let s = a.to_bech32();
        assert!(s.starts_with("venice1"));
        assert_eq!(Address::parse(&s).unwrap(), a);
        let cosmos = encode("cosmos", &[7u8; 20]);
        let err = Address::parse(&cosmos).unwrap_err();
        assert!(err.to_string().contains("expected venice"), "{err}");
        assert!(Address::parse("venice1notanaddress").is_err());
        assert!(Address::from_bytes(&[]).is_err());
    }

    #[test]
    fn module_address_matches_cosmos_sdk_derivation() {
        // x/auth's fee_collector on any Cosmos chain: cosmos17xpfvakm2amg962yls6f84z3kell8c5lserqta
        let fc = Address::module("fee_collector");
        assert_eq!(encode("cosmos", fc.as_bytes()), "cosmos17xpfvakm2amg962yls6f84z3kell8c5lserqta");
    }

    #[test]
    fn any_length_from_1_to_255_parses_on_both_sides() {
        for len in [1usize, 20, 32, 255] {
            let s = encode("venice", &vec![9u8; len]);
            assert_eq!(Address::parse(&s).unwrap().as_bytes().len(), len, "chain rule, {len} bytes");
            assert_eq!(Address::parse_arg(&s).unwrap().as_bytes().len(), len, "CLI rule, {len} bytes");
        }
        let long = encode("venice", &[9u8; 256]);
        assert_eq!(Address::parse(&long).unwrap_err().to_string(), format!("invalid address: {long}: bad length"));
        let err = Address::parse_arg(&long).unwrap_err().to_string();
        assert!(err.ends_with(": 256 bytes, expected 1 to 255"), "{err}");
        assert!(Address::parse_arg(&encode("venice", &[])).is_err());
    }

    #[test]
    fn argument_errors_say_why() {
        let a = Address::from_bytes(&[3u8; 20]).unwrap().to_bech32();
        let err = Address::parse_arg(&encode("cosmos", &[3u8; 20])).unwrap_err().to_string();
        assert!(err.contains("prefix is \"cosmos\", expected \"venice\""), "{err}");
        let mut broken = a.clone();
        let last = broken.pop().unwrap();
        broken.push(if last == 'q' { 'p' } else { 'q' });
        let err = Address::parse_arg(&broken).unwrap_err().to_string();
        assert_eq!(err, format!("invalid address {broken:?}: not valid bech32 (invalid checksum)"));
        // The chain names the same failure in its own words.
        assert_eq!(Address::parse(&broken).unwrap_err().to_string(), format!("invalid address: {broken}: invalid checksum"));
        // bech32m is refused, as the Cosmos SDK refuses it.
        let m = bech32::encode::<bech32::Bech32m>(Hrp::parse("venice").unwrap(), &[3u8; 20]).unwrap();
        assert!(Address::parse(&m).is_err() && Address::parse_arg(&m).is_err(), "{m}");
        let err = Address::parse_arg("venice1b").unwrap_err().to_string();
        assert_eq!(err, "invalid address \"venice1b\": not valid bech32 (parse failed)");
        assert!(Address::parse_arg("hello").is_err());
    }
}
