//! The module's operations, as wasmd's keeper does them: store code,
//! instantiate (classic or predictable address), execute, migrate, admin
//! changes, reply, smart and raw queries.

use std::io::Read;

use cosmos_sdk_proto::cosmwasm::wasm::v1::{self as pb, ContractCodeHistoryOperationType as Op};
use cosmwasm_std::{Addr, MessageInfo, Reply};
use cosmwasm_vm::{call_execute, call_instantiate, call_migrate, call_query, call_reply};
use venice_sdk::{Address, Coins, Ctx, Error, MsgRouter, Result, contract_address};

use crate::error::WasmError;
use crate::gas::{COMPILE_COST, setup_cost, uncompress_cost};
use crate::params::{allowed, default_instantiate_access, is_subset};
use crate::vm::{checksum, env};
use crate::{MAX_QUERY_STACK_SIZE, MAX_WASM_SIZE, Wasm, events, state};

/// How the new contract's address is found.
pub enum AddressRule<'a> {
    /// Code id and the next instance id (`MsgInstantiateContract`).
    Classic,
    /// `MsgInstantiateContract2`: checksum, creator, salt and, when
    /// `fix_msg`, the init message.
    Predictable { salt: &'a [u8], fix_msg: bool },
}

/// gzip magic and deflate method, as wasmd's `IsGzip`.
fn is_gzip(b: &[u8]) -> bool {
    b.starts_with(&[0x1f, 0x8b, 0x08])
}

fn gunzip(b: &[u8]) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    let mut reader = flate2::read::GzDecoder::new(b).take(MAX_WASM_SIZE as u64 + 1);
    reader.read_to_end(&mut out).map_err(|e| WasmError::CreateFailed(format!("uncompress wasm archive: {e}")))?;
    if out.len() > MAX_WASM_SIZE {
        return Err(WasmError::CreateFailed("uncompress wasm archive: max 819200 bytes: exceeds limit".into()).into());
    }
    Ok(out)
}

fn message_info(sender: &Address, funds: &Coins) -> MessageInfo {
    MessageInfo {
        sender: Addr::unchecked(sender.to_bech32()),
        funds: funds.iter().map(|c| cosmwasm_std::Coin::new(c.amount, c.denom.clone())).collect(),
    }
}

fn position(ctx: &Ctx) -> pb::AbsoluteTxPosition {
    pb::AbsoluteTxPosition { block_height: ctx.info.height, tx_index: ctx.tx.as_ref().map_or(0, |t| t.index as u64) }
}

impl Wasm {
    fn code_info(&self, ctx: &mut Ctx, code_id: u64) -> Result<pb::CodeInfo> {
        state::code(ctx, code_id)?.ok_or_else(|| WasmError::NoSuchCode(code_id).into())
    }

    pub(crate) fn contract_info(&self, ctx: &mut Ctx, addr: &Address) -> Result<pb::ContractInfo> {
        state::contract(ctx, addr)?.ok_or_else(|| WasmError::NoSuchContract(addr.to_bech32()).into())
    }

    /// Gas for loading an instance: discounted when the code is pinned.
    fn charge_setup(&self, ctx: &mut Ctx, code_id: u64, what: &str) -> Result<()> {
        let pinned = state::is_pinned(ctx, code_id)?;
        ctx.consume_gas(setup_cost(pinned), &format!("Loading CosmWasm module: {what}"))
    }

    /// `MsgStoreCode`: unpack, check and compile the code, record it.
    pub fn store_code(
        &self,
        ctx: &mut Ctx,
        creator: &Address,
        code: &[u8],
        permission: Option<pb::AccessConfig>,
    ) -> Result<(u64, Vec<u8>)> {
        let params = state::params(ctx)?;
        let default_access = default_instantiate_access(&params, creator);
        let access = permission.unwrap_or_else(|| default_access.clone());
        let upload = params.code_upload_access.clone().unwrap_or_default();
        if !allowed(&upload, creator) || !is_subset(&access, &default_access) {
            return Err(Error::Unauthorized("can not create code".into()));
        }
        let unpacked;
        let code = if is_gzip(code) {
            ctx.consume_gas(uncompress_cost(code.len()), "Uncompress gzip bytecode")?;
            unpacked = gunzip(code)?;
            &unpacked[..]
        } else {
            code
        };
        if code.len() > MAX_WASM_SIZE {
            return Err(
                WasmError::CreateFailed(format!("code of {} bytes: cannot be longer than {MAX_WASM_SIZE} bytes", code.len())).into()
            );
        }
        ctx.consume_gas(COMPILE_COST.saturating_mul(code.len() as u64), "Compiling wasm bytecode")?;
        let cache = self.inner.vm.cache()?;
        let sum = cache.store_code(code, true, true).map_err(|e| WasmError::CreateFailed(e.to_string()))?;
        let report = cache.analyze(&sum).map_err(|e| WasmError::CreateFailed(e.to_string()))?;
        let code_id = state::next_code_id(ctx)?;
        state::set_code(
            ctx,
            code_id,
            &pb::CodeInfo { code_hash: sum.as_slice().to_vec(), creator: creator.to_bech32(), instantiate_config: Some(access) },
        )?;
        let caps: Vec<String> = report.required_capabilities.into_iter().collect();
        ctx.emit(events::store_code(sum.as_slice(), code_id, &caps));
        Ok((code_id, sum.as_slice().to_vec()))
    }

