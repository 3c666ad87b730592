//! slashing's one message, `MsgUnjail` (x/slashing's msg_server).

use cosmos_sdk_proto::Any;
use cosmos_sdk_proto::cosmos::slashing::v1beta1::{MsgUnjail, MsgUnjailResponse};
use prost::Message;
use venice_sdk::{Address, Ctx, Error, Result, response_any};
use venice_types::paths;

use crate::Slashing;

pub use paths::MSG_UNJAIL_URL as MSG_UNJAIL;

pub const TYPE_URLS: &[&str] = &[MSG_UNJAIL];

fn operator(m: &MsgUnjail) -> Result<Address> {
    if m.validator_addr.is_empty() {
        return Err(Error::InvalidAddress("validator input address: empty address string is not allowed".into()));
    }
    Address::parse_valoper(&m.validator_addr).map_err(|e| Error::InvalidAddress(format!("validator input address: {e}")))
}

/// The operator's account signs (its valoper bytes).
pub fn signers(msg: &Any) -> Result<Vec<Address>> {
    match msg.type_url.as_str() {
        MSG_UNJAIL => Ok(vec![operator(&MsgUnjail::decode(msg.value.as_slice())?)?]),
        other => Err(Error::UnknownMessage(other.to_string())),
    }
}

pub fn handle(k: &Slashing, ctx: &mut Ctx, msg: &Any) -> Result<Any> {
    match msg.type_url.as_str() {
        MSG_UNJAIL => {
            let op = operator(&MsgUnjail::decode(msg.value.as_slice())?)?;
            k.unjail(ctx, &op)?;
            Ok(response_any(&MsgUnjailResponse {}))
        }
        other => Err(Error::UnknownMessage(other.to_string())),
    }
}
