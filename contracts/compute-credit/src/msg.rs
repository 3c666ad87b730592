use cosmwasm_schema::{cw_serde, QueryResponses};
use cosmwasm_std::{Binary, Uint128};
use cw20::{Cw20Coin, Cw20ExecuteMsg, Expiration, Logo, MinterResponse};
pub use cw20_base::msg::InstantiateMarketingInfo;
use cw20_base::msg::QueryMsg as Cw20QueryMsg;

#[cw_serde]
pub struct InstantiateMsg {
    pub name: String,
    pub symbol: String,
    pub decimals: u8,
    pub initial_balances: Vec<Cw20Coin>,
    /// The minter policy: one minter and an optional cap on total supply.
    pub mint: Option<MinterResponse>,
    pub marketing: Option<InstantiateMarketingInfo>,
    /// May change the minter policy later. `None`: the policy is fixed.
    pub admin: Option<String>,
}

impl From<InstantiateMsg> for cw20_base::msg::InstantiateMsg {
    fn from(m: InstantiateMsg) -> Self {
        cw20_base::msg::InstantiateMsg {
            name: m.name,
            symbol: m.symbol,
            decimals: m.decimals,
            initial_balances: m.initial_balances,
            mint: m.mint,
            marketing: m.marketing,
        }
    }
}

/// The cw20 messages (same JSON as `cw20::Cw20ExecuteMsg`) plus the admin's
/// minter policy messages.
#[cw_serde]
pub enum ExecuteMsg {
    Transfer {
        recipient: String,
        amount: Uint128,
    },
    Burn {
        amount: Uint128,
    },
    Send {
        contract: String,
        amount: Uint128,
        msg: Binary,
    },
    IncreaseAllowance {
        spender: String,
        amount: Uint128,
        expires: Option<Expiration>,
    },
    DecreaseAllowance {
        spender: String,
        amount: Uint128,
        expires: Option<Expiration>,
    },
    TransferFrom {
        owner: String,
        recipient: String,
        amount: Uint128,
    },
    SendFrom {
        owner: String,
        contract: String,
        amount: Uint128,
        msg: Binary,
    },
    BurnFrom {
        owner: String,
        amount: Uint128,
    },
    Mint {
        recipient: String,
        amount: Uint128,
    },
    /// Standard cw20: the current minter hands over (or with `None` drops)
    /// its role; the cap is kept.
    UpdateMinter {
        new_minter: Option<String>,
    },
    UpdateMarketing {
        project: Option<String>,
        description: Option<String>,
        marketing: Option<String>,
    },
    UploadLogo(Logo),
    /// Admin only: replace the minter policy. `minter: None` switches minting
    /// off (then `cap` must be `None` too). A cap may not be below the
    /// current total supply.
    SetMinterPolicy {
        minter: Option<String>,
        cap: Option<Uint128>,
    },
    /// Admin only: hand the admin role over, or renounce it with `None`.
    UpdateAdmin {
        admin: Option<String>,
    },
}

impl ExecuteMsg {
    /// The standard cw20 form of this message, or `Err(self)` for the
    /// Venice-specific ones.
    pub fn into_cw20(self) -> Result<Cw20ExecuteMsg, ExecuteMsg> {
        use ExecuteMsg as E;
        Ok(match self {
            E::Transfer { recipient, amount } => Cw20ExecuteMsg::Transfer { recipient, amount },
            E::Burn { amount } => Cw20ExecuteMsg::Burn { amount },
            E::Send { contract, amount, msg } => Cw20ExecuteMsg::Send { contract, amount, msg },
            E::IncreaseAllowance { spender, amount, expires } => Cw20ExecuteMsg::IncreaseAllowance { spender, amount, expires },
            E::DecreaseAllowance { spender, amount, expires } => Cw20ExecuteMsg::DecreaseAllowance { spender, amount, expires },
            E::TransferFrom { owner, recipient, amount } => Cw20ExecuteMsg::TransferFrom { owner, recipient, amount },
            E::SendFrom { owner, contract, amount, msg } => Cw20ExecuteMsg::SendFrom { owner, contract, amount, msg },
            E::BurnFrom { owner, amount } => Cw20ExecuteMsg::BurnFrom { owner, amount },
            E::Mint { recipient, amount } => Cw20ExecuteMsg::Mint { recipient, amount },
            E::UpdateMinter { new_minter } => Cw20ExecuteMsg::UpdateMinter { new_minter },
            E::UpdateMarketing { project, description, marketing } => Cw20ExecuteMsg::UpdateMarketing { project, description, marketing },
            E::UploadLogo(logo) => Cw20ExecuteMsg::UploadLogo(logo),
            other @ (E::SetMinterPolicy { .. } | E::UpdateAdmin { .. }) => return Err(other),
        })
    }
}

/// The cw20 queries (same JSON as `cw20_base::msg::QueryMsg`) plus `Admin`.
#[cw_serde]
#[derive(QueryResponses)]
pub enum QueryMsg {
    #[returns(cw20::BalanceResponse)]
    Balance { address: String },
    #[returns(cw20::TokenInfoResponse)]
    TokenInfo {},
    /// `null` when minting is switched off.
    #[returns(Option<cw20::MinterResponse>)]
    Minter {},
    #[returns(cw20::AllowanceResponse)]
    Allowance { owner: String, spender: String },
    #[returns(cw20::AllAllowancesResponse)]
    AllAllowances { owner: String, start_after: Option<String>, limit: Option<u32> },
    #[returns(cw20::AllSpenderAllowancesResponse)]
    AllSpenderAllowances { spender: String, start_after: Option<String>, limit: Option<u32> },
    #[returns(cw20::AllAccountsResponse)]
    AllAccounts { start_after: Option<String>, limit: Option<u32> },
    #[returns(cw20::MarketingInfoResponse)]
    MarketingInfo {},
    #[returns(cw20::DownloadLogoResponse)]
    DownloadLogo {},
    #[returns(AdminResponse)]
    Admin {},
}

impl QueryMsg {
    pub fn into_cw20(self) -> Result<Cw20QueryMsg, QueryMsg> {
        use QueryMsg as Q;
        Ok(match self {
            Q::Balance { address } => Cw20QueryMsg::Balance { address },
            Q::TokenInfo {} => Cw20QueryMsg::TokenInfo {},
            Q::Minter {} => Cw20QueryMsg::Minter {},
            Q::Allowance { owner, spender } => Cw20QueryMsg::Allowance { owner, spender },
            Q::AllAllowances { owner, start_after, limit } => Cw20QueryMsg::AllAllowances { owner, start_after, limit },
            Q::AllSpenderAllowances { spender, start_after, limit } => Cw20QueryMsg::AllSpenderAllowances { spender, start_after, limit },
            Q::AllAccounts { start_after, limit } => Cw20QueryMsg::AllAccounts { start_after, limit },
            Q::MarketingInfo {} => Cw20QueryMsg::MarketingInfo {},
            Q::DownloadLogo {} => Cw20QueryMsg::DownloadLogo {},
            other @ Q::Admin {} => return Err(other),
        })
    }
}

#[cw_serde]
pub struct AdminResponse {
    pub admin: Option<String>,
}

#[cw_serde]
pub struct MigrateMsg {}
