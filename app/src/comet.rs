//! `cosmos.tx.v1beta1.Service` (but Simulate, which is state) and
//! `cosmos.base.tendermint.v1beta1.Service` (but ABCIQuery): answered from
//! CometBFT's RPC, as a Cosmos SDK node answers them from its client
//! context. Requests and replies are protobuf bytes, so gRPC and REST share
//! this one implementation.

// Errors here are the gRPC status the client receives (a cold path), so
// they stay `tonic::Status` however large.
#![allow(clippy::result_large_err)]

use cosmos_sdk_proto::cosmos::base::abci::v1beta1::TxResponse;
use cosmos_sdk_proto::cosmos::base::query::v1beta1::{PageRequest, PageResponse};
use cosmos_sdk_proto::cosmos::base::tendermint::v1beta1 as tm;
use cosmos_sdk_proto::cosmos::tx::v1beta1 as txpb;
use prost::Message;
use tendermint::block::Height;
use tendermint_rpc::{Client, HttpClient, Order, Paging, query::Query};
use tonic::Status;

pub const TX_SERVICE: &str = "cosmos.tx.v1beta1.Service";
pub const TENDERMINT_SERVICE: &str = "cosmos.base.tendermint.v1beta1.Service";
/// The SDK's page size when a request gives none.
const DEFAULT_LIMIT: u64 = 100;
const VALCONS_PREFIX: &str = "venicevalcons";

/// CometBFT's RPC (`rpc_address`, default tcp://127.0.0.1:26657).
#[derive(Clone)]
pub struct Comet {
    client: HttpClient,
    /// Whether a block transaction is one a module injected (the extended
    /// commit at the front of a block): not a Cosmos tx, so the tx service
    /// leaves it out of blocks and searches rather than fail to decode it.
    injected: Injected,
}

/// Recognises module-injected block transactions.
pub type Injected = std::sync::Arc<dyn Fn(&[u8]) -> bool + Send + Sync>;

fn bad(msg: impl std::fmt::Display) -> Status {
    Status::invalid_argument(msg.to_string())
}

/// RPC failures: the node is down or refused; a client can retry.
fn rpc_err(e: tendermint_rpc::Error) -> Status {
    Status::unavailable(format!("CometBFT RPC: {e}"))
}

fn decode<M: Message + Default>(bytes: &[u8]) -> Result<M, Status> {
    M::decode(bytes).map_err(|e| bad(format!("invalid request: {e}")))
}

fn height_of(h: i64) -> Result<Height, Status> {
    Height::try_from(h).map_err(|_| bad(format!("invalid height {h}")))
}

impl Comet {
    pub fn new(rpc_address: &str, injected: Injected) -> anyhow::Result<Self> {
        let url = rpc_address.replacen("tcp://", "http://", 1);
        let url = if url.contains("://") { url } else { format!("http://{url}") };
        let client = HttpClient::builder(url.parse()?).compat_mode(tendermint_rpc::client::CompatMode::V0_38).build()?;
        Ok(Comet { client, injected })
    }

    /// Answers `method` of `service` (one of the two above).
    pub async fn call(&self, service: &str, method: &str, req: &[u8]) -> Result<Vec<u8>, Status> {
        Ok(match (service, method) {
            (TX_SERVICE, "BroadcastTx") => self.broadcast_tx(decode(req)?).await?.encode_to_vec(),
            (TX_SERVICE, "GetTx") => self.get_tx(decode(req)?).await?.encode_to_vec(),
            (TX_SERVICE, "GetTxsEvent") => self.get_txs_event(decode(req)?).await?.encode_to_vec(),
            (TX_SERVICE, "GetBlockWithTxs") => self.get_block_with_txs(decode(req)?).await?.encode_to_vec(),
            (TENDERMINT_SERVICE, "GetNodeInfo") => self.node_info().await?.encode_to_vec(),
            (TENDERMINT_SERVICE, "GetSyncing") => {
                tm::GetSyncingResponse { syncing: self.client.status().await.map_err(rpc_err)?.sync_info.catching_up }.encode_to_vec()
            }
            (TENDERMINT_SERVICE, "GetLatestBlock") => {
                let (block_id, block, sdk_block) = self.block(None).await?;
                tm::GetLatestBlockResponse { block_id, block, sdk_block }.encode_to_vec()
            }
            (TENDERMINT_SERVICE, "GetBlockByHeight") => {
                let r: tm::GetBlockByHeightRequest = decode(req)?;
                let (block_id, block, sdk_block) = self.block(Some(r.height)).await?;
                tm::GetBlockByHeightResponse { block_id, block, sdk_block }.encode_to_vec()
            }
            (TENDERMINT_SERVICE, "GetLatestValidatorSet") => {
                let r: tm::GetLatestValidatorSetRequest = decode(req)?;
                let (block_height, validators, pagination) = self.validators(None, r.pagination).await?;
                tm::GetLatestValidatorSetResponse { block_height, validators, pagination }.encode_to_vec()
            }
            (TENDERMINT_SERVICE, "GetValidatorSetByHeight") => {
                let r: tm::GetValidatorSetByHeightRequest = decode(req)?;
                let (block_height, validators, pagination) = self.validators(Some(r.height), r.pagination).await?;
                tm::GetValidatorSetByHeightResponse { block_height, validators, pagination }.encode_to_vec()
            }
            _ => return Err(Status::unimplemented(format!("unknown method {method} for service {service}"))),
        })
    }

