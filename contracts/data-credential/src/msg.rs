use cosmwasm_schema::{cw_serde, QueryResponses};
use cosmwasm_std::Addr;

use crate::state::{Credential, Dataset, Offer, Status};

#[cw_serde]
pub struct InstantiateMsg {
    pub admin: Option<String>,
    /// Contract-wide consumers, e.g. the chain's inference module account.
    pub consumers: Vec<String>,
}

#[cw_serde]
pub enum ExecuteMsg {
    /// The sender becomes the dataset's issuer and receives all proceeds.
    RegisterDataset {
        data_hash: String,
        uri: String,
        terms: String,
        offer: Offer,
        consumers: Vec<String>,
    },
    /// Issuer only. `None` leaves a field as it is; the hash cannot change.
    UpdateDataset {
        dataset_id: u64,
        uri: Option<String>,
        terms: Option<String>,
        offer: Option<Offer>,
        active: Option<bool>,
        consumers: Option<Vec<String>>,
    },
    /// Pays the offer's price (exactly, as funds) and issues a credential to
    /// the sender.
    Purchase {
        dataset_id: u64,
    },
    /// Issuer only: issues a credential on the current offer's terms without
    /// payment (partners, grants).
    Grant {
        dataset_id: u64,
        holder: String,
    },
    /// Issuer only; final.
    Revoke {
        credential_id: u64,
    },
    /// Holder only, transferable credentials only.
    Transfer {
        credential_id: u64,
        recipient: String,
    },
    /// Authorised consumers only: spends `uses` (default 1) of a valid
    /// credential that `holder` holds for `dataset_id`.
    Consume {
        credential_id: u64,
        holder: String,
        dataset_id: u64,
        uses: Option<u32>,
    },
    /// Authorised consumers only: gives back `uses` (default 1) that it
    /// consumed of `holder`'s credential for work that then did not happen
    /// (the inference module, when a task expires unanswered).
    Refund {
        credential_id: u64,
        holder: String,
        dataset_id: u64,
        uses: Option<u32>,
    },
    /// Admin only.
    AddConsumer {
        address: String,
    },
    RemoveConsumer {
        address: String,
    },
    UpdateAdmin {
        admin: Option<String>,
    },
}

#[cw_serde]
#[derive(QueryResponses)]
pub enum QueryMsg {
    #[returns(ConfigResponse)]
    Config {},
    #[returns(Dataset)]
    Dataset { dataset_id: u64 },
    #[returns(DatasetsResponse)]
    Datasets { issuer: Option<String>, start_after: Option<u64>, limit: Option<u32> },
    #[returns(CredentialResponse)]
    Credential { credential_id: u64 },
    #[returns(CredentialsResponse)]
    Credentials { holder: String, start_after: Option<u64>, limit: Option<u32> },
    /// May `holder` use `dataset_id` now? Names the credential to consume.
    #[returns(VerifyResponse)]
    Verify { holder: String, dataset_id: u64 },
}

#[cw_serde]
pub struct ConfigResponse {
    pub admin: Option<Addr>,
    pub consumers: Vec<Addr>,
}

#[cw_serde]
pub struct DatasetsResponse {
    pub datasets: Vec<Dataset>,
}

#[cw_serde]
pub struct CredentialResponse {
    pub credential: Credential,
    pub status: Status,
}

#[cw_serde]
pub struct CredentialsResponse {
    pub credentials: Vec<CredentialResponse>,
}

#[cw_serde]
pub struct VerifyResponse {
    pub allowed: bool,
    /// The usable credential with the lowest id, when `allowed`.
    pub credential_id: Option<u64>,
    /// When not allowed: the status of the holder's best credential for the
    /// dataset (`None`: the holder has none).
    pub reason: Option<Status>,
}

#[cw_serde]
pub struct MigrateMsg {}
