//! The chain's modules: the one list to edit when a module is added (its
//! crate, its workspace entry, and a line here), and the keepers the ante
//! handler is wired with, as a Cosmos SDK `app.go` does.

use std::sync::Arc;

use venice_airdrop::Airdrop;
use venice_auth::Auth;
use venice_auth::expected_keepers::{BankKeeper, FeePolicy};
use venice_bank::Bank;
use venice_distribution::Distribution;
use venice_ecosystem::Ecosystem;
use venice_fees::Fees;
use venice_gov::Gov;
use venice_mint::Mint;
use venice_sdk::manager::WiringError;
use venice_sdk::{Address, Coin, Coins, Ctx};
use venice_sdk::{Module, ModuleManager, Phase};
use venice_slashing::Slashing;
use venice_slashing::evidence::Evidence;
use venice_slashing::hooks::SlashingHooks;
use venice_staking::Staking;
use venice_staking::hooks::MultiHooks;
use venice_types::Dec;
use venice_upgrade::Upgrade;
use venice_vesting::VestingModule;
use venice_wasm::{Wasm, WasmConfig};

use crate::genutil::Genutil;

pub struct Modules {
    pub manager: ModuleManager,
    /// The fee deduction of the ante handler moves coins through bank.
    pub bank: Arc<dyn BankKeeper>,
    /// Genesis transactions ask staking for the first validator set.
    pub staking: Arc<Staking>,
    /// Contracts (node-local VM cache statistics, for tests and metrics).
    pub wasm: Wasm,
    /// Rewards and the community pool (`fund_community_pool` for modules
    /// that return funds to it).
    pub distribution: Arc<Distribution>,
    /// Software upgrade plans: the app asks it first in every block.
    pub upgrade: Arc<Upgrade>,
    /// The chain's fee rules the ante handler applies (the fees module;
    /// `None` in harnesses that run a chain without it).
    pub fee_policy: Option<Arc<dyn FeePolicy>>,
    /// Inference in blocks: `veniced` attaches its executor here, and reads
    /// the tasks it must run (`venice_inference::local`); `None` in
    /// harnesses that run a chain without it.
    pub inference: Option<Arc<venice_inference::Inference>>,
}

impl Modules {
    /// The chain's modules, in their phase orders, without a wasm VM
    /// directory (genesis templates, tools that run no contract).
    pub fn standard() -> Self {
        Self::with_wasm(WasmConfig::default())
    }

    /// The chain's modules; the wasm module keeps its VM files per `wasm`.
    pub fn with_wasm(wasm: WasmConfig) -> Self {
        Self::build(wasm, vec![]).expect("the standard module list is consistent")
    }

    /// The standard modules plus `extra` ones (tests register their own),
    /// which run last in every phase.
    pub fn with_extra(extra: Vec<Arc<dyn Module>>) -> Result<Self, WiringError> {
        Self::build(WasmConfig::default(), extra)
    }

