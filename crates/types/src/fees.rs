//! `venice.fees.v1` messages (the fees module's, shared with the CLI),
//! defined with prost derive; the .proto twin for the REST gateway's
//! descriptor set is proto/venice/fees/v1/fees.proto.
//!
//! Shares and gas prices are plain decimal strings ("0.1"), on the wire and
//! in JSON. JSON field names are the proto names (snake_case, as the SDK's
//! CLI writes proposal files); lowerCamelCase is read too.

use cosmos_sdk_proto::cosmos::base::v1beta1::Coin;
use serde::{Deserialize, Serialize};

pub const MSG_UPDATE_PARAMS_URL: &str = "/venice.fees.v1.MsgUpdateParams";
pub const QUERY_PARAMS: &str = "/venice.fees.v1.Query/Params";
pub const QUERY_SPLIT: &str = "/venice.fees.v1.Query/Split";

macro_rules! named {
    ($t:ident) => {
        impl prost::Name for $t {
            const NAME: &'static str = stringify!($t);
            const PACKAGE: &'static str = "venice.fees.v1";
        }
    };
}

/// Shares of a fee, one per leg; each in [0, 1], together exactly 1.
#[derive(Clone, PartialEq, prost::Message, Serialize, Deserialize)]
pub struct FeeSplit {
    #[prost(string, tag = "1")]
    #[serde(default)]
    pub stakers: String,
    #[prost(string, tag = "2")]
    #[serde(default, alias = "modelOwner")]
    pub model_owner: String,
    #[prost(string, tag = "3")]
    #[serde(default, alias = "computeProviders")]
    pub compute_providers: String,
    #[prost(string, tag = "4")]
    #[serde(default, alias = "communityPool")]
    pub community_pool: String,
    #[prost(string, tag = "5")]
    #[serde(default)]
    pub ecosystem: String,
    #[prost(string, tag = "6")]
    #[serde(default)]
    pub burn: String,
}
named!(FeeSplit);

/// An accepted fee denom and its minimum gas price (a decimal).
#[derive(Clone, PartialEq, prost::Message, Serialize, Deserialize)]
pub struct GasPrice {
    #[prost(string, tag = "1")]
    #[serde(default)]
    pub denom: String,
    #[prost(string, tag = "2")]
    #[serde(default)]
    pub amount: String,
}
named!(GasPrice);

/// The minimum fee of one message type.
#[derive(Clone, PartialEq, prost::Message, Serialize, Deserialize)]
pub struct BaseFee {
    #[prost(string, tag = "1")]
    #[serde(default, alias = "msgTypeUrl")]
    pub msg_type_url: String,
    #[prost(message, repeated, tag = "2")]
    #[serde(default)]
    pub amount: Vec<Coin>,
}
named!(BaseFee);

#[derive(Clone, PartialEq, prost::Message, Serialize, Deserialize)]
pub struct Params {
    #[prost(message, optional, tag = "1")]
    #[serde(default, alias = "txFeeSplit")]
    pub tx_fee_split: Option<FeeSplit>,
    #[prost(message, optional, tag = "2")]
    #[serde(default, alias = "inferenceFeeSplit")]
    pub inference_fee_split: Option<FeeSplit>,
    #[prost(message, repeated, tag = "3")]
    #[serde(default, alias = "minGasPrices")]
    pub min_gas_prices: Vec<GasPrice>,
    #[prost(message, repeated, tag = "4")]
    #[serde(default, alias = "baseFees")]
    pub base_fees: Vec<BaseFee>,
}
named!(Params);

#[derive(Clone, PartialEq, prost::Message, Serialize, Deserialize)]
pub struct MsgUpdateParams {
    #[prost(string, tag = "1")]
    #[serde(default)]
    pub authority: String,
    #[prost(message, optional, tag = "2")]
    #[serde(default)]
    pub params: Option<Params>,
}
named!(MsgUpdateParams);

#[derive(Clone, PartialEq, prost::Message)]
pub struct MsgUpdateParamsResponse {}
named!(MsgUpdateParamsResponse);

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
pub struct QuerySplitRequest {
    /// Optional coins, e.g. "1000uvvv".
    #[prost(string, tag = "1")]
    pub amount: String,
}
named!(QuerySplitRequest);

/// One leg of a split: who gets what (recipient empty for burn).
#[derive(Clone, PartialEq, prost::Message, Serialize, Deserialize)]
pub struct FeeLeg {
    #[prost(string, tag = "1")]
    pub leg: String,
    #[prost(string, tag = "2")]
    pub recipient: String,
    #[prost(message, repeated, tag = "3")]
    pub amount: Vec<Coin>,
}
named!(FeeLeg);

#[derive(Clone, PartialEq, prost::Message)]
pub struct QuerySplitResponse {
    #[prost(message, optional, tag = "1")]
    pub tx_fee_split: Option<FeeSplit>,
    #[prost(message, optional, tag = "2")]
    pub inference_fee_split: Option<FeeSplit>,
    #[prost(message, repeated, tag = "3")]
    pub tx_fee_preview: Vec<FeeLeg>,
    #[prost(string, tag = "4")]
    pub remainder_sink: String,
}
named!(QuerySplitResponse);
