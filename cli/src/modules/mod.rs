//! The command tree below `tx` and `query`, one file per chain module plus
//! the generic commands. Adding a module's CLI is one new file with its
//! `TxCmd` / `QueryCmd` enums and their `run`, plus one line per enum in the
//! `commands!` lists below (and its `mod` line).

pub mod airdrop;
pub mod auth;
pub mod bank;
pub mod credential;
pub mod distribution;
pub mod ecosystem;
pub mod fees;
pub mod gov;
pub mod inference;
pub mod keys;
pub mod mint;
pub mod model;
pub mod slashing;
pub mod staking;
pub mod staking_query;
pub mod status;
pub mod txs;
pub mod upgrade;
pub mod vesting;
pub mod wasm;
pub mod wasm_query;

use std::time::Duration;

use clap::{Args, Subcommand};
use serde_json::Value;

use crate::Cli;
use crate::broadcast::{self, BroadcastMode, Gas, SignModeArg, TxOptions};
use crate::error::{CliError, Result};
use crate::output;
use crate::rpc::Node;
use venice_types::Dec;
use venice_types::coin_text::{parse_coins, parse_dec_coins};

/// Declares a subcommand enum whose variants each wrap one module's command
/// enum, and its `run`, which hands the command to that module.
macro_rules! commands {
    (
        $(#[$meta:meta])*
        enum $name:ident -> $out:ty {
            $( $(#[$vmeta:meta])* $variant:ident($ty:ty), )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Subcommand, Debug)]
        pub enum $name {
            $( $(#[$vmeta])* $variant($ty), )*
        }

        impl $name {
            pub async fn run(&self, cli: &Cli) -> Result<$out> {
                match self {
                    $( $name::$variant(cmd) => cmd.run(cli).await, )*
                }
            }
        }
    };
}

commands! {
    /// `venice tx …`: each runs to completion and prints its own result.
    #[allow(clippy::large_enum_variant)] // parsed once per run; boxing buys nothing
    enum TxCmd -> () {
        /// Bank module transactions
        #[command(subcommand)]
        Bank(bank::TxCmd),
        /// Staking: create and edit validators, delegate, unbond, redelegate
        #[command(subcommand)]
        Staking(staking::TxCmd),
        /// CosmWasm: store, instantiate, execute, migrate contracts
        #[command(subcommand)]
        Wasm(wasm::TxCmd),
        /// Distribution: withdraw rewards and commission, withdraw address, community pool
        #[command(subcommand)]
        Distribution(distribution::TxCmd),
        /// Model NFTs (the model-NFT contract): mint, update, transfer
        #[command(subcommand)]
        Model(model::TxCmd),
        /// Data credentials (the data-credential contract): offer, buy, revoke
        #[command(subcommand)]
        Credential(credential::TxCmd),
        /// Airdrop claims (venice.airdrop.v1)
        #[command(subcommand)]
        Airdrop(airdrop::TxCmd),
        /// Inference: list models, pay for tasks, compute credits, payout address
        #[command(subcommand)]
        Inference(inference::TxCmd),
        /// Vesting accounts (x/auth/vesting): continuous, delayed, permanent locked, periodic
        #[command(subcommand)]
        Vesting(vesting::TxCmd),
        /// Slashing module transactions (unjail)
        #[command(subcommand)]
        Slashing(slashing::TxCmd),
        /// Governance: submit, deposit on, vote on and cancel proposals
        #[command(subcommand)]
        Gov(gov::TxCmd),
        #[command(flatten)]
        Generic(txs::TxCmd),
    }
}

commands! {
    /// `venice query …`: each returns the value to print.
    enum QueryCmd -> Value {
        /// Bank module queries
        #[command(subcommand)]
        Bank(bank::QueryCmd),
        /// Auth module queries
        #[command(subcommand)]
        Auth(auth::QueryCmd),
        /// Staking: validators, delegations, unbondings, redelegations, pool, params
        #[command(subcommand)]
        Staking(staking_query::QueryCmd),
        /// CosmWasm codes, contracts and contract state
        #[command(subcommand)]
        Wasm(wasm_query::QueryCmd),
        /// Distribution: rewards, commission, community pool, slashes, params
        #[command(subcommand)]
        Distribution(distribution::QueryCmd),
        /// Mint: inflation, annual provisions, params
        #[command(subcommand)]
        Mint(mint::QueryCmd),
        /// Model NFTs: by token id, by ONNX hash, lists
        #[command(subcommand)]
        Model(model::QueryCmd),
        /// Data credentials: verify a holder's access
        #[command(subcommand)]
        Credential(credential::QueryCmd),
        /// The airdrop and who has claimed
        #[command(subcommand)]
        Airdrop(airdrop::QueryCmd),
        /// Slashing: signing infos and parameters
        #[command(subcommand)]
        Slashing(slashing::QueryCmd),
        /// Evidence of misbehaviour the chain handled (one by hash, or all)
        Evidence(slashing::EvidenceCmd),
        /// Governance proposals, votes, deposits, tallies and params
        #[command(subcommand)]
        Gov(gov::QueryCmd),
        /// Software upgrades: the scheduled plan, applied plans
        #[command(subcommand)]
        Upgrade(upgrade::QueryCmd),
        /// The ecosystem incentive pool
        #[command(subcommand)]
        Ecosystem(ecosystem::QueryCmd),
        /// Fee routing: the tx and inference fee splits, accepted fee denoms, base fees
        #[command(subcommand)]
        Fees(fees::QueryCmd),
        /// Inference: tasks, results, the queue, models, reputation, credits, params
        #[command(subcommand)]
        Inference(inference::QueryCmd),
        #[command(flatten)]
        Generic(txs::QueryCmd),
    }
}

/// The SDK's tx flags, shared by every `tx` command that signs.
#[derive(Args, Debug, Clone)]
pub struct TxFlags {
    /// Fee to pay, e.g. 500uvvv
    #[arg(long, value_name = "COINS", conflicts_with = "gas_prices")]
    pub fees: Option<String>,
    /// Gas limit, or "auto" to estimate by simulation
    #[arg(long, default_value_t = Gas::Fixed(broadcast::DEFAULT_GAS), value_name = "N|auto")]
    pub gas: Gas,
    /// Multiplier applied to the simulated gas with --gas auto
    #[arg(long, default_value = "1.3", value_name = "DEC")]
    pub gas_adjustment: String,
    /// Gas prices to compute the fee from when --fees is absent, e.g. 0.025uvvv
    #[arg(long, value_name = "DECCOINS")]
    pub gas_prices: Option<String>,
    /// Memo
    #[arg(long, default_value = "")]
    pub memo: String,
    /// Block height after which the transaction is invalid (0: none)
    #[arg(long, default_value_t = 0)]
    pub timeout_height: u64,
    /// Override the signer's sequence (default: from the chain)
    #[arg(long, short = 's')]
    pub sequence: Option<u64>,
    /// Override the signer's account number (default: from the chain)
    #[arg(long, short = 'a')]
    pub account_number: Option<u64>,
    /// sync: return after CheckTx (then wait for the block); block: broadcast_tx_commit
    #[arg(long, short = 'b', value_enum, default_value = "sync")]
    pub broadcast_mode: BroadcastMode,
    /// With sync broadcast, return right after CheckTx instead of waiting for the block
    #[arg(long)]
    pub no_wait: bool,
    /// Seconds to wait for inclusion in a block
    #[arg(long, default_value_t = 20, value_name = "SECS")]
    pub wait_timeout: u64,
    /// How to sign: direct (protobuf) or amino-json (Ledger / Keplr amino style)
    #[arg(long, value_enum, default_value = "direct")]
    pub sign_mode: SignModeArg,
    /// Print the unsigned transaction as JSON (for `tx sign`) instead of signing and broadcasting
    #[arg(long)]
    pub generate_only: bool,
}

impl TxFlags {
    pub fn options(&self, cli: &Cli) -> Result<TxOptions> {
        let gas_adjustment = Dec::parse(&self.gas_adjustment).filter(|d| !d.is_zero()).ok_or_else(|| CliError::BadFlag {
            flag: "--gas-adjustment",
            reason: format!("{:?} is not a positive decimal", self.gas_adjustment),
        })?;
        Ok(TxOptions {
            chain_id: cli.chain_id.clone(),
            fees: self.fees.as_deref().map(|s| parse_coins(s, true)).transpose()?,
            gas: self.gas,
            gas_adjustment,
            gas_prices: self.gas_prices.as_deref().map(parse_dec_coins).transpose()?,
            memo: self.memo.clone(),
            timeout_height: self.timeout_height,
            sequence: self.sequence,
            account_number: self.account_number,
            broadcast_mode: self.broadcast_mode,
            wait: !self.no_wait,
            wait_timeout: Duration::from_secs(self.wait_timeout),
            yes: cli.yes,
            sign_mode: self.sign_mode,
            generate_only: self.generate_only,
        })
    }
}

/// The node named by `--node`.
pub fn node(cli: &Cli) -> Result<Node> {
    Node::connect(&cli.node)
}

/// Prints a broadcast's response, then fails with its error if it has one.
pub fn print_outcome(cli: &Cli, outcome: broadcast::TxOutcome) -> Result<()> {
    if let Some(tx) = outcome.generated {
        // The SDK prints a generated tx as JSON whatever --output says.
        println!("{tx}");
        return Ok(());
    }
    output::print(cli.output, &outcome.response.to_value());
    match outcome.error {
        Some(e) => Err(e),
        None => Ok(()),
    }
}
