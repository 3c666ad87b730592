//! fees parameters, governed by `MsgUpdateParams`:
//!
//! - `tx_fee_split`, `inference_fee_split`: shares of the six legs, each a
//!   decimal in [0, 1] with at most 18 fractional digits (the SDK's
//!   `LegacyDec` precision), together exactly 1.
//! - `min_gas_prices`: the accepted fee denoms, each with its minimum gas
//!   price (sorted, unique); empty accepts any denom and any fee.
//! - `base_fees`: per message type URL a minimum fee (sorted, unique);
//!   a tx pays at least the sum over its messages.
//!
//! Defaults: a tx fee goes wholly to the stakers (the SDK's behaviour;
//! distribution's community tax still applies); an inference fee splits
//! 0.6 compute providers / 0.2 model owner / 0.1 stakers / 0.05 community
//! pool / 0.05 ecosystem; fees in `uvvv` only, no minimum gas price, no
//! base fees.

use borsh::{BorshDeserialize, BorshSerialize};
use venice_sdk::{Coins, Error, Result};
use venice_types::Dec;
use venice_types::fees as pb;

use crate::error::FeesError;

/// Shares of a fee per leg.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct Split {
    pub stakers: Dec,
    pub model_owner: Dec,
    pub compute_providers: Dec,
    pub community_pool: Dec,
    pub ecosystem: Dec,
    pub burn: Dec,
}

#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct GasPrice {
    pub denom: String,
    pub price: Dec,
}

#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct BaseFee {
    pub msg_type_url: String,
    pub amount: Coins,
}

#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct Params {
    pub tx_fee_split: Split,
    pub inference_fee_split: Split,
    pub min_gas_prices: Vec<GasPrice>,
    pub base_fees: Vec<BaseFee>,
}

fn dec(s: &str) -> Dec {
    Dec::parse(s).expect("a constant decimal")
}

impl Default for Params {
    fn default() -> Self {
        Params {
            tx_fee_split: Split { stakers: Dec::ONE, ..Split::default() },
            inference_fee_split: Split {
                stakers: dec("0.1"),
                model_owner: dec("0.2"),
                compute_providers: dec("0.6"),
                community_pool: dec("0.05"),
                ecosystem: dec("0.05"),
                burn: Dec::ZERO,
            },
            min_gas_prices: vec![GasPrice { denom: venice_sdk::BASE_DENOM.into(), price: Dec::ZERO }],
            base_fees: vec![],
        }
    }
}

fn invalid(msg: String) -> Error {
    FeesError::InvalidParams(msg).into()
}

impl Split {
    /// The legs in their fixed order, with their names.
    pub fn legs(&self) -> [(&'static str, Dec); 6] {
        [
            ("stakers", self.stakers),
            ("model_owner", self.model_owner),
            ("compute_providers", self.compute_providers),
            ("community_pool", self.community_pool),
            ("ecosystem", self.ecosystem),
            ("burn", self.burn),
        ]
    }

    /// Each share in [0, 1], together exactly 1.
    pub fn validate(&self, what: &str) -> Result<()> {
        let mut sum = Dec::ZERO;
        for (name, share) in self.legs() {
            if share > Dec::ONE {
                return Err(invalid(format!("{what}.{name}: {} is more than 1", share.to_sdk_string())));
            }
            sum = sum.checked_add(share).ok_or_else(|| invalid(format!("{what}: shares overflow")))?;
        }
        if sum != Dec::ONE {
            return Err(invalid(format!("{what}: shares sum to {}, must be exactly 1", sum.to_sdk_string())));
        }
        Ok(())
    }

    pub fn from_proto(p: Option<&pb::FeeSplit>, what: &str) -> Result<Split> {
        let p = p.ok_or_else(|| invalid(format!("{what}: missing")))?;
        let d = |name: &str, s: &str| -> Result<Dec> {
            let s = s.trim();
            if s.is_empty() {
                return Ok(Dec::ZERO);
            }
            if s.starts_with('-') {
                return Err(invalid(format!("{what}.{name}: {s:?} is negative")));
            }
            Dec::parse(s).ok_or_else(|| invalid(format!("{what}.{name}: {s:?} is not a decimal with at most 18 fractional digits")))
        };
        let s = Split {
            stakers: d("stakers", &p.stakers)?,
            model_owner: d("model_owner", &p.model_owner)?,
            compute_providers: d("compute_providers", &p.compute_providers)?,
            community_pool: d("community_pool", &p.community_pool)?,
            ecosystem: d("ecosystem", &p.ecosystem)?,
            burn: d("burn", &p.burn)?,
        };
        s.validate(what)?;
        Ok(s)
    }

    pub fn to_proto(&self) -> pb::FeeSplit {
        pb::FeeSplit {
            stakers: self.stakers.to_sdk_string(),
            model_owner: self.model_owner.to_sdk_string(),
            compute_providers: self.compute_providers.to_sdk_string(),
            community_pool: self.community_pool.to_sdk_string(),
            ecosystem: self.ecosystem.to_sdk_string(),
            burn: self.burn.to_sdk_string(),
        }
    }
}

impl Params {
    /// Every rule above; the error names the offending field.
    pub fn validate(&self) -> Result<()> {
        self.tx_fee_split.validate("tx_fee_split")?;
        self.inference_fee_split.validate("inference_fee_split")?;
        for (i, g) in self.min_gas_prices.iter().enumerate() {
            venice_sdk::coin::validate_denom(&g.denom).map_err(|e| invalid(format!("min_gas_prices[{i}].denom: {e}")))?;
            if i > 0 && self.min_gas_prices[i - 1].denom >= g.denom {
                return Err(invalid(format!("min_gas_prices[{i}]: {} is not sorted or is duplicated", g.denom)));
            }
        }
        for (i, b) in self.base_fees.iter().enumerate() {
            let url = &b.msg_type_url;
            if !url.starts_with('/') || url.len() < 2 || url.contains(char::is_whitespace) {
                return Err(invalid(format!("base_fees[{i}].msg_type_url: {url:?} is not a type URL like /cosmos.bank.v1beta1.MsgSend")));
            }
            if i > 0 && self.base_fees[i - 1].msg_type_url >= *url {
                return Err(invalid(format!("base_fees[{i}]: {url} is not sorted or is duplicated")));
            }
            if b.amount.is_empty() {
                return Err(invalid(format!("base_fees[{i}].amount: empty")));
            }
        }
        Ok(())
    }