    async fn broadcast_tx(&self, req: txpb::BroadcastTxRequest) -> Result<txpb::BroadcastTxResponse, Status> {
        if req.tx_bytes.is_empty() {
            return Err(bad("invalid empty tx"));
        }
        let (hash, code, codespace, data, log) = match txpb::BroadcastMode::try_from(req.mode) {
            Ok(txpb::BroadcastMode::Sync) => {
                let r = self.client.broadcast_tx_sync(req.tx_bytes).await.map_err(rpc_err)?;
                (r.hash, r.code.value(), r.codespace, r.data, r.log)
            }
            Ok(txpb::BroadcastMode::Async) => {
                let r = self.client.broadcast_tx_async(req.tx_bytes).await.map_err(rpc_err)?;
                (r.hash, r.code.value(), r.codespace, r.data, r.log)
            }
            // BROADCAST_MODE_BLOCK was removed from the SDK in v0.47.
            _ => return Err(bad(format!("unsupported broadcast mode {}; supported types: sync, async", req.mode))),
        };
        Ok(txpb::BroadcastTxResponse {
            tx_response: Some(TxResponse {
                txhash: hash.to_string(),
                code,
                codespace,
                data: hex::encode_upper(data),
                raw_log: log,
                ..Default::default()
            }),
        })
    }

    async fn get_tx(&self, req: txpb::GetTxRequest) -> Result<txpb::GetTxResponse, Status> {
        if req.hash.is_empty() {
            return Err(bad("tx hash cannot be empty"));
        }
        let hash = req.hash.parse().map_err(|_| bad(format!("invalid tx hash {}", req.hash)))?;
        let res = match self.client.tx(hash, false).await {
            Ok(r) => r,
            Err(e) if e.to_string().contains("not found") => return Err(Status::not_found(format!("tx not found: {}", req.hash))),
            Err(e) => return Err(rpc_err(e)),
        };
        let (tx, tx_response) = self.tx_response(res).await?;
        Ok(txpb::GetTxResponse { tx: Some(tx), tx_response: Some(tx_response) })
    }

    async fn get_txs_event(&self, req: txpb::GetTxsEventRequest) -> Result<txpb::GetTxsEventResponse, Status> {
        // `events` (each `key='value'`) is the pre-v0.50 form of `query`.
        #[allow(deprecated)]
        let query = if !req.query.is_empty() { req.query.clone() } else { req.events.join(" AND ") };
        if query.trim().is_empty() {
            return Err(bad("query cannot be empty"));
        }
        let query: Query = query.parse().map_err(|e| bad(format!("invalid query {query:?}: {e}")))?;
        let page = if req.page == 0 { 1 } else { req.page };
        let limit = if req.limit == 0 { DEFAULT_LIMIT } else { req.limit };
        let page = u32::try_from(page).map_err(|_| bad("page out of range"))?;
        let per_page = u8::try_from(limit.min(100)).unwrap_or(100);
        let order = if req.order_by == txpb::OrderBy::Desc as i32 { Order::Descending } else { Order::Ascending };
        let res = self.client.tx_search(query, false, page, per_page, order).await.map_err(|e| bad(e.to_string()))?;
        let mut txs = Vec::with_capacity(res.txs.len());
        let mut tx_responses = Vec::with_capacity(res.txs.len());
        // Each block's injected commit is indexed by height like any tx; it
        // is no Cosmos tx, so it is left out (and out of the total).
        let (injected, user): (Vec<_>, Vec<_>) = res.txs.into_iter().partition(|r| (self.injected)(r.tx.as_slice()));
        let total = u64::from(res.total_count).saturating_sub(injected.len() as u64);
        for r in user {
            let (tx, resp) = self.tx_response(r).await?;
            txs.push(tx);
            tx_responses.push(resp);
        }
        #[allow(deprecated)]
        Ok(txpb::GetTxsEventResponse { txs, tx_responses, pagination: None, total })
    }

