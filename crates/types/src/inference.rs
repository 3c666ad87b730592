//! `venice.inference.v1` messages (the inference module's, shared with the
//! CLI and the app's vote-extension code), defined with prost derive; the
//! .proto twins for the REST gateway's descriptor set are in
//! proto/venice/inference/v1/. Amounts of coins and credits are decimal
//! strings (u128), as the SDK writes `math.Int`. The messages' JSON (the
//! CLI's tx files, gov proposals) is protobuf JSON with the proto field
//! names (lowerCamelCase read too): 64-bit integers as strings, bytes as
//! base64.

use cosmos_sdk_proto::cosmos::base::v1beta1::Coin;
use serde::{Deserialize, Serialize};

pub const PACKAGE: &str = "venice.inference.v1";
pub const MSG_REGISTER_MODEL_URL: &str = "/venice.inference.v1.MsgRegisterModel";
pub const MSG_UPDATE_MODEL_URL: &str = "/venice.inference.v1.MsgUpdateModel";
pub const MSG_DELIST_MODEL_URL: &str = "/venice.inference.v1.MsgDelistModel";
pub const MSG_SUBMIT_INFERENCE_URL: &str = "/venice.inference.v1.MsgSubmitInference";
pub const MSG_SUBMIT_RESULT_URL: &str = "/venice.inference.v1.MsgSubmitResult";
pub const MSG_MINT_CREDITS_URL: &str = "/venice.inference.v1.MsgMintCredits";
pub const MSG_BURN_CREDITS_URL: &str = "/venice.inference.v1.MsgBurnCredits";
pub const MSG_SET_PAYOUT_ADDRESS_URL: &str = "/venice.inference.v1.MsgSetPayoutAddress";
pub const MSG_UPDATE_PARAMS_URL: &str = "/venice.inference.v1.MsgUpdateParams";
pub const QUERY_SERVICE: &str = "venice.inference.v1.Query";

macro_rules! named {
    ($($t:ident),* $(,)?) => {$(
        impl prost::Name for $t {
            const NAME: &'static str = stringify!($t);
            const PACKAGE: &'static str = PACKAGE;
        }
    )*};
}

// ---- models -------------------------------------------------------------------

