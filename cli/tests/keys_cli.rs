//! The `venice` binary's key commands and its offline error paths, run as a
//! user or a script would run them (stdin piped, exit codes, JSON output).

use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

const FAUCET_24: &str = "economy stock theory fatal elder harbor betray wasp final emotion task crumble siren bottom lizard educate guess current outdoor pair theory focus wife stone";
/// cosmjs's published address for FAUCET_24 at m/44'/118'/0'/0/0.
const FAUCET_COSMOS_ADDR: &str = "cosmos1pkptre7fdkl6gfrzlesjjvhxhlc3r4gmmk8rs6";

fn venice(home: &std::path::Path, args: &[&str], stdin: &str, env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_venice"));
    cmd.args(args)
        .arg("--home")
        .arg(home)
        .env_remove("VENICE_KEYRING_PASSPHRASE")
        .env_remove("VENICE_KEYRING_BACKEND")
        .env_remove("VENICE_NODE")
        .env_remove("VENICE_CHAIN_ID")
        .env("RUST_BACKTRACE", "0")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("run venice");
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).trim().to_string()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).trim().to_string()
}

fn json(o: &Output) -> Value {
    assert!(o.status.success(), "failed: {}", stderr(o));
    serde_json::from_str(&stdout(o)).unwrap_or_else(|e| panic!("bad JSON ({e}): {}", stdout(o)))
}

fn venice_addr_of(cosmos_addr: &str) -> String {
    let (_, data) = bech32::decode(cosmos_addr).unwrap();
    bech32::encode::<bech32::Bech32>(bech32::Hrp::parse("venice").unwrap(), &data).unwrap()
}

const TEST: [&str; 2] = ["--keyring-backend", "test"];

