//! Protobuf type URLs and ABCI query paths (gRPC method paths, as the Cosmos
//! SDK answers them), named once for the chain and its clients.

pub const SECP256K1_PUBKEY_URL: &str = "/cosmos.crypto.secp256k1.PubKey";
pub const MULTISIG_PUBKEY_URL: &str = "/cosmos.crypto.multisig.LegacyAminoPubKey";
pub const BASE_ACCOUNT_URL: &str = "/cosmos.auth.v1beta1.BaseAccount";
pub const MODULE_ACCOUNT_URL: &str = "/cosmos.auth.v1beta1.ModuleAccount";
pub const MSG_SEND_URL: &str = "/cosmos.bank.v1beta1.MsgSend";
pub const MSG_MULTI_SEND_URL: &str = "/cosmos.bank.v1beta1.MsgMultiSend";

/// `cosmos.auth.v1beta1.Query`.
pub mod auth {
    pub const ACCOUNT: &str = "/cosmos.auth.v1beta1.Query/Account";
    pub const PARAMS: &str = "/cosmos.auth.v1beta1.Query/Params";
}

/// `cosmos.bank.v1beta1.Query`.
pub mod bank {
    pub const BALANCE: &str = "/cosmos.bank.v1beta1.Query/Balance";
    pub const ALL_BALANCES: &str = "/cosmos.bank.v1beta1.Query/AllBalances";
    pub const TOTAL_SUPPLY: &str = "/cosmos.bank.v1beta1.Query/TotalSupply";
    pub const SUPPLY_OF: &str = "/cosmos.bank.v1beta1.Query/SupplyOf";
    pub const PARAMS: &str = "/cosmos.bank.v1beta1.Query/Params";
    pub const DENOM_METADATA: &str = "/cosmos.bank.v1beta1.Query/DenomMetadata";
    pub const DENOMS_METADATA: &str = "/cosmos.bank.v1beta1.Query/DenomsMetadata";
}

/// `cosmos.tx.v1beta1.Service/Simulate`: gas estimation over ABCI query.
pub const SIMULATE: &str = "/cosmos.tx.v1beta1.Service/Simulate";

/// `cosmos.staking.v1beta1` messages.
pub const MSG_CREATE_VALIDATOR_URL: &str = "/cosmos.staking.v1beta1.MsgCreateValidator";
pub const MSG_EDIT_VALIDATOR_URL: &str = "/cosmos.staking.v1beta1.MsgEditValidator";
pub const MSG_DELEGATE_URL: &str = "/cosmos.staking.v1beta1.MsgDelegate";
pub const MSG_UNDELEGATE_URL: &str = "/cosmos.staking.v1beta1.MsgUndelegate";
pub const MSG_BEGIN_REDELEGATE_URL: &str = "/cosmos.staking.v1beta1.MsgBeginRedelegate";
pub const MSG_CANCEL_UNBONDING_DELEGATION_URL: &str = "/cosmos.staking.v1beta1.MsgCancelUnbondingDelegation";
/// Consensus keys of validators.
pub const ED25519_PUBKEY_URL: &str = "/cosmos.crypto.ed25519.PubKey";

/// `cosmos.staking.v1beta1.Query`.
pub mod staking {
    pub const VALIDATORS: &str = "/cosmos.staking.v1beta1.Query/Validators";
    pub const VALIDATOR: &str = "/cosmos.staking.v1beta1.Query/Validator";
    pub const VALIDATOR_DELEGATIONS: &str = "/cosmos.staking.v1beta1.Query/ValidatorDelegations";
    pub const VALIDATOR_UNBONDING_DELEGATIONS: &str = "/cosmos.staking.v1beta1.Query/ValidatorUnbondingDelegations";
    pub const DELEGATION: &str = "/cosmos.staking.v1beta1.Query/Delegation";
    pub const UNBONDING_DELEGATION: &str = "/cosmos.staking.v1beta1.Query/UnbondingDelegation";
    pub const DELEGATOR_DELEGATIONS: &str = "/cosmos.staking.v1beta1.Query/DelegatorDelegations";
    pub const DELEGATOR_UNBONDING_DELEGATIONS: &str = "/cosmos.staking.v1beta1.Query/DelegatorUnbondingDelegations";
    pub const REDELEGATIONS: &str = "/cosmos.staking.v1beta1.Query/Redelegations";
    pub const DELEGATOR_VALIDATORS: &str = "/cosmos.staking.v1beta1.Query/DelegatorValidators";
    pub const DELEGATOR_VALIDATOR: &str = "/cosmos.staking.v1beta1.Query/DelegatorValidator";
    pub const HISTORICAL_INFO: &str = "/cosmos.staking.v1beta1.Query/HistoricalInfo";
    pub const POOL: &str = "/cosmos.staking.v1beta1.Query/Pool";
    pub const PARAMS: &str = "/cosmos.staking.v1beta1.Query/Params";
}

