//! `MsgSoftwareUpgrade` and `MsgCancelUpgrade`, gov-only, with x/upgrade's
//! checks: a plan has a name, a positive height and no deprecated field
//! (time, upgraded client state); it must be above the current height and
//! not already applied; a new plan replaces the scheduled one. Cancelling
//! when nothing is scheduled succeeds (the SDK's `ClearUpgradePlan`).

use cosmos_sdk_proto::Any;
use cosmos_sdk_proto::cosmos::upgrade::v1beta1 as pb;
use prost::Message;
use venice_sdk::{Address, Ctx, Error, Result, check_gov_authority, response_any};

use crate::error::invalid;
use crate::state::{self, Plan};

pub const MSG_SOFTWARE_UPGRADE: &str = "/cosmos.upgrade.v1beta1.MsgSoftwareUpgrade";
pub const MSG_CANCEL_UPGRADE: &str = "/cosmos.upgrade.v1beta1.MsgCancelUpgrade";

/// The plan's stateless checks (the SDK's `Plan.ValidateBasic`).
#[allow(deprecated)] // the deprecated fields are checked to be empty
pub fn validate_plan(p: Option<&pb::Plan>) -> Result<Plan> {
    let p = p.ok_or_else(|| invalid("plan: must be set"))?;
    if p.upgraded_client_state.is_some() {
        return Err(invalid("upgraded client state must be empty: IBC client upgrades are not supported by plans"));
    }
    if p.time.as_ref().is_some_and(|t| t.seconds != 0 || t.nanos != 0) {
        return Err(invalid("time-based upgrades have been deprecated in the SDK"));
    }
    if p.name.is_empty() {
        return Err(invalid("name cannot be empty"));
    }
    if p.height <= 0 {
        return Err(invalid("height must be greater than 0"));
    }
    Ok(Plan { name: p.name.clone(), height: p.height as u64, info: p.info.clone() })
}

fn authority(a: &str) -> Result<Address> {
    Address::parse(a).map_err(|e| Error::InvalidAddress(format!("invalid authority address: {e}")))
}

/// Stateless checks; the signer is the message's authority.
pub fn signers(msg: &Any) -> Result<Vec<Address>> {
    Ok(vec![match msg.type_url.as_str() {
        MSG_SOFTWARE_UPGRADE => {
            let m = pb::MsgSoftwareUpgrade::decode(msg.value.as_slice())?;
            validate_plan(m.plan.as_ref())?;
            authority(&m.authority)?
        }
        MSG_CANCEL_UPGRADE => authority(&pb::MsgCancelUpgrade::decode(msg.value.as_slice())?.authority)?,
        other => return Err(Error::UnknownMessage(other.to_string())),
    }])
}

/// Schedule `plan` (the SDK keeper's `ScheduleUpgrade`), in upgrade's scope.
pub fn schedule(ctx: &mut Ctx, plan: &Plan) -> Result<()> {
    if plan.height <= ctx.info.height {
        return Err(invalid(format!("upgrade cannot be scheduled in the past: height {} is not above {}", plan.height, ctx.info.height)));
    }
    if let Some(h) = state::done_height(ctx, &plan.name)? {
        return Err(invalid(format!("upgrade with name {} has already been completed at height {h}", plan.name)));
    }
    state::set_plan(ctx, plan)
}

pub fn handle(ctx: &mut Ctx, msg: &Any) -> Result<Any> {
    match msg.type_url.as_str() {
        MSG_SOFTWARE_UPGRADE => {
            let m = pb::MsgSoftwareUpgrade::decode(msg.value.as_slice())?;
            check_gov_authority(&m.authority)?;
            schedule(ctx, &validate_plan(m.plan.as_ref())?)?;
            Ok(response_any(&pb::MsgSoftwareUpgradeResponse {}))
        }
        MSG_CANCEL_UPGRADE => {
            let m = pb::MsgCancelUpgrade::decode(msg.value.as_slice())?;
            check_gov_authority(&m.authority)?;
            state::clear_plan(ctx)?;
            Ok(response_any(&pb::MsgCancelUpgradeResponse {}))
        }
        other => Err(Error::UnknownMessage(other.to_string())),
    }
}
