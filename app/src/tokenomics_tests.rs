use super::*;

fn addr(i: u8) -> String {
    Address::from_bytes(&[i; 20]).unwrap().to_bech32()
}

fn config(extra: &str) -> Config {
    let text = format!(
        r#"
        [percent]
        ecosystem = 30
        team = "17.5"
        investors = "12.5"
        community = 40
        [[team.members]]
        address = "{}"
        weight = 2
        [[team.members]]
        address = "{}"
        [[investors.members]]
        address = "{}"
        {extra}
        "#,
        addr(1),
        addr(2),
        addr(3)
    );
    toml::from_str(&text).unwrap()
}

#[test]
fn default_supply_splits_exactly_with_dust_to_the_community() {
    let a = allocate(&config(""), 1_000, Path::new(".")).unwrap();
    assert_eq!(a.total(), 100_000_000_000_000);
    assert_eq!(a.ecosystem, 30_000_000_000_000);
    // 17.5% split 2:1 → floor division leaves 1 unit to the community.
    assert_eq!(a.team[0].0.amount, 11_666_666_666_666);
    assert_eq!(a.team[1].0.amount, 5_833_333_333_333);
    assert_eq!(a.investors[0].0.amount, 12_500_000_000_000);
    assert_eq!(a.growth, 40_000_000_000_000 + 1);
    for (g, v) in a.team.iter().chain(&a.investors) {
        assert_eq!(v.original_vesting.amount_of("uvvv"), g.amount, "a schedule vests exactly its grant");
    }
}

#[test]
fn odd_supplies_still_sum_exactly() {
    for supply in [1u128, 7, 99, 12_345_678_901, 100_000_000_000_003] {
        let mut c = config("");
        c.total_supply = Amount::Str(supply.to_string());
        let a = allocate(&c, 0, Path::new(".")).unwrap();
        assert_eq!(a.total(), supply);
    }
}

#[test]
fn percentages_must_sum_to_100() {
    let mut c = config("");
    c.percent.community = Pct::Int(39);
    let e = allocate(&c, 0, Path::new(".")).unwrap_err().to_string();
    assert!(e.contains("sum to 99.00%"), "{e}");
    c.percent.community = Pct::Str("40.001".into());
    assert!(allocate(&c, 0, Path::new(".")).is_err());
}

#[test]
fn team_has_a_cliff_then_linear_steps() {
    let t = Team { cliff_seconds: 100, vesting_seconds: 400, step_seconds: 100, members: vec![] };
    let v = team_schedule(1000, 10, &t, "uvvv").unwrap();
    assert_eq!(v.end_time, 410);
    let at = |s: i64| v.vested(10 + s).amount_of("uvvv");
    assert_eq!([at(0), at(99), at(100), at(199), at(200), at(300), at(400)], [0, 0, 250, 250, 500, 750, 1000]);
}

#[test]
fn investors_unlock_in_phases_after_the_lockup() {
    let inv = Investors { lockup_seconds: 50, unlocks: 3, interval_seconds: 10, members: vec![] };
    let v = investor_schedule(100, 0, &inv, "uvvv").unwrap();
    let at = |s: i64| v.vested(s).amount_of("uvvv");
    assert_eq!([at(49), at(50), at(59), at(60), at(70), at(1000)], [0, 33, 33, 66, 100, 100]);
}

#[test]
fn airdrop_list_and_genesis_are_consistent() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("drop.csv"), format!("address,amount\n# c\n{},500\n{},250\n", addr(7), addr(8))).unwrap();
    let c = config("[community]\nairdrop_list = \"drop.csv\"\nairdrop_deadline = \"2030-01-01T00:00:00Z\"");
    let a = allocate(&c, 0, dir.path()).unwrap();
    assert_eq!(a.airdrop.len(), 2);
    assert_eq!(a.growth, 40_000_000_000_000 + 1 - 750);
    let mut app = AppGenesis::new_default();
    let proofs = apply(&mut app, &a, "2030-01-01T00:00:00Z").unwrap();
    let bank: BankGenesis = app.section("bank").unwrap();
    let sum: u128 = bank.balances.iter().flat_map(|b| b.coins.iter()).map(|c| c.amount.parse::<u128>().unwrap()).sum();
    assert_eq!(sum, 100_000_000_000_000);
    let auth: AuthGenesis = app.section("auth").unwrap();
    assert_eq!(auth.accounts.iter().filter(|a| a.vesting.is_some()).count(), 3);
    let drop: venice_airdrop::genesis::GenesisState = app.section("airdrop").unwrap();
    assert_eq!(drop.params.total, 750);
    assert_eq!(drop.params.merkle_root, proofs["merkle_root"]);
    // Each proof verifies against the root.
    let root: merkle::Hash = hex::decode(&drop.params.merkle_root).unwrap().try_into().unwrap();
    for (a, amt) in [(addr(7), 500u128), (addr(8), 250)] {
        let p: Vec<merkle::Hash> = proofs["claims"][&a]["proof"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| hex::decode(h.as_str().unwrap()).unwrap().try_into().unwrap())
            .collect();
        assert!(merkle::verify(&root, merkle::leaf(&Address::parse(&a).unwrap(), amt), &p));
    }
    // A vesting grant to an account that already exists is refused.
    assert!(apply(&mut app, &a, "2030-01-01T00:00:00Z").is_err());
}

#[test]
fn an_airdrop_larger_than_the_community_share_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("drop.csv"), format!("{},50000000000000\n", addr(7))).unwrap();
    let c = config("[community]\nairdrop_list = \"drop.csv\"\nairdrop_deadline = \"2030-01-01T00:00:00Z\"");
    assert!(allocate(&c, 0, dir.path()).unwrap_err().to_string().contains("community share"));
}

#[test]
fn the_localnet_example_parses_and_asks_for_members() {
    let cfg: Config = toml::from_str(include_str!("../../localnet/tokenomics.toml")).unwrap();
    assert_eq!(cfg.total_supply.value().unwrap(), 100_000_000_000_000);
    let e = allocate(&cfg, 0, Path::new(".")).unwrap_err().to_string();
    assert!(e.contains("no [[team.members]]"), "{e}");
}
