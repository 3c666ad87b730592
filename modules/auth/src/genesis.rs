//! auth genesis: params and the initial accounts, in the Cosmos SDK's JSON
//! shape (`{"params": {...}, "accounts": [{"@type": ..., "address": ...}]}`).
//! Accounts are `BaseAccount`s or the SDK's vesting accounts (their
//! `base_vesting_account.base_account` nesting), so an SDK genesis and
//! `veniced genesis export` read back alike.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use venice_sdk::coin::JsonCoin;
use venice_sdk::tx::PubKey;
use venice_sdk::{Address, Coin, Coins, Ctx, Error, Result};

use crate::params::Params;
use crate::state;
use crate::vesting::{self, Period, Schedule, Vesting};

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct GenesisState {
    #[serde(default)]
    pub params: Params,
    #[serde(default)]
    pub accounts: Vec<GenesisAccount>,
}

/// One account of genesis: its base fields and, for a vesting account,
/// its schedule and delegation tracking.
#[derive(Clone, Debug, PartialEq)]
pub struct GenesisAccount {
    pub address: String,
    /// Protobuf JSON of the key (`{"@type": ..., "key": ...}`, or a
    /// multisig's `threshold` and `public_keys`).
    pub pub_key: Option<serde_json::Value>,
    pub account_number: u64,
    pub sequence: u64,
    pub vesting: Option<Vesting>,
}

impl GenesisAccount {
    pub fn new(address: &Address, account_number: u64) -> Self {
        GenesisAccount { address: address.to_bech32(), pub_key: None, account_number, sequence: 0, vesting: None }
    }

    pub fn type_url(&self) -> &'static str {
        self.vesting.as_ref().map_or(venice_sdk::paths::BASE_ACCOUNT_URL, Vesting::type_url)
    }
}

