//! The gov keeper: submit, deposit, vote and cancel, and what happens to
//! deposits, as x/gov's `keeper/{proposal,deposit,vote}.go` do them.

use cosmos_sdk_proto::Any;
use venice_sdk::{Address, Coin, Coins, Ctx, Error, MsgRouter, Result};
use venice_types::Dec;
use venice_types::time::Timestamp;

use crate::error::GovError;
use crate::params::Params;
use crate::types::{MSG_EXEC_LEGACY_CONTENT, Proposal, ProposalStatus, StoredAny, TallyResult, Vote, validate_options};
use crate::{Gov, authority, events, state};

/// The SDK's default `MaxMetadataLen`, and its title and summary limits.
pub const MAX_METADATA_LEN: usize = 255;
pub const MAX_TITLE_LEN: usize = 255;
pub const MAX_SUMMARY_LEN: usize = 10_200;

pub fn now(ctx: &Ctx) -> Timestamp {
    Timestamp::new(ctx.info.time_secs, ctx.info.time_nanos)
}

pub fn check_metadata(metadata: &str) -> Result<()> {
    if metadata.len() > MAX_METADATA_LEN {
        return Err(GovError::MetadataTooLong(format!("metadata length {} exceeds {MAX_METADATA_LEN}", metadata.len())).into());
    }
    Ok(())
}

/// `coins` scaled by `ratio`, each amount rounded (`round`) or truncated.
fn scale(coins: &Coins, ratio: Dec, round: bool) -> Result<Coins> {
    let scaled = coins.iter().map(|c| {
        let d = Dec::from_int(c.amount).and_then(|a| if round { a.checked_mul(ratio) } else { a.mul_truncate(ratio) });
        let d = d.ok_or_else(|| Error::InvalidCoins(format!("{c} overflows when scaled")))?;
        // `RoundInt`: to the nearest integer, half to even (the SDK's `chopPrecisionAndRound`).
        let (int, frac, half) = (d.truncate_int(), d.atto() % venice_types::dec::DEC_SCALE, venice_types::dec::DEC_SCALE / 2);
        let int = int + u128::from(round && (frac > half || (frac == half && int % 2 == 1)));
        Ok(Coin::new(c.denom.clone(), int))
    });
    Ok(Coins::normalize(scaled.collect::<Result<Vec<_>>>()?)?)
}

/// Every coin of `min` is matched by at least as much in `have` (`IsAllGTE`).
pub fn all_gte(have: &Coins, min: &Coins) -> bool {
    min.iter().all(|c| have.amount_of(&c.denom) >= c.amount)
}

impl Gov {
    pub fn get_proposal(&self, ctx: &mut Ctx, id: u64) -> Result<Proposal> {
        state::proposal(ctx, id)?.ok_or_else(|| GovError::UnknownProposal(id).into())
    }

    /// Deposits may only be in the denoms of the minimum deposit.
    fn check_deposit_denoms(&self, params: &Params, amount: &Coins) -> Result<()> {
        if let Some(c) = amount.iter().find(|c| params.min_deposit.amount_of(&c.denom) == 0) {
            let accepted: Vec<&str> = params.min_deposit.iter().map(|c| c.denom.as_str()).collect();
            return Err(Error::InvalidCoins(format!(
                "deposited {c}, but gov accepts only the following denom(s): [{}]",
                accepted.join(" ")
            )));
        }
        Ok(())
    }

    /// The initial deposit must reach `min_initial_deposit_ratio` of the
    /// minimum deposit (the SDK's `validateInitialDeposit`).
    pub fn check_initial_deposit(&self, params: &Params, deposit: &Coins, expedited: bool) -> Result<()> {
        self.check_deposit_denoms(params, deposit)?;
        if params.min_initial_deposit_ratio.is_zero() {
            return Ok(());
        }
        let needed = scale(params.min_deposit_for(expedited), params.min_initial_deposit_ratio, true)?;
        if !all_gte(deposit, &needed) {
            return Err(GovError::MinDepositTooSmall(format!("was ({deposit}), need ({needed})")).into());
        }
        Ok(())
    }

