//! The REST gateway in process (no CometBFT): SDK paths answered from the
//! same state as ABCI Query, in the gateway's JSON, at a past height, with
//! the gateway's error shape and HTTP statuses, CORS and the OpenAPI route.

mod common;

use std::sync::Arc;

use axum::body::Body;
use common::*;
use http::{Request, StatusCode};
use serde_json::{Value, json};
use tower::ServiceExt;

async fn call(router: &axum::Router, req: Request<Body>) -> (StatusCode, http::HeaderMap, Value) {
    let resp = router.clone().oneshot(req).await.unwrap();
    let (parts, body) = resp.into_parts();
    let bytes = axum::body::to_bytes(body, 1 << 24).await.unwrap();
    let v = if bytes.is_empty() { Value::Null } else { serde_json::from_slice(&bytes).unwrap() };
    (parts.status, parts.headers, v)
}

fn get(path: &str) -> Request<Body> {
    Request::get(path).body(Body::empty()).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gateway_paths_json_and_errors() {
    let mut f = Fixture::new(2);
    f.block(vec![f.send(0, 1, 100, 0)]);
    f.block(vec![f.send(0, 1, 100, 1)]);
    let who = f.keys[1].address().to_bech32();
    let app = Arc::new(std::mem::replace(
        &mut f.app,
        veniced::App::new(venice_store::Store::open(&f.dir.path().join("other"), Default::default()).unwrap(), vec![]),
    ));
    let services = veniced::services::Services::new(app, "tcp://127.0.0.1:1").unwrap();
    let router = veniced::rest::router(services, true);

    let (status, headers, j) = call(&router, get(&format!("/cosmos/bank/v1beta1/balances/{who}"))).await;
    assert_eq!(status, StatusCode::OK, "{j}");
    assert_eq!(j["balances"], json!([{"denom": "uvvv", "amount": (FUNDS + 200).to_string()}]));
    // uint64 as a string, unset bytes as null (the total is bank's to count).
    assert_eq!(j["pagination"]["next_key"], Value::Null);
    assert!(j["pagination"]["total"].is_string(), "{j}");
    assert_eq!(headers.get("x-cosmos-block-height").unwrap(), "2");
    assert_eq!(headers.get("access-control-allow-origin").unwrap(), "*");

    let req = Request::get(format!("/cosmos/bank/v1beta1/balances/{who}/by_denom?denom=uvvv"))
        .header("x-cosmos-block-height", "1")
        .body(Body::empty())
        .unwrap();
    let (status, _, j) = call(&router, req).await;
    assert_eq!(status, StatusCode::OK, "{j}");
    assert_eq!(j, json!({"balance": {"denom": "uvvv", "amount": (FUNDS + 100).to_string()}}));

    let (_, _, j) = call(&router, get(&format!("/cosmos/auth/v1beta1/accounts/{who}"))).await;
    assert_eq!(j["account"]["@type"], json!("/cosmos.auth.v1beta1.BaseAccount"));
    assert!(j["account"]["account_number"].is_string(), "{j}");

    let (status, _, j) = call(&router, get("/cosmos/base/node/v1beta1/config")).await;
    assert_eq!(status, StatusCode::OK, "{j}");
    assert_eq!(j["halt_height"], json!("0"));

    // Errors: the gateway's shape, code and HTTP status.
    let (status, _, j) = call(&router, get("/cosmos/bank/v1beta1/balances/cosmos1bad")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!((j["code"].clone(), j["details"].clone()), (json!(3), json!([])), "{j}");
    let missing = venice_sdk::testing::TestKey::from_seed(777).address().to_bech32();
    let (status, _, j) = call(&router, get(&format!("/cosmos/auth/v1beta1/accounts/{missing}"))).await;
    assert_eq!((status, j["code"].clone()), (StatusCode::NOT_FOUND, json!(5)), "{j}");
    let (status, _, j) = call(&router, get("/cosmos/none")).await;
    assert_eq!((status, j["code"].clone()), (StatusCode::NOT_FOUND, json!(5)), "{j}");
    let (status, _, j) = call(&router, Request::delete("/cosmos/bank/v1beta1/supply").body(Body::empty()).unwrap()).await;
    assert_eq!((status, j["code"].clone()), (StatusCode::METHOD_NOT_ALLOWED, json!(12)), "{j}");
    let bad_height = Request::get("/cosmos/bank/v1beta1/supply").header("x-cosmos-block-height", "99").body(Body::empty()).unwrap();
    let (status, _, j) = call(&router, bad_height).await;
    assert_eq!((status, j["code"].clone()), (StatusCode::BAD_REQUEST, json!(3)), "{j}");
    // CometBFT unreachable: the tx service says so, as Unavailable → 503.
    let (status, _, j) = call(&router, get("/cosmos/base/tendermint/v1beta1/syncing")).await;
    assert_eq!((status, j["code"].clone()), (StatusCode::SERVICE_UNAVAILABLE, json!(14)), "{j}");

    // CORS preflight.
    let (status, headers, _) = call(&router, Request::options("/cosmos/bank/v1beta1/supply").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert!(headers.get("access-control-allow-methods").unwrap().to_str().unwrap().contains("POST"));

    let (status, _, doc) = call(&router, get("/swagger/")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(doc["paths"]["/cosmos/bank/v1beta1/balances/{address}"]["get"].is_object());
    assert!(doc["paths"]["/cosmos/tx/v1beta1/simulate"]["post"].is_object());
}
