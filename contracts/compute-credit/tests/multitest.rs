//! Every message of the compute-credit contract, its failure paths, and a
//! differential run against the unmodified cw20-base showing that the
//! standard cw20 surface behaves exactly like it.

use compute_credit::contract::{execute, instantiate, migrate, query};
use compute_credit::msg::{AdminResponse, ExecuteMsg, InstantiateMarketingInfo, InstantiateMsg, MigrateMsg, QueryMsg};
use compute_credit::ContractError;
use cosmwasm_std::{to_json_binary, Addr, Binary, Empty, StdError, Uint128};
use cw20::{
    AllAccountsResponse, AllAllowancesResponse, AllSpenderAllowancesResponse, AllowanceResponse, BalanceResponse, Cw20Coin,
    DownloadLogoResponse, EmbeddedLogo, Expiration, Logo, LogoInfo, MarketingInfoResponse, MinterResponse, TokenInfoResponse,
};
use cw_multi_test::{App, AppResponse, Contract, ContractWrapper, Executor};

fn credit_code() -> Box<dyn Contract<Empty>> {
    Box::new(ContractWrapper::new(execute, instantiate, query).with_migrate(migrate))
}

fn cw20_base_code() -> Box<dyn Contract<Empty>> {
    Box::new(ContractWrapper::new(cw20_base::contract::execute, cw20_base::contract::instantiate, cw20_base::contract::query))
}

#[cosmwasm_schema::cw_serde]
enum ReceiverMsg {
    Receive(cw20::Cw20ReceiveMsg),
}

/// A receiver that accepts any `Receive` hook, so `Send` can be observed.
fn receiver_code() -> Box<dyn Contract<Empty>> {
    Box::new(ContractWrapper::new(
        |_d, _e, _i, ReceiverMsg::Receive(msg)| -> Result<cosmwasm_std::Response, StdError> {
            Ok(cosmwasm_std::Response::new()
                .add_attribute("received", msg.amount)
                .add_attribute("from", msg.sender)
                .add_attribute("payload", msg.msg.to_base64()))
        },
        |_d, _e, _i, _m: Empty| -> Result<cosmwasm_std::Response, StdError> { Ok(cosmwasm_std::Response::new()) },
        |_d, _e, _m: Empty| -> Result<Binary, StdError> { to_json_binary(&Empty {}) },
    ))
}

struct Env {
    app: App,
    token: Addr,
    admin: Addr,
    minter: Addr,
    alice: Addr,
    bob: Addr,
}

fn contract_err(e: anyhow::Error) -> ContractError {
    e.downcast::<ContractError>().unwrap_or_else(|e| panic!("not a ContractError: {e:?}"))
}

fn is_overflow(e: &ContractError) -> bool {
    matches!(e, ContractError::Cw20(cw20_base::ContractError::Std(StdError::Overflow { .. })))
}

fn setup(cap: Option<u128>) -> Env {
    let mut app = App::default();
    let admin = app.api().addr_make("admin");
    let minter = app.api().addr_make("minter");
    let alice = app.api().addr_make("alice");
    let bob = app.api().addr_make("bob");
    let code = app.store_code(credit_code());
    let token = app
        .instantiate_contract(
            code,
            admin.clone(),
            &InstantiateMsg {
                name: "Venice compute credit".into(),
                symbol: "VCC".into(),
                decimals: 6,
                initial_balances: vec![Cw20Coin { address: alice.to_string(), amount: 1_000u128.into() }],
                mint: Some(MinterResponse { minter: minter.to_string(), cap: cap.map(Into::into) }),
                marketing: Some(InstantiateMarketingInfo {
                    project: Some("venice".into()),
                    description: Some("prepaid inference".into()),
                    marketing: Some(admin.to_string()),
                    logo: Some(Logo::Url("ipfs://logo".into())),
                }),
                admin: Some(admin.to_string()),
            },
            &[],
            "credits",
            Some(admin.to_string()),
        )
        .unwrap();
    Env { app, token, admin, minter, alice, bob }
}

