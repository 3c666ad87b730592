//! Embeds the protobuf descriptor set that `scripts/install-protos.sh` builds
//! (Cosmos SDK + wasmd + Venice's proto/): veniced's REST routes, gateway
//! JSON, gRPC reflection and OpenAPI document all come from it.

use std::path::PathBuf;

use prost::Message;

fn main() {
    println!("cargo:rerun-if-env-changed=VENICE_DESCRIPTORS");
    println!("cargo:rerun-if-env-changed=VENICE_CACHE");
    let path = match std::env::var_os("VENICE_DESCRIPTORS") {
        Some(p) => PathBuf::from(p),
        None => {
            let cache = std::env::var_os("VENICE_CACHE")
                .map(PathBuf::from)
                .unwrap_or_else(|| PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cache/venice"));
            cache.join("protos/descriptors.binpb")
        }
    };
    let bytes = std::fs::read(&path).unwrap_or_else(|e| {
        panic!("veniced needs the protobuf descriptor set at {} ({e}): run `make setup-run` (scripts/install-protos.sh)", path.display())
    });
    let set = prost_types::FileDescriptorSet::decode(bytes.as_slice())
        .unwrap_or_else(|e| panic!("{} is not a descriptor set ({e}): rerun scripts/install-protos.sh", path.display()));

    // The set must hold this checkout's own proto/ files, else it was built
    // for another checkout: rebuild it.
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap()).join("../proto");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut own = Vec::new();
    collect(&root, &root, &mut own);
    for name in own {
        let file = set.file.iter().find(|f| f.name() == name);
        let on_disk = std::fs::read_to_string(root.join(&name)).unwrap_or_default();
        let file = file.unwrap_or_else(|| panic!("{} lacks {name}: rerun scripts/install-protos.sh", path.display()));
        // A renamed message or service shows as a name missing from the set.
        for m in &file.message_type {
            assert!(on_disk.contains(m.name()), "{} is stale for {name}: rerun scripts/install-protos.sh", path.display());
        }
    }

    let real = std::fs::canonicalize(&path).unwrap_or(path.clone());
    println!("cargo:rerun-if-changed={}", real.display());
    println!("cargo:rerun-if-changed={}", path.display());
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("descriptors.binpb");
    std::fs::write(&out, &bytes).expect("write OUT_DIR/descriptors.binpb");
}

fn collect(root: &std::path::Path, dir: &std::path::Path, out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect(root, &p, out);
        } else if p.extension().is_some_and(|x| x == "proto") {
            out.push(p.strip_prefix(root).unwrap().to_string_lossy().into_owned());
        }
    }
}
