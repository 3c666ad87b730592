#!/usr/bin/env bash
# Installs cosmwasm-check 3.0.10 (the checker of the VM version the chain
# embeds) under ~/.cache/venice/tools once, then checks every artefact:
# exports, imports, required capabilities, no floats, size limits.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ARTIFACTS="${ARTIFACTS:-$ROOT/artifacts}"
TOOLS="$HOME/.cache/venice/tools"
VERSION=3.0.10
BIN="$TOOLS/bin/cosmwasm-check"

if ! [[ -x "$BIN" ]] || ! "$BIN" --version 2>/dev/null | grep -q " $VERSION\$"; then
  echo "contracts: installing cosmwasm-check $VERSION (several minutes, once)"
  # The host (rustup) toolchain builds it; its own target dir keeps the
  # shared one free of wasmer's build.
  CARGO_TARGET_DIR="$HOME/.cache/venice/target-tools" \
    cargo install cosmwasm-check --version "$VERSION" --locked --root "$TOOLS"
fi

shopt -s nullglob
wasm=("$ARTIFACTS"/*.wasm)
((${#wasm[@]})) || { echo "no wasm in $ARTIFACTS: run 'make contracts' first" >&2; exit 1; }
"$BIN" "${wasm[@]}"
