//! fees' one message, `MsgUpdateParams` (gov authority only).

use cosmos_sdk_proto::Any;
use prost::Message;
use venice_sdk::{Address, Ctx, Error, Result, response_any};
use venice_types::fees as pb;

use crate::params::Params;
use crate::state;

pub use venice_types::fees::MSG_UPDATE_PARAMS_URL as MSG_UPDATE_PARAMS;

/// Replace the params: the authority must be gov's, every value is
/// validated here, so a bad value fails the proposal that carries it.
pub fn update_params(ctx: &mut Ctx, msg: &pb::MsgUpdateParams) -> Result<pb::MsgUpdateParamsResponse> {
    let params = Params::from_proto(venice_sdk::gov_params(&msg.authority, msg.params.as_ref())?)?;
    state::set_params(ctx, &params)?;
    Ok(pb::MsgUpdateParamsResponse {})
}

/// Stateless checks; the address that must sign.
pub fn signers(msg: &Any) -> Result<Vec<Address>> {
    match msg.type_url.as_str() {
        MSG_UPDATE_PARAMS => Ok(vec![Address::parse(&pb::MsgUpdateParams::decode(msg.value.as_slice())?.authority)?]),
        other => Err(Error::UnknownMessage(other.to_string())),
    }
}

pub fn handle(ctx: &mut Ctx, msg: &Any) -> Result<Any> {
    match msg.type_url.as_str() {
        MSG_UPDATE_PARAMS => update_params(ctx, &pb::MsgUpdateParams::decode(msg.value.as_slice())?).map(|r| response_any(&r)),
        other => Err(Error::UnknownMessage(other.to_string())),
    }
}
