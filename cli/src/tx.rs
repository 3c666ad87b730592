//! Transaction building and signing (Cosmos SDK `TxRaw`, SIGN_MODE_DIRECT,
//! secp256k1) and the `tx bank send` flow: account lookup, gas estimation,
//! fee, signing, broadcast, waiting for inclusion.

use std::time::Duration;

use cosmos_sdk_proto::Any;
use cosmos_sdk_proto::cosmos::bank::v1beta1::{Input, MsgMultiSend, MsgSend, Output};
use cosmos_sdk_proto::cosmos::crypto::secp256k1::PubKey;
use cosmos_sdk_proto::cosmos::tx::signing::v1beta1::SignMode;
use cosmos_sdk_proto::cosmos::tx::v1beta1::{
    AuthInfo, Fee, ModeInfo, SignDoc, SignerInfo, SimulateRequest, SimulateResponse, TxBody, TxRaw,
    mode_info,
};
use prost::Message;
use sha2::{Digest, Sha256};

use crate::coins::{self, Coin, Dec, DecCoin};
use crate::error::{CliError, Result};
use crate::keyring::Keyring;
use crate::output::TxResponse;
use crate::rpc::Node;
use crate::{hd, input, query};

pub const MSG_SEND_TYPE_URL: &str = "/cosmos.bank.v1beta1.MsgSend";
pub const MSG_MULTI_SEND_TYPE_URL: &str = "/cosmos.bank.v1beta1.MsgMultiSend";
pub const SECP256K1_PUBKEY_TYPE_URL: &str = "/cosmos.crypto.secp256k1.PubKey";
pub const SIMULATE_PATH: &str = "/cosmos.tx.v1beta1.Service/Simulate";
pub const DEFAULT_GAS: u64 = 200_000;

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

/// Gas used by a simulated transaction.
pub async fn simulate(node: &Node, tx_bytes: Vec<u8>) -> Result<u64> {
    #[allow(deprecated)] // `tx` is the deprecated field; we fill `tx_bytes`.
    let req = SimulateRequest { tx: None, tx_bytes };
    let res: SimulateResponse =
        node.query(SIMULATE_PATH, &req, None)
            .await
            .map_err(|e| match e {
                CliError::QueryFailed {
                    code,
                    codespace,
                    log,
                    ..
                } => CliError::Simulate {
                    code,
                    codespace,
                    log,
                },
                other => other,
            })?;
    let gas = res
        .gas_info
        .ok_or_else(|| CliError::decode("simulation response", "no gas_info"))?;
    Ok(gas.gas_used)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gas {
    Auto,
    Fixed(u64),
}

impl std::fmt::Display for Gas {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Gas::Auto => f.write_str("auto"),
            Gas::Fixed(n) => write!(f, "{n}"),
        }
    }
}

