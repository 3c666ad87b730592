//! `veniced genesis allocate --config tokenomics.toml`: split the initial
//! VVV supply into ecosystem incentives, team, investors and community, and
//! write the accounts, balances, vesting schedules and the airdrop into
//! genesis.json (docs/tokenomics.md describes the file and the default).
//!
//! Everything is integer arithmetic in base units: a category gets
//! floor(supply × basis points / 10 000), a member floor(category × weight
//! / Σ weights); every unit lost to rounding goes to the community's growth
//! part, so the allocation sums to the supply exactly.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail, ensure};
use serde::Deserialize;
use serde_json::{Value, json};
use venice_airdrop::merkle;
use venice_auth::genesis::{GenesisAccount, GenesisState as AuthGenesis};
use venice_auth::vesting::{Period, Vesting};
use venice_bank::genesis::{Balance, GenesisState as BankGenesis};
use venice_sdk::coin::JsonCoin;
use venice_sdk::{Address, Coin, Coins};
use venice_types::time::Timestamp;

use crate::genesis::AppGenesis;

/// The module account of the ecosystem incentives pool.
pub const ECOSYSTEM_POOL: &str = venice_types::ecosystem::POOL_ACCOUNT;
/// The module account the community pool's coins sit on.
pub const DISTRIBUTION: &str = "distribution";

const BP: u128 = 10_000;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Initial supply in base units (a string or an integer).
    #[serde(default = "default_supply")]
    pub total_supply: Amount,
    #[serde(default = "default_denom")]
    pub denom: String,
    /// Schedules start here (RFC 3339); default: genesis.json's genesis_time.
    #[serde(default)]
    pub start_time: Option<String>,
    pub percent: Percent,
    #[serde(default)]
    pub team: Team,
    #[serde(default)]
    pub investors: Investors,
    #[serde(default)]
    pub community: Community,
}

/// Percentages of the supply: integers or decimal strings with up to two
/// decimals ("12.5"); they must sum to 100.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Percent {
    pub ecosystem: Pct,
    pub team: Pct,
    pub investors: Pct,
    pub community: Pct,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum Pct {
    Int(u64),
    Str(String),
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum Amount {
    Int(u64),
    Str(String),
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Member {
    pub address: String,
    /// Relative share within the category.
    #[serde(default = "one")]
    pub weight: u64,
}

/// Team: nothing until the cliff, then what a linear schedule over
/// `vesting_seconds` would have released, then a step every `step_seconds`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Team {
    #[serde(default = "year")]
    pub cliff_seconds: i64,
    #[serde(default = "four_years")]
    pub vesting_seconds: i64,
    #[serde(default = "month")]
    pub step_seconds: i64,
    #[serde(default)]
    pub members: Vec<Member>,
}

/// Investors: locked for `lockup_seconds`, then `unlocks` equal parts,
/// the first at the end of the lock-up, then one every `interval_seconds`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Investors {
    #[serde(default = "year")]
    pub lockup_seconds: i64,
    #[serde(default = "four")]
    pub unlocks: u32,
    #[serde(default = "half_year")]
    pub interval_seconds: i64,
    #[serde(default)]
    pub members: Vec<Member>,
}

/// Community: the airdrop (a CSV list of `address,amount`, relative to the
/// config file) and the growth programmes (the rest, to the community pool).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Community {
    #[serde(default)]
    pub airdrop_list: Option<PathBuf>,
    /// Claims are accepted before this time (RFC 3339).
    #[serde(default)]
    pub airdrop_deadline: Option<String>,
}

fn default_supply() -> Amount {
    Amount::Str("100000000000000".into())
}
fn default_denom() -> String {
    venice_sdk::BASE_DENOM.into()
}
fn one() -> u64 {
    1
}
fn four() -> u32 {
    4
}
fn month() -> i64 {
    30 * 86_400
}
fn half_year() -> i64 {
    182 * 86_400
}
fn year() -> i64 {
    365 * 86_400
}
fn four_years() -> i64 {
    4 * 365 * 86_400
}

