//! The ante handler: every check a transaction passes before its messages
//! run, in the Cosmos SDK's order. Its writes (fee, sequence, public key) stay
//! even when a message later fails.

use crate::expected_keepers::{BankKeeper, FeePolicy};
use base64::Engine;
use venice_sdk::gas::GasMeter;
use venice_sdk::sigverify::{SignerData, verify_signer};
use venice_sdk::tx::{DecodedTx, PubKey, SignMode, sign_bytes, signer_address, verify_secp256k1};
use venice_sdk::{Address, Coins, Ctx, DecCoin, Error, Result};

use crate::{FEE_COLLECTOR, events, state};

/// How the ante handler runs.
#[derive(Clone, Default)]
pub struct AnteMode<'a> {
    /// Mempool check: enforce the node's minimum gas prices.
    pub check_tx: bool,
    /// Gas estimation: no signature check, unlimited gas.
    pub simulate: bool,
    /// This node's minimum gas prices (empty: accept any fee).
    pub min_gas_prices: &'a [DecCoin],
    /// The chain's consensus fee rules (the fees module); `None`: none.
    pub fee_policy: Option<&'a dyn FeePolicy>,
}

impl std::fmt::Debug for AnteMode<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AnteMode")
            .field("check_tx", &self.check_tx)
            .field("simulate", &self.simulate)
            .field("min_gas_prices", &self.min_gas_prices)
            .field("fee_policy", &self.fee_policy.is_some())
            .finish()
    }
}

/// Signatures already verified off the sequential path: for signer `i`,
/// `Some((pub_key, account_number))` says the signature is valid under that
/// secp256k1 key and account number (the block's chain-id, the tx's
/// declared sequence). Multisig signers are always verified inline.
pub type PreVerified = Vec<Option<(Vec<u8>, u64)>>;

/// A signer's committed account as `preverify` needs it: its known key and
/// account number, or `None` when the account does not exist.
pub type SignerAccount = Option<(Option<PubKey>, u64)>;

/// Size check done on the raw bytes before any decoding.
pub fn check_tx_size(ctx: &mut Ctx, len: usize) -> Result<()> {
    let max = ctx.scoped(state::PREFIX, state::params)?.max_tx_bytes;
    if len as u64 > max {
        return Err(Error::TxTooLarge { size: len, max });
    }
    Ok(())
}

