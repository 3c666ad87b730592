//! `cosmos.base.node.v1beta1.Service` over ABCI Query (and so over gRPC):
//! this node's own settings and status, as a Cosmos SDK node answers them.
//! Node-local: the answers may differ between nodes and touch no state.

use cosmos_sdk_proto::cosmos::base::node::v1beta1 as pb;
use prost::Message;
use venice_sdk::{Error, Result};

use crate::app::App;

pub const SERVICE_PREFIX: &str = "/cosmos.base.node.v1beta1.Service/";

impl App {
    pub(crate) fn node_query(&self, method: &str, _request: &[u8]) -> Result<Vec<u8>> {
        Ok(match method {
            // The minimum gas prices CheckTx enforces, in the SDK's DecCoins form.
            "Config" => pb::ConfigResponse {
                minimum_gas_price: self.min_gas_prices.iter().map(ToString::to_string).collect::<Vec<_>>().join(","),
                pruning_keep_recent: self.store.keep_recent().to_string(),
                pruning_interval: "0".into(),
                halt_height: 0,
            }
            .encode_to_vec(),
            "Status" => {
                let last = self.store.last_commit();
                let (seconds, nanos) = self.last_block_time();
                pb::StatusResponse {
                    earliest_store_height: self.store.earliest_height(),
                    height: last.height,
                    timestamp: (last.height > 0).then_some(tendermint_proto::google::protobuf::Timestamp { seconds, nanos: nanos as i32 }),
                    app_hash: if last.height == 0 { vec![] } else { last.app_hash.to_vec() },
                    // The validator set's hash is CometBFT's, not the app's.
                    validator_hash: vec![],
                }
                .encode_to_vec()
            }
            other => return Err(Error::UnknownQuery(format!("{SERVICE_PREFIX}{other}"))),
        })
    }
}