    /// `MsgInstantiateContract(2)`: a new contract of `code_id`; returns its
    /// address and the response data.
    #[allow(clippy::too_many_arguments)]
    pub fn instantiate(
        &self,
        ctx: &mut Ctx,
        router: &dyn MsgRouter,
        creator: &Address,
        admin: Option<Address>,
        code_id: u64,
        msg: &[u8],
        label: &str,
        funds: &Coins,
        rule: AddressRule,
    ) -> Result<(Address, Option<Vec<u8>>)> {
        let code = self.code_info(ctx, code_id)?;
        self.charge_setup(ctx, code_id, "instantiate")?;
        if !allowed(&code.instantiate_config.clone().unwrap_or_default(), creator) {
            return Err(Error::Unauthorized("can not instantiate".into()));
        }
        let contract = match rule {
            AddressRule::Classic => contract_address::classic(code_id, state::next_instance_id(ctx)?),
            AddressRule::Predictable { salt, fix_msg } => {
                contract_address::predictable(&code.code_hash, creator.as_bytes(), salt, if fix_msg { msg } else { &[] })
            }
        };
        if state::has_contract(ctx, &contract)? {
            return Err(WasmError::Duplicate(
                "contract address already exists, try a different combination of creator, checksum and salt".into(),
            )
            .into());
        }
        self.inner.accounts.ensure_account(ctx, &contract)?;
        if !funds.is_empty() {
            self.bank().send(ctx, creator, &contract, funds)?;
        }
        let sum = checksum(&code.code_hash)?;
        let (env, info) = (env(ctx, &contract), message_info(creator, funds));
        let response =
            self.call(ctx, router, &sum, &contract, 0, WasmError::InstantiateFailed, |i| call_instantiate(i, &env, &info, msg))?;

        let created = Some(position(ctx));
        let contract_info = pb::ContractInfo {
            code_id,
            creator: creator.to_bech32(),
            admin: admin.map(|a| a.to_bech32()).unwrap_or_default(),
            label: label.to_string(),
            created: created.clone(),
            ibc_port_id: String::new(),
            extension: None,
        };
        let entry = pb::ContractCodeHistoryEntry { operation: Op::Init as i32, code_id, updated: created.clone(), msg: msg.to_vec() };
        state::add_to_code_index(ctx, code_id, &created, &contract)?;
        state::add_to_creator_index(ctx, creator, &created, &contract)?;
        state::append_history(ctx, &contract, &entry)?;
        state::set_contract(ctx, &contract, &contract_info)?;
        ctx.emit(events::instantiate(&contract, code_id));
        let data = self.handle_response(ctx, router, &contract, response)?;
        Ok((contract, data))
    }

    /// `MsgExecuteContract`: funds to the contract first, then the call.
    pub fn execute(
        &self,
        ctx: &mut Ctx,
        router: &dyn MsgRouter,
        contract: &Address,
        sender: &Address,
        msg: &[u8],
        funds: &Coins,
    ) -> Result<Option<Vec<u8>>> {
        let info = self.contract_info(ctx, contract)?;
        let code = self.code_info(ctx, info.code_id)?;
        self.charge_setup(ctx, info.code_id, "execute")?;
        if !funds.is_empty() {
            self.bank().send(ctx, sender, contract, funds)?;
        }
        let sum = checksum(&code.code_hash)?;
        let (env, minfo) = (env(ctx, contract), message_info(sender, funds));
        let response = self.call(ctx, router, &sum, contract, 0, WasmError::ExecuteFailed, |i| call_execute(i, &env, &minfo, msg))?;
        ctx.emit(events::execute(contract));
        self.handle_response(ctx, router, contract, response)
    }

