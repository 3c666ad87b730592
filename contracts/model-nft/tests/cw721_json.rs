//! The cw721 messages as wallets and indexers send them (JSON from the cw721
//! specification) parse into this contract's messages, and its answers have
//! the cw721 response shapes.

use cosmwasm_std::from_json;
use cw_utils::Expiration;
use model_nft::msg::{Approval, ExecuteMsg, NumTokensResponse, OwnerOfResponse, QueryMsg, TokensResponse};
use serde_json::to_value as to_json_value;

#[test]
fn standard_execute_messages_parse() {
    let cases = [
        (r#"{"transfer_nft":{"recipient":"addr","token_id":"1"}}"#, "transfer_nft"),
        (r#"{"send_nft":{"contract":"addr","token_id":"1","msg":"aGk="}}"#, "send_nft"),
        (r#"{"approve":{"spender":"addr","token_id":"1","expires":{"at_height":5}}}"#, "approve"),
        (r#"{"approve":{"spender":"addr","token_id":"1","expires":null}}"#, "approve"),
        (r#"{"revoke":{"spender":"addr","token_id":"1"}}"#, "revoke"),
        (r#"{"approve_all":{"operator":"addr","expires":{"never":{}}}}"#, "approve_all"),
        (r#"{"revoke_all":{"operator":"addr"}}"#, "revoke_all"),
        (r#"{"burn":{"token_id":"1"}}"#, "burn"),
    ];
    for (json, tag) in cases {
        let msg: ExecuteMsg = from_json(json.as_bytes()).unwrap_or_else(|e| panic!("{json}: {e}"));
        // Round trip keeps the tag and fields.
        let back = to_json_value(&msg).unwrap();
        assert!(back.get(tag).is_some(), "{json} -> {back}");
    }
    let msg: ExecuteMsg = from_json(br#"{"approve":{"spender":"s","token_id":"t","expires":{"at_time":"1700000000000000000"}}}"#).unwrap();
    assert!(matches!(msg, ExecuteMsg::Approve { expires: Some(Expiration::AtTime(_)), .. }));
}

#[test]
fn standard_queries_parse() {
    for json in [
        r#"{"owner_of":{"token_id":"1","include_expired":true}}"#,
        r#"{"owner_of":{"token_id":"1"}}"#,
        r#"{"approval":{"token_id":"1","spender":"s","include_expired":null}}"#,
        r#"{"approvals":{"token_id":"1"}}"#,
        r#"{"operator":{"owner":"o","operator":"p"}}"#,
        r#"{"all_operators":{"owner":"o","include_expired":false,"start_after":null,"limit":5}}"#,
        r#"{"num_tokens":{}}"#,
        r#"{"contract_info":{}}"#,
        r#"{"nft_info":{"token_id":"1"}}"#,
        r#"{"all_nft_info":{"token_id":"1"}}"#,
        r#"{"tokens":{"owner":"o","start_after":"a","limit":3}}"#,
        r#"{"all_tokens":{}}"#,
        r#"{"minter":{}}"#,
    ] {
        from_json::<QueryMsg>(json.as_bytes()).unwrap_or_else(|e| panic!("{json}: {e}"));
    }
}

#[test]
fn responses_have_cw721_shapes() {
    let owner = OwnerOfResponse { owner: "o".into(), approvals: vec![Approval { spender: "s".into(), expires: Expiration::AtHeight(7) }] };
    assert_eq!(
        to_json_value(&owner).unwrap(),
        serde_json::json!({"owner": "o", "approvals": [{"spender": "s", "expires": {"at_height": 7}}]})
    );
    assert_eq!(to_json_value(NumTokensResponse { count: 3 }).unwrap(), serde_json::json!({"count": 3}));
    assert_eq!(to_json_value(TokensResponse { tokens: vec!["a".into()] }).unwrap(), serde_json::json!({"tokens": ["a"]}));
}
