//! Raw Cosmos SDK transactions, for the cases the CLI is (rightly) unwilling
//! to produce: bad signatures, unknown messages, garbage. Built with
//! venice-types' builder, as the CLI and the chain's tests build them.

use std::time::{Duration, Instant};

use cosmrs::crypto::secp256k1::SigningKey;
use cosmrs::proto::cosmos::auth::v1beta1::{BaseAccount, QueryAccountRequest, QueryAccountResponse};
use cosmrs::proto::cosmos::bank::v1beta1::{MsgSend, QueryBalanceRequest, QueryBalanceResponse};
use cosmrs::proto::cosmos::base::v1beta1::Coin;
use prost::Message;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use venice_types::paths;
use venice_types::tx::{FeeSpec, UnsignedTx};

use crate::chain::DENOM;
use crate::rpc::{Rpc, RpcError, as_u64, to_b64};

pub fn coin(amount: u128) -> Coin {
    Coin { denom: DENOM.to_string(), amount: amount.to_string() }
}

pub fn any(type_url: &str, value: Vec<u8>) -> cosmrs::Any {
    cosmrs::Any { type_url: type_url.to_string(), value }
}

pub fn msg_send(from: &str, to: &str, amount: u128) -> cosmrs::Any {
    let msg = MsgSend { from_address: from.to_string(), to_address: to.to_string(), amount: vec![coin(amount)] };
    any(paths::MSG_SEND_URL, msg.encode_to_vec())
}

/// A key with the account data it signs with.
pub struct Signer {
    pub key: SigningKey,
    pub address: String,
}

impl Signer {
    pub fn new(key: SigningKey) -> Signer {
        let address = key.public_key().account_id("venice").expect("bech32 address").to_string();
        Signer { key, address }
    }

    /// A deterministic test key from a label (no keyring involved).
    pub fn from_label(label: &str) -> Signer {
        let secret = Sha256::digest(format!("venice-e2e/{label}").as_bytes());
        Signer::new(SigningKey::from_slice(&secret).expect("valid key"))
    }
}

/// Everything that goes into one signed transaction; each field can be set
/// wrong on purpose.
#[derive(Clone)]
pub struct TxSpec {
    pub msgs: Vec<cosmrs::Any>,
    pub memo: String,
    pub fee: u128,
    pub gas_limit: u64,
    pub chain_id: String,
    pub account_number: u64,
    pub sequence: u64,
}

impl TxSpec {
    pub fn new(chain_id: &str, account_number: u64, sequence: u64, msgs: Vec<cosmrs::Any>) -> TxSpec {
        TxSpec { msgs, memo: String::new(), fee: 5_000, gas_limit: 200_000, chain_id: chain_id.to_string(), account_number, sequence }
    }

    /// The unsigned tx and the bytes its signer signs.
    fn parts(&self, signer: &Signer) -> (UnsignedTx, Vec<u8>) {
        let fee = FeeSpec { amount: vec![venice_types::Coin::new(DENOM, self.fee)], gas_limit: self.gas_limit };
        let pub_key = signer.key.public_key().to_bytes();
        let tx = UnsignedTx::direct(self.msgs.clone(), &self.memo, 0, Some(&pub_key), self.sequence, &fee);
        let sign_doc = tx.sign_doc(&self.chain_id, self.account_number);
        (tx, sign_doc)
    }

    pub fn sign(&self, signer: &Signer) -> Vec<u8> {
        let (tx, sign_doc) = self.parts(signer);
        let signature = signer.key.sign(&sign_doc).expect("sign").to_vec();
        tx.into_raw(vec![signature])
    }

    /// Signed correctly, then one bit of the signature flipped.
    pub fn sign_corrupted(&self, signer: &Signer) -> Vec<u8> {
        let (tx, sign_doc) = self.parts(signer);
        let mut signature = signer.key.sign(&sign_doc).expect("sign").to_vec();
        signature[10] ^= 0x01;
        tx.into_raw(vec![signature])
    }
}

/// CometBFT's tx hash: upper-case hex SHA-256 of the tx bytes.
pub fn tx_hash(tx: &[u8]) -> String {
    venice_types::tx::tx_hash(tx)
}

/// (account number, sequence), or None when the account does not exist.
pub fn account(rpc: &Rpc, address: &str) -> Result<Option<(u64, u64)>, RpcError> {
    let req = QueryAccountRequest { address: address.to_string() }.encode_to_vec();
    let (code, log, value) = rpc.abci_query(paths::auth::ACCOUNT, &req)?;
    if code != 0 {
        // Not found (a fresh address) is an error answer, as in the SDK.
        assert!(log.contains("not found") || code == 22 || code == 5, "account query failed: code {code}: {log}");
        return Ok(None);
    }
    let resp = QueryAccountResponse::decode(value.as_slice()).expect("decode QueryAccountResponse");
    let any = resp.account.expect("account in response");
    let base = base_account(&any);
    assert_eq!(base.address, address);
    Ok(Some((base.account_number, base.sequence)))
}