impl Env {
    fn exec(&mut self, sender: &Addr, msg: ExecuteMsg) -> Result<AppResponse, ContractError> {
        self.app.execute_contract(sender.clone(), self.token.clone(), &msg, &[]).map_err(contract_err)
    }
    fn balance(&self, who: &Addr) -> u128 {
        let r: BalanceResponse = self.app.wrap().query_wasm_smart(&self.token, &QueryMsg::Balance { address: who.to_string() }).unwrap();
        r.balance.u128()
    }
    fn supply(&self) -> u128 {
        let r: TokenInfoResponse = self.app.wrap().query_wasm_smart(&self.token, &QueryMsg::TokenInfo {}).unwrap();
        r.total_supply.u128()
    }
    fn minter(&self) -> Option<MinterResponse> {
        self.app.wrap().query_wasm_smart(&self.token, &QueryMsg::Minter {}).unwrap()
    }
    fn allowance(&self, owner: &Addr, spender: &Addr) -> AllowanceResponse {
        self.app
            .wrap()
            .query_wasm_smart(&self.token, &QueryMsg::Allowance { owner: owner.to_string(), spender: spender.to_string() })
            .unwrap()
    }
}

#[test]
fn instantiate_records_token_minter_admin_and_marketing() {
    let env = setup(Some(10_000));
    let info: TokenInfoResponse = env.app.wrap().query_wasm_smart(&env.token, &QueryMsg::TokenInfo {}).unwrap();
    assert_eq!(
        info,
        TokenInfoResponse { name: "Venice compute credit".into(), symbol: "VCC".into(), decimals: 6, total_supply: 1_000u128.into() }
    );
    assert_eq!(env.minter(), Some(MinterResponse { minter: env.minter.to_string(), cap: Some(10_000u128.into()) }));
    let admin: AdminResponse = env.app.wrap().query_wasm_smart(&env.token, &QueryMsg::Admin {}).unwrap();
    assert_eq!(admin.admin, Some(env.admin.to_string()));
    let m: MarketingInfoResponse = env.app.wrap().query_wasm_smart(&env.token, &QueryMsg::MarketingInfo {}).unwrap();
    assert_eq!(m.project.as_deref(), Some("venice"));
    assert_eq!(m.logo, Some(LogoInfo::Url("ipfs://logo".into())));
    let version = cw2::query_contract_info(&env.app.wrap(), env.token.to_string()).unwrap();
    assert_eq!(version.contract, "venice:compute-credit");
}

#[test]
fn instantiate_rejects_initial_supply_over_cap() {
    let mut app = App::default();
    let alice = app.api().addr_make("alice");
    let code = app.store_code(credit_code());
    let err = app
        .instantiate_contract(
            code,
            alice.clone(),
            &InstantiateMsg {
                name: "Credits".into(),
                symbol: "CRD".into(),
                decimals: 6,
                initial_balances: vec![Cw20Coin { address: alice.to_string(), amount: 11u128.into() }],
                mint: Some(MinterResponse { minter: alice.to_string(), cap: Some(10u128.into()) }),
                marketing: None,
                admin: None,
            },
            &[],
            "credits",
            None,
        )
        .unwrap_err();
    assert!(err.chain().any(|c| c.to_string().contains("Initial supply greater than cap")), "{err:?}");
}

#[test]
fn transfer_moves_balance_and_overspend_fails() {
    let mut env = setup(None);
    let (alice, bob) = (env.alice.clone(), env.bob.clone());
    env.exec(&alice, ExecuteMsg::Transfer { recipient: bob.to_string(), amount: 400u128.into() }).unwrap();
    assert_eq!((env.balance(&alice), env.balance(&bob)), (600, 400));
    let err = env.exec(&alice, ExecuteMsg::Transfer { recipient: bob.to_string(), amount: 601u128.into() }).unwrap_err();
    assert!(is_overflow(&err), "{err:?}");
    assert_eq!((env.balance(&alice), env.balance(&bob)), (600, 400));
    assert_eq!(env.supply(), 1_000);
}

