//! The offline and multisig flow of the `venice` CLI through a real chain:
//! `--generate-only` → `tx sign --offline --multisig` by two members of a
//! 2-of-3 multisig → `tx multisign` → `tx broadcast` moves the multisig's
//! funds; one signature of three is refused with the reason; a single key
//! signs in amino JSON mode; `tx encode` / `tx decode` round-trip the file.

use std::path::Path;
use std::process::Output;

use serde_json::Value;
use venice_e2e::Chain;
use venice_e2e::tx::balance;

fn ok(out: &Output, what: &str) -> String {
    assert!(out.status.success(), "{what} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn json_of(text: &str) -> Value {
    let line = text.lines().rev().find(|l| l.trim_start().starts_with('{')).unwrap_or_else(|| panic!("no JSON in {text}"));
    serde_json::from_str(line).unwrap()
}

fn p(path: &Path) -> &str {
    path.to_str().unwrap()
}

#[test]
fn multisig_offline_flow_and_amino_mode() {
    let mut chain = Chain::init("venice-e2e-multisig");
    let keys: Vec<String> = ["m1", "m2", "m3"].iter().map(|k| chain.key_add(k)).collect();
    let alice = chain.key_add("alice");
    let bob = chain.key_add("bob");
    let out = chain.venice(&[
        "keys",
        "add",
        "shared",
        "--multisig",
        "m1,m2,m3",
        "--multisig-threshold",
        "2",
        "--keyring-backend",
        "test",
        "--output",
        "json",
    ]);
    let shown = json_of(&ok(&out, "keys add --multisig"));
    let shared = chain.key_address("shared");
    assert_eq!(shown["address"], shared.as_str());
    assert_eq!(shown["type"], "multi");
    assert!(shown["pubkey"].as_str().unwrap().contains("LegacyAminoPubKey"), "{shown}");
    assert!(!keys.contains(&shared));
    chain.add_genesis_account(&shared, "50000000uvvv");
    chain.add_genesis_account(&alice, "50000000uvvv");
    chain.start();
    let node = chain.rpc.url();
    let cid = chain.chain_id.clone();
    let dir = tempfile::tempdir().unwrap();
    let (unsigned, s1, s2, signed, one) = (
        dir.path().join("unsigned.json"),
        dir.path().join("s1.json"),
        dir.path().join("s2.json"),
        dir.path().join("signed.json"),
        dir.path().join("one.json"),
    );

    // 1. The unsigned tx, as the SDK's --generate-only prints it.
    let out = chain.bank_send_to(&node, &cid, "shared", &bob, "1234567uvvv", &["--fees", "6000uvvv", "--gas", "300000", "--generate-only"]);
    let generated = ok(&out, "--generate-only");
    let gen_json = json_of(&generated);
    assert_eq!(gen_json["body"]["messages"][0]["@type"], "/cosmos.bank.v1beta1.MsgSend");
    assert_eq!(gen_json["body"]["messages"][0]["from_address"], shared.as_str());
    assert_eq!(gen_json["auth_info"]["fee"]["gas_limit"], "300000");
    assert_eq!(gen_json["auth_info"]["signer_infos"], serde_json::json!([]));
    std::fs::write(&unsigned, generated).unwrap();

    // The multisig's account: number from the chain (genesis order), sequence 0.
    let acc = chain.venice(&["query", "auth", "account", &shared, "--node", &node, "--output", "json"]);
    let acc = json_of(&ok(&acc, "query auth account"));
    let num = acc["account_number"].as_str().map(str::to_string).unwrap_or_else(|| acc["account_number"].to_string());

    // 2. Two members sign offline.
    for (member, file) in [("m1", &s1), ("m3", &s2)] {
        let out = chain.venice(&[
            "tx",
            "sign",
            p(&unsigned),
            "--from",
            member,
            "--multisig",
            &shared,
            "--offline",
            "--account-number",
            &num,
            "--sequence",
            "0",
            "--chain-id",
            &cid,
            "--keyring-backend",
            "test",
            "--output-document",
            p(file),
        ]);
        ok(&out, "tx sign --multisig");
    }
    let s1_json: Value = serde_json::from_str(&std::fs::read_to_string(&s1).unwrap()).unwrap();
    assert_eq!(s1_json["auth_info"]["signer_infos"][0]["mode_info"]["single"]["mode"], "SIGN_MODE_LEGACY_AMINO_JSON");

    // `tx multisign` of the unsigned tx by the `shared` key, offline.
    let multisign = |sigs: &[&str], out: &str| {
        let mut args = vec!["tx", "multisign", p(&unsigned), "shared"];
        args.extend_from_slice(sigs);
        args.extend(["--offline", "--account-number", &num, "--sequence", "0", "--chain-id", &cid]);
        args.extend(["--keyring-backend", "test", "--output-document", out]);
        chain.venice(&args)
    };
    // 3. One signature is not enough: multisign builds it, the chain refuses it.
    let out = multisign(&[p(&s1)], p(&one));
    ok(&out, "tx multisign (one signature)");
    let out = chain.venice(&["tx", "broadcast", p(&one), "--node", &node, "--output", "json"]);
    assert!(!out.status.success(), "1 of 3 must be refused");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("code 4") && err.contains("not enough signatures"), "{err}");

    // 4. Two of three: combined, broadcast, funds move.
    let out = multisign(&[p(&s2), p(&s1)], p(&signed));
    ok(&out, "tx multisign");
    let signed_json: Value = serde_json::from_str(&std::fs::read_to_string(&signed).unwrap()).unwrap();
    let mi = &signed_json["auth_info"]["signer_infos"][0]["mode_info"]["multi"];
    assert_eq!(mi["mode_infos"].as_array().unwrap().len(), 2, "{signed_json}");

    // encode / decode round-trip the signed file.
    let b64 = ok(&chain.venice(&["tx", "encode", p(&signed)]), "tx encode").trim().to_string();
    let decoded = json_of(&ok(&chain.venice(&["tx", "decode", &b64]), "tx decode"));
    assert_eq!(decoded, signed_json);

    let out = chain.venice(&["tx", "broadcast", p(&signed), "--node", &node, "--output", "json"]);
    let resp = json_of(&ok(&out, "tx broadcast"));
    assert_eq!(resp["code"], 0, "{resp}");
    assert_eq!(balance(&chain.rpc, &bob).unwrap(), 1_234_567);
    assert_eq!(balance(&chain.rpc, &shared).unwrap(), 50_000_000 - 1_234_567 - 6_000);

    // A single key in amino JSON mode, and a tx signed online with `tx sign`.
    let out = chain.bank_send_to(&node, &cid, "alice", &bob, "1000uvvv", &["--fees", "5000uvvv", "--sign-mode", "amino-json"]);
    assert_eq!(json_of(&ok(&out, "amino send"))["code"], 0);
    assert_eq!(balance(&chain.rpc, &bob).unwrap(), 1_235_567);
}
