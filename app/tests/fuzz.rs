//! Hostile input never panics the node: random and mutated bytes through
//! tx decoding, CheckTx, FinalizeBlock and every Query path.

mod common;

use common::*;
use proptest::prelude::*;
use tendermint_proto::v0_38::abci as pb;

const PATHS: &[&str] = &[
    "/cosmos.bank.v1beta1.Query/Balance",
    "/cosmos.bank.v1beta1.Query/AllBalances",
    "/cosmos.bank.v1beta1.Query/TotalSupply",
    "/cosmos.bank.v1beta1.Query/SupplyOf",
    "/cosmos.bank.v1beta1.Query/DenomMetadata",
    "/cosmos.bank.v1beta1.Query/DenomsMetadata",
    "/cosmos.bank.v1beta1.Query/SpendableBalances",
    "/cosmos.auth.v1beta1.Query/Account",
    "/cosmos.auth.v1beta1.Query/AccountInfo",
    "/cosmos.auth.v1beta1.Query/ModuleAccountByName",
    "/cosmos.tx.v1beta1.Service/Simulate",
    "/store/bank/key",
    "/store/key",
    "/store//key",
    "/",
    "",
    "//",
    "/cosmos.bank.v1beta1.Query/",
];

fn mutate(mut bytes: Vec<u8>, flips: &[(usize, u8)], cut: usize) -> Vec<u8> {
    for (pos, x) in flips {
        if !bytes.is_empty() {
            let i = pos % bytes.len();
            bytes[i] ^= x;
        }
    }
    let keep = bytes.len().saturating_sub(cut % 8);
    bytes.truncate(keep);
    bytes
}

fn shared() -> &'static std::sync::Mutex<Fixture> {
    static F: std::sync::OnceLock<std::sync::Mutex<Fixture>> = std::sync::OnceLock::new();
    F.get_or_init(|| {
        let mut f = Fixture::new(2);
        f.block(vec![]); // queries read committed heights
        std::sync::Mutex::new(f)
    })
}

fn sequence(f: &Fixture, who: usize) -> u64 {
    use prost::Message;
    let req = cosmos_sdk_proto::cosmos::auth::v1beta1::QueryAccountRequest { address: f.keys[who].address().to_bech32() };
    let r = f.query("/cosmos.auth.v1beta1.Query/Account", req.encode_to_vec());
    let any = cosmos_sdk_proto::cosmos::auth::v1beta1::QueryAccountResponse::decode(r.value.as_ref()).unwrap().account.unwrap();
    cosmos_sdk_proto::cosmos::auth::v1beta1::BaseAccount::decode(any.value.as_slice()).unwrap().sequence
}

fn total_held(f: &Fixture) -> u128 {
    use prost::Message;
    let fc = venice_auth::ante::fee_collector().to_bech32();
    let req = cosmos_sdk_proto::cosmos::bank::v1beta1::QueryBalanceRequest { address: fc, denom: "uvvv".into() };
    let r = f.query("/cosmos.bank.v1beta1.Query/Balance", req.encode_to_vec());
    let fees: u128 = cosmos_sdk_proto::cosmos::bank::v1beta1::QueryBalanceResponse::decode(r.value.as_ref())
        .unwrap()
        .balance
        .unwrap()
        .amount
        .parse()
        .unwrap();
    // Fees move on to distribution's module account at the next block.
    let req = cosmos_sdk_proto::cosmos::bank::v1beta1::QueryBalanceRequest {
        address: venice_distribution::module_account().to_bech32(),
        denom: "uvvv".into(),
    };
    let r = f.query("/cosmos.bank.v1beta1.Query/Balance", req.encode_to_vec());
    let distributed: u128 = cosmos_sdk_proto::cosmos::bank::v1beta1::QueryBalanceResponse::decode(r.value.as_ref())
        .unwrap()
        .balance
        .unwrap()
        .amount
        .parse()
        .unwrap();
    f.balance(0) + f.balance(1) + fees + distributed
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600), path in 0..PATHS.len(), height in -2i64..5) {
        let f = shared().lock().unwrap_or_else(|p| p.into_inner());
        let r = f.check(bytes.clone());
        prop_assert!(r.code != 0);
        let _ = venice_sdk::tx::decode_tx(&bytes);
        let _ = f.app.query(pb::RequestQuery { path: PATHS[path].into(), data: bytes.clone().into(), height, prove: height % 2 == 0 });
    }

    #[test]
    fn mutated_valid_txs_never_panic_or_create_money(flips in proptest::collection::vec((any::<usize>(), 1u8..=255), 1..4), cut in any::<usize>(), path in 0..PATHS.len()) {
        let mut f = shared().lock().unwrap_or_else(|p| p.into_inner());
        let seq = sequence(&f, 0);
        let tx = mutate(f.send(0, 1, 100, seq), &flips, cut);
        let _ = f.check(tx.clone());
        let _ = f.app.query(pb::RequestQuery { path: PATHS[path].into(), data: tx.clone().into(), height: 0, prove: false });
        let before = total_held(&f);
        let (res, _) = f.block(vec![tx]);
        prop_assert_eq!(res.len(), 1);
        // Whatever happened, no coin was created or destroyed.
        prop_assert_eq!(total_held(&f), before);
        prop_assert_eq!(before, 2 * FUNDS);
    }
}
