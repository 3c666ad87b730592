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