/// Run every ante check for `tx` whose messages must be signed by `signers`
/// (unique, in order of first appearance, as the SDK derives them).
pub fn run(
    ctx: &mut Ctx,
    tx: &DecodedTx,
    signers: &[Address],
    bank: &dyn BankKeeper,
    mode: &AnteMode,
    pre: Option<&PreVerified>,
) -> Result<()> {
    // Every key the ante handler touches is auth's own.
    ctx.scoped(state::PREFIX, |ctx| {
        let params = state::params(ctx)?;
        // Gas: the tx's own limit (unlimited when simulating, as the SDK does).
        ctx.set_gas_meter(if mode.simulate { GasMeter::infinite() } else { GasMeter::new(tx.gas_limit) });

        if tx.messages().len() as u64 > params.max_msgs_per_tx {
            return Err(Error::InvalidRequest(format!("too many messages: {} > {}", tx.messages().len(), params.max_msgs_per_tx)));
        }
        if signers.len() != tx.signers.len() {
            return Err(Error::Unauthorized(format!(
                "invalid number of signer infos; expected {}, got {}",
                signers.len(),
                tx.signers.len()
            )));
        }
        if tx.body.timeout_height != 0 && ctx.info.height > tx.body.timeout_height {
            return Err(Error::TimeoutHeight { current: ctx.info.height, timeout: tx.body.timeout_height });
        }
        let memo_chars = tx.body.memo.chars().count() as u64;
        if memo_chars > params.max_memo_characters {
            return Err(Error::MemoTooLarge { max: params.max_memo_characters, got: memo_chars });
        }
        ctx.consume_gas(params.tx_size_cost_per_byte * tx.size as u64, "txSize")?;
        if mode.simulate {
            // Simulated txs carry empty signatures: charge for real-sized ones.
            ctx.consume_gas(params.tx_size_cost_per_byte * 64 * signers.len() as u64, "txSize")?;
        }

        deduct_fee(ctx, tx, &signers[0], bank, mode)?;

        // As the SDK's ValidateSigCountDecorator: a multisig counts its members.
        let mut sig_count = 0u64;
        for (i, addr) in signers.iter().enumerate() {
            let signer = &tx.signers[i];
            let mut acc = state::get_account(ctx, addr)?.ok_or_else(|| Error::UnknownAddress(addr.to_bech32()))?;
            // The key: the account's, or the one the tx brings (which must hash to the signer).
            let pub_key = match (&acc.pub_key, &signer.pub_key) {
                (Some(known), Some(given)) if known != given => {
                    return Err(Error::InvalidPubKey(format!("pubKey does not match signer address {addr}")));
                }
                (Some(known), _) => Some(known.clone()),
                (None, Some(given)) => {
                    if &given.address() != addr {
                        return Err(Error::InvalidPubKey(format!("pubKey does not match signer address {addr}")));
                    }
                    acc.pub_key = Some(given.clone());
                    Some(given.clone())
                }
                (None, None) => {
                    if !mode.simulate {
                        return Err(Error::InvalidPubKey(format!("pubkey on account {addr} is not set and the tx does not carry one")));
                    }
                    None
                }
            };
            sig_count += pub_key.as_ref().map_or(1, |k| k.sub_key_count() as u64);
            if sig_count > params.tx_sig_limit {
                return Err(Error::TooManySignatures { got: sig_count as usize, limit: params.tx_sig_limit });
            }
            ctx.consume_gas(params.sig_verify_cost_secp256k1 * verified_sigs(pub_key.as_ref(), &signer.mode), "ante verify: secp256k1")?;
            if signer.sequence != acc.sequence {
                return Err(Error::WrongSequence { expected: acc.sequence, got: signer.sequence });
            }
            if let (false, Some(key)) = (mode.simulate, &pub_key) {
                // Gentxs run at genesis (height 0), signed with account
                // number 0 whatever the account's: as the SDK's sigverify.
                let account_number = if ctx.info.height == 0 { 0 } else { acc.account_number };
                let already = pre
                    .and_then(|p| p.get(i))
                    .and_then(|o| o.as_ref())
                    .is_some_and(|(k, n)| key.as_secp256k1() == Some(k.as_slice()) && *n == account_number);
                if !already {
                    let data = SignerData { chain_id: &ctx.info.chain_id, account_number, sequence: acc.sequence };
                    verify_signer(tx, key, &signer.mode, &tx.signatures[i], data)?;
                }
            }
            ctx.emit(events::acc_seq(addr, acc.sequence));
            ctx.emit(events::signature(base64::engine::general_purpose::STANDARD.encode(&tx.signatures[i])));
            acc.sequence += 1;
            state::set_account(ctx, &acc)?;
        }
        Ok(())
    })
}

/// Signature checks a signer costs: one for a single key, one per member
/// that signed for a multisig (the SDK's ConsumeMultisignatureVerificationGas);
/// when simulating without signatures, its threshold.
fn verified_sigs(key: Option<&PubKey>, mode: &SignMode) -> u64 {
    match (key, mode) {
        (Some(PubKey::Multisig(_)), SignMode::Multi { bits, .. }) => bits.count_ones() as u64,
        (Some(PubKey::Multisig(m)), _) => u64::from(m.threshold),
        _ => 1,
    }
}

