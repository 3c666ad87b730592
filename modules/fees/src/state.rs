//! fees' keys:
//!
//! - `fees/params` → [`Params`] (borsh)

use venice_sdk::{Ctx, Error, Result};

use crate::params::Params;

pub const PREFIX: &[u8] = b"fees/";
const PARAMS: &[u8] = b"fees/params";

pub fn params(ctx: &mut Ctx) -> Result<Params> {
    ctx.get_borsh(PARAMS)?.ok_or_else(|| Error::Internal("fees params missing".into()))
}

pub fn set_params(ctx: &mut Ctx, p: &Params) -> Result<()> {
    ctx.set_borsh(PARAMS.to_vec(), p)
}
