//! The inference module's expected keepers, provided by bank, staking,
//! fees, slashing and wasm (the model-NFT and compute-credit contracts).
//! Kept apart from modules.rs, which only lists and orders the modules.

use std::sync::Arc;

use cosmos_sdk_proto::Any;
use serde_json::{Value, json};
use venice_bank::Bank;
use venice_fees::Fees;
use venice_inference::expected_keepers::{
    BankKeeper, CreditToken, DataCredentials, Dataset, FeeRouter, ModelNfts, Slasher, StakeLocker, ValidatorInfo, Validators,
};
use venice_inference::state::Signer;
use venice_model_types::ModelDescriptor;
use venice_sdk::{Address, Coins, Ctx, Error, MsgRouter, Result};
use venice_slashing::Slashing;
use venice_staking::Staking;
use venice_types::Dec;
use venice_wasm::Wasm;

/// The `reason` attribute of the `slash` event of an inference fault.
pub const REASON_INFERENCE_FAULT: &str = "inference_fault";

/// Escrow moves of the inference module account, provided by bank.
pub struct BankForInference(pub Arc<Bank>);

impl BankKeeper for BankForInference {
    fn send(&self, ctx: &mut Ctx, from: &Address, to: &Address, coins: &Coins) -> Result<()> {
        self.0.send(ctx, from, to, coins)
    }
    fn balance(&self, ctx: &mut Ctx, addr: &Address, denom: &str) -> Result<u128> {
        self.0.balance(ctx, addr, denom)
    }
}

/// The bonded validator set and the locked-stake records, provided by staking.
pub struct StakingForInference(pub Arc<Staking>);

fn info(v: &venice_staking::Validator) -> ValidatorInfo {
    ValidatorInfo {
        operator: v.operator.clone(),
        consensus_address: v.cons_address().as_bytes().to_vec(),
        power: u64::try_from(v.consensus_power()).unwrap_or(0),
        jailed: v.jailed,
    }
}

impl Validators for StakingForInference {
    fn validators(&self, ctx: &mut Ctx) -> Result<Vec<ValidatorInfo>> {
        Ok(venice_staking::valset::bonded_validators(ctx)?.iter().map(info).collect())
    }
    fn validator(&self, ctx: &mut Ctx, operator: &Address) -> Result<Option<ValidatorInfo>> {
        Ok(self.0.validator_of(ctx, operator)?.as_ref().map(info))
    }
    fn consensus_set(&self, ctx: &mut Ctx) -> Result<Vec<Signer>> {
        use venice_staking::state;
        ctx.scoped(state::PREFIX, |ctx| {
            let mut out = Vec::new();
            for (op, power) in state::last_powers(ctx)? {
                let v = state::validator(ctx, &op)?.ok_or_else(|| Error::Internal(format!("last power of unknown validator {op}")))?;
                out.push(Signer {
                    consensus_address: v.cons_address().as_bytes().to_vec(),
                    pubkey: v.consensus_pubkey.clone(),
                    power: u64::try_from(power).unwrap_or(0),
                });
            }
            Ok(out)
        })
    }
}

impl StakeLocker for StakingForInference {
    fn unlocked_bonded(&self, ctx: &mut Ctx, owner: &Address) -> Result<u128> {
        self.0.unlocked_stake(ctx, owner)
    }
    fn lock(&self, ctx: &mut Ctx, owner: &Address, amount: u128) -> Result<()> {
        self.0.lock_stake(ctx, owner, amount)
    }
    fn unlock(&self, ctx: &mut Ctx, owner: &Address, amount: u128) -> Result<()> {
        self.0.unlock_stake(ctx, owner, amount)
    }
}

/// The fee split of a final task, provided by the fees module.
pub struct FeesForInference(pub Arc<Fees>);

impl FeeRouter for FeesForInference {
    fn route_inference_fee(&self, ctx: &mut Ctx, from: &Address, fee: &Coins, model_owner: &Address, executors: &[Address]) -> Result<()> {
        self.0.route_inference_fee(ctx, from, fee, Some(model_owner), executors).map(|_| ())
    }
}

/// Slash and jail through slashing (and staking behind it), as evidence
/// does for a double sign; a validator gone or unbonded has nothing at
/// stake. It stays jailed for slashing's downtime jail duration.
pub struct SlashingForInference(pub Arc<Slashing>);

