//! Running one transaction: decode, ante, messages — with the layering that
//! keeps the fee and sequence when a message fails.

use cosmos_sdk_proto::Any;
use cosmos_sdk_proto::cosmos::base::abci::v1beta1::TxMsgData;
use prost::Message;
use venice_auth::ante::{self, AnteMode, PreVerified};
use venice_sdk::manager::{unique_signers, unwind_safe};
use venice_sdk::tx::{DecodedTx, decode_tx, decode_tx_for_simulation};
use venice_sdk::{Address, Ctx, Error, Event};

use crate::modules::Modules;

/// What running a tx produced (an `ExecTxResult` / `ResponseCheckTx` in waiting).
#[derive(Debug, Clone)]
pub struct TxOutcome {
    pub result: Result<Vec<u8>, Error>,
    pub gas_wanted: u64,
    pub gas_used: u64,
    pub events: Vec<Event>,
}

impl TxOutcome {
    fn failed(err: Error, gas_wanted: u64, gas_used: u64, events: Vec<Event>) -> Self {
        TxOutcome { result: Err(err), gas_wanted, gas_used, events }
    }
}

/// Which ABCI path runs the tx.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExecMode {
    /// CheckTx / recheck: ante only (as the SDK), on the mempool's state.
    Check,
    /// FinalizeBlock: ante and messages.
    Deliver,
    /// Simulate: ante without signatures, messages, unlimited gas.
    Simulate,
}

/// Decode `bytes` after the size check (which needs no decoding).
pub fn decode_checked(ctx: &mut Ctx, bytes: &[u8], mode: ExecMode) -> Result<DecodedTx, Error> {
    ante::check_tx_size(ctx, bytes.len())?;
    match mode {
        ExecMode::Simulate => decode_tx_for_simulation(bytes),
        _ => decode_tx(bytes),
    }
}

/// Run a transaction given as bytes.
pub fn run_tx(
    modules: &Modules,
    ctx: &mut Ctx,
    bytes: &[u8],
    mode: ExecMode,
    min_gas_prices: &[venice_sdk::DecCoin],
    pre: Option<&PreVerified>,
) -> TxOutcome {
    ctx.set_gas_meter(venice_sdk::GasMeter::infinite());
    let tx = match decode_checked(ctx, bytes, mode) {
        Ok(tx) => tx,
        Err(e) => return TxOutcome::failed(e, 0, 0, vec![]),
    };
    run_decoded(modules, ctx, &tx, mode, min_gas_prices, pre)
}

pub fn run_decoded(
    modules: &Modules,
    ctx: &mut Ctx,
    tx: &DecodedTx,
    mode: ExecMode,
    min_gas_prices: &[venice_sdk::DecCoin],
    pre: Option<&PreVerified>,
) -> TxOutcome {
    let gas_wanted = tx.gas_limit;
    // Each message's signers, decoded once: the ante handler checks the
    // tx's unique signers, the `message` events name each message's first.
    let per_msg = match modules.manager.signers_per_msg(tx.messages()) {
        Ok(s) => s,
        Err(e) => return TxOutcome::failed(e, gas_wanted, 0, vec![]),
    };
    let signers = unique_signers(&per_msg);
    let ante_mode = AnteMode {
        check_tx: mode == ExecMode::Check,
        simulate: mode == ExecMode::Simulate,
        min_gas_prices,
        fee_policy: modules.fee_policy.as_deref(),
    };

    // Ante layer: kept when only the messages fail.
    ctx.push_layer();
    let events_before = ctx.events().len();
    if let Err(e) = unwind_safe(ctx, |ctx| ante::run(ctx, tx, &signers, modules.bank.as_ref(), &ante_mode, pre)) {
        let used = ctx.gas().used();
        ctx.discard_layer();
        return TxOutcome::failed(e, gas_wanted, used, vec![]);
    }
    if mode == ExecMode::Check {
        let used = ctx.gas().used();
        let events = ctx.events()[events_before..].to_vec();
        ctx.commit_layer();
        return TxOutcome { result: Ok(vec![]), gas_wanted, gas_used: used, events };
    }

    // Message layer: rolled back as a whole when any message fails.
    ctx.push_layer();
    let mut responses = Vec::with_capacity(tx.messages().len());
    let outcome = run_msgs(modules, ctx, tx.messages(), &per_msg, &mut responses);
    let used = ctx.gas().used();
    match outcome {
        Ok(()) => {
            ctx.commit_layer();
            ctx.commit_layer();
            let data = TxMsgData { msg_responses: responses, ..Default::default() }.encode_to_vec();
            let events = ctx.events()[events_before..].to_vec();
            TxOutcome { result: Ok(data), gas_wanted, gas_used: used, events }
        }
        Err(e) => {
            ctx.discard_layer();
            let events = ctx.events()[events_before..].to_vec();
            ctx.commit_layer();
            TxOutcome::failed(e, gas_wanted, used, events)
        }
    }
}

/// Each message in its own guarded layer (see `ModuleManager::execute`);
/// the first failure fails the tx, whose message layer is then dropped whole.
fn run_msgs(modules: &Modules, ctx: &mut Ctx, msgs: &[Any], signers: &[Vec<Address>], responses: &mut Vec<Any>) -> Result<(), Error> {
    let manager = &modules.manager;
    for (i, msg) in msgs.iter().enumerate() {
        let module = manager.msg_module(msg)?;
        let sender = signers.get(i).and_then(|s| s.first()).map(Address::to_bech32).unwrap_or_default();
        ctx.emit(
            Event::new("message")
                .attr("action", msg.type_url.clone())
                .attr("sender", sender)
                .attr("module", module.name())
                .attr("msg_index", i.to_string()),
        );
        let response = manager.execute(ctx, msg).map_err(|e| match e {
            // The SDK prefixes message failures with their index.
            Error::InvalidRequest(m) if msgs.len() > 1 => Error::InvalidRequest(format!("message index: {i}: {m}")),
            other => other,
        })?;
        responses.push(response);
    }
    Ok(())
}
