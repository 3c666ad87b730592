#!/usr/bin/env bash
# Merges genesis.consensus.json into HOME/config/genesis.json's
# consensus_params. `veniced init` already writes these values; applying them
# again keeps the local network's settings in one reviewed place and checks
# them (vote extensions from height 1, so their wiring runs from day one).
#
#   apply-genesis.sh HOME
set -euo pipefail
HOME_DIR="${1:?usage: apply-genesis.sh HOME}"
HERE="$(cd "$(dirname "$0")" && pwd)"
GENESIS="$HOME_DIR/config/genesis.json"
[[ -f "$GENESIS" ]] || { echo "apply-genesis: $GENESIS not found" >&2; exit 1; }
command -v jq >/dev/null || { echo "apply-genesis: jq is required (apt-get install jq)" >&2; exit 1; }
tmp="$(mktemp "$GENESIS.XXXXXX")"
jq --slurpfile p "$HERE/genesis.consensus.json" '.consensus_params *= $p[0]' "$GENESIS" > "$tmp"
mv -f "$tmp" "$GENESIS"
