//! gov parameters in the SDK's JSON (`"voting_period": "172800s"`,
//! `"quorum": "0.334000000000000000"`) and protobuf (v1 and the v1beta1
//! deposit/voting/tally triple) shapes, with the SDK's validation.

use borsh::{BorshDeserialize, BorshSerialize};
use cosmos_sdk_proto::cosmos::gov::{v1, v1beta1};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use venice_sdk::coin::JsonCoin;
use venice_sdk::{Address, Coin, Coins};
use venice_types::Dec;
use venice_types::time::Duration;

#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct Params {
    pub min_deposit: Coins,
    pub max_deposit_period: Duration,
    pub voting_period: Duration,
    pub quorum: Dec,
    pub threshold: Dec,
    pub veto_threshold: Dec,
    pub min_initial_deposit_ratio: Dec,
    pub proposal_cancel_ratio: Dec,
    /// Where the cancelled share goes; empty: burned.
    pub proposal_cancel_dest: String,
    pub expedited_voting_period: Duration,
    pub expedited_threshold: Dec,
    pub expedited_min_deposit: Coins,
    pub burn_vote_quorum: bool,
    pub burn_proposal_deposit_prevote: bool,
    pub burn_vote_veto: bool,
    pub min_deposit_ratio: Dec,
}

fn dec(s: &str) -> Dec {
    Dec::parse(s).expect("static decimal")
}

fn uvvv(amount: u128) -> Coins {
    Coins::normalize([Coin::new(venice_sdk::BASE_DENOM, amount)]).expect("static coins")
}

impl Default for Params {
    /// The SDK's defaults (two days to deposit and to vote, a third of the
    /// stake for quorum, half to pass, a third to veto), with the deposits
    /// in VVV: 1,000 VVV, 5,000 VVV for an expedited proposal.
    fn default() -> Self {
        Params {
            min_deposit: uvvv(1_000_000_000),
            max_deposit_period: Duration::from_secs(172_800),
            voting_period: Duration::from_secs(172_800),
            quorum: dec("0.334"),
            threshold: dec("0.5"),
            veto_threshold: dec("0.334"),
            min_initial_deposit_ratio: Dec::ZERO,
            proposal_cancel_ratio: dec("0.5"),
            proposal_cancel_dest: String::new(),
            expedited_voting_period: Duration::from_secs(86_400),
            expedited_threshold: dec("0.667"),
            expedited_min_deposit: uvvv(5_000_000_000),
            burn_vote_quorum: false,
            burn_proposal_deposit_prevote: false,
            burn_vote_veto: true,
            min_deposit_ratio: dec("0.01"),
        }
    }
}

fn positive(d: Duration) -> bool {
    d.secs > 0 || d.nanos > 0
}

