//! slashing's messages: `MsgUnjail` and the gov-only `MsgUpdateParams`
//! (x/slashing's msg_server).

use cosmos_sdk_proto::Any;
use cosmos_sdk_proto::cosmos::slashing::v1beta1::{MsgUnjail, MsgUnjailResponse, MsgUpdateParams, MsgUpdateParamsResponse};
use prost::Message;
use venice_sdk::{Address, Ctx, Error, Result, response_any};
use venice_types::paths;

use crate::params::Params;
use crate::{Slashing, state};

pub use paths::MSG_UNJAIL_URL as MSG_UNJAIL;
pub const MSG_UPDATE_PARAMS: &str = "/cosmos.slashing.v1beta1.MsgUpdateParams";

pub const TYPE_URLS: &[&str] = &[MSG_UNJAIL, MSG_UPDATE_PARAMS];

/// Every field replaced, validated here so a bad value fails the proposal
/// that carries it.
pub fn update_params(ctx: &mut Ctx, m: &MsgUpdateParams) -> Result<MsgUpdateParamsResponse> {
    let p = venice_sdk::gov_params(&m.authority, m.params.as_ref())?;
    let params = Params::from_proto(p).map_err(Error::InvalidRequest)?;
    if params.signed_blocks_window != state::params(ctx)?.signed_blocks_window {
        restart_windows(ctx)?;
    }
    state::set_params(ctx, &params)?;
    Ok(MsgUpdateParamsResponse {})
}

/// A new window length makes the old bitmap positions meaningless (a
/// shrunk window would keep counting misses it can no longer clear), so
/// every validator starts a fresh window: a bounded loop over validators.
fn restart_windows(ctx: &mut Ctx) -> Result<()> {
    let mut after = None;
    loop {
        let page = state::signing_infos(ctx, after.as_ref(), 100)?;
        let Some(last) = page.last() else { return Ok(()) };
        after = Some(last.address.clone());
        for mut info in page {
            state::clear_missed(ctx, &info.address)?;
            info.missed_blocks_counter = 0;
            info.index_offset = 0;
            state::set_signing_info(ctx, &info)?;
        }
    }
}

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
        MSG_UPDATE_PARAMS => Ok(vec![Address::parse(&MsgUpdateParams::decode(msg.value.as_slice())?.authority)?]),
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
        MSG_UPDATE_PARAMS => update_params(ctx, &MsgUpdateParams::decode(msg.value.as_slice())?).map(|r| response_any(&r)),
        other => Err(Error::UnknownMessage(other.to_string())),
    }
}
