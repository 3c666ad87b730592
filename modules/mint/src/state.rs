//! mint's keys: `mint/minter` → Minter, `mint/params` → Params.

use venice_sdk::{Ctx, Error, Result};

use crate::{Minter, Params};

pub const PREFIX: &[u8] = b"mint/";
const MINTER: &[u8] = b"mint/minter";
const PARAMS: &[u8] = b"mint/params";

pub fn minter(ctx: &mut Ctx) -> Result<Minter> {
    ctx.scoped(PREFIX, |ctx| ctx.get_borsh(MINTER))?.ok_or_else(|| Error::Internal("mint minter missing".into()))
}
pub fn set_minter(ctx: &mut Ctx, m: &Minter) -> Result<()> {
    ctx.scoped(PREFIX, |ctx| ctx.set_borsh(MINTER.to_vec(), m))
}
pub fn params(ctx: &mut Ctx) -> Result<Params> {
    ctx.scoped(PREFIX, |ctx| ctx.get_borsh(PARAMS))?.ok_or_else(|| Error::Internal("mint params missing".into()))
}
pub fn set_params(ctx: &mut Ctx, p: &Params) -> Result<()> {
    ctx.scoped(PREFIX, |ctx| ctx.set_borsh(PARAMS.to_vec(), p))
}