impl Params {
    /// The SDK's `Params.ValidateBasic`.
    pub fn validate(&self) -> Result<(), String> {
        if self.min_deposit.is_empty() {
            return Err("gov.params.min_deposit: invalid minimum deposit: must not be empty".into());
        }
        if self.expedited_min_deposit.is_empty() {
            return Err("gov.params.expedited_min_deposit: invalid expedited minimum deposit: must not be empty".into());
        }
        if self.expedited_min_deposit.iter().all(|c| c.amount <= self.min_deposit.amount_of(&c.denom))
            && self.min_deposit.iter().all(|c| self.expedited_min_deposit.amount_of(&c.denom) <= c.amount)
        {
            return Err(format!(
                "gov.params.expedited_min_deposit: expedited minimum deposit must be greater than minimum deposit: {} <= {}",
                self.expedited_min_deposit, self.min_deposit
            ));
        }
        if self.quorum > Dec::ONE {
            return Err(format!("gov.params.quorum: quorum too large: {}", self.quorum.to_sdk_string()));
        }
        if self.threshold.is_zero() || self.threshold > Dec::ONE {
            return Err(format!("gov.params.threshold: vote threshold must be positive and at most 1: {}", self.threshold.to_sdk_string()));
        }
        if self.expedited_threshold.is_zero() || self.expedited_threshold > Dec::ONE {
            return Err(format!(
                "gov.params.expedited_threshold: expedited vote threshold must be positive and at most 1: {}",
                self.expedited_threshold.to_sdk_string()
            ));
        }
        if self.expedited_threshold <= self.threshold {
            return Err(format!(
                "gov.params.expedited_threshold: expedited vote threshold {} must be greater than the regular threshold {}",
                self.expedited_threshold.to_sdk_string(),
                self.threshold.to_sdk_string()
            ));
        }
        if self.veto_threshold.is_zero() || self.veto_threshold > Dec::ONE {
            return Err(format!(
                "gov.params.veto_threshold: veto threshold must be positive and at most 1: {}",
                self.veto_threshold.to_sdk_string()
            ));
        }
        if !positive(self.max_deposit_period) {
            return Err("gov.params.max_deposit_period: maximum deposit period must be positive".into());
        }
        if !positive(self.voting_period) {
            return Err("gov.params.voting_period: voting period must be positive".into());
        }
        if !positive(self.expedited_voting_period) {
            return Err("gov.params.expedited_voting_period: expedited voting period must be positive".into());
        }
        if self.expedited_voting_period >= self.voting_period {
            return Err(format!(
                "gov.params.expedited_voting_period: expedited voting period {} must be strictly less than the regular voting period {}",
                self.expedited_voting_period.to_json_string(),
                self.voting_period.to_json_string()
            ));
        }
        for (name, d) in [
            ("min_initial_deposit_ratio", self.min_initial_deposit_ratio),
            ("proposal_cancel_ratio", self.proposal_cancel_ratio),
            ("min_deposit_ratio", self.min_deposit_ratio),
        ] {
            if d > Dec::ONE {
                return Err(format!("gov.params.{name}: {name} too large: {}", d.to_sdk_string()));
            }
        }
        if !self.proposal_cancel_dest.is_empty() {
            Address::parse(&self.proposal_cancel_dest).map_err(|e| format!("gov.params.proposal_cancel_dest: {e}"))?;
        }
        Ok(())
    }

    /// The minimum deposit a proposal needs to start voting.
    pub fn min_deposit_for(&self, expedited: bool) -> &Coins {
        if expedited { &self.expedited_min_deposit } else { &self.min_deposit }
    }

    pub fn to_v1(&self) -> v1::Params {
        v1::Params {
            min_deposit: self.min_deposit.to_proto(),
            max_deposit_period: Some(duration_pb(self.max_deposit_period)),
            voting_period: Some(duration_pb(self.voting_period)),
            quorum: self.quorum.to_sdk_string(),
            threshold: self.threshold.to_sdk_string(),
            veto_threshold: self.veto_threshold.to_sdk_string(),
            min_initial_deposit_ratio: self.min_initial_deposit_ratio.to_sdk_string(),
            proposal_cancel_ratio: self.proposal_cancel_ratio.to_sdk_string(),
            proposal_cancel_dest: self.proposal_cancel_dest.clone(),
            expedited_voting_period: Some(duration_pb(self.expedited_voting_period)),
            expedited_threshold: self.expedited_threshold.to_sdk_string(),
            expedited_min_deposit: self.expedited_min_deposit.to_proto(),
            burn_vote_quorum: self.burn_vote_quorum,
            burn_proposal_deposit_prevote: self.burn_proposal_deposit_prevote,
            burn_vote_veto: self.burn_vote_veto,
            min_deposit_ratio: self.min_deposit_ratio.to_sdk_string(),
        }
    }

