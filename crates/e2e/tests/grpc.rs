//! The gRPC server against a running chain: server reflection (v1 and
//! v1alpha) lists every service the node answers and describes them; the
//! SDK's generated clients broadcast a tx and find it again (BroadcastTx,
//! GetTx, GetTxsEvent, GetBlockWithTxs), read blocks and validator sets, and
//! fetch the descriptor set from `cosmos.reflection.v1.ReflectionService`.

use std::collections::BTreeSet;
use std::time::Duration;

use cosmos_sdk_proto::cosmos::base::tendermint::v1beta1 as tm;
use cosmos_sdk_proto::cosmos::tx::v1beta1 as txpb;
use prost::Message;
use tonic::transport::Channel;
use venice_e2e::Chain;
use venice_e2e::tx::{Signer, TxSpec, account, msg_send, tx_hash, wait_tx};

const SERVICES: &[&str] = &[
    "cosmos.auth.v1beta1.Query",
    "cosmos.bank.v1beta1.Query",
    "cosmos.base.node.v1beta1.Service",
    "cosmos.base.tendermint.v1beta1.Service",
    "cosmos.distribution.v1beta1.Query",
    "cosmos.evidence.v1beta1.Query",
    "cosmos.gov.v1.Query",
    "cosmos.gov.v1beta1.Query",
    "cosmos.mint.v1beta1.Query",
    "cosmos.reflection.v1.ReflectionService",
    "cosmos.slashing.v1beta1.Query",
    "cosmos.staking.v1beta1.Query",
    "cosmos.tx.v1beta1.Service",
    "cosmos.upgrade.v1beta1.Query",
    "cosmwasm.wasm.v1.Query",
    "grpc.reflection.v1.ServerReflection",
    "grpc.reflection.v1alpha.ServerReflection",
    "venice.airdrop.v1.Query",
    "venice.ecosystem.v1.Query",
    "venice.fees.v1.Query",
    "venice.inference.v1.Query",
];

async fn list_v1(ch: Channel) -> (BTreeSet<String>, Vec<Vec<u8>>) {
    use tonic_reflection::pb::v1::server_reflection_client::ServerReflectionClient;
    use tonic_reflection::pb::v1::server_reflection_request::MessageRequest;
    use tonic_reflection::pb::v1::server_reflection_response::MessageResponse;
    use tonic_reflection::pb::v1::{ServerReflectionRequest, ServerReflectionResponse};
    let mut client = ServerReflectionClient::new(ch);
    let reqs = vec![
        ServerReflectionRequest { host: String::new(), message_request: Some(MessageRequest::ListServices(String::new())) },
        ServerReflectionRequest {
            host: String::new(),
            message_request: Some(MessageRequest::FileContainingSymbol("cosmos.bank.v1beta1.Query".into())),
        },
    ];
    let mut stream = client.server_reflection_info(tokio_stream::iter(reqs)).await.expect("reflection v1").into_inner();
    let (mut names, mut files) = (BTreeSet::new(), Vec::new());
    while let Some(ServerReflectionResponse { message_response, .. }) = stream.message().await.expect("reflection reply") {
        match message_response {
            Some(MessageResponse::ListServicesResponse(l)) => names.extend(l.service.into_iter().map(|s| s.name)),
            Some(MessageResponse::FileDescriptorResponse(f)) => files.extend(f.file_descriptor_proto),
            other => panic!("unexpected reflection reply {other:?}"),
        }
    }
    (names, files)
}

async fn list_v1alpha(ch: Channel) -> BTreeSet<String> {
    use tonic_reflection::pb::v1alpha::ServerReflectionRequest;
    use tonic_reflection::pb::v1alpha::server_reflection_client::ServerReflectionClient;
    use tonic_reflection::pb::v1alpha::server_reflection_request::MessageRequest;
    use tonic_reflection::pb::v1alpha::server_reflection_response::MessageResponse;
    let mut client = ServerReflectionClient::new(ch);
    let req = ServerReflectionRequest { host: String::new(), message_request: Some(MessageRequest::ListServices(String::new())) };
    let mut stream = client.server_reflection_info(tokio_stream::iter(vec![req])).await.expect("reflection v1alpha").into_inner();
    let mut names = BTreeSet::new();
    while let Some(r) = stream.message().await.expect("reflection reply") {
        if let Some(MessageResponse::ListServicesResponse(l)) = r.message_response {
            names.extend(l.service.into_iter().map(|s| s.name));
        }
    }
    names
}

