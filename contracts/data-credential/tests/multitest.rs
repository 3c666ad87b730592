//! Every message and query of the data-credential contract, with its failure
//! paths: payment, expiry by height and by time, revocation, exhaustion,
//! binding, consumer authorisation.

use cosmwasm_std::{coin, coins, from_json, Addr, Coin, Empty};
use cw_multi_test::{App, AppResponse, Contract, ContractWrapper, Executor};
use cw_utils::{Duration, Expiration};
use data_credential::contract::{execute, instantiate, migrate, query};
use data_credential::msg::*;
use data_credential::state::{Dataset, Offer, Status};
use data_credential::ContractError;

const PRICE: u128 = 2_000;

fn code() -> Box<dyn Contract<Empty>> {
    Box::new(ContractWrapper::new(execute, instantiate, query).with_migrate(migrate))
}

struct T {
    app: App,
    c: Addr,
    admin: Addr,
    issuer: Addr,
    alice: Addr,
    bob: Addr,
    module: Addr,
    other: Addr,
}

fn err(e: anyhow::Error) -> ContractError {
    e.downcast::<ContractError>().unwrap_or_else(|e| panic!("not a ContractError: {e:?}"))
}

fn offer(uses: Option<u32>, transferable: bool) -> Offer {
    Offer { price: coin(PRICE, "uvvv"), validity: Duration::Height(100), uses, transferable }
}

fn setup() -> T {
    let api = cw_multi_test::MockApiBech32::new("cosmwasm");
    let [admin, issuer, alice, bob, module, other] = ["admin", "issuer", "alice", "bob", "module", "other"].map(|n| api.addr_make(n));
    let (a, b) = (alice.clone(), bob.clone());
    let mut app = App::new(|router, _api, storage| {
        for who in [&a, &b] {
            router.bank.init_balance(storage, who, vec![coin(1_000_000, "uvvv"), coin(1_000, "uatom")]).unwrap();
        }
    });
    let id = app.store_code(code());
    let c = app
        .instantiate_contract(
            id,
            admin.clone(),
            &InstantiateMsg { admin: Some(admin.to_string()), consumers: vec![module.to_string()] },
            &[],
            "data",
            Some(admin.to_string()),
        )
        .unwrap();
    T { app, c, admin, issuer, alice, bob, module, other }
}

impl T {
    fn exec(&mut self, who: &Addr, msg: &ExecuteMsg, funds: &[Coin]) -> Result<AppResponse, ContractError> {
        self.app.execute_contract(who.clone(), self.c.clone(), msg, funds).map_err(err)
    }
    fn q<R: serde::de::DeserializeOwned>(&self, msg: &QueryMsg) -> R {
        self.app.wrap().query_wasm_smart(&self.c, msg).unwrap()
    }
    fn register(&mut self, offer: Offer) -> u64 {
        let issuer = self.issuer.clone();
        let res = self
            .exec(
                &issuer,
                &ExecuteMsg::RegisterDataset {
                    data_hash: "5e".repeat(32),
                    uri: "ipfs://dataset".into(),
                    terms: "CC-BY-4.0, research only".into(),
                    offer,
                    consumers: vec![],
                },
                &[],
            )
            .unwrap();
        from_json(res.data.unwrap()).unwrap()
    }
    fn buy(&mut self, who: &Addr, dataset_id: u64) -> Result<u64, ContractError> {
        let res = self.exec(who, &ExecuteMsg::Purchase { dataset_id }, &coins(PRICE, "uvvv"))?;
        Ok(from_json(res.data.unwrap()).unwrap())
    }
    fn consume(&mut self, consumer: &Addr, id: u64, holder: &Addr, ds: u64, uses: Option<u32>) -> Result<AppResponse, ContractError> {
        self.exec(consumer, &ExecuteMsg::Consume { credential_id: id, holder: holder.to_string(), dataset_id: ds, uses }, &[])
    }
    fn refund(&mut self, consumer: &Addr, id: u64, holder: &Addr, ds: u64, uses: Option<u32>) -> Result<AppResponse, ContractError> {
        self.exec(consumer, &ExecuteMsg::Refund { credential_id: id, holder: holder.to_string(), dataset_id: ds, uses }, &[])
    }
    fn verify(&self, holder: &Addr, dataset_id: u64) -> VerifyResponse {
        self.q(&QueryMsg::Verify { holder: holder.to_string(), dataset_id })
    }
    fn cred(&self, id: u64) -> CredentialResponse {
        self.q(&QueryMsg::Credential { credential_id: id })
    }
    fn balance(&self, who: &Addr) -> u128 {
        self.app.wrap().query_balance(who, "uvvv").unwrap().amount.u128()
    }
}

