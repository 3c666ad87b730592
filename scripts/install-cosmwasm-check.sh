#!/usr/bin/env bash
# Installs cosmwasm-check 3.0.10 (the checker of the VM version the chain
# embeds) under ~/.cache/venice/tools, once (several minutes on 2 cores).
# Idempotent: a binary that runs and reports the pinned version is kept.
set -euo pipefail
VERSION=3.0.10
TOOLS="${VENICE_CACHE:-$HOME/.cache/venice}/tools"
BIN="$TOOLS/bin/cosmwasm-check"
if [[ -x "$BIN" ]] && "$BIN" --version 2>/dev/null | grep -q " $VERSION\$"; then
  exit 0
fi
echo "contracts: installing cosmwasm-check $VERSION (several minutes, once)"
# The host (rustup) toolchain builds it; its own target dir keeps the
# shared one free of wasmer's build.
CARGO_TARGET_DIR="${VENICE_CACHE:-$HOME/.cache/venice}/target-tools" \
  cargo install cosmwasm-check --version "$VERSION" --locked --root "$TOOLS"
"$BIN" --version | grep -q " $VERSION\$" || { echo "cosmwasm-check: installed binary is not $VERSION" >&2; exit 1; }