/// `cosmos.slashing.v1beta1`: `MsgUnjail` and the `Query` paths.
pub const MSG_UNJAIL_URL: &str = "/cosmos.slashing.v1beta1.MsgUnjail";
pub mod slashing {
    pub const PARAMS: &str = "/cosmos.slashing.v1beta1.Query/Params";
    pub const SIGNING_INFO: &str = "/cosmos.slashing.v1beta1.Query/SigningInfo";
    pub const SIGNING_INFOS: &str = "/cosmos.slashing.v1beta1.Query/SigningInfos";
}

/// `cosmos.evidence.v1beta1`: the evidence a chain handled (`Equivocation`).
pub const EQUIVOCATION_URL: &str = "/cosmos.evidence.v1beta1.Equivocation";
pub mod evidence {
    pub const EVIDENCE: &str = "/cosmos.evidence.v1beta1.Query/Evidence";
    pub const ALL_EVIDENCE: &str = "/cosmos.evidence.v1beta1.Query/AllEvidence";
}

/// `cosmwasm.wasm.v1`: the wasm module's messages (wasmd's type URLs) and
/// `cosmwasm.wasm.v1.Query` paths.
pub mod wasm {
    pub const MSG_STORE_CODE: &str = "/cosmwasm.wasm.v1.MsgStoreCode";
    pub const MSG_INSTANTIATE_CONTRACT: &str = "/cosmwasm.wasm.v1.MsgInstantiateContract";
    pub const MSG_INSTANTIATE_CONTRACT2: &str = "/cosmwasm.wasm.v1.MsgInstantiateContract2";
    pub const MSG_EXECUTE_CONTRACT: &str = "/cosmwasm.wasm.v1.MsgExecuteContract";
    pub const MSG_MIGRATE_CONTRACT: &str = "/cosmwasm.wasm.v1.MsgMigrateContract";
    pub const MSG_UPDATE_ADMIN: &str = "/cosmwasm.wasm.v1.MsgUpdateAdmin";
    pub const MSG_CLEAR_ADMIN: &str = "/cosmwasm.wasm.v1.MsgClearAdmin";

    pub const QUERY_SERVICE: &str = "cosmwasm.wasm.v1.Query";
    pub const CONTRACT_INFO: &str = "/cosmwasm.wasm.v1.Query/ContractInfo";
    pub const CONTRACT_HISTORY: &str = "/cosmwasm.wasm.v1.Query/ContractHistory";
    pub const CONTRACTS_BY_CODE: &str = "/cosmwasm.wasm.v1.Query/ContractsByCode";
    pub const ALL_CONTRACT_STATE: &str = "/cosmwasm.wasm.v1.Query/AllContractState";
    pub const RAW_CONTRACT_STATE: &str = "/cosmwasm.wasm.v1.Query/RawContractState";
    pub const SMART_CONTRACT_STATE: &str = "/cosmwasm.wasm.v1.Query/SmartContractState";
    pub const CODE: &str = "/cosmwasm.wasm.v1.Query/Code";
    pub const CODES: &str = "/cosmwasm.wasm.v1.Query/Codes";
    pub const PINNED_CODES: &str = "/cosmwasm.wasm.v1.Query/PinnedCodes";
    pub const PARAMS: &str = "/cosmwasm.wasm.v1.Query/Params";
    pub const CONTRACTS_BY_CREATOR: &str = "/cosmwasm.wasm.v1.Query/ContractsByCreator";
}