#[test]
fn register_and_query_datasets() {
    let mut t = setup();
    let ds = t.register(offer(Some(3), false));
    let d: Dataset = t.q(&QueryMsg::Dataset { dataset_id: ds });
    assert_eq!((d.id, d.issuer.clone(), d.active), (1, t.issuer.clone(), true));
    assert_eq!(d.data_hash, "5e".repeat(32));
    // Another issuer's dataset in between.
    let alice = t.alice.clone();
    t.exec(
        &alice,
        &ExecuteMsg::RegisterDataset {
            data_hash: "aa".repeat(32),
            uri: "ipfs://alice".into(),
            terms: "private".into(),
            offer: offer(None, false),
            consumers: vec![],
        },
        &[],
    )
    .unwrap();
    let ds2 = t.register(offer(None, true));
    let all: DatasetsResponse = t.q(&QueryMsg::Datasets { issuer: Some(t.issuer.to_string()), start_after: None, limit: None });
    assert_eq!(all.datasets.iter().map(|d| d.id).collect::<Vec<_>>(), vec![ds, ds2]);
    let alices: DatasetsResponse = t.q(&QueryMsg::Datasets { issuer: Some(alice.to_string()), start_after: None, limit: None });
    assert_eq!(alices.datasets.iter().map(|d| d.id).collect::<Vec<_>>(), vec![2]);
    let none: DatasetsResponse = t.q(&QueryMsg::Datasets { issuer: Some(t.bob.to_string()), start_after: None, limit: None });
    assert!(none.datasets.is_empty());
    let page: DatasetsResponse = t.q(&QueryMsg::Datasets { issuer: None, start_after: Some(ds), limit: Some(1) });
    assert_eq!(page.datasets[0].id, 2);
    let page: DatasetsResponse = t.q(&QueryMsg::Datasets { issuer: Some(t.issuer.to_string()), start_after: Some(ds), limit: Some(1) });
    assert_eq!(page.datasets.iter().map(|d| d.id).collect::<Vec<_>>(), vec![ds2]);
}

#[test]
fn register_rejects_bad_input() {
    let mut t = setup();
    let issuer = t.issuer.clone();
    let reg = |hash: &str, uri: &str, offer: Offer| ExecuteMsg::RegisterDataset {
        data_hash: hash.into(),
        uri: uri.into(),
        terms: "terms".into(),
        offer,
        consumers: vec![],
    };
    let good = "ab".repeat(32);
    let cases = [
        (reg("nothex", "ipfs://x", offer(None, false)), ContractError::InvalidDataset("data_hash must be 64 lower-case hex digits")),
        (reg(&good, "", offer(None, false)), ContractError::InvalidDataset("uri must be 1..=512 bytes without control characters")),
        (reg(&good, "ipfs://x", offer(Some(0), false)), ContractError::InvalidOffer("uses must be positive or unlimited")),
        (
            reg(&good, "ipfs://x", Offer { validity: Duration::Time(0), ..offer(None, false) }),
            ContractError::InvalidOffer("validity must be positive"),
        ),
        (reg(&good, "ipfs://x", Offer { price: coin(1, "x"), ..offer(None, false) }), ContractError::InvalidOffer("invalid price denom")),
    ];
    for (msg, want) in cases {
        assert_eq!(t.exec(&issuer, &msg, &[]).unwrap_err(), want);
    }
}

