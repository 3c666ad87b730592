use cosmwasm_schema::cw_serde;
use cosmwasm_std::{Addr, BlockInfo, Coin};
use cw_storage_plus::{Index, IndexList, IndexedMap, Item, Map, MultiIndex};
use cw_utils::{Duration, Expiration};

#[cw_serde]
pub struct Config {
    /// Manages the contract-wide consumers (e.g. the inference module).
    pub admin: Option<Addr>,
}

/// What a credential for a dataset costs and grants.
#[cw_serde]
pub struct Offer {
    /// Paid exactly with `Purchase`; a zero amount makes it free.
    pub price: Coin,
    /// Validity from issuance, in blocks or seconds.
    pub validity: Duration,
    /// Number of uses; `None`: unlimited within the validity.
    pub uses: Option<u32>,
    /// Whether the holder may pass the credential on.
    pub transferable: bool,
}

#[cw_serde]
pub struct Dataset {
    pub id: u64,
    pub issuer: Addr,
    /// sha256 of the dataset, 64 lower-case hex digits. Immutable.
    pub data_hash: String,
    pub uri: String,
    /// Licence / terms of use, or a URI to them.
    pub terms: String,
    pub offer: Offer,
    /// While false, `Purchase` is refused (existing credentials stay valid).
    pub active: bool,
    /// Consumers the issuer authorises for this dataset only.
    pub consumers: Vec<Addr>,
}

#[cw_serde]
pub struct Credential {
    pub id: u64,
    pub dataset_id: u64,
    pub holder: Addr,
    pub issued_height: u64,
    pub expires: Expiration,
    pub remaining_uses: Option<u32>,
    pub transferable: bool,
    pub revoked: bool,
}

/// Why a credential can or cannot be used now.
#[cw_serde]
#[derive(Copy)]
pub enum Status {
    Valid,
    Expired,
    Revoked,
    Exhausted,
}

impl Credential {
    /// Revocation first, then expiry, then uses: the most final reason wins.
    pub fn status(&self, block: &BlockInfo) -> Status {
        if self.revoked {
            Status::Revoked
        } else if self.expires.is_expired(block) {
            Status::Expired
        } else if self.remaining_uses == Some(0) {
            Status::Exhausted
        } else {
            Status::Valid
        }
    }
}

pub const CONFIG: Item<Config> = Item::new("config");
pub const DATASET_SEQ: Item<u64> = Item::new("dataset_seq");
pub const CREDENTIAL_SEQ: Item<u64> = Item::new("credential_seq");
/// Contract-wide consumers (value unused).
pub const CONSUMERS: Map<&Addr, ()> = Map::new("consumers");

pub struct DatasetIndexes<'a> {
    pub issuer: MultiIndex<'a, Addr, Dataset, u64>,
}

impl IndexList<Dataset> for DatasetIndexes<'_> {
    fn get_indexes(&'_ self) -> Box<dyn Iterator<Item = &'_ dyn Index<Dataset>> + '_> {
        let v: Vec<&dyn Index<Dataset>> = vec![&self.issuer];
        Box::new(v.into_iter())
    }
}

pub fn datasets<'a>() -> IndexedMap<u64, Dataset, DatasetIndexes<'a>> {
    IndexedMap::new(
        "datasets",
        DatasetIndexes { issuer: MultiIndex::new(|_pk, d: &Dataset| d.issuer.clone(), "datasets", "datasets__issuer") },
    )
}

pub struct CredentialIndexes<'a> {
    pub holder: MultiIndex<'a, Addr, Credential, u64>,
    pub holder_dataset: MultiIndex<'a, (Addr, u64), Credential, u64>,
}

impl IndexList<Credential> for CredentialIndexes<'_> {
    fn get_indexes(&'_ self) -> Box<dyn Iterator<Item = &'_ dyn Index<Credential>> + '_> {
        let v: Vec<&dyn Index<Credential>> = vec![&self.holder, &self.holder_dataset];
        Box::new(v.into_iter())
    }
}

pub fn credentials<'a>() -> IndexedMap<u64, Credential, CredentialIndexes<'a>> {
    IndexedMap::new(
        "credentials",
        CredentialIndexes {
            holder: MultiIndex::new(|_pk, c: &Credential| c.holder.clone(), "credentials", "credentials__holder"),
            holder_dataset: MultiIndex::new(
                |_pk, c: &Credential| (c.holder.clone(), c.dataset_id),
                "credentials",
                "credentials__holder_dataset",
            ),
        },
    )
}
