#!/usr/bin/env bash
# Builds every contract to artifacts/<crate_name>.wasm with Debian's Rust and
# writes artifacts/checksums.txt (sha256sum format), as the CosmWasm
# optimizer does. The output is independent of the checkout's path: every
# absolute path that could reach the binary is remapped.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ARTIFACTS="${ARTIFACTS:-$ROOT/artifacts}"
TARGET_DIR="${VENICE_WASM_TARGET_DIR:-$HOME/.cache/venice/target-wasm}"
CARGO_HOME_DIR="${CARGO_HOME:-$HOME/.cargo}"
CONTRACTS=(model-nft data-credential compute-credit)

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
  "--remap-path-prefix=$ROOT=/venice"
  "--remap-path-prefix=$TARGET_DIR=/target"
)
packages=()
for c in "${CONTRACTS[@]}"; do packages+=(-p "$c"); done

cd "$ROOT/contracts"
env -u RUSTC_WRAPPER -u CARGO_BUILD_RUSTFLAGS -u CARGO_ENCODED_RUSTFLAGS \
  RUSTC=/usr/bin/rustc RUSTDOC=/usr/bin/rustdoc RUSTC_BOOTSTRAP=1 \
  CARGO_TARGET_DIR="$TARGET_DIR" CARGO_INCREMENTAL=0 \
  RUSTFLAGS="${rustflags[*]}" \
  /usr/bin/cargo build --locked --release --lib --target wasm32-unknown-unknown \
    -Zbuild-std=std,panic_abort "${packages[@]}"

mkdir -p "$ARTIFACTS"
names=()
for c in "${CONTRACTS[@]}"; do
  name="${c//-/_}.wasm"
  install -m 0644 "$TARGET_DIR/wasm32-unknown-unknown/release/$name" "$ARTIFACTS/$name"
  names+=("$name")
done
(cd "$ARTIFACTS" && sha256sum "${names[@]}" > checksums.txt)
echo "contracts: built into $ARTIFACTS"
cat "$ARTIFACTS/checksums.txt"
