#!/usr/bin/env bash
# Compares artifacts/checksums.txt (what was just built) with the committed
# contracts/checksums.txt. `--update` writes the built sums as the expected
# ones (after an intended change to a contract or its dependencies).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ARTIFACTS="${ARTIFACTS:-$ROOT/artifacts}"
EXPECTED="$ROOT/contracts/checksums.txt"
BUILT="$ARTIFACTS/checksums.txt"

[[ -f "$BUILT" ]] || { echo "no $BUILT: run 'make contracts' first" >&2; exit 1; }
# The recorded sums must still describe the files next to them.
(cd "$ARTIFACTS" && sha256sum --quiet -c checksums.txt)

if [[ "${1:-}" == "--update" ]]; then
  cp "$BUILT" "$EXPECTED"
  echo "contracts: wrote $EXPECTED"
  exit 0
fi

if ! diff -u "$EXPECTED" "$BUILT"; then
  cat >&2 <<MSG
contracts: the built wasm differs from contracts/checksums.txt.
The build is meant to be reproducible: same sources, same Cargo.lock and the
same pinned toolchain give the same bytes. If a contract was changed on
purpose, record the new sums with 'scripts/contracts-checksums.sh --update'.
MSG
  exit 1
fi
echo "contracts: checksums match contracts/checksums.txt"