impl std::str::FromStr for Gas {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        if s == "auto" {
            return Ok(Gas::Auto);
        }
        s.parse::<u64>()
            .map(Gas::Fixed)
            .map_err(|_| format!("{s:?} is neither a number nor \"auto\""))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum BroadcastMode {
    /// Return after CheckTx (then wait for inclusion unless --no-wait).
    Sync,
    /// Return after the transaction is in a block (broadcast_tx_commit).
    Block,
    /// Return at once, before CheckTx (broadcast_tx_async); never waits.
    Async,
}

/// Everything `tx` commands share (the SDK's tx flags).
#[derive(Debug, Clone)]
pub struct TxOptions {
    pub chain_id: Option<String>,
    pub fees: Option<Vec<Coin>>,
    pub gas: Gas,
    pub gas_adjustment: Dec,
    pub gas_prices: Option<Vec<DecCoin>>,
    pub memo: String,
    pub timeout_height: u64,
    pub sequence: Option<u64>,
    pub account_number: Option<u64>,
    pub broadcast_mode: BroadcastMode,
    pub wait: bool,
    pub wait_timeout: Duration,
    pub yes: bool,
}

/// Result of a broadcast: the response to print, and the error (CheckTx or
/// DeliverTx failure) that makes the command exit non-zero after printing it.
pub struct TxOutcome {
    pub response: TxResponse,
    pub error: Option<CliError>,
}

/// The fee a simulation carries. Paying a fee costs gas (the transfer to the
/// fee collector), so a fee-less simulation underestimates; the amount does
/// not matter, so with `--gas-prices` one unit of each priced denom stands
/// in for the fee that depends on the gas being estimated.
pub fn simulation_fee(opts: &TxOptions) -> Vec<Coin> {
    if let Some(fees) = &opts.fees {
        return fees.clone();
    }
    opts.gas_prices
        .iter()
        .flatten()
        .filter(|p| !p.amount.is_zero())
        .map(|p| Coin {
            amount: 1,
            denom: p.denom.clone(),
        })
        .collect()
}

/// Fee per the flags: explicit `--fees`, else `--gas-prices` × gas, else none.
pub fn compute_fee(opts: &TxOptions, gas_limit: u64) -> Result<Vec<Coin>> {
    if let Some(fees) = &opts.fees {
        return Ok(fees.clone());
    }
    match &opts.gas_prices {
        Some(prices) => coins::fee_from_gas_prices(gas_limit, prices),
        None => Ok(vec![]),
    }
}

/// `tx bank send FROM TO AMOUNT`.
pub async fn bank_send(
    node: &Node,
    keyring: &Keyring,
    from: &str,
    to: &str,
    amount: &[Coin],
    opts: &TxOptions,
) -> Result<TxOutcome> {
    hd::parse_address(to)?;
    let key = keyring.get(from)?;
    let msgs = vec![msg_send(&key.address, to, amount)];
    sign_and_broadcast(node, keyring, &key, msgs, opts).await
}

/// `tx bank multi-send FROM TO... AMOUNT [--split]`.
pub async fn bank_multi_send(
    node: &Node,
    keyring: &Keyring,
    from: &str,
    recipients: &[String],
    amount: &[Coin],
    split: bool,
    opts: &TxOptions,
) -> Result<TxOutcome> {
    for to in recipients {
        hd::parse_address(to)?;
    }
    let share = multi_send_share(amount, recipients.len(), split)?;
    let key = keyring.get(from)?;
    let msgs = vec![msg_multi_send(&key.address, recipients, &share)?];
    sign_and_broadcast(node, keyring, &key, msgs, opts).await
}

/// Shared tail of every tx command.
pub async fn sign_and_broadcast(
    node: &Node,
    keyring: &Keyring,
    key: &crate::keyring::KeyRecord,
    msgs: Vec<Any>,
    opts: &TxOptions,
) -> Result<TxOutcome> {
    let pubkey = key.pubkey_bytes()?;
    let chain_id = match &opts.chain_id {
        Some(c) => c.clone(),
        None => node.chain_id().await?,
    };
    let (account_number, sequence) = match (opts.account_number, opts.sequence) {
        (Some(a), Some(s)) => (a, s),
        (a, s) => {
            let acc = query::fetch_account(node, &key.address, None).await?;
            (a.unwrap_or(acc.account_number), s.unwrap_or(acc.sequence))
        }
    };
    let gas_limit = match opts.gas {
        Gas::Fixed(g) => g,
        Gas::Auto => {
            let sim = simulation_tx(
                &pubkey,
                msgs.clone(),
                &opts.memo,
                opts.timeout_height,
                sequence,
                simulation_fee(opts),
            );
            let used = simulate(node, sim).await?;
            let limit = coins::adjusted_gas(used, opts.gas_adjustment)?;
            eprintln!(
                "gas estimate: {limit} (simulated {used} x {})",
                opts.gas_adjustment
            );
            limit
        }
    };
    let fee = FeeSpec {
        amount: compute_fee(opts, gas_limit)?,
        gas_limit,
    };
    // Asked only at a terminal: scripts (stdin not a TTY) proceed, as with --yes.
    if !opts.yes && input::stdin_is_tty() {
        eprintln!(
            "from {} ({}) on chain {chain_id}: {} message(s), gas {gas_limit}, fee {}, account {account_number}, sequence {sequence}",
            key.name,
            key.address,
            msgs.len(),
            if fee.amount.is_empty() {
                "none".into()
            } else {
                coins::coins_to_string(&fee.amount)
            },
        );
        if !input::confirm("confirm transaction before signing and broadcasting")? {
            return Err(CliError::Aborted);
        }
    }
    let passphrase = if keyring.needs_passphrase() {
        Some(input::passphrase(false)?)
    } else {
        None
    };
    let private_key = keyring.private_key(key, passphrase.as_deref().map(String::as_str))?;
    let signer = SignerData {
        chain_id,
        account_number,
        sequence,
    };
    let tx_bytes = sign_direct(
        &private_key,
        msgs,
        &opts.memo,
        opts.timeout_height,
        &signer,
        &fee,
    )?;
    broadcast(node, tx_bytes, opts).await
}

/// Broadcasts signed bytes per `--broadcast-mode` and `--no-wait`.
pub async fn broadcast(node: &Node, tx_bytes: Vec<u8>, opts: &TxOptions) -> Result<TxOutcome> {
    let hash = tx_hash(&tx_bytes);
    match opts.broadcast_mode {
        BroadcastMode::Block => {
            let res = node.broadcast_commit(tx_bytes.clone()).await?;
            if res.check_tx.code.is_err() {
                let response = TxResponse::from_check_tx(&hash, &res.check_tx);
                let error = check_tx_error(&response);
                return Ok(TxOutcome {
                    response,
                    error: Some(error),
                });
            }
            let timestamp = node
                .block_time(res.height.value())
                .await
                .unwrap_or_default();
            let response = TxResponse::from_exec(
                &hash,
                res.height.value(),
                &res.tx_result,
                &tx_bytes,
                timestamp,
            );
            Ok(finish(response))
        }
        BroadcastMode::Async => {
            let hash = node.broadcast_async(tx_bytes).await?;
            Ok(TxOutcome {
                response: TxResponse::pending(&hash.to_string()),
                error: None,
            })
        }
        BroadcastMode::Sync => {
            let res = node.broadcast_sync(tx_bytes).await?;
            let response = TxResponse::from_sync(&res);
            if res.code.is_err() {
                let error = check_tx_error(&response);
                return Ok(TxOutcome {
                    response,
                    error: Some(error),
                });
            }
            if !opts.wait {
                return Ok(TxOutcome {
                    response,
                    error: None,
                });
            }
            let included = node.wait_for_tx(res.hash, opts.wait_timeout).await?;
            let timestamp = node
                .block_time(included.height.value())
                .await
                .unwrap_or_default();
            let response = TxResponse::from_tx_query(&included, timestamp);
            Ok(finish(response))
        }
    }
}

fn check_tx_error(r: &TxResponse) -> CliError {
    CliError::CheckTx {
        hash: r.txhash.clone(),
        code: r.code,
        codespace: r.codespace.clone(),
        log: r.raw_log.clone(),
    }
}

/// A transaction in a block: code != 0 means its messages failed (fee and
/// sequence were still charged).
fn finish(response: TxResponse) -> TxOutcome {
    let error = (response.code != 0).then(|| CliError::DeliverTx {
        hash: response.txhash.clone(),
        height: response.height.parse().unwrap_or(0),
        code: response.code,
        codespace: response.codespace.clone(),
        log: response.raw_log.clone(),
    });
    TxOutcome { response, error }
}

#[cfg(test)]
mod tests {
    use super::*;
    use k256::ecdsa::signature::Verifier;
    use k256::ecdsa::{Signature, VerifyingKey};

