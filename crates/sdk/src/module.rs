//! The `Module` trait: everything a module declares to the app, in one place.
//!
//! A module is one crate under `modules/`; the app lists it once in its
//! module list and the [`crate::manager::ModuleManager`] does the rest:
//! routes its messages and queries, runs its genesis and block hooks in the
//! declared orders, confines it to its store prefix, and turns a panic in
//! any of its code into a typed error (as the Cosmos SDK's module manager
//! and Penumbra's `Component` do). Every method but the identity and genesis
//! ones has a default, so a module implements only what it has.

use cosmos_sdk_proto::Any;
pub use prost::bytes::Bytes;
use serde_json::Value;
pub use tendermint_proto::v0_38::abci::{RequestExtendVote, RequestPrepareProposal, RequestProcessProposal, ValidatorUpdate};
pub use tendermint_proto::v0_38::crypto;
pub use tendermint_proto::v0_38::types::ConsensusParams;

use crate::address::Address;
use crate::ctx::Ctx;
use crate::error::{Error, Result};

/// What a module's end-block hook may hand back to CometBFT.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EndBlockUpdates {
    /// Validator power changes (CometBFT's `validator_updates`).
    pub validators: Vec<ValidatorUpdate>,
    /// Consensus parameter changes (CometBFT's `consensus_param_updates`).
    pub consensus_params: Option<ConsensusParams>,
}

/// One of a module's invariants, checked (the SDK's crisis module).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invariant {
    /// `<module>/<route>`, as the SDK names invariant routes.
    pub route: String,
    /// What is wrong, when it is broken; `None` when it holds.
    pub broken: Option<String>,
}

/// Executes other modules' messages on a module's behalf: wasm
/// sub-messages, governance proposals, authz-style execution. The message
/// runs in its own state layer (rolled back alone when it fails) and pays
/// gas from the caller's meter.
pub trait MsgRouter: Send + Sync {
    /// Run `msg`, whose only signer must be `authority` (the contract, the
    /// gov module account...); returns its typed `Msg…Response`.
    fn dispatch(&self, ctx: &mut Ctx, msg: &Any, authority: &Address) -> Result<Any>;
    /// Answer a query at its gRPC method path (contracts' stargate queries).
    fn query(&self, ctx: &mut Ctx, path: &str, request: &[u8]) -> Result<Vec<u8>>;
    /// The signers `msg` names, after its stateless checks (gov checks a
    /// proposal's messages at submission); `UnknownMessage` when no module
    /// routes it.
    fn msg_signers(&self, msg: &Any) -> Result<Vec<Address>> {
        Err(Error::UnknownMessage(msg.type_url.clone()))
    }
}