    async fn get_block_with_txs(&self, req: txpb::GetBlockWithTxsRequest) -> Result<txpb::GetBlockWithTxsResponse, Status> {
        let latest = self.client.latest_block().await.map_err(rpc_err)?.block.header.height.value() as i64;
        if req.height < 1 || req.height > latest {
            return Err(bad(format!(
                "requested height {} but height must not be less than 1 or greater than the current height {latest}",
                req.height
            )));
        }
        let res = self.client.block(height_of(req.height)?).await.map_err(rpc_err)?;
        let all: Vec<Vec<u8>> = res.block.data.iter().filter(|t| !(self.injected)(t.as_slice())).cloned().collect();
        let (offset, limit) = page_window(req.pagination.as_ref())?;
        let txs = all
            .iter()
            .skip(offset)
            .take(limit)
            .map(|raw| txpb::Tx::decode(raw.as_slice()).map_err(|e| Status::internal(format!("undecodable tx in block: {e}"))))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(txpb::GetBlockWithTxsResponse {
            txs,
            block_id: Some(res.block_id.into()),
            block: Some(res.block.into()),
            pagination: Some(PageResponse { next_key: vec![], total: all.len() as u64 }),
        })
    }

    /// The SDK's `TxResponse` of an indexed tx, with its block's time.
    async fn tx_response(&self, r: tendermint_rpc::endpoint::tx::Response) -> Result<(txpb::Tx, TxResponse), Status> {
        let tx = txpb::Tx::decode(r.tx.as_slice()).map_err(|e| Status::internal(format!("undecodable tx {}: {e}", r.hash)))?;
        let header = self.client.header(r.height).await.map_err(rpc_err)?.header;
        let res = r.tx_result;
        #[allow(deprecated)]
        let resp = TxResponse {
            height: r.height.value() as i64,
            txhash: r.hash.to_string(),
            codespace: res.codespace,
            code: res.code.value(),
            data: hex::encode_upper(&res.data),
            raw_log: res.log,
            logs: vec![],
            info: res.info,
            gas_wanted: res.gas_wanted,
            gas_used: res.gas_used,
            // TxRaw and Tx share one wire form: the raw bytes are the packed Tx.
            tx: Some(cosmos_sdk_proto::Any { type_url: "/cosmos.tx.v1beta1.Tx".into(), value: r.tx }),
            timestamp: header.time.to_rfc3339(),
            events: res
                .events
                .into_iter()
                .map(|e| {
                    let e = tendermint_proto::v0_38::abci::Event::from(e);
                    tendermint_proto::abci::Event {
                        r#type: e.r#type,
                        attributes: e
                            .attributes
                            .into_iter()
                            .map(|a| tendermint_proto::abci::EventAttribute { key: a.key, value: a.value, index: a.index })
                            .collect(),
                    }
                })
                .collect(),
        };
        Ok((tx, resp))
    }

    async fn node_info(&self) -> Result<tm::GetNodeInfoResponse, Status> {
        let st = self.client.status().await.map_err(rpc_err)?;
        let n = st.node_info;
        let default_node_info = tendermint_proto::p2p::DefaultNodeInfo {
            protocol_version: Some(tendermint_proto::p2p::ProtocolVersion {
                p2p: n.protocol_version.p2p,
                block: n.protocol_version.block,
                app: n.protocol_version.app,
            }),
            default_node_id: n.id.to_string(),
            listen_addr: n.listen_addr.to_string(),
            network: n.network.to_string(),
            version: n.version.to_string(),
            // The RPC writes the channel ids as hex.
            channels: hex::decode(n.channels.to_string()).unwrap_or_default(),
            moniker: n.moniker.to_string(),
            other: Some(tendermint_proto::p2p::DefaultNodeInfoOther {
                tx_index: match n.other.tx_index {
                    tendermint::node::info::TxIndexStatus::On => "on".into(),
                    tendermint::node::info::TxIndexStatus::Off => "off".into(),
                },
                rpc_address: n.other.rpc_address,
            }),
        };
        Ok(tm::GetNodeInfoResponse {
            default_node_info: Some(default_node_info),
            application_version: Some(tm::VersionInfo {
                name: "venice".into(),
                app_name: "veniced".into(),
                version: env!("CARGO_PKG_VERSION").into(),
                git_commit: String::new(),
                build_tags: String::new(),
                go_version: String::new(),
                build_deps: vec![],
                cosmos_sdk_version: String::new(),
            }),
        })
    }