impl Slasher for SlashingForInference {
    fn slash_inference_fault(
        &self,
        ctx: &mut Ctx,
        consensus_address: &[u8],
        infraction_height: u64,
        power: u64,
        fraction: Dec,
    ) -> Result<()> {
        let cons = Address::from_bytes(consensus_address)?;
        let power = i64::try_from(power).unwrap_or(i64::MAX);
        let height = i64::try_from(infraction_height).unwrap_or(i64::MAX);
        self.0.slash_and_jail_for_fault(ctx, &cons, fraction, power, height, REASON_INFERENCE_FAULT)
    }
}

/// The model-NFT, compute-credit and data-credential contracts, called
/// through wasm.
pub struct WasmForInference(pub Wasm);

/// The router the contracts these adapters call are given: they answer
/// queries and mint / burn their own tokens, dispatching nothing, and the
/// module's keepers run without the app's router (end-block code calls
/// them too). A contract that tries to dispatch or query a module fails
/// the call instead of acting outside the inference module's control.
struct NoDispatch;

impl MsgRouter for NoDispatch {
    fn dispatch(&self, _ctx: &mut Ctx, msg: &Any, _authority: &Address) -> Result<Any> {
        Err(Error::Unauthorized(format!("a contract called by the inference module may not dispatch {}", msg.type_url)))
    }
    fn query(&self, _ctx: &mut Ctx, path: &str, _request: &[u8]) -> Result<Vec<u8>> {
        Err(Error::UnknownQuery(format!("{path} (not available to contracts called by the inference module)")))
    }
}

impl WasmForInference {
    /// A smart query; `None` when the contract does not exist or the query
    /// fails in the contract (cw721 answers "not found" for a burnt token).
    fn smart(&self, ctx: &mut Ctx, contract: &Address, msg: &Value) -> Result<Option<Value>> {
        let bytes = serde_json::to_vec(msg).map_err(|e| Error::Internal(format!("query JSON: {e}")))?;
        match ctx.scoped(venice_wasm::state::PREFIX, |ctx| self.0.query_smart(ctx, &NoDispatch, contract, &bytes, 1)) {
            Ok(out) => serde_json::from_slice(&out).map(Some).map_err(|e| Error::InvalidRequest(format!("contract answer: {e}"))),
            Err(e) if is_missing(&e) => Ok(None),
            Err(e) => Err(e),
        }
    }

    fn execute(&self, ctx: &mut Ctx, contract: &Address, sender: &Address, msg: &Value) -> Result<()> {
        let bytes = serde_json::to_vec(msg).map_err(|e| Error::Internal(format!("execute JSON: {e}")))?;
        ctx.scoped(venice_wasm::state::PREFIX, |ctx| self.0.execute(ctx, &NoDispatch, contract, sender, &bytes, &Coins::default()))?;
        Ok(())
    }

    /// Executes `msg` as the inference module account; the contract's own
    /// refusal (wasm code 5) is `Ok(Err(reason))`.
    fn execute_as_module(&self, ctx: &mut Ctx, contract: &Address, msg: &Value) -> Result<std::result::Result<(), String>> {
        match self.execute(ctx, contract, &venice_inference::module_address(), msg) {
            Ok(()) => Ok(Ok(())),
            Err(e) if e.abci_code() == ("wasm", 5) => Ok(Err(e.to_string())),
            Err(e) => Err(e),
        }
    }
}

/// wasm's "query failed" (9) and "no such contract" (22), and an address
/// that is no contract at all.
fn is_missing(e: &Error) -> bool {
    matches!(e.abci_code(), ("wasm", 9) | ("wasm", 22)) || e.to_string().contains("no such contract")
}

impl ModelNfts for WasmForInference {
    fn owner_of(&self, ctx: &mut Ctx, contract: &Address, token_id: &str) -> Result<Option<Address>> {
        let q = json!({ "owner_of": { "token_id": token_id } });
        match self.smart(ctx, contract, &q)? {
            Some(v) => match v.get("owner").and_then(Value::as_str) {
                Some(o) => Ok(Some(Address::parse(o)?)),
                None => Err(Error::InvalidRequest(format!("{contract}: owner_of answer has no owner"))),
            },
            None => Ok(None),
        }
    }
    fn model_info(&self, ctx: &mut Ctx, contract: &Address, token_id: &str) -> Result<Option<ModelDescriptor>> {
        let q = json!({ "nft_info": { "token_id": token_id } });
        let Some(v) = self.smart(ctx, contract, &q)? else { return Ok(None) };
        // A cw721 of another kind has no model descriptor: not a model NFT.
        match v.get("extension").and_then(|e| e.get("model")) {
            Some(m) => Ok(serde_json::from_value(m.clone()).ok()),
            None => Ok(None),
        }
    }
}