/// List the model NFT `token_id` of `nft_contract` for inference. Its price,
/// quantisation rule and I/O schema are read from the NFT.
#[derive(Clone, PartialEq, prost::Message, Serialize, Deserialize)]
pub struct MsgRegisterModel {
    #[prost(string, tag = "1")]
    #[serde(default)]
    pub owner: String,
    #[prost(string, tag = "2")]
    #[serde(default, alias = "nftContract")]
    pub nft_contract: String,
    #[prost(string, tag = "3")]
    #[serde(default, alias = "tokenId")]
    pub token_id: String,
    #[prost(uint64, tag = "4")]
    #[serde(default, alias = "maxInputBytes", with = "crate::json::int_str")]
    pub max_input_bytes: u64,
    #[prost(uint64, tag = "5")]
    #[serde(default, alias = "maxOutputBytes", with = "crate::json::int_str")]
    pub max_output_bytes: u64,
    #[prost(uint32, tag = "6")]
    #[serde(default, alias = "committeeSize")]
    pub committee_size: u32,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct MsgRegisterModelResponse {
    /// sha256 of the ONNX file, hex.
    #[prost(string, tag = "1")]
    pub model_id: String,
}

/// Change a listing's limits and re-read the NFT's price.
#[derive(Clone, PartialEq, prost::Message, Serialize, Deserialize)]
pub struct MsgUpdateModel {
    #[prost(string, tag = "1")]
    #[serde(default)]
    pub owner: String,
    #[prost(string, tag = "2")]
    #[serde(default, alias = "modelId")]
    pub model_id: String,
    #[prost(uint64, tag = "3")]
    #[serde(default, alias = "maxInputBytes", with = "crate::json::int_str")]
    pub max_input_bytes: u64,
    #[prost(uint64, tag = "4")]
    #[serde(default, alias = "maxOutputBytes", with = "crate::json::int_str")]
    pub max_output_bytes: u64,
    #[prost(uint32, tag = "5")]
    #[serde(default, alias = "committeeSize")]
    pub committee_size: u32,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct MsgUpdateModelResponse {}

#[derive(Clone, PartialEq, prost::Message, Serialize, Deserialize)]
pub struct MsgDelistModel {
    #[prost(string, tag = "1")]
    #[serde(default)]
    pub owner: String,
    #[prost(string, tag = "2")]
    #[serde(default, alias = "modelId")]
    pub model_id: String,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct MsgDelistModelResponse {}

/// A listed model as queries return it.
#[derive(Clone, PartialEq, prost::Message)]
pub struct Model {
    #[prost(string, tag = "1")]
    pub model_id: String,
    #[prost(string, tag = "2")]
    pub nft_contract: String,
    #[prost(string, tag = "3")]
    pub token_id: String,
    #[prost(message, optional, tag = "4")]
    pub price_per_call: Option<Coin>,
    /// The NFT's quantisation rule, as its JSON.
    #[prost(string, tag = "5")]
    pub quant_rule_json: String,
    /// The NFT's inputs and outputs (`{"inputs":[…],"outputs":[…]}`).
    #[prost(string, tag = "6")]
    pub io_schema_json: String,
    #[prost(uint64, tag = "7")]
    pub max_input_bytes: u64,
    #[prost(uint64, tag = "8")]
    pub max_output_bytes: u64,
    #[prost(uint32, tag = "9")]
    pub committee_size: u32,
    #[prost(string, tag = "10")]
    pub storage_uri: String,
}

// ---- tasks ----------------------------------------------------------------------

/// An input held by a dataset of the data-credential contract, instead of
/// inline bytes: the sender's credential `credential_id` of `contract`
/// (one use of it is spent on submission).
#[derive(Clone, PartialEq, prost::Message, Serialize, Deserialize)]
pub struct DataCredentialRef {
    #[prost(string, tag = "1")]
    #[serde(default)]
    pub contract: String,
    #[prost(uint64, tag = "2")]
    #[serde(default, alias = "credentialId", with = "crate::json::int_str")]
    pub credential_id: u64,
}

/// The dataset a task's data credential opened, as the contract described
/// it at submission: what every executor fetches and checks.
#[derive(Clone, PartialEq, prost::Message)]
pub struct TaskDataset {
    #[prost(uint64, tag = "1")]
    pub dataset_id: u64,
    /// sha256 of the dataset's bytes (the input JSON), lower-case hex.
    #[prost(string, tag = "2")]
    pub data_hash: String,
    #[prost(string, tag = "3")]
    pub uri: String,
}

/// Run `model_id` on `input` (or the data credential's input). The fee is
/// the model's price plus `priority` (a tip, base units, raising the task's
/// place in the queue); it is escrowed and must not exceed `max_fee`.
#[derive(Clone, PartialEq, prost::Message, Serialize, Deserialize)]
pub struct MsgSubmitInference {
    #[prost(string, tag = "1")]
    #[serde(default)]
    pub sender: String,
    #[prost(string, tag = "2")]
    #[serde(default, alias = "modelId")]
    pub model_id: String,
    #[prost(bytes = "vec", tag = "3")]
    #[serde(default, with = "b64")]
    pub input: Vec<u8>,
    #[prost(message, optional, tag = "4")]
    #[serde(default, alias = "dataCredential")]
    pub data_credential: Option<DataCredentialRef>,
    #[prost(message, optional, tag = "5")]
    #[serde(default, alias = "maxFee")]
    pub max_fee: Option<Coin>,
    #[prost(string, tag = "6")]
    #[serde(default)]
    pub priority: String,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct MsgSubmitInferenceResponse {
    #[prost(uint64, tag = "1")]
    pub task_id: u64,
}

/// The output bytes of a final task whose agreed hash they must match
/// (outputs too large for a vote extension).
#[derive(Clone, PartialEq, prost::Message, Serialize, Deserialize)]
pub struct MsgSubmitResult {
    #[prost(string, tag = "1")]
    #[serde(default)]
    pub sender: String,
    #[prost(uint64, tag = "2")]
    #[serde(default, alias = "taskId", with = "crate::json::int_str")]
    pub task_id: u64,
    #[prost(bytes = "vec", tag = "3")]
    #[serde(default, with = "b64")]
    pub output: Vec<u8>,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct MsgSubmitResultResponse {}

#[derive(Clone, PartialEq, prost::Message)]
pub struct CommitteeMember {
    #[prost(string, tag = "1")]
    pub operator: String,
    #[prost(bytes = "vec", tag = "2")]
    pub consensus_address: Vec<u8>,
    #[prost(uint64, tag = "3")]
    pub power: u64,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct Task {
    #[prost(uint64, tag = "1")]
    pub id: u64,
    #[prost(string, tag = "2")]
    pub sender: String,
    #[prost(string, tag = "3")]
    pub model_id: String,
    #[prost(bytes = "vec", tag = "4")]
    pub input: Vec<u8>,
    #[prost(message, optional, tag = "5")]
    pub data_credential: Option<DataCredentialRef>,
    /// What is escrowed (the price, unless the allowance paid it, plus the tip).
    #[prost(message, optional, tag = "6")]
    pub fee: Option<Coin>,
    #[prost(uint64, tag = "7")]
    pub work: u64,
    /// Work units paid from the sender's daily credit allowance.
    #[prost(uint64, tag = "8")]
    pub allowance_used: u64,
    /// `queued`, `assigned`, `final`, `expired`.
    #[prost(string, tag = "9")]
    pub status: String,
    #[prost(uint64, tag = "10")]
    pub submit_height: u64,
    #[prost(uint64, tag = "11")]
    pub deadline_height: u64,
    #[prost(uint64, tag = "12")]
    pub assigned_height: u64,
    #[prost(message, repeated, tag = "13")]
    pub committee: Vec<CommitteeMember>,
    /// Set when the input comes from a data credential.
    #[prost(message, optional, tag = "14")]
    pub dataset: Option<TaskDataset>,
    /// The listing when the task was submitted: the model's URI and
    /// quantisation rule (the task runs on them even if it is delisted).
    #[prost(string, tag = "15")]
    pub storage_uri: String,
    #[prost(string, tag = "16")]
    pub quant_rule_json: String,
    #[prost(uint64, tag = "17")]
    pub max_input_bytes: u64,
    /// The height it became final or expired (0 while open).
    #[prost(uint64, tag = "18")]
    pub ended_height: u64,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct TaskResultRecord {
    #[prost(uint64, tag = "1")]
    pub task_id: u64,
    #[prost(bytes = "vec", tag = "2")]
    pub output_hash: Vec<u8>,
    /// Empty until an executor's extension or `MsgSubmitResult` carried it.
    #[prost(bytes = "vec", tag = "3")]
    pub output: Vec<u8>,
    #[prost(uint64, tag = "4")]
    pub height: u64,
    /// The agreeing members' operators.
    #[prost(string, repeated, tag = "5")]
    pub executors: Vec<String>,
}

// ---- vote extensions --------------------------------------------------------------

/// One finished task as a committee member saw it.
#[derive(Clone, PartialEq, prost::Message)]
pub struct TaskResult {
    #[prost(uint64, tag = "1")]
    pub task_id: u64,
    /// sha256 of the canonical quantised output (32 bytes).
    #[prost(bytes = "vec", tag = "2")]
    pub output_hash: Vec<u8>,
    /// The canonical output itself, when small (else empty).
    #[prost(bytes = "vec", tag = "3")]
    pub output: Vec<u8>,
}

/// What `ExtendVote` puts in a validator's precommit.
#[derive(Clone, PartialEq, prost::Message)]
pub struct InferenceVoteExtension {
    #[prost(message, repeated, tag = "1")]
    pub results: Vec<TaskResult>,
}

// ---- credits, payouts, params -------------------------------------------------------

/// Mint `credits` by locking bonded VVV along the mint curve; refused when
/// the stake it would lock exceeds `max_stake` (when set).
#[derive(Clone, PartialEq, prost::Message, Serialize, Deserialize)]
pub struct MsgMintCredits {
    #[prost(string, tag = "1")]
    #[serde(default)]
    pub owner: String,
    #[prost(string, tag = "2")]
    #[serde(default)]
    pub credits: String,
    #[prost(string, tag = "3")]
    #[serde(default, alias = "maxStake")]
    pub max_stake: String,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct MsgMintCreditsResponse {
    #[prost(string, tag = "1")]
    pub locked: String,
}

#[derive(Clone, PartialEq, prost::Message, Serialize, Deserialize)]
pub struct MsgBurnCredits {
    #[prost(string, tag = "1")]
    #[serde(default)]
    pub owner: String,
    #[prost(string, tag = "2")]
    #[serde(default)]
    pub credits: String,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct MsgBurnCreditsResponse {
    #[prost(string, tag = "1")]
    pub unlocked: String,
}

/// Where a validator's share of inference fees goes (apart from its
/// operator key). Signed by the operator's account.
#[derive(Clone, PartialEq, prost::Message, Serialize, Deserialize)]
pub struct MsgSetPayoutAddress {
    #[prost(string, tag = "1")]
    #[serde(default, alias = "validatorAddress")]
    pub validator_address: String,
    #[prost(string, tag = "2")]
    #[serde(default, alias = "payoutAddress")]
    pub payout_address: String,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct MsgSetPayoutAddressResponse {}

#[derive(Clone, PartialEq, prost::Message, Serialize, Deserialize)]
pub struct Params {
    #[prost(string, tag = "1")]
    #[serde(default, alias = "feeDenom")]
    pub fee_denom: String,
    #[prost(uint64, tag = "2")]
    #[serde(default, alias = "maxInputBytes", with = "crate::json::int_str")]
    pub max_input_bytes: u64,
    #[prost(uint64, tag = "3")]
    #[serde(default, alias = "maxOutputBytes", with = "crate::json::int_str")]
    pub max_output_bytes: u64,
    #[prost(uint32, tag = "4")]
    #[serde(default, alias = "maxCommitteeSize")]
    pub max_committee_size: u32,
    #[prost(uint64, tag = "5")]
    #[serde(default, alias = "blockWorkBudget", with = "crate::json::int_str")]
    pub block_work_budget: u64,
    #[prost(uint64, tag = "6")]
    #[serde(default, alias = "inputBytesPerWork", with = "crate::json::int_str")]
    pub input_bytes_per_work: u64,
    #[prost(uint64, tag = "7")]
    #[serde(default, alias = "taskTimeoutBlocks", with = "crate::json::int_str")]
    pub task_timeout_blocks: u64,
    #[prost(uint64, tag = "8")]
    #[serde(default, alias = "reputationReward", with = "crate::json::int_str")]
    pub reputation_reward: u64,
    #[prost(uint64, tag = "9")]
    #[serde(default, alias = "disagreePenalty", with = "crate::json::int_str")]
    pub disagree_penalty: u64,
    #[prost(uint64, tag = "10")]
    #[serde(default, alias = "silencePenalty", with = "crate::json::int_str")]
    pub silence_penalty: u64,
    #[prost(uint64, tag = "11")]
    #[serde(default, alias = "slashThreshold", with = "crate::json::int_str")]
    pub slash_threshold: u64,
    /// LegacyDec, e.g. `0.001000000000000000`.
    #[prost(string, tag = "12")]
    #[serde(default, alias = "slashFraction")]
    pub slash_fraction: String,
    #[prost(uint32, tag = "13")]
    #[serde(default, alias = "maxExtensionResults")]
    pub max_extension_results: u32,
    #[prost(uint64, tag = "14")]
    #[serde(default, alias = "maxExtensionBytes", with = "crate::json::int_str")]
    pub max_extension_bytes: u64,
    #[prost(uint64, tag = "15")]
    #[serde(default, alias = "maxInlineOutputBytes", with = "crate::json::int_str")]
    pub max_inline_output_bytes: u64,
    /// uvvv locked per credit at zero credits outstanding.
    #[prost(string, tag = "16")]
    #[serde(default, alias = "creditBaseRate")]
    pub credit_base_rate: String,
    /// Credits outstanding at which the price has grown by `2^exponent`.
    #[prost(string, tag = "17")]
    #[serde(default, alias = "creditCurveScale")]
    pub credit_curve_scale: String,
    #[prost(uint32, tag = "18")]
    #[serde(default, alias = "creditCurveExponent")]
    pub credit_curve_exponent: u32,
    #[prost(uint64, tag = "19")]
    #[serde(default, alias = "allowancePerCredit", with = "crate::json::int_str")]
    pub allowance_per_credit: u64,
    /// The compute-credit cw20 contract (bech32); empty: credits in module state only.
    #[prost(string, tag = "20")]
    #[serde(default, alias = "creditContract")]
    pub credit_contract: String,
    /// Blocks an ended task (final or expired) and its result are kept
    /// after they end; 0 keeps them forever.
    #[prost(uint64, tag = "21")]
    #[serde(default, alias = "endedTaskRetentionBlocks", with = "crate::json::int_str")]
    pub ended_task_retention_blocks: u64,
}

#[derive(Clone, PartialEq, prost::Message, Serialize, Deserialize)]
pub struct MsgUpdateParams {
    #[prost(string, tag = "1")]
    #[serde(default)]
    pub authority: String,
    #[prost(message, optional, tag = "2")]
    #[serde(default)]
    pub params: Option<Params>,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct MsgUpdateParamsResponse {}

named!(
    MsgRegisterModel,
    MsgRegisterModelResponse,
    MsgUpdateModel,
    MsgUpdateModelResponse,
    MsgDelistModel,
    MsgDelistModelResponse,
    Model,
    DataCredentialRef,
    TaskDataset,
    MsgSubmitInference,
    MsgSubmitInferenceResponse,
    MsgSubmitResult,
    MsgSubmitResultResponse,
    CommitteeMember,
    Task,
    TaskResultRecord,
    TaskResult,
    InferenceVoteExtension,
    MsgMintCredits,
    MsgMintCreditsResponse,
    MsgBurnCredits,
    MsgBurnCreditsResponse,
    MsgSetPayoutAddress,
    MsgSetPayoutAddressResponse,
    Params,
    MsgUpdateParams,
    MsgUpdateParamsResponse,
);

pub use query::*;

/// `venice.inference.v1.Query` requests and responses.
mod query {
    use super::{Model, PACKAGE, Params, Task, TaskResultRecord};

    #[derive(Clone, PartialEq, prost::Message)]
    pub struct QueryTaskRequest {
        #[prost(uint64, tag = "1")]
        pub task_id: u64,
    }
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct QueryTaskResponse {
        #[prost(message, optional, tag = "1")]
        pub task: Option<Task>,
    }
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct QueryResultRequest {
        #[prost(uint64, tag = "1")]
        pub task_id: u64,
    }
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct QueryResultResponse {
        #[prost(message, optional, tag = "1")]
        pub result: Option<TaskResultRecord>,
    }
    /// Queued tasks in the order they will be assigned.
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct QueryQueueRequest {
        #[prost(uint32, tag = "1")]
        pub limit: u32,
    }
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct QueryQueueResponse {
        #[prost(message, repeated, tag = "1")]
        pub tasks: Vec<Task>,
    }
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct QueryModelsRequest {}
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct QueryModelsResponse {
        #[prost(message, repeated, tag = "1")]
        pub models: Vec<Model>,
    }
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct QueryModelRequest {
        #[prost(string, tag = "1")]
        pub model_id: String,
    }
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct QueryModelResponse {
        #[prost(message, optional, tag = "1")]
        pub model: Option<Model>,
    }
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct QueryReputationRequest {
        /// The validator's operator address (`venicevaloper1…`).
        #[prost(string, tag = "1")]
        pub validator_address: String,
    }
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct QueryReputationResponse {
        #[prost(int64, tag = "1")]
        pub reputation: i64,
        #[prost(string, tag = "2")]
        pub payout_address: String,
    }
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct QueryCreditsRequest {
        #[prost(string, tag = "1")]
        pub address: String,
    }
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct QueryCreditsResponse {
        #[prost(string, tag = "1")]
        pub credits: String,
        #[prost(string, tag = "2")]
        pub locked: String,
        /// Work units left today (UTC day of the block time).
        #[prost(uint64, tag = "3")]
        pub allowance_left: u64,
        #[prost(uint64, tag = "4")]
        pub allowance_day: u64,
        #[prost(string, tag = "5")]
        pub credits_outstanding: String,
    }
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct QueryParamsRequest {}
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct QueryParamsResponse {
        #[prost(message, optional, tag = "1")]
        pub params: Option<Params>,
    }

    named!(
        QueryTaskRequest,
        QueryTaskResponse,
        QueryResultRequest,
        QueryResultResponse,
        QueryQueueRequest,
        QueryQueueResponse,
        QueryModelsRequest,
        QueryModelsResponse,
        QueryModelRequest,
        QueryModelResponse,
        QueryReputationRequest,
        QueryReputationResponse,
        QueryCreditsRequest,
        QueryCreditsResponse,
        QueryParamsRequest,
        QueryParamsResponse,
    );
}

/// `bytes` fields as protobuf JSON writes them: standard base64.
mod b64 {
    use base64::Engine;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(v: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&base64::engine::general_purpose::STANDARD.encode(v))
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let s = <String as Deserialize>::deserialize(d)?;
        base64::engine::general_purpose::STANDARD.decode(s).map_err(serde::de::Error::custom)
    }
}
