//! Vesting accounts through auth's genesis and queries: `Account` and
//! `Accounts` return them as their SDK types (cosmjs's `accountFromAny`
//! reads these), export gives back the genesis.

use cosmos_sdk_proto::cosmos::auth::v1beta1 as pb;
use cosmos_sdk_proto::cosmos::base::query::v1beta1::PageRequest;
use cosmos_sdk_proto::cosmos::vesting::v1beta1 as vpb;
use prost::Message;
use venice_auth::genesis::{self, GenesisAccount, GenesisState};
use venice_auth::vesting::Vesting;
use venice_sdk::{Address, BlockInfo, Coins, Ctx, GasMeter};
use venice_store::{ChangeSet, Store, StoreOptions};

#[test]
fn account_and_accounts_return_vesting_types() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("db"), StoreOptions::default()).unwrap();
    let mut pending = ChangeSet::new();
    let mut ctx = Ctx::new(&store, &mut pending, BlockInfo { time_secs: 150, ..Default::default() }, GasMeter::infinite());
    let addr = |i: u8| Address::from_bytes(&[i; 20]).unwrap();
    let mut accounts = vec![GenesisAccount::new(&addr(1), 0), GenesisAccount::new(&addr(2), 1), GenesisAccount::new(&addr(3), 2)];
    accounts[1].vesting = Some(Vesting::continuous(Coins::parse("1000uvvv").unwrap(), 100, 200));
    let g = GenesisState { accounts, ..Default::default() };
    ctx.scoped(b"auth/", |ctx| genesis::init_genesis(ctx, &g)).unwrap();

    let q = |ctx: &mut Ctx, method: &str, req: Vec<u8>| ctx.scoped(b"auth/", |ctx| venice_auth::query::query(ctx, method, &req)).unwrap();
    let r = pb::QueryAccountResponse::decode(
        q(&mut ctx, "Account", pb::QueryAccountRequest { address: addr(2).to_bech32() }.encode_to_vec()).as_slice(),
    )
    .unwrap();
    let any = r.account.unwrap();
    assert_eq!(any.type_url, "/cosmos.vesting.v1beta1.ContinuousVestingAccount");
    let c = vpb::ContinuousVestingAccount::decode(any.value.as_slice()).unwrap();
    let bva = c.base_vesting_account.unwrap();
    assert_eq!((c.start_time, bva.end_time, bva.base_account.unwrap().account_number), (100, 200, 1));
    // Locked at t=150: half of it.
    assert_eq!(venice_auth::Auth.locked_coins(&mut ctx, &addr(2)).unwrap(), Coins::parse("500uvvv").unwrap());
    assert!(venice_auth::Auth.locked_coins(&mut ctx, &addr(1)).unwrap().is_empty());

    // Pages of two, by key: the three accounts and the fee collector.
    let page = |key: Vec<u8>| pb::QueryAccountsRequest { pagination: Some(PageRequest { key, limit: 2, ..Default::default() }) };
    let p1 = pb::QueryAccountsResponse::decode(q(&mut ctx, "Accounts", page(vec![]).encode_to_vec()).as_slice()).unwrap();
    assert_eq!(p1.accounts.len(), 2);
    let next = p1.pagination.unwrap().next_key;
    assert!(!next.is_empty());
    let p2 = pb::QueryAccountsResponse::decode(q(&mut ctx, "Accounts", page(next).encode_to_vec()).as_slice()).unwrap();
    assert_eq!(p2.accounts.len(), 2);
    assert!(p2.pagination.unwrap().next_key.is_empty());
    let types: Vec<&str> = p1.accounts.iter().chain(&p2.accounts).map(|a| a.type_url.as_str()).collect();
    assert_eq!(types.iter().filter(|t| t.contains("ContinuousVesting")).count(), 1, "{types:?}");

    // Export keeps the schedule.
    let exported = ctx.scoped(b"auth/", genesis::export_genesis).unwrap();
    let v = exported.accounts.iter().find(|a| a.address == addr(2).to_bech32()).unwrap();
    assert_eq!(v.vesting, g.accounts[1].vesting);
}
