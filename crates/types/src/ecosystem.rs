//! `venice.ecosystem.v1` messages (the ecosystem module's, shared with the
//! CLI), defined with prost derive; the .proto twin for the REST gateway's
//! descriptor set is proto/venice/ecosystem/v1/ecosystem.proto. Serde gives
//! their protobuf JSON (proposal files): 64-bit integers as strings.

use cosmos_sdk_proto::cosmos::base::v1beta1::Coin;
use serde::{Deserialize, Serialize};

pub const MSG_GRANT_URL: &str = "/venice.ecosystem.v1.MsgGrant";
pub const QUERY_SERVICE: &str = "venice.ecosystem.v1.Query";
pub const QUERY_POOL: &str = "/venice.ecosystem.v1.Query/Pool";
/// The module account name of the pool (the tokenomics builder funds it).
pub const POOL_ACCOUNT: &str = "ecosystem_incentives";

macro_rules! named {
    ($t:ident) => {
        impl prost::Name for $t {
            const NAME: &'static str = stringify!($t);
            const PACKAGE: &'static str = "venice.ecosystem.v1";
        }
    };
}

/// A vesting grant's schedule (unix seconds): continuous from `start_time`
/// (0: the block time the grant executes at) to `end_time`, or, when
/// `delayed`, everything at `end_time`.
#[derive(Clone, PartialEq, Eq, prost::Message, Serialize, Deserialize)]
pub struct VestingSchedule {
    #[prost(int64, tag = "1")]
    #[serde(default, with = "crate::json::int_str")]
    pub start_time: i64,
    #[prost(int64, tag = "2")]
    #[serde(default, with = "crate::json::int_str")]
    pub end_time: i64,
    #[prost(bool, tag = "3")]
    #[serde(default)]
    pub delayed: bool,
}
named!(VestingSchedule);

#[derive(Clone, PartialEq, prost::Message, Serialize, Deserialize)]
pub struct MsgGrant {
    #[prost(string, tag = "1")]
    #[serde(default)]
    pub authority: String,
    #[prost(string, tag = "2")]
    #[serde(default)]
    pub recipient: String,
    #[prost(message, repeated, tag = "3")]
    #[serde(default)]
    pub amount: Vec<Coin>,
    #[prost(message, optional, tag = "4")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vesting: Option<VestingSchedule>,
}
named!(MsgGrant);

#[derive(Clone, PartialEq, prost::Message)]
pub struct MsgGrantResponse {}
named!(MsgGrantResponse);

#[derive(Clone, PartialEq, prost::Message)]
pub struct QueryPoolRequest {}
named!(QueryPoolRequest);

#[derive(Clone, PartialEq, prost::Message)]
pub struct QueryPoolResponse {
    #[prost(string, tag = "1")]
    pub address: String,
    #[prost(message, repeated, tag = "2")]
    pub pool: Vec<Coin>,
}
named!(QueryPoolResponse);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grant_has_protobuf_json_with_string_integers() {
        let m = MsgGrant {
            authority: "venice1a".into(),
            recipient: "venice1b".into(),
            amount: vec![Coin { denom: "uvvv".into(), amount: "5".into() }],
            vesting: Some(VestingSchedule { start_time: 0, end_time: 1_700_000_000, delayed: false }),
        };
        let json = serde_json::to_value(&m).unwrap();
        assert_eq!(json["vesting"]["end_time"], "1700000000");
        assert_eq!(serde_json::from_value::<MsgGrant>(json).unwrap(), m);
        let lump: MsgGrant = serde_json::from_value(serde_json::json!({"authority": "a", "recipient": "b", "amount": []})).unwrap();
        assert_eq!(lump.vesting, None);
    }
}