#[test]
fn grpc_services_reflection_and_sdk_clients() {
    let sender = Signer::from_label("grpc/sender");
    let receiver = Signer::from_label("grpc/receiver");
    let mut chain = Chain::init("venice-e2e-grpc");
    chain.add_genesis_account(&sender.address, "5000000000uvvv");
    chain.start();
    let rpc = chain.rpc.clone();
    let url = chain.grpc_url();
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();

    rt.block_on(async {
        let ch = Channel::from_shared(url.clone()).unwrap().connect().await.expect("connect to gRPC");

        // Reflection lists exactly the services this node answers.
        let want: BTreeSet<String> = SERVICES.iter().map(|s| s.to_string()).collect();
        let (names, files) = list_v1(ch.clone()).await;
        assert_eq!(names, want);
        assert_eq!(list_v1alpha(ch.clone()).await, want);
        let bank_file = files
            .iter()
            .map(|f| prost_types::FileDescriptorProto::decode(f.as_slice()).unwrap())
            .find(|f| f.name() == "cosmos/bank/v1beta1/query.proto")
            .expect("reflection describes the bank query service");
        assert!(bank_file.service[0].method.iter().any(|m| m.name() == "AllBalances"));

        // cosmos.reflection.v1.ReflectionService/FileDescriptors.
        let mut grpc = tonic::client::Grpc::new(ch.clone());
        grpc.ready().await.unwrap();
        let codec = tonic::codec::ProstCodec::<(), prost_types::FileDescriptorSet>::default();
        let path = http_path("/cosmos.reflection.v1.ReflectionService/FileDescriptors");
        let set = grpc.unary(tonic::Request::new(()), path, codec).await.expect("FileDescriptors").into_inner();
        assert!(set.file.iter().any(|f| f.name() == "cosmos/tx/v1beta1/service.proto"), "{} files", set.file.len());

        // BroadcastTx with the SDK's generated client.
        let (acc_num, seq) = account(&rpc, &sender.address).unwrap().unwrap();
        let tx = TxSpec::new(&chain.chain_id, acc_num, seq, vec![msg_send(&sender.address, &receiver.address, 4_321)]).sign(&sender);
        let hash = tx_hash(&tx);
        let mut txc = txpb::service_client::ServiceClient::new(ch.clone());
        let r = txc
            .broadcast_tx(txpb::BroadcastTxRequest { tx_bytes: tx.clone(), mode: txpb::BroadcastMode::Sync as i32 })
            .await
            .expect("BroadcastTx")
            .into_inner()
            .tx_response
            .unwrap();
        assert_eq!((r.code, r.txhash.as_str()), (0, hash.as_str()), "{}", r.raw_log);
        let committed = wait_tx(&rpc, &hash, Duration::from_secs(30)).expect("committed");

        // GetTxsEvent by the v0.50 query, and GetTx.
        let q = format!("message.sender='{}'", sender.address);
        let found = txc
            .get_txs_event(txpb::GetTxsEventRequest { query: q, limit: 10, page: 1, ..Default::default() })
            .await
            .expect("GetTxsEvent")
            .into_inner();
        assert_eq!(found.total, 1);
        assert_eq!(found.tx_responses[0].txhash, hash);
        assert_eq!(found.tx_responses[0].height as u64, committed.height);
        assert_eq!(found.txs[0].body.as_ref().unwrap().messages[0].type_url, "/cosmos.bank.v1beta1.MsgSend");
        let got = txc.get_tx(txpb::GetTxRequest { hash: hash.clone() }).await.expect("GetTx").into_inner();
        assert_eq!(got.tx_response.unwrap().tx.unwrap().value, tx, "the packed Tx is the broadcast bytes");
        let missing = txc.get_tx(txpb::GetTxRequest { hash: "AB".repeat(32) }).await.unwrap_err();
        assert_eq!(missing.code(), tonic::Code::NotFound);

        let bw = txc
            .get_block_with_txs(txpb::GetBlockWithTxsRequest { height: committed.height as i64, pagination: None })
            .await
            .expect("GetBlockWithTxs")
            .into_inner();
        assert_eq!(bw.txs.len(), 1);
        assert_eq!(bw.txs[0].encode_to_vec(), tx);
        assert_eq!(bw.block.unwrap().header.unwrap().height as u64, committed.height);

        // Simulate through the same service.
        let tx2 = TxSpec::new(&chain.chain_id, acc_num, seq + 1, vec![msg_send(&sender.address, &receiver.address, 1)]).sign(&sender);
        #[allow(deprecated)]
        let sim = txc.simulate(txpb::SimulateRequest { tx: None, tx_bytes: tx2 }).await.expect("Simulate").into_inner();
        assert!(sim.gas_info.unwrap().gas_used > 0);

        // The tendermint service.
        let mut tmc = tm::service_client::ServiceClient::new(ch.clone());
        let b = tmc.get_block_by_height(tm::GetBlockByHeightRequest { height: committed.height as i64 }).await.expect("block").into_inner();
        assert_eq!(b.sdk_block.unwrap().header.unwrap().height as u64, committed.height);
        let vs =
            tmc.get_latest_validator_set(tm::GetLatestValidatorSetRequest { pagination: None }).await.expect("validators").into_inner();
        assert_eq!(vs.validators.len(), 1);
        assert_eq!(vs.validators[0].pub_key.as_ref().unwrap().type_url, "/cosmos.crypto.ed25519.PubKey");
        let ni = tmc.get_node_info(tm::GetNodeInfoRequest {}).await.expect("node info").into_inner();
        assert_eq!(ni.default_node_info.unwrap().network, chain.chain_id);
        let q = tmc
            .abci_query(tm::AbciQueryRequest { path: "/store/key".into(), data: b"no-such-key".to_vec(), height: 0, prove: true })
            .await
            .expect("ABCIQuery")
            .into_inner();
        assert_eq!(q.code, 0);
        assert!(q.proof_ops.is_some_and(|p| !p.ops.is_empty()), "ABCIQuery passes `prove`");
    });
}