    pub fn build(wasm_config: WasmConfig, extra: Vec<Arc<dyn Module>>) -> Result<Self, WiringError> {
        let auth = Arc::new(Auth);
        // Module accounts whose balances back their module's records take
        // no user sends (the SDK's blocked addresses; gov's is open, as in
        // the SDK). The ecosystem pool pays only voted grants; donations go
        // to the community pool, so it is blocked too (modules still fund it).
        let bank = Arc::new(Bank::new(Arc::new(AuthAccounts(auth.clone()))).with_blocked([
            venice_auth::ante::fee_collector(),
            venice_distribution::module_account(),
            venice_mint::module_account(),
            venice_staking::bonded_pool(),
            venice_staking::not_bonded_pool(),
            venice_airdrop::module_address(),
            venice_ecosystem::pool_address(),
            venice_fees::module_address(),
            // Escrowed task fees, checked by inference's escrow invariant.
            venice_inference::module_address(),
        ]));
        // Modules that follow stake (distribution, slashing) join these
        // hooks once built: they hold a staking keeper themselves.
        let staking_hooks = Arc::new(MultiHooks::default());
        let staking = Arc::new(Staking::new(Arc::new(BankForStaking(bank.clone()))).with_hooks(staking_hooks.clone()));
        let wasm = Wasm::new(wasm_config, Arc::new(WasmBank(bank.clone())), Arc::new(AuthAccounts(auth.clone())));
        let distribution =
            Arc::new(Distribution::new(Arc::new(StakingForDistribution), Arc::new(BankForDistribution(bank.clone()))).with_blocked([
                venice_staking::bonded_pool(),
                venice_staking::not_bonded_pool(),
                venice_mint::module_account(),
            ]));
        let mint = Arc::new(Mint::new(Arc::new(StakingForMint(bank.clone())), Arc::new(BankForMint(bank.clone()))));
        let slashing = Arc::new(Slashing::new(staking.clone()));
        let evidence = Arc::new(Evidence::new(slashing.clone()));
        let slashing_hooks: Arc<dyn venice_staking::hooks::StakingHooks> = Arc::new(SlashingHooks);
        staking_hooks.set(vec![distribution.clone(), slashing_hooks]).map_err(|e| WiringError::Keepers(e.into()))?;
        let vesting = Arc::new(VestingModule::new(Arc::new(AuthAccounts(auth.clone())), Arc::new(BankFor(bank.clone()))));
        let airdrop = Arc::new(Airdrop::new(Arc::new(BankFor(bank.clone())), Arc::new(CommunityPool(distribution.clone()))));
        let gov = Arc::new(
            Gov::new(Arc::new(BankForGov(bank.clone())), Arc::new(StakingForGov(bank.clone())))
                .with_community_pool(Arc::new(CommunityPool(distribution.clone()))),
        );
        let upgrade = Arc::new(Upgrade::new(crate::upgrades::handlers()));
        let ecosystem = Arc::new(Ecosystem::new(Arc::new(BankFor(bank.clone())), Arc::new(AuthAccounts(auth.clone()))));
        // fees: the one place that routes what the chain earns.
        let fees = Arc::new(Fees::new(Arc::new(BankForFees(bank.clone())), Arc::new(CommunityPool(distribution.clone()))));
        let inference = Arc::new(crate::inference_keepers::inference(&bank, &staking, &fees, &slashing, &wasm));
        let mut list: Vec<Arc<dyn Module>> = vec![
            upgrade.clone(),
            fees.clone(),
            auth,
            bank.clone(),
            staking.clone(),
            distribution.clone(),
            mint,
            slashing.clone(),
            evidence,
            vesting,
            airdrop,
            gov,
            ecosystem,
            Arc::new(wasm.clone()),
            inference.clone(),
            Arc::new(Genutil),
        ];
        let extra_names: Vec<&'static str> = extra.iter().map(|m| m.name()).collect();
        list.extend(extra);
        let order = |base: &[&'static str]| -> Vec<&'static str> { base.iter().chain(&extra_names).copied().collect() };
        // Accounts before balances (bank creates accounts on receipt), then
        // staking (which checks its pools' balances), contracts (their
        // accounts and funds need both), then the gentxs (delivered by the
        // app after every module's genesis). Distribution and mint follow
        // staking (distribution checks its module account against its
        // records). Each block mint mints to the fee collector first, then
        // distribution hands the fee collector's balance out, then slashing
        // (liveness) and evidence (double signs) act on the last commit:
        // the SDK's order. Staking's begin block records historical info;
        // its end block is where the validator updates come from. The
        // airdrop checks its module account's balance at genesis (after
        // bank) and sweeps at its deadline in begin block. gov settles
        // proposals before staking's end block, as the SDK orders them, so
        // a passed change to stake counts at once.
        // upgrade comes first in begin block as the SDK's PreBlocker (the
        // app runs its decision before any hook: see upgrades.rs). fees
        // comes next at genesis (before the gentxs, whose fees it checks)
        // and in begin block, so it splits the previous block's fees before
        // mint adds to the fee collector and distribution empties it.
        // inference: its genesis needs nothing of the others (listings name
        // contracts, checked when used), so it follows wasm. Its begin block
        // refunds the tasks whose deadline has come (plain bank sends out of
        // its own account), after the SDK modules' rewards and punishments;
        // the app applies the injected results before it, so a task answered
        // in its deadline block is final, not refunded. Its end block assigns
        // committees after gov (a passed params change counts at once) and
        // before staking's end block: the bonded set it reads is the one
        // that signs the next height's votes and vote extensions, not the
        // one staking is about to hand CometBFT for two heights later.
        const GENESIS: &[&str] = &[
            "upgrade",
            "fees",
            "auth",
            "bank",
            "staking",
            "distribution",
            "mint",
            "slashing",
            "evidence",
            "vesting",
            "airdrop",
            "gov",
            "ecosystem",
            "wasm",
            "inference",
            "genutil",
        ];
        const BEGIN: &[&str] = &[
            "upgrade",
            "fees",
            "mint",
            "distribution",
            "slashing",
            "evidence",
            "staking",
            "auth",
            "bank",
            "vesting",
            "airdrop",
            "gov",
            "ecosystem",
            "inference",
            "wasm",
            "genutil",
        ];
        const END: &[&str] = &[
            "gov",
            "inference",
            "staking",
            "auth",
            "bank",
            "distribution",
            "mint",
            "slashing",
            "evidence",
            "vesting",
            "airdrop",
            "ecosystem",
            "wasm",
            "genutil",
            "upgrade",
            "fees",
        ];
        let manager = ModuleManager::new(list)?
            .set_order(Phase::InitGenesis, &order(GENESIS))?
            .set_order(Phase::BeginBlock, &order(BEGIN))?
            .set_order(Phase::EndBlock, &order(END))?;
        Ok(Modules {
            manager,
            bank,
            staking,
            wasm,
            distribution,
            upgrade,
            fee_policy: Some(Arc::new(FeesForAnte(fees))),
            inference: Some(inference),
        })
    }
}

/// fees' expected BankKeeper, provided by bank.
pub struct BankForFees(pub Arc<Bank>);

impl venice_fees::expected_keepers::BankKeeper for BankForFees {
    fn send(&self, ctx: &mut Ctx, from: &Address, to: &Address, coins: &Coins) -> venice_sdk::Result<()> {
        self.0.send(ctx, from, to, coins)
    }
    fn burn(&self, ctx: &mut Ctx, from: &Address, coins: &Coins) -> venice_sdk::Result<()> {
        self.0.burn(ctx, from, coins)
    }
    fn all_balances(&self, ctx: &mut Ctx, addr: &Address) -> venice_sdk::Result<Vec<Coin>> {
        self.0.all_balances(ctx, addr)
    }
}

impl venice_fees::expected_keepers::CommunityPool for CommunityPool {
    fn fund(&self, ctx: &mut Ctx, from: &Address, coins: &Coins) -> venice_sdk::Result<()> {
        self.0.fund_community_pool(ctx, from, coins)
    }
}

/// auth's fee policy (the ante handler's consensus fee rules), provided by fees.
pub struct FeesForAnte(pub Arc<Fees>);

impl FeePolicy for FeesForAnte {
    fn check_fee(&self, ctx: &mut Ctx, fee: &Coins, gas_limit: u64, msg_types: &[&str]) -> venice_sdk::Result<()> {
        self.0.check_tx_fee(ctx, fee, gas_limit, msg_types)
    }
}

/// wasm's expected BankKeeper, provided by bank.
pub struct WasmBank(pub Arc<Bank>);

impl venice_wasm::expected_keepers::BankKeeper for WasmBank {
    fn send(&self, ctx: &mut Ctx, from: &Address, to: &Address, coins: &Coins) -> venice_sdk::Result<()> {
        self.0.check_send_enabled_scoped(ctx, coins)?;
        self.0.check_receiver(to)?;
        self.0.send(ctx, from, to, coins)
    }
    fn burn(&self, ctx: &mut Ctx, from: &Address, coins: &Coins) -> venice_sdk::Result<()> {
        self.0.burn(ctx, from, coins)
    }
    fn balance(&self, ctx: &mut Ctx, addr: &Address, denom: &str) -> venice_sdk::Result<u128> {
        self.0.balance(ctx, addr, denom)
    }
    fn all_balances(&self, ctx: &mut Ctx, addr: &Address) -> venice_sdk::Result<Vec<venice_sdk::Coin>> {
        self.0.all_balances(ctx, addr)
    }
    fn supply(&self, ctx: &mut Ctx, denom: &str) -> venice_sdk::Result<u128> {
        self.0.supply_of(ctx, denom)
    }
}

/// bank's expected AccountKeeper, provided by auth. (auth's ante handler
/// consumes bank, so bank depends on auth; this direction is wired here.)
pub struct AuthAccounts(pub Arc<Auth>);

impl venice_bank::expected_keepers::AccountKeeper for AuthAccounts {
    fn ensure_account(&self, ctx: &mut Ctx, addr: &Address) -> venice_sdk::Result<()> {
        self.0.ensure_account(ctx, addr)
    }
    fn locked_coins(&self, ctx: &mut Ctx, addr: &Address) -> venice_sdk::Result<Coins> {
        self.0.locked_coins(ctx, addr)
    }
    fn track_delegation(&self, ctx: &mut Ctx, addr: &Address, balance: &Coins, amount: &Coins) -> venice_sdk::Result<()> {
        self.0.track_delegation(ctx, addr, balance, amount)
    }
    fn track_undelegation(&self, ctx: &mut Ctx, addr: &Address, amount: &Coins) -> venice_sdk::Result<()> {
        self.0.track_undelegation(ctx, addr, amount)
    }
}

impl venice_vesting::expected_keepers::AccountKeeper for AuthAccounts {
    fn create_vesting_account(&self, ctx: &mut Ctx, addr: &Address, vesting: &venice_auth::Vesting) -> venice_sdk::Result<()> {
        self.0.create_vesting_account(ctx, addr, vesting)
    }
}

impl venice_ecosystem::expected_keepers::AccountKeeper for AuthAccounts {
    fn create_vesting_account(&self, ctx: &mut Ctx, addr: &Address, vesting: &venice_auth::Vesting) -> venice_sdk::Result<()> {
        self.0.create_vesting_account(ctx, addr, vesting)
    }
}

/// The ecosystem grants' expected BankKeeper, provided by bank.
impl venice_ecosystem::expected_keepers::BankKeeper for BankFor {
    fn check_send_enabled(&self, ctx: &mut Ctx, coins: &Coins) -> venice_sdk::Result<()> {
        self.0.check_send_enabled_scoped(ctx, coins)
    }
    fn check_receiver(&self, to: &Address) -> venice_sdk::Result<()> {
        self.0.check_receiver(to)
    }
    fn send(&self, ctx: &mut Ctx, from: &Address, to: &Address, coins: &Coins) -> venice_sdk::Result<()> {
        self.0.send(ctx, from, to, coins)
    }
    fn all_balances(&self, ctx: &mut Ctx, addr: &Address) -> venice_sdk::Result<Vec<Coin>> {
        self.0.all_balances(ctx, addr)
    }
}

/// The vesting messages' and the airdrop's expected BankKeeper, provided by bank.
pub struct BankFor(pub Arc<Bank>);

impl venice_vesting::expected_keepers::BankKeeper for BankFor {
    fn check_send_enabled(&self, ctx: &mut Ctx, coins: &Coins) -> venice_sdk::Result<()> {
        self.0.check_send_enabled_scoped(ctx, coins)
    }
    fn send(&self, ctx: &mut Ctx, from: &Address, to: &Address, coins: &Coins) -> venice_sdk::Result<()> {
        self.0.send(ctx, from, to, coins)
    }
}

impl venice_airdrop::expected_keepers::BankKeeper for BankFor {
    fn send(&self, ctx: &mut Ctx, from: &Address, to: &Address, coins: &Coins) -> venice_sdk::Result<()> {
        self.0.send(ctx, from, to, coins)
    }
    fn balance(&self, ctx: &mut Ctx, addr: &Address, denom: &str) -> venice_sdk::Result<u128> {
        self.0.balance(ctx, addr, denom)
    }
}

/// The community pool the airdrop returns unclaimed tokens to, kept by
/// distribution (the SDK's `FundCommunityPool`).
pub struct CommunityPool(pub Arc<Distribution>);

impl venice_airdrop::expected_keepers::CommunityPool for CommunityPool {
    fn fund(&self, ctx: &mut Ctx, from: &Address, coins: &Coins) -> venice_sdk::Result<()> {
        self.0.fund_community_pool(ctx, from, coins)
    }
}

impl venice_gov::expected_keepers::CommunityPool for CommunityPool {
    fn address(&self) -> Address {
        venice_distribution::module_account()
    }
    fn fund(&self, ctx: &mut Ctx, from: &Address, coins: &Coins) -> venice_sdk::Result<()> {
        self.0.fund_community_pool(ctx, from, coins)
    }
}

impl venice_wasm::expected_keepers::AccountKeeper for AuthAccounts {
    fn ensure_account(&self, ctx: &mut Ctx, addr: &Address) -> venice_sdk::Result<()> {
        self.0.ensure_account(ctx, addr)
    }
}

/// staking's expected BankKeeper, provided by bank.
pub struct BankForStaking(pub Arc<Bank>);

impl venice_staking::expected_keepers::BankKeeper for BankForStaking {
    fn send(&self, ctx: &mut Ctx, from: &Address, to: &Address, coins: &Coins) -> venice_sdk::Result<()> {
        self.0.send(ctx, from, to, coins)
    }
    fn balance(&self, ctx: &mut Ctx, addr: &Address, denom: &str) -> venice_sdk::Result<u128> {
        self.0.balance(ctx, addr, denom)
    }
    fn delegate_coins(&self, ctx: &mut Ctx, delegator: &Address, pool: &Address, coins: &Coins) -> venice_sdk::Result<()> {
        self.0.delegate_coins(ctx, delegator, pool, coins)
    }
    fn undelegate_coins(&self, ctx: &mut Ctx, pool: &Address, delegator: &Address, coins: &Coins) -> venice_sdk::Result<()> {
        self.0.undelegate_coins(ctx, pool, delegator, coins)
    }
    fn burn(&self, ctx: &mut Ctx, from: &Address, coins: &Coins) -> venice_sdk::Result<()> {
        self.0.burn(ctx, from, coins)
    }
}

/// gov's expected BankKeeper, provided by bank: deposits move between
/// accounts and the gov module account, and are burned from it.
pub struct BankForGov(pub Arc<Bank>);

impl venice_gov::expected_keepers::BankKeeper for BankForGov {
    fn send(&self, ctx: &mut Ctx, from: &Address, to: &Address, coins: &Coins) -> venice_sdk::Result<()> {
        self.0.send(ctx, from, to, coins)
    }
    fn burn(&self, ctx: &mut Ctx, from: &Address, coins: &Coins) -> venice_sdk::Result<()> {
        self.0.burn(ctx, from, coins)
    }
    fn balance(&self, ctx: &mut Ctx, addr: &Address, denom: &str) -> venice_sdk::Result<u128> {
        self.0.balance(ctx, addr, denom)
    }
}

/// gov's expected StakingKeeper: staking's state read in staking's own
/// scope (read-only), the bonded pool's balance from bank.
pub struct StakingForGov(pub Arc<Bank>);

impl venice_gov::expected_keepers::StakingKeeper for StakingForGov {
    fn bonded_validators(&self, ctx: &mut Ctx) -> venice_sdk::Result<Vec<venice_gov::expected_keepers::BondedValidator>> {
        let bonded = venice_staking::valset::bonded_validators(ctx)?;
        Ok(bonded
            .into_iter()
            .map(|v| venice_gov::expected_keepers::BondedValidator {
                operator: v.operator,
                tokens: v.tokens,
                delegator_shares: v.delegator_shares,
            })
            .collect())
    }
    fn delegations(&self, ctx: &mut Ctx, delegator: &Address) -> venice_sdk::Result<Vec<(Address, venice_types::Dec)>> {
        ctx.scoped(venice_staking::state::PREFIX, |ctx| venice_staking::state::delegator_delegations(ctx, delegator, None, usize::MAX))
    }
    fn total_bonded_tokens(&self, ctx: &mut Ctx) -> venice_sdk::Result<u128> {
        let denom = ctx.scoped(venice_staking::state::PREFIX, |ctx| venice_staking::state::params(ctx))?.bond_denom;
        self.0.balance(ctx, &venice_staking::bonded_pool(), &denom)
    }
}

/// distribution's read-only view of stake, provided by staking's state
/// (entered in staking's scope, as staking's own keeper reads it).
pub struct StakingForDistribution;

fn in_staking<R>(ctx: &mut Ctx, f: impl FnOnce(&mut Ctx) -> venice_sdk::Result<R>) -> venice_sdk::Result<R> {
    ctx.scoped(venice_staking::state::PREFIX, f)
}

fn dist_validator(v: venice_staking::Validator) -> venice_distribution::expected_keepers::ValidatorInfo {
    venice_distribution::expected_keepers::ValidatorInfo {
        operator: v.operator,
        tokens: v.tokens,
        delegator_shares: v.delegator_shares,
        commission_rate: v.commission.rates.rate,
    }
}

impl venice_distribution::expected_keepers::StakingKeeper for StakingForDistribution {
    fn validator(&self, ctx: &mut Ctx, op: &Address) -> venice_sdk::Result<Option<venice_distribution::expected_keepers::ValidatorInfo>> {
        in_staking(ctx, |ctx| Ok(venice_staking::state::validator(ctx, op)?.map(dist_validator)))
    }
    fn validator_by_cons(
        &self,
        ctx: &mut Ctx,
        cons: &Address,
    ) -> venice_sdk::Result<Option<venice_distribution::expected_keepers::ValidatorInfo>> {
        in_staking(ctx, |ctx| match venice_staking::state::validator_by_cons(ctx, cons)? {
            Some(op) => Ok(venice_staking::state::validator(ctx, &op)?.map(dist_validator)),
            None => Ok(None),
        })
    }
    fn delegation(&self, ctx: &mut Ctx, del: &Address, val: &Address) -> venice_sdk::Result<Option<Dec>> {
        in_staking(ctx, |ctx| venice_staking::state::delegation(ctx, del, val))
    }
    fn delegator_delegations(&self, ctx: &mut Ctx, del: &Address) -> venice_sdk::Result<Vec<(Address, Dec)>> {
        in_staking(ctx, |ctx| venice_staking::state::delegator_delegations(ctx, del, None, usize::MAX))
    }
    fn all_validators(&self, ctx: &mut Ctx) -> venice_sdk::Result<Vec<Address>> {
        in_staking(ctx, |ctx| Ok(venice_staking::state::validators(ctx, None, usize::MAX)?.into_iter().map(|v| v.operator).collect()))
    }
    fn all_delegations(&self, ctx: &mut Ctx) -> venice_sdk::Result<Vec<(Address, Address)>> {
        in_staking(ctx, |ctx| Ok(venice_staking::state::all_delegations(ctx)?.into_iter().map(|(d, v, _)| (d, v)).collect()))
    }
}

/// distribution's expected BankKeeper, provided by bank.
pub struct BankForDistribution(pub Arc<Bank>);

impl venice_distribution::expected_keepers::BankKeeper for BankForDistribution {
    fn send(&self, ctx: &mut Ctx, from: &Address, to: &Address, coins: &Coins) -> venice_sdk::Result<()> {
        self.0.send(ctx, from, to, coins)
    }
    fn all_balances(&self, ctx: &mut Ctx, addr: &Address) -> venice_sdk::Result<Vec<Coin>> {
        self.0.all_balances(ctx, addr)
    }
}

/// mint's view of stake: the bonded pool's balance in the bond denom.
pub struct StakingForMint(pub Arc<Bank>);

impl venice_mint::expected_keepers::StakingKeeper for StakingForMint {
    fn total_bonded_tokens(&self, ctx: &mut Ctx) -> venice_sdk::Result<u128> {
        let denom = self.bond_denom(ctx)?;
        self.0.balance(ctx, &venice_staking::bonded_pool(), &denom)
    }
    fn bond_denom(&self, ctx: &mut Ctx) -> venice_sdk::Result<String> {
        in_staking(ctx, |ctx| Ok(venice_staking::state::params(ctx)?.bond_denom))
    }
}

/// mint's expected BankKeeper, provided by bank.
pub struct BankForMint(pub Arc<Bank>);

impl venice_mint::expected_keepers::BankKeeper for BankForMint {
    fn supply(&self, ctx: &mut Ctx, denom: &str) -> venice_sdk::Result<u128> {
        self.0.supply_of(ctx, denom)
    }
    fn mint(&self, ctx: &mut Ctx, to: &Address, coins: &Coins) -> venice_sdk::Result<()> {
        ctx.scoped(venice_bank::state::PREFIX, |ctx| self.0.mint(ctx, to, coins))
    }
    fn send(&self, ctx: &mut Ctx, from: &Address, to: &Address, coins: &Coins) -> venice_sdk::Result<()> {
        self.0.send(ctx, from, to, coins)
    }
}

impl Default for Modules {
    fn default() -> Self {
        Self::standard()
    }
}
