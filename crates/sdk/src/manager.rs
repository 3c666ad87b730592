//! The module manager: the app's ordered list of modules and the one place
//! that calls into them.
//!
//! Like the Cosmos SDK's `module.Manager` it keeps one order per phase
//! (`SetOrderInitGenesis`, `SetOrderBeginBlockers`, `SetOrderEndBlockers`),
//! each a permutation of all modules. Every call into a module goes through
//! [`guarded`]: the module's store scope, a state layer, and a panic guard,
//! so a bug in one module fails that transaction, query or hook (with the
//! same result on every node) instead of halting the chain.

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;

use borsh::{BorshDeserialize, BorshSerialize};
use cosmos_sdk_proto::Any;
use serde_json::Value;
use tendermint_proto::v0_38::abci::{RequestExtendVote, RequestPrepareProposal, RequestProcessProposal, ValidatorUpdate};

use crate::address::Address;
use crate::ctx::Ctx;
use crate::error::{Error, Result};
use crate::module::{EndBlockUpdates, Module, MsgRouter};

/// Deepest nesting of dispatched messages (a contract calling a contract
/// calling...); gas bounds the total, this bounds the native stack.
pub const MAX_DISPATCH_DEPTH: usize = 32;

/// Which phase an order applies to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    InitGenesis,
    BeginBlock,
    EndBlock,
}

pub struct ModuleManager {
    modules: Vec<Arc<dyn Module>>,
    by_name: BTreeMap<&'static str, usize>,
    msgs: BTreeMap<&'static str, usize>,
    queries: BTreeMap<&'static str, usize>,
    init_order: Vec<usize>,
    begin_order: Vec<usize>,
    end_order: Vec<usize>,
}