    /// From the protobuf form (a proposal's message, genesis), validated.
    pub fn from_proto(p: &pb::Params) -> Result<Params> {
        let min_gas_prices = p
            .min_gas_prices
            .iter()
            .enumerate()
            .map(|(i, g)| {
                let a = g.amount.trim();
                if a.starts_with('-') {
                    return Err(invalid(format!("min_gas_prices[{i}].amount: {a:?} is negative")));
                }
                let price = Dec::parse(a).ok_or_else(|| invalid(format!("min_gas_prices[{i}].amount: {a:?} is not a decimal")))?;
                Ok(GasPrice { denom: g.denom.clone(), price })
            })
            .collect::<Result<Vec<_>>>()?;
        let base_fees = p
            .base_fees
            .iter()
            .enumerate()
            .map(|(i, b)| {
                let amount = Coins::from_proto_strict(&b.amount).map_err(|e| invalid(format!("base_fees[{i}].amount: {e}")))?;
                Ok(BaseFee { msg_type_url: b.msg_type_url.clone(), amount })
            })
            .collect::<Result<Vec<_>>>()?;
        let params = Params {
            tx_fee_split: Split::from_proto(p.tx_fee_split.as_ref(), "tx_fee_split")?,
            inference_fee_split: Split::from_proto(p.inference_fee_split.as_ref(), "inference_fee_split")?,
            min_gas_prices,
            base_fees,
        };
        params.validate()?;
        Ok(params)
    }

    pub fn to_proto(&self) -> pb::Params {
        pb::Params {
            tx_fee_split: Some(self.tx_fee_split.to_proto()),
            inference_fee_split: Some(self.inference_fee_split.to_proto()),
            min_gas_prices: self
                .min_gas_prices
                .iter()
                .map(|g| pb::GasPrice { denom: g.denom.clone(), amount: g.price.to_sdk_string() })
                .collect(),
            base_fees: self
                .base_fees
                .iter()
                .map(|b| pb::BaseFee { msg_type_url: b.msg_type_url.clone(), amount: b.amount.to_proto() })
                .collect(),
        }
    }

    /// The sum of the base fees of `msg_types` (one entry per message).
    pub fn base_fee_of(&self, msg_types: &[&str]) -> Result<Coins> {
        let mut total = Coins::empty();
        for t in msg_types {
            if let Ok(i) = self.base_fees.binary_search_by(|b| b.msg_type_url.as_str().cmp(t)) {
                total = total.checked_add(&self.base_fees[i].amount)?;
            }
        }
        Ok(total)
    }

    /// Check a tx's fee against the consensus rules (CheckTx and
    /// DeliverTx alike): (1) every fee denom is listed (when the list is
    /// not empty); (2) the fee covers `gas_limit` at the listed minimum
    /// gas price in at least one listed denom (as the SDK's min gas price
    /// check: any one denom suffices; a listed price of 0 always does);
    /// (3) the fee is at least the sum of its messages' base fees, denom
    /// by denom. (2) and (3) are separate minimums, not added together.
    pub fn check_fee(&self, fee: &Coins, gas_limit: u64, msg_types: &[&str]) -> Result<()> {
        if !self.min_gas_prices.is_empty() {
            for c in fee.iter() {
                if self.min_gas_prices.binary_search_by(|g| g.denom.as_str().cmp(&c.denom)).is_err() {
                    let accepted = self.min_gas_prices.iter().map(|g| g.denom.as_str()).collect::<Vec<_>>().join(",");
                    return Err(FeesError::DenomNotAccepted { denom: c.denom.clone(), accepted }.into());
                }
            }
            let required: Vec<(String, u128)> =
                self.min_gas_prices.iter().map(|g| (g.denom.clone(), fee_for_gas(g.price, gas_limit))).collect();
            if !required.iter().any(|(d, a)| fee.amount_of(d) >= *a) {
                let req = required.iter().map(|(d, a)| format!("{a}{d}")).collect::<Vec<_>>().join(",");
                return Err(Error::InsufficientFee { got: fee.to_string(), required: format!("{req} (chain minimum gas price)") });
            }
        }
        let base = self.base_fee_of(msg_types)?;
        if base.iter().any(|c| fee.amount_of(&c.denom) < c.amount) {
            return Err(Error::InsufficientFee { got: fee.to_string(), required: format!("{base} (base fee of the tx's messages)") });
        }
        Ok(())
    }
}

/// `ceil(price * gas)` in base units; saturates instead of overflowing.
pub fn fee_for_gas(price: Dec, gas: u64) -> u128 {
    match price.atto().checked_mul(gas as u128) {
        Some(p) => p.div_ceil(venice_types::dec::DEC_SCALE),
        None => u128::MAX,
    }
}
