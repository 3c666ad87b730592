//! wasm's messages: stateless checks (wasmd's `ValidateBasic`), signers,
//! and one handler per message returning its typed response.

use cosmos_sdk_proto::Any;
use cosmos_sdk_proto::cosmwasm::wasm::v1 as pb;
use prost::Message;
use venice_sdk::paths::wasm::*;
use venice_sdk::{Address, Coins, Ctx, Error, MsgRouter, Result, response_any};

use crate::error::WasmError;
use crate::keeper::AddressRule;
use crate::params::validate_access;
use crate::{MAX_LABEL_SIZE, MAX_SALT_SIZE, MAX_WASM_SIZE, Wasm};

pub const MSG_TYPE_URLS: &[&str] = &[
    MSG_STORE_CODE,
    MSG_INSTANTIATE_CONTRACT,
    MSG_INSTANTIATE_CONTRACT2,
    MSG_EXECUTE_CONTRACT,
    MSG_MIGRATE_CONTRACT,
    MSG_UPDATE_ADMIN,
    MSG_CLEAR_ADMIN,
    MSG_UPDATE_PARAMS,
];

pub const MSG_UPDATE_PARAMS: &str = "/cosmwasm.wasm.v1.MsgUpdateParams";

fn addr(s: &str, what: &str) -> Result<Address> {
    Address::parse(s).map_err(|e| Error::InvalidAddress(format!("{what}: {}", e.to_string().trim_start_matches("invalid address: "))))
}

fn funds(list: &[cosmos_sdk_proto::cosmos::base::v1beta1::Coin]) -> Result<Coins> {
    Coins::from_proto_strict(list)
        .map_err(|e| Error::InvalidCoins(format!("funds: {}", e.to_string().trim_start_matches("invalid coins: "))))
}

/// The payload must be JSON (wasmd's `RawContractMessage.ValidateBasic`).
fn json_msg(msg: &[u8]) -> Result<()> {
    match serde_json::from_slice::<serde::de::IgnoredAny>(msg) {
        Ok(_) => Ok(()),
        Err(_) => Err(WasmError::Invalid("payload msg: invalid json".into()).into()),
    }
}

fn label(l: &str) -> Result<()> {
    if l.is_empty() {
        return Err(WasmError::Empty("label: is required".into()).into());
    }
    if l.len() > MAX_LABEL_SIZE {
        return Err(WasmError::Limit(format!("label: cannot be longer than {MAX_LABEL_SIZE} characters")).into());
    }
    if l.trim() != l {
        return Err(WasmError::Invalid("label: label must not start/end with whitespaces".into()).into());
    }
    if l.chars().any(char::is_control) {
        return Err(WasmError::Invalid("label: label must have printable characters only".into()).into());
    }
    Ok(())
}

fn code_id(id: u64) -> Result<()> {
    if id == 0 { Err(Error::InvalidRequest("code id is required".into())) } else { Ok(()) }
}

fn admin(a: &str) -> Result<Option<Address>> {
    if a.is_empty() { Ok(None) } else { addr(a, "admin").map(Some) }
}

/// wasmd's `Params.ValidateBasic`: a valid upload access and a set
/// default instantiate permission.
fn validate_params(p: &pb::Params) -> Result<()> {
    validate_access(p.code_upload_access.as_ref().ok_or_else(|| Error::InvalidRequest("code_upload_access: missing".into()))?)?;
    match pb::AccessType::try_from(p.instantiate_default_permission) {
        Ok(pb::AccessType::Nobody | pb::AccessType::Everybody | pb::AccessType::AnyOfAddresses) => Ok(()),
        _ => Err(WasmError::Invalid(format!("instantiate default permission: invalid type {}", p.instantiate_default_permission)).into()),
    }
}

/// Decoded, checked messages.
enum Msg {
    StoreCode(pb::MsgStoreCode),
    Instantiate(pb::MsgInstantiateContract),
    Instantiate2(pb::MsgInstantiateContract2),
    Execute(pb::MsgExecuteContract),
    Migrate(pb::MsgMigrateContract),
    UpdateAdmin(pb::MsgUpdateAdmin),
    ClearAdmin(pb::MsgClearAdmin),
    UpdateParams(Option<pb::Params>),
}

