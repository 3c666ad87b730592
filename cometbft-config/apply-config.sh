#!/usr/bin/env bash
# Applies config.overrides to HOME/config/config.toml written by `cometbft init`.
#
#   apply-config.sh HOME
#
# Environment (defaults are a single node on the standard ports):
#   MONIKER (node), RPC_PORT (26657), P2P_PORT (26656), ABCI_PORT (26658),
#   BLOCK_TIME (1s), LOG_LEVEL (info), PERSISTENT_PEERS ("")
set -euo pipefail

HOME_DIR="${1:?usage: apply-config.sh HOME}"
HERE="$(cd "$(dirname "$0")" && pwd)"
CONFIG="$HOME_DIR/config/config.toml"
[[ -f "$CONFIG" ]] || { echo "apply-config: $CONFIG not found (run init first)" >&2; exit 1; }

export MONIKER="${MONIKER:-node}" RPC_PORT="${RPC_PORT:-26657}" P2P_PORT="${P2P_PORT:-26656}" \
  ABCI_PORT="${ABCI_PORT:-26658}" BLOCK_TIME="${BLOCK_TIME:-1s}" LOG_LEVEL="${LOG_LEVEL:-info}" \
  PERSISTENT_PEERS="${PERSISTENT_PEERS:-}"

# Values are substituted into TOML strings: keep them to safe characters.
for v in MONIKER BLOCK_TIME LOG_LEVEL; do
  [[ "${!v}" =~ ^[A-Za-z0-9._:*,=-]+$ ]] || { echo "apply-config: bad $v '${!v}'" >&2; exit 1; }
done
for v in RPC_PORT P2P_PORT ABCI_PORT; do
  [[ "${!v}" =~ ^[0-9]+$ ]] || { echo "apply-config: bad $v '${!v}'" >&2; exit 1; }
done
[[ "$PERSISTENT_PEERS" =~ ^[A-Za-z0-9@.:,_-]*$ ]] || { echo "apply-config: bad PERSISTENT_PEERS" >&2; exit 1; }

tmp="$(mktemp "$CONFIG.XXXXXX")"
trap 'rm -f "$tmp"' EXIT
awk '
  # First input: the overrides, SECTION KEY VALUE... (comments and blank
  # lines skipped; ${VAR} taken from the environment).
  FNR == NR {
    if ($0 ~ /^[[:space:]]*(#|$)/) next
    sec = $1; key = $2; $1 = ""; $2 = ""; val = $0; sub(/^ +/, "", val)
    while (match(val, /\$\{[A-Z0-9_]+\}/)) {
      val = substr(val, 1, RSTART - 1) ENVIRON[substr(val, RSTART + 2, RLENGTH - 3)] substr(val, RSTART + RLENGTH)
    }
    want[sec SUBSEP key] = val; order[++n] = sec SUBSEP key; next
  }
  /^\[[^]]+\][[:space:]]*$/ { section = $0; gsub(/[][[:space:]]/, "", section); print; next }
  {
    s = (section == "" ? "-" : section)
    if (match($0, /^[A-Za-z0-9_]+[[:space:]]*=/)) {
      k = $0; sub(/[[:space:]]*=.*/, "", k)
      if ((s SUBSEP k) in want) { print k " = " want[s SUBSEP k]; done[s SUBSEP k] = 1; next }
    }
    print
  }
  END {
    for (i = 1; i <= n; i++) if (!(order[i] in done)) {
      split(order[i], p, SUBSEP); printf "apply-config: no key %s in section [%s]\n", p[2], p[1] > "/dev/stderr"; bad = 1
    }
    exit bad
  }
' "$HERE/config.overrides" "$CONFIG" > "$tmp"
mv -f "$tmp" "$CONFIG"
trap - EXIT