#[test]
fn burn_reduces_supply_and_overburn_fails() {
    let mut env = setup(None);
    let alice = env.alice.clone();
    env.exec(&alice, ExecuteMsg::Burn { amount: 100u128.into() }).unwrap();
    assert_eq!((env.balance(&alice), env.supply()), (900, 900));
    let err = env.exec(&alice, ExecuteMsg::Burn { amount: 901u128.into() }).unwrap_err();
    assert!(is_overflow(&err));
}

#[test]
fn send_calls_the_receiver_hook() {
    let mut env = setup(None);
    let rcode = env.app.store_code(receiver_code());
    let receiver = env.app.instantiate_contract(rcode, env.admin.clone(), &Empty {}, &[], "recv", None).unwrap();
    let alice = env.alice.clone();
    let res = env
        .exec(&alice, ExecuteMsg::Send { contract: receiver.to_string(), amount: 70u128.into(), msg: Binary::from(b"job-1".as_slice()) })
        .unwrap();
    assert!(res.events.iter().any(|e| e.attributes.iter().any(|a| a.key == "received" && a.value == "70")));
    assert!(res.events.iter().any(|e| e.attributes.iter().any(|a| a.key == "from" && a.value == alice.as_str())));
    assert_eq!(env.balance(&receiver), 70);
}

#[test]
fn allowances_spend_within_limit_and_fail_beyond() {
    let mut env = setup(None);
    let (alice, bob) = (env.alice.clone(), env.bob.clone());
    let carol = env.app.api().addr_make("carol");

    // No allowance yet.
    let err = env
        .exec(&bob, ExecuteMsg::TransferFrom { owner: alice.to_string(), recipient: carol.to_string(), amount: 1u128.into() })
        .unwrap_err();
    assert_eq!(err, ContractError::Cw20(cw20_base::ContractError::NoAllowance {}));

    env.exec(&alice, ExecuteMsg::IncreaseAllowance { spender: bob.to_string(), amount: 300u128.into(), expires: None }).unwrap();
    env.exec(&alice, ExecuteMsg::DecreaseAllowance { spender: bob.to_string(), amount: 100u128.into(), expires: None }).unwrap();
    assert_eq!(env.allowance(&alice, &bob).allowance.u128(), 200);

    env.exec(&bob, ExecuteMsg::TransferFrom { owner: alice.to_string(), recipient: carol.to_string(), amount: 150u128.into() }).unwrap();
    assert_eq!(env.balance(&carol), 150);
    assert_eq!(env.allowance(&alice, &bob).allowance.u128(), 50);

    // Allowance overspend.
    let err = env
        .exec(&bob, ExecuteMsg::TransferFrom { owner: alice.to_string(), recipient: carol.to_string(), amount: 51u128.into() })
        .unwrap_err();
    assert!(is_overflow(&err), "{err:?}");

    env.exec(&bob, ExecuteMsg::BurnFrom { owner: alice.to_string(), amount: 50u128.into() }).unwrap();
    assert_eq!(env.supply(), 950);
    // Used up: the allowance entry is gone or zero; another burn fails.
    let err = env.exec(&bob, ExecuteMsg::BurnFrom { owner: alice.to_string(), amount: 1u128.into() }).unwrap_err();
    assert!(is_overflow(&err) || err == ContractError::Cw20(cw20_base::ContractError::NoAllowance {}), "{err:?}");

    // Allowance larger than the balance: the balance is what fails.
    env.exec(&alice, ExecuteMsg::IncreaseAllowance { spender: bob.to_string(), amount: 10_000u128.into(), expires: None }).unwrap();
    let err = env
        .exec(&bob, ExecuteMsg::TransferFrom { owner: alice.to_string(), recipient: carol.to_string(), amount: 5_000u128.into() })
        .unwrap_err();
    assert!(is_overflow(&err), "{err:?}");

    // Cannot approve oneself.
    let err =
        env.exec(&alice, ExecuteMsg::IncreaseAllowance { spender: alice.to_string(), amount: 1u128.into(), expires: None }).unwrap_err();
    assert_eq!(err, ContractError::Cw20(cw20_base::ContractError::CannotSetOwnAccount {}));
}

