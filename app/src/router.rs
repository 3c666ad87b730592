//! Message and query routing: type URL → module, gRPC service → module.

use std::collections::BTreeMap;
use std::sync::Arc;

use cosmos_sdk_proto::Any;
use venice_auth::Auth;
use venice_bank::Bank;
use venice_sdk::keepers::BankKeeper;
use venice_sdk::query::{MsgService, QueryService};
use venice_sdk::{Address, Error, Result};

/// The modules of this chain, wired together.
pub struct Router {
    msgs: BTreeMap<&'static str, Arc<dyn MsgService>>,
    queries: BTreeMap<&'static str, Arc<dyn QueryService>>,
    pub bank: Arc<Bank>,
    pub auth: Arc<Auth>,
}

impl Router {
    pub fn new() -> Self {
        let auth = Arc::new(Auth);
        let bank = Arc::new(Bank::new(auth.clone()));
        let mut r = Router { msgs: BTreeMap::new(), queries: BTreeMap::new(), bank: bank.clone(), auth: auth.clone() };
        r.add_msgs(bank.clone());
        r.add_queries(bank);
        r.add_queries(auth);
        r
    }

    fn add_msgs(&mut self, m: Arc<dyn MsgService>) {
        for url in m.type_urls() {
            assert!(self.msgs.insert(url, m.clone()).is_none(), "message {url} registered twice");
        }
    }

    fn add_queries(&mut self, q: Arc<dyn QueryService>) {
        for s in q.services() {
            assert!(self.queries.insert(s, q.clone()).is_none(), "service {s} registered twice");
        }
    }

    pub fn msg_service(&self, msg: &Any) -> Result<&Arc<dyn MsgService>> {
        self.msgs.get(msg.type_url.as_str()).ok_or_else(|| Error::UnknownMessage(msg.type_url.clone()))
    }

    pub fn query_service(&self, service: &str) -> Option<&Arc<dyn QueryService>> {
        self.queries.get(service)
    }

    /// The tx's required signers: unique, in order of first appearance.
    pub fn signers(&self, msgs: &[Any]) -> Result<Vec<Address>> {
        let mut out: Vec<Address> = Vec::new();
        for m in msgs {
            for s in self.msg_service(m)?.signers(m)? {
                if !out.contains(&s) {
                    out.push(s);
                }
            }
        }
        Ok(out)
    }

    pub fn bank_keeper(&self) -> &dyn BankKeeper {
        self.bank.as_ref()
    }
}

impl Default for Router {
    fn default() -> Self {
        Router::new()
    }
}