impl Default for Team {
    fn default() -> Self {
        Team { cliff_seconds: year(), vesting_seconds: four_years(), step_seconds: month(), members: vec![] }
    }
}
impl Default for Investors {
    fn default() -> Self {
        Investors { lockup_seconds: year(), unlocks: four(), interval_seconds: half_year(), members: vec![] }
    }
}

impl Pct {
    /// In basis points (hundredths of a percent).
    fn basis_points(&self, name: &str) -> Result<u128> {
        let s = match self {
            Pct::Int(i) => return Ok(*i as u128 * 100),
            Pct::Str(s) => s.trim(),
        };
        let (int, frac) = s.split_once('.').unwrap_or((s, ""));
        ensure!(
            !int.is_empty() && int.bytes().all(|b| b.is_ascii_digit()) && frac.len() <= 2 && frac.bytes().all(|b| b.is_ascii_digit()),
            "percent.{name}: {s:?} is not a percentage with at most two decimals"
        );
        let frac = format!("{frac:0<2}");
        Ok(int.parse::<u128>()? * 100 + frac.parse::<u128>()?)
    }
}

impl Amount {
    fn value(&self) -> Result<u128> {
        match self {
            Amount::Int(i) => Ok(*i as u128),
            Amount::Str(s) => s.trim().parse().map_err(|_| anyhow!("total_supply: {s:?} is not an integer")),
        }
    }
}

/// One account's share of a category.
#[derive(Clone, Debug, PartialEq)]
pub struct Grant {
    pub address: Address,
    pub amount: u128,
}

/// The whole split, before it is written into genesis.
#[derive(Debug, PartialEq)]
pub struct Allocation {
    pub denom: String,
    pub ecosystem: u128,
    pub team: Vec<(Grant, Vesting)>,
    pub investors: Vec<(Grant, Vesting)>,
    pub airdrop: Vec<Grant>,
    /// The community pool's part (growth programmes + rounding dust).
    pub growth: u128,
}

impl Allocation {
    pub fn total(&self) -> u128 {
        self.ecosystem
            + self.team.iter().map(|g| g.0.amount).sum::<u128>()
            + self.investors.iter().map(|g| g.0.amount).sum::<u128>()
            + self.airdrop.iter().map(|g| g.amount).sum::<u128>()
            + self.growth
    }
}

fn split(amount: u128, members: &[Member], category: &str) -> Result<Vec<Grant>> {
    let weights: u128 = members.iter().map(|m| m.weight as u128).sum();
    ensure!(members.is_empty() || weights > 0, "{category}.members: the weights sum to zero");
    members
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let address = Address::parse(&m.address).with_context(|| format!("{category}.members[{i}].address"))?;
            Ok(Grant { address, amount: amount * m.weight as u128 / weights })
        })
        .collect()
}

/// Team schedule: periodic vesting whose first period is the cliff (what a
/// linear release would have reached by then), then steps of `step`.
pub fn team_schedule(amount: u128, start: i64, t: &Team, denom: &str) -> Result<Vesting> {
    ensure!(t.vesting_seconds > 0 && t.step_seconds > 0, "team: vesting_seconds and step_seconds must be positive");
    ensure!((0..=t.vesting_seconds).contains(&t.cliff_seconds), "team: cliff_seconds must be between 0 and vesting_seconds");
    let linear = |at: i64| amount * at as u128 / t.vesting_seconds as u128;
    let mut points = vec![t.cliff_seconds.max(1).min(t.vesting_seconds)];
    while *points.last().expect("non-empty") < t.vesting_seconds {
        points.push((points.last().expect("non-empty") + t.step_seconds).min(t.vesting_seconds));
    }
    periods(start, &points, linear, denom)
}

