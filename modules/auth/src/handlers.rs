//! auth's one message: the gov-only `MsgUpdateParams` (x/auth's msg_server).

use cosmos_sdk_proto::Any;
use cosmos_sdk_proto::cosmos::auth::v1beta1::{MsgUpdateParams, MsgUpdateParamsResponse};
use prost::Message;
use venice_sdk::{Address, Ctx, Error, Result, response_any};

use crate::params::Params;
use crate::state;

pub const MSG_UPDATE_PARAMS: &str = "/cosmos.auth.v1beta1.MsgUpdateParams";
pub const TYPE_URLS: &[&str] = &[MSG_UPDATE_PARAMS];

/// The SDK's five fields are replaced and validated; Venice's two additions
/// (`max_tx_bytes`, `max_msgs_per_tx`), absent from the SDK's message,
/// keep their values.
pub fn update_params(ctx: &mut Ctx, m: &MsgUpdateParams) -> Result<MsgUpdateParamsResponse> {
    let p = venice_sdk::gov_params(&m.authority, m.params.as_ref())?;
    let params = Params {
        max_memo_characters: p.max_memo_characters,
        tx_sig_limit: p.tx_sig_limit,
        tx_size_cost_per_byte: p.tx_size_cost_per_byte,
        sig_verify_cost_ed25519: p.sig_verify_cost_ed25519,
        sig_verify_cost_secp256k1: p.sig_verify_cost_secp256k1,
        ..state::params(ctx)?
    };
    params.validate().map_err(Error::InvalidRequest)?;
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
