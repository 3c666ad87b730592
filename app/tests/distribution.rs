//! Distribution and mint through the app: blocks run through FinalizeBlock
//! with CometBFT's last-commit votes; emissions and fees land with the
//! validators that signed, by power, exactly; a withdrawal pays exactly what
//! the DelegationRewards query reported at the previous height (truncated);
//! every invariant holds after every block.

mod common;

use common::CHAIN_ID;
use cosmos_sdk_proto::Any;
use cosmos_sdk_proto::cosmos::base::v1beta1::Coin as PCoin;
use cosmos_sdk_proto::cosmos::distribution::v1beta1 as dpb;
use cosmos_sdk_proto::cosmos::mint::v1beta1 as mpb;
use cosmos_sdk_proto::cosmos::staking::v1beta1 as spb;
use prost::Message;
use tendermint_proto::v0_38::abci;
use venice_sdk::testing::{TestKey, TxParams};
use venice_sdk::{Address, BlockInfo, Ctx, GasMeter};
use venice_store::{ChangeSet, Store, StoreOptions};
use venice_types::{Dec, paths};
use veniced::App;
use veniced::genutil::TxJson;

const VVV: u128 = 1_000_000;

fn gentx(k: &TestKey, cons: u8, amount: u128, rate: &str) -> serde_json::Value {
    let m = spb::MsgCreateValidator {
        description: Some(spb::Description { moniker: format!("v{cons}"), ..Default::default() }),
        commission: Some(spb::CommissionRates {
            rate: Dec::parse(rate).unwrap().to_atto_string(),
            max_rate: Dec::ONE.to_atto_string(),
            max_change_rate: Dec::parse("0.01").unwrap().to_atto_string(),
        }),
        min_self_delegation: "1".into(),
        #[allow(deprecated)]
        delegator_address: String::new(),
        validator_address: k.address().to_valoper(),
        pubkey: Some(venice_staking::types::ed25519_any(&[cons; 32])),
        value: Some(PCoin { denom: "uvvv".into(), amount: amount.to_string() }),
    };
    let any = Any { type_url: paths::MSG_CREATE_VALIDATOR_URL.into(), value: m.encode_to_vec() };
    let raw = k.sign_tx(
        vec![any],
        &TxParams { chain_id: CHAIN_ID.into(), account_number: 0, sequence: 0, fee: 0, gas: 400_000, ..Default::default() },
    );
    serde_json::to_value(TxJson::from_raw(&raw).unwrap()).unwrap()
}

struct Chain {
    _dir: tempfile::TempDir,
    app: App,
    keys: Vec<TestKey>,
    height: u64,
}

fn cons(i: u8) -> Vec<u8> {
    Address::consensus(&[i; 32]).as_bytes().to_vec()
}

impl Chain {
    /// Validators 1 (300 VVV, 10% commission) and 2 (100 VVV, 5%) from
    /// gentxs, with the chain's default (VVV) emissions switched on.
    fn new() -> Chain {
        let keys: Vec<TestKey> = (0..3).map(TestKey::from_seed).collect();
        let mut g = common::genesis(&keys);
        g["app_state"]["mint"] = serde_json::to_value(venice_mint::genesis::GenesisState::default()).unwrap();
        g["app_state"]["genutil"]["gen_txs"] =
            serde_json::json!([gentx(&keys[1], 1, 300 * VVV, "0.1"), gentx(&keys[2], 2, 100 * VVV, "0.05")]);
        let dir = tempfile::tempdir().unwrap();
        let app = App::new(Store::open(&dir.path().join("db"), StoreOptions::default()).unwrap(), vec![]);
        app.init_chain(veniced::genesis::init_chain_request(&g).unwrap()).unwrap();
        Chain { _dir: dir, app, keys, height: 0 }
    }

    /// Run a block whose last commit has validators 1 and 2 with `signed`.
    fn block(&mut self, signed: [bool; 2], txs: Vec<Vec<u8>>) -> abci::ResponseFinalizeBlock {
        self.height += 1;
        let votes = [(1u8, 300i64, signed[0]), (2, 100, signed[1])]
            .into_iter()
            .map(|(i, power, s)| abci::VoteInfo {
                validator: Some(abci::Validator { address: cons(i).into(), power }),
                block_id_flag: if s { 2 } else { 1 },
            })
            .collect();
        let req = abci::RequestFinalizeBlock {
            txs: txs.into_iter().map(Into::into).collect(),
            height: self.height as i64,
            time: Some(tendermint_proto::google::protobuf::Timestamp { seconds: 1_700_000_000 + self.height as i64, nanos: 0 }),
            decided_last_commit: Some(abci::CommitInfo { round: 0, votes }),
            ..Default::default()
        };
        let resp = self.app.finalize_block(req).unwrap();
        self.app.commit().unwrap();
        self.assert_invariants();
        resp
    }