    #[allow(clippy::type_complexity)]
    async fn block(
        &self,
        height: Option<i64>,
    ) -> Result<(Option<tendermint_proto::types::BlockId>, Option<tendermint_proto::types::Block>, Option<tm::Block>), Status> {
        let res = match height {
            None => self.client.latest_block().await.map_err(rpc_err)?,
            Some(h) => {
                let latest = self.client.latest_block().await.map_err(rpc_err)?.block.header.height.value() as i64;
                if h > latest {
                    return Err(bad("requested block height is bigger then the chain length"));
                }
                self.client.block(height_of(h)?).await.map_err(rpc_err)?
            }
        };
        let proposer = valcons(res.block.header.proposer_address.as_bytes());
        let block: tendermint_proto::types::Block = res.block.into();
        let h = block.header.clone().unwrap_or_default();
        let sdk_block = tm::Block {
            header: Some(tm::Header {
                version: h.version,
                chain_id: h.chain_id,
                height: h.height,
                time: h.time,
                last_block_id: h.last_block_id,
                last_commit_hash: h.last_commit_hash,
                data_hash: h.data_hash,
                validators_hash: h.validators_hash,
                next_validators_hash: h.next_validators_hash,
                consensus_hash: h.consensus_hash,
                app_hash: h.app_hash,
                last_results_hash: h.last_results_hash,
                evidence_hash: h.evidence_hash,
                proposer_address: proposer,
            }),
            data: block.data.clone(),
            evidence: block.evidence.clone(),
            last_commit: block.last_commit.clone(),
        };
        Ok((Some(res.block_id.into()), Some(block), Some(sdk_block)))
    }

    async fn validators(
        &self,
        height: Option<i64>,
        page: Option<PageRequest>,
    ) -> Result<(i64, Vec<tm::Validator>, Option<PageResponse>), Status> {
        let height = match height {
            Some(h) => {
                let latest = self.client.latest_block().await.map_err(rpc_err)?.block.header.height.value() as i64;
                if h > latest {
                    return Err(bad("requested block height is bigger then the chain length"));
                }
                height_of(h)?
            }
            None => self.client.latest_block().await.map_err(rpc_err)?.block.header.height,
        };
        let res = self.client.validators(height, Paging::All).await.map_err(rpc_err)?;
        let (offset, limit) = page_window(page.as_ref())?;
        let total = res.validators.len() as u64;
        let validators = res
            .validators
            .into_iter()
            .skip(offset)
            .take(limit)
            .map(|v| {
                let pub_key = match v.pub_key {
                    tendermint::PublicKey::Ed25519(k) => Some(tendermint_proto::google::protobuf::Any {
                        type_url: "/cosmos.crypto.ed25519.PubKey".into(),
                        value: cosmos_sdk_proto::cosmos::crypto::ed25519::PubKey { key: k.as_bytes().to_vec() }.encode_to_vec(),
                    }),
                    _ => None,
                };
                tm::Validator {
                    address: valcons(v.address.as_bytes()),
                    pub_key,
                    voting_power: v.power.value() as i64,
                    proposer_priority: v.proposer_priority.value(),
                }
            })
            .collect();
        Ok((res.block_height.value() as i64, validators, Some(PageResponse { next_key: vec![], total })))
    }
}

/// Offset and limit of an offset-based page (the SDK's block and validator
/// set pages take no keys).
fn page_window(p: Option<&PageRequest>) -> Result<(usize, usize), Status> {
    let Some(p) = p else { return Ok((0, DEFAULT_LIMIT as usize)) };
    if !p.key.is_empty() {
        return Err(bad("key based pagination is not supported here; use offset"));
    }
    let limit = if p.limit == 0 { DEFAULT_LIMIT } else { p.limit };
    Ok((usize::try_from(p.offset).unwrap_or(usize::MAX), usize::try_from(limit).unwrap_or(usize::MAX)))
}

/// A consensus address in the chain's `valcons` Bech32 form.
fn valcons(bytes: &[u8]) -> String {
    let hrp = bech32::Hrp::parse(VALCONS_PREFIX).expect("static prefix is valid");
    bech32::encode::<bech32::Bech32>(hrp, bytes).unwrap_or_default()
}
