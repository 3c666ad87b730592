//! serde shapes of the module's state in genesis JSON: addresses as
//! bech32, hashes and consensus addresses as hex, bytes as base64, coins
//! as `{"denom","amount"}` (amounts and 64-bit integers as strings).

use base64::Engine;
use serde::{Deserialize, Deserializer, Serialize, Serializer, de::Error};
use venice_sdk::coin::JsonCoin;
use venice_sdk::{Address, Coin};

pub mod addr {
    use super::*;
    pub fn serialize<S: Serializer>(a: &Address, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&a.to_bech32())
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Address, D::Error> {
        Address::parse(&String::deserialize(d)?).map_err(D::Error::custom)
    }
}

pub mod addr_list {
    use super::*;
    pub fn serialize<S: Serializer>(a: &[Address], s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(a.iter().map(Address::to_bech32))
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Address>, D::Error> {
        Vec::<String>::deserialize(d)?.iter().map(|x| Address::parse(x).map_err(D::Error::custom)).collect()
    }
}

pub mod hex32 {
    use super::*;
    pub fn serialize<S: Serializer>(h: &[u8; 32], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&hex::encode(h))
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<[u8; 32], D::Error> {
        let mut out = [0u8; 32];
        hex::decode_to_slice(String::deserialize(d)?, &mut out).map_err(D::Error::custom)?;
        Ok(out)
    }
}

pub mod hex_bytes {
    use super::*;
    pub fn serialize<S: Serializer>(b: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&hex::encode(b))
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        hex::decode(String::deserialize(d)?).map_err(D::Error::custom)
    }
}

pub mod b64 {
    use super::*;
    pub fn serialize<S: Serializer>(b: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&base64::engine::general_purpose::STANDARD.encode(b))
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        base64::engine::general_purpose::STANDARD.decode(String::deserialize(d)?).map_err(D::Error::custom)
    }
}

pub mod coin {
    use super::*;
    pub fn serialize<S: Serializer>(c: &Coin, s: S) -> Result<S::Ok, S::Error> {
        JsonCoin::from(c).serialize(s)
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Coin, D::Error> {
        let j = JsonCoin::deserialize(d)?;
        if j.amount == "0" {
            venice_types::coin::validate_denom(&j.denom).map_err(D::Error::custom)?;
            return Ok(Coin::new(j.denom, 0));
        }
        Coin::try_from(&j).map_err(D::Error::custom)
    }
}
