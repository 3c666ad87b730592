//! inference as the app sees it.

use cosmos_sdk_proto::Any;
use serde_json::Value;
use tendermint_proto::v0_38::abci::{RequestExtendVote, RequestPrepareProposal, RequestProcessProposal};
use venice_sdk::module::{Bytes, ValidatorUpdate};
use venice_sdk::{Address, Ctx, EndBlockUpdates, Error, Invariant, Module, MsgRouter, Result};

use crate::{Inference, MODULE, commit, genesis, handlers, module_address, proposal, query, state};

impl Module for Inference {
    fn name(&self) -> &'static str {
        MODULE
    }
    fn store_prefix(&self) -> &'static [u8] {
        state::PREFIX
    }
    fn default_genesis(&self) -> Value {
        serde_json::to_value(genesis::GenesisState::default()).expect("inference genesis serialises")
    }
    fn validate_genesis(&self, section: &Value) -> Result<()> {
        genesis::validate(&genesis::parse(section)?)
    }
    fn init_genesis(&self, ctx: &mut Ctx, section: &Value) -> Result<Vec<ValidatorUpdate>> {
        genesis::init_genesis(ctx, &genesis::parse(section)?)?;
        Ok(vec![])
    }
    fn export_genesis(&self, ctx: &mut Ctx) -> Result<Value> {
        serde_json::to_value(genesis::export_genesis(ctx)?).map_err(|e| Error::Internal(format!("inference genesis: {e}")))
    }
    fn msg_type_urls(&self) -> &'static [&'static str] {
        handlers::MSG_TYPE_URLS
    }
    fn msg_signers(&self, msg: &Any) -> Result<Vec<Address>> {
        handlers::signers(msg)
    }
    fn handle_msg(&self, ctx: &mut Ctx, _router: &dyn MsgRouter, msg: &Any) -> Result<Any> {
        handlers::handle(self, ctx, msg)
    }
    fn query_services(&self) -> &'static [&'static str] {
        &[query::SERVICE]
    }
    fn query(&self, ctx: &mut Ctx, _service: &str, method: &str, request: &[u8]) -> Result<Vec<u8>> {
        query::query(self, ctx, method, request)
    }
    /// Results reach the state machine before this (the app calls
    /// `apply_results` from the injected extensions), so a task answered in
    /// its deadline block is final, not refunded.
    fn begin_block(&self, ctx: &mut Ctx) -> Result<()> {
        self.expire_due(ctx)?;
        self.prune_ended(ctx)
    }
    /// The results the injected extended commit carries, before anything
    /// else of the block.
    fn pre_block(&self, ctx: &mut Ctx, txs: &[Bytes]) -> Result<()> {
        self.apply_injected(ctx, txs)
    }
    /// Tasks submitted in this block can be assigned in it: members start
    /// them right after the block is committed.
    fn end_block(&self, ctx: &mut Ctx) -> Result<EndBlockUpdates> {
        self.assign_queued(ctx)?;
        self.record_signers(ctx)?;
        Ok(EndBlockUpdates::default())
    }
    fn prepare_proposal(&self, ctx: &mut Ctx, req: &RequestPrepareProposal) -> Result<Vec<Vec<u8>>> {
        self.inject(ctx, req)
    }
    fn is_injected_tx(&self, tx: &[u8]) -> bool {
        commit::is_injected(tx)
    }
    fn process_proposal(&self, ctx: &mut Ctx, req: &RequestProcessProposal) -> Result<()> {
        self.check_proposal(ctx, req)
    }
    fn extend_vote(&self, ctx: &mut Ctx, req: &RequestExtendVote) -> Result<Vec<u8>> {
        self.extend(ctx, req)
    }
    fn verify_vote_extension(&self, ctx: &mut Ctx, extension: &[u8]) -> Result<()> {
        self.verify_extension(ctx, extension)
    }
    fn max_vote_extension_bytes(&self) -> usize {
        proposal::MAX_EXTENSION_BYTES_CAP as usize
    }
    /// The module account holds exactly the fees escrowed for open tasks;
    /// credits outstanding match the credit accounts.
    fn invariants(&self, ctx: &mut Ctx) -> Result<Vec<Invariant>> {
        let escrowed = self.escrowed(ctx)?;
        let mut denoms: Vec<String> = escrowed.keys().cloned().collect();
        let fee_denom = state::params(ctx)?.fee_denom;
        if !denoms.contains(&fee_denom) {
            denoms.push(fee_denom);
        }
        let mut broken = None;
        for d in denoms {
            let want = escrowed.get(&d).copied().unwrap_or(0);
            let held = self.bank.balance(ctx, &module_address(), &d)?;
            if held != want {
                broken = Some(format!("module account holds {held}{d} but open tasks escrow {want}{d}"));
                break;
            }
        }
        let escrow = Invariant { route: format!("{MODULE}/escrow"), broken };
        // Credits outstanding are the sum of the accounts' credits.
        let total = state::credits_total(ctx)?;
        let sum: u128 = state::credit_accounts(ctx)?.iter().map(|(_, a)| a.credits).sum();
        let broken = (total != sum).then(|| format!("credits outstanding {total} but accounts hold {sum}"));
        Ok(vec![escrow, Invariant { route: format!("{MODULE}/credits"), broken }])
    }
}