#[test]
fn expired_allowance_cannot_be_spent() {
    let mut env = setup(None);
    let (alice, bob) = (env.alice.clone(), env.bob.clone());
    let height = env.app.block_info().height;
    env.exec(
        &alice,
        ExecuteMsg::IncreaseAllowance { spender: bob.to_string(), amount: 100u128.into(), expires: Some(Expiration::AtHeight(height + 2)) },
    )
    .unwrap();
    env.app.update_block(|b| b.height += 5);
    let err = env
        .exec(&bob, ExecuteMsg::TransferFrom { owner: alice.to_string(), recipient: bob.to_string(), amount: 1u128.into() })
        .unwrap_err();
    assert_eq!(err, ContractError::Cw20(cw20_base::ContractError::Expired {}));
    // An expiry already in the past is refused when set.
    let err = env
        .exec(
            &alice,
            ExecuteMsg::IncreaseAllowance { spender: bob.to_string(), amount: 1u128.into(), expires: Some(Expiration::AtHeight(1)) },
        )
        .unwrap_err();
    assert_eq!(err, ContractError::Cw20(cw20_base::ContractError::InvalidExpiration {}));
}

#[test]
fn send_from_uses_allowance() {
    let mut env = setup(None);
    let rcode = env.app.store_code(receiver_code());
    let receiver = env.app.instantiate_contract(rcode, env.admin.clone(), &Empty {}, &[], "recv", None).unwrap();
    let (alice, bob) = (env.alice.clone(), env.bob.clone());
    env.exec(&alice, ExecuteMsg::IncreaseAllowance { spender: bob.to_string(), amount: 30u128.into(), expires: None }).unwrap();
    env.exec(
        &bob,
        ExecuteMsg::SendFrom { owner: alice.to_string(), contract: receiver.to_string(), amount: 30u128.into(), msg: Binary::default() },
    )
    .unwrap();
    assert_eq!(env.balance(&receiver), 30);
    assert_eq!(env.balance(&alice), 970);
}

#[test]
fn enumerations_list_accounts_and_allowances() {
    let mut env = setup(None);
    let (alice, bob) = (env.alice.clone(), env.bob.clone());
    env.exec(&alice, ExecuteMsg::Transfer { recipient: bob.to_string(), amount: 1u128.into() }).unwrap();
    env.exec(&alice, ExecuteMsg::IncreaseAllowance { spender: bob.to_string(), amount: 5u128.into(), expires: None }).unwrap();
    let accounts: AllAccountsResponse =
        env.app.wrap().query_wasm_smart(&env.token, &QueryMsg::AllAccounts { start_after: None, limit: None }).unwrap();
    let mut expected = vec![alice.to_string(), bob.to_string()];
    expected.sort();
    assert_eq!(accounts.accounts, expected);
    let owner: AllAllowancesResponse = env
        .app
        .wrap()
        .query_wasm_smart(&env.token, &QueryMsg::AllAllowances { owner: alice.to_string(), start_after: None, limit: None })
        .unwrap();
    assert_eq!(owner.allowances.len(), 1);
    assert_eq!(owner.allowances[0].spender, bob.to_string());
    let spender: AllSpenderAllowancesResponse = env
        .app
        .wrap()
        .query_wasm_smart(&env.token, &QueryMsg::AllSpenderAllowances { spender: bob.to_string(), start_after: None, limit: None })
        .unwrap();
    assert_eq!(spender.allowances[0].owner, alice.to_string());
    assert_eq!(spender.allowances[0].allowance.u128(), 5);
}

#[test]
fn minting_respects_minter_and_cap() {
    let mut env = setup(Some(1_500));
    let (minter, alice, bob) = (env.minter.clone(), env.alice.clone(), env.bob.clone());
    let err = env.exec(&alice, ExecuteMsg::Mint { recipient: alice.to_string(), amount: 1u128.into() }).unwrap_err();
    assert_eq!(err, ContractError::Cw20(cw20_base::ContractError::Unauthorized {}));
    env.exec(&minter, ExecuteMsg::Mint { recipient: bob.to_string(), amount: 500u128.into() }).unwrap();
    assert_eq!((env.balance(&bob), env.supply()), (500, 1_500));
    let err = env.exec(&minter, ExecuteMsg::Mint { recipient: bob.to_string(), amount: 1u128.into() }).unwrap_err();
    assert_eq!(err, ContractError::Cw20(cw20_base::ContractError::CannotExceedCap {}));
    assert_eq!(env.supply(), 1_500);
}

