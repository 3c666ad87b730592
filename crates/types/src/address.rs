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
/// The wasm module's name, the derivation root of contract addresses.
const WASM_MODULE: &str = "wasm";
/// Length of a contract address (wasmd's `ContractAddrLen`).
pub const CONTRACT_ADDR_LEN: usize = 32;
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

    /// `address.Module(module, key)` of the Cosmos SDK (ADR-028) with one
    /// derivation key: `sha256(sha256("module") ‖ module ‖ 0x00 ‖ key)`.
    pub fn module_derived(module: &str, key: &[u8]) -> Self {
        let typ = Sha256::digest(b"module");
        let mut h = Sha256::new();
        h.update(typ);
        h.update(module.as_bytes());
        h.update([0u8]);
        h.update(key);
        Address(h.finalize().to_vec())
    }

    /// wasmd's classic contract address (`BuildContractAddressClassic`):
    /// derived from the code id and the chain-wide instance sequence.
    pub fn contract_classic(code_id: u64, instance_id: u64) -> Self {
        let key = [code_id.to_be_bytes(), instance_id.to_be_bytes()].concat();
        Address::module_derived(WASM_MODULE, &key)
    }

    /// wasmd's predictable contract address (`BuildContractAddressPredictable`,
    /// `MsgInstantiateContract2`): each part prefixed with its length as a
    /// big-endian u64. `init_msg` is empty unless the message is `fix_msg`.
    pub fn contract_predictable(checksum: &[u8], creator: &Address, salt: &[u8], init_msg: &[u8]) -> Self {
        let mut key = Vec::with_capacity(32 + checksum.len() + creator.0.len() + salt.len() + init_msg.len());
        for part in [checksum, creator.as_bytes(), salt, init_msg] {
            key.extend_from_slice(&(part.len() as u64).to_be_bytes());
            key.extend_from_slice(part);
        }
        Address::module_derived(WASM_MODULE, &key)
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

    fn with_prefix(prefix: &str, s: &str) -> Vec<u8> {
        let checked = CheckedHrpstring::new::<Bech32>(s).unwrap();
        assert_eq!(checked.hrp().as_str(), prefix);
        checked.byte_iter().collect()
    }

    #[test]
    fn classic_contract_addresses_match_wasmd() {
        // wasmd x/wasm/keeper/addresses_test.go (bech32 prefix "purple").
        let cases = [
            (0, 0, "purple1w0w8sasnut0jx0vvsnvlc8nayq0q2ej8xgrpwgel05tn6wy4r57qfplul7"),
            (0, 1, "purple156r47kpk4va938pmtpuee4fh77847gqcw2dmpl2nnpwztwfgz04s5cr8hj"),
            (1, 0, "purple1mzdhwvvh22wrt07w59wxyd58822qavwkx5lcej7aqfkpqqlhaqfs5efvjk"),
            (1, 1, "purple14hj2tavq8fpesdwxxcu44rty3hh90vhujrvcmstl4zr3txmfvw9smc2vxm"),
        ];
        for (code, instance, want) in cases {
            let a = Address::contract_classic(code, instance);
            assert_eq!(a.as_bytes().len(), CONTRACT_ADDR_LEN);
            assert_eq!(a.as_bytes(), with_prefix("purple", want).as_slice(), "code {code} instance {instance}");
        }
    }

    #[test]
    fn predictable_contract_addresses_match_wasmd() {
        // wasmd's golden vectors (generated with cosmjs): checksum, creator
        // 9999999999aaaaaaaaaabbbbbbbbbbcccccccccc, salt, msg -> address.
        let checksum = hex::decode("13a1fc994cc6d1c81b746ee0c0ff6f90043875e0bf1d9be6b7d779fc978dc2a5").unwrap();
        let creator = Address::from_bytes(&hex::decode("9999999999aaaaaaaaaabbbbbbbbbbcccccccccc").unwrap()).unwrap();
        let long_salt = "aabbccddeeffffeeddbbccddaa66551155aaaabbcc787878789900aabbccddeeffffeeddbbccddaa66551155aaaabbcc787878789900aabbbbcc221100acadae";
        let cases: [(&str, &str, &str); 4] = [
            ("61", "", "purple1t6r960j945lfv8mhl4mage2rg97w63xeynwrupum2s2l7em4lprs9ce5hk"),
            ("61", "{}", "purple1px25n9sgj3a99q0zcl4awx7my6s6mxqegmdd2lmvf5lwxh080q6suttktr"),
            (
                "61",
                r#"{"some":123,"structure":{"nested":["ok",true]}}"#,
                "purple1svexu428ywc4htrxfn4tezjcsl38qqata8aany4033auafr529ns4v254c",
            ),
            (long_salt, "", "purple1jwzvvfyvpwchrccxl476pxf7c83qawsqv3f2820q0zyrav6eg4jqdcq7gc"),
        ];
        for (salt, msg, want) in cases {
            let a = Address::contract_predictable(&checksum, &creator, &hex::decode(salt).unwrap(), msg.as_bytes());
            assert_eq!(a.as_bytes(), with_prefix("purple", want).as_slice(), "salt {salt} msg {msg}");
        }
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
