#!/usr/bin/env bash
# Builds every contract to artifacts/<crate_name>.wasm with Debian's Rust and
# writes artifacts/checksums.txt (sha256sum format), as the CosmWasm
# optimizer does. The output is independent of the checkout's path.
#
# Why the sources are staged at a fixed path: cargo derives each crate's
# symbol hash (-C metadata) from its package id, which for a path dependency
# outside the workspace root (crates/model-types, shared with the main
# workspace) is its absolute path. A different checkout path then reorders
# the linked data and changes the bytes; --remap-path-prefix cannot help. So
# the build always runs from $STAGE, with the same relative layout.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ARTIFACTS="${ARTIFACTS:-$ROOT/artifacts}"
TARGET_DIR="${VENICE_WASM_TARGET_DIR:-$HOME/.cache/venice/target-wasm}"
CARGO_HOME_DIR="${CARGO_HOME:-$HOME/.cargo}"
CONTRACTS=(model-nft data-credential compute-credit)
# Built in cargo invocations of their own: they enable cosmwasm-std features
# (required capabilities) that feature unification would otherwise carry
# into the contracts above and change their bytes.
SEPARATE=(tester)
STAGE=/tmp/venice-wasm-src

"$ROOT/scripts/contracts-toolchain.sh"

# rustup's cargo comes first on PATH and would pick its own rustc: call
# Debian's by full path with Debian's rustc. Flags: target-cpu=mvp (std
# rebuilt under it) keeps out the wasm features the VM rejects;
# --allow-undefined leaves the VM's imports (db_read, addr_validate...) to
# the host, since rustc 1.96 makes them link errors otherwise.
rustflags=(
  -C target-cpu=mvp
  -C link-arg=--allow-undefined
  "--remap-path-prefix=$CARGO_HOME_DIR=/cargo"
  "--remap-path-prefix=$STAGE=/venice"
  "--remap-path-prefix=$TARGET_DIR=/target"
)
packages=()
for c in "${CONTRACTS[@]}"; do packages+=(-p "$c"); done

# One build at a time uses the stage (other checkouts on this machine).
exec 9>"$STAGE.lock"
flock 9
rm -rf "$STAGE"
mkdir -p "$STAGE/contracts" "$STAGE/crates"
# cp -a keeps modification times, so unchanged sources stay fresh for cargo.
# The root manifest is needed for model-types' workspace-inherited fields.
cp -a "$ROOT/Cargo.toml" "$STAGE/"
cp -a "$ROOT/crates/model-types" "$STAGE/crates/"
cp -a "$ROOT/contracts/Cargo.toml" "$ROOT/contracts/Cargo.lock" "$STAGE/contracts/"
for c in "${CONTRACTS[@]}" "${SEPARATE[@]}"; do
  mkdir -p "$STAGE/contracts/$c"
  cp -a "$ROOT/contracts/$c/Cargo.toml" "$ROOT/contracts/$c/src" "$STAGE/contracts/$c/"
done

# cargo judges freshness by mtimes alone, which cp -a keeps: sources edited
# in one checkout before another checkout's build would look older than
# that build's output and be skipped. A staged tree whose contents differ
# from the last build's is therefore touched, so that it is rebuilt.
src_sum=$(cd "$STAGE" && find . -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)
mkdir -p "$TARGET_DIR"
if [ "$(cat "$TARGET_DIR/venice-src.sha256" 2>/dev/null)" != "$src_sum" ]; then
  find "$STAGE" -type f -exec touch {} +
fi

cd "$STAGE/contracts"
wasm_build() {
  env -u RUSTC_WRAPPER -u CARGO_BUILD_RUSTFLAGS -u CARGO_ENCODED_RUSTFLAGS \
    RUSTC=/usr/bin/rustc RUSTDOC=/usr/bin/rustdoc RUSTC_BOOTSTRAP=1 \
    CARGO_TARGET_DIR="$TARGET_DIR" CARGO_INCREMENTAL=0 \
    RUSTFLAGS="${rustflags[*]}" \
    /usr/bin/cargo build --locked --release --lib --target wasm32-unknown-unknown \
      -Zbuild-std=std,panic_abort "$@"
}
wasm_build "${packages[@]}"
for c in "${SEPARATE[@]}"; do wasm_build -p "$c"; done
echo "$src_sum" >"$TARGET_DIR/venice-src.sha256"

mkdir -p "$ARTIFACTS"
names=()
for c in "${CONTRACTS[@]}" "${SEPARATE[@]}"; do
  name="${c//-/_}.wasm"
  install -m 0644 "$TARGET_DIR/wasm32-unknown-unknown/release/$name" "$ARTIFACTS/$name"
  names+=("$name")
done
(cd "$ARTIFACTS" && sha256sum "${names[@]}" > checksums.txt)
echo "contracts: built into $ARTIFACTS"
cat "$ARTIFACTS/checksums.txt"