/// One module of the chain.
pub trait Module: Send + Sync {
    /// Unique name: the genesis section, the `message.module` event
    /// attribute and the default error codespace.
    fn name(&self) -> &'static str;
    /// The only keys this module may read or write start with this prefix
    /// (by convention `<name>/`).
    fn store_prefix(&self) -> &'static [u8];
    /// The codespace of this module's own errors.
    fn codespace(&self) -> &'static str {
        self.name()
    }

    // ---- genesis ----------------------------------------------------------

    /// This module's section of a new chain's `app_state`.
    fn default_genesis(&self) -> Value;
    /// Check a section without touching state (`veniced genesis validate`
    /// still runs `init_genesis` on a scratch store; this is the cheap part).
    fn validate_genesis(&self, _section: &Value) -> Result<()> {
        Ok(())
    }
    /// Write the section into state; may return the chain's first
    /// validators (only one module may).
    fn init_genesis(&self, ctx: &mut Ctx, section: &Value) -> Result<Vec<ValidatorUpdate>>;
    /// The section that `init_genesis` would turn back into this state.
    fn export_genesis(&self, ctx: &mut Ctx) -> Result<Value>;

    // ---- messages and queries ---------------------------------------------

    /// Type URLs of the messages this module executes.
    fn msg_type_urls(&self) -> &'static [&'static str] {
        &[]
    }
    /// Decode, check statelessly, and name the addresses that must sign.
    fn msg_signers(&self, msg: &Any) -> Result<Vec<Address>> {
        Err(Error::UnknownMessage(msg.type_url.clone()))
    }
    /// Execute `msg`; returns its `Msg…Response` as an `Any`. The manager
    /// wraps the call in a state layer that rolls back on error or panic.
    fn handle_msg(&self, _ctx: &mut Ctx, _router: &dyn MsgRouter, msg: &Any) -> Result<Any> {
        Err(Error::UnknownMessage(msg.type_url.clone()))
    }
    /// gRPC services answered over ABCI `Query`, e.g. `cosmos.bank.v1beta1.Query`.
    fn query_services(&self) -> &'static [&'static str] {
        &[]
    }
    /// Answer `method` of `service` with protobuf request bytes.
    fn query(&self, _ctx: &mut Ctx, service: &str, method: &str, _request: &[u8]) -> Result<Vec<u8>> {
        Err(Error::UnknownQuery(format!("/{service}/{method}")))
    }
    /// [`Module::query`] for modules whose queries reach other modules
    /// (a contract's smart query asks bank, or a gRPC path): the manager
    /// calls this one, which defaults to `query`.
    fn query_with_router(&self, ctx: &mut Ctx, _router: &dyn MsgRouter, service: &str, method: &str, request: &[u8]) -> Result<Vec<u8>> {
        self.query(ctx, service, method, request)
    }

    // ---- block hooks --------------------------------------------------------

    /// Before `begin_block`, with the block's transactions: where a module
    /// applies what it injected in `prepare_proposal` (vote extensions).
    fn pre_block(&self, _ctx: &mut Ctx, _txs: &[Bytes]) -> Result<()> {
        Ok(())
    }
    fn begin_block(&self, _ctx: &mut Ctx) -> Result<()> {
        Ok(())
    }
    fn end_block(&self, _ctx: &mut Ctx) -> Result<EndBlockUpdates> {
        Ok(EndBlockUpdates::default())
    }
    /// [`Module::end_block`] for modules that execute messages at the end
    /// of a block (gov runs passed proposals): the manager calls this one,
    /// which defaults to `end_block`.
    fn end_block_with_router(&self, ctx: &mut Ctx, _router: &dyn MsgRouter) -> Result<EndBlockUpdates> {
        self.end_block(ctx)
    }

    // ---- invariants -----------------------------------------------------------

    /// Check this module's invariants against the state in `ctx` (the SDK's
    /// `RegisterInvariants`): supply against balances, pools against the
    /// tokens they back... Read-only; run after blocks in tests and on demand.
    fn invariants(&self, _ctx: &mut Ctx) -> Result<Vec<Invariant>> {
        Ok(vec![])
    }

    // ---- proposals and vote extensions ---------------------------------------

    /// Transactions this module injects at the front of the proposal (built
    /// from `local_last_commit`'s vote extensions). `ctx` reads committed
    /// state; its writes are thrown away.
    fn prepare_proposal(&self, _ctx: &mut Ctx, _req: &RequestPrepareProposal) -> Result<Vec<Vec<u8>>> {
        Ok(vec![])
    }
    /// Whether `tx` is one this module injects (users may not send it:
    /// `CheckTx` refuses it, and the block executes it in `pre_block`).
    fn is_injected_tx(&self, _tx: &[u8]) -> bool {
        false
    }
    /// Check this module's part of a proposal; an error rejects the block.
    fn process_proposal(&self, _ctx: &mut Ctx, _req: &RequestProcessProposal) -> Result<()> {
        Ok(())
    }
    /// This validator's extension for its precommit (empty: none).
    fn extend_vote(&self, _ctx: &mut Ctx, _req: &RequestExtendVote) -> Result<Vec<u8>> {
        Ok(vec![])
    }
    /// Format and size only, deterministic and cheap (never the sidecar);
    /// `ctx` reads committed state (the module's limits).
    fn verify_vote_extension(&self, _ctx: &mut Ctx, _extension: &[u8]) -> Result<()> {
        Ok(())
    }
    /// Most bytes this module puts in one vote extension.
    fn max_vote_extension_bytes(&self) -> usize {
        0
    }
}

/// A module's own typed error (a `thiserror` enum in its crate) with its
/// code, converted into [`Error::Module`] under the module's codespace.
pub fn module_error(codespace: &'static str, code: u32, err: impl std::fmt::Display) -> Error {
    Error::Module { codespace, code, msg: err.to_string() }
}

/// The authority every module's `MsgUpdateParams` (and other gov-only
/// messages) must name: the gov module account, as the SDK's default
/// (`authtypes.NewModuleAddress(govtypes.ModuleName)`).
pub fn gov_authority() -> Address {
    Address::module("gov")
}

/// The one check of a gov-only message's `authority` field. The SDK answers
/// a wrong one with gov's `ErrInvalidSigner` (codespace gov, code 13).
pub fn check_gov_authority(authority: &str) -> crate::Result<()> {
    let gov = gov_authority();
    if Address::parse(authority)? != gov {
        let why = format!("invalid authority; expected {gov}, got {authority}: expected gov account as only signer for proposal message");
        return Err(module_error("gov", 13, why));
    }
    Ok(())
}

/// The start of every `MsgUpdateParams` handler: the authority checked,
/// the (required) params given.
pub fn gov_params<'a, P>(authority: &str, params: Option<&'a P>) -> crate::Result<&'a P> {
    check_gov_authority(authority)?;
    params.ok_or_else(|| Error::InvalidRequest("params: missing".into()))
}

/// A `Msg…Response` as the `Any` that `TxMsgData.msg_responses` carries.
pub fn response_any<M: prost::Name>(msg: &M) -> Any {
    Any { type_url: format!("/{}", M::full_name()), value: msg.encode_to_vec() }
}
