//! The flow every `tx` command shares, as the SDK CLI does it: chain id and
//! account from the node, gas (fixed or simulated), fee, confirmation,
//! signing with the keyring, broadcast, and waiting for the block.

use std::time::Duration;

use cosmos_sdk_proto::Any;
use cosmos_sdk_proto::cosmos::tx::signing::v1beta1::SignMode;
use cosmos_sdk_proto::cosmos::tx::v1beta1::{SimulateRequest, SimulateResponse, TxBody};

use venice_types::coin_text::{coins_to_string, fee_from_gas_prices};
use venice_types::tx::{FeeSpec, SignerData, signer_info, simulation_tx, single_mode, tx_hash};
use venice_types::{Coin, Dec, DecCoin, PubKey, paths};

use crate::error::{CliError, Result};
use crate::input;
use crate::keyring::Keyring;
use crate::modules::auth;
use crate::output::TxResponse;
use crate::rpc::Node;
use crate::txfile::TxFile;

pub const DEFAULT_GAS: u64 = 200_000;

/// Gas used by a simulated transaction.
pub async fn simulate(node: &Node, tx_bytes: Vec<u8>) -> Result<u64> {
    #[allow(deprecated)] // `tx` is the deprecated field; we fill `tx_bytes`.
    let req = SimulateRequest { tx: None, tx_bytes };
    let res: SimulateResponse = node.query(paths::SIMULATE, &req, None).await.map_err(|e| match e {
        CliError::QueryFailed { code, codespace, log, .. } => CliError::Simulate { code, codespace, log },
        other => other,
    })?;
    let gas = res.gas_info.ok_or_else(|| CliError::decode("simulation response", "no gas_info"))?;
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
        s.parse::<u64>().map(Gas::Fixed).map_err(|_| format!("{s:?} is neither a number nor \"auto\""))
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
    pub sign_mode: SignModeArg,
    /// Print the unsigned tx as JSON instead of signing and broadcasting.
    pub generate_only: bool,
}

/// `--sign-mode`: how the signer signs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum SignModeArg {
    /// SIGN_MODE_DIRECT: the protobuf SignDoc
    #[default]
    Direct,
    /// SIGN_MODE_LEGACY_AMINO_JSON: the sorted JSON StdSignDoc (Ledger, Keplr's amino signer)
    AminoJson,
}

impl SignModeArg {
    pub fn proto(self) -> SignMode {
        match self {
            SignModeArg::Direct => SignMode::Direct,
            SignModeArg::AminoJson => SignMode::LegacyAminoJson,
        }
    }
}

#[cfg(test)]
impl TxOptions {
    /// The CLI's defaults with `--yes`, waiting at most `wait_timeout`.
    pub(crate) fn for_tests(wait_timeout: Duration) -> Self {
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
            wait_timeout,
            yes: true,
            sign_mode: SignModeArg::Direct,
            generate_only: false,
        }
    }
}

/// Result of a broadcast: the response to print, and the error (CheckTx or
/// DeliverTx failure) that makes the command exit non-zero after printing it.
pub struct TxOutcome {
    pub response: TxResponse,
    pub error: Option<CliError>,
    /// With `--generate-only`: the unsigned tx, printed instead of a response.
    pub generated: Option<serde_json::Value>,
}

/// The fee a simulation carries. Paying a fee costs gas (the transfer to the
/// fee collector), so a fee-less simulation underestimates; the amount does
/// not matter, so with `--gas-prices` one unit of each priced denom stands
/// in for the fee that depends on the gas being estimated.
pub fn simulation_fee(opts: &TxOptions) -> Vec<Coin> {
    if let Some(fees) = &opts.fees {
        return fees.clone();
    }
    opts.gas_prices.iter().flatten().filter(|p| !p.amount().is_zero()).map(|p| Coin { amount: 1, denom: p.denom.clone() }).collect()
}

/// Fee per the flags: explicit `--fees`, else `--gas-prices` × gas, else none.
pub fn compute_fee(opts: &TxOptions, gas_limit: u64) -> Result<Vec<Coin>> {
    if let Some(fees) = &opts.fees {
        return Ok(fees.clone());
    }
    match &opts.gas_prices {
        Some(prices) => Ok(fee_from_gas_prices(gas_limit, prices)?),
        None => Ok(vec![]),
    }
}

/// Gas limit from a simulation: `ceil(gas_used * adjustment)`.
pub fn adjusted_gas(gas_used: u64, adjustment: Dec) -> Result<u64> {
    adjustment
        .mul_ceil(u128::from(gas_used))
        .and_then(|g| u64::try_from(g).ok())
        .ok_or_else(|| CliError::BadFlag { flag: "--gas-adjustment", reason: "gas limit overflows".into() })
}

