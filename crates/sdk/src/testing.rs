//! Test helpers: deterministic keys that sign real Cosmos SDK transactions
//! (used by unit tests, the determinism test and the benchmarks), built with
//! venice-types' tx builder as the CLI builds them.

use cosmos_sdk_proto::Any;
use cosmos_sdk_proto::cosmos::bank::v1beta1::MsgSend;
use cosmos_sdk_proto::cosmos::base::v1beta1::Coin as PCoin;
use cosmos_sdk_proto::cosmos::tx::signing::v1beta1::SignMode;
use k256::ecdsa::SigningKey;
use prost::Message;
use sha2::{Digest, Sha256};
use venice_types::tx::{self, FeeSpec, UnsignedTx, sign_with_k256};

use crate::address::Address;
use crate::coin::Coin;

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
        TxParams {
            chain_id: "venice-test".into(),
            account_number: 0,
            sequence: 0,
            fee: 5000,
            gas: 200_000,
            memo: String::new(),
            include_pubkey: true,
        }
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
        // A zero fee stays a `0uvvv` coin, as these tests have always sent it.
        self.sign_tx_with_fee(msgs, p, vec![Coin::new(crate::BASE_DENOM, p.fee)])
    }

    /// [`TestKey::sign_tx`] with the fee given as coins (`p.fee` unused):
    /// other denoms, several, or none.
    pub fn sign_tx_with_fee(&self, msgs: Vec<Any>, p: &TxParams, fee: Vec<Coin>) -> Vec<u8> {
        let fee = FeeSpec { amount: fee, gas_limit: p.gas };
        let pub_key = p.include_pubkey.then(|| self.pub_key());
        let unsigned = UnsignedTx::direct(msgs, &p.memo, 0, pub_key.as_deref(), p.sequence, &fee);
        let signed: Result<_, std::convert::Infallible> =
            unsigned.sign(&p.chain_id, p.account_number, |doc| Ok(sign_with_k256(&self.sk, doc)));
        signed.unwrap_or_else(|never| match never {})
    }

    /// The same tx signed in SIGN_MODE_LEGACY_AMINO_JSON (as Ledger and
    /// Keplr's amino signer do).
    pub fn sign_tx_amino(&self, msgs: Vec<Any>, p: &TxParams) -> Vec<u8> {
        let fee = FeeSpec { amount: vec![Coin::new(crate::BASE_DENOM, p.fee)], gas_limit: p.gas };
        let key = p.include_pubkey.then(|| venice_types::PubKey::Secp256k1(self.pub_key()));
        let auth = tx::auth_info(vec![tx::signer_info(key.as_ref(), p.sequence, tx::single_mode(SignMode::LegacyAminoJson))], &fee);
        let unsigned = UnsignedTx { body_bytes: tx::body_bytes(msgs, &p.memo, 0), auth_info_bytes: auth.encode_to_vec() };
        let doc = tx::amino_sign_bytes(&unsigned.body_bytes, &unsigned.auth_info_bytes, &p.chain_id, p.account_number, p.sequence)
            .expect("test messages have amino names");
        let sig = self.sign_bytes(&doc);
        unsigned.into_raw(vec![sig])
    }

    /// A low-S signature over sha256(`bytes`).
    pub fn sign_bytes(&self, bytes: &[u8]) -> Vec<u8> {
        sign_with_k256(&self.sk, bytes)
    }

    #[allow(clippy::too_many_arguments)]
    pub fn sign_send(
        &self,
        to: &Address,
        amount: u128,
        chain_id: &str,
        account_number: u64,
        sequence: u64,
        fee: u128,
        gas: u64,
    ) -> Vec<u8> {
        let p = TxParams { chain_id: chain_id.into(), account_number, sequence, fee, gas, ..Default::default() };
        self.sign_tx(vec![self.send_msg(to, amount)], &p)
    }

    /// `MsgCreateValidator` of this key's operator: consensus key
    /// `ed25519_pubkey`, self-delegating `amount` uvvv, commission 10%
    /// (at most 20%, moving 1% a day), moniker `v`.
    pub fn create_validator_msg(&self, ed25519_pubkey: &[u8], amount: u128) -> Any {
        use venice_types::staking::{CommissionText, ValidatorDescription, msg_create_validator};
        let commission = CommissionText { rate: "0.1".into(), max_rate: "0.2".into(), max_change_rate: "0.01".into() };
        let value = venice_types::Coin::new(crate::BASE_DENOM, amount);
        let description = ValidatorDescription { moniker: "v".into(), ..Default::default() };
        msg_create_validator(&description, &commission, "1", &self.address().to_valoper(), ed25519_pubkey, &value)
            .expect("a well-formed MsgCreateValidator")
    }

    pub fn send_msg(&self, to: &Address, amount: u128) -> Any {
        let msg = MsgSend {
            from_address: self.address().to_bech32(),
            to_address: to.to_bech32(),
            amount: vec![PCoin { denom: crate::BASE_DENOM.into(), amount: amount.to_string() }],
        };
        Any { type_url: venice_types::paths::MSG_SEND_URL.into(), value: msg.encode_to_vec() }
    }
}
