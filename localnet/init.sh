#!/usr/bin/env bash
# Initialises a one-validator Venice home (CometBFT + veniced) on loopback and
# funds a `demo` key in the test keyring under that home; the validator is
# created by a gentx of `demo` (so `demo` operates it), as on any Cosmos chain:
# `veniced genesis gentx demo 100000000000uvvv` + `veniced genesis collect-gentxs`.
#
#   localnet/init.sh [--home DIR] [--chain-id ID] [--moniker NAME]
#                    [--rpc-port P] [--p2p-port P] [--abci-port P] [--grpc-port P] [--api-port P] [--metrics-port P]
#                    [--sidecar-port P] [--sidecar-metrics-port P|off]
#                    [--block-time 1s] [--snapshot-interval 100] [--unbonding-time 120s] [--account ADDR=COINS]...
#                    [--signed-blocks-window 20] [--downtime-jail-duration 60s]
#                    [--voting-period 30s] [--expedited-voting-period 15s] [--no-demo] [--no-gentx]
#
# Development chains unbond in --unbonding-time (default 120s, set in this
# dev genesis only; the chain's default is the SDK's 21 days). Downtime is
# judged over --signed-blocks-window blocks (default 20; half must be signed)
# and jails for --downtime-jail-duration (default 60s), also dev-only (the
# chain's defaults are the SDK's 100 blocks and 600s). Governance proposals
# are voted for --voting-period (default 30s; expedited 15s; the chain's
# defaults are the SDK's 2 days and 1 day). --no-gentx
# leaves the genesis without a validator (localnet/init-multi.sh adds them).
# The node's inference sidecar (venice-sidecar, started by localnet/run.sh)
# listens on 127.0.0.1:--sidecar-port (default 26659; app.toml's [inference]
# sidecar_address points there) and serves /metrics on --sidecar-metrics-port
# (default 26662, or off); its model store is HOME/sidecar/models.
# An already initialised home is reused untouched (prints "reusing"); wipe it
# with `make reset` (or rm -rf the home) to start a new chain.
# Binaries come from $VENICE_BIN_DIR (default ./build).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BIN="${VENICE_BIN_DIR:-$ROOT/build}"
HOME_DIR="${VENICE_HOME:-$HOME/.venice}"
CHAIN_ID="${VENICE_CHAIN_ID:-venice-local-1}"
MONIKER="${VENICE_MONIKER:-validator}"
RPC_PORT=26657 P2P_PORT=26656 ABCI_PORT=26658 GRPC_PORT=9090 API_PORT=1317 METRICS_PORT=26661
SIDECAR_PORT=26659 SIDECAR_METRICS_PORT=26662
BLOCK_TIME=1s
# State-sync snapshots every this many heights (dev chains: often enough to try).
SNAPSHOT_INTERVAL=100
DEMO=1
DEMO_COINS="1000000000000uvvv,1000000000000ustable"  # 1,000,000 VVV and 1,000,000 of the dev stable token
DEMO_STAKE="100000000000uvvv"         # 100,000 VVV self-delegated by the demo validator
UNBONDING_TIME=120s
SIGNED_BLOCKS_WINDOW=20
DOWNTIME_JAIL_DURATION=60s
VOTING_PERIOD=30s
EXPEDITED_VOTING_PERIOD=15s
GENTX=1
ACCOUNTS=()

die() { echo "localnet/init: $*" >&2; exit 1; }
while [[ $# -gt 0 ]]; do
  case "$1" in
    --home) HOME_DIR="$2"; shift 2 ;;
    --chain-id) CHAIN_ID="$2"; shift 2 ;;
    --moniker) MONIKER="$2"; shift 2 ;;
    --rpc-port) RPC_PORT="$2"; shift 2 ;;
    --p2p-port) P2P_PORT="$2"; shift 2 ;;
    --abci-port) ABCI_PORT="$2"; shift 2 ;;
    --grpc-port) GRPC_PORT="$2"; shift 2 ;;
    --api-port) API_PORT="$2"; shift 2 ;;
    --metrics-port) METRICS_PORT="$2"; shift 2 ;;
    --sidecar-port) SIDECAR_PORT="$2"; shift 2 ;;
    --sidecar-metrics-port) SIDECAR_METRICS_PORT="$2"; shift 2 ;;
    --block-time) BLOCK_TIME="$2"; shift 2 ;;
    --snapshot-interval) SNAPSHOT_INTERVAL="$2"; shift 2 ;;
    --account) ACCOUNTS+=("$2"); shift 2 ;;
    --unbonding-time) UNBONDING_TIME="$2"; shift 2 ;;
    --signed-blocks-window) SIGNED_BLOCKS_WINDOW="$2"; shift 2 ;;
    --downtime-jail-duration) DOWNTIME_JAIL_DURATION="$2"; shift 2 ;;
    --voting-period) VOTING_PERIOD="$2"; shift 2 ;;
    --expedited-voting-period) EXPEDITED_VOTING_PERIOD="$2"; shift 2 ;;
    --no-demo) DEMO=0; GENTX=0; shift ;;
    --no-gentx) GENTX=0; shift ;;
    -h|--help) sed -n '2,29p' "$0"; exit 0 ;;
    *) die "unknown argument: $1" ;;
  esac
done

for b in veniced venice cometbft; do
  [[ -x "$BIN/$b" ]] || die "$BIN/$b not found; run 'make build' first"