/// The `BaseAccount` inside an account `Any`: a plain account or one of
/// the SDK's vesting accounts (whose base account the ante handler uses).
pub fn base_account(any: &cosmrs::Any) -> BaseAccount {
    use cosmrs::proto::cosmos::vesting::v1beta1 as v;
    let bva = |b: Option<v::BaseVestingAccount>| b.and_then(|b| b.base_account).expect("base_vesting_account.base_account");
    let bytes = any.value.as_slice();
    match any.type_url.as_str() {
        "/cosmos.auth.v1beta1.BaseAccount" => BaseAccount::decode(bytes).expect("decode BaseAccount"),
        "/cosmos.vesting.v1beta1.ContinuousVestingAccount" => bva(v::ContinuousVestingAccount::decode(bytes).unwrap().base_vesting_account),
        "/cosmos.vesting.v1beta1.DelayedVestingAccount" => bva(v::DelayedVestingAccount::decode(bytes).unwrap().base_vesting_account),
        "/cosmos.vesting.v1beta1.PeriodicVestingAccount" => bva(v::PeriodicVestingAccount::decode(bytes).unwrap().base_vesting_account),
        "/cosmos.vesting.v1beta1.PermanentLockedAccount" => bva(v::PermanentLockedAccount::decode(bytes).unwrap().base_vesting_account),
        other => panic!("unexpected account type {other}"),
    }
}

/// Balance in uvvv via `cosmos.bank.v1beta1.Query/Balance`.
pub fn balance(rpc: &Rpc, address: &str) -> Result<u128, RpcError> {
    let req = QueryBalanceRequest { address: address.to_string(), denom: DENOM.to_string() }.encode_to_vec();
    let (code, log, value) = rpc.abci_query(paths::bank::BALANCE, &req)?;
    assert_eq!(code, 0, "balance query failed: {log}");
    let resp = QueryBalanceResponse::decode(value.as_slice()).expect("decode QueryBalanceResponse");
    Ok(resp.balance.map(|c| c.amount.parse().expect("amount")).unwrap_or(0))
}

/// Where a transaction ended.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// "check" (refused by CheckTx, never in a block) or "deliver" (in a block).
    pub stage: &'static str,
    pub code: u32,
    pub codespace: String,
    pub log: String,
    pub hash: String,
    pub height: u64,
    pub result: Value,
}

/// `broadcast_tx_sync`: the CheckTx answer.
pub fn broadcast_sync(rpc: &Rpc, tx: &[u8]) -> Result<Outcome, RpcError> {
    let r = rpc.call("broadcast_tx_sync", json!({"tx": to_b64(tx)}))?;
    Ok(Outcome {
        stage: "check",
        code: r["code"].as_u64().unwrap_or(0) as u32,
        codespace: r["codespace"].as_str().unwrap_or_default().to_string(),
        log: r["log"].as_str().unwrap_or_default().to_string(),
        hash: r["hash"].as_str().unwrap_or_default().to_string(),
        height: 0,
        result: r,
    })
}

/// The committed result of `hash` (`/tx`, kv indexer), waiting up to `timeout`.
pub fn wait_tx(rpc: &Rpc, hash: &str, timeout: Duration) -> Option<Outcome> {
    let start = Instant::now();
    while start.elapsed() < timeout {
        if let Ok(r) = rpc.call("tx", json!({"hash": to_b64(&hex::decode(hash).unwrap()), "prove": false})) {
            let res = &r["tx_result"];
            return Some(Outcome {
                stage: "deliver",
                code: res["code"].as_u64().unwrap_or(0) as u32,
                codespace: res["codespace"].as_str().unwrap_or_default().to_string(),
                log: res["log"].as_str().unwrap_or_default().to_string(),
                hash: hash.to_string(),
                height: as_u64(&r["height"]),
                result: r,
            });
        }
        std::thread::sleep(Duration::from_millis(150));
    }
    None
}

/// Broadcasts and follows the tx to its end: the CheckTx refusal, or the
/// result in a block.
pub fn submit(rpc: &Rpc, tx: &[u8]) -> Outcome {
    let check = broadcast_sync(rpc, tx).expect("broadcast_tx_sync");
    if check.code != 0 {
        return check;
    }
    wait_tx(rpc, &check.hash, Duration::from_secs(30))
        .unwrap_or_else(|| panic!("tx {} passed CheckTx but was not committed within 30 s", check.hash))
}

/// All (type, key, value) event attributes of a tx result, in either the
/// CometBFT shape or the SDK TxResponse shape (`{type, attributes:[{key,value}]}`).
pub fn event_attrs(events: &Value) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    for ev in events.as_array().into_iter().flatten() {
        let ty = ev["type"].as_str().unwrap_or_default();
        for a in ev["attributes"].as_array().into_iter().flatten() {
            out.push((
                ty.to_string(),
                a["key"].as_str().unwrap_or_default().to_string(),
                a["value"].as_str().unwrap_or_default().to_string(),
            ));
        }
    }
    out
}

pub fn has_attr(attrs: &[(String, String, String)], ty: &str, key: &str, value: &str) -> bool {
    attrs.iter().any(|(t, k, v)| t == ty && k == key && v == value)
}