    fn assert_invariants(&self) {
        let mut scratch = ChangeSet::new();
        let info = BlockInfo { chain_id: CHAIN_ID.into(), height: self.height + 1, ..Default::default() };
        let mut ctx = Ctx::new(&self.app.store, &mut scratch, info, GasMeter::infinite());
        for i in self.app.modules.manager.invariants(&mut ctx) {
            assert!(i.broken.is_none(), "{} broken after block {}: {}", i.route, self.height, i.broken.unwrap());
        }
    }

    fn query<R: Message + Default>(&self, path: &str, req: impl Message, height: u64) -> R {
        let r =
            self.app.query(abci::RequestQuery { path: path.into(), data: req.encode_to_vec().into(), height: height as i64, prove: false });
        assert_eq!(r.code, 0, "{path}: {}", r.log);
        R::decode(r.value.as_ref()).unwrap()
    }

    fn balance(&self, a: &Address) -> u128 {
        let r: cosmos_sdk_proto::cosmos::bank::v1beta1::QueryBalanceResponse = self.query(
            "/cosmos.bank.v1beta1.Query/Balance",
            cosmos_sdk_proto::cosmos::bank::v1beta1::QueryBalanceRequest { address: a.to_bech32(), denom: "uvvv".into() },
            0,
        );
        r.balance.unwrap().amount.parse().unwrap()
    }

    fn outstanding(&self, k: usize) -> Dec {
        let r: dpb::QueryValidatorOutstandingRewardsResponse = self.query(
            "/cosmos.distribution.v1beta1.Query/ValidatorOutstandingRewards",
            dpb::QueryValidatorOutstandingRewardsRequest { validator_address: self.keys[k].address().to_valoper() },
            0,
        );
        r.rewards.unwrap().rewards.first().map(|c| Dec::from_atto_str(&c.amount).unwrap()).unwrap_or_default()
    }

    fn community_pool(&self) -> Dec {
        let r: dpb::QueryCommunityPoolResponse =
            self.query("/cosmos.distribution.v1beta1.Query/CommunityPool", dpb::QueryCommunityPoolRequest {}, 0);
        r.pool.first().map(|c| Dec::from_atto_str(&c.amount).unwrap()).unwrap_or_default()
    }
}

fn minted(resp: &abci::ResponseFinalizeBlock) -> u128 {
    common::event_attr(&resp.events, "mint", "amount")[0].parse().unwrap()
}