    /// From a `MsgUpdateParams`' params (every field checked, then `validate`).
    pub fn from_v1(p: &v1::Params) -> Result<Params, String> {
        let d = |name: &str, s: &str| Dec::parse(s).ok_or_else(|| format!("gov.params.{name}: {s:?} is not a decimal"));
        let dur = |name: &str, x: &Option<tendermint_proto::google::protobuf::Duration>| match x {
            Some(x) if x.seconds >= 0 && (0..1_000_000_000).contains(&x.nanos) => Ok(Duration { secs: x.seconds, nanos: x.nanos as u32 }),
            _ => Err(format!("gov.params.{name}: missing or negative duration")),
        };
        let coins = |name: &str, c| Coins::from_proto_strict(c).map_err(|e| format!("gov.params.{name}: {e}"));
        let out = Params {
            min_deposit: coins("min_deposit", &p.min_deposit)?,
            max_deposit_period: dur("max_deposit_period", &p.max_deposit_period)?,
            voting_period: dur("voting_period", &p.voting_period)?,
            quorum: d("quorum", &p.quorum)?,
            threshold: d("threshold", &p.threshold)?,
            veto_threshold: d("veto_threshold", &p.veto_threshold)?,
            min_initial_deposit_ratio: d("min_initial_deposit_ratio", &p.min_initial_deposit_ratio)?,
            proposal_cancel_ratio: d("proposal_cancel_ratio", &p.proposal_cancel_ratio)?,
            proposal_cancel_dest: p.proposal_cancel_dest.clone(),
            expedited_voting_period: dur("expedited_voting_period", &p.expedited_voting_period)?,
            expedited_threshold: d("expedited_threshold", &p.expedited_threshold)?,
            expedited_min_deposit: coins("expedited_min_deposit", &p.expedited_min_deposit)?,
            burn_vote_quorum: p.burn_vote_quorum,
            burn_proposal_deposit_prevote: p.burn_proposal_deposit_prevote,
            burn_vote_veto: p.burn_vote_veto,
            min_deposit_ratio: d("min_deposit_ratio", &p.min_deposit_ratio)?,
        };
        out.validate()?;
        Ok(out)
    }

    pub fn deposit_params_v1(&self) -> v1::DepositParams {
        v1::DepositParams { min_deposit: self.min_deposit.to_proto(), max_deposit_period: Some(duration_pb(self.max_deposit_period)) }
    }
    pub fn voting_params_v1(&self) -> v1::VotingParams {
        v1::VotingParams { voting_period: Some(duration_pb(self.voting_period)) }
    }
    pub fn tally_params_v1(&self) -> v1::TallyParams {
        v1::TallyParams {
            quorum: self.quorum.to_sdk_string(),
            threshold: self.threshold.to_sdk_string(),
            veto_threshold: self.veto_threshold.to_sdk_string(),
        }
    }
    pub fn deposit_params_v1beta1(&self) -> v1beta1::DepositParams {
        v1beta1::DepositParams { min_deposit: self.min_deposit.to_proto(), max_deposit_period: Some(duration_pb(self.max_deposit_period)) }
    }
    pub fn voting_params_v1beta1(&self) -> v1beta1::VotingParams {
        v1beta1::VotingParams { voting_period: Some(duration_pb(self.voting_period)) }
    }
    /// v1beta1 carries these decimals as gogoproto `Dec` bytes: the
    /// integer scaled by 10^18, as text.
    pub fn tally_params_v1beta1(&self) -> v1beta1::TallyParams {
        v1beta1::TallyParams {
            quorum: self.quorum.to_atto_string().into_bytes(),
            threshold: self.threshold.to_atto_string().into_bytes(),
            veto_threshold: self.veto_threshold.to_atto_string().into_bytes(),
        }
    }
}

