//! mint's one message: `MsgUpdateParams` (gov only), as x/mint's msg_server.

use cosmos_sdk_proto::Any;
use cosmos_sdk_proto::cosmos::mint::v1beta1::{MsgUpdateParams, MsgUpdateParamsResponse};
use prost::Message;
use venice_sdk::{Address, Ctx, Error, Result, response_any};

use crate::params::Params;
use crate::state;

pub const MSG_UPDATE_PARAMS: &str = "/cosmos.mint.v1beta1.MsgUpdateParams";
pub const TYPE_URLS: &[&str] = &[MSG_UPDATE_PARAMS];

/// Every field replaced, validated here so a bad value (min above max, an
/// invalid denom) fails the proposal that carries it, never a later block.
pub fn update_params(ctx: &mut Ctx, m: &MsgUpdateParams) -> Result<MsgUpdateParamsResponse> {
    let p = venice_sdk::gov_params(&m.authority, m.params.as_ref())?;
    let params = Params::from_proto(p).map_err(Error::InvalidRequest)?;
    state::set_params(ctx, &params)?;
    Ok(MsgUpdateParamsResponse {})
}

pub fn signers(msg: &Any) -> Result<Vec<Address>> {
    match msg.type_url.as_str() {
        MSG_UPDATE_PARAMS => Ok(vec![Address::parse(&MsgUpdateParams::decode(msg.value.as_slice())?.authority)?]),
        other => Err(Error::UnknownMessage(other.to_string())),
    }
}

pub fn handle(ctx: &mut Ctx, msg: &Any) -> Result<Any> {
    match msg.type_url.as_str() {
        MSG_UPDATE_PARAMS => update_params(ctx, &MsgUpdateParams::decode(msg.value.as_slice())?).map(|r| response_any(&r)),
        other => Err(Error::UnknownMessage(other.to_string())),
    }
}