done
MARKER="$HOME_DIR/.localnet-initialised"
if [[ -f "$MARKER" ]]; then
  echo "localnet/init: reusing $HOME_DIR (chain $(jq -r .chain_id "$HOME_DIR/config/genesis.json"))"
  exit 0
fi
if [[ -e "$HOME_DIR/config/genesis.json" ]]; then
  die "$HOME_DIR holds a half-initialised or foreign node home; remove it (make reset) and retry"
fi

mkdir -p "$HOME_DIR"
"$BIN/veniced" init "$MONIKER" --chain-id "$CHAIN_ID" --home "$HOME_DIR" --cometbft "$BIN/cometbft" >/dev/null
MONIKER="$MONIKER" RPC_PORT="$RPC_PORT" P2P_PORT="$P2P_PORT" ABCI_PORT="$ABCI_PORT" BLOCK_TIME="$BLOCK_TIME" \
  "$ROOT/cometbft-config/apply-config.sh" "$HOME_DIR"
"$ROOT/cometbft-config/apply-genesis.sh" "$HOME_DIR"
# veniced's own listen address must be the proxy_app CometBFT dials; its
# gRPC and REST servers stay on loopback too, and read this node's RPC.
if [[ -f "$HOME_DIR/config/app.toml" ]]; then
  sed -i -e "s|^abci_address = .*|abci_address = \"tcp://127.0.0.1:$ABCI_PORT\"|" \
         -e "s|^grpc_address = .*|grpc_address = \"127.0.0.1:$GRPC_PORT\"|" \
         -e "s|^api_address = .*|api_address = \"127.0.0.1:$API_PORT\"|" \
         -e "s|^rpc_address = .*|rpc_address = \"tcp://127.0.0.1:$RPC_PORT\"|" \
         -e "s|^metrics_address = .*|metrics_address = \"127.0.0.1:$METRICS_PORT\"|" \
         -e "s|^snapshot_interval = .*|snapshot_interval = $SNAPSHOT_INTERVAL|" \
         -e "s|^minimum_gas_prices = .*|minimum_gas_prices = \"0.00005ustable,0.0025uvvv\"|" \
         -e "s|^sidecar_address = .*|sidecar_address = \"127.0.0.1:$SIDECAR_PORT\"|" "$HOME_DIR/config/app.toml"
fi
# How localnet/run.sh starts this node's sidecar (its listen address is
# app.toml's sidecar_address).
mkdir -p "$HOME_DIR/sidecar/models"
if [[ "$SIDECAR_METRICS_PORT" == off ]]; then SIDECAR_METRICS=off; else SIDECAR_METRICS="127.0.0.1:$SIDECAR_METRICS_PORT"; fi
echo "SIDECAR_METRICS=$SIDECAR_METRICS" >"$HOME_DIR/sidecar/sidecar.env"

if [[ "$DEMO" == 1 ]]; then
  "$BIN/venice" keys add demo --keyring-backend test --home "$HOME_DIR" --output json \
    > "$HOME_DIR/demo-key.json"
  chmod 600 "$HOME_DIR/demo-key.json"   # holds the mnemonic (test keyring: dev only)
  DEMO_ADDR="$("$BIN/venice" keys show demo -a --keyring-backend test --home "$HOME_DIR")"
  ACCOUNTS=("$DEMO_ADDR=$DEMO_COINS" "${ACCOUNTS[@]}")
fi
for entry in "${ACCOUNTS[@]}"; do
  "$BIN/veniced" genesis add-genesis-account "${entry%%=*}" "${entry#*=}" --home "$HOME_DIR" >/dev/null
done
g="$HOME_DIR/config/genesis.json"
jq --arg t "$UNBONDING_TIME" '.app_state.staking.params.unbonding_time = $t' "$g" > "$g.tmp" && mv "$g.tmp" "$g"
jq --arg w "$SIGNED_BLOCKS_WINDOW" --arg j "$DOWNTIME_JAIL_DURATION" \
  '.app_state.slashing.params.signed_blocks_window = $w | .app_state.slashing.params.downtime_jail_duration = $j' \
  "$g" > "$g.tmp" && mv "$g.tmp" "$g"
jq --arg v "$VOTING_PERIOD" --arg e "$EXPEDITED_VOTING_PERIOD" \
  '.app_state.gov.params.voting_period = $v | .app_state.gov.params.expedited_voting_period = $e' "$g" > "$g.tmp" && mv "$g.tmp" "$g"
# Fees may be paid in uvvv or in the dev stable token ustable (a bank denom
# created here, held by the demo and localnet keys), ustable at its own
# consensus gas price (200000 gas: 10ustable); the node's app.toml above
# accepts it too.
jq '.app_state.fees.params.min_gas_prices = [{"denom": "ustable", "amount": "0.00005"}, {"denom": "uvvv", "amount": "0"}]' \
  "$g" > "$g.tmp" && mv "$g.tmp" "$g"

if [[ "$GENTX" == 1 ]]; then
  "$BIN/veniced" genesis gentx demo "$DEMO_STAKE" --keyring-backend test --home "$HOME_DIR" \
    --chain-id "$CHAIN_ID" --moniker "$MONIKER" --venice-bin "$BIN/venice" 2>/dev/null
  "$BIN/veniced" genesis collect-gentxs --home "$HOME_DIR" >/dev/null
fi

touch "$MARKER"
echo "localnet/init: initialised $HOME_DIR (chain $CHAIN_ID, RPC 127.0.0.1:$RPC_PORT)"