fn decode(msg: &Any) -> Result<(Msg, Address)> {
    let v = msg.value.as_slice();
    Ok(match msg.type_url.as_str() {
        MSG_STORE_CODE => {
            let m = pb::MsgStoreCode::decode(v)?;
            if m.wasm_byte_code.is_empty() {
                return Err(Error::InvalidRequest("code bytes is required: empty".into()));
            }
            if m.wasm_byte_code.len() > MAX_WASM_SIZE {
                return Err(Error::InvalidRequest(format!("code bytes cannot be longer than {MAX_WASM_SIZE} bytes: exceeds limit")));
            }
            if let Some(p) = &m.instantiate_permission {
                validate_access(p)?;
            }
            let s = addr(&m.sender, "sender")?;
            (Msg::StoreCode(m), s)
        }
        MSG_INSTANTIATE_CONTRACT => {
            let m = pb::MsgInstantiateContract::decode(v)?;
            code_id(m.code_id)?;
            label(&m.label)?;
            funds(&m.funds)?;
            admin(&m.admin)?;
            json_msg(&m.msg)?;
            let s = addr(&m.sender, "sender")?;
            (Msg::Instantiate(m), s)
        }
        MSG_INSTANTIATE_CONTRACT2 => {
            let m = pb::MsgInstantiateContract2::decode(v)?;
            code_id(m.code_id)?;
            label(&m.label)?;
            funds(&m.funds)?;
            admin(&m.admin)?;
            json_msg(&m.msg)?;
            if m.salt.is_empty() {
                return Err(WasmError::Empty("salt: is required".into()).into());
            }
            if m.salt.len() > MAX_SALT_SIZE {
                return Err(WasmError::Limit(format!("salt: cannot be longer than {MAX_SALT_SIZE} characters")).into());
            }
            let s = addr(&m.sender, "sender")?;
            (Msg::Instantiate2(m), s)
        }
        MSG_EXECUTE_CONTRACT => {
            let m = pb::MsgExecuteContract::decode(v)?;
            addr(&m.contract, "contract")?;
            funds(&m.funds)?;
            json_msg(&m.msg)?;
            let s = addr(&m.sender, "sender")?;
            (Msg::Execute(m), s)
        }
        MSG_MIGRATE_CONTRACT => {
            let m = pb::MsgMigrateContract::decode(v)?;
            addr(&m.contract, "contract")?;
            code_id(m.code_id)?;
            json_msg(&m.msg)?;
            let s = addr(&m.sender, "sender")?;
            (Msg::Migrate(m), s)
        }
        MSG_UPDATE_ADMIN => {
            let m = pb::MsgUpdateAdmin::decode(v)?;
            addr(&m.contract, "contract")?;
            addr(&m.new_admin, "new admin")?;
            if m.sender.eq_ignore_ascii_case(&m.new_admin) {
                return Err(WasmError::Invalid("new admin is the same as the old".into()).into());
            }
            let s = addr(&m.sender, "sender")?;
            (Msg::UpdateAdmin(m), s)
        }
        MSG_CLEAR_ADMIN => {
            let m = pb::MsgClearAdmin::decode(v)?;
            addr(&m.contract, "contract")?;
            let s = addr(&m.sender, "sender")?;
            (Msg::ClearAdmin(m), s)
        }
        MSG_UPDATE_PARAMS => {
            let m = pb::MsgUpdateParams::decode(v)?;
            (Msg::UpdateParams(m.params), addr(&m.authority, "authority")?)
        }
        other => return Err(Error::UnknownMessage(other.to_string())),
    })
}

/// Stateless checks; the address that must sign.
pub fn signers(msg: &Any) -> Result<Vec<Address>> {
    decode(msg).map(|(_, s)| vec![s])
}

/// Route a message to its handler; the typed response as an `Any`.
pub fn handle(wasm: &Wasm, ctx: &mut Ctx, router: &dyn MsgRouter, msg: &Any) -> Result<Any> {
    let (msg, sender) = decode(msg)?;
    Ok(match msg {
        Msg::StoreCode(m) => {
            let (code_id, checksum) = wasm.store_code(ctx, &sender, &m.wasm_byte_code, m.instantiate_permission)?;
            response_any(&pb::MsgStoreCodeResponse { code_id, checksum })
        }
        Msg::Instantiate(m) => {
            let (address, data) = wasm.instantiate(
                ctx,
                router,
                &sender,
                admin(&m.admin)?,
                m.code_id,
                &m.msg,
                &m.label,
                &funds(&m.funds)?,
                AddressRule::Classic,
            )?;
            response_any(&pb::MsgInstantiateContractResponse { address: address.to_bech32(), data: data.unwrap_or_default() })
        }
        Msg::Instantiate2(m) => {
            let rule = AddressRule::Predictable { salt: &m.salt, fix_msg: m.fix_msg };
            let (address, data) =
                wasm.instantiate(ctx, router, &sender, admin(&m.admin)?, m.code_id, &m.msg, &m.label, &funds(&m.funds)?, rule)?;
            response_any(&pb::MsgInstantiateContract2Response { address: address.to_bech32(), data: data.unwrap_or_default() })
        }
        Msg::Execute(m) => {
            let data = wasm.execute(ctx, router, &addr(&m.contract, "contract")?, &sender, &m.msg, &funds(&m.funds)?)?;
            response_any(&pb::MsgExecuteContractResponse { data: data.unwrap_or_default() })
        }
        Msg::Migrate(m) => {
            let data = wasm.migrate(ctx, router, &addr(&m.contract, "contract")?, &sender, m.code_id, &m.msg)?;
            response_any(&pb::MsgMigrateContractResponse { data: data.unwrap_or_default() })
        }
        Msg::UpdateAdmin(m) => {
            wasm.set_admin(ctx, &addr(&m.contract, "contract")?, &sender, Some(&addr(&m.new_admin, "new admin")?))?;
            response_any(&pb::MsgUpdateAdminResponse {})
        }
        Msg::ClearAdmin(m) => {
            wasm.set_admin(ctx, &addr(&m.contract, "contract")?, &sender, None)?;
            response_any(&pb::MsgClearAdminResponse {})
        }
        // Gov only (wasmd's authority check); validated when it runs, so a
        // bad value fails the proposal that carries it.
        Msg::UpdateParams(p) => {
            venice_sdk::check_gov_authority(&sender.to_bech32())?;
            let p = p.ok_or_else(|| Error::InvalidRequest("params: missing".into()))?;
            validate_params(&p)?;
            crate::state::set_params(ctx, &p)?;
            response_any(&pb::MsgUpdateParamsResponse {})
        }
    })
}