/// grpcurl as `make setup` installs it (scripts/install-grpcurl.sh).
fn grpcurl() -> std::path::PathBuf {
    let cache = std::env::var_os("VENICE_CACHE")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::PathBuf::from(std::env::var_os("HOME").unwrap()).join(".cache/venice"));
    let bin = cache.join("tools/grpcurl-v1.9.3/grpcurl");
    assert!(bin.is_file(), "{} not found: run scripts/install-grpcurl.sh (make setup)", bin.display());
    bin
}

#[test]
fn grpcurl_lists_and_calls_every_service() {
    let sender = Signer::from_label("grpcurl/sender");
    let mut chain = Chain::init("venice-e2e-grpcurl");
    chain.add_genesis_account(&sender.address, "5000000000uvvv");
    chain.start();
    let host = chain.grpc_url().trim_start_matches("http://").to_string();
    let run = |args: &[&str]| {
        let out = std::process::Command::new(grpcurl()).args(args).output().expect("run grpcurl");
        assert!(out.status.success(), "grpcurl {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    let listed: Vec<String> = run(&["-plaintext", &host, "list"]).lines().map(str::to_string).collect();
    assert_eq!(listed, SERVICES.iter().map(|s| s.to_string()).collect::<Vec<_>>());
    // Described by reflection alone: grpcurl builds the request from it.
    let req = format!("{{\"address\": \"{}\"}}", sender.address);
    let out = run(&["-plaintext", "-d", &req, &host, "cosmos.bank.v1beta1.Query/AllBalances"]);
    let j: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(j["balances"], serde_json::json!([{"denom": "uvvv", "amount": "5000000000"}]), "{out}");
    let out = run(&["-plaintext", &host, "cosmos.base.tendermint.v1beta1.Service/GetSyncing"]);
    assert!(out.contains('{'), "{out}");
}

fn http_path(p: &'static str) -> tonic::codegen::http::uri::PathAndQuery {
    tonic::codegen::http::uri::PathAndQuery::from_static(p)
}
