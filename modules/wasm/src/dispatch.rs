//! What a contract's response asks of the chain, as wasmd's message
//! dispatcher does it: its events (charged, checked, emitted), then each
//! submessage in its own state layer, replies per `reply_on`, and the data
//! of the last reply that returned some replacing the response's own.

use cosmos_sdk_proto::Any;
use cosmos_sdk_proto::cosmos::bank::v1beta1::MsgSend;
use cosmos_sdk_proto::cosmwasm::wasm::v1 as pb;
use cosmwasm_std::{BankMsg, Binary, CosmosMsg, MsgResponse, Reply, ReplyOn, Response, SubMsg, SubMsgResponse, SubMsgResult, WasmMsg};
use prost::Name;
use venice_sdk::manager::unwind_safe;
use venice_sdk::{Address, Coin, Coins, Ctx, Error, Event, MsgRouter, Result};

use crate::error::{WasmError, reply_error_text};
use crate::gas::{INSTANCE_COST_DISCOUNT, event_costs};
use crate::{Wasm, events};

/// What one dispatched message produced.
struct Dispatched {
    data: Option<Vec<u8>>,
    responses: Vec<Any>,
}

fn coins(list: &[cosmwasm_std::Coin]) -> Result<Coins> {
    let parsed = list
        .iter()
        .map(|c| {
            Ok(Coin::new(
                c.denom.clone(),
                cosmwasm_std::Uint128::try_from(c.amount)
                    .map(|u| u.u128())
                    .map_err(|_| Error::InvalidCoins(format!("{c}: amount too large")))?,
            ))
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Coins::normalize(parsed)?)
}

fn proto_coins(list: &[cosmwasm_std::Coin]) -> Result<Vec<cosmos_sdk_proto::cosmos::base::v1beta1::Coin>> {
    Ok(coins(list)?.to_proto())
}

fn any<M: Name>(m: &M) -> Any {
    Any { type_url: format!("/{}", M::full_name()), value: m.encode_to_vec() }
}

impl Wasm {
    /// Emit the response's events and run its submessages; the data to
    /// return to the caller.
    pub(crate) fn handle_response(
        &self,
        ctx: &mut Ctx,
        router: &dyn MsgRouter,
        contract: &Address,
        response: Response,
    ) -> Result<Option<Vec<u8>>> {
        ctx.consume_gas(event_costs(&response.attributes, &response.events), "Custom contract event attributes")?;
        if let Some(e) = events::wasm_event(contract, &response.attributes)? {
            ctx.emit(e);
        }
        for e in events::custom_events(contract, &response.events)? {
            ctx.emit(e);
        }
        let replied = self.dispatch_submessages(ctx, router, contract, response.messages)?;
        Ok(replied.or(response.data.map(|d| d.to_vec())))
    }

    fn dispatch_submessages(
        &self,
        ctx: &mut Ctx,
        router: &dyn MsgRouter,
        contract: &Address,
        msgs: Vec<SubMsg>,
    ) -> Result<Option<Vec<u8>>> {
        let mut data = None;
        for sub in msgs {
            let is_wasm = matches!(sub.msg, CosmosMsg::Wasm(_));
            let gas_before = ctx.gas().used();
            let events_before = ctx.events().len();
            ctx.push_layer();
            let outcome = match sub.gas_limit {
                Some(limit) if limit < ctx.gas().limit().saturating_sub(ctx.gas().used()) => {
                    self.dispatch_limited(ctx, router, contract, &sub.msg, limit)
                }
                _ => self.dispatch_msg(ctx, router, contract, &sub.msg),
            };
            let sub_events: Vec<Event> = match &outcome {
                Ok(_) => {
                    let evs = ctx.events()[events_before..].iter().filter(|e| e.kind != "message").cloned().collect();
                    ctx.commit_layer();
                    evs
                }
                Err(_) => {
                    ctx.discard_layer();
                    vec![]
                }
            };
            let gas_used = ctx.gas().used().saturating_sub(gas_before);
            let failed = outcome.is_err();
            // Out of gas of the tx itself (no submessage limit) ends it all.
            if let Err(e) = &outcome
                && e.is_out_of_gas()
                && sub.gas_limit.is_none()
            {
                return Err(e.clone());
            }
            match (sub.reply_on, failed) {
                (ReplyOn::Never | ReplyOn::Success, true) => return Err(outcome.err().expect("failed")),
                (ReplyOn::Never, false) | (ReplyOn::Error, false) => continue,
                _ => {}
            }
            let result = match outcome {
                Ok(d) => {
                    #[allow(deprecated)]
                    let response = SubMsgResponse {
                        events: if is_wasm { sub_events.iter().map(to_contract_event).collect() } else { vec![] },
                        data: d.data.clone().filter(|d| !d.is_empty()).map(Binary::from),
                        msg_responses: d
                            .responses
                            .iter()
                            .map(|a| MsgResponse { type_url: a.type_url.clone(), value: Binary::from(a.value.clone()) })
                            .collect(),
                    };
                    SubMsgResult::Ok(response)
                }
                Err(e) => SubMsgResult::Err(reply_error_text(&e)),
            };
            let reply = Reply { id: sub.id, payload: sub.payload.clone(), gas_used, result };
            let cost = reply_cost(&reply);
            match self.reply(ctx, router, contract, &reply, cost) {
                Err(e) => return Err(e),
                Ok(Some(d)) => data = Some(d),
                Ok(None) => {}
            }
        }
        Ok(data)
    }

    /// A submessage under its own gas limit: running out fails only it.
    fn dispatch_limited(
        &self,
        ctx: &mut Ctx,
        router: &dyn MsgRouter,
        contract: &Address,
        msg: &CosmosMsg,
        limit: u64,
    ) -> Result<Dispatched> {
        let (out, used) = ctx.with_gas_limit(limit, |ctx| unwind_safe(ctx, |ctx| self.dispatch_msg(ctx, router, contract, msg)));
        ctx.consume_gas(used, "submessage")?;
        out
    }

    /// One contract message, sent with the contract as its signer.
    fn dispatch_msg(&self, ctx: &mut Ctx, router: &dyn MsgRouter, contract: &Address, msg: &CosmosMsg) -> Result<Dispatched> {
        let sender = contract.to_bech32();
        #[allow(deprecated)]
        let routed = match msg {
            CosmosMsg::Bank(BankMsg::Send { to_address, amount }) => {
                any(&MsgSend { from_address: sender, to_address: to_address.clone(), amount: proto_coins(amount)? })
            }
            CosmosMsg::Bank(BankMsg::Burn { amount }) => {
                let coins = coins(amount)?;
                if coins.is_empty() {
                    return Err(Error::InvalidCoins("burn amount must be positive".into()));
                }
                self.bank().burn(ctx, contract, &coins)?;
                return Ok(Dispatched { data: None, responses: vec![] });
            }
            CosmosMsg::Wasm(w) => wasm_msg_any(&sender, w)?,
            CosmosMsg::Any(a) => Any { type_url: a.type_url.clone(), value: a.value.to_vec() },
            CosmosMsg::Stargate { type_url, value } => Any { type_url: type_url.clone(), value: value.to_vec() },
            other => return Err(WasmError::UnknownMsg(format!("{} messages are not supported", msg_kind(other))).into()),
        };
        let response = router.dispatch(ctx, &routed, contract)?;
        Ok(Dispatched { data: Some(response.value.clone()), responses: vec![response] })
    }
}

/// A `WasmMsg` as the `cosmwasm.wasm.v1` message the contract signs.
fn wasm_msg_any(sender: &str, w: &WasmMsg) -> Result<Any> {
    let sender = sender.to_string();
    Ok(match w {
        WasmMsg::Execute { contract_addr, msg, funds } => {
            any(&pb::MsgExecuteContract { sender, contract: contract_addr.clone(), msg: msg.to_vec(), funds: proto_coins(funds)? })
        }
        WasmMsg::Instantiate { admin, code_id, msg, funds, label } => any(&pb::MsgInstantiateContract {
            sender,
            admin: admin.clone().unwrap_or_default(),
            code_id: *code_id,
            label: label.clone(),
            msg: msg.to_vec(),
            funds: proto_coins(funds)?,
        }),
        WasmMsg::Instantiate2 { admin, code_id, label, msg, funds, salt } => any(&pb::MsgInstantiateContract2 {
            sender,
            admin: admin.clone().unwrap_or_default(),
            code_id: *code_id,
            label: label.clone(),
            msg: msg.to_vec(),
            funds: proto_coins(funds)?,
            salt: salt.to_vec(),
            fix_msg: false,
        }),
        WasmMsg::Migrate { contract_addr, new_code_id, msg } => {
            any(&pb::MsgMigrateContract { sender, contract: contract_addr.clone(), code_id: *new_code_id, msg: msg.to_vec() })
        }
        WasmMsg::UpdateAdmin { contract_addr, admin } => {
            any(&pb::MsgUpdateAdmin { sender, new_admin: admin.clone(), contract: contract_addr.clone() })
        }
        WasmMsg::ClearAdmin { contract_addr } => any(&pb::MsgClearAdmin { sender, contract: contract_addr.clone() }),
        _ => return Err(WasmError::UnknownMsg("unknown wasm message".into()).into()),
    })
}

fn msg_kind(m: &CosmosMsg) -> &'static str {
    match m {
        CosmosMsg::Custom(_) => "custom",
        CosmosMsg::Staking(_) => "staking",
        CosmosMsg::Distribution(_) => "distribution",
        CosmosMsg::Ibc(_) => "ibc",
        CosmosMsg::Gov(_) => "gov",
        _ => "these",
    }
}

/// A chain event as a contract sees it in a reply (attributes by key).
fn to_contract_event(e: &Event) -> cosmwasm_std::Event {
    let mut attrs = e.attributes.clone();
    attrs.sort_by(|a, b| a.0.cmp(&b.0));
    // Built field by field: `_contract_address` is a key contracts may not
    // set, but the chain does (cosmwasm-std's constructor refuses it).
    let mut event = cosmwasm_std::Event::new(e.kind.clone());
    event.attributes = attrs.into_iter().map(|(key, value)| cosmwasm_std::Attribute { key, value }).collect();
    event
}

/// wasmd's `ReplyCosts` with the discount: the instance, the reply's data
/// and error text, and the events handed to the contract.
fn reply_cost(reply: &Reply) -> u64 {
    let mut gas = INSTANCE_COST_DISCOUNT;
    if let SubMsgResult::Ok(r) = &reply.result {
        let mut attrs = Vec::new();
        for e in &r.events {
            gas = gas.saturating_add(e.ty.len() as u64);
            attrs.extend(e.attributes.iter().cloned());
        }
        gas = gas.saturating_add(event_costs(&attrs, &[]));
    }
    gas
}