/// Investor schedule: `unlocks` equal parts from the end of the lock-up
/// (the last part takes the rounding remainder).
pub fn investor_schedule(amount: u128, start: i64, inv: &Investors, denom: &str) -> Result<Vesting> {
    ensure!(inv.unlocks > 0, "investors: unlocks must be positive");
    ensure!(inv.lockup_seconds > 0 && inv.interval_seconds > 0, "investors: lockup_seconds and interval_seconds must be positive");
    let n = inv.unlocks as u128;
    let points: Vec<i64> = (0..inv.unlocks as i64).map(|i| inv.lockup_seconds + i * inv.interval_seconds).collect();
    let last = *points.last().expect("unlocks > 0");
    let released = |at: i64| if at >= last { amount } else { amount * (points.iter().filter(|p| **p <= at).count() as u128) / n };
    periods(start, &points, released, denom)
}

/// A periodic schedule releasing `released(point) - released(previous)` at
/// each point (seconds after start); steps that release nothing merge
/// into the next, as a period must carry coins.
fn periods(start: i64, points: &[i64], released: impl Fn(i64) -> u128, denom: &str) -> Result<Vesting> {
    let mut out = Vec::new();
    let (mut prev_t, mut prev_amt) = (0i64, 0u128);
    for &p in points {
        let amt = released(p) - prev_amt;
        if amt == 0 {
            continue;
        }
        out.push(Period { length: p - prev_t, amount: Coins::normalize([Coin::new(denom, amt)])? });
        prev_t = p;
        prev_amt += amt;
    }
    Ok(Vesting::periodic(start, out)?)
}

/// Read the airdrop list: `address,amount` lines; `#` comments, blank
/// lines and a header line starting with `address` are skipped.
pub fn read_airdrop_list(path: &Path) -> Result<Vec<Grant>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || line.to_ascii_lowercase().starts_with("address") {
            continue;
        }
        let (a, amt) = line.split_once(',').ok_or_else(|| anyhow!("{}:{}: expected address,amount", path.display(), n + 1))?;
        let address = Address::parse(a.trim()).with_context(|| format!("{}:{}", path.display(), n + 1))?;
        let amount: u128 = amt.trim().parse().map_err(|_| anyhow!("{}:{}: bad amount {amt:?}", path.display(), n + 1))?;
        ensure!(amount > 0, "{}:{}: amount must be positive", path.display(), n + 1);
        ensure!(seen.insert(address.clone()), "{}:{}: {address} is listed twice", path.display(), n + 1);
        out.push(Grant { address, amount });
    }
    Ok(out)
}

/// Compute the split; `base_dir` resolves the airdrop list's path.
pub fn allocate(cfg: &Config, start: i64, base_dir: &Path) -> Result<Allocation> {
    let supply = cfg.total_supply.value()?;
    venice_sdk::coin::validate_denom(&cfg.denom)?;
    let p = &cfg.percent;
    let bps = [
        p.ecosystem.basis_points("ecosystem")?,
        p.team.basis_points("team")?,
        p.investors.basis_points("investors")?,
        p.community.basis_points("community")?,
    ];
    let sum: u128 = bps.iter().sum();
    ensure!(
        sum == BP,
        "the percentages sum to {}.{:02}%, not 100% (ecosystem {}, team {}, investors {}, community {} basis points)",
        sum / 100,
        sum % 100,
        bps[0],
        bps[1],
        bps[2],
        bps[3]
    );
    let part = |bp: u128| supply.checked_mul(bp).map(|x| x / BP).ok_or_else(|| anyhow!("total_supply too large"));
    let (ecosystem, team_total, inv_total) = (part(bps[0])?, part(bps[1])?, part(bps[2])?);
    let community = supply - ecosystem - team_total - inv_total;

    ensure!(team_total == 0 || !cfg.team.members.is_empty(), "team: {team_total}{} to allocate but no [[team.members]]", cfg.denom);
    ensure!(
        inv_total == 0 || !cfg.investors.members.is_empty(),
        "investors: {inv_total}{} to allocate but no [[investors.members]]",
        cfg.denom
    );
    let team = split(team_total, &cfg.team.members, "team")?
        .into_iter()
        .map(|g| Ok((g.clone(), team_schedule(g.amount, start, &cfg.team, &cfg.denom)?)))
        .collect::<Result<Vec<_>>>()?;
    let investors = split(inv_total, &cfg.investors.members, "investors")?
        .into_iter()
        .map(|g| Ok((g.clone(), investor_schedule(g.amount, start, &cfg.investors, &cfg.denom)?)))
        .collect::<Result<Vec<_>>>()?;
    let airdrop = match &cfg.community.airdrop_list {
        Some(list) => read_airdrop_list(&base_dir.join(list))?,
        None => vec![],
    };
    let airdropped: u128 = airdrop.iter().map(|g| g.amount).sum();
    ensure!(airdropped <= community, "the airdrop list claims {airdropped}{} but the community share is {community}", cfg.denom);
    // Units lost to the members' rounding go to the community pool.
    let given = ecosystem + team.iter().map(|g| g.0.amount).sum::<u128>() + investors.iter().map(|g| g.0.amount).sum::<u128>() + airdropped;
    let a = Allocation { denom: cfg.denom.clone(), ecosystem, team, investors, airdrop, growth: supply - given };
    debug_assert_eq!(a.total(), supply);
    Ok(a)
}

