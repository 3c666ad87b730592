//! The REST (LCD) gateway against a running chain: every SDK path the issue
//! lists, each compared field by field with the same query over ABCI (or
//! CometBFT's RPC), in the gateway's JSON (64-bit integers as strings,
//! snake_case, `Any` with `@type`, unset messages as null); a tx broadcast
//! over REST found over RPC and by hash; errors in the gateway's shape.

use std::time::Duration;

use base64::Engine;
use cosmrs::proto::cosmos::auth::v1beta1 as auth;
use cosmrs::proto::cosmos::bank::v1beta1 as bank;
use cosmrs::proto::cosmos::base::query::v1beta1::PageRequest;
use cosmrs::proto::cosmos::tx::v1beta1::{SimulateRequest, SimulateResponse};
use prost::Message;
use serde_json::{Value, json};
use venice_e2e::Chain;
use venice_e2e::http::{get, post, request};
use venice_e2e::rpc::{Rpc, as_u64};
use venice_e2e::tx::{Signer, TxSpec, account, event_attrs, has_attr, msg_send, tx_hash, wait_tx};

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

fn abci<M: Message + Default>(rpc: &Rpc, path: &str, req: impl Message) -> M {
    let (code, log, value) = rpc.abci_query(path, &req.encode_to_vec()).expect("abci_query");
    assert_eq!(code, 0, "{path}: {log}");
    M::decode(value.as_slice()).expect("decode")
}

fn ok(api: &str, path: &str) -> Value {
    let r = get(api, path);
    assert_eq!(r.status, 200, "GET {path}: {}", r.body);
    r.json()
}

/// The gateway's error shape, with the gRPC code and the HTTP status it maps to.
fn assert_error(r: &venice_e2e::http::Reply, http: u16, code: i64, what: &str) {
    assert_eq!(r.status, http, "{what}: {}", r.body);
    let j = r.json();
    assert_eq!(j["code"], json!(code), "{what}: {j}");
    assert!(j["message"].as_str().is_some_and(|m| !m.is_empty()), "{what}: {j}");
    assert_eq!(j["details"], json!([]), "{what}: {j}");
    assert_eq!(j.as_object().unwrap().len(), 3, "{what}: {j}");
}