    /// `MsgMigrateContract`: only the admin, to code the admin may instantiate.
    pub fn migrate(
        &self,
        ctx: &mut Ctx,
        router: &dyn MsgRouter,
        contract: &Address,
        sender: &Address,
        new_code_id: u64,
        msg: &[u8],
    ) -> Result<Option<Vec<u8>>> {
        let mut info = state::contract(ctx, contract)?.ok_or_else(|| Error::InvalidRequest("unknown contract".into()))?;
        if info.admin.is_empty() || Address::parse(&info.admin).ok().as_ref() != Some(sender) {
            return Err(Error::Unauthorized("can not migrate".into()));
        }
        let code = state::code(ctx, new_code_id)?.ok_or_else(|| Error::InvalidRequest("unknown code".into()))?;
        if !allowed(&code.instantiate_config.clone().unwrap_or_default(), sender) {
            return Err(Error::Unauthorized("to use new code".into()));
        }
        self.charge_setup(ctx, new_code_id, "migrate")?;
        let sum = checksum(&code.code_hash)?;
        let env = env(ctx, contract);
        let response = self.call(ctx, router, &sum, contract, 0, WasmError::MigrationFailed, |i| call_migrate(i, &env, msg))?;

        let last = state::history(ctx, contract, None, usize::MAX)?.pop().map(|(_, e)| e).unwrap_or_default();
        state::remove_from_code_index(ctx, info.code_id, &last.updated, contract)?;
        let updated = Some(position(ctx));
        let entry = pb::ContractCodeHistoryEntry {
            operation: Op::Migrate as i32,
            code_id: new_code_id,
            updated: updated.clone(),
            msg: msg.to_vec(),
        };
        state::append_history(ctx, contract, &entry)?;
        state::add_to_code_index(ctx, new_code_id, &updated, contract)?;
        info.code_id = new_code_id;
        state::set_contract(ctx, contract, &info)?;
        ctx.emit(events::migrate(contract, new_code_id));
        self.handle_response(ctx, router, contract, response)
    }

    /// `MsgUpdateAdmin` / `MsgClearAdmin` (`new_admin` = `None`).
    pub fn set_admin(&self, ctx: &mut Ctx, contract: &Address, sender: &Address, new_admin: Option<&Address>) -> Result<()> {
        let mut info = state::contract(ctx, contract)?.ok_or_else(|| Error::InvalidRequest("unknown contract".into()))?;
        if info.admin.is_empty() || Address::parse(&info.admin).ok().as_ref() != Some(sender) {
            return Err(Error::Unauthorized("can not modify contract".into()));
        }
        info.admin = new_admin.map(Address::to_bech32).unwrap_or_default();
        state::set_contract(ctx, contract, &info)?;
        ctx.emit(events::update_admin(contract, new_admin));
        Ok(())
    }

    /// A contract's `reply` entry point, after one of its submessages.
    pub(crate) fn reply(
        &self,
        ctx: &mut Ctx,
        router: &dyn MsgRouter,
        contract: &Address,
        reply: &Reply,
        cost: u64,
    ) -> Result<Option<Vec<u8>>> {
        let info = self.contract_info(ctx, contract)?;
        let code = self.code_info(ctx, info.code_id)?;
        ctx.consume_gas(cost, "Loading CosmWasm module: reply")?;
        let sum = checksum(&code.code_hash)?;
        let env = env(ctx, contract);
        let response = self.call(ctx, router, &sum, contract, 0, WasmError::ExecuteFailed, |i| call_reply(i, &env, reply))?;
        ctx.emit(events::reply(contract));
        self.handle_response(ctx, router, contract, response)
    }

    /// A smart query at stack depth `depth` (1 for a client's query).
    pub fn query_smart(&self, ctx: &mut Ctx, router: &dyn MsgRouter, contract: &Address, msg: &[u8], depth: u32) -> Result<Vec<u8>> {
        if depth > MAX_QUERY_STACK_SIZE {
            return Err(WasmError::QueryStackSize.into());
        }
        let info = self.contract_info(ctx, contract)?;
        let code = self.code_info(ctx, info.code_id)?;
        self.charge_setup(ctx, info.code_id, "query")?;
        let sum = checksum(&code.code_hash)?;
        let env = env(ctx, contract);
        // Nothing a query does is kept, whatever the contract tries.
        ctx.push_layer();
        let out = self.call(ctx, router, &sum, contract, depth, WasmError::QueryFailed, |i| call_query(i, &env, msg));
        ctx.discard_layer();
        out.map(|b| b.to_vec())
    }
}
