//! The point of this crate: `veniced` can depend on it without ONNX Runtime.
//! Lists the crate's resolved dependency tree with `cargo tree` (normal and
//! build edges, all features: what a dependent compiles) and fails if `ort`
//! or `ort-sys` is anywhere in it; `make check-sidecar-client-deps` runs the
//! same command. `cargo tree` rather than `cargo metadata`: metadata resolves
//! the whole workspace and needs every package of it (the chain's too) on
//! disk, tree only this crate's.

use std::collections::BTreeSet;
use std::process::Command;

#[test]
fn no_onnx_runtime_in_the_dependency_tree() {
    let manifest = concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml");
    // `--offline`: the lock file pins everything; a test never reaches a
    // registry.
    let out = Command::new(env!("CARGO"))
        .args(["tree", "--offline", "--manifest-path", manifest, "-p", "venice-sidecar-client"])
        .args(["-e", "normal,build", "--all-features", "--prefix", "none", "--format", "{p}"])
        .output()
        .expect("cargo tree runs");
    assert!(out.status.success(), "cargo tree failed: {}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).expect("cargo tree prints UTF-8");
    // Each line is `NAME vVERSION [(PATH)] [(*)]`.
    let tree: BTreeSet<&str> = text.lines().filter_map(|l| l.split_whitespace().next()).collect();
    // The listing is the real tree: it reaches what the client is built on.
    for expected in ["venice-sidecar-client", "tonic", "prost", "venice-model-types", "tonic-build"] {
        assert!(tree.contains(expected), "{expected} missing from `cargo tree`: {tree:?}");
    }
    for banned in ["ort", "ort-sys", "venice-sidecar"] {
        assert!(!tree.contains(banned), "{banned} is in venice-sidecar-client's dependency tree");
    }
}
