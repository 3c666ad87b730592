//! What inference needs of other modules, declared here and implemented by
//! adapters in the app (test doubles in the unit tests).

use venice_model_types::ModelDescriptor;
use venice_sdk::{Address, Coins, Ctx, Result};
use venice_types::Dec;

/// Escrow in and out of the `inference` module account. Provided by `bank`.
pub trait BankKeeper: Send + Sync {
    fn send(&self, ctx: &mut Ctx, from: &Address, to: &Address, coins: &Coins) -> Result<()>;
    fn balance(&self, ctx: &mut Ctx, addr: &Address, denom: &str) -> Result<u128>;
}

/// The model-NFT contract, read-only. Provided by the app over `wasm`
/// (smart queries `owner_of` and `nft_info` of the cw721 model NFT).
pub trait ModelNfts: Send + Sync {
    /// The token's owner; `None` when the token (or contract) does not exist.
    fn owner_of(&self, ctx: &mut Ctx, contract: &Address, token_id: &str) -> Result<Option<Address>>;
    /// The token's model descriptor (its extension); `None` when absent.
    fn model_info(&self, ctx: &mut Ctx, contract: &Address, token_id: &str) -> Result<Option<ModelDescriptor>>;
}

/// A dataset a data credential opens, as the data-credential contract
/// describes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dataset {
    pub id: u64,
    /// sha256 of its bytes, 64 lower-case hex digits.
    pub data_hash: String,
    pub uri: String,
}

/// The data-credential contract. Provided by the app over `wasm`: the
/// module account is the consumer that spends a credential's use.
pub trait DataCredentials: Send + Sync {
    /// Spends one use of `holder`'s credential `credential_id` of `contract`
    /// and returns its dataset. `Ok(Err(reason))`: the contract refused
    /// (unknown, someone else's, expired, revoked, used up, or this module
    /// not an authorised consumer); `Err`: the call itself failed (gas).
    fn consume(
        &self,
        ctx: &mut Ctx,
        contract: &Address,
        holder: &Address,
        credential_id: u64,
    ) -> Result<std::result::Result<Dataset, String>>;

    /// Gives back the use `consume` spent for a task that expired
    /// unanswered. `Ok(Err(reason))`: the contract refused (the credential
    /// changed hands, or the contract has no refunds); `Err`: the call
    /// itself failed (gas, store).
    fn refund(
        &self,
        ctx: &mut Ctx,
        contract: &Address,
        holder: &Address,
        credential_id: u64,
        dataset_id: u64,
    ) -> Result<std::result::Result<(), String>>;
}

/// A validator as committee selection sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidatorInfo {
    /// The operator's account bytes (`venicevaloper1…` of the same bytes).
    pub operator: Address,
    /// CometBFT consensus address (20 bytes): how vote extensions name it.
    pub consensus_address: Vec<u8>,
    /// Consensus power (bonded tokens / power reduction).
    pub power: u64,
    pub jailed: bool,
}

/// The bonded validator set. Provided by `staking`.
pub trait Validators: Send + Sync {
    /// Bonded validators, any order (the module sorts them).
    fn validators(&self, ctx: &mut Ctx) -> Result<Vec<ValidatorInfo>>;
    /// The validator an operator runs, bonded or not; `None` when none.
    fn validator(&self, ctx: &mut Ctx, operator: &Address) -> Result<Option<ValidatorInfo>>;
    /// The set CometBFT was last handed (staking's last validator powers,
    /// with ed25519 consensus keys): before staking's end block at height
    /// `h`, the set that signs height `h + 1`.
    fn consensus_set(&self, ctx: &mut Ctx) -> Result<Vec<crate::state::Signer>>;
}

/// The fee split of a final task. Provided by the fees module: it moves
/// `fee` out of `from` (the inference module account) to the executors'
/// payout addresses, the model owner, stakers and the pools.
pub trait FeeRouter: Send + Sync {
    fn route_inference_fee(&self, ctx: &mut Ctx, from: &Address, fee: &Coins, model_owner: &Address, executors: &[Address]) -> Result<()>;
}

/// Punishment of a member whose reputation fell past the threshold.
/// Provided by `slashing` (slash `fraction` of its stake, jail it).
pub trait Slasher: Send + Sync {
    fn slash_inference_fault(
        &self,
        ctx: &mut Ctx,
        consensus_address: &[u8],
        infraction_height: u64,
        power: u64,
        fraction: Dec,
    ) -> Result<()>;
}

/// Bonded VVV locked behind compute credits (it cannot be undelegated
/// while locked). Provided by `staking`.
pub trait StakeLocker: Send + Sync {
    /// `owner`'s bonded tokens not yet locked.
    fn unlocked_bonded(&self, ctx: &mut Ctx, owner: &Address) -> Result<u128>;
    fn lock(&self, ctx: &mut Ctx, owner: &Address, amount: u128) -> Result<()>;
    fn unlock(&self, ctx: &mut Ctx, owner: &Address, amount: u128) -> Result<()>;
}

/// The compute-credit cw20 token (`contract`, the `credit_contract`
/// param), whose balances mirror this module's credit records. Provided by
/// the app over `wasm`: the module account mints (it is the minter); a
/// burn is the holder's own, who signed `MsgBurnCredits`.
pub trait CreditToken: Send + Sync {
    fn mint(&self, ctx: &mut Ctx, contract: &Address, to: &Address, amount: u128) -> Result<()>;
    fn burn(&self, ctx: &mut Ctx, contract: &Address, from: &Address, amount: u128) -> Result<()>;
}
