//! Events in the Cosmos SDK's shape (type + string attributes), converted to
//! ABCI events with `index: true` so CometBFT's kv indexer can find txs by them.

use tendermint_proto::v0_38::abci::{Event as AbciEvent, EventAttribute};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    pub kind: String,
    pub attributes: Vec<(String, String)>,
}

impl Event {
    pub fn new(kind: impl Into<String>) -> Self {
        Event { kind: kind.into(), attributes: Vec::new() }
    }
    pub fn attr(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.attributes.push((key.into(), value.into()));
        self
    }
    pub fn get(&self, key: &str) -> Option<&str> {
        self.attributes.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }
    pub fn to_abci(&self) -> AbciEvent {
        AbciEvent {
            r#type: self.kind.clone(),
            attributes: self.attributes.iter().map(|(k, v)| EventAttribute { key: k.clone(), value: v.clone(), index: true }).collect(),
        }
    }
}