#[test]
fn admin_sets_minter_policy() {
    let mut env = setup(Some(2_000));
    let (admin, minter, alice, bob) = (env.admin.clone(), env.minter.clone(), env.alice.clone(), env.bob.clone());

    // Only the admin, not even the minter.
    for who in [&minter, &alice] {
        let err = env.exec(who, ExecuteMsg::SetMinterPolicy { minter: Some(who.to_string()), cap: None }).unwrap_err();
        assert_eq!(err, ContractError::NotAdmin {});
    }
    // Cap may not go below what exists.
    let err = env.exec(&admin, ExecuteMsg::SetMinterPolicy { minter: Some(bob.to_string()), cap: Some(999u128.into()) }).unwrap_err();
    assert_eq!(err, ContractError::CapBelowSupply { cap: 999u128.into(), supply: 1_000u128.into() });
    let err = env.exec(&admin, ExecuteMsg::SetMinterPolicy { minter: None, cap: Some(5_000u128.into()) }).unwrap_err();
    assert_eq!(err, ContractError::CapWithoutMinter {});

    env.exec(&admin, ExecuteMsg::SetMinterPolicy { minter: Some(bob.to_string()), cap: Some(1_200u128.into()) }).unwrap();
    assert_eq!(env.minter(), Some(MinterResponse { minter: bob.to_string(), cap: Some(1_200u128.into()) }));
    let err = env.exec(&minter, ExecuteMsg::Mint { recipient: alice.to_string(), amount: 1u128.into() }).unwrap_err();
    assert_eq!(err, ContractError::Cw20(cw20_base::ContractError::Unauthorized {}));
    env.exec(&bob, ExecuteMsg::Mint { recipient: alice.to_string(), amount: 200u128.into() }).unwrap();
    let err = env.exec(&bob, ExecuteMsg::Mint { recipient: alice.to_string(), amount: 1u128.into() }).unwrap_err();
    assert_eq!(err, ContractError::Cw20(cw20_base::ContractError::CannotExceedCap {}));

    // Uncapped.
    env.exec(&admin, ExecuteMsg::SetMinterPolicy { minter: Some(bob.to_string()), cap: None }).unwrap();
    env.exec(&bob, ExecuteMsg::Mint { recipient: alice.to_string(), amount: 1_000_000u128.into() }).unwrap();

    // Minting off.
    env.exec(&admin, ExecuteMsg::SetMinterPolicy { minter: None, cap: None }).unwrap();
    assert_eq!(env.minter(), None);
    let err = env.exec(&bob, ExecuteMsg::Mint { recipient: alice.to_string(), amount: 1u128.into() }).unwrap_err();
    assert_eq!(err, ContractError::Cw20(cw20_base::ContractError::Unauthorized {}));
}

#[test]
fn minter_hands_over_its_role_keeping_the_cap() {
    let mut env = setup(Some(3_000));
    let (minter, bob) = (env.minter.clone(), env.bob.clone());
    let err = env.exec(&bob, ExecuteMsg::UpdateMinter { new_minter: Some(bob.to_string()) }).unwrap_err();
    assert_eq!(err, ContractError::Cw20(cw20_base::ContractError::Unauthorized {}));
    env.exec(&minter, ExecuteMsg::UpdateMinter { new_minter: Some(bob.to_string()) }).unwrap();
    assert_eq!(env.minter(), Some(MinterResponse { minter: bob.to_string(), cap: Some(3_000u128.into()) }));
    env.exec(&bob, ExecuteMsg::UpdateMinter { new_minter: None }).unwrap();
    assert_eq!(env.minter(), None);
}