#[test]
fn rest_gateway_answers_as_abci_does() {
    let sender = Signer::from_label("rest/sender");
    let receiver = Signer::from_label("rest/receiver");
    let mut chain = Chain::init("venice-e2e-rest");
    chain.add_genesis_account(&sender.address, "5000000000uvvv,777ustable");
    // Supplies are compared across two queries: no emissions between them.
    chain.without_emissions();
    chain.start();
    let rpc = chain.rpc.clone();
    let api = chain.api_url();

    // ---- bank -------------------------------------------------------------
    let all: bank::QueryAllBalancesResponse = abci(
        &rpc,
        "/cosmos.bank.v1beta1.Query/AllBalances",
        bank::QueryAllBalancesRequest { address: sender.address.clone(), ..Default::default() },
    );
    let j = ok(&api, &format!("/cosmos/bank/v1beta1/balances/{}", sender.address));
    let want: Vec<Value> = all.balances.iter().map(|c| json!({"denom": c.denom, "amount": c.amount})).collect();
    assert_eq!(j["balances"], json!(want));
    assert_eq!(want.len(), 2);
    assert_eq!(j["pagination"], json!({"next_key": null, "total": all.pagination.unwrap().total.to_string()}));

    // Pagination query parameters reach the query: one denom per page.
    let page: bank::QueryAllBalancesResponse = abci(
        &rpc,
        "/cosmos.bank.v1beta1.Query/AllBalances",
        bank::QueryAllBalancesRequest {
            address: sender.address.clone(),
            pagination: Some(PageRequest { limit: 1, count_total: true, ..Default::default() }),
            resolve_denom: false,
        },
    );
    let j = ok(&api, &format!("/cosmos/bank/v1beta1/balances/{}?pagination.limit=1&pagination.count_total=true", sender.address));
    assert_eq!(j["balances"], json!([{"denom": page.balances[0].denom, "amount": page.balances[0].amount}]));
    let next_key = page.pagination.as_ref().unwrap().next_key.clone();
    assert!(!next_key.is_empty());
    assert_eq!(j["pagination"]["next_key"], json!(B64.encode(&next_key)));
    let key = j["pagination"]["next_key"].as_str().unwrap().replace('+', "%2B").replace('/', "%2F").replace('=', "%3D");
    let j2 = ok(&api, &format!("/cosmos/bank/v1beta1/balances/{}?pagination.limit=1&pagination.key={key}", sender.address));
    assert_eq!(j2["balances"], json!([{"denom": all.balances[1].denom, "amount": all.balances[1].amount}]));

    let one: bank::QueryBalanceResponse = abci(
        &rpc,
        "/cosmos.bank.v1beta1.Query/Balance",
        bank::QueryBalanceRequest { address: sender.address.clone(), denom: "uvvv".into() },
    );
    let j = ok(&api, &format!("/cosmos/bank/v1beta1/balances/{}/by_denom?denom=uvvv", sender.address));
    assert_eq!(j, json!({"balance": {"denom": "uvvv", "amount": one.balance.unwrap().amount}}));

    let supply: bank::QueryTotalSupplyResponse =
        abci(&rpc, "/cosmos.bank.v1beta1.Query/TotalSupply", bank::QueryTotalSupplyRequest::default());
    let j = ok(&api, "/cosmos/bank/v1beta1/supply");
    let want: Vec<Value> = supply.supply.iter().map(|c| json!({"denom": c.denom, "amount": c.amount})).collect();
    assert_eq!(j["supply"], json!(want));
    let of: bank::QuerySupplyOfResponse =
        abci(&rpc, "/cosmos.bank.v1beta1.Query/SupplyOf", bank::QuerySupplyOfRequest { denom: "uvvv".into() });
    assert_eq!(
        ok(&api, "/cosmos/bank/v1beta1/supply/by_denom?denom=uvvv"),
        json!({"amount": {"denom": "uvvv", "amount": of.amount.unwrap().amount}})
    );

    let params: bank::QueryParamsResponse = abci(&rpc, "/cosmos.bank.v1beta1.Query/Params", bank::QueryParamsRequest {});
    let j = ok(&api, "/cosmos/bank/v1beta1/params");
    assert_eq!(j["params"]["default_send_enabled"], json!(params.params.unwrap().default_send_enabled));

    // ---- auth: the account is an Any, expanded with @type --------------
    let acc: auth::QueryAccountResponse =
        abci(&rpc, "/cosmos.auth.v1beta1.Query/Account", auth::QueryAccountRequest { address: sender.address.clone() });
    let base = auth::BaseAccount::decode(acc.account.unwrap().value.as_slice()).unwrap();
    let j = ok(&api, &format!("/cosmos/auth/v1beta1/accounts/{}", sender.address));
    assert_eq!(
        j,
        json!({"account": {
            "@type": "/cosmos.auth.v1beta1.BaseAccount",
            "address": sender.address,
            "pub_key": null,
            "account_number": base.account_number.to_string(),
            "sequence": "0",
        }})
    );
    let ap: auth::QueryParamsResponse = abci(&rpc, "/cosmos.auth.v1beta1.Query/Params", auth::QueryParamsRequest {});
    let ap = ap.params.unwrap();
    let j = ok(&api, "/cosmos/auth/v1beta1/params");
    assert_eq!(j["params"]["max_memo_characters"], json!(ap.max_memo_characters.to_string()));
    assert_eq!(j["params"]["tx_sig_limit"], json!(ap.tx_sig_limit.to_string()));

    // ---- node ------------------------------------------------------------
    use cosmrs::proto::cosmos::base::node::v1beta1 as node;
    let cfg: node::ConfigResponse = abci(&rpc, "/cosmos.base.node.v1beta1.Service/Config", node::ConfigRequest {});
    let j = ok(&api, "/cosmos/base/node/v1beta1/config");
    assert_eq!(j["minimum_gas_price"], json!(cfg.minimum_gas_price), "{j}");
    assert!(cfg.minimum_gas_price.ends_with("uvvv"));
    assert_eq!(j["pruning_keep_recent"], json!(cfg.pruning_keep_recent));
    assert!(j["halt_height"].is_string(), "uint64 as a string: {j}");

    // ---- staking: the gentx validator, enums by name, Any keys expanded ----
    use cosmrs::proto::cosmos::staking::v1beta1 as staking;
    let vals: staking::QueryValidatorsResponse =
        abci(&rpc, "/cosmos.staking.v1beta1.Query/Validators", staking::QueryValidatorsRequest::default());
    assert_eq!(vals.validators.len(), 1, "make run's validator, from the demo key's gentx");
    let v = &vals.validators[0];
    let j = ok(&api, "/cosmos/staking/v1beta1/validators");
    let jv = &j["validators"][0];
    assert_eq!(jv["operator_address"], json!(v.operator_address));
    assert_eq!(jv["tokens"], json!(v.tokens));
    // A LegacyDec: the scaled integer on the wire, the decimal in the
    // gateway's JSON (as the SDK's REST writes it).
    let dec = |wire: &str| {
        let padded = format!("{wire:0>19}");
        let (int, frac) = padded.split_at(padded.len() - 18);
        let int = int.trim_start_matches('0');
        json!(format!("{}.{frac}", if int.is_empty() { "0" } else { int }))
    };
    assert_eq!(jv["delegator_shares"], dec(&v.delegator_shares));
    assert_eq!(jv["status"], json!("BOND_STATUS_BONDED"));
    assert_eq!(v.status, staking::BondStatus::Bonded as i32);
    assert_eq!(jv["consensus_pubkey"]["@type"], json!("/cosmos.crypto.ed25519.PubKey"), "{jv}");
    let key = cosmrs::proto::cosmos::crypto::ed25519::PubKey::decode(v.consensus_pubkey.as_ref().unwrap().value.as_slice()).unwrap();
    assert_eq!(jv["consensus_pubkey"]["key"], json!(B64.encode(&key.key)));
    assert_eq!(jv["commission"]["commission_rates"]["rate"], dec(&v.commission.as_ref().unwrap().commission_rates.as_ref().unwrap().rate));
    let one = ok(&api, &format!("/cosmos/staking/v1beta1/validators/{}", v.operator_address));
    assert_eq!(&one["validator"], jv);
    let sp: staking::QueryParamsResponse = abci(&rpc, "/cosmos.staking.v1beta1.Query/Params", staking::QueryParamsRequest {});
    let sp = sp.params.unwrap();
    let j = ok(&api, "/cosmos/staking/v1beta1/params");
    assert_eq!(j["params"]["bond_denom"], json!(sp.bond_denom));
    assert_eq!(j["params"]["max_validators"], json!(sp.max_validators));
    let ut = sp.unbonding_time.unwrap();
    assert_eq!(j["params"]["unbonding_time"], json!(format!("{}s", ut.seconds)), "durations as the gateway writes them");
    let pool: staking::QueryPoolResponse = abci(&rpc, "/cosmos.staking.v1beta1.Query/Pool", staking::QueryPoolRequest {});
    assert_eq!(ok(&api, "/cosmos/staking/v1beta1/pool")["pool"]["bonded_tokens"], json!(pool.pool.unwrap().bonded_tokens));

    // ---- wasm: wasmd's gateway paths -----------------------------------
    use cosmrs::proto::cosmwasm::wasm::v1 as wasm;
    let wp: wasm::QueryParamsResponse = abci(&rpc, "/cosmwasm.wasm.v1.Query/Params", wasm::QueryParamsRequest {});
    let wp = wp.params.unwrap();
    let j = ok(&api, "/cosmwasm/wasm/v1/codes/params");
    let access = |p: i32| wasm::AccessType::try_from(p).unwrap().as_str_name();
    assert_eq!(j["params"]["code_upload_access"]["permission"], json!(access(wp.code_upload_access.unwrap().permission)));
    assert_eq!(j["params"]["instantiate_default_permission"], json!(access(wp.instantiate_default_permission)));
    let codes: wasm::QueryCodesResponse = abci(&rpc, "/cosmwasm.wasm.v1.Query/Codes", wasm::QueryCodesRequest::default());
    let j = ok(&api, "/cosmwasm/wasm/v1/code");
    assert_eq!(j["code_infos"].as_array().unwrap().len(), codes.code_infos.len());
    assert_error(&get(&api, "/cosmwasm/wasm/v1/code/999"), 404, 5, "unknown code");

    // ---- a tx over REST: broadcast, found over RPC and by hash ------------
    let h_before = chain.height();
    let (acc_num, seq) = account(&rpc, &sender.address).unwrap().unwrap();
    let tx = TxSpec::new(&chain.chain_id, acc_num, seq, vec![msg_send(&sender.address, &receiver.address, 1_234)]).sign(&sender);
    let hash = tx_hash(&tx);

    // Simulate first: the gateway and ABCI agree on the gas.
    let sim: SimulateResponse =
        abci(&rpc, "/cosmos.tx.v1beta1.Service/Simulate", SimulateRequest { tx_bytes: tx.clone(), ..Default::default() });
    let r = post(&api, "/cosmos/tx/v1beta1/simulate", &json!({"tx_bytes": B64.encode(&tx)}));
    assert_eq!(r.status, 200, "{}", r.body);
    let j = r.json();
    assert_eq!(j["gas_info"]["gas_used"], json!(sim.gas_info.unwrap().gas_used.to_string()));
    assert!(has_attr(&event_attrs(&j["result"]["events"]), "transfer", "amount", "1234uvvv"), "{j}");

    let r = post(&api, "/cosmos/tx/v1beta1/txs", &json!({"tx_bytes": B64.encode(&tx), "mode": "BROADCAST_MODE_SYNC"}));
    assert_eq!(r.status, 200, "{}", r.body);
    let j = r.json();
    assert_eq!(j["tx_response"]["code"], json!(0), "{j}");
    assert_eq!(j["tx_response"]["txhash"], json!(hash));
    assert_eq!(j["tx_response"]["height"], json!("0"));
    let committed = wait_tx(&rpc, &hash, Duration::from_secs(30)).expect("the REST-broadcast tx is found over RPC");
    assert_eq!(committed.code, 0, "{}", committed.log);

    let j = ok(&api, &format!("/cosmos/tx/v1beta1/txs/{hash}"));
    let resp = &j["tx_response"];
    assert_eq!(resp["txhash"], json!(hash));
    assert_eq!(resp["height"], json!(committed.height.to_string()));
    assert_eq!(resp["code"], json!(0));
    assert_eq!(resp["gas_used"], json!(committed.result["tx_result"]["gas_used"].as_str().unwrap()));
    assert_eq!(resp["tx"]["@type"], json!("/cosmos.tx.v1beta1.Tx"));
    assert_eq!(resp["tx"]["body"]["messages"][0]["@type"], json!("/cosmos.bank.v1beta1.MsgSend"));
    assert_eq!(j["tx"]["body"]["messages"][0]["to_address"], json!(receiver.address));
    assert_eq!(j["tx"]["auth_info"]["signer_infos"][0]["public_key"]["@type"], json!("/cosmos.crypto.secp256k1.PubKey"));
    assert_eq!(j["tx"]["auth_info"]["signer_infos"][0]["sequence"], json!(seq.to_string()));
    assert!(resp["timestamp"].as_str().unwrap().ends_with('Z'), "{resp}");
    assert!(has_attr(&event_attrs(&resp["events"]), "transfer", "recipient", &receiver.address), "{resp}");

    // By events: the v0.50 `query` and the older `events` form.
    let q = format!("message.sender='{}'", sender.address);
    let j = ok(&api, &format!("/cosmos/tx/v1beta1/txs?query={}", q.replace(' ', "%20").replace('\'', "%27")));
    assert_eq!(j["total"], json!("1"), "{j}");
    assert_eq!(j["tx_responses"][0]["txhash"], json!(hash));
    assert_eq!(j["txs"][0]["body"]["messages"][0]["from_address"], json!(sender.address));
    let j = ok(&api, &format!("/cosmos/tx/v1beta1/txs?events=tx.height={}", committed.height));
    assert_eq!(j["tx_responses"][0]["txhash"], json!(hash), "{j}");

    // Async broadcast of the next tx.
    let tx2 = TxSpec::new(&chain.chain_id, acc_num, seq + 1, vec![msg_send(&sender.address, &receiver.address, 1)]).sign(&sender);
    let r = post(&api, "/cosmos/tx/v1beta1/txs", &json!({"tx_bytes": B64.encode(&tx2), "mode": "BROADCAST_MODE_ASYNC"}));
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["tx_response"]["txhash"], json!(tx_hash(&tx2)));
    assert!(wait_tx(&rpc, &tx_hash(&tx2), Duration::from_secs(30)).is_some(), "async tx committed");

    // A past height through x-cosmos-block-height: the receiver had nothing then.
    let path = format!("/cosmos/bank/v1beta1/balances/{}", receiver.address);
    let r = request(&api, "GET", &path, &[("x-cosmos-block-height", &h_before.to_string())], None);
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["balances"], json!([]));
    assert_eq!(r.header("x-cosmos-block-height"), Some(h_before.to_string().as_str()));
    assert_eq!(ok(&api, &path)["balances"], json!([{"denom": "uvvv", "amount": "1235"}]));

    // ---- tendermint service, against CometBFT's RPC -----------------------
    let j = ok(&api, "/cosmos/base/tendermint/v1beta1/node_info");
    let status = rpc.call("status", json!({})).unwrap();
    assert_eq!(j["default_node_info"]["network"], json!(chain.chain_id));
    assert_eq!(j["default_node_info"]["default_node_id"], status["node_info"]["id"]);
    assert_eq!(j["default_node_info"]["moniker"], status["node_info"]["moniker"]);
    assert_eq!(
        j["default_node_info"]["protocol_version"]["block"],
        json!(status["node_info"]["protocol_version"]["block"].as_str().unwrap())
    );
    assert_eq!(j["application_version"]["app_name"], json!("veniced"));
    assert_eq!(ok(&api, "/cosmos/base/tendermint/v1beta1/syncing"), json!({"syncing": false}));

    let j = ok(&api, "/cosmos/base/tendermint/v1beta1/blocks/latest");
    assert!(as_u64(&j["block"]["header"]["height"]) >= committed.height, "{}", j["block"]["header"]);
    assert!(j["sdk_block"]["header"]["proposer_address"].as_str().unwrap().starts_with("venicevalcons1"));

    let h = committed.height;
    let j = ok(&api, &format!("/cosmos/base/tendermint/v1beta1/blocks/{h}"));
    let block = rpc.call("block", json!({"height": h.to_string()})).unwrap();
    assert_eq!(j["block"]["header"]["height"], json!(h.to_string()));
    assert_eq!(j["block"]["header"]["chain_id"], json!(chain.chain_id));
    let id_hex = hex::encode_upper(B64.decode(j["block_id"]["hash"].as_str().unwrap()).unwrap());
    assert_eq!(json!(id_hex), block["block_id"]["hash"]);
    let app_hash = hex::encode_upper(B64.decode(j["block"]["header"]["app_hash"].as_str().unwrap()).unwrap());
    assert_eq!(json!(app_hash), block["block"]["header"]["app_hash"]);
    // The raw block as CometBFT holds it: the injected extended commit of
    // the previous height first (vote extensions), then the REST tx.
    let txs = j["block"]["data"]["txs"].as_array().unwrap();
    assert_eq!(txs.last(), Some(&json!(B64.encode(&tx))), "the REST tx is in its block");
    assert_eq!(txs.len(), 2, "{txs:?}");
    assert!(B64.decode(txs[0].as_str().unwrap()).unwrap().starts_with(b"\0venice/inference/extended-commit/v1\0"));
    assert_eq!(j["sdk_block"]["header"]["app_hash"], j["block"]["header"]["app_hash"]);

    let j = ok(&api, "/cosmos/base/tendermint/v1beta1/validatorsets/latest");
    let vals = rpc.call("validators", json!({})).unwrap();
    assert_eq!(j["validators"].as_array().unwrap().len(), 1, "{j}");
    let v = &j["validators"][0];
    assert_eq!(v["pub_key"]["@type"], json!("/cosmos.crypto.ed25519.PubKey"));
    assert_eq!(v["pub_key"]["key"], vals["validators"][0]["pub_key"]["value"]);
    assert_eq!(v["voting_power"], json!(vals["validators"][0]["voting_power"].as_str().unwrap()));
    assert!(v["address"].as_str().unwrap().starts_with("venicevalcons1"));
    assert_eq!(j["pagination"]["total"], json!("1"));

    // ---- errors in the gateway's shape ------------------------------------
    assert_error(&get(&api, "/cosmos/bank/v1beta1/balances/notanaddress"), 400, 3, "invalid address");
    assert_error(&get(&api, &format!("/cosmos/tx/v1beta1/txs/{}", "AB".repeat(32))), 404, 5, "unknown tx");
    assert_error(&get(&api, "/cosmos/nothing/here"), 404, 5, "unknown route");
    assert_error(
        &post(&api, "/cosmos/tx/v1beta1/txs", &json!({"tx_bytes": B64.encode(&tx), "mode": "BROADCAST_MODE_BLOCK"})),
        400,
        3,
        "block mode",
    );
    assert_error(&post(&api, "/cosmos/tx/v1beta1/txs", &json!({"tx_bytes": 5})), 400, 3, "bad JSON type");
    assert_error(&get(&api, "/cosmos/base/tendermint/v1beta1/blocks/99999999"), 400, 3, "future block");
    assert_error(&get(&api, "/cosmos/tx/v1beta1/txs"), 400, 3, "empty query");
    let r = request(&api, "GET", &path, &[("x-cosmos-block-height", "999999999")], None);
    assert_error(&r, 400, 3, "future height");

    // ---- the OpenAPI document of the same routes ---------------------------
    let doc = ok(&api, "/swagger/");
    assert_eq!(doc["swagger"], json!("2.0"));
    for p in [
        "/cosmos/bank/v1beta1/balances/{address}",
        "/cosmos/auth/v1beta1/accounts/{address}",
        "/cosmos/tx/v1beta1/txs/{hash}",
        "/cosmos/base/tendermint/v1beta1/blocks/{height}",
        "/cosmos/base/node/v1beta1/config",
    ] {
        assert!(doc["paths"][p]["get"].is_object(), "{p} in /swagger/");
    }
    assert!(doc["paths"]["/cosmos/tx/v1beta1/txs"]["post"].is_object());
    let params = doc["paths"]["/cosmos/bank/v1beta1/balances/{address}"]["get"]["parameters"].as_array().unwrap();
    assert!(params.iter().any(|p| p["name"] == "pagination.limit" && p["in"] == "query"));
    assert_eq!(doc["definitions"]["cosmos.base.v1beta1.Coin"]["properties"]["amount"]["type"], json!("string"));
}
