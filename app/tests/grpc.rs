//! The gRPC server answers with the Cosmos SDK's generated clients, at the
//! latest and at a past height, with gRPC status codes clients switch on.

mod common;

use std::sync::Arc;

use common::*;
use cosmos_sdk_proto::cosmos::auth::v1beta1::{QueryAccountRequest, query_client::QueryClient as AuthClient};
use cosmos_sdk_proto::cosmos::bank::v1beta1::{QueryBalanceRequest, query_client::QueryClient as BankClient};
use cosmos_sdk_proto::cosmos::base::node::v1beta1::{ConfigRequest, StatusRequest, service_client::ServiceClient as NodeClient};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bank_and_auth_queries_over_grpc() {
    let mut f =
        Fixture::with_options(2, venice_store::StoreOptions { keep_recent: 50 }, venice_sdk::DecCoin::parse_list("0.0025uvvv").unwrap());
    f.block(vec![f.send(0, 1, 100, 0)]);
    f.block(vec![f.send(0, 1, 100, 1)]);
    let who = f.keys[1].address().to_bech32();
    let app = Arc::new(std::mem::replace(
        &mut f.app,
        veniced::App::new(venice_store::Store::open(&f.dir.path().join("other"), Default::default()).unwrap(), vec![]),
    ));
    let addr = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().to_string();
    // No CometBFT here: only the state-backed services are asked.
    veniced::grpc::spawn(app, &addr, "tcp://127.0.0.1:1");

    let url = format!("http://{addr}");
    let mut bank = None;
    for _ in 0..100 {
        if let Ok(c) = BankClient::connect(url.clone()).await {
            bank = Some(c);
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let mut bank = bank.expect("gRPC server reachable");
    let resp = bank.balance(QueryBalanceRequest { address: who.clone(), denom: "uvvv".into() }).await.unwrap();
    assert_eq!(resp.metadata().get("x-cosmos-block-height").unwrap(), "2");
    assert_eq!(resp.into_inner().balance.unwrap().amount, (FUNDS + 200).to_string());

    let mut past = tonic::Request::new(QueryBalanceRequest { address: who.clone(), denom: "uvvv".into() });
    past.metadata_mut().insert("x-cosmos-block-height", "1".parse().unwrap());
    assert_eq!(bank.balance(past).await.unwrap().into_inner().balance.unwrap().amount, (FUNDS + 100).to_string());

    let mut auth = AuthClient::connect(url.clone()).await.unwrap();
    let missing = venice_sdk::testing::TestKey::from_seed(777).address().to_bech32();
    let err = auth.account(QueryAccountRequest { address: missing }).await.unwrap_err();
    assert_eq!(err.code(), tonic::Code::NotFound, "{err}");
    let bad = bank.balance(QueryBalanceRequest { address: "cosmos1bad".into(), denom: "uvvv".into() }).await.unwrap_err();
    assert_eq!(bad.code(), tonic::Code::InvalidArgument, "{bad}");

    // cosmos.base.node.v1beta1.Service: what wallets read for the minimum gas price.
    let mut node = NodeClient::connect(url).await.unwrap();
    let config = node.config(ConfigRequest {}).await.unwrap().into_inner();
    assert_eq!(config.minimum_gas_price, "0.002500000000000000uvvv");
    assert_eq!(config.pruning_keep_recent, "50");
    let status = node.status(StatusRequest {}).await.unwrap().into_inner();
    assert_eq!(status.height, 2);
    assert_eq!(status.earliest_store_height, 1);
    assert_eq!(status.timestamp.unwrap().seconds, 1_700_000_002);
    assert_eq!(status.app_hash.len(), 32);
}
