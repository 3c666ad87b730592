//! Transaction building and signing: Cosmos SDK `TxRaw`, SIGN_MODE_DIRECT,
//! secp256k1, bank messages. Pure functions; the network side is in
//! `broadcast.rs`.

use cosmos_sdk_proto::Any;
use cosmos_sdk_proto::cosmos::bank::v1beta1::{Input, MsgMultiSend, MsgSend, Output};
use cosmos_sdk_proto::cosmos::crypto::secp256k1::PubKey;
use cosmos_sdk_proto::cosmos::tx::signing::v1beta1::SignMode;
use cosmos_sdk_proto::cosmos::tx::v1beta1::{
    AuthInfo, Fee, ModeInfo, SignDoc, SignerInfo, TxBody, TxRaw, mode_info,
};
use prost::Message;
use sha2::{Digest, Sha256};

use crate::coins::Coin;
use crate::error::{CliError, Result};

pub const MSG_SEND_TYPE_URL: &str = "/cosmos.bank.v1beta1.MsgSend";
pub const MSG_MULTI_SEND_TYPE_URL: &str = "/cosmos.bank.v1beta1.MsgMultiSend";
pub const SECP256K1_PUBKEY_TYPE_URL: &str = "/cosmos.crypto.secp256k1.PubKey";

/// Who signs, for which chain: the fields SIGN_MODE_DIRECT commits to.
#[derive(Debug, Clone)]
pub struct SignerData {
    pub chain_id: String,
    pub account_number: u64,
    pub sequence: u64,
}

#[derive(Debug, Clone)]
pub struct FeeSpec {
    pub amount: Vec<Coin>,
    pub gas_limit: u64,
}

pub fn msg_send(from: &str, to: &str, amount: &[Coin]) -> Any {
    let msg = MsgSend {
        from_address: from.to_string(),
        to_address: to.to_string(),
        amount: amount.iter().map(Into::into).collect(),
    };
    Any {
        type_url: MSG_SEND_TYPE_URL.into(),
        value: msg.encode_to_vec(),
    }
}

/// The per-recipient coins of a multi-send: `amount` to each recipient, or
/// with `split` `amount` divided equally (integer division, as the SDK does;
/// a denom that would give a recipient nothing is an error).
pub fn multi_send_share(amount: &[Coin], recipients: usize, split: bool) -> Result<Vec<Coin>> {
    if recipients == 0 {
        return Err(CliError::TxBuild(
            "multi-send needs at least one recipient".into(),
        ));
    }
    if !split {
        return Ok(amount.to_vec());
    }
    amount
        .iter()
        .map(|c| {
            let each = c.amount / recipients as u128;
            if each == 0 {
                return Err(CliError::BadCoin {
                    input: c.to_string(),
                    reason: format!("too small to split among {recipients} recipients"),
                });
            }
            Ok(Coin {
                amount: each,
                denom: c.denom.clone(),
            })
        })
        .collect()
}

/// One input (the sender, paying the sum) and one output per recipient.
pub fn msg_multi_send(from: &str, recipients: &[String], share: &[Coin]) -> Result<Any> {
    let n = recipients.len() as u128;
    let total: Vec<Coin> = share
        .iter()
        .map(|c| {
            c.amount
                .checked_mul(n)
                .map(|amount| Coin {
                    amount,
                    denom: c.denom.clone(),
                })
                .ok_or_else(|| CliError::BadCoin {
                    input: c.to_string(),
                    reason: "total overflows".into(),
                })
        })
        .collect::<Result<_>>()?;
    let msg = MsgMultiSend {
        inputs: vec![Input {
            address: from.to_string(),
            coins: total.iter().map(Into::into).collect(),
        }],
        outputs: recipients
            .iter()
            .map(|to| Output {
                address: to.clone(),
                coins: share.iter().map(Into::into).collect(),
            })
            .collect(),
    };
    Ok(Any {
        type_url: MSG_MULTI_SEND_TYPE_URL.into(),
        value: msg.encode_to_vec(),
    })
}

fn body_bytes(msgs: Vec<Any>, memo: &str, timeout_height: u64) -> Vec<u8> {
    TxBody {
        messages: msgs,
        memo: memo.to_string(),
        timeout_height,
        extension_options: vec![],
        non_critical_extension_options: vec![],
    }
    .encode_to_vec()
}

fn pubkey_any(pubkey: &[u8; 33]) -> Any {
    Any {
        type_url: SECP256K1_PUBKEY_TYPE_URL.into(),
        value: PubKey {
            key: pubkey.to_vec(),
        }
        .encode_to_vec(),
    }
}

#[allow(deprecated)] // `tip` is deprecated in the SDK; left empty.
fn auth_info_bytes(pubkey: &[u8; 33], sequence: u64, fee: &FeeSpec, mode: SignMode) -> Vec<u8> {
    AuthInfo {
        signer_infos: vec![SignerInfo {
            public_key: Some(pubkey_any(pubkey)),
            mode_info: Some(ModeInfo {
                sum: Some(mode_info::Sum::Single(mode_info::Single {
                    mode: mode as i32,
                })),
            }),
            sequence,
        }],
        fee: Some(Fee {
            amount: fee.amount.iter().map(Into::into).collect(),
            gas_limit: fee.gas_limit,
            payer: String::new(),
            granter: String::new(),
        }),
        tip: None,
    }
    .encode_to_vec()
}