fn args<'a>(a: &[&'a str], extra: &[&'a str]) -> Vec<&'a str> {
    a.iter().chain(extra).copied().collect()
}

#[test]
fn test_keyring_add_show_list_recover_export_delete() {
    let home = tempfile::tempdir().unwrap();
    let h = home.path();

    let added = json(&venice(h, &args(&["keys", "add", "alice", "-o", "json"], &TEST), "", &[]));
    let mnemonic = added["mnemonic"].as_str().unwrap().to_string();
    let alice = added["address"].as_str().unwrap().to_string();
    assert_eq!(mnemonic.split(' ').count(), 24);
    assert!(alice.starts_with("venice1"));
    assert_eq!(added["type"], "local");
    let pk: Value = serde_json::from_str(added["pubkey"].as_str().unwrap()).unwrap();
    assert_eq!(pk["@type"], "/cosmos.crypto.secp256k1.PubKey");

    let shown = venice(h, &args(&["keys", "show", "alice", "-a"], &TEST), "", &[]);
    assert_eq!(stdout(&shown), alice);
    let by_addr = json(&venice(h, &args(&["keys", "show", &alice, "-o", "json"], &TEST), "", &[]));
    assert_eq!(by_addr["name"], "alice");

    // The same mnemonic again is the same key: refused under a new name.
    let dup = venice(h, &args(&["keys", "recover", "alice2"], &TEST), &format!("{mnemonic}\n"), &[]);
    assert!(!dup.status.success());
    assert!(stderr(&dup).contains("already stored as \"alice\""), "{}", stderr(&dup));

    // Published vector: the cosmjs faucet mnemonic gives the faucet's address bytes.
    let faucet = json(&venice(h, &args(&["keys", "add", "faucet", "--recover", "-o", "json"], &TEST), &format!("{FAUCET_24}\n"), &[]));
    assert_eq!(faucet["address"], venice_addr_of(FAUCET_COSMOS_ADDR));
    assert!(faucet.get("mnemonic").is_none(), "a recovered key does not echo the mnemonic");

    let list = json(&venice(h, &args(&["keys", "list", "-o", "json"], &TEST), "", &[]));
    let names: Vec<&str> = list.as_array().unwrap().iter().map(|k| k["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["alice", "faucet"]);
    assert_eq!(stdout(&venice(h, &args(&["keys", "list", "-n"], &TEST), "", &[])), "alice\nfaucet");

    // Export (stdin not a terminal, --unsafe acknowledges): 64 hex digits
    // whose public key hashes to the address.
    let exported = venice(h, &args(&["keys", "export", "alice", "--unarmored-hex", "--unsafe"], &TEST), "", &[]);
    assert!(exported.status.success(), "{}", stderr(&exported));
    let sk_hex = stdout(&exported);
    assert_eq!(sk_hex.len(), 64);
    let sk = k256::ecdsa::SigningKey::from_slice(&hex::decode(&sk_hex).unwrap()).unwrap();
    let pubkey = sk.verifying_key().to_encoded_point(true);
    let sha = <sha2::Sha256 as sha2::Digest>::digest(pubkey.as_bytes());
    let hash160 = <ripemd::Ripemd160 as sha2::Digest>::digest(sha);
    let derived = bech32::encode::<bech32::Bech32>(bech32::Hrp::parse("venice").unwrap(), &hash160).unwrap();
    assert_eq!(derived, alice);
    let refused = venice(h, &args(&["keys", "export", "alice"], &TEST), "", &[]);
    assert!(!refused.status.success());

    // Delete: "n" keeps the key, --yes deletes it, then it is gone.
    let kept = venice(h, &args(&["keys", "delete", "alice"], &TEST), "n\n", &[]);
    assert!(!kept.status.success());
    assert!(stderr(&kept).contains("not confirmed"), "{}", stderr(&kept));
    assert!(venice(h, &args(&["keys", "show", "alice"], &TEST), "", &[]).status.success());
    assert!(venice(h, &args(&["keys", "delete", "alice"], &TEST), "y\n", &[]).status.success());
    let gone = venice(h, &args(&["keys", "show", "alice"], &TEST), "", &[]);
    assert!(!gone.status.success());
    assert!(stderr(&gone).starts_with("Error: key \"alice\" not found in the test keyring"), "{}", stderr(&gone));

    // Recovering the deleted key's mnemonic brings back the same address.
    let back =
        json(&venice(h, &args(&["keys", "recover", "again", "-o", "json"], &TEST), &format!("  {}  \n", mnemonic.to_uppercase()), &[]));
    assert_eq!(back["address"], alice.as_str());

    let bad = venice(h, &args(&["keys", "add", "../evil"], &TEST), "", &[]);
    assert!(!bad.status.success());
    assert!(stderr(&bad).contains("invalid key name"), "{}", stderr(&bad));
    let bad = venice(h, &args(&["keys", "recover", "x"], &TEST), "not a mnemonic at all\n", &[]);
    assert!(!bad.status.success());
    assert!(stderr(&bad).contains("invalid mnemonic"), "{}", stderr(&bad));
}

#[test]
fn file_keyring_is_encrypted_and_checks_the_passphrase() {
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    // Mnemonic then passphrase on stdin.
    let rec = venice(h, &["keys", "recover", "f", "-o", "json"], &format!("{FAUCET_24}\ncorrect-horse\n"), &[]);
    assert_eq!(json(&rec)["address"], venice_addr_of(FAUCET_COSMOS_ADDR));
    let file = h.join("keyring-file/f.json");
    assert_eq!(std::fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o600);
    assert_eq!(std::fs::metadata(h.join("keyring-file")).unwrap().permissions().mode() & 0o777, 0o700);

    // Wrong passphrase (from the environment): a clear error, nothing printed.
    let wrong = venice(h, &["keys", "export", "f", "--unarmored-hex", "--unsafe"], "", &[("VENICE_KEYRING_PASSPHRASE", "wrong-horse")]);
    assert!(!wrong.status.success());
    assert_eq!(stderr(&wrong), "Error: incorrect keyring passphrase");
    assert_eq!(stdout(&wrong), "");

    // Right passphrase on stdin: the key is the same one the test keyring derives.
    let right = venice(h, &["keys", "export", "f", "--unarmored-hex", "--unsafe"], "correct-horse\n", &[]);
    assert!(right.status.success(), "{}", stderr(&right));
    let plain = venice(h, &args(&["keys", "recover", "p"], &TEST), &format!("{FAUCET_24}\n"), &[]);
    assert!(plain.status.success());
    let plain_hex = stdout(&venice(h, &args(&["keys", "export", "p", "--unarmored-hex", "--unsafe"], &TEST), "", &[]));
    assert_eq!(stdout(&right), plain_hex);
    assert!(!std::fs::read_to_string(&file).unwrap().contains(&plain_hex), "private key stored in clear");

    // A new passphrase must be long enough.
    let home2 = tempfile::tempdir().unwrap();
    let short = venice(home2.path(), &["keys", "add", "s"], "short\n", &[]);
    assert!(!short.status.success());
    assert!(stderr(&short).contains("at least 8 characters"), "{}", stderr(&short));
}

#[test]
fn offline_errors_are_one_readable_line() {
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    let cases: [(&[&str], &str); 6] = [
        (&["query", "bank", "balances", "venice1xyz"], "invalid address \"venice1xyz\""),
        (&["query", "bank", "balances", "cosmos1pkptre7fdkl6gfrzlesjjvhxhlc3r4gmmk8rs6"], "prefix is \"cosmos\", expected \"venice\""),
        (&["status", "--node", "http://127.0.0.1:1"], "cannot reach node at http://127.0.0.1:1"),
        // A 32-byte (contract) address passes the CLI and goes to the node.
        (
            &[
                "query",
                "bank",
                "balances",
                "venice1qurswpc8qurswpc8qurswpc8qurswpc8qurswpc8qurswpc8qurssj3m9l",
                "--node",
                "http://127.0.0.1:1",
            ],
            "cannot reach node at http://127.0.0.1:1",
        ),
        (
            &["tx", "bank", "send", "nobody", "venice1pkptre7fdkl6gfrzlesjjvhxhlc3r4gmp55sr6", "10.5uvvv"],
            "invalid coin amount \"10.5uvvv\"",
        ),
        (
            &["tx", "bank", "send", "nobody", "venice1pkptre7fdkl6gfrzlesjjvhxhlc3r4gmp55sr6", "10uvvv", "--node", "http://127.0.0.1:1"],
            "key \"nobody\" not found",
        ),
    ];
    for (a, expect) in cases {
        let out = venice(h, a, "", &[]);
        assert!(!out.status.success(), "{a:?} should fail");
        let err = stderr(&out);
        assert!(err.starts_with("Error: ") && err.contains(expect), "{a:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{a:?}: one line: {err}");
    }
}