pub fn duration_pb(d: Duration) -> tendermint_proto::google::protobuf::Duration {
    tendermint_proto::google::protobuf::Duration { seconds: d.secs, nanos: d.nanos as i32 }
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ParamsJson {
    min_deposit: Vec<JsonCoin>,
    max_deposit_period: String,
    voting_period: String,
    quorum: String,
    threshold: String,
    veto_threshold: String,
    #[serde(default = "zero")]
    min_initial_deposit_ratio: String,
    #[serde(default = "zero")]
    proposal_cancel_ratio: String,
    #[serde(default)]
    proposal_cancel_dest: String,
    expedited_voting_period: String,
    expedited_threshold: String,
    expedited_min_deposit: Vec<JsonCoin>,
    #[serde(default)]
    burn_vote_quorum: bool,
    #[serde(default)]
    burn_proposal_deposit_prevote: bool,
    #[serde(default)]
    burn_vote_veto: bool,
    #[serde(default = "zero")]
    min_deposit_ratio: String,
}

fn zero() -> String {
    "0".into()
}

impl Serialize for Params {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let coins = |c: &Coins| c.iter().map(JsonCoin::from).collect();
        ParamsJson {
            min_deposit: coins(&self.min_deposit),
            max_deposit_period: self.max_deposit_period.to_json_string(),
            voting_period: self.voting_period.to_json_string(),
            quorum: self.quorum.to_sdk_string(),
            threshold: self.threshold.to_sdk_string(),
            veto_threshold: self.veto_threshold.to_sdk_string(),
            min_initial_deposit_ratio: self.min_initial_deposit_ratio.to_sdk_string(),
            proposal_cancel_ratio: self.proposal_cancel_ratio.to_sdk_string(),
            proposal_cancel_dest: self.proposal_cancel_dest.clone(),
            expedited_voting_period: self.expedited_voting_period.to_json_string(),
            expedited_threshold: self.expedited_threshold.to_sdk_string(),
            expedited_min_deposit: coins(&self.expedited_min_deposit),
            burn_vote_quorum: self.burn_vote_quorum,
            burn_proposal_deposit_prevote: self.burn_proposal_deposit_prevote,
            burn_vote_veto: self.burn_vote_veto,
            min_deposit_ratio: self.min_deposit_ratio.to_sdk_string(),
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for Params {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let j = ParamsJson::deserialize(d)?;
        let dec = |name: &str, s: &str| Dec::parse(s).ok_or_else(|| D::Error::custom(format!("{name}: {s:?} is not a decimal")));
        let dur = |name: &str, s: &str| {
            Duration::parse(s).ok_or_else(|| D::Error::custom(format!("{name}: {s:?} is not a duration like \"172800s\"")))
        };
        let coins = |name: &str, list: &[JsonCoin]| {
            let parsed =
                list.iter().map(Coin::try_from).collect::<Result<Vec<_>, _>>().map_err(|e| D::Error::custom(format!("{name}: {e}")))?;
            Coins::normalize(parsed).map_err(|e| D::Error::custom(format!("{name}: {e}")))
        };
        Ok(Params {
            min_deposit: coins("min_deposit", &j.min_deposit)?,
            max_deposit_period: dur("max_deposit_period", &j.max_deposit_period)?,
            voting_period: dur("voting_period", &j.voting_period)?,
            quorum: dec("quorum", &j.quorum)?,
            threshold: dec("threshold", &j.threshold)?,
            veto_threshold: dec("veto_threshold", &j.veto_threshold)?,
            min_initial_deposit_ratio: dec("min_initial_deposit_ratio", &j.min_initial_deposit_ratio)?,
            proposal_cancel_ratio: dec("proposal_cancel_ratio", &j.proposal_cancel_ratio)?,
            proposal_cancel_dest: j.proposal_cancel_dest,
            expedited_voting_period: dur("expedited_voting_period", &j.expedited_voting_period)?,
            expedited_threshold: dec("expedited_threshold", &j.expedited_threshold)?,
            expedited_min_deposit: coins("expedited_min_deposit", &j.expedited_min_deposit)?,
            burn_vote_quorum: j.burn_vote_quorum,
            burn_proposal_deposit_prevote: j.burn_proposal_deposit_prevote,
            burn_vote_veto: j.burn_vote_veto,
            min_deposit_ratio: dec("min_deposit_ratio", &j.min_deposit_ratio)?,
        })
    }
}