/// Check the fee against this node's minimum gas prices (mempool only) and
/// the chain's fee policy (every mode but simulation), and move it from the
/// first signer to the fee collector.
fn deduct_fee(ctx: &mut Ctx, tx: &DecodedTx, payer: &Address, bank: &dyn BankKeeper, mode: &AnteMode) -> Result<()> {
    if let Some(policy) = mode.fee_policy {
        let msg_types: Vec<&str> = tx.messages().iter().map(|m| m.type_url.as_str()).collect();
        let checked = policy.check_fee(ctx, &tx.fee, tx.gas_limit, &msg_types);
        // A simulation pays for the same reads (its estimate must cover the
        // real tx) but its fee is not chosen yet: no error from it.
        if !mode.simulate {
            checked?;
        }
    }
    if mode.check_tx && !mode.simulate && !mode.min_gas_prices.is_empty() {
        let required: Vec<(String, u128)> = mode.min_gas_prices.iter().map(|p| (p.denom.clone(), p.fee_for_gas(tx.gas_limit))).collect();
        // As in the SDK: paying enough in any one of the accepted denoms suffices.
        let enough = required.iter().any(|(d, amt)| tx.fee.amount_of(d) >= *amt);
        if !enough {
            let req = required.iter().map(|(d, a)| format!("{a}{d}")).collect::<Vec<_>>().join(",");
            return Err(Error::InsufficientFee { got: tx.fee.to_string(), required: req });
        }
    }
    if !state::has_account(ctx, payer)? {
        return Err(Error::UnknownAddress(format!("fee payer address: {payer} does not exist")));
    }
    // Clients simulate before they know the fee (cosmjs sends none): charge
    // the gas of moving a fee anyway, or every estimate would fall short.
    let fee = if mode.simulate && tx.fee.is_empty() { Coins::parse(&format!("1{}", venice_sdk::BASE_DENOM))? } else { tx.fee.clone() };
    if fee.is_empty() {
        return Ok(());
    }
    let collector = Address::module(FEE_COLLECTOR);
    bank.send(ctx, payer, &collector, &fee).map_err(|e| match e {
        Error::InsufficientFunds(m) => Error::InsufficientFunds(format!("{m}; insufficient funds to pay for fees")),
        other => other,
    })?;
    ctx.emit(events::fee(&fee, payer));
    Ok(())
}

/// What `preverify` needs of each signer's account: (known key, number),
/// read from committed state.
pub fn signer_accounts(ctx: &mut Ctx, signers: &[Address]) -> Vec<SignerAccount> {
    ctx.scoped(state::PREFIX, |ctx| {
        signers.iter().map(|a| state::get_account(ctx, a).ok().flatten().map(|acc| (acc.pub_key, acc.account_number))).collect()
    })
}

/// Cheap, parallelisable pre-check of the signatures of a batch of txs
/// against committed account data (see `PreVerified`).
pub fn preverify(tx: &DecodedTx, signers: &[Address], account_numbers: &[SignerAccount], chain_id: &str) -> PreVerified {
    signers
        .iter()
        .enumerate()
        .map(|(i, addr)| {
            let (known_key, num) = account_numbers.get(i)?.as_ref()?;
            let signer = tx.signers.get(i)?;
            let key = known_key.as_ref().or(signer.pub_key.as_ref())?.as_secp256k1()?;
            // A key the account already has needs no address check (and no hashing).
            if known_key.is_none() && &signer_address(key) != addr {
                return None;
            }
            // Amino documents commit to the sequence: the tx's own, which
            // the ante handler checks against the account before trusting this.
            let doc = match signer.mode {
                SignMode::Direct => venice_sdk::tx::sign_doc_bytes(tx, chain_id, *num),
                SignMode::AminoJson => sign_bytes(tx, &signer.mode, chain_id, *num, signer.sequence).ok()?,
                _ => return None,
            };
            verify_secp256k1(key, &doc, tx.signatures.get(i)?).ok()?;
            Some((key.to_vec(), *num))
        })
        .collect()
}

/// Fees collected so far (for distribution later).
pub fn fee_collector() -> Address {
    Address::module(FEE_COLLECTOR)
}
