//! Account addresses: 20 bytes (`ripemd160(sha256(pubkey))` for secp256k1
//! keys, `sha256(name)[..20]` for module accounts) shown as bech32 with the
//! `venice` prefix, as the Cosmos SDK does with its own prefixes.

use bech32::{Bech32, Hrp};
use borsh::{BorshDeserialize, BorshSerialize};
use ripemd::Ripemd160;
use sha2::{Digest, Sha256};
use std::fmt;
use std::str::FromStr;

use crate::error::Error;

pub const BECH32_PREFIX: &str = "venice";
/// Longest address the SDK accepts (module-derived addresses can be 32 bytes).
pub const MAX_ADDR_LEN: usize = 255;

#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, BorshSerialize, BorshDeserialize)]
pub struct Address(Vec<u8>);

impl Address {
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, Error> {
        if bytes.is_empty() || bytes.len() > MAX_ADDR_LEN {
            return Err(Error::InvalidAddress(format!("address length {} out of range", bytes.len())));
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

    /// Parse a bech32 address with our prefix; the error says what is wrong.
    pub fn parse(s: &str) -> Result<Self, Error> {
        let (hrp, data) = bech32::decode(s).map_err(|e| Error::InvalidAddress(format!("{s}: {e}")))?;
        if hrp.as_str() != BECH32_PREFIX {
            return Err(Error::InvalidAddress(format!(
                "{s}: invalid Bech32 prefix; expected {BECH32_PREFIX}, got {}",
                hrp.as_str()
            )));
        }
        Address::from_bytes(&data).map_err(|_| Error::InvalidAddress(format!("{s}: bad length")))
    }

    pub fn to_bech32(&self) -> String {
        let hrp = Hrp::parse(BECH32_PREFIX).expect("static prefix is valid");
        bech32::encode::<Bech32>(hrp, &self.0).expect("address length is bounded")
    }
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
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        Address::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bech32_round_trip_and_prefix_check() {
        let a = Address::from_bytes(&[7u8; 20]).unwrap();
        let s = a.to_bech32();
        assert!(s.starts_with("venice1"));
        assert_eq!(Address::parse(&s).unwrap(), a);
        let cosmos = bech32::encode::<Bech32>(Hrp::parse("cosmos").unwrap(), &[7u8; 20]).unwrap();
        let err = Address::parse(&cosmos).unwrap_err();
        assert!(err.to_string().contains("expected venice"), "{err}");
        assert!(Address::parse("venice1notanaddress").is_err());
        assert!(Address::from_bytes(&[]).is_err());
    }

    #[test]
    fn module_address_matches_cosmos_sdk_derivation() {
        // x/auth's fee_collector on any Cosmos chain: cosmos17xpfvakm2amg962yls6f84z3kell8c5lserqta
        let fc = Address::module("fee_collector");
        let cosmos = bech32::encode::<Bech32>(Hrp::parse("cosmos").unwrap(), fc.as_bytes()).unwrap();
        assert_eq!(cosmos, "cosmos17xpfvakm2amg962yls6f84z3kell8c5lserqta");
    }
}