/// A low-S secp256k1 signature over sha256(`bytes`) with a keyring key.
pub fn sign_bytes(private_key: &[u8; 32], bytes: &[u8]) -> Result<Vec<u8>> {
    let key = cosmrs::crypto::secp256k1::SigningKey::from_slice(private_key)
        .map_err(|e| CliError::TxBuild(format!("invalid private key: {e}")))?;
    // k256 hashes with SHA-256 and returns a low-S signature, as the chain requires.
    key.sign(bytes).map(|sig| sig.to_bytes().to_vec()).map_err(|e| CliError::TxBuild(format!("signing failed: {e}")))
}

/// The bytes a single signer of `tx` signs in `mode`.
pub fn signer_bytes(tx: &TxFile, mode: SignMode, signer: &SignerData) -> Result<Vec<u8>> {
    let (body, auth) = (tx.body_bytes(), tx.auth_info_bytes());
    match mode {
        SignMode::LegacyAminoJson => {
            venice_types::tx::amino_sign_bytes(&body, &auth, &signer.chain_id, signer.account_number, signer.sequence)
                .map_err(|e| CliError::TxBuild(e.to_string()))
        }
        _ => Ok(venice_types::tx::sign_doc_bytes(&body, &auth, &signer.chain_id, signer.account_number)),
    }
}

/// Makes `tx` a single-signer tx of `private_key` in `mode` and signs it.
pub fn sign_single(private_key: &[u8; 32], tx: &mut TxFile, mode: SignMode, signer: &SignerData) -> Result<()> {
    let pubkey = PubKey::Secp256k1(crate::hd::public_key(private_key)?.to_vec());
    tx.auth_info.signer_infos = vec![signer_info(Some(&pubkey), signer.sequence, single_mode(mode))];
    let bytes = signer_bytes(tx, mode, signer)?;
    tx.signatures = vec![sign_bytes(private_key, &bytes)?];
    Ok(())
}

/// The unsigned tx of `msgs` with `fee` (no signer infos, as the SDK's
/// `--generate-only` writes it).
pub fn unsigned_tx(msgs: Vec<Any>, opts: &TxOptions, fee: &FeeSpec) -> TxFile {
    TxFile {
        body: TxBody { messages: msgs, memo: opts.memo.clone(), timeout_height: opts.timeout_height, ..Default::default() },
        auth_info: venice_types::tx::auth_info(vec![], fee),
        signatures: vec![],
    }
}

/// Shared tail of every tx command.
pub async fn sign_and_broadcast(
    node: &Node,
    keyring: &Keyring,
    key: &crate::keyring::KeyRecord,
    msgs: Vec<Any>,
    opts: &TxOptions,
) -> Result<TxOutcome> {
    if opts.generate_only {
        let Gas::Fixed(gas_limit) = opts.gas else {
            return Err(CliError::BadFlag { flag: "--gas", reason: "give a fixed gas limit with --generate-only".into() });
        };
        let fee = FeeSpec { amount: compute_fee(opts, gas_limit)?, gas_limit };
        let generated = Some(unsigned_tx(msgs, opts, &fee).to_json());
        return Ok(TxOutcome { response: TxResponse::pending(""), error: None, generated });
    }
    let pubkey = key.pubkey_bytes()?;
    let chain_id = match &opts.chain_id {
        Some(c) => c.clone(),
        None => node.chain_id().await?,
    };
    let (account_number, sequence) = match (opts.account_number, opts.sequence) {
        (Some(a), Some(s)) => (a, s),
        (a, s) => {
            let acc = auth::fetch_account(node, &key.address, None).await?;
            (a.unwrap_or(acc.account_number), s.unwrap_or(acc.sequence))
        }
    };
    let gas_limit = match opts.gas {
        Gas::Fixed(g) => g,
        Gas::Auto => {
            let sim = simulation_tx(&pubkey, msgs.clone(), &opts.memo, opts.timeout_height, sequence, simulation_fee(opts));
            let used = simulate(node, sim).await?;
            let limit = adjusted_gas(used, opts.gas_adjustment)?;
            eprintln!("gas estimate: {limit} (simulated {used} x {})", opts.gas_adjustment);
            limit
        }
    };
    let fee = FeeSpec { amount: compute_fee(opts, gas_limit)?, gas_limit };
    // Asked only at a terminal: scripts (stdin not a TTY) proceed, as with --yes.
    if !opts.yes && input::stdin_is_tty() {
        eprintln!(
            "from {} ({}) on chain {chain_id}: {} message(s), gas {gas_limit}, fee {}, account {account_number}, sequence {sequence}",
            key.name,
            key.address,
            msgs.len(),
            if fee.amount.is_empty() { "none".into() } else { coins_to_string(&fee.amount) },
        );
        if !input::confirm("confirm transaction before signing and broadcasting")? {
            return Err(CliError::Aborted);
        }
    }
    let passphrase = if keyring.needs_passphrase() { Some(input::passphrase(false)?) } else { None };
    let private_key = keyring.private_key(key, passphrase.as_deref().map(String::as_str))?;
    let signer = SignerData { chain_id, account_number, sequence };
    let mut tx = unsigned_tx(msgs, opts, &fee);
    sign_single(&private_key, &mut tx, opts.sign_mode.proto(), &signer)?;
    broadcast(node, tx.to_raw_bytes(), opts).await
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
                return Ok(TxOutcome { response, error: Some(error), generated: None });
            }
            let timestamp = node.block_time(res.height.value()).await.unwrap_or_default();
            let response = TxResponse::from_exec(&hash, res.height.value(), &res.tx_result, &tx_bytes, timestamp);
            Ok(finish(response))
        }
        BroadcastMode::Async => {
            let hash = node.broadcast_async(tx_bytes).await?;
            Ok(TxOutcome { response: TxResponse::pending(&hash.to_string()), error: None, generated: None })
        }
        BroadcastMode::Sync => {
            let res = node.broadcast_sync(tx_bytes).await?;
            let response = TxResponse::from_sync(&res);
            if res.code.is_err() {
                let error = check_tx_error(&response);
                return Ok(TxOutcome { response, error: Some(error), generated: None });
            }
            if !opts.wait {
                return Ok(TxOutcome { response, error: None, generated: None });
            }
            let included = node.wait_for_tx(res.hash, opts.wait_timeout).await?;
            let timestamp = node.block_time(included.height.value()).await.unwrap_or_default();
            let response = TxResponse::from_tx_query(&included, timestamp);
            Ok(finish(response))
        }
    }
}