#[test]
fn purchase_pays_the_issuer_and_issues_a_credential() {
    let mut t = setup();
    let ds = t.register(offer(Some(3), false));
    let alice = t.alice.clone();
    let before = t.balance(&alice);
    let id = t.buy(&alice, ds).unwrap();
    assert_eq!(t.balance(&alice), before - PRICE);
    assert_eq!(t.balance(&t.issuer), PRICE);
    assert_eq!(t.balance(&t.c), 0);
    let c = t.cred(id);
    assert_eq!(c.status, Status::Valid);
    assert_eq!(c.credential.holder, alice);
    assert_eq!(c.credential.remaining_uses, Some(3));
    assert_eq!(c.credential.expires, Expiration::AtHeight(t.app.block_info().height + 100));
    assert_eq!(t.verify(&alice, ds), VerifyResponse { allowed: true, credential_id: Some(id), reason: None });
    assert_eq!(t.verify(&t.bob.clone(), ds), VerifyResponse { allowed: false, credential_id: None, reason: None });
    let list: CredentialsResponse = t.q(&QueryMsg::Credentials { holder: alice.to_string(), start_after: None, limit: None });
    assert_eq!(list.credentials.len(), 1);
}

#[test]
fn paying_too_little_or_wrongly_fails() {
    let mut t = setup();
    let ds = t.register(offer(None, false));
    let alice = t.alice.clone();
    for funds in
        [vec![], coins(PRICE - 1, "uvvv"), coins(PRICE + 1, "uvvv"), coins(5, "uatom"), vec![coin(PRICE, "uvvv"), coin(1, "uatom")]]
    {
        let e = t.exec(&alice, &ExecuteMsg::Purchase { dataset_id: ds }, &funds).unwrap_err();
        assert_eq!(e, ContractError::WrongPayment { expected: coin(PRICE, "uvvv"), got: funds.clone() });
    }
    assert!(!t.verify(&alice, ds).allowed);
    assert_eq!(t.balance(&t.issuer), 0);
}

#[test]
fn free_offer_and_inactive_dataset() {
    let mut t = setup();
    let ds = t.register(Offer { price: coin(0, "uvvv"), ..offer(None, false) });
    let (alice, issuer) = (t.alice.clone(), t.issuer.clone());
    assert!(matches!(t.exec(&alice, &ExecuteMsg::Purchase { dataset_id: ds }, &coins(5, "uvvv")).unwrap_err(), ContractError::Payment(_)));
    t.exec(&alice, &ExecuteMsg::Purchase { dataset_id: ds }, &[]).unwrap();
    let upd = ExecuteMsg::UpdateDataset { dataset_id: ds, uri: None, terms: None, offer: None, active: Some(false), consumers: None };
    assert_eq!(t.exec(&alice, &upd, &[]).unwrap_err(), ContractError::NotIssuer {});
    t.exec(&issuer, &upd, &[]).unwrap();
    assert_eq!(t.exec(&alice, &ExecuteMsg::Purchase { dataset_id: ds }, &[]).unwrap_err(), ContractError::NotOffered(ds));
    // Existing credentials stay valid.
    assert!(t.verify(&alice, ds).allowed);
}

