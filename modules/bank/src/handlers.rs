//! bank's messages: one function per message, plus stateless checks.

use cosmos_sdk_proto::Any;
use cosmos_sdk_proto::cosmos::bank::v1beta1::{
    MsgMultiSend, MsgMultiSendResponse, MsgSend, MsgSendResponse, MsgUpdateParams, MsgUpdateParamsResponse,
};
use prost::Message;
use venice_sdk::{Address, Coins, Ctx, Error, Result, response_any};

use crate::params::Params;
use crate::{Bank, events, state};

pub use venice_sdk::paths::{MSG_MULTI_SEND_URL as MSG_MULTI_SEND, MSG_SEND_URL as MSG_SEND};
pub const MSG_UPDATE_PARAMS: &str = "/cosmos.bank.v1beta1.MsgUpdateParams";

/// The authority of `MsgUpdateParams`: the gov module account.
pub fn authority() -> Address {
    venice_sdk::gov_authority()
}

/// `MsgUpdateParams`: the gov authority replaces the params (checked
/// here, so a bad value fails the proposal that carries it).
pub fn update_params(ctx: &mut Ctx, msg: &MsgUpdateParams) -> Result<MsgUpdateParamsResponse> {
    let p = venice_sdk::gov_params(&msg.authority, msg.params.as_ref())?;
    // As the SDK: per-denom switches live outside params since v0.47.
    #[allow(deprecated)]
    if !p.send_enabled.is_empty() {
        return Err(Error::InvalidRequest("use of send_enabled in params is no longer supported".into()));
    }
    let mut params = state::params(ctx)?;
    params = Params { default_send_enabled: p.default_send_enabled, ..params };
    params.validate().map_err(Error::InvalidRequest)?;
    state::set_params(ctx, &params)?;
    Ok(MsgUpdateParamsResponse {})
}

fn decode_coins(list: &[cosmos_sdk_proto::cosmos::base::v1beta1::Coin]) -> Result<Coins> {
    let coins = Coins::from_proto_strict(list)?;
    if coins.is_empty() {
        return Err(Error::InvalidCoins("amount must be positive".into()));
    }
    Ok(coins)
}

/// `MsgSend`: from one account to another.
pub fn send(bank: &Bank, ctx: &mut Ctx, msg: &MsgSend) -> Result<MsgSendResponse> {
    let from = Address::parse(&msg.from_address)?;
    let to = Address::parse(&msg.to_address)?;
    let coins = decode_coins(&msg.amount)?;
    bank.check_send_enabled(ctx, &coins)?;
    bank.check_receiver(&to)?;
    bank.send(ctx, &from, &to, &coins)?;
    ctx.emit(events::message_sender(&from));
    Ok(MsgSendResponse {})
}

/// `MsgMultiSend`: one input to many outputs; the sums must match (as in
/// SDK v0.47+, exactly one input is allowed).
pub fn multi_send(bank: &Bank, ctx: &mut Ctx, msg: &MsgMultiSend) -> Result<MsgMultiSendResponse> {
    let (input, outputs) = validate_multi_send(msg)?;
    let (from, total) = input;
    bank.check_send_enabled(ctx, &total)?;
    for (to, _) in &outputs {
        bank.check_receiver(to)?;
    }
    bank.sub_coins(ctx, &from, &total)?;
    ctx.emit(events::message_sender(&from));
    for (to, coins) in &outputs {
        bank.add_coins(ctx, to, coins)?;
        ctx.emit(events::transfer(to, None, coins));
    }
    Ok(MsgMultiSendResponse {})
}

type MultiSendParts = ((Address, Coins), Vec<(Address, Coins)>);

fn validate_multi_send(msg: &MsgMultiSend) -> Result<MultiSendParts> {
    if msg.inputs.len() != 1 {
        return Err(Error::InvalidRequest(format!("multi-send needs exactly one input, got {}", msg.inputs.len())));
    }
    if msg.outputs.is_empty() {
        return Err(Error::InvalidRequest("no outputs to send".into()));
    }
    let input = &msg.inputs[0];
    let from = Address::parse(&input.address)?;
    let total = decode_coins(&input.coins)?;
    let mut outputs = Vec::with_capacity(msg.outputs.len());
    let mut sum = Coins::empty();
    for o in &msg.outputs {
        let coins = decode_coins(&o.coins)?;
        sum = sum.checked_add(&coins)?;
        outputs.push((Address::parse(&o.address)?, coins));
    }
    if sum != total {
        return Err(Error::InvalidRequest(format!("sum inputs != sum outputs: {total} != {sum}")));
    }
    Ok(((from, total), outputs))
}