/// The community pool at genesis: the coins on the `distribution` module
/// account and, once the distribution module is in the app, its genesis
/// `fee_pool.community_pool` (SDK JSON: decimal coin strings). The one place
/// to adapt when distribution's genesis shape changes.
pub fn fund_community_pool_genesis(app: &mut AppGenesis, coins: &Coins, balances: &mut Vec<Balance>) -> Result<()> {
    if coins.is_empty() {
        return Ok(());
    }
    credit(balances, &Address::module(DISTRIBUTION), coins);
    if let Some(dist) = app.0.get_mut("distribution") {
        let pool = &mut dist["fee_pool"]["community_pool"];
        let mut list: Vec<Value> = pool.as_array().cloned().unwrap_or_default();
        for c in coins.iter() {
            list.push(json!({"denom": c.denom, "amount": format!("{}.000000000000000000", c.amount)}));
        }
        *pool = Value::Array(list);
    }
    Ok(())
}

fn credit(balances: &mut Vec<Balance>, addr: &Address, coins: &Coins) {
    let bech = addr.to_bech32();
    match balances.iter_mut().find(|b| b.address == bech) {
        Some(b) => {
            let have = Coins::normalize(b.coins.iter().filter_map(|c| Coin::try_from(c).ok())).unwrap_or_default();
            b.coins = have.checked_add(coins).unwrap_or(have).iter().map(JsonCoin::from).collect();
        }
        None => balances.push(Balance { address: bech, coins: coins.iter().map(JsonCoin::from).collect() }),
    }
}

/// Each claimant's amount and proof, as `airdrop-proofs.json` holds them.
pub fn airdrop_proofs(grants: &[Grant], denom: &str, deadline: &str) -> (merkle::Hash, Value) {
    let leaves: Vec<merkle::Hash> = grants.iter().map(|g| merkle::leaf(&g.address, g.amount)).collect();
    let tree = merkle::Tree::new(leaves.clone());
    let claims: serde_json::Map<String, Value> = grants
        .iter()
        .zip(&leaves)
        .map(|(g, l)| {
            let proof: Vec<String> = tree.proof(l).expect("a leaf of the tree").iter().map(hex::encode).collect();
            (g.address.to_bech32(), json!({"amount": g.amount.to_string(), "proof": proof}))
        })
        .collect();
    let root = tree.root();
    (root, json!({"merkle_root": hex::encode(root), "denom": denom, "deadline": deadline, "claims": claims}))
}