#[test]
fn consume_counts_down_and_fails_when_exhausted() {
    let mut t = setup();
    let ds = t.register(offer(Some(3), false));
    let (alice, module) = (t.alice.clone(), t.module.clone());
    let id = t.buy(&alice, ds).unwrap();
    let res = t.consume(&module, id, &alice, ds, None).unwrap();
    assert!(res.events.iter().any(|e| e.attributes.iter().any(|a| a.key == "remaining_uses" && a.value == "2")));
    assert_eq!(t.consume(&module, id, &alice, ds, Some(3)).unwrap_err(), ContractError::Exhausted { id, remaining: 2, wanted: 3 });
    assert_eq!(t.consume(&module, id, &alice, ds, Some(0)).unwrap_err(), ContractError::ZeroUses {});
    t.consume(&module, id, &alice, ds, Some(2)).unwrap();
    assert_eq!(t.cred(id).status, Status::Exhausted);
    assert_eq!(t.consume(&module, id, &alice, ds, None).unwrap_err(), ContractError::Exhausted { id, remaining: 0, wanted: 1 });
    assert_eq!(t.verify(&alice, ds), VerifyResponse { allowed: false, credential_id: None, reason: Some(Status::Exhausted) });
    // Buying again restores access with a new credential.
    let id2 = t.buy(&alice, ds).unwrap();
    assert_eq!(t.verify(&alice, ds).credential_id, Some(id2));
}

#[test]
fn refund_gives_back_consumed_uses_to_authorised_consumers_only() {
    let mut t = setup();
    let ds = t.register(offer(Some(1), false));
    let (alice, bob, module, other) = (t.alice.clone(), t.bob.clone(), t.module.clone(), t.other.clone());
    let id = t.buy(&alice, ds).unwrap();
    t.consume(&module, id, &alice, ds, None).unwrap();
    assert_eq!(t.cred(id).status, Status::Exhausted);

    assert_eq!(t.refund(&other, id, &alice, ds, None).unwrap_err(), ContractError::NotConsumer {});
    assert!(matches!(t.refund(&module, id, &bob, ds, None).unwrap_err(), ContractError::WrongHolder { .. }));
    assert!(matches!(t.refund(&module, id, &alice, ds + 1, None).unwrap_err(), ContractError::WrongHolder { .. }));
    assert_eq!(t.refund(&module, id, &alice, ds, Some(0)).unwrap_err(), ContractError::ZeroUses {});
    assert_eq!(t.cred(id).status, Status::Exhausted, "refusals change nothing");

    let res = t.refund(&module, id, &alice, ds, None).unwrap();
    let attr = |k: &str| res.events.iter().flat_map(|e| &e.attributes).find(|a| a.key == k).map(|a| a.value.clone());
    assert_eq!(attr("action").as_deref(), Some("refund"));
    assert_eq!(attr("remaining_uses").as_deref(), Some("1"));
    assert_eq!(t.cred(id).status, Status::Valid);
    assert_eq!(t.verify(&alice, ds).credential_id, Some(id));
    t.consume(&module, id, &alice, ds, None).unwrap();

    t.refund(&module, id, &alice, ds, Some(u32::MAX)).unwrap();
    assert_eq!(t.cred(id).credential.remaining_uses, Some(u32::MAX));
    assert_eq!(t.refund(&module, id, &alice, ds, None).unwrap_err(), ContractError::TooManyUses(id));

    // Unlimited credentials stay unlimited.
    let free = t.register(offer(None, false));
    let id = t.buy(&alice, free).unwrap();
    t.refund(&module, id, &alice, free, Some(5)).unwrap();
    assert_eq!(t.cred(id).credential.remaining_uses, None);
}

#[test]
fn unlimited_uses_never_exhaust() {
    let mut t = setup();
    let ds = t.register(offer(None, false));
    let (alice, module) = (t.alice.clone(), t.module.clone());
    let id = t.buy(&alice, ds).unwrap();
    for _ in 0..5 {
        t.consume(&module, id, &alice, ds, Some(1_000)).unwrap();
    }
    assert_eq!(t.cred(id).status, Status::Valid);
}

