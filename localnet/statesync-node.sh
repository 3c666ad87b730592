#!/usr/bin/env bash
# Initialises a full node (not a validator) that joins a running network by
# CometBFT state sync: it restores the newest snapshot its peers offer,
# checked against a header its light client verifies from a trusted height,
# instead of replaying every block.
#
#   localnet/statesync-node.sh --home DIR --network BASE [--port-base P]
#                              [--trust-height H] [--rpc-servers HOST:PORT,HOST:PORT]
#
# BASE is a network made by localnet/init-multi.sh (its genesis and peers are
# used). The new node listens on P+7 (RPC), +6 (p2p), +8 (ABCI), +9 (gRPC),
# +4 (REST), +5 (metrics); P defaults to 27700. The trusted height defaults to the
# latest height of the first RPC server, and its hash is read from there:
# in production, take both from a source you trust. Start it like any node
# (veniced start, then cometbft start, with --home DIR).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BIN="${VENICE_BIN_DIR:-$ROOT/build}"
HOME_DIR="" NETWORK="" PORT_BASE=27700 TRUST_HEIGHT="" RPC_SERVERS=""
die() { echo "localnet/statesync-node: $*" >&2; exit 1; }
while [[ $# -gt 0 ]]; do
  case "$1" in
    --home) HOME_DIR="$2"; shift 2 ;;
    --network) NETWORK="$2"; shift 2 ;;
    --port-base) PORT_BASE="$2"; shift 2 ;;
    --trust-height) TRUST_HEIGHT="$2"; shift 2 ;;
    --rpc-servers) RPC_SERVERS="$2"; shift 2 ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) die "unknown argument: $1" ;;
  esac
done
[[ -n "$HOME_DIR" && -n "$NETWORK" ]] || die "--home and --network are required"
[[ -f "$NETWORK/node0/config/genesis.json" ]] || die "$NETWORK is not a network made by init-multi.sh"
command -v jq >/dev/null || die "jq is required"
command -v curl >/dev/null || die "curl is required"

rpc_of() { sed -n '/^\[rpc\]/,/^\[/s|^laddr = "tcp://\(.*\)"|\1|p' "$1/config/config.toml" | head -1; }
p2p_of() { sed -n '/^\[p2p\]/,/^\[/s|^laddr = "tcp://\(.*\)"|\1|p' "$1/config/config.toml" | head -1; }

peers=() rpcs=()
for node in "$NETWORK"/node*; do
  [[ -f "$node/config/node_key.json" ]] || continue
  peers+=("$("$BIN/cometbft" show-node-id --home "$node")@$(p2p_of "$node")")
  rpcs+=("$(rpc_of "$node")")
done
[[ ${#peers[@]} -gt 0 ]] || die "no nodes found under $NETWORK"
# CometBFT wants two RPC servers to cross-check the light client (the same one twice is allowed).
[[ -n "$RPC_SERVERS" ]] || RPC_SERVERS="${rpcs[0]},${rpcs[1]:-${rpcs[0]}}"
first="${RPC_SERVERS%%,*}"
if [[ -z "$TRUST_HEIGHT" ]]; then
  TRUST_HEIGHT="$(curl -sf "http://$first/status" | jq -r .result.sync_info.latest_block_height)"
fi
[[ "$TRUST_HEIGHT" =~ ^[1-9][0-9]*$ ]] || die "bad trust height '$TRUST_HEIGHT'"
TRUST_HASH="$(curl -sf "http://$first/block?height=$TRUST_HEIGHT" | jq -r .result.block_id.hash)"
[[ "$TRUST_HASH" =~ ^[0-9A-F]{64}$ ]] || die "cannot read the hash of block $TRUST_HEIGHT from $first"

VENICE_BIN_DIR="$BIN" "$ROOT/localnet/init.sh" --home "$HOME_DIR" --no-demo --moniker "statesync" \
  --rpc-port $((PORT_BASE + 7)) --p2p-port $((PORT_BASE + 6)) --abci-port $((PORT_BASE + 8)) \
  --grpc-port $((PORT_BASE + 9)) --api-port $((PORT_BASE + 4)) --metrics-port $((PORT_BASE + 5)) \
  --sidecar-port $((PORT_BASE + 3)) --sidecar-metrics-port $((PORT_BASE + 2)) >/dev/null
cp "$NETWORK/node0/config/genesis.json" "$HOME_DIR/config/genesis.json"
CONFIG="$HOME_DIR/config/config.toml"
sed -i "s|^persistent_peers = .*|persistent_peers = \"$(IFS=,; echo "${peers[*]}")\"|" "$CONFIG"
sed -i -e '/^\[statesync\]/,/^\[/{' \
  -e 's|^enable = .*|enable = true|' \
  -e "s|^rpc_servers = .*|rpc_servers = \"$RPC_SERVERS\"|" \
  -e "s|^trust_height = .*|trust_height = $TRUST_HEIGHT|" \
  -e "s|^trust_hash = .*|trust_hash = \"$TRUST_HASH\"|" \
  -e 's|^discovery_time = .*|discovery_time = "5s"|' \
  -e '}' "$CONFIG"
echo "localnet/statesync-node: $HOME_DIR trusts height $TRUST_HEIGHT ($TRUST_HASH) via $RPC_SERVERS; RPC on 127.0.0.1:$((PORT_BASE + 7))"