#[test]
fn emissions_and_fees_land_with_the_signers_exactly() {
    let mut c = Chain::new();
    let fc = Address::module("fee_collector");
    // Height 1: minted to the fee collector; nothing is allocated yet (no
    // previous block), as the SDK skips height 1.
    let r1 = c.block([false, false], vec![]);
    let m1 = minted(&r1);
    assert!(m1 > 0, "VVV's default emissions mint every block");
    assert_eq!(c.balance(&fc), m1);
    let infl: mpb::QueryInflationResponse = c.query("/cosmos.mint.v1beta1.Query/Inflation", mpb::QueryInflationRequest {}, 0);
    let inflation = Dec::from_atto_str(std::str::from_utf8(&infl.inflation).unwrap()).unwrap();
    assert!(inflation > Dec::parse("0.08").unwrap(), "bonded ratio below the goal raises inflation");

    // Height 2: both signed; a send pays a 5000 fee (allocated at height 3).
    let send = c.keys[0].sign_send(&c.keys[2].address(), 1, CHAIN_ID, 0, 0, 5000, 200_000);
    let r2 = c.block([true, true], vec![send]);
    assert_eq!(r2.tx_results[0].code, 0, "{}", r2.tx_results[0].log);
    let m2 = minted(&r2);
    // Allocated this block: m1 + m2; 2% to the pool, 3/4 and 1/4 by power.
    let allocated = Dec::from_int(m1 + m2).unwrap();
    let to_validators = allocated.mul_truncate(Dec::parse("0.98").unwrap()).unwrap();
    let v1 = to_validators.mul_truncate(Dec::parse("0.75").unwrap()).unwrap();
    let v2 = to_validators.mul_truncate(Dec::parse("0.25").unwrap()).unwrap();
    assert_eq!(c.outstanding(1), v1);
    assert_eq!(c.outstanding(2), v2);
    assert_eq!(c.community_pool(), allocated.checked_sub(v1).unwrap().checked_sub(v2).unwrap());
    assert_eq!(c.balance(&fc), 5000, "this block's fee waits for the next block");

    // Height 3: only validator 2 signed: the fee and m3 all go to it.
    let r3 = c.block([false, true], vec![]);
    let m3 = minted(&r3);
    let allocated = Dec::from_int(5000 + m3).unwrap();
    let to_v2 = allocated.mul_truncate(Dec::parse("0.98").unwrap()).unwrap();
    assert_eq!(c.outstanding(2), v2.checked_add(to_v2).unwrap());
    assert_eq!(c.outstanding(1), v1, "an absent validator earns nothing");
    assert_eq!(c.balance(&fc), 0);

    // Height 4: nobody signed, so nothing new reaches validator 1; its
    // operator withdraws exactly what DelegationRewards said at height 3.
    let q: dpb::QueryDelegationRewardsResponse = c.query(
        "/cosmos.distribution.v1beta1.Query/DelegationRewards",
        dpb::QueryDelegationRewardsRequest {
            delegator_address: c.keys[1].address().to_bech32(),
            validator_address: c.keys[1].address().to_valoper(),
        },
        3,
    );
    let owed = Dec::from_atto_str(&q.rewards[0].amount).unwrap().truncate_int();
    assert!(owed > 0);
    let before = c.balance(&c.keys[1].address());
    let msg = dpb::MsgWithdrawDelegatorReward {
        delegator_address: c.keys[1].address().to_bech32(),
        validator_address: c.keys[1].address().to_valoper(),
    };
    let tx = c.keys[1].sign_tx(
        vec![Any { type_url: venice_distribution::handlers::MSG_WITHDRAW_DELEGATOR_REWARD.into(), value: msg.encode_to_vec() }],
        &TxParams { chain_id: CHAIN_ID.into(), account_number: 1, sequence: 1, fee: 5000, gas: 300_000, ..Default::default() },
    );
    let r4 = c.block([false, false], vec![tx]);
    assert_eq!(r4.tx_results[0].code, 0, "{}", r4.tx_results[0].log);
    assert_eq!(c.balance(&c.keys[1].address()), before + owed - 5000);
    assert_eq!(common::event_attr(&r4.tx_results[0].events, "withdraw_rewards", "amount"), vec![format!("{owed}uvvv")]);
    let data = cosmos_sdk_proto::cosmos::base::abci::v1beta1::TxMsgData::decode(r4.tx_results[0].data.as_ref()).unwrap();
    let resp = dpb::MsgWithdrawDelegatorRewardResponse::decode(data.msg_responses[0].value.as_slice()).unwrap();
    assert_eq!(resp.amount[0].amount, owed.to_string());

    // The commission, too (10% of validator 1's share, whole coins).
    let comm = v1.mul_truncate(Dec::ONE).unwrap().checked_mul(Dec::parse("0.1").unwrap()).unwrap().truncate_int();
    let msg = dpb::MsgWithdrawValidatorCommission { validator_address: c.keys[1].address().to_valoper() };
    let tx = c.keys[1].sign_tx(
        vec![Any { type_url: venice_distribution::handlers::MSG_WITHDRAW_VALIDATOR_COMMISSION.into(), value: msg.encode_to_vec() }],
        &TxParams { chain_id: CHAIN_ID.into(), account_number: 1, sequence: 2, fee: 5000, gas: 300_000, ..Default::default() },
    );
    let before = c.balance(&c.keys[1].address());
    let r5 = c.block([false, false], vec![tx]);
    assert_eq!(r5.tx_results[0].code, 0, "{}", r5.tx_results[0].log);
    assert_eq!(c.balance(&c.keys[1].address()), before + comm - 5000);

    // The supply grew by exactly what was minted.
    let supply: cosmos_sdk_proto::cosmos::bank::v1beta1::QuerySupplyOfResponse = c.query(
        "/cosmos.bank.v1beta1.Query/SupplyOf",
        cosmos_sdk_proto::cosmos::bank::v1beta1::QuerySupplyOfRequest { denom: "uvvv".into() },
        0,
    );
    let total_minted = m1 + m2 + m3 + minted(&r4) + minted(&r5);
    assert_eq!(supply.amount.unwrap().amount.parse::<u128>().unwrap(), 3 * common::FUNDS + total_minted);
}

#[test]
fn exported_genesis_carries_the_reward_records() {
    let mut c = Chain::new();
    c.block([true, true], vec![]);
    c.block([true, true], vec![]);
    c.block([true, false], vec![]);
    let template = common::genesis(&c.keys);
    let exported = veniced::export::export_store_with(&c.app.store, &c.app.modules, &template, None, None).unwrap();
    let d = &exported["app_state"]["distribution"];
    assert_eq!(d["validator_current_rewards"].as_array().unwrap().len(), 2);
    assert_eq!(d["delegator_starting_infos"].as_array().unwrap().len(), 2);
    assert_eq!(d["outstanding_rewards"].as_array().unwrap().len(), 2);
    assert!(exported["app_state"]["mint"]["minter"]["annual_provisions"].as_str().unwrap() != "0.000000000000000000");
    // A new chain from the export holds the same records, and exports them again.
    let dir = tempfile::tempdir().unwrap();
    let app = App::new(Store::open(&dir.path().join("db"), StoreOptions::default()).unwrap(), vec![]);
    app.init_chain(veniced::genesis::init_chain_request(&exported).unwrap()).unwrap();
    let mut c2 = Chain { _dir: dir, app, keys: (0..3).map(TestKey::from_seed).collect(), height: 0 };
    // Its first block mints but allocates nothing (no previous block):
    // every distribution record is as exported.
    c2.block([true, true], vec![]);
    let again = veniced::export::export_store_with(&c2.app.store, &c2.app.modules, &template, None, None).unwrap();
    assert_eq!(&again["app_state"]["distribution"], d);
    assert_eq!(again["app_state"]["mint"]["params"], exported["app_state"]["mint"]["params"]);
}