// The SDK's JSON shapes, for (de)serialisation only.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct BaseJson {
    address: String,
    #[serde(default)]
    pub_key: Option<serde_json::Value>,
    #[serde(default, with = "venice_sdk::json::int_str")]
    account_number: u64,
    #[serde(default, with = "venice_sdk::json::int_str")]
    sequence: u64,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct BaseVestingJson {
    base_account: BaseJson,
    #[serde(default)]
    original_vesting: Vec<JsonCoin>,
    #[serde(default)]
    delegated_free: Vec<JsonCoin>,
    #[serde(default)]
    delegated_vesting: Vec<JsonCoin>,
    #[serde(default, with = "venice_sdk::json::int_str")]
    end_time: i64,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct PeriodJson {
    #[serde(with = "venice_sdk::json::int_str")]
    length: i64,
    amount: Vec<JsonCoin>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct VestingJson {
    #[serde(rename = "@type")]
    type_url: String,
    base_vesting_account: BaseVestingJson,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    start_time: Option<StrI64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    vesting_periods: Option<Vec<PeriodJson>>,
}

#[derive(Serialize, Deserialize)]
#[serde(transparent)]
struct StrI64(#[serde(with = "venice_sdk::json::int_str")] i64);

fn json_coins(c: &Coins) -> Vec<JsonCoin> {
    c.iter().map(JsonCoin::from).collect()
}

fn parse_coins(list: &[JsonCoin]) -> std::result::Result<Coins, String> {
    let coins = list.iter().map(|c| Coin::try_from(c).map_err(|e| e.to_string())).collect::<std::result::Result<Vec<_>, _>>()?;
    Coins::normalize(coins).map_err(|e| e.to_string())
}

impl Serialize for GenesisAccount {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let base = BaseJson {
            address: self.address.clone(),
            pub_key: self.pub_key.clone(),
            account_number: self.account_number,
            sequence: self.sequence,
        };
        let Some(v) = &self.vesting else {
            // "@type" first, then the BaseAccount's fields, as the SDK writes it.
            let mut ordered = serde_json::Map::new();
            ordered.insert("@type".into(), venice_sdk::paths::BASE_ACCOUNT_URL.into());
            if let serde_json::Value::Object(fields) = serde_json::to_value(&base).map_err(serde::ser::Error::custom)? {
                ordered.extend(fields);
            }
            return ordered.serialize(s);
        };
        let (start_time, vesting_periods) = match &v.schedule {
            Schedule::Continuous { start_time } => (Some(StrI64(*start_time)), None),
            Schedule::Periodic { start_time, periods } => (
                Some(StrI64(*start_time)),
                Some(periods.iter().map(|p| PeriodJson { length: p.length, amount: json_coins(&p.amount) }).collect()),
            ),
            Schedule::Delayed | Schedule::PermanentLocked => (None, None),
        };
        VestingJson {
            type_url: v.type_url().into(),
            base_vesting_account: BaseVestingJson {
                base_account: base,
                original_vesting: json_coins(&v.original_vesting),
                delegated_free: json_coins(&v.delegated_free),
                delegated_vesting: json_coins(&v.delegated_vesting),
                end_time: v.end_time,
            },
            start_time,
            vesting_periods,
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for GenesisAccount {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        use serde::de::Error as _;
        let mut value = serde_json::Value::deserialize(d)?;
        let obj = value.as_object_mut().ok_or_else(|| D::Error::custom("an account must be an object"))?;
        let type_url = match obj.get("@type") {
            None => venice_sdk::paths::BASE_ACCOUNT_URL.to_string(),
            Some(t) => t.as_str().ok_or_else(|| D::Error::custom("@type must be a string"))?.to_string(),
        };
        if type_url == venice_sdk::paths::BASE_ACCOUNT_URL {
            obj.remove("@type");
            let b: BaseJson = serde_json::from_value(value).map_err(D::Error::custom)?;
            return Ok(GenesisAccount {
                address: b.address,
                pub_key: b.pub_key,
                account_number: b.account_number,
                sequence: b.sequence,
                vesting: None,
            });
        }
        if ![vesting::CONTINUOUS_URL, vesting::DELAYED_URL, vesting::PERIODIC_URL, vesting::PERMANENT_LOCKED_URL]
            .contains(&type_url.as_str())
        {
            return Err(D::Error::custom(format!("unsupported account type {type_url}")));
        }
        let j: VestingJson = serde_json::from_value(value).map_err(D::Error::custom)?;
        let bva = j.base_vesting_account;
        let start = j.start_time.map(|s| s.0);
        let need_start = || start.ok_or_else(|| D::Error::custom(format!("{type_url}: start_time missing")));
        let schedule = match type_url.as_str() {
            vesting::CONTINUOUS_URL => Schedule::Continuous { start_time: need_start()? },
            vesting::DELAYED_URL => Schedule::Delayed,
            vesting::PERMANENT_LOCKED_URL => Schedule::PermanentLocked,
            _ => Schedule::Periodic {
                start_time: need_start()?,
                periods: j
                    .vesting_periods
                    .unwrap_or_default()
                    .iter()
                    .map(|p| Ok(Period { length: p.length, amount: parse_coins(&p.amount).map_err(D::Error::custom)? }))
                    .collect::<std::result::Result<_, D::Error>>()?,
            },
        };
        let vesting = Vesting {
            original_vesting: parse_coins(&bva.original_vesting).map_err(D::Error::custom)?,
            delegated_free: parse_coins(&bva.delegated_free).map_err(D::Error::custom)?,
            delegated_vesting: parse_coins(&bva.delegated_vesting).map_err(D::Error::custom)?,
            end_time: bva.end_time,
            schedule,
        };
        let b = bva.base_account;
        Ok(GenesisAccount {
            address: b.address,
            pub_key: b.pub_key,
            account_number: b.account_number,
            sequence: b.sequence,
            vesting: Some(vesting),
        })
    }
}

/// This module's section of `app_state`; errors name the field.
pub fn parse(section: &serde_json::Value) -> Result<GenesisState> {
    serde_json::from_value(section.clone()).map_err(|e| Error::Genesis(format!("app_state.auth: {e}")))
}

pub fn init_genesis(ctx: &mut Ctx, g: &GenesisState) -> Result<()> {
    g.params.validate().map_err(Error::Genesis)?;
    state::set_params(ctx, &g.params)?;
    let mut next = 0u64;
    for (i, a) in g.accounts.iter().enumerate() {
        let field = format!("auth.accounts[{i}]");
        let addr = Address::parse(&a.address).map_err(|e| Error::Genesis(format!("{field}.address: {e}")))?;
        if state::has_account(ctx, &addr)? {
            return Err(Error::Genesis(format!("{field}.address: duplicate account {addr}")));
        }
        let pub_key = match &a.pub_key {
            None | Some(serde_json::Value::Null) => None,
            Some(pk) => {
                let key = PubKey::from_json(pk).map_err(|e| Error::Genesis(format!("{field}.pub_key: {e}")))?;
                if key.address() != addr {
                    return Err(Error::Genesis(format!("{field}.pub_key: not the key of {addr}")));
                }
                Some(key)
            }
        };
        let acc = state::Account { address: addr.clone(), account_number: a.account_number, sequence: a.sequence, pub_key };
        state::set_account(ctx, &acc)?;
        if let Some(v) = &a.vesting {
            v.validate().map_err(|e| Error::Genesis(format!("{field}: {e}")))?;
            state::set_vesting(ctx, &addr, v)?;
        }
        next = next.max(a.account_number + 1);
    }
    // Account numbers must be unique: the next one is past all given.
    let mut nums: Vec<u64> = g.accounts.iter().map(|a| a.account_number).collect();
    nums.sort_unstable();
    if let Some(w) = nums.windows(2).find(|w| w[0] == w[1]) {
        return Err(Error::Genesis(format!("auth.accounts: duplicate account_number {}", w[0])));
    }
    state::set_next_account_number(ctx, next)?;
    // The fee collector exists from the start, as a module account (an
    // exported genesis already lists it).
    let collector = crate::ante::fee_collector();
    if !state::has_account(ctx, &collector)? {
        state::create_account(ctx, &collector, None)?;
    }
    Ok(())
}

pub fn export_genesis(ctx: &mut Ctx) -> Result<GenesisState> {
    let mut accounts = Vec::new();
    for a in state::all_accounts(ctx, None, usize::MAX)? {
        let vesting = state::vesting(ctx, &a.address)?;
        accounts.push(GenesisAccount {
            address: a.address.to_bech32(),
            pub_key: a.pub_key.map(|k| k.to_json()),
            account_number: a.account_number,
            sequence: a.sequence,
            vesting,
        });
    }
    Ok(GenesisState { params: state::params(ctx)?, accounts })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sdk_json_round_trips_for_every_account_type() {
        let addr = Address::from_bytes(&[7; 20]).unwrap();
        let c = |s: &str| Coins::parse(s).unwrap();
        let mut cont = Vesting::continuous(c("100uvvv"), 10, 20);
        cont.delegated_vesting = c("5uvvv");
        let kinds = [
            None,
            Some(cont),
            Some(Vesting::delayed(c("7uvvv"), 99)),
            Some(Vesting::periodic(5, vec![Period { length: 3, amount: c("1uvvv") }, Period { length: 4, amount: c("2uvvv") }]).unwrap()),
            Some(Vesting::permanent_locked(c("9uvvv"))),
        ];
        for v in kinds {
            let a = GenesisAccount { vesting: v, ..GenesisAccount::new(&addr, 3) };
            let json = serde_json::to_value(&a).unwrap();
            assert_eq!(json["@type"], a.type_url());
            let back: GenesisAccount = serde_json::from_value(json.clone()).unwrap();
            assert_eq!(back, a, "{json}");
        }
        // The SDK's nesting, as an SDK chain exports it.
        let sdk = serde_json::json!({
            "@type": "/cosmos.vesting.v1beta1.ContinuousVestingAccount",
            "base_vesting_account": {
                "base_account": {"address": addr.to_bech32(), "pub_key": null, "account_number": "4", "sequence": "0"},
                "original_vesting": [{"denom": "uvvv", "amount": "1000"}],
                "delegated_free": [], "delegated_vesting": [], "end_time": "2000"
            },
            "start_time": "1000"
        });
        let a: GenesisAccount = serde_json::from_value(sdk).unwrap();
        assert_eq!(a.vesting.unwrap().schedule, Schedule::Continuous { start_time: 1000 });
        assert_eq!(a.account_number, 4);
        // A plain account without @type is a BaseAccount.
        let b: GenesisAccount = serde_json::from_value(serde_json::json!({"address": addr.to_bech32()})).unwrap();
        assert!(b.vesting.is_none());
        assert!(serde_json::from_value::<GenesisAccount>(serde_json::json!({"@type": "/x.Y", "address": "a"})).is_err());
    }
}