#[test]
fn admin_role_moves_and_can_be_renounced() {
    let mut env = setup(None);
    let (admin, bob) = (env.admin.clone(), env.bob.clone());
    let err = env.exec(&bob, ExecuteMsg::UpdateAdmin { admin: Some(bob.to_string()) }).unwrap_err();
    assert_eq!(err, ContractError::NotAdmin {});
    env.exec(&admin, ExecuteMsg::UpdateAdmin { admin: Some(bob.to_string()) }).unwrap();
    let err = env.exec(&admin, ExecuteMsg::SetMinterPolicy { minter: None, cap: None }).unwrap_err();
    assert_eq!(err, ContractError::NotAdmin {});
    env.exec(&bob, ExecuteMsg::UpdateAdmin { admin: None }).unwrap();
    let r: AdminResponse = env.app.wrap().query_wasm_smart(&env.token, &QueryMsg::Admin {}).unwrap();
    assert_eq!(r.admin, None);
    let err = env.exec(&bob, ExecuteMsg::SetMinterPolicy { minter: None, cap: None }).unwrap_err();
    assert_eq!(err, ContractError::NotAdmin {});
}

#[test]
fn marketing_and_logo() {
    let mut env = setup(None);
    let (admin, bob) = (env.admin.clone(), env.bob.clone());
    let err = env.exec(&bob, ExecuteMsg::UpdateMarketing { project: Some("x".into()), description: None, marketing: None }).unwrap_err();
    assert_eq!(err, ContractError::Cw20(cw20_base::ContractError::Unauthorized {}));
    env.exec(&admin, ExecuteMsg::UpdateMarketing { project: None, description: Some("credits for inference".into()), marketing: None })
        .unwrap();
    let svg = b"<?xml version=\"1.0\"?><svg></svg>".to_vec();
    env.exec(&admin, ExecuteMsg::UploadLogo(Logo::Embedded(EmbeddedLogo::Svg(svg.clone().into())))).unwrap();
    let err = env.exec(&admin, ExecuteMsg::UploadLogo(Logo::Embedded(EmbeddedLogo::Png(b"not a png".to_vec().into())))).unwrap_err();
    assert_eq!(err, ContractError::Cw20(cw20_base::ContractError::InvalidPngHeader {}));
    let m: MarketingInfoResponse = env.app.wrap().query_wasm_smart(&env.token, &QueryMsg::MarketingInfo {}).unwrap();
    assert_eq!(m.description.as_deref(), Some("credits for inference"));
    assert_eq!(m.project.as_deref(), Some("venice"));
    assert_eq!(m.logo, Some(LogoInfo::Embedded));
    let logo: DownloadLogoResponse = env.app.wrap().query_wasm_smart(&env.token, &QueryMsg::DownloadLogo {}).unwrap();
    assert_eq!(logo.mime_type, "image/svg+xml");
    assert_eq!(logo.data.as_slice(), svg.as_slice());
}

#[test]
fn migrate_accepts_own_state_only() {
    let mut env = setup(None);
    let code = env.app.store_code(credit_code());
    // Same name and version: allowed (cw2 refuses downgrades only).
    env.app.migrate_contract(env.admin.clone(), env.token.clone(), &MigrateMsg {}, code).unwrap();

    // A plain cw20-base token has no admin record: refused.
    let base = env.app.store_code(cw20_base_code());
    let admin = env.admin.clone();
    let other = env
        .app
        .instantiate_contract(
            base,
            admin.clone(),
            &cw20_base::msg::InstantiateMsg {
                name: "Other".into(),
                symbol: "OTH".into(),
                decimals: 0,
                initial_balances: vec![],
                mint: None,
                marketing: None,
            },
            &[],
            "other",
            Some(admin.to_string()),
        )
        .unwrap();
    let err = env.app.migrate_contract(admin, other, &MigrateMsg {}, code).unwrap_err();
    assert!(err.chain().any(|c| c.to_string().contains("cw20-base")), "{err:?}");
}