fn check_tx_error(r: &TxResponse) -> CliError {
    CliError::CheckTx { hash: r.txhash.clone(), code: r.code, codespace: r.codespace.clone(), log: r.raw_log.clone() }
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
    TxOutcome { response, error, generated: None }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hd;
    use cosmos_sdk_proto::cosmos::tx::v1beta1::{AuthInfo, TxRaw};
    use prost::Message;
    use venice_types::coin_text::{parse_coins, parse_dec_coins};

    fn key() -> [u8; 32] {
        let m = hd::parse_mnemonic("enlist hip relief stomach skate base shallow young switch frequent cry park").unwrap();
        *hd::derive_private_key(&m, &hd::hd_path(0, 0)).unwrap()
    }

    fn opts() -> TxOptions {
        TxOptions::for_tests(Duration::from_secs(20))
    }

    #[test]
    fn fee_selection() {
        let mut o = opts();
        assert_eq!(compute_fee(&o, 200_000).unwrap(), vec![]);
        o.gas_prices = Some(parse_dec_coins("0.025uvvv").unwrap());
        assert_eq!(coins_to_string(&compute_fee(&o, 200_000).unwrap()), "5000uvvv");
        assert_eq!(coins_to_string(&compute_fee(&o, 130_001).unwrap()), "3251uvvv");
        o.fees = Some(parse_coins("42uvvv", false).unwrap());
        assert_eq!(coins_to_string(&compute_fee(&o, 200_000).unwrap()), "42uvvv");
    }

    #[test]
    fn simulation_carries_a_stand_in_fee() {
        let mut o = opts();
        assert!(simulation_fee(&o).is_empty());
        o.gas_prices = Some(parse_dec_coins("0.025uvvv,0ufree").unwrap());
        assert_eq!(coins_to_string(&simulation_fee(&o)), "1uvvv");
        o.gas_prices = None;
        o.fees = Some(parse_coins("5000uvvv", false).unwrap());
        assert_eq!(coins_to_string(&simulation_fee(&o)), "5000uvvv");
        let pk = hd::public_key(&key()).unwrap();
        let bytes = simulation_tx(&pk, vec![], "", 0, 0, simulation_fee(&o));
        let raw = TxRaw::decode(bytes.as_slice()).unwrap();
        let fee = AuthInfo::decode(raw.auth_info_bytes.as_slice()).unwrap().fee.unwrap();
        assert_eq!((fee.amount[0].amount.as_str(), fee.amount[0].denom.as_str()), ("5000", "uvvv"));
    }

    #[test]
    fn gas_flag() {
        assert_eq!("auto".parse::<Gas>().unwrap(), Gas::Auto);
        assert_eq!("150000".parse::<Gas>().unwrap(), Gas::Fixed(150_000));
        assert!("lots".parse::<Gas>().is_err());
    }

    #[test]
    fn gas_adjustment() {
        let adj = Dec::parse("1.3").unwrap();
        assert_eq!(adjusted_gas(100_000, adj).unwrap(), 130_000);
        assert_eq!(adjusted_gas(1, adj).unwrap(), 2); // 1.3 -> 2
        assert_eq!(adjusted_gas(10, Dec::ONE).unwrap(), 10);
        assert!(adjusted_gas(u64::MAX, Dec::parse("2").unwrap()).is_err());
    }
}