/// Stateless checks of a message; the addresses that must sign it.
pub fn signers(msg: &Any) -> Result<Vec<Address>> {
    match msg.type_url.as_str() {
        MSG_SEND => {
            let m = MsgSend::decode(msg.value.as_slice())?;
            Address::parse(&m.to_address)?;
            decode_coins(&m.amount)?;
            Ok(vec![Address::parse(&m.from_address)?])
        }
        MSG_MULTI_SEND => {
            let m = MsgMultiSend::decode(msg.value.as_slice())?;
            let ((from, _), _) = validate_multi_send(&m)?;
            Ok(vec![from])
        }
        MSG_UPDATE_PARAMS => Ok(vec![Address::parse(&MsgUpdateParams::decode(msg.value.as_slice())?.authority)?]),
        other => Err(Error::UnknownMessage(other.to_string())),
    }
}

/// Route a message to its handler; the typed response as an `Any`.
pub fn handle(bank: &Bank, ctx: &mut Ctx, msg: &Any) -> Result<Any> {
    match msg.type_url.as_str() {
        MSG_SEND => send(bank, ctx, &MsgSend::decode(msg.value.as_slice())?).map(|r| response_any(&r)),
        MSG_MULTI_SEND => multi_send(bank, ctx, &MsgMultiSend::decode(msg.value.as_slice())?).map(|r| response_any(&r)),
        MSG_UPDATE_PARAMS => update_params(ctx, &MsgUpdateParams::decode(msg.value.as_slice())?).map(|r| response_any(&r)),
        other => Err(Error::UnknownMessage(other.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cosmos_sdk_proto::cosmos::bank::v1beta1::{Input, Output};
    use cosmos_sdk_proto::cosmos::base::v1beta1::Coin;
    use std::sync::Arc;
    use venice_sdk::{BlockInfo, GasMeter};
    use venice_store::{ChangeSet, Store, StoreOptions};

    struct NoAccounts;
    impl crate::expected_keepers::AccountKeeper for NoAccounts {
        fn ensure_account(&self, _: &mut Ctx, _: &Address) -> Result<()> {
            Ok(())
        }
    }

    fn coin(n: u128) -> Vec<Coin> {
        vec![Coin { denom: "uvvv".into(), amount: n.to_string() }]
    }

    #[test]
    fn sends_to_blocked_module_accounts_are_refused_and_move_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("db"), StoreOptions::default()).unwrap();
        let mut pending = ChangeSet::new();
        let mut ctx = Ctx::new(&store, &mut pending, BlockInfo::default(), GasMeter::infinite());
        let pool = Address::module("distribution");
        let bank = Bank::new(Arc::new(NoAccounts)).with_blocked([pool.clone()]);
        let (a, b) = (Address::from_bytes(&[1; 20]).unwrap(), Address::from_bytes(&[2; 20]).unwrap());
        ctx.scoped(state::PREFIX, |ctx| {
            state::set_params(ctx, &Params::default())?;
            bank.mint(ctx, &a, &Coins::parse("100uvvv").unwrap())
        })
        .unwrap();

        let to_pool = MsgSend { from_address: a.to_string(), to_address: pool.to_string(), amount: coin(10) };
        let err = ctx.scoped(state::PREFIX, |ctx| send(&bank, ctx, &to_pool)).unwrap_err();
        assert!(matches!(&err, Error::Unauthorized(m) if m.contains("is not allowed to receive funds")), "{err}");
        let multi = MsgMultiSend {
            inputs: vec![Input { address: a.to_string(), coins: coin(20) }],
            outputs: vec![Output { address: b.to_string(), coins: coin(10) }, Output { address: pool.to_string(), coins: coin(10) }],
        };
        let err = ctx.scoped(state::PREFIX, |ctx| multi_send(&bank, ctx, &multi)).unwrap_err();
        assert!(matches!(err, Error::Unauthorized(_)), "{err}");
        let bal = |ctx: &mut Ctx, x: &Address| ctx.scoped(state::PREFIX, |ctx| bank.balance(ctx, x, "uvvv")).unwrap();
        assert_eq!((bal(&mut ctx, &a), bal(&mut ctx, &b), bal(&mut ctx, &pool)), (100, 0, 0));

        // Other receivers are paid as before.
        let ok = MsgSend { from_address: a.to_string(), to_address: b.to_string(), amount: coin(10) };
        ctx.scoped(state::PREFIX, |ctx| send(&bank, ctx, &ok)).unwrap();
        assert_eq!(bal(&mut ctx, &b), 10);
    }
}
