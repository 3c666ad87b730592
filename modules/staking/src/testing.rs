//! Test support shared by staking's tests and the tests of the modules
//! that follow stake (slashing, distribution): the real bank and auth
//! behind staking's expected keeper, fixed test addresses and keys, and
//! builders of staking's messages. Only with the `testing` feature.

use std::sync::Arc;

use cosmos_sdk_proto::Any;
use cosmos_sdk_proto::cosmos::base::v1beta1::Coin as PCoin;
use cosmos_sdk_proto::cosmos::staking::v1beta1 as pb;
use prost::Message;
use venice_bank::Bank;
use venice_sdk::{Address, Coins, Ctx};
use venice_types::{Dec, paths};

pub const DENOM: &str = "uvvv";

/// Auth behind bank: accounts are created on receipt.
pub struct Accounts;
impl venice_bank::expected_keepers::AccountKeeper for Accounts {
    fn ensure_account(&self, ctx: &mut Ctx, addr: &Address) -> venice_sdk::Result<()> {
        venice_auth::Auth.ensure_account(ctx, addr)
    }
}

/// A real bank over auth, as the app builds it.
pub fn bank() -> Arc<Bank> {
    Arc::new(Bank::new(Arc::new(Accounts)))
}

/// Staking's expected bank keeper, provided by the real bank.
pub struct BankKeeper(pub Arc<Bank>);
impl crate::expected_keepers::BankKeeper for BankKeeper {
    fn send(&self, ctx: &mut Ctx, from: &Address, to: &Address, coins: &Coins) -> venice_sdk::Result<()> {
        self.0.send(ctx, from, to, coins)
    }
    fn balance(&self, ctx: &mut Ctx, addr: &Address, denom: &str) -> venice_sdk::Result<u128> {
        self.0.balance(ctx, addr, denom)
    }
    fn burn(&self, ctx: &mut Ctx, from: &Address, coins: &Coins) -> venice_sdk::Result<()> {
        self.0.burn(ctx, from, coins)
    }
}

/// Test account / operator `i`.
pub fn addr(i: u8) -> Address {
    Address::from_bytes(&[i; 20]).unwrap()
}

/// Validator `i`'s ed25519 consensus key.
pub fn cons_key(i: u8) -> Vec<u8> {
    vec![i; 32]
}

pub fn any<M: Message>(type_url: &str, m: &M) -> Any {
    Any { type_url: type_url.into(), value: m.encode_to_vec() }
}

pub fn coin(amount: u128) -> Option<PCoin> {
    Some(PCoin { denom: DENOM.into(), amount: amount.to_string() })
}

/// A rate as `LegacyDec` travels in a message.
pub fn rate(s: &str) -> String {
    Dec::parse(s).unwrap().to_atto_string()
}

/// Validator `i` self-bonding `amount` at `commission` (max 1, change 0.01 a day).
pub fn create_msg(i: u8, amount: u128, commission: &str, max_rate: &str) -> pb::MsgCreateValidator {
    pb::MsgCreateValidator {
        description: Some(pb::Description { moniker: format!("val{i}"), ..Default::default() }),
        commission: Some(pb::CommissionRates { rate: rate(commission), max_rate: rate(max_rate), max_change_rate: rate("0.01") }),
        min_self_delegation: "1".into(),
        #[allow(deprecated)]
        delegator_address: String::new(),
        validator_address: addr(i).to_valoper(),
        pubkey: Some(crate::types::ed25519_any(&cons_key(i))),
        value: coin(amount),
    }
}

pub fn delegate(del: &Address, val: u8, amount: u128) -> Any {
    any(
        paths::MSG_DELEGATE_URL,
        &pb::MsgDelegate { delegator_address: del.to_bech32(), validator_address: addr(val).to_valoper(), amount: coin(amount) },
    )
}

pub fn undelegate(del: &Address, val: u8, amount: u128) -> Any {
    any(
        paths::MSG_UNDELEGATE_URL,
        &pb::MsgUndelegate { delegator_address: del.to_bech32(), validator_address: addr(val).to_valoper(), amount: coin(amount) },
    )
}

pub fn redelegate(del: &Address, src: u8, dst: u8, amount: u128) -> Any {
    any(
        paths::MSG_BEGIN_REDELEGATE_URL,
        &pb::MsgBeginRedelegate {
            delegator_address: del.to_bech32(),
            validator_src_address: addr(src).to_valoper(),
            validator_dst_address: addr(dst).to_valoper(),
            amount: coin(amount),
        },
    )
}

pub fn cancel(del: &Address, val: u8, amount: u128, height: i64) -> Any {
    any(
        paths::MSG_CANCEL_UNBONDING_DELEGATION_URL,
        &pb::MsgCancelUnbondingDelegation {
            delegator_address: del.to_bech32(),
            validator_address: addr(val).to_valoper(),
            amount: coin(amount),
            creation_height: height,
        },
    )
}
