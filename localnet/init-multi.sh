#!/usr/bin/env bash
# Initialises an N-validator Venice network on loopback: BASE/node0 ..
# BASE/node{N-1}, each a CometBFT + veniced home with its own ports, one shared
# genesis, and persistent peers between all nodes. Each node's validator is
# created by a gentx of its own funded key `val<i>` (test keyring of that
# node's home) with unequal stake: 1000 + 100*i VVV, so no single node holds
# a third of the power. Node 0 also holds the funded `demo` key, as in init.sh.
#
#   localnet/init-multi.sh [--validators N] [--home BASE] [--chain-id ID]
#                          [--port-base P] [--block-time 1s] [--snapshot-interval 100]
#                          [--signed-blocks-window 20] [--downtime-jail-duration 60s]
#                          [--account ADDR=COINS]... [--tokenomics FILE.toml]
#                          [--no-emissions]
#
# The slashing options set the dev genesis's downtime window and jail time
# (see localnet/init.sh). --tokenomics runs `veniced genesis allocate` with
# that config on the shared genesis (vesting grants, the ecosystem pool, an
# airdrop whose proofs land in BASE/node0/config/airdrop-proofs.json);
# --no-emissions pins inflation at zero (tests that count rewards exactly). Node i listens on P+10i (RPC +7, p2p +6, ABCI +8,
# gRPC +9, inference sidecar +3 with its /metrics on +2: each validator has
# its own sidecar); P defaults to 27650, away from the single-node defaults. Run it
# with localnet/run-multi.sh.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BIN="${VENICE_BIN_DIR:-$ROOT/build}"
BASE="${VENICE_HOME:-$HOME/.venice}-multi"
CHAIN_ID="venice-localnet-1"
N=4 PORT_BASE=27650 BLOCK_TIME=1s SNAPSHOT_INTERVAL=100
ACCOUNTS=()
SLASHING=()
TOKENOMICS="" NO_EMISSIONS=0
die() { echo "localnet/init-multi: $*" >&2; exit 1; }
while [[ $# -gt 0 ]]; do
  case "$1" in
    --validators) N="$2"; shift 2 ;;
    --home) BASE="$2"; shift 2 ;;
    --chain-id) CHAIN_ID="$2"; shift 2 ;;
    --port-base) PORT_BASE="$2"; shift 2 ;;
    --block-time) BLOCK_TIME="$2"; shift 2 ;;
    --snapshot-interval) SNAPSHOT_INTERVAL="$2"; shift 2 ;;
    --account) ACCOUNTS+=("$2"); shift 2 ;;
    --tokenomics) TOKENOMICS="$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"; shift 2 ;;
    --no-emissions) NO_EMISSIONS=1; shift ;;
    --signed-blocks-window|--downtime-jail-duration) SLASHING+=("$1" "$2"); shift 2 ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
    *) die "unknown argument: $1" ;;
  esac
done
[[ "$N" =~ ^[1-9][0-9]*$ ]] || die "--validators wants a positive number"
[[ -e "$BASE/node0" ]] && die "$BASE already holds a network; remove it to start over"
command -v jq >/dev/null || die "jq is required"

port() { echo $((PORT_BASE + 10 * $1 + $2)); }   # NODE OFFSET
peers=()
for ((i = 0; i < N; i++)); do
  home="$BASE/node$i"
  extra=(--no-gentx); [[ $i -gt 0 ]] && extra=(--no-demo)
  [[ $i -eq 0 ]] && for a in "${ACCOUNTS[@]}"; do extra+=(--account "$a"); done
  VENICE_BIN_DIR="$BIN" "$ROOT/localnet/init.sh" --home "$home" --chain-id "$CHAIN_ID" --moniker "validator$i" \
    --rpc-port "$(port "$i" 7)" --p2p-port "$(port "$i" 6)" --abci-port "$(port "$i" 8)" \
    --grpc-port "$(port "$i" 9)" --api-port "$(port "$i" 4)" --metrics-port "$(port "$i" 5)" --block-time "$BLOCK_TIME" \
    --sidecar-port "$(port "$i" 3)" --sidecar-metrics-port "$(port "$i" 2)" \
    --snapshot-interval "$SNAPSHOT_INTERVAL" "${SLASHING[@]}" "${extra[@]}" >/dev/null
  peers+=("$("$BIN/cometbft" show-node-id --home "$home")@127.0.0.1:$(port "$i" 6)")
  "$BIN/venice" keys add "val$i" --keyring-backend test --home "$home" --output json > "$home/val$i-key.json"
  chmod 600 "$home/val$i-key.json"
done

# One genesis: node 0's (accounts, params) funding every operator key; then
# each node signs its gentx against it, and node 0 collects them.
g0="$BASE/node0/config/genesis.json"
for ((i = 0; i < N; i++)); do
  addr="$("$BIN/venice" keys show "val$i" -a --keyring-backend test --home "$BASE/node$i")"
  "$BIN/veniced" genesis add-genesis-account "$addr" 10000000000uvvv,10000000000ustable --home "$BASE/node0" >/dev/null
done
if [[ -n "$TOKENOMICS" ]]; then
  "$BIN/veniced" genesis allocate --config "$TOKENOMICS" --home "$BASE/node0" > "$BASE/node0/config/allocation.json"
fi
if [[ $NO_EMISSIONS -eq 1 ]]; then
  zero='"0.000000000000000000"'
  jq ".app_state.mint.minter.inflation = $zero | .app_state.mint.params.inflation_min = $zero | .app_state.mint.params.inflation_max = $zero" \
    "$g0" > "$g0.tmp" && mv "$g0.tmp" "$g0"
fi
rm -rf "$BASE/node0/config/gentx"
for ((i = 0; i < N; i++)); do
  [[ $i -gt 0 ]] && cp "$g0" "$BASE/node$i/config/genesis.json"
  "$BIN/veniced" genesis gentx "val$i" "$((1000 + 100 * i))000000uvvv" --keyring-backend test --home "$BASE/node$i" \
    --moniker "validator$i" --ip 127.0.0.1 --venice-bin "$BIN/venice" \
    --output-document "$BASE/node0/config/gentx/gentx-node$i.json" 2>/dev/null
done
"$BIN/veniced" genesis collect-gentxs --home "$BASE/node0" >/dev/null
for ((i = 1; i < N; i++)); do cp "$g0" "$BASE/node$i/config/genesis.json"; done
"$BIN/veniced" genesis validate --home "$BASE/node0" >/dev/null

for ((i = 0; i < N; i++)); do
  others="$(printf '%s\n' "${peers[@]}" | grep -v "^${peers[$i]}$" | paste -sd, -)"
  sed -i "s|^persistent_peers = .*|persistent_peers = \"$others\"|" "$BASE/node$i/config/config.toml"
done
echo "localnet/init-multi: $N validators under $BASE (chain $CHAIN_ID); RPC of node i: 127.0.0.1:$((PORT_BASE + 7)) + 10*i," \
  "its inference sidecar: 127.0.0.1:$((PORT_BASE + 3)) + 10*i"