/// The exact bytes SIGN_MODE_DIRECT signs.
pub fn sign_doc_bytes(
    body_bytes: &[u8],
    auth_info_bytes: &[u8],
    chain_id: &str,
    account_number: u64,
) -> Vec<u8> {
    SignDoc {
        body_bytes: body_bytes.to_vec(),
        auth_info_bytes: auth_info_bytes.to_vec(),
        chain_id: chain_id.to_string(),
        account_number,
    }
    .encode_to_vec()
}

/// Builds and signs a single-signer transaction; returns the `TxRaw` bytes.
pub fn sign_direct(
    private_key: &[u8; 32],
    msgs: Vec<Any>,
    memo: &str,
    timeout_height: u64,
    signer: &SignerData,
    fee: &FeeSpec,
) -> Result<Vec<u8>> {
    let key = cosmrs::crypto::secp256k1::SigningKey::from_slice(private_key)
        .map_err(|e| CliError::TxBuild(format!("invalid private key: {e}")))?;
    let pubkey: [u8; 33] = key
        .public_key()
        .to_bytes()
        .try_into()
        .map_err(|_| CliError::TxBuild("unexpected public key size".into()))?;
    let body = body_bytes(msgs, memo, timeout_height);
    let auth_info = auth_info_bytes(&pubkey, signer.sequence, fee, SignMode::Direct);
    let doc = sign_doc_bytes(&body, &auth_info, &signer.chain_id, signer.account_number);
    // k256 hashes with SHA-256 and returns a low-S signature, as the chain requires.
    let sig = key
        .sign(&doc)
        .map_err(|e| CliError::TxBuild(format!("signing failed: {e}")))?;
    Ok(TxRaw {
        body_bytes: body,
        auth_info_bytes: auth_info,
        signatures: vec![sig.to_bytes().to_vec()],
    }
    .encode_to_vec())
}

/// Gas limit written into a simulated transaction. Nodes meter simulations
/// with an unlimited gas meter, but some validate the tx first and refuse a
/// zero limit; a generous positive one passes both kinds.
pub const SIMULATION_GAS_LIMIT: u64 = 100_000_000;

/// The transaction `Simulate` gets for gas estimation: public key and
/// sequence set, SIGN_MODE_DIRECT, an empty signature (simulation skips
/// signature checks), and `fee` (see [`simulation_fee`]).
pub fn simulation_tx(
    pubkey: &[u8; 33],
    msgs: Vec<Any>,
    memo: &str,
    timeout_height: u64,
    sequence: u64,
    fee: Vec<Coin>,
) -> Vec<u8> {
    let fee = FeeSpec {
        amount: fee,
        gas_limit: SIMULATION_GAS_LIMIT,
    };
    TxRaw {
        body_bytes: body_bytes(msgs, memo, timeout_height),
        auth_info_bytes: auth_info_bytes(pubkey, sequence, &fee, SignMode::Direct),
        signatures: vec![vec![]],
    }
    .encode_to_vec()
}

