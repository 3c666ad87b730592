//! gov's end block (x/gov's `EndBlocker`), at block time: proposals whose
//! deposit period ended without enough deposit are dropped; proposals whose
//! voting period ended are tallied, and a passing one's messages run with
//! the gov account as authority, all or nothing.

use venice_sdk::{Ctx, MsgRouter, Result};

use crate::keeper::now;
use crate::types::ProposalStatus;
use crate::{Gov, authority, events, state};

impl Gov {
    pub fn end_block(&self, ctx: &mut Ctx, router: &dyn MsgRouter) -> Result<()> {
        let t = now(ctx);
        let params = state::params(ctx)?;

        for id in state::due_inactive(ctx, t)? {
            let Some(p) = state::proposal(ctx, id)? else {
                return Err(venice_sdk::Error::Internal(format!("inactive queue names missing proposal {id}")));
            };
            self.delete_proposal(ctx, &p)?;
            if params.burn_proposal_deposit_prevote {
                self.delete_and_burn_deposits(ctx, id)?;
            } else {
                self.refund_and_delete_deposits(ctx, id)?;
            }
            ctx.emit(events::inactive_proposal(id, events::PROPOSAL_DROPPED));
            tracing::info!(proposal = id, title = %p.title, "proposal did not meet minimum deposit; deleted");
        }

        for id in state::due_active(ctx, t)? {
            let Some(mut p) = state::proposal(ctx, id)? else {
                return Err(venice_sdk::Error::Internal(format!("active queue names missing proposal {id}")));
            };
            let end = p.voting_end_time.unwrap_or_default();
            // A failed expedited proposal keeps its deposits and votes: it
            // becomes a regular proposal, voting until the regular end.
            let converts = p.expedited;
            let outcome = self.tally(ctx, &p, false)?;
            if !converts || outcome.passes {
                self.delete_votes(ctx, id)?;
                if outcome.burn_deposits {
                    self.delete_and_burn_deposits(ctx, id)?;
                } else {
                    self.refund_and_delete_deposits(ctx, id)?;
                }
            }
            state::remove_active(ctx, end, id)?;
            let (result, log) = if outcome.passes {
                match self.execute(ctx, router, &p.messages()) {
                    Ok(()) => {
                        p.status = ProposalStatus::Passed;
                        (events::PROPOSAL_PASSED, "passed".to_string())
                    }
                    Err((i, url, e)) => {
                        p.status = ProposalStatus::Failed;
                        p.failed_reason = e.to_string();
                        (events::PROPOSAL_FAILED, format!("passed, but msg {i} ({url}) failed on execution: {e}"))
                    }
                }
            } else if converts {
                let new_end = p.voting_start_time.unwrap_or(t).plus(params.voting_period);
                p.voting_end_time = Some(new_end);
                p.expedited = false;
                state::insert_active(ctx, new_end, id)?;
                (events::EXPEDITED_PROPOSAL_REJECTED, "expedited proposal converted to regular".to_string())
            } else {
                p.status = ProposalStatus::Rejected;
                p.failed_reason = "proposal did not get enough votes to pass".into();
                (events::PROPOSAL_REJECTED, "rejected".to_string())
            };
            p.final_tally = outcome.result;
            state::set_proposal(ctx, &p)?;
            ctx.emit(events::active_proposal(id, result, &log));
            tracing::info!(proposal = id, result, log = %log, "proposal tallied");
        }
        Ok(())
    }

    /// Run a passed proposal's messages in one layer: kept (with their
    /// events) only when every one succeeds. The failing message's index,
    /// type URL and error otherwise.
    fn execute(
        &self,
        ctx: &mut Ctx,
        router: &dyn MsgRouter,
        msgs: &[cosmos_sdk_proto::Any],
    ) -> std::result::Result<(), (usize, String, venice_sdk::Error)> {
        let gov = authority();
        ctx.push_layer();
        for (i, msg) in msgs.iter().enumerate() {
            if let Err(e) = router.dispatch(ctx, msg, &gov) {
                ctx.discard_layer();
                return Err((i, msg.type_url.clone(), e));
            }
        }
        ctx.commit_layer();
        Ok(())
    }
}
