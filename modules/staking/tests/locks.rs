//! Bonded stake locked by compute credits: undelegating or redelegating
//! below the lock is refused with `staking` code 100; above it, allowed.

mod common;

use common::*;
use venice_staking::genesis;

const VVV: u128 = 1_000_000;

fn setup() -> Env {
    let mut env = Env::new(Env::default_params());
    for i in 1..=4 {
        env.fund(&addr(i), 1_000 * VVV);
    }
    env.exec(create(1, 10 * VVV)).unwrap();
    env.exec(create(2, 10 * VVV)).unwrap();
    env.end_block(1, 1_000);
    env
}

#[test]
fn lock_needs_bonded_stake_and_undelegation_stops_at_it() {
    let mut env = setup();
    let d = addr(3);
    // Nothing bonded: nothing to lock.
    let e = env.with(|ctx, k| k.lock_stake(ctx, &d, 1)).unwrap_err();
    assert_eq!(code(&e), ("staking", 100), "{e}");
    env.exec(delegate(&d, 1, 5 * VVV)).unwrap();
    env.with(|ctx, k| k.lock_stake(ctx, &d, 3 * VVV)).unwrap();
    assert_eq!(env.with(|ctx, k| (k.locked_stake(ctx, &d).unwrap(), k.unlocked_stake(ctx, &d).unwrap())), (3 * VVV, 2 * VVV));
    // More than the unlocked part cannot be locked.
    assert_eq!(code(&env.with(|ctx, k| k.lock_stake(ctx, &d, 2 * VVV + 1)).unwrap_err()), ("staking", 100));

    // 5 bonded, 3 locked: 3 VVV out would leave 2 < 3.
    let e = env.exec_at(2, 1_010, undelegate(&d, 1, 3 * VVV)).unwrap_err();
    assert_eq!(code(&e), ("staking", 100), "{e}");
    assert!(e.to_string().contains("locked by compute credits"), "{e}");
    assert_eq!(env.shares(&d, &addr(1)), venice_types::Dec::from_int(5 * VVV), "nothing moved");
    // Down to the lock exactly is fine.
    env.exec_at(2, 1_010, undelegate(&d, 1, 2 * VVV)).unwrap();
    assert_eq!(code(&env.exec_at(3, 1_020, undelegate(&d, 1, 1)).unwrap_err()), ("staking", 100));

    // Unlocking frees it again; unlocking more than is locked is an error.
    assert!(env.with(|ctx, k| k.unlock_stake(ctx, &d, 3 * VVV + 1)).is_err());
    env.with(|ctx, k| k.unlock_stake(ctx, &d, VVV)).unwrap();
    env.exec_at(3, 1_020, undelegate(&d, 1, VVV)).unwrap();
    assert_eq!(env.with(|ctx, k| k.bonded_stake(ctx, &d)).unwrap(), 2 * VVV);
}

#[test]
fn redelegation_to_a_bonded_validator_keeps_the_stake_bonded() {
    let mut env = setup();
    let d = addr(3);
    env.exec(delegate(&d, 1, 4 * VVV)).unwrap();
    env.with(|ctx, k| k.lock_stake(ctx, &d, 4 * VVV)).unwrap();
    // Bonded to bonded: the bonded stake stays 4, allowed.
    env.exec_at(2, 1_010, redelegate(&d, 1, 2, 2 * VVV)).unwrap();
    assert_eq!(env.with(|ctx, k| k.bonded_stake(ctx, &d)).unwrap(), 4 * VVV);
    // To a validator that is not bonded: the bonded stake would fall.
    env.exec(create(4, 10 * VVV)).unwrap();
    let e = env.exec_at(3, 1_020, redelegate(&d, 1, 4, VVV)).unwrap_err();
    assert_eq!(code(&e), ("staking", 100), "{e}");
}

#[test]
fn locks_survive_export_and_import() {
    let mut env = setup();
    let d = addr(3);
    env.exec(delegate(&d, 1, 4 * VVV)).unwrap();
    env.with(|ctx, k| k.lock_stake(ctx, &d, 3 * VVV)).unwrap();
    let g = env.with(|ctx, _| ctx.scoped(venice_staking::state::PREFIX, genesis::export_genesis)).unwrap();
    assert_eq!(g.locked_stakes, vec![genesis::LockedStake { delegator_address: d.to_bech32(), amount: 3 * VVV }]);
    let json = serde_json::to_value(&g).unwrap();
    assert_eq!(json["locked_stakes"][0]["amount"], "3000000");
    let back: genesis::GenesisState = serde_json::from_value(json).unwrap();
    assert_eq!(back.locked_stakes, g.locked_stakes);
    // No locks: the section keeps the SDK's shape.
    let plain = serde_json::to_value(genesis::GenesisState::default()).unwrap();
    assert!(plain.get("locked_stakes").is_none());
}