/// Wiring mistakes, found when the app is built (never at run time).
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum WiringError {
    #[error("module {0} is listed twice")]
    DuplicateModule(&'static str),
    #[error("modules {0} and {1} share store prefix {2:?} (prefixes must not overlap)")]
    PrefixOverlap(&'static str, &'static str, String),
    #[error("message {0} is handled by two modules")]
    DuplicateMessage(&'static str),
    #[error("query service {0} is answered by two modules")]
    DuplicateService(&'static str),
    #[error("{phase:?} order: {problem}")]
    Order { phase: Phase, problem: String },
    #[error("keeper wiring: {0}")]
    Keepers(String),
}

impl ModuleManager {
    /// Modules in registration order, which is also every phase's order
    /// until `set_order` says otherwise.
    pub fn new(modules: Vec<Arc<dyn Module>>) -> std::result::Result<Self, WiringError> {
        let mut m = ModuleManager {
            by_name: BTreeMap::new(),
            msgs: BTreeMap::new(),
            queries: BTreeMap::new(),
            init_order: (0..modules.len()).collect(),
            begin_order: (0..modules.len()).collect(),
            end_order: (0..modules.len()).collect(),
            modules,
        };
        for (i, module) in m.modules.iter().enumerate() {
            if m.by_name.insert(module.name(), i).is_some() {
                return Err(WiringError::DuplicateModule(module.name()));
            }
            for other in &m.modules[..i] {
                let (a, b) = (module.store_prefix(), other.store_prefix());
                if a.starts_with(b) || b.starts_with(a) {
                    return Err(WiringError::PrefixOverlap(other.name(), module.name(), String::from_utf8_lossy(a).into_owned()));
                }
            }
            for url in module.msg_type_urls() {
                if m.msgs.insert(url, i).is_some() {
                    return Err(WiringError::DuplicateMessage(url));
                }
            }
            for service in module.query_services() {
                if m.queries.insert(service, i).is_some() {
                    return Err(WiringError::DuplicateService(service));
                }
            }
        }
        Ok(m)
    }

    /// Set one phase's order; it must name every module exactly once.
    pub fn set_order(mut self, phase: Phase, names: &[&str]) -> std::result::Result<Self, WiringError> {
        let problem = |p: String| WiringError::Order { phase, problem: p };
        let mut order = Vec::with_capacity(names.len());
        for name in names {
            let i = *self.by_name.get(name).ok_or_else(|| problem(format!("unknown module {name}")))?;
            if order.contains(&i) {
                return Err(problem(format!("{name} is listed twice")));
            }
            order.push(i);
        }
        if let Some(missing) = self.modules.iter().enumerate().find(|(i, _)| !order.contains(i)) {
            return Err(problem(format!("{} is missing", missing.1.name())));
        }
        match phase {
            Phase::InitGenesis => self.init_order = order,
            Phase::BeginBlock => self.begin_order = order,
            Phase::EndBlock => self.end_order = order,
        }
        Ok(self)
    }

    pub fn names(&self, phase: Phase) -> Vec<&'static str> {
        let order = match phase {
            Phase::InitGenesis => &self.init_order,
            Phase::BeginBlock => &self.begin_order,
            Phase::EndBlock => &self.end_order,
        };
        order.iter().map(|&i| self.modules[i].name()).collect()
    }

    // ---- messages -------------------------------------------------------------

    pub fn msg_module(&self, msg: &Any) -> Result<&dyn Module> {
        self.msgs.get(msg.type_url.as_str()).map(|&i| self.modules[i].as_ref()).ok_or_else(|| Error::UnknownMessage(msg.type_url.clone()))
    }

    /// The signers `msg` requires (decoding hostile bytes: panic-guarded).
    pub fn msg_signers(&self, msg: &Any) -> Result<Vec<Address>> {
        let module = self.msg_module(msg)?;
        catch_unwind(AssertUnwindSafe(|| module.msg_signers(msg))).unwrap_or_else(|p| Err(panic_error(p)))
    }

    /// Each message's signers, in message order.
    pub fn signers_per_msg(&self, msgs: &[Any]) -> Result<Vec<Vec<Address>>> {
        msgs.iter().map(|m| self.msg_signers(m)).collect()
    }

    /// A tx's required signers: unique, in order of first appearance.
    pub fn signers(&self, msgs: &[Any]) -> Result<Vec<Address>> {
        Ok(unique_signers(&self.signers_per_msg(msgs)?))
    }

    /// Execute one of a tx's messages (its signatures were checked by the
    /// ante handler) in the tx's message layer, which the caller drops whole
    /// when any message fails; a panic is an error like any other.
    pub fn execute(&self, ctx: &mut Ctx, msg: &Any) -> Result<Any> {
        let module = self.msg_module(msg)?;
        unwind_safe(ctx, |ctx| ctx.scoped(module.store_prefix(), |ctx| module.handle_msg(ctx, self, msg)))
    }

    // ---- queries ----------------------------------------------------------------

    /// Every gRPC query service the modules answer (`cosmos.bank.v1beta1.Query`…).
    pub fn query_services(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.queries.keys().copied()
    }

    /// Answer a gRPC method path (`/cosmos.bank.v1beta1.Query/Balance`).
    pub fn query(&self, ctx: &mut Ctx, path: &str, request: &[u8]) -> Result<Vec<u8>> {
        let (service, method) =
            path.strip_prefix('/').and_then(|p| p.rsplit_once('/')).ok_or_else(|| Error::UnknownQuery(path.to_string()))?;
        let module = self.queries.get(service).map(|&i| self.modules[i].as_ref()).ok_or_else(|| Error::UnknownQuery(path.to_string()))?;
        guarded(ctx, module.store_prefix(), |ctx| module.query_with_router(ctx, self, service, method, request))
    }

    // ---- genesis ----------------------------------------------------------------

    /// Every module's default section, by module name.
    pub fn default_genesis(&self) -> BTreeMap<String, Value> {
        self.modules.iter().map(|m| (m.name().to_string(), m.default_genesis())).collect()
    }

    /// Refuse sections no module owns, naming them.
    pub fn check_sections(&self, app_state: &BTreeMap<String, Value>) -> Result<()> {
        if let Some(unknown) = app_state.keys().find(|k| !self.by_name.contains_key(k.as_str())) {
            let known: Vec<&str> = self.by_name.keys().copied().collect();
            return Err(Error::Genesis(format!("app_state: unknown field `{unknown}`, expected one of {}", known.join(", "))));
        }
        for m in &self.modules {
            if let Some(section) = app_state.get(m.name()) {
                m.validate_genesis(section)?;
            }
        }
        Ok(())
    }

    /// Initialise every module in init-genesis order (a missing section is
    /// the module's default); returns the first validators. Genesis errors
    /// are returned, not swallowed: a bad genesis must not start a chain.
    pub fn init_genesis(&self, ctx: &mut Ctx, app_state: &BTreeMap<String, Value>) -> Result<Vec<ValidatorUpdate>> {
        self.check_sections(app_state)?;
        let mut validators: Option<(&str, Vec<ValidatorUpdate>)> = None;
        for &i in &self.init_order {
            let m = &self.modules[i];
            let section = app_state.get(m.name()).cloned().unwrap_or_else(|| m.default_genesis());
            let v = guarded(ctx, m.store_prefix(), |ctx| m.init_genesis(ctx, &section))?;
            if v.is_empty() {
                continue;
            }
            if let Some((owner, _)) = &validators {
                return Err(Error::Internal(format!("validator set already returned by {owner}; {} may not set it too", m.name())));
            }
            validators = Some((m.name(), v));
        }
        Ok(validators.map(|(_, v)| v).unwrap_or_default())
    }

    /// Every module's section of the state `ctx` reads.
    pub fn export_genesis(&self, ctx: &mut Ctx) -> Result<BTreeMap<String, Value>> {
        let mut out = BTreeMap::new();
        for &i in &self.init_order {
            let m = &self.modules[i];
            out.insert(m.name().to_string(), guarded(ctx, m.store_prefix(), |ctx| m.export_genesis(ctx))?);
        }
        Ok(out)
    }

    /// Every module's invariants, in genesis order. A module whose check
    /// itself fails reports that as a broken invariant.
    pub fn invariants(&self, ctx: &mut Ctx) -> Vec<crate::module::Invariant> {
        let mut out = Vec::new();
        for &i in &self.init_order {
            let m = &self.modules[i];
            match guarded(ctx, m.store_prefix(), |ctx| m.invariants(ctx)) {
                Ok(list) => out.extend(list),
                Err(e) => out.push(crate::module::Invariant { route: format!("{}/check", m.name()), broken: Some(e.to_string()) }),
            }
        }
        out
    }

    // ---- block hooks --------------------------------------------------------------

    /// `pre_block`, then `begin_block`, of every module. A hook that fails or
    /// panics has its writes rolled back; the block goes on (every node
    /// fails it the same way). Returns the failures, for the log.
    pub fn begin_block(&self, ctx: &mut Ctx, txs: &[crate::module::Bytes]) -> Vec<(&'static str, Error)> {
        let mut failures = Vec::new();
        for &i in &self.begin_order {
            let m = &self.modules[i];
            if let Err(e) = guarded(ctx, m.store_prefix(), |ctx| m.pre_block(ctx, txs)) {
                failures.push((m.name(), e));
            }
        }
        for &i in &self.begin_order {
            let m = &self.modules[i];
            if let Err(e) = guarded(ctx, m.store_prefix(), |ctx| m.begin_block(ctx)) {
                failures.push((m.name(), e));
            }
        }
        failures
    }

    /// Every module's `end_block`, merged: validator updates and consensus
    /// params each have one owner per block (a second module setting them
    /// is a bug: its hook is rolled back and reported).
    pub fn end_block(&self, ctx: &mut Ctx) -> (EndBlockUpdates, Vec<(&'static str, Error)>) {
        let mut merged = EndBlockUpdates::default();
        let (mut validators_by, mut params_by): (Option<&str>, Option<&str>) = (None, None);
        let mut failures = Vec::new();
        for &i in &self.end_order {
            let m = &self.modules[i];
            let out = guarded(ctx, m.store_prefix(), |ctx| {
                let u = m.end_block_with_router(ctx, self)?;
                if let (false, Some(owner)) = (u.validators.is_empty(), validators_by) {
                    return Err(Error::Internal(format!("validator updates already set by {owner} in this block")));
                }
                if let (true, Some(owner)) = (u.consensus_params.is_some(), params_by) {
                    return Err(Error::Internal(format!("consensus params already set by {owner} in this block")));
                }
                Ok(u)
            });
            match out {
                Ok(u) => {
                    if !u.validators.is_empty() {
                        validators_by = Some(m.name());
                        merged.validators = u.validators;
                    }
                    if u.consensus_params.is_some() {
                        params_by = Some(m.name());
                        merged.consensus_params = u.consensus_params;
                    }
                }
                Err(e) => failures.push((m.name(), e)),
            }
        }
        (merged, failures)
    }

    // ---- proposals and vote extensions -----------------------------------------------

    /// Transactions the modules inject at the front of a proposal.
    pub fn prepare_proposal(&self, ctx: &mut Ctx, req: &RequestPrepareProposal) -> Vec<Vec<u8>> {
        let mut txs = Vec::new();
        for m in &self.modules {
            match guarded(ctx, m.store_prefix(), |ctx| m.prepare_proposal(ctx, req)) {
                Ok(t) => txs.extend(t),
                Err(e) => tracing::warn!(module = m.name(), error = %e, "prepare_proposal hook failed; injecting nothing"),
            }
        }
        txs
    }

    /// The module that injects `tx`, if any.
    pub fn injected_by(&self, tx: &[u8]) -> Option<&'static str> {
        self.modules.iter().find(|m| catch_unwind(AssertUnwindSafe(|| m.is_injected_tx(tx))).unwrap_or(false)).map(|m| m.name())
    }

    /// Every module's check of a proposal; the first error rejects it.
    pub fn process_proposal(&self, ctx: &mut Ctx, req: &RequestProcessProposal) -> Result<()> {
        for m in &self.modules {
            guarded(ctx, m.store_prefix(), |ctx| m.process_proposal(ctx, req))
                .map_err(|e| Error::InvalidRequest(format!("{}: {e}", m.name())))?;
        }
        Ok(())
    }

    /// This validator's vote extension: each module's part, in module order,
    /// in one envelope (empty when no module has anything to say).
    pub fn extend_vote(&self, ctx: &mut Ctx, req: &RequestExtendVote) -> Vec<u8> {
        let mut parts = Vec::new();
        for m in &self.modules {
            match guarded(ctx, m.store_prefix(), |ctx| m.extend_vote(ctx, req)) {
                Ok(ext) if !ext.is_empty() => parts.push(ExtensionPart { module: m.name().to_string(), data: ext }),
                Ok(_) => {}
                Err(e) => tracing::warn!(module = m.name(), error = %e, "extend_vote hook failed; extending nothing"),
            }
        }
        if parts.is_empty() { Vec::new() } else { borsh::to_vec(&VoteExtension { parts }).unwrap_or_default() }
    }

    /// Largest envelope the modules' limits allow.
    pub fn max_vote_extension_bytes(&self) -> usize {
        let parts: usize = self
            .modules
            .iter()
            .filter(|m| m.max_vote_extension_bytes() > 0)
            .map(|m| m.max_vote_extension_bytes() + m.name().len() + 8)
            .sum();
        if parts == 0 { 0 } else { parts + 4 }
    }

    /// Format and size of another validator's extension (deterministic).
    pub fn verify_vote_extension(&self, ctx: &mut Ctx, ext: &[u8]) -> Result<()> {
        if ext.is_empty() {
            return Ok(());
        }
        if ext.len() > self.max_vote_extension_bytes() {
            return Err(Error::InvalidRequest(format!(
                "vote extension of {} bytes exceeds {}",
                ext.len(),
                self.max_vote_extension_bytes()
            )));
        }
        let env = VoteExtension::try_from_slice(ext).map_err(|e| Error::InvalidRequest(format!("vote extension: {e}")))?;
        let mut last: Option<usize> = None;
        for part in &env.parts {
            let i = *self
                .by_name
                .get(part.module.as_str())
                .ok_or_else(|| Error::InvalidRequest(format!("vote extension: unknown module {}", part.module)))?;
            // Parts come in module order, once each: one encoding per content.
            if last.is_some_and(|l| l >= i) {
                return Err(Error::InvalidRequest("vote extension: parts out of order".into()));
            }
            last = Some(i);
            let m = &self.modules[i];
            if part.data.is_empty() || part.data.len() > m.max_vote_extension_bytes() {
                return Err(Error::InvalidRequest(format!("vote extension: {} part of {} bytes", m.name(), part.data.len())));
            }
            guarded(ctx, m.store_prefix(), |ctx| m.verify_vote_extension(ctx, &part.data))?;
        }
        Ok(())
    }
}

/// Signers of several messages: unique, in order of first appearance (as
/// the Cosmos SDK's `GetSigners` of a tx).
pub fn unique_signers(per_msg: &[Vec<Address>]) -> Vec<Address> {
    let mut out: Vec<Address> = Vec::new();
    for s in per_msg.iter().flatten() {
        if !out.contains(s) {
            out.push(s.clone());
        }
    }
    out
}

/// The vote-extension envelope: one part per module that extends.
#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct VoteExtension {
    pub parts: Vec<ExtensionPart>,
}

impl VoteExtension {
    /// `module`'s part of an envelope (`None`: no part, or not an envelope).
    pub fn part(envelope: &[u8], module: &str) -> Option<Vec<u8>> {
        if envelope.is_empty() {
            return None;
        }
        let env = VoteExtension::try_from_slice(envelope).ok()?;
        env.parts.into_iter().find(|p| p.module == module).map(|p| p.data)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct ExtensionPart {
    pub module: String,
    pub data: Vec<u8>,
}

impl MsgRouter for ModuleManager {
    fn dispatch(&self, ctx: &mut Ctx, msg: &Any, authority: &Address) -> Result<Any> {
        if ctx.depth() >= MAX_DISPATCH_DEPTH {
            return Err(Error::InvalidRequest(format!("message dispatch nested deeper than {MAX_DISPATCH_DEPTH}")));
        }
        let signers = self.msg_signers(msg)?;
        if signers.is_empty() || signers.iter().any(|s| s != authority) {
            let named: Vec<String> = signers.iter().map(Address::to_bech32).collect();
            return Err(Error::Unauthorized(format!("{} must be signed by {authority} alone, not [{}]", msg.type_url, named.join(", "))));
        }
        // Its own layer: a failed dispatch is rolled back alone, and the
        // caller decides whether that fails the caller too.
        let module = self.msg_module(msg)?;
        guarded(ctx, module.store_prefix(), |ctx| module.handle_msg(ctx, self, msg))
    }

    fn query(&self, ctx: &mut Ctx, path: &str, request: &[u8]) -> Result<Vec<u8>> {
        ModuleManager::query(self, ctx, path, request)
    }

    fn msg_signers(&self, msg: &Any) -> Result<Vec<Address>> {
        ModuleManager::msg_signers(self, msg)
    }
}

/// Run `f` as the module owning `prefix`, in its own state layer: kept when
/// `f` succeeds; dropped, with its events, when it fails or panics.
pub fn guarded<R>(ctx: &mut Ctx, prefix: &'static [u8], f: impl FnOnce(&mut Ctx) -> Result<R>) -> Result<R> {
    ctx.push_layer();
    match unwind_safe(ctx, |ctx| ctx.scoped(prefix, f)) {
        Ok(v) => {
            ctx.commit_layer();
            Ok(v)
        }
        Err(e) => {
            ctx.discard_layer();
            Err(e)
        }
    }
}

/// Run `f`, turning a panic into [`Error::Panic`]; what the panic left
/// behind (a module's scope, layers opened inside `f`) is undone, so the
/// caller's context is as it was before `f`, less `f`'s completed writes
/// below the caller's own layer.
pub fn unwind_safe<R>(ctx: &mut Ctx, f: impl FnOnce(&mut Ctx) -> Result<R>) -> Result<R> {
    let (depth, scope) = (ctx.depth(), ctx.scope());
    match catch_unwind(AssertUnwindSafe(|| f(ctx))) {
        Ok(out) => out,
        Err(payload) => {
            ctx.restore_scope(scope);
            ctx.discard_to_depth(depth);
            Err(panic_error(payload))
        }
    }
}

/// A caught panic as a typed error. The message is the panic's own text
/// (the same on every node running the same code), never a backtrace.
pub fn panic_error(payload: Box<dyn std::any::Any + Send>) -> Error {
    let msg = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "non-string panic payload".into());
    Error::Panic(msg)
}
