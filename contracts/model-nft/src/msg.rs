use cosmwasm_schema::{cw_serde, QueryResponses};
use cosmwasm_std::{to_json_binary, Binary, Coin, CosmosMsg, StdResult, Uint128, WasmMsg};
use cw_utils::Expiration;
use venice_model_types::ModelDescriptor;

/// The token extension: display metadata and the model descriptor.
#[cw_serde]
pub struct ModelExtension {
    pub name: String,
    pub description: Option<String>,
    pub model: ModelDescriptor,
}

#[cw_serde]
pub struct InstantiateMsg {
    /// cw721 collection name and symbol.
    pub name: String,
    pub symbol: String,
    pub admin: Option<String>,
    pub mint_fee: Option<Coin>,
    pub fee_collector: String,
}

/// cw721 execute messages (same JSON as the cw721 spec) plus Venice's.
#[cw_serde]
pub enum ExecuteMsg {
    /// Moves the token, and with it all future royalties, to `recipient`.
    TransferNft {
        recipient: String,
        token_id: String,
    },
    /// Moves the token to a contract and calls its `receive_nft` hook.
    SendNft {
        contract: String,
        token_id: String,
        msg: Binary,
    },
    Approve {
        spender: String,
        token_id: String,
        expires: Option<Expiration>,
    },
    Revoke {
        spender: String,
        token_id: String,
    },
    ApproveAll {
        operator: String,
        expires: Option<Expiration>,
    },
    RevokeAll {
        operator: String,
    },
    /// Open to any publisher; the configured mint fee must be sent with it
    /// (exactly) and is forwarded to the fee collector.
    Mint {
        token_id: String,
        owner: String,
        token_uri: Option<String>,
        extension: ModelExtension,
    },
    Burn {
        token_id: String,
    },
    /// Owner only: replaces the metadata. `onnx_sha256` and `quant_rule`
    /// must stay as they are.
    UpdateNftInfo {
        token_id: String,
        token_uri: Option<String>,
        extension: ModelExtension,
    },
    /// Admin only: replaces the configuration (`admin: None` freezes it).
    UpdateConfig {
        admin: Option<String>,
        mint_fee: Option<Coin>,
        fee_collector: String,
    },
}

#[cw_serde]
#[derive(QueryResponses)]
pub enum QueryMsg {
    #[returns(OwnerOfResponse)]
    OwnerOf { token_id: String, include_expired: Option<bool> },
    #[returns(ApprovalResponse)]
    Approval { token_id: String, spender: String, include_expired: Option<bool> },
    #[returns(ApprovalsResponse)]
    Approvals { token_id: String, include_expired: Option<bool> },
    #[returns(OperatorResponse)]
    Operator { owner: String, operator: String, include_expired: Option<bool> },
    #[returns(OperatorsResponse)]
    AllOperators { owner: String, include_expired: Option<bool>, start_after: Option<String>, limit: Option<u32> },
    #[returns(NumTokensResponse)]
    NumTokens {},
    #[returns(ContractInfoResponse)]
    ContractInfo {},
    #[returns(NftInfoResponse)]
    NftInfo { token_id: String },
    #[returns(AllNftInfoResponse)]
    AllNftInfo { token_id: String, include_expired: Option<bool> },
    #[returns(TokensResponse)]
    Tokens { owner: String, start_after: Option<String>, limit: Option<u32> },
    #[returns(TokensResponse)]
    AllTokens { start_after: Option<String>, limit: Option<u32> },
    /// cw721: who may mint. `null`: anyone (paying the mint fee).
    #[returns(MinterResponse)]
    Minter {},
    #[returns(ConfigResponse)]
    Config {},
    /// The full descriptor with owner (royalty recipient) and publisher.
    #[returns(ModelResponse)]
    Model { token_id: String },
    #[returns(ModelsResponse)]
    ModelsByOwner { owner: String, start_after: Option<String>, limit: Option<u32> },
    #[returns(ModelResponse)]
    ModelByHash { onnx_sha256: String },
    /// cw2981-style: the royalty due to the current owner on `sale_price`
    /// (for inference: on a call's fee).
    #[returns(RoyaltiesInfoResponse)]
    RoyaltyInfo { token_id: String, sale_price: Uint128 },
}

#[cw_serde]
pub struct Approval {
    pub spender: String,
    pub expires: Expiration,
}

#[cw_serde]
pub struct OwnerOfResponse {
    pub owner: String,
    pub approvals: Vec<Approval>,
}

#[cw_serde]
pub struct ApprovalResponse {
    pub approval: Approval,
}

#[cw_serde]
pub struct ApprovalsResponse {
    pub approvals: Vec<Approval>,
}

#[cw_serde]
pub struct OperatorResponse {
    pub approval: Approval,
}

#[cw_serde]
pub struct OperatorsResponse {
    pub operators: Vec<Approval>,
}

#[cw_serde]
pub struct NumTokensResponse {
    pub count: u64,
}

#[cw_serde]
pub struct ContractInfoResponse {
    pub name: String,
    pub symbol: String,
}

#[cw_serde]
pub struct NftInfoResponse {
    pub token_uri: Option<String>,
    pub extension: ModelExtension,
}

#[cw_serde]
pub struct AllNftInfoResponse {
    pub access: OwnerOfResponse,
    pub info: NftInfoResponse,
}

#[cw_serde]
pub struct TokensResponse {
    pub tokens: Vec<String>,
}

#[cw_serde]
pub struct MinterResponse {
    pub minter: Option<String>,
}

#[cw_serde]
pub struct ConfigResponse {
    pub name: String,
    pub symbol: String,
    pub admin: Option<String>,
    pub mint_fee: Option<Coin>,
    pub fee_collector: String,
}

#[cw_serde]
pub struct ModelResponse {
    pub token_id: String,
    /// Current owner, who receives the royalty share.
    pub owner: String,
    pub publisher: String,
    pub token_uri: Option<String>,
    pub extension: ModelExtension,
}

#[cw_serde]
pub struct ModelsResponse {
    pub models: Vec<ModelResponse>,
}

#[cw_serde]
pub struct RoyaltiesInfoResponse {
    pub address: String,
    pub royalty_amount: Uint128,
}

#[cw_serde]
pub struct MigrateMsg {}

/// The cw721 hook a receiving contract implements (`{"receive_nft": …}`).
#[cw_serde]
pub struct Cw721ReceiveMsg {
    pub sender: String,
    pub token_id: String,
    pub msg: Binary,
}

impl Cw721ReceiveMsg {
    pub fn into_cosmos_msg(self, contract_addr: String) -> StdResult<CosmosMsg> {
        #[cw_serde]
        enum ReceiverExecuteMsg {
            ReceiveNft(Cw721ReceiveMsg),
        }
        Ok(WasmMsg::Execute { contract_addr, msg: to_json_binary(&ReceiverExecuteMsg::ReceiveNft(self))?, funds: vec![] }.into())
    }
}
