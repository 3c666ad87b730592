use cosmwasm_schema::cw_serde;
use cosmwasm_std::{Addr, BlockInfo, Coin};
use cw_storage_plus::{Index, IndexList, IndexedMap, Item, Map, MultiIndex, UniqueIndex};
use cw_utils::Expiration;

use crate::msg::ModelExtension;

#[cw_serde]
pub struct Config {
    pub name: String,
    pub symbol: String,
    /// May change the fee, the collector and the admin; `None`: frozen.
    pub admin: Option<Addr>,
    /// Paid by whoever mints; `None`: minting is free.
    pub mint_fee: Option<Coin>,
    pub fee_collector: Addr,
}

#[cw_serde]
pub struct Approval {
    pub spender: Addr,
    pub expires: Expiration,
}

impl Approval {
    pub fn is_expired(&self, block: &BlockInfo) -> bool {
        self.expires.is_expired(block)
    }
}

#[cw_serde]
pub struct TokenInfo {
    /// Current owner; also the royalty recipient, so royalties follow the NFT.
    pub owner: Addr,
    /// Who minted it (kept for provenance; receives nothing by itself).
    pub publisher: Addr,
    pub approvals: Vec<Approval>,
    pub token_uri: Option<String>,
    pub extension: ModelExtension,
}

pub const CONFIG: Item<Config> = Item::new("config");
pub const TOKEN_COUNT: Item<u64> = Item::new("num_tokens");
/// (owner, operator) -> expiry of an ApproveAll.
pub const OPERATORS: Map<(&Addr, &Addr), Expiration> = Map::new("operators");

pub struct TokenIndexes<'a> {
    pub owner: MultiIndex<'a, Addr, TokenInfo, String>,
    /// One token per ONNX file: the hash is the model's identity in the
    /// content-addressed store, and the chain resolves models by it.
    pub hash: UniqueIndex<'a, String, TokenInfo, String>,
}

impl IndexList<TokenInfo> for TokenIndexes<'_> {
    fn get_indexes(&'_ self) -> Box<dyn Iterator<Item = &'_ dyn Index<TokenInfo>> + '_> {
        let v: Vec<&dyn Index<TokenInfo>> = vec![&self.owner, &self.hash];
        Box::new(v.into_iter())
    }
}

pub fn tokens<'a>() -> IndexedMap<&'a str, TokenInfo, TokenIndexes<'a>> {
    IndexedMap::new(
        "tokens",
        TokenIndexes {
            owner: MultiIndex::new(|_pk, t: &TokenInfo| t.owner.clone(), "tokens", "tokens__owner"),
            hash: UniqueIndex::new(|t: &TokenInfo| t.extension.model.onnx_sha256.clone(), "tokens__hash"),
        },
    )
}
