#!/usr/bin/env bash
# Runs cosmwasm-check 3.0.10 (the checker of the VM version the chain
# embeds; installed by install-cosmwasm-check.sh) on every artefact:
# exports, imports, required capabilities, no floats, size limits.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ARTIFACTS="${ARTIFACTS:-$ROOT/artifacts}"
BIN="${VENICE_CACHE:-$HOME/.cache/venice}/tools/bin/cosmwasm-check"

"$ROOT/scripts/install-cosmwasm-check.sh"

shopt -s nullglob
wasm=("$ARTIFACTS"/*.wasm "$ARTIFACTS"/thirdparty/*.wasm)
((${#wasm[@]})) || { echo "no wasm in $ARTIFACTS: run 'make contracts' first" >&2; exit 1; }
"$BIN" "${wasm[@]}"