/// Write `alloc` into `app` (auth accounts, bank balances, the airdrop
/// section); returns the proofs document. Accounts already in genesis
/// keep theirs; an allocation to an existing account is an error (its
/// vesting schedule would be lost).
pub fn apply(app: &mut AppGenesis, alloc: &Allocation, airdrop_deadline: &str) -> Result<Value> {
    let mut auth: AuthGenesis = app.section("auth")?;
    let mut bank: BankGenesis = app.section("bank")?;
    let coins = |amt: u128| Coins::normalize([Coin::new(alloc.denom.clone(), amt)]).expect("validated denom");
    let first = auth.accounts.iter().map(|a| a.account_number + 1).max().unwrap_or(0);
    for (number, (g, v)) in (first..).zip(alloc.team.iter().chain(&alloc.investors)) {
        let bech = g.address.to_bech32();
        ensure!(
            !auth.accounts.iter().any(|a| a.address == bech),
            "{bech} already has an account in genesis; a vesting grant needs a new one"
        );
        ensure!(!bank.balances.iter().any(|b| b.address == bech), "{bech} already has a balance in genesis");
        auth.accounts.push(GenesisAccount { vesting: Some(v.clone()), ..GenesisAccount::new(&g.address, number) });
        credit(&mut bank.balances, &g.address, &coins(g.amount));
    }
    if alloc.ecosystem > 0 {
        credit(&mut bank.balances, &Address::module(ECOSYSTEM_POOL), &coins(alloc.ecosystem));
    }
    let airdrop_total: u128 = alloc.airdrop.iter().map(|g| g.amount).sum();
    let (root, proofs) = airdrop_proofs(&alloc.airdrop, &alloc.denom, airdrop_deadline);
    if airdrop_total > 0 {
        credit(&mut bank.balances, &venice_airdrop::module_address(), &coins(airdrop_total));
        let section = venice_airdrop::genesis::GenesisState {
            params: venice_airdrop::genesis::GenesisParams {
                merkle_root: hex::encode(root),
                denom: alloc.denom.clone(),
                total: airdrop_total,
                deadline: airdrop_deadline.to_string(),
            },
            claims: vec![],
            swept: false,
        };
        app.set_section(venice_airdrop::MODULE, &section)?;
    }
    fund_community_pool_genesis(app, &coins(alloc.growth), &mut bank.balances)?;
    // Supply follows the balances (bank computes it when empty).
    bank.supply.clear();
    app.set_section("auth", &auth)?;
    app.set_section("bank", &bank)?;
    Ok(proofs)
}

/// `veniced genesis allocate`: read the config, update genesis.json in
/// place, write the proofs next to it. Returns the proofs file's path.
pub fn run(genesis_path: &Path, config_path: &Path, proofs_out: Option<&Path>) -> Result<(PathBuf, Allocation)> {
    let text = std::fs::read_to_string(config_path).with_context(|| format!("reading {}", config_path.display()))?;
    let cfg: Config = toml::from_str(&text).with_context(|| format!("parsing {}", config_path.display()))?;
    let mut g: Value = crate::home::read_json(genesis_path)?;
    let start_str = match &cfg.start_time {
        Some(s) => s.clone(),
        None => g["genesis_time"].as_str().ok_or_else(|| anyhow!("genesis.json has no genesis_time; set start_time"))?.to_string(),
    };
    let start = Timestamp::parse_rfc3339(&start_str).ok_or_else(|| anyhow!("start time {start_str:?} is not RFC 3339"))?.secs;
    let deadline = match &cfg.community.airdrop_deadline {
        Some(d) => {
            Timestamp::parse_rfc3339(d).ok_or_else(|| anyhow!("community.airdrop_deadline {d:?} is not RFC 3339"))?;
            d.clone()
        }
        None if cfg.community.airdrop_list.is_some() => bail!("community.airdrop_deadline is required with an airdrop_list"),
        None => Timestamp::default().to_rfc3339(),
    };
    let base = config_path.parent().unwrap_or(Path::new("."));
    let alloc = allocate(&cfg, start, base)?;
    let mut app = AppGenesis::from_value(g["app_state"].take())?;
    let proofs = apply(&mut app, &alloc, &deadline)?;
    g["app_state"] = serde_json::to_value(&app)?;
    crate::home::write_json(genesis_path, &g)?;
    let out = match proofs_out {
        Some(p) => p.to_path_buf(),
        None => genesis_path.with_file_name("airdrop-proofs.json"),
    };
    crate::home::write_json(&out, &proofs)?;
    Ok((out, alloc))
}

#[cfg(test)]
#[path = "tokenomics_tests.rs"]
mod tests;
