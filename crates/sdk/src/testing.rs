//! Test helpers: deterministic keys that sign real Cosmos SDK transactions
//! (used by unit tests, the determinism test and the benchmarks).

use cosmos_sdk_proto::cosmos::bank::v1beta1::MsgSend;
use cosmos_sdk_proto::cosmos::base::v1beta1::Coin as PCoin;
use cosmos_sdk_proto::cosmos::crypto::secp256k1::PubKey;
use cosmos_sdk_proto::cosmos::tx::signing::v1beta1::SignMode;
use cosmos_sdk_proto::cosmos::tx::v1beta1::{mode_info, AuthInfo, Fee, ModeInfo, SignDoc, SignerInfo, TxBody, TxRaw};
use k256::ecdsa::signature::Signer as _;
use k256::ecdsa::{Signature, SigningKey};
use prost::Message;
use cosmos_sdk_proto::Any;
use sha2::{Digest, Sha256};

use crate::address::Address;

pub struct TestKey {
    sk: SigningKey,
}

/// Fields of a tx to sign; `Default` gives a valid single-signer tx shape.
#[derive(Clone, Debug)]
pub struct TxParams {
    pub chain_id: String,
    pub account_number: u64,
    pub sequence: u64,
    pub fee: u128,
    pub gas: u64,
    pub memo: String,
    pub include_pubkey: bool,
}

impl Default for TxParams {
    fn default() -> Self {
        TxParams { chain_id: "venice-test".into(), account_number: 0, sequence: 0, fee: 5000, gas: 200_000, memo: String::new(), include_pubkey: true }
    }
}

impl TestKey {
    pub fn from_seed(seed: u64) -> Self {
        let bytes: [u8; 32] = Sha256::digest(seed.to_be_bytes()).into();
        TestKey { sk: SigningKey::from_bytes((&bytes).into()).expect("sha256 output is a valid scalar") }
    }
    pub fn pub_key(&self) -> Vec<u8> {
        self.sk.verifying_key().to_encoded_point(true).as_bytes().to_vec()
    }
    pub fn address(&self) -> Address {
        Address::from_secp256k1_pubkey(&self.pub_key())
    }

    pub fn sign_tx(&self, msgs: Vec<Any>, p: &TxParams) -> Vec<u8> {
        let body = TxBody { messages: msgs, memo: p.memo.clone(), ..Default::default() };
        let public_key = p.include_pubkey.then(|| Any { type_url: crate::tx::SECP256K1_PUBKEY_URL.into(), value: PubKey { key: self.pub_key() }.encode_to_vec() });
        let auth = AuthInfo {
            signer_infos: vec![SignerInfo {
                public_key,
                mode_info: Some(ModeInfo { sum: Some(mode_info::Sum::Single(mode_info::Single { mode: SignMode::Direct as i32 })) }),
                sequence: p.sequence,
            }],
            fee: Some(Fee { amount: vec![PCoin { denom: "uvvv".into(), amount: p.fee.to_string() }], gas_limit: p.gas, payer: String::new(), granter: String::new() }),
            ..Default::default()
        };
        let body_bytes = body.encode_to_vec();
        let auth_info_bytes = auth.encode_to_vec();
        let doc = SignDoc { body_bytes: body_bytes.clone(), auth_info_bytes: auth_info_bytes.clone(), chain_id: p.chain_id.clone(), account_number: p.account_number };
        let sig: Signature = self.sk.sign(&doc.encode_to_vec());
        let sig = sig.normalize_s().unwrap_or(sig);
        TxRaw { body_bytes, auth_info_bytes, signatures: vec![sig.to_bytes().to_vec()] }.encode_to_vec()
    }

    #[allow(clippy::too_many_arguments)]
    pub fn sign_send(&self, to: &Address, amount: u128, chain_id: &str, account_number: u64, sequence: u64, fee: u128, gas: u64) -> Vec<u8> {
        let p = TxParams { chain_id: chain_id.into(), account_number, sequence, fee, gas, ..Default::default() };
        self.sign_tx(vec![self.send_msg(to, amount)], &p)
    }

    pub fn send_msg(&self, to: &Address, amount: u128) -> Any {
        let msg = MsgSend {
            from_address: self.address().to_bech32(),
            to_address: to.to_bech32(),
            amount: vec![PCoin { denom: "uvvv".into(), amount: amount.to_string() }],
        };
        Any { type_url: "/cosmos.bank.v1beta1.MsgSend".into(), value: msg.encode_to_vec() }
    }
}