#[test]
fn expired_credentials_fail_by_height_and_by_time() {
    let mut t = setup();
    let (alice, module) = (t.alice.clone(), t.module.clone());
    let by_height = t.register(offer(None, true));
    let by_time = t.register(Offer { validity: Duration::Time(3_600), ..offer(None, true) });
    let h = t.buy(&alice, by_height).unwrap();
    let s = t.buy(&alice, by_time).unwrap();

    t.app.update_block(|b| b.height += 99);
    t.consume(&module, h, &alice, by_height, None).unwrap();
    t.app.update_block(|b| b.height += 1);
    assert_eq!(t.consume(&module, h, &alice, by_height, None).unwrap_err(), ContractError::Expired(h));
    assert_eq!(t.verify(&alice, by_height).reason, Some(Status::Expired));
    // Expired credentials cannot be passed on either.
    let bob = t.bob.clone();
    assert_eq!(
        t.exec(&alice, &ExecuteMsg::Transfer { credential_id: h, recipient: bob.to_string() }, &[]).unwrap_err(),
        ContractError::Expired(h)
    );

    // Height moved, time barely: the time-based one is still valid.
    t.consume(&module, s, &alice, by_time, None).unwrap();
    t.app.update_block(|b| b.time = b.time.plus_seconds(3_600));
    assert_eq!(t.consume(&module, s, &alice, by_time, None).unwrap_err(), ContractError::Expired(s));
    assert_eq!(t.cred(s).status, Status::Expired);
}

#[test]
fn revoked_credentials_fail() {
    let mut t = setup();
    let ds = t.register(offer(None, true));
    let (alice, bob, module, issuer) = (t.alice.clone(), t.bob.clone(), t.module.clone(), t.issuer.clone());
    let id = t.buy(&alice, ds).unwrap();
    assert_eq!(t.exec(&alice, &ExecuteMsg::Revoke { credential_id: id }, &[]).unwrap_err(), ContractError::NotIssuer {});
    t.exec(&issuer, &ExecuteMsg::Revoke { credential_id: id }, &[]).unwrap();
    assert_eq!(t.exec(&issuer, &ExecuteMsg::Revoke { credential_id: id }, &[]).unwrap_err(), ContractError::AlreadyRevoked(id));
    assert_eq!(t.consume(&module, id, &alice, ds, None).unwrap_err(), ContractError::Revoked(id));
    assert_eq!(t.verify(&alice, ds), VerifyResponse { allowed: false, credential_id: None, reason: Some(Status::Revoked) });
    assert_eq!(
        t.exec(&alice, &ExecuteMsg::Transfer { credential_id: id, recipient: bob.to_string() }, &[]).unwrap_err(),
        ContractError::Revoked(id)
    );
}

#[test]
fn transfer_moves_transferable_credentials_only() {
    let mut t = setup();
    let (alice, bob, module) = (t.alice.clone(), t.bob.clone(), t.module.clone());
    let free = t.register(offer(Some(5), true));
    let bound = t.register(offer(Some(5), false));
    let f = t.buy(&alice, free).unwrap();
    let b = t.buy(&alice, bound).unwrap();

    let xfer = |id| ExecuteMsg::Transfer { credential_id: id, recipient: bob.to_string() };
    assert_eq!(t.exec(&bob, &xfer(f), &[]).unwrap_err(), ContractError::NotHolder {});
    assert_eq!(t.exec(&alice, &xfer(b), &[]).unwrap_err(), ContractError::NotTransferable(b));
    t.exec(&alice, &xfer(f), &[]).unwrap();
    assert!(!t.verify(&alice, free).allowed);
    assert_eq!(t.verify(&bob, free).credential_id, Some(f));
    // The consumer must name the right holder.
    assert!(matches!(t.consume(&module, f, &alice, free, None).unwrap_err(), ContractError::WrongHolder { .. }));
    t.consume(&module, f, &bob, free, None).unwrap();
    // …and the right dataset.
    assert!(matches!(t.consume(&module, b, &alice, free, None).unwrap_err(), ContractError::WrongHolder { .. }));
    let bobs: CredentialsResponse = t.q(&QueryMsg::Credentials { holder: bob.to_string(), start_after: None, limit: None });
    assert_eq!(bobs.credentials.iter().map(|c| c.credential.id).collect::<Vec<_>>(), vec![f]);
}