/// CometBFT's transaction hash: upper-case hex SHA-256 of the bytes.
pub fn tx_hash(tx_bytes: &[u8]) -> String {
    hex::encode_upper(Sha256::digest(tx_bytes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{coins, hd};
    use k256::ecdsa::signature::Verifier;
    use k256::ecdsa::{Signature, VerifyingKey};

    fn key() -> [u8; 32] {
        let m = hd::parse_mnemonic(
            "enlist hip relief stomach skate base shallow young switch frequent cry park",
        )
        .unwrap();
        *hd::derive_private_key(&m, &hd::hd_path(0, 0)).unwrap()
    }

    #[test]
    fn signed_tx_decodes_and_verifies_over_sign_doc() {
        let sk = key();
        let pk = hd::public_key(&sk).unwrap();
        let from = hd::account_address(&pk);
        let to = hd::account_address(&hd::public_key(&[9u8; 32]).unwrap());
        let amount = coins::parse_coins("1000uvvv", false).unwrap();
        let fee = FeeSpec {
            amount: coins::parse_coins("500uvvv", false).unwrap(),
            gas_limit: 123_456,
        };
        let signer = SignerData {
            chain_id: "venice-test-1".into(),
            account_number: 7,
            sequence: 3,
        };
        let sign = || {
            sign_direct(
                &sk,
                vec![msg_send(&from, &to, &amount)],
                "hi",
                99,
                &signer,
                &fee,
            )
            .unwrap()
        };
        let bytes = sign();

        let raw = TxRaw::decode(bytes.as_slice()).unwrap();
        let body = TxBody::decode(raw.body_bytes.as_slice()).unwrap();
        assert_eq!(body.memo, "hi");
        assert_eq!(body.timeout_height, 99);
        assert_eq!(body.messages.len(), 1);
        assert_eq!(body.messages[0].type_url, MSG_SEND_TYPE_URL);
        let msg = MsgSend::decode(body.messages[0].value.as_slice()).unwrap();
        assert_eq!(
            (msg.from_address.as_str(), msg.to_address.as_str()),
            (from.as_str(), to.as_str())
        );
        assert_eq!(msg.amount[0].amount, "1000");
        assert_eq!(msg.amount[0].denom, "uvvv");

        let auth = AuthInfo::decode(raw.auth_info_bytes.as_slice()).unwrap();
        let f = auth.fee.unwrap();
        assert_eq!(f.gas_limit, 123_456);
        assert_eq!(
            (f.amount[0].amount.as_str(), f.amount[0].denom.as_str()),
            ("500", "uvvv")
        );
        let si = &auth.signer_infos[0];
        assert_eq!(si.sequence, 3);
        let pk_any = si.public_key.as_ref().unwrap();
        assert_eq!(pk_any.type_url, SECP256K1_PUBKEY_TYPE_URL);
        assert_eq!(
            PubKey::decode(pk_any.value.as_slice()).unwrap().key,
            pk.to_vec()
        );
        assert_eq!(
            si.mode_info.as_ref().unwrap().sum,
            Some(mode_info::Sum::Single(mode_info::Single {
                mode: SignMode::Direct as i32
            }))
        );

        // The signature verifies over the SignDoc with this chain-id and
        // account number, and not with others.
        assert_eq!(raw.signatures.len(), 1);
        let sig = Signature::from_slice(&raw.signatures[0]).unwrap();
        assert!(sig.normalize_s().is_none(), "signature must be low-S");
        let vk = VerifyingKey::from_sec1_bytes(&pk).unwrap();
        let doc = sign_doc_bytes(&raw.body_bytes, &raw.auth_info_bytes, "venice-test-1", 7);
        vk.verify(&doc, &sig).unwrap();
        let wrong_chain = sign_doc_bytes(&raw.body_bytes, &raw.auth_info_bytes, "venice-test-2", 7);
        assert!(vk.verify(&wrong_chain, &sig).is_err());
        let wrong_acc = sign_doc_bytes(&raw.body_bytes, &raw.auth_info_bytes, "venice-test-1", 8);
        assert!(vk.verify(&wrong_acc, &sig).is_err());

        // Deterministic (RFC 6979): same inputs, same bytes, same hash.
        assert_eq!(bytes, sign());
        assert_eq!(tx_hash(&bytes).len(), 64);
        assert_eq!(tx_hash(&bytes), tx_hash(&bytes).to_uppercase());
    }

    #[test]
    fn simulation_tx_shape() {
        let pk = hd::public_key(&key()).unwrap();
        let bytes = simulation_tx(&pk, vec![msg_send("a", "b", &[])], "", 0, 5, vec![]);
        let raw = TxRaw::decode(bytes.as_slice()).unwrap();
        assert_eq!(raw.signatures, vec![Vec::<u8>::new()]);
        let auth = AuthInfo::decode(raw.auth_info_bytes.as_slice()).unwrap();
        assert_eq!(auth.signer_infos[0].sequence, 5);
        let fee = auth.fee.unwrap();
        assert_eq!(fee.gas_limit, SIMULATION_GAS_LIMIT);
        assert!(fee.amount.is_empty());
    }

    #[test]
    fn multi_send_message() {
        let amount = coins::parse_coins("10uvvv,3ufoo", false).unwrap();
        let to = vec!["venice1a".to_string(), "venice1b".to_string()];
        let share = multi_send_share(&amount, 2, false).unwrap();
        let any = msg_multi_send("venice1from", &to, &share).unwrap();
        assert_eq!(any.type_url, MSG_MULTI_SEND_TYPE_URL);
        let m = MsgMultiSend::decode(any.value.as_slice()).unwrap();
        assert_eq!(m.inputs.len(), 1);
        let total: Vec<_> = m.inputs[0]
            .coins
            .iter()
            .map(|c| format!("{}{}", c.amount, c.denom))
            .collect();
        assert_eq!(total, ["6ufoo", "20uvvv"]);
        assert_eq!(m.outputs.len(), 2);
        assert_eq!(m.outputs[1].address, "venice1b");
        assert_eq!(m.outputs[1].coins[1].amount, "10");
        // --split: 10 among 3 is 3 each (9 sent), 3ufoo among 4 is refused.
        let split =
            multi_send_share(&coins::parse_coins("10uvvv", false).unwrap(), 3, true).unwrap();
        assert_eq!(coins::coins_to_string(&split), "3uvvv");
        assert!(multi_send_share(&coins::parse_coins("3ufoo", false).unwrap(), 4, true).is_err());
        assert!(multi_send_share(&amount, 0, false).is_err());
        let huge =
            coins::parse_coins("340282366920938463463374607431768211455uvvv", false).unwrap();
        assert!(msg_multi_send("a", &to, &huge).is_err());
    }
}