/// A deterministic pseudo-random sequence of standard cw20 calls, run against
/// this contract and the unmodified cw20-base: every outcome (success or the
/// error text) and every query answer must be identical.
#[test]
fn behaves_like_cw20_base() {
    let mut app = App::default();
    let users: Vec<Addr> = (0..4).map(|i| app.api().addr_make(&format!("user{i}"))).collect();
    let ours = app.store_code(credit_code());
    let base = app.store_code(cw20_base_code());
    let init = |admin: Option<String>| InstantiateMsg {
        name: "Credits".into(),
        symbol: "CRD".into(),
        decimals: 6,
        initial_balances: users.iter().map(|u| Cw20Coin { address: u.to_string(), amount: 500u128.into() }).collect(),
        mint: Some(MinterResponse { minter: users[0].to_string(), cap: Some(4_000u128.into()) }),
        marketing: None,
        admin,
    };
    let a = app.instantiate_contract(ours, users[0].clone(), &init(Some(users[0].to_string())), &[], "a", None).unwrap();
    let base_init: cw20_base::msg::InstantiateMsg = init(None).into();
    let b = app.instantiate_contract(base, users[0].clone(), &base_init, &[], "b", None).unwrap();

    let mut seed: u64 = 0x5eed_1234;
    let mut next = |n: u64| {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (seed >> 33) % n
    };
    let mut successes = 0;
    for _ in 0..300 {
        let from = users[next(4) as usize].clone();
        let to = users[next(4) as usize].to_string();
        let other = users[next(4) as usize].to_string();
        let amount = Uint128::from(next(400) as u128);
        let msg = match next(8) {
            0 | 1 => cw20::Cw20ExecuteMsg::Transfer { recipient: to, amount },
            2 => cw20::Cw20ExecuteMsg::Burn { amount },
            3 => cw20::Cw20ExecuteMsg::IncreaseAllowance { spender: to, amount, expires: None },
            4 => cw20::Cw20ExecuteMsg::DecreaseAllowance { spender: to, amount, expires: None },
            5 => cw20::Cw20ExecuteMsg::TransferFrom { owner: other, recipient: to, amount },
            6 => cw20::Cw20ExecuteMsg::BurnFrom { owner: other, amount },
            _ => cw20::Cw20ExecuteMsg::Mint { recipient: to, amount },
        };
        let ra = app.execute_contract(from.clone(), a.clone(), &msg, &[]);
        let rb = app.execute_contract(from.clone(), b.clone(), &msg, &[]);
        match (&ra, &rb) {
            (Ok(x), Ok(y)) => {
                successes += 1;
                // Same attributes from the cw20 logic (contract addresses differ).
                let attrs = |r: &AppResponse| {
                    r.events
                        .iter()
                        .filter(|e| e.ty == "wasm")
                        .flat_map(|e| e.attributes.iter().filter(|a| a.key != "_contract_address").cloned())
                        .collect::<Vec<_>>()
                };
                assert_eq!(attrs(x), attrs(y), "{msg:?}");
            }
            (Err(x), Err(y)) => assert_eq!(x.root_cause().to_string(), y.root_cause().to_string(), "{msg:?}"),
            _ => panic!("outcomes differ for {msg:?}: {ra:?} vs {rb:?}"),
        }
        for u in &users {
            let q = cw20_base::msg::QueryMsg::Balance { address: u.to_string() };
            let x: BalanceResponse = app.wrap().query_wasm_smart(&a, &q).unwrap();
            let y: BalanceResponse = app.wrap().query_wasm_smart(&b, &q).unwrap();
            assert_eq!(x, y);
            for s in &users {
                let q = cw20_base::msg::QueryMsg::Allowance { owner: u.to_string(), spender: s.to_string() };
                let x: AllowanceResponse = app.wrap().query_wasm_smart(&a, &q).unwrap();
                let y: AllowanceResponse = app.wrap().query_wasm_smart(&b, &q).unwrap();
                assert_eq!(x, y);
            }
        }
        let q = cw20_base::msg::QueryMsg::TokenInfo {};
        let x: TokenInfoResponse = app.wrap().query_wasm_smart(&a, &q).unwrap();
        let y: TokenInfoResponse = app.wrap().query_wasm_smart(&b, &q).unwrap();
        assert_eq!(x, y);
    }
    // The sequence exercises both outcomes.
    assert!(successes > 50 && successes < 300, "{successes}");
}
