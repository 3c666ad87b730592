#!/usr/bin/env bash
# Writes each contract's JSON schema (cosmwasm-schema) to
# contracts/<crate>/schema, for clients and indexers. With --check, writes
# them to a temporary directory instead and fails if the committed ones
# differ, so the schemas cannot drift from the messages.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TARGET_DIR="${CONTRACTS_HOST_TARGET:-$HOME/.cache/venice/target-contracts-host}"
CONTRACTS=(model-nft data-credential compute-credit)
check=false
[[ "${1:-}" == "--check" ]] && check=true

cd "$ROOT/contracts"
bins=()
for c in "${CONTRACTS[@]}"; do bins+=(--bin "$c-schema"); done
CARGO_TARGET_DIR="$TARGET_DIR" cargo build --locked --quiet "${bins[@]}"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
status=0
for c in "${CONTRACTS[@]}"; do
  mkdir -p "$tmp/$c"
  (cd "$tmp/$c" && "$TARGET_DIR/debug/$c-schema" > /dev/null)
  if $check; then
    if ! diff -r "$ROOT/contracts/$c/schema" "$tmp/$c/schema" > /dev/null 2>&1; then
      echo "contracts: $c/schema is out of date; run 'make contracts-schema' and commit it" >&2
      status=1
    fi
  else
    rm -rf "$ROOT/contracts/$c/schema"
    cp -r "$tmp/$c/schema" "$ROOT/contracts/$c/schema"
    echo "contracts: wrote contracts/$c/schema"
  fi
done
$check && ((status == 0)) && echo "contracts: schemas match the messages"
exit $status
