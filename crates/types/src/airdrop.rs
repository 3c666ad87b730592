//! `venice.airdrop.v1` messages (the airdrop module's, shared with the CLI),
//! defined with prost derive; the .proto twin for the REST gateway's
//! descriptor set is proto/venice/airdrop/v1/airdrop.proto.

use cosmos_sdk_proto::cosmos::base::v1beta1::Coin;

pub const MSG_CLAIM_URL: &str = "/venice.airdrop.v1.MsgClaim";
pub const QUERY_PARAMS: &str = "/venice.airdrop.v1.Query/Params";
pub const QUERY_INFO: &str = "/venice.airdrop.v1.Query/Info";
pub const QUERY_CLAIM_RECORD: &str = "/venice.airdrop.v1.Query/ClaimRecord";

macro_rules! named {
    ($t:ident) => {
        impl prost::Name for $t {
            const NAME: &'static str = stringify!($t);
            const PACKAGE: &'static str = "venice.airdrop.v1";
        }
    };
}

/// Claim `amount` (base denom units, a decimal string) for `claimer`, with
/// the sibling hashes (32 bytes each) from its leaf up to the root.
/// Protobuf JSON too (the CLI's tx files; `proof` as base64 strings).
#[derive(Clone, PartialEq, prost::Message, serde::Serialize, serde::Deserialize)]
pub struct MsgClaim {
    #[prost(string, tag = "1")]
    #[serde(default)]
    pub claimer: String,
    #[prost(string, tag = "2")]
    #[serde(default)]
    pub amount: String,
    #[prost(bytes = "vec", repeated, tag = "3")]
    #[serde(default, with = "b64_list")]
    pub proof: Vec<Vec<u8>>,
}

/// `repeated bytes` as protobuf JSON writes it: base64 strings.
mod b64_list {
    use base64::Engine;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(v: &[Vec<u8>], s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(v.iter().map(|b| base64::engine::general_purpose::STANDARD.encode(b)))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Vec<u8>>, D::Error> {
        Vec::<String>::deserialize(d)?
            .iter()
            .map(|s| base64::engine::general_purpose::STANDARD.decode(s).map_err(serde::de::Error::custom))
            .collect()
    }
}
named!(MsgClaim);

#[derive(Clone, PartialEq, prost::Message)]
pub struct MsgClaimResponse {
    #[prost(message, optional, tag = "1")]
    pub amount: Option<Coin>,
}
named!(MsgClaimResponse);

#[derive(Clone, PartialEq, prost::Message)]
pub struct Params {
    /// Hex of the 32-byte root; empty when no airdrop is configured.
    #[prost(string, tag = "1")]
    pub merkle_root: String,
    #[prost(message, optional, tag = "2")]
    pub total: Option<Coin>,
    /// Claims are accepted while block time is before this.
    #[prost(message, optional, tag = "3")]
    pub deadline: Option<prost_types::Timestamp>,
}
named!(Params);

#[derive(Clone, PartialEq, prost::Message)]
pub struct QueryParamsRequest {}
named!(QueryParamsRequest);

#[derive(Clone, PartialEq, prost::Message)]
pub struct QueryParamsResponse {
    #[prost(message, optional, tag = "1")]
    pub params: Option<Params>,
}
named!(QueryParamsResponse);

#[derive(Clone, PartialEq, prost::Message)]
pub struct QueryInfoRequest {}
named!(QueryInfoRequest);

#[derive(Clone, PartialEq, prost::Message)]
pub struct QueryInfoResponse {
    #[prost(message, optional, tag = "1")]
    pub params: Option<Params>,
    /// Paid out so far.
    #[prost(message, optional, tag = "2")]
    pub claimed: Option<Coin>,
    /// What the module account holds.
    #[prost(message, optional, tag = "3")]
    pub remaining: Option<Coin>,
    /// Whether the deadline passed and the remainder went to the community pool.
    #[prost(bool, tag = "4")]
    pub swept: bool,
}
named!(QueryInfoResponse);

#[derive(Clone, PartialEq, prost::Message)]
pub struct QueryClaimRecordRequest {
    #[prost(string, tag = "1")]
    pub address: String,
}
named!(QueryClaimRecordRequest);

#[derive(Clone, PartialEq, prost::Message)]
pub struct QueryClaimRecordResponse {
    #[prost(string, tag = "1")]
    pub address: String,
    #[prost(bool, tag = "2")]
    pub claimed: bool,
    /// What it claimed (zero when not yet).
    #[prost(message, optional, tag = "3")]
    pub amount: Option<Coin>,
}
named!(QueryClaimRecordResponse);

#[cfg(test)]
mod tests {
    use super::*;
    use prost::Message;

    #[test]
    fn claim_has_amino_and_protobuf_json() {
        let m = MsgClaim { claimer: "venice1x".into(), amount: "5".into(), proof: vec![vec![1, 2], vec![3]] };
        let any = cosmos_sdk_proto::Any { type_url: MSG_CLAIM_URL.into(), value: m.encode_to_vec() };
        let amino = crate::amino::encode_any(&any).unwrap();
        let text = format!("{amino:?}");
        assert!(text.contains("venice/airdrop/MsgClaim") && text.contains("AQI=") && text.contains("Aw=="), "{text}");
        let json = serde_json::to_value(&m).unwrap();
        assert_eq!(json["proof"], serde_json::json!(["AQI=", "Aw=="]));
        assert_eq!(serde_json::from_value::<MsgClaim>(json).unwrap(), m);
    }
}
