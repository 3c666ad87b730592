#!/usr/bin/env bash
# Builds the unmodified third-party contracts the chain is tested with
# (cw20-base 2.0.0 and cw721-base 0.22.0 as published) with the project's
# wasm route (see contracts-build.sh), and checks them against the committed
# artifacts/thirdparty/{*.wasm,checksums.txt}. With --update, the build
# replaces the committed artefacts (after a deliberate change of version,
# lock file or toolchain).
#
# The sources come from the registry through cargo itself: a generated
# manifest that depends on the exact versions is fetched, and the package
# archives cargo verified are unpacked. Each contract is then built in its
# own crate directory (a cdylib that re-exports another crate's entry points
# drops them), with the lock file committed in contracts/thirdparty/<name>/:
# the published one with cosmwasm-std raised to 2.3.6, since 2.0.0 aborts at
# run time in cosmwasm-vm 3 (DESIGN.md, "Contract toolchain"). To make such a
# lock file: unpack the .crate, `cargo update -p cosmwasm-std --precise 2.3.6`.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/artifacts/thirdparty"
TARGET_DIR="${VENICE_WASM_TARGET_DIR:-$HOME/.cache/venice/target-wasm}"
CARGO_HOME_DIR="${CARGO_HOME:-$HOME/.cargo}"
# name=version; the artefact is <name with _>.wasm
CONTRACTS=(cw20-base=2.0.0 cw721-base=0.22.0)
STAGE=/tmp/venice-wasm-thirdparty
update=false
[[ "${1:-}" == "--update" ]] && update=true

"$ROOT/scripts/contracts-toolchain.sh"

# The same lock as contracts-build.sh: one wasm build at a time on this
# machine (they share the target dir).
exec 9>/tmp/venice-wasm-src.lock
flock 9
rm -rf "$STAGE"
mkdir -p "$STAGE/fetch" "$STAGE/out"

# 1. Fetch the exact published packages with cargo.
{
  printf '[package]\nname = "venice-thirdparty-fetch"\nversion = "0.0.0"\nedition = "2021"\npublish = false\n\n[lib]\npath = "lib.rs"\n\n[dependencies]\n'
  for c in "${CONTRACTS[@]}"; do printf '%s = { version = "=%s", features = ["library"] }\n' "${c%%=*}" "${c#*=}"; done
  printf '\n[workspace]\n'
} > "$STAGE/fetch/Cargo.toml"
: > "$STAGE/fetch/lib.rs"
cargo fetch --quiet --manifest-path "$STAGE/fetch/Cargo.toml"

rustflags=(
  -C target-cpu=mvp
  -C link-arg=--allow-undefined
  "--remap-path-prefix=$CARGO_HOME_DIR=/cargo"
  "--remap-path-prefix=$STAGE=/venice"
  "--remap-path-prefix=$TARGET_DIR=/target"
)
names=()
for c in "${CONTRACTS[@]}"; do
  name="${c%%=*}" version="${c#*=}"
  crate=("$CARGO_HOME_DIR"/registry/cache/*/"$name-$version.crate")
  [[ -f "${crate[0]}" ]] || { echo "thirdparty: cargo fetched no $name-$version.crate" >&2; exit 1; }
  tar -xzf "${crate[0]}" -C "$STAGE"
  src="$STAGE/$name-$version"
  cp "$ROOT/contracts/thirdparty/$name/Cargo.lock" "$src/Cargo.lock"
  # The project's release profile, given through the environment so that
  # the published manifest stays as it is.
  (cd "$src" && env -u RUSTC_WRAPPER -u CARGO_BUILD_RUSTFLAGS -u CARGO_ENCODED_RUSTFLAGS \
    RUSTC=/usr/bin/rustc RUSTDOC=/usr/bin/rustdoc RUSTC_BOOTSTRAP=1 \
    CARGO_TARGET_DIR="$TARGET_DIR" CARGO_INCREMENTAL=0 \
    CARGO_PROFILE_RELEASE_OPT_LEVEL=z CARGO_PROFILE_RELEASE_DEBUG=false CARGO_PROFILE_RELEASE_STRIP=true \
    CARGO_PROFILE_RELEASE_LTO=true CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1 CARGO_PROFILE_RELEASE_PANIC=abort \
    CARGO_PROFILE_RELEASE_DEBUG_ASSERTIONS=false CARGO_PROFILE_RELEASE_OVERFLOW_CHECKS=true \
    RUSTFLAGS="${rustflags[*]}" \
    /usr/bin/cargo build --locked --release --lib --target wasm32-unknown-unknown -Zbuild-std=std,panic_abort)
  wasm="${name//-/_}.wasm"
  install -m 0644 "$TARGET_DIR/wasm32-unknown-unknown/release/$wasm" "$STAGE/out/$wasm"
  names+=("$wasm")
done
(cd "$STAGE/out" && sha256sum "${names[@]}" > checksums.txt)

if $update; then
  mkdir -p "$OUT"
  cp "$STAGE/out/"* "$OUT/"
  echo "thirdparty: wrote $OUT"
  cat "$OUT/checksums.txt"
  exit 0
fi
if ! diff -u "$OUT/checksums.txt" "$STAGE/out/checksums.txt" || ! (cd "$OUT" && sha256sum --quiet -c checksums.txt); then
  cat >&2 <<MSG
thirdparty: the rebuilt wasm differs from the committed artifacts/thirdparty.
The build is reproducible: same versions, lock files and pinned toolchain
give the same bytes. After a deliberate change, record the new artefacts
with 'scripts/contracts-thirdparty.sh --update' and commit them.
MSG
  exit 1
fi
echo "thirdparty: rebuilt wasm matches artifacts/thirdparty/checksums.txt"