    /// Store a new proposal in its deposit period (the SDK's
    /// `Keeper.SubmitProposal`): every message must be routable and name
    /// the gov account as its only signer; a legacy content is tried in a
    /// layer that is thrown away.
    #[allow(clippy::too_many_arguments)]
    pub fn submit_proposal(
        &self,
        ctx: &mut Ctx,
        router: &dyn MsgRouter,
        messages: &[Any],
        metadata: &str,
        title: &str,
        summary: &str,
        proposer: &Address,
        expedited: bool,
    ) -> Result<u64> {
        check_metadata(metadata)?;
        if title.len() > MAX_TITLE_LEN {
            return Err(GovError::MetadataTooLong(format!("title length {} exceeds {MAX_TITLE_LEN}", title.len())).into());
        }
        if summary.len() > MAX_SUMMARY_LEN {
            return Err(GovError::MetadataTooLong(format!("summary length {} exceeds {MAX_SUMMARY_LEN}", summary.len())).into());
        }
        let gov = authority();
        for msg in messages {
            let signers = router.msg_signers(msg).map_err(|e| match e {
                Error::UnknownMessage(url) => GovError::UnroutableProposalMsg(url).into(),
                other => Error::from(GovError::InvalidProposalMsg(format!("{}: {other}", msg.type_url))),
            })?;
            if signers.len() != 1 || signers[0] != gov {
                return Err(GovError::InvalidSigner(gov.to_bech32()).into());
            }
            if msg.type_url == MSG_EXEC_LEGACY_CONTENT {
                ctx.push_layer();
                let tried = router.dispatch(ctx, msg, &gov);
                ctx.discard_layer();
                tried.map_err(|e| match e {
                    Error::Module { codespace: crate::MODULE, code: 9, .. } => e,
                    other => GovError::InvalidProposalContent(other.to_string()).into(),
                })?;
            }
        }
        let params = state::params(ctx)?;
        let id = state::next_proposal_id(ctx)?;
        state::set_next_proposal_id(ctx, id + 1)?;
        let submit = now(ctx);
        let proposal = Proposal {
            id,
            messages: messages.iter().map(StoredAny::from_any).collect(),
            status: ProposalStatus::DepositPeriod,
            final_tally: TallyResult::default(),
            submit_time: submit,
            deposit_end_time: submit.plus(params.max_deposit_period),
            total_deposit: Coins::empty(),
            voting_start_time: None,
            voting_end_time: None,
            metadata: metadata.into(),
            title: title.into(),
            summary: summary.into(),
            proposer: proposer.clone(),
            expedited,
            failed_reason: String::new(),
        };
        state::set_proposal(ctx, &proposal)?;
        state::insert_inactive(ctx, proposal.deposit_end_time, id)?;
        let urls: Vec<String> = messages.iter().map(|m| m.type_url.clone()).collect();
        ctx.emit(events::submit_proposal(id, &urls));
        Ok(id)
    }

    /// Add a deposit; returns whether it opened the voting period. The
    /// deposit must be in accepted denoms and, when `min_deposit_ratio` is
    /// set, reach that share of the minimum deposit in at least one denom.
    pub fn add_deposit(&self, ctx: &mut Ctx, id: u64, depositor: &Address, amount: &Coins) -> Result<bool> {
        let mut p = self.get_proposal(ctx, id)?;
        if !matches!(p.status, ProposalStatus::DepositPeriod | ProposalStatus::VotingPeriod) {
            return Err(GovError::InactiveProposal(id).into());
        }
        let params = state::params(ctx)?;
        self.check_deposit_denoms(&params, amount)?;
        let min = params.min_deposit_for(p.expedited).clone();
        if !params.min_deposit_ratio.is_zero() {
            let thresholds = scale(&min, params.min_deposit_ratio, false)?;
            if !thresholds.iter().any(|t| amount.amount_of(&t.denom) >= t.amount) {
                return Err(GovError::MinDepositTooSmall(format!(
                    "received {amount} but need at least one of the following: {}",
                    thresholds.iter().map(|c| c.to_string()).collect::<Vec<_>>().join(",")
                ))
                .into());
            }
        }
        self.bank.send(ctx, depositor, &authority(), amount)?;
        p.total_deposit = p.total_deposit.checked_add(amount)?;
        state::set_proposal(ctx, &p)?;
        let activated = p.status == ProposalStatus::DepositPeriod && all_gte(&p.total_deposit, &min);
        if activated {
            self.activate_voting_period(ctx, &mut p)?;
        }
        let total = match state::deposit(ctx, id, depositor)? {
            Some(prev) => prev.checked_add(amount)?,
            None => amount.clone(),
        };
        state::set_deposit(ctx, id, depositor, &total)?;
        ctx.emit(events::proposal_deposit(depositor, amount, id));
        Ok(activated)
    }

    /// Deposit period over: voting runs from now for the (expedited) period.
    pub fn activate_voting_period(&self, ctx: &mut Ctx, p: &mut Proposal) -> Result<()> {
        let params = state::params(ctx)?;
        let start = now(ctx);
        let end = start.plus(if p.expedited { params.expedited_voting_period } else { params.voting_period });
        state::remove_inactive(ctx, p.deposit_end_time, p.id)?;
        p.voting_start_time = Some(start);
        p.voting_end_time = Some(end);
        p.status = ProposalStatus::VotingPeriod;
        state::set_proposal(ctx, p)?;
        state::insert_active(ctx, end, p.id)
    }