impl CreditToken for WasmForInference {
    /// The module account is the contract's minter.
    fn mint(&self, ctx: &mut Ctx, contract: &Address, to: &Address, amount: u128) -> Result<()> {
        let msg = json!({ "mint": { "recipient": to.to_bech32(), "amount": amount.to_string() } });
        self.execute(ctx, contract, &venice_inference::module_address(), &msg)
    }
    /// The holder burns its own credits: it signed `MsgBurnCredits`.
    fn burn(&self, ctx: &mut Ctx, contract: &Address, from: &Address, amount: u128) -> Result<()> {
        let msg = json!({ "burn": { "amount": amount.to_string() } });
        self.execute(ctx, contract, from, &msg)
    }
}

impl DataCredentials for WasmForInference {
    /// Reads the credential and its dataset, then spends one use as the
    /// inference module account (which the dataset's issuer or the
    /// contract's admin must have made a consumer). The contract's refusals
    /// become the reason; out of gas and store failures stay errors.
    fn consume(&self, ctx: &mut Ctx, contract: &Address, holder: &Address, id: u64) -> Result<std::result::Result<Dataset, String>> {
        let Some(c) = self.smart(ctx, contract, &json!({ "credential": { "credential_id": id } }))? else {
            return Ok(Err("no such credential (or no data-credential contract)".into()));
        };
        let field = |v: &Value, path: &[&str]| -> Option<Value> { path.iter().try_fold(v.clone(), |v, k| v.get(k).cloned()) };
        let (Some(owner), Some(dataset_id)) = (
            field(&c, &["credential", "holder"]).and_then(|v| v.as_str().map(String::from)),
            field(&c, &["credential", "dataset_id"]).and_then(|v| v.as_u64()),
        ) else {
            return Err(Error::InvalidRequest(format!("{contract}: credential answer without holder or dataset_id")));
        };
        if owner != holder.to_bech32() {
            return Ok(Err(format!("held by {owner}, not by the sender")));
        }
        let Some(d) = self.smart(ctx, contract, &json!({ "dataset": { "dataset_id": dataset_id } }))? else {
            return Ok(Err(format!("its dataset {dataset_id} is gone")));
        };
        let text = |k: &str| d.get(k).and_then(Value::as_str).map(String::from);
        let (Some(data_hash), Some(uri)) = (text("data_hash"), text("uri")) else {
            return Err(Error::InvalidRequest(format!("{contract}: dataset answer without data_hash or uri")));
        };
        let msg = json!({ "consume": { "credential_id": id, "holder": holder.to_bech32(), "dataset_id": dataset_id } });
        Ok(self.execute_as_module(ctx, contract, &msg)?.map(|()| Dataset { id: dataset_id, data_hash, uri }))
    }

    /// `refund {credential_id, holder, dataset_id}` as the module account,
    /// the consumer that spent the use. A contract without refunds refuses.
    fn refund(
        &self,
        ctx: &mut Ctx,
        contract: &Address,
        holder: &Address,
        id: u64,
        dataset_id: u64,
    ) -> Result<std::result::Result<(), String>> {
        let msg = json!({ "refund": { "credential_id": id, "holder": holder.to_bech32(), "dataset_id": dataset_id } });
        self.execute_as_module(ctx, contract, &msg)
    }
}

/// The inference module over the app's keepers.
pub fn inference(
    bank: &Arc<Bank>,
    staking: &Arc<Staking>,
    fees: &Arc<Fees>,
    slashing: &Arc<Slashing>,
    wasm: &Wasm,
) -> venice_inference::Inference {
    let staking = Arc::new(StakingForInference(staking.clone()));
    let contracts = Arc::new(WasmForInference(wasm.clone()));
    venice_inference::Inference {
        bank: Arc::new(BankForInference(bank.clone())),
        nfts: contracts.clone(),
        validators: staking.clone(),
        fees: Arc::new(FeesForInference(fees.clone())),
        slasher: Arc::new(SlashingForInference(slashing.clone())),
        stake: staking,
        credit_token: contracts.clone(),
        data_credentials: contracts,
        local: Default::default(),
    }
}
