//! ABCI `Query`: gRPC method paths answered by the modules (as a Cosmos SDK
//! node answers them), `Simulate`, and raw store reads with ICS23 proofs.

use cosmos_sdk_proto::cosmos::base::abci::v1beta1 as abci_pb;
use cosmos_sdk_proto::cosmos::tx::v1beta1::{SimulateRequest, SimulateResponse};
use prost::Message;
use tendermint_proto::v0_38::abci::{RequestQuery, ResponseQuery};
use tendermint_proto::v0_38::crypto::{ProofOp, ProofOps};
use venice_sdk::{BlockInfo, Ctx, Error, Result};
use venice_store::ChangeSet;

use crate::app::{App, code_of};

pub use venice_sdk::paths::SIMULATE as SIMULATE_PATH;
/// Proof op type of our single-tree store (one ICS23 proof up to the app hash).
pub const PROOF_OP_TYPE: &str = "ics23:jmt";

impl App {
    pub fn query(&self, req: RequestQuery) -> ResponseQuery {
        self.metrics.query();
        let latest = self.store.last_commit().height;
        let height = if req.height <= 0 { latest } else { req.height as u64 };
        let mut resp = ResponseQuery { height: height as i64, key: req.data.clone(), ..Default::default() };
        let out = if height > latest || height == 0 {
            Err(Error::InvalidHeight(format!("cannot query height {height}: latest committed height is {latest}")))
        } else {
            self.route_query(&req.path, &req.data, height, req.prove, &mut resp)
        };
        match out {
            Ok(value) => resp.value = value.into(),
            Err(e) => {
                let (codespace, code) = code_of(&e);
                resp.code = code;
                resp.codespace = codespace;
                resp.log = e.to_string();
            }
        }
        resp
    }

    fn route_query(&self, path: &str, data: &[u8], height: u64, prove: bool, resp: &mut ResponseQuery) -> Result<Vec<u8>> {
        if path == SIMULATE_PATH {
            return self.simulate_query(data);
        }
        if let Some(method) = path.strip_prefix(crate::node::SERVICE_PREFIX) {
            return self.node_query(method, data);
        }
        if let Some(rest) = path.strip_prefix("/store/") {
            return self.store_query(rest, data, height, prove, resp);
        }
        let mut scratch = ChangeSet::new();
        let info = BlockInfo { chain_id: self.chain_id(), height, ..Default::default() };
        let mut ctx = Ctx::at_height(&self.store, height, &mut scratch, info);
        self.modules.manager.query(&mut ctx, path, data)
    }

    /// `/store/key` reads a raw key; `/store/<module>/key` a key inside the
    /// module's prefix (`<module>/`), as the SDK's multistore paths do.
    fn store_query(&self, rest: &str, data: &[u8], height: u64, prove: bool, resp: &mut ResponseQuery) -> Result<Vec<u8>> {
        let key = match rest {
            "key" => data.to_vec(),
            _ => match rest.strip_suffix("/key") {
                Some(module) if !module.is_empty() && !module.contains('/') => [module.as_bytes(), b"/", data].concat(),
                _ => return Err(Error::UnknownQuery(format!("/store/{rest}: only /store/key and /store/<module>/key are served"))),
            },
        };
        resp.key = key.clone().into();
        if prove {
            let (value, proof) = self.store.get_with_proof(&key, height)?;
            resp.proof_ops =
                Some(ProofOps { ops: vec![ProofOp { r#type: PROOF_OP_TYPE.into(), key: key.clone(), data: proof.encode_to_vec() }] });
            Ok(value.unwrap_or_default())
        } else {
            Ok(self.store.get_at(&key, height)?.unwrap_or_default())
        }
    }

    fn simulate_query(&self, data: &[u8]) -> Result<Vec<u8>> {
        let req = SimulateRequest::decode(data)?;
        #[allow(deprecated)]
        let tx_bytes = if !req.tx_bytes.is_empty() {
            req.tx_bytes
        } else if let Some(tx) = req.tx {
            // The deprecated `tx` field: re-encode as TxRaw.
            cosmos_sdk_proto::cosmos::tx::v1beta1::TxRaw {
                body_bytes: tx.body.map(|b| b.encode_to_vec()).unwrap_or_default(),
                auth_info_bytes: tx.auth_info.map(|a| a.encode_to_vec()).unwrap_or_default(),
                signatures: tx.signatures,
            }
            .encode_to_vec()
        } else {
            return Err(Error::InvalidRequest("empty txBytes is not allowed".into()));
        };
        let out = self.simulate(&tx_bytes);
        // A failing simulation reports the tx's own error and code.
        let data = out.result?;
        let msg_responses = abci_pb::TxMsgData::decode(data.as_slice()).map(|d| d.msg_responses).unwrap_or_default();
        #[allow(deprecated)]
        let result = abci_pb::Result {
            data: vec![],
            log: String::new(),
            events: out.events.iter().map(|e| convert_event(&e.to_abci())).collect(),
            msg_responses,
        };
        Ok(SimulateResponse {
            gas_info: Some(abci_pb::GasInfo { gas_wanted: out.gas_wanted, gas_used: out.gas_used }),
            result: Some(result),
        }
        .encode_to_vec())
    }
}

/// cosmos-sdk-proto's `Result.events` use tendermint-proto's default ABCI
/// types; convert field by field.
fn convert_event(e: &tendermint_proto::v0_38::abci::Event) -> tendermint_proto::abci::Event {
    tendermint_proto::abci::Event {
        r#type: e.r#type.clone(),
        attributes: e
            .attributes
            .iter()
            .map(|a| tendermint_proto::abci::EventAttribute { key: a.key.clone(), value: a.value.clone(), index: a.index })
            .collect(),
    }
}
