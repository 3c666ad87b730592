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
#[derive(Clone, PartialEq, prost::Message)]
pub struct MsgClaim {
    #[prost(string, tag = "1")]
    pub claimer: String,
    #[prost(string, tag = "2")]
    pub amount: String,
    #[prost(bytes = "vec", repeated, tag = "3")]
    pub proof: Vec<Vec<u8>>,
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