    fn key() -> [u8; 32] {
        let m = hd::parse_mnemonic(
            "enlist hip relief stomach skate base shallow young switch frequent cry park",
        )
        .unwrap();
        *hd::derive_private_key(&m, &hd::hd_path(0, 0)).unwrap()
    }

    fn opts() -> TxOptions {
        TxOptions {
            chain_id: None,
            fees: None,
            gas: Gas::Fixed(DEFAULT_GAS),
            gas_adjustment: Dec::parse("1.3").unwrap(),
            gas_prices: None,
            memo: String::new(),
            timeout_height: 0,
            sequence: None,
            account_number: None,
            broadcast_mode: BroadcastMode::Sync,
            wait: true,
            wait_timeout: Duration::from_secs(20),
            yes: true,
        }
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
        let bytes = sign_direct(
            &sk,
            vec![msg_send(&from, &to, &amount)],
            "hi",
            99,
            &signer,
            &fee,
        )
        .unwrap();

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
        let again = sign_direct(
            &sk,
            vec![msg_send(&from, &to, &amount)],
            "hi",
            99,
            &signer,
            &fee,
        )
        .unwrap();
        assert_eq!(bytes, again);
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
    fn fee_selection() {
        let mut o = opts();
        assert_eq!(compute_fee(&o, 200_000).unwrap(), vec![]);
        o.gas_prices = Some(coins::parse_dec_coins("0.025uvvv").unwrap());
        assert_eq!(
            coins::coins_to_string(&compute_fee(&o, 200_000).unwrap()),
            "5000uvvv"
        );
        assert_eq!(
            coins::coins_to_string(&compute_fee(&o, 130_001).unwrap()),
            "3251uvvv"
        );
        o.fees = Some(coins::parse_coins("42uvvv", false).unwrap());
        assert_eq!(
            coins::coins_to_string(&compute_fee(&o, 200_000).unwrap()),
            "42uvvv"
        );
    }

    #[test]
    fn simulation_carries_a_stand_in_fee() {
        let mut o = opts();
        assert!(simulation_fee(&o).is_empty());
        o.gas_prices = Some(coins::parse_dec_coins("0.025uvvv,0ufree").unwrap());
        assert_eq!(coins::coins_to_string(&simulation_fee(&o)), "1uvvv");
        o.gas_prices = None;
        o.fees = Some(coins::parse_coins("5000uvvv", false).unwrap());
        assert_eq!(coins::coins_to_string(&simulation_fee(&o)), "5000uvvv");
        let pk = hd::public_key(&key()).unwrap();
        let bytes = simulation_tx(&pk, vec![], "", 0, 0, simulation_fee(&o));
        let raw = TxRaw::decode(bytes.as_slice()).unwrap();
        let fee = AuthInfo::decode(raw.auth_info_bytes.as_slice())
            .unwrap()
            .fee
            .unwrap();
        assert_eq!(
            (fee.amount[0].amount.as_str(), fee.amount[0].denom.as_str()),
            ("5000", "uvvv")
        );
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

    #[test]
    fn gas_flag() {
        assert_eq!("auto".parse::<Gas>().unwrap(), Gas::Auto);
        assert_eq!("150000".parse::<Gas>().unwrap(), Gas::Fixed(150_000));
        assert!("lots".parse::<Gas>().is_err());
    }
}
