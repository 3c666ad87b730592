//! slashing's staking hooks: a validator's signing info starts when it
//! bonds (the SDK's `AfterValidatorBonded`); a validator bonding again
//! keeps its record (jail time, tombstone) with a new start height.

use venice_sdk::{Address, Ctx, Result};
use venice_staking::hooks::StakingHooks;

use crate::state::{self, SigningInfo};

pub struct SlashingHooks;

impl StakingHooks for SlashingHooks {
    fn after_validator_bonded(&self, ctx: &mut Ctx, cons: &Address, _val: &Address) -> Result<()> {
        let height = ctx.info.height as i64;
        ctx.scoped(state::PREFIX, |ctx| {
            let info = match state::signing_info(ctx, cons)? {
                Some(mut i) => {
                    i.start_height = height;
                    i
                }
                None => SigningInfo::new(cons.clone(), height),
            };
            state::set_signing_info(ctx, &info)
        })
    }
}
