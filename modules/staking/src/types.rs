//! staking's records as stored (borsh) and as the SDK's protobuf types show
//! them to clients. Amounts are exact integers (u128 uvvv); shares and
//! rates are `Dec`.

use borsh::{BorshDeserialize, BorshSerialize};
use cosmos_sdk_proto::cosmos::staking::v1beta1 as pb;
use prost::Message;
use venice_sdk::{Address, Error, Result};
use venice_types::time::Timestamp;
use venice_types::{Dec, paths};

use crate::POWER_REDUCTION;
use crate::error::{StakingError, overflow};

/// The SDK's `BondStatus` (same numbers).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, BorshSerialize, BorshDeserialize)]
#[borsh(use_discriminant = true)]
#[repr(u8)]
pub enum BondStatus {
    Unbonded = 1,
    Unbonding = 2,
    Bonded = 3,
}

impl BondStatus {
    pub fn to_proto(self) -> pb::BondStatus {
        match self {
            BondStatus::Unbonded => pb::BondStatus::Unbonded,
            BondStatus::Unbonding => pb::BondStatus::Unbonding,
            BondStatus::Bonded => pb::BondStatus::Bonded,
        }
    }
    pub fn from_name(s: &str) -> Option<Self> {
        match pb::BondStatus::from_str_name(s)? {
            pb::BondStatus::Unbonded => Some(BondStatus::Unbonded),
            pb::BondStatus::Unbonding => Some(BondStatus::Unbonding),
            pb::BondStatus::Bonded => Some(BondStatus::Bonded),
            pb::BondStatus::Unspecified => None,
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct Description {
    pub moniker: String,
    pub identity: String,
    pub website: String,
    pub security_contact: String,
    pub details: String,
}

/// The SDK's field limits (`MaxMonikerLength`…).
const DESCRIPTION_LIMITS: [(&str, usize); 5] =
    [("moniker", 70), ("identity", 3000), ("website", 140), ("security contact", 140), ("details", 280)];
/// Field value meaning "keep the current one" in `MsgEditValidator`.
pub const DO_NOT_MODIFY: &str = "[do-not-modify]";

impl Description {
    pub fn from_proto(d: &pb::Description) -> Self {
        Description {
            moniker: d.moniker.clone(),
            identity: d.identity.clone(),
            website: d.website.clone(),
            security_contact: d.security_contact.clone(),
            details: d.details.clone(),
        }
    }
    pub fn to_proto(&self) -> pb::Description {
        pb::Description {
            moniker: self.moniker.clone(),
            identity: self.identity.clone(),
            website: self.website.clone(),
            security_contact: self.security_contact.clone(),
            details: self.details.clone(),
        }
    }
    fn fields(&self) -> [&String; 5] {
        [&self.moniker, &self.identity, &self.website, &self.security_contact, &self.details]
    }
    pub fn is_empty(&self) -> bool {
        self.fields().iter().all(|f| f.is_empty())
    }
    pub fn ensure_length(&self) -> Result<()> {
        for ((name, max), value) in DESCRIPTION_LIMITS.iter().zip(self.fields()) {
            if value.len() > *max {
                return Err(Error::InvalidRequest(format!("invalid {name} length; got: {}, max: {max}", value.len())));
            }
        }
        Ok(())
    }
    /// `self` with the fields of `new` that are not `[do-not-modify]`.
    pub fn update(&self, new: &Description) -> Description {
        let pick = |cur: &String, n: &String| if n == DO_NOT_MODIFY { cur.clone() } else { n.clone() };
        Description {
            moniker: pick(&self.moniker, &new.moniker),
            identity: pick(&self.identity, &new.identity),
            website: pick(&self.website, &new.website),
            security_contact: pick(&self.security_contact, &new.security_contact),
            details: pick(&self.details, &new.details),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct CommissionRates {
    pub rate: Dec,
    pub max_rate: Dec,
    pub max_change_rate: Dec,
}

impl CommissionRates {
    /// The SDK's `CommissionRates.Validate` (rates are never negative here:
    /// a negative decimal does not parse).
    pub fn validate(&self) -> Result<()> {
        if self.max_rate > Dec::ONE {
            return Err(StakingError::CommissionHuge.into());
        }
        if self.rate > self.max_rate {
            return Err(StakingError::CommissionGTMaxRate.into());
        }
        if self.max_change_rate > self.max_rate {
            return Err(StakingError::CommissionChangeRateGTMaxRate.into());
        }
        Ok(())
    }

    /// Rates of a message: protobuf decimals (integers scaled by 10^18).
    pub fn from_proto(c: &pb::CommissionRates) -> Result<Self> {
        Ok(CommissionRates {
            rate: dec_field(&c.rate, "rate")?,
            max_rate: dec_field(&c.max_rate, "max_rate")?,
            max_change_rate: dec_field(&c.max_change_rate, "max_change_rate")?,
        })
    }
}

/// A protobuf `LegacyDec` field (negative values are refused as the SDK
/// refuses negative rates).
pub fn dec_field(s: &str, name: &str) -> Result<Dec> {
    if s.starts_with('-') {
        return Err(match name {
            "max_change_rate" => StakingError::CommissionChangeRateNegative.into(),
            _ => StakingError::CommissionNegative.into(),
        });
    }
    Dec::from_atto_str(s).ok_or_else(|| Error::InvalidRequest(format!("{name}: {s:?} is not a decimal")))
}

#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct Commission {
    pub rates: CommissionRates,
    pub update_time: Timestamp,
}

#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct Validator {
    /// The operator's account bytes (shown as `venicevaloper1…`).
    pub operator: Address,
    /// ed25519 consensus key, 32 bytes.
    pub consensus_pubkey: Vec<u8>,
    pub jailed: bool,
    pub status: BondStatus,
    pub tokens: u128,
    pub delegator_shares: Dec,
    pub description: Description,
    pub unbonding_height: i64,
    pub unbonding_time: Timestamp,
    pub commission: Commission,
    pub min_self_delegation: u128,
    pub unbonding_on_hold_ref_count: i64,
    pub unbonding_ids: Vec<u64>,
}

impl Validator {
    pub fn cons_address(&self) -> Address {
        Address::consensus(&self.consensus_pubkey)
    }
    pub fn is_bonded(&self) -> bool {
        self.status == BondStatus::Bonded
    }
    /// Power from tokens whatever the status (the power index's order).
    pub fn potential_power(&self) -> i64 {
        i64::try_from(self.tokens / POWER_REDUCTION).unwrap_or(i64::MAX)
    }
    /// The power CometBFT gives it: zero unless bonded.
    pub fn consensus_power(&self) -> i64 {
        if self.is_bonded() { self.potential_power() } else { 0 }
    }
    /// Shares outstanding but no tokens behind them (slashed to zero).
    pub fn invalid_ex_rate(&self) -> bool {
        self.tokens == 0 && !self.delegator_shares.is_zero()
    }

    /// Tokens a number of shares is worth, rounded (the SDK's `TokensFromShares`).
    pub fn tokens_from_shares(&self, shares: Dec) -> Result<Dec> {
        if self.delegator_shares.is_zero() {
            return Ok(Dec::ZERO);
        }
        shares.mul_int_quo(self.tokens, self.delegator_shares).ok_or_else(|| overflow("tokens from shares"))
    }
    /// Rounded down (`TokensFromSharesTruncated`).
    pub fn tokens_from_shares_truncated(&self, shares: Dec) -> Result<Dec> {
        if self.delegator_shares.is_zero() {
            return Ok(Dec::ZERO);
        }
        shares.mul_int_quo_truncate(self.tokens, self.delegator_shares).ok_or_else(|| overflow("tokens from shares"))
    }
    /// Shares worth `amount` tokens, rounded down (`SharesFromTokens`).
    pub fn shares_from_tokens(&self, amount: u128) -> Result<Dec> {
        if self.tokens == 0 {
            return Err(StakingError::InsufficientShares.into());
        }
        self.delegator_shares.mul_int_quo_int(amount, self.tokens).ok_or_else(|| overflow("shares from tokens"))
    }

    /// Add delegated tokens; the shares issued for them.
    pub fn add_tokens_from_del(&mut self, amount: u128) -> Result<Dec> {
        let issued = if self.delegator_shares.is_zero() {
            Dec::from_int(amount).ok_or_else(|| overflow("issued shares"))?
        } else {
            self.shares_from_tokens(amount)?
        };
        self.tokens = self.tokens.checked_add(amount).ok_or_else(|| overflow("validator tokens"))?;
        self.delegator_shares = self.delegator_shares.checked_add(issued).ok_or_else(|| overflow("validator shares"))?;
        Ok(issued)
    }

    /// Remove shares; the tokens they were worth, rounded down (all the
    /// tokens when the last share goes, so no dust stays behind).
    pub fn remove_del_shares(&mut self, shares: Dec) -> Result<u128> {
        let remaining = self.delegator_shares.checked_sub(shares).ok_or(StakingError::NotEnoughDelegationShares)?;
        let issued = if remaining.is_zero() { self.tokens } else { self.tokens_from_shares(shares)?.truncate_int() };
        self.tokens = self.tokens.checked_sub(issued).ok_or_else(|| overflow("validator tokens below zero"))?;
        self.delegator_shares = remaining;
        Ok(issued)
    }

    pub fn consensus_pubkey_any(&self) -> cosmos_sdk_proto::Any {
        ed25519_any(&self.consensus_pubkey)
    }

    pub fn to_proto(&self) -> pb::Validator {
        pb::Validator {
            operator_address: self.operator.to_valoper(),
            consensus_pubkey: Some(self.consensus_pubkey_any()),
            jailed: self.jailed,
            status: self.status.to_proto() as i32,
            tokens: self.tokens.to_string(),
            delegator_shares: self.delegator_shares.to_atto_string(),
            description: Some(self.description.to_proto()),
            unbonding_height: self.unbonding_height,
            unbonding_time: Some(timestamp_pb(self.unbonding_time)),
            commission: Some(pb::Commission {
                commission_rates: Some(pb::CommissionRates {
                    rate: self.commission.rates.rate.to_atto_string(),
                    max_rate: self.commission.rates.max_rate.to_atto_string(),
                    max_change_rate: self.commission.rates.max_change_rate.to_atto_string(),
                }),
                update_time: Some(timestamp_pb(self.commission.update_time)),
            }),
            min_self_delegation: self.min_self_delegation.to_string(),
            unbonding_on_hold_ref_count: self.unbonding_on_hold_ref_count,
            unbonding_ids: self.unbonding_ids.clone(),
        }
    }

    /// CometBFT's update for this validator at `power`.
    pub fn abci_update(&self, power: i64) -> venice_sdk::module::ValidatorUpdate {
        use venice_sdk::module::crypto::{PublicKey, public_key::Sum};
        venice_sdk::module::ValidatorUpdate { pub_key: Some(PublicKey { sum: Some(Sum::Ed25519(self.consensus_pubkey.clone())) }), power }
    }
}

/// An ed25519 key as the `Any` the SDK puts in `consensus_pubkey` (one
/// rule with the CLI and gentx, in venice-types).
pub fn ed25519_any(key: &[u8]) -> cosmos_sdk_proto::Any {
    venice_types::staking::ed25519_pubkey_any(key)
}

/// The ed25519 key of a consensus-key `Any`; other key types are refused.
pub fn ed25519_from_any(any: &cosmos_sdk_proto::Any) -> Result<Vec<u8>> {
    if any.type_url != paths::ED25519_PUBKEY_URL {
        let kind = match any.type_url.as_str() {
            "/cosmos.crypto.secp256k1.PubKey" => "secp256k1",
            "/cosmos.crypto.secp256r1.PubKey" => "secp256r1",
            other => other,
        };
        return Err(StakingError::ValidatorPubKeyTypeNotSupported(kind.to_string()).into());
    }
    let pk = cosmos_sdk_proto::cosmos::crypto::ed25519::PubKey::decode(any.value.as_slice())?;
    if pk.key.len() != 32 {
        return Err(Error::InvalidPubKey(format!("ed25519 keys are 32 bytes, got {}", pk.key.len())));
    }
    Ok(pk.key)
}

pub fn timestamp_pb(t: Timestamp) -> tendermint_proto::google::protobuf::Timestamp {
    tendermint_proto::google::protobuf::Timestamp { seconds: t.secs, nanos: t.nanos as i32 }
}

#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct UnbondingEntry {
    pub creation_height: i64,
    pub completion_time: Timestamp,
    pub initial_balance: u128,
    pub balance: u128,
    pub unbonding_id: u64,
    pub unbonding_on_hold_ref_count: i64,
}

impl UnbondingEntry {
    pub fn is_mature(&self, now: Timestamp) -> bool {
        self.completion_time <= now
    }
    pub fn to_proto(&self) -> pb::UnbondingDelegationEntry {
        pb::UnbondingDelegationEntry {
            creation_height: self.creation_height,
            completion_time: Some(timestamp_pb(self.completion_time)),
            initial_balance: self.initial_balance.to_string(),
            balance: self.balance.to_string(),
            unbonding_id: self.unbonding_id,
            unbonding_on_hold_ref_count: self.unbonding_on_hold_ref_count,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct UnbondingDelegation {
    pub delegator: Address,
    pub validator: Address,
    pub entries: Vec<UnbondingEntry>,
}

impl UnbondingDelegation {
    pub fn to_proto(&self) -> pb::UnbondingDelegation {
        pb::UnbondingDelegation {
            delegator_address: self.delegator.to_bech32(),
            validator_address: self.validator.to_valoper(),
            entries: self.entries.iter().map(UnbondingEntry::to_proto).collect(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct RedelegationEntry {
    pub creation_height: i64,
    pub completion_time: Timestamp,
    pub initial_balance: u128,
    pub shares_dst: Dec,
    pub unbonding_id: u64,
    pub unbonding_on_hold_ref_count: i64,
}

impl RedelegationEntry {
    pub fn is_mature(&self, now: Timestamp) -> bool {
        self.completion_time <= now
    }
    pub fn to_proto(&self) -> pb::RedelegationEntry {
        pb::RedelegationEntry {
            creation_height: self.creation_height,
            completion_time: Some(timestamp_pb(self.completion_time)),
            initial_balance: self.initial_balance.to_string(),
            shares_dst: self.shares_dst.to_atto_string(),
            unbonding_id: self.unbonding_id,
            unbonding_on_hold_ref_count: self.unbonding_on_hold_ref_count,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct Redelegation {
    pub delegator: Address,
    pub src: Address,
    pub dst: Address,
    pub entries: Vec<RedelegationEntry>,
}

impl Redelegation {
    pub fn to_proto(&self) -> pb::Redelegation {
        pb::Redelegation {
            delegator_address: self.delegator.to_bech32(),
            validator_src_address: self.src.to_valoper(),
            validator_dst_address: self.dst.to_valoper(),
            entries: self.entries.iter().map(RedelegationEntry::to_proto).collect(),
        }
    }
}
