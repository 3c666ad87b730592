//! upgrade's errors. A plan that fails validation answers the SDK's
//! `ErrInvalidRequest` (codespace sdk, code 18), as x/upgrade's keeper
//! wraps it; the only error of upgrade's own codespace is the halt, which
//! is never a tx result: the app turns it into a stop of the node.

use venice_sdk::Error;

/// The code of [`crate::Halt`] as an [`Error`] (codespace `upgrade`).
pub const HALT_CODE: u32 = 1;

pub fn invalid(msg: impl Into<String>) -> Error {
    Error::InvalidRequest(msg.into())
}
