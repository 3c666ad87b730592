//! Query routing contract: each module answers the gRPC methods of its
//! services, addressed by the Cosmos method path (`/cosmos.bank.v1beta1.Query/Balance`).

use cosmos_sdk_proto::Any;

use crate::address::Address;
use crate::ctx::Ctx;
use crate::error::Result;

/// A module's gRPC query service(s), answered over ABCI `Query`.
pub trait QueryService: Send + Sync {
    /// Service names this module answers, e.g. `cosmos.bank.v1beta1.Query`.
    fn services(&self) -> &'static [&'static str];
    /// Answer `method` of `service` with protobuf request bytes.
    fn query(&self, ctx: &mut Ctx, service: &str, method: &str, request: &[u8]) -> Result<Vec<u8>>;
}

/// A module's transaction messages.
pub trait MsgService: Send + Sync {
    /// Module name (the `message.module` event attribute).
    fn name(&self) -> &'static str;
    /// Type URLs this module handles.
    fn type_urls(&self) -> &'static [&'static str];
    /// Decode + stateless checks; returns the addresses that must sign.
    fn signers(&self, msg: &Any) -> Result<Vec<Address>>;
    /// Execute in `ctx` (the router wraps it in a layer that rolls back on error).
    fn handle(&self, ctx: &mut Ctx, msg: &Any) -> Result<()>;
}
