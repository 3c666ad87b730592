#!/usr/bin/env bash
# Runs the chain's end-to-end suites (cosmjs under Node, then the Rust e2e
# crate) against the binaries in ./build, both even when the first fails,
# and ends with one summary line: "chain e2e: N passed, M failed".
set -uo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
export VENICE_BIN_DIR="${VENICE_BIN_DIR:-$ROOT/build}"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
rc=0

(cd "$ROOT/tests/cosmjs" && node --test --test-reporter=spec test/cosmjs.test.mjs) 2>&1 | tee -a "$log" || rc=1
(cd "$ROOT" && cargo test --no-fail-fast -p venice-e2e) 2>&1 | tee -a "$log" || rc=1

# Node's spec reporter: "ℹ pass N" / "ℹ fail N"; cargo: "test result: ... N passed; M failed".
passed=$(( $(grep -aoE '^ℹ pass [0-9]+' "$log" | awk '{s+=$3} END {print s+0}') \
         + $(grep -aoE '[0-9]+ passed;' "$log" | awk '{s+=$1} END {print s+0}') ))
failed=$(( $(grep -aoE '^ℹ fail [0-9]+' "$log" | awk '{s+=$3} END {print s+0}') \
         + $(grep -aoE '[0-9]+ failed;' "$log" | awk '{s+=$1} END {print s+0}') ))
# A suite that died before reporting (build error, crash) must not look green.
[[ $rc -ne 0 && $failed -eq 0 ]] && failed=1
echo "chain e2e: $passed passed, $failed failed"
exit $rc