#[test]
fn only_authorised_consumers_consume() {
    let mut t = setup();
    let ds = t.register(offer(None, false));
    let (admin, alice, other, issuer) = (t.admin.clone(), t.alice.clone(), t.other.clone(), t.issuer.clone());
    let id = t.buy(&alice, ds).unwrap();
    // Not even the holder itself: consumption is the consumer's record of use.
    for who in [&other, &alice] {
        assert_eq!(t.consume(who, id, &alice, ds, None).unwrap_err(), ContractError::NotConsumer {});
    }
    // Contract-wide consumer added by the admin.
    assert_eq!(t.exec(&alice, &ExecuteMsg::AddConsumer { address: other.to_string() }, &[]).unwrap_err(), ContractError::NotAdmin {});
    t.exec(&admin, &ExecuteMsg::AddConsumer { address: other.to_string() }, &[]).unwrap();
    t.consume(&other, id, &alice, ds, None).unwrap();
    let cfg: ConfigResponse = t.q(&QueryMsg::Config {});
    assert!(cfg.consumers.contains(&other));
    t.exec(&admin, &ExecuteMsg::RemoveConsumer { address: other.to_string() }, &[]).unwrap();
    assert_eq!(t.consume(&other, id, &alice, ds, None).unwrap_err(), ContractError::NotConsumer {});
    // Dataset-level consumer set by the issuer.
    let upd = ExecuteMsg::UpdateDataset {
        dataset_id: ds,
        uri: Some("ipfs://moved".into()),
        terms: None,
        offer: None,
        active: None,
        consumers: Some(vec![other.to_string()]),
    };
    t.exec(&issuer, &upd, &[]).unwrap();
    t.consume(&other, id, &alice, ds, None).unwrap();
    let d: Dataset = t.q(&QueryMsg::Dataset { dataset_id: ds });
    assert_eq!(d.uri, "ipfs://moved");
}

#[test]
fn issuer_grants_and_admin_moves() {
    let mut t = setup();
    let ds = t.register(offer(Some(1), false));
    let (admin, alice, bob, issuer) = (t.admin.clone(), t.alice.clone(), t.bob.clone(), t.issuer.clone());
    let grant = ExecuteMsg::Grant { dataset_id: ds, holder: bob.to_string() };
    assert_eq!(t.exec(&alice, &grant, &[]).unwrap_err(), ContractError::NotIssuer {});
    t.exec(&issuer, &grant, &[]).unwrap();
    assert!(t.verify(&bob, ds).allowed);
    assert_eq!(t.balance(&issuer), 0);

    t.exec(&admin, &ExecuteMsg::UpdateAdmin { admin: Some(alice.to_string()) }, &[]).unwrap();
    assert_eq!(t.exec(&admin, &ExecuteMsg::AddConsumer { address: bob.to_string() }, &[]).unwrap_err(), ContractError::NotAdmin {});
    t.exec(&alice, &ExecuteMsg::UpdateAdmin { admin: None }, &[]).unwrap();
    let cfg: ConfigResponse = t.q(&QueryMsg::Config {});
    assert_eq!(cfg.admin, None);
    // Funds on anything but a purchase are refused.
    assert!(matches!(t.exec(&alice, &grant, &coins(1, "uvvv")).unwrap_err(), ContractError::Payment(_)));
}

#[test]
fn migrate_keeps_state() {
    let mut t = setup();
    let ds = t.register(offer(None, false));
    let alice = t.alice.clone();
    t.buy(&alice, ds).unwrap();
    let id = t.app.store_code(code());
    t.app.migrate_contract(t.admin.clone(), t.c.clone(), &MigrateMsg {}, id).unwrap();
    assert!(t.verify(&alice, ds).allowed);
}