    /// Record (or replace) a vote on a proposal in its voting period.
    pub fn add_vote(&self, ctx: &mut Ctx, id: u64, voter: &Address, options: Vec<(i32, Dec)>, metadata: &str) -> Result<()> {
        let p = self.get_proposal(ctx, id)?;
        if p.status != ProposalStatus::VotingPeriod {
            return Err(GovError::InactiveProposal(id).into());
        }
        check_metadata(metadata)?;
        validate_options(&options)?;
        ctx.emit(events::proposal_vote(voter, &options, id));
        state::set_vote(ctx, &Vote { proposal_id: id, voter: voter.clone(), options, metadata: metadata.into() })
    }

    /// The proposer withdraws a proposal still in deposit or voting: a
    /// `proposal_cancel_ratio` share of every deposit is burned (or sent to
    /// `proposal_cancel_dest`), the rest refunded; votes and the proposal go.
    pub fn cancel_proposal(&self, ctx: &mut Ctx, id: u64, proposer: &Address) -> Result<()> {
        let p = self.get_proposal(ctx, id)?;
        if &p.proposer != proposer {
            return Err(GovError::InvalidProposer(format!("invalid proposer {proposer}")).into());
        }
        if !matches!(p.status, ProposalStatus::DepositPeriod | ProposalStatus::VotingPeriod) {
            return Err(GovError::InvalidProposal(format!("proposal with status {} can't be cancelled", p.status.name())).into());
        }
        if p.voting_end_time.is_some_and(|end| end < now(ctx)) {
            return Err(GovError::VotingPeriodEnded(id).into());
        }
        let params = state::params(ctx)?;
        let mut charges = Coins::empty();
        for (depositor, amount) in state::deposits(ctx, id, None, usize::MAX)? {
            let burn = scale(&amount, params.proposal_cancel_ratio, false)?;
            let rest = Coins::normalize(amount.iter().map(|c| Coin::new(c.denom.clone(), c.amount - burn.amount_of(&c.denom))))?;
            if !rest.is_empty() {
                self.bank.send(ctx, &authority(), &depositor, &rest)?;
            }
            charges = charges.checked_add(&burn)?;
            state::delete_deposit(ctx, id, &depositor)?;
        }
        if !charges.is_empty() {
            if params.proposal_cancel_dest.is_empty() {
                self.bank.burn(ctx, &authority(), &charges)?;
            } else {
                let dest = Address::parse(&params.proposal_cancel_dest)?;
                match &self.community_pool {
                    // As the SDK: the distribution account means the pool.
                    Some(pool) if pool.address() == dest => pool.fund(ctx, &authority(), &charges)?,
                    _ => self.bank.send(ctx, &authority(), &dest, &charges)?,
                }
            }
        }
        self.delete_proposal(ctx, &p)?;
        ctx.emit(events::cancel_proposal(proposer, id));
        Ok(())
    }

    /// Remove a proposal, its queue entry and its votes.
    pub fn delete_proposal(&self, ctx: &mut Ctx, p: &Proposal) -> Result<()> {
        match p.voting_end_time {
            Some(end) => state::remove_active(ctx, end, p.id)?,
            None => state::remove_inactive(ctx, p.deposit_end_time, p.id)?,
        }
        self.delete_votes(ctx, p.id)?;
        state::delete_proposal(ctx, p.id)
    }

    pub fn delete_votes(&self, ctx: &mut Ctx, id: u64) -> Result<()> {
        for v in state::votes(ctx, id, None, usize::MAX)? {
            state::delete_vote(ctx, id, &v.voter)?;
        }
        Ok(())
    }

    /// Return every deposit to its depositor.
    pub fn refund_and_delete_deposits(&self, ctx: &mut Ctx, id: u64) -> Result<()> {
        for (depositor, amount) in state::deposits(ctx, id, None, usize::MAX)? {
            self.bank.send(ctx, &authority(), &depositor, &amount)?;
            state::delete_deposit(ctx, id, &depositor)?;
        }
        Ok(())
    }

    /// Burn every deposit (vetoed, no quorum, or dropped, per the params).
    pub fn delete_and_burn_deposits(&self, ctx: &mut Ctx, id: u64) -> Result<()> {
        let mut total = Coins::empty();
        for (depositor, amount) in state::deposits(ctx, id, None, usize::MAX)? {
            total = total.checked_add(&amount)?;
            state::delete_deposit(ctx, id, &depositor)?;
        }
        if !total.is_empty() {
            self.bank.burn(ctx, &authority(), &total)?;
        }
        Ok(())
    }
}
