#!/usr/bin/env bash
# Runs an initialised Venice home: veniced (the ABCI app) first, then CometBFT
# connected to it. Prints where to look; Ctrl-C / SIGTERM stops both cleanly
# (CometBFT first, so it never sees its app vanish mid-block).
#
#   localnet/run.sh [--home DIR]
#
# Logs: HOME/logs/cometbft.log and HOME/logs/veniced.log.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BIN="${VENICE_BIN_DIR:-$ROOT/build}"
HOME_DIR="${VENICE_HOME:-$HOME/.venice}"
die() { echo "localnet/run: $*" >&2; exit 1; }
while [[ $# -gt 0 ]]; do
  case "$1" in
    --home) HOME_DIR="$2"; shift 2 ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) die "unknown argument: $1" ;;
  esac
done
CONFIG="$HOME_DIR/config/config.toml"
[[ -f "$CONFIG" ]] || die "$HOME_DIR is not initialised; run localnet/init.sh first"

# The addresses come from config.toml so that run.sh follows whatever init wrote.
toml_get() {  # SECTION KEY -> unquoted value ("-" = top level)
  awk -v want_s="$1" -v want_k="$2" '
    /^\[[^]]+\]/ { s = $0; gsub(/[][[:space:]]/, "", s); next }
    { sec = (s == "" ? "-" : s) }
    sec == want_s && $1 == want_k { v = $0; sub(/^[^=]*=[[:space:]]*/, "", v); gsub(/"/, "", v); print v; exit }
  ' "$CONFIG"
}
ABCI_ADDR="$(toml_get - proxy_app)"
RPC_ADDR="$(toml_get rpc laddr)"
RPC_URL="http://${RPC_ADDR#tcp://}"
CHAIN_ID="$(jq -r .chain_id "$HOME_DIR/config/genesis.json")"
GRPC_ADDR="$(sed -n 's/^grpc_address = "\(.*\)"/\1/p' "$HOME_DIR/config/app.toml" 2>/dev/null || true)"
API_ADDR="$(sed -n 's/^api_address = "\(.*\)"/\1/p' "$HOME_DIR/config/app.toml" 2>/dev/null || true)"
METRICS_ADDR="$(sed -n 's/^metrics_address = "\(.*\)"/\1/p' "$HOME_DIR/config/app.toml" 2>/dev/null || true)"
ABCI_PORT="${ABCI_ADDR##*:}"
mkdir -p "$HOME_DIR/logs"

VENICED_PID="" COMET_PID="" TAIL_PID=""
stop() {
  trap - INT TERM EXIT
  [[ -n "$TAIL_PID" ]] && kill "$TAIL_PID" 2>/dev/null || true
  # CometBFT first: it stops consensus, then closes its ABCI connections.
  if [[ -n "$COMET_PID" ]] && kill -0 "$COMET_PID" 2>/dev/null; then
    kill -TERM "$COMET_PID" 2>/dev/null || true
    wait_exit "$COMET_PID" 20 || kill -KILL "$COMET_PID" 2>/dev/null || true
  fi
  if [[ -n "$VENICED_PID" ]] && kill -0 "$VENICED_PID" 2>/dev/null; then
    kill -TERM "$VENICED_PID" 2>/dev/null || true
    wait_exit "$VENICED_PID" 20 || kill -KILL "$VENICED_PID" 2>/dev/null || true
  fi
  wait 2>/dev/null || true
  rm -f "$HOME_DIR/veniced.pid" "$HOME_DIR/cometbft.pid"
}
wait_exit() {  # PID SECONDS: 0 when PID exited in time
  local i
  for ((i = 0; i < $2 * 10; i++)); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
  return 1
}
listening() {  # PORT: is something listening on 127.0.0.1:PORT?
  if command -v ss >/dev/null; then ss -Hltn "sport = :$1" | grep -q .; else (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; fi
}
trap 'echo; echo "stopping..."; stop; echo "stopped."; exit 0' INT TERM HUP
trap stop EXIT

listening "$ABCI_PORT" && die "port $ABCI_PORT is already in use (another node running?)"
# setsid: a Ctrl-C in the terminal reaches only this script, which then stops
# CometBFT before veniced (the terminal would otherwise signal all three at once).
setsid "$BIN/veniced" start --home "$HOME_DIR" --abci "$ABCI_ADDR" >>"$HOME_DIR/logs/veniced.log" 2>&1 &
VENICED_PID=$!
# For localnet/stop.sh, should this script die without stopping its children.
echo "$VENICED_PID" >"$HOME_DIR/veniced.pid"
for ((i = 0; i < 300; i++)); do
  listening "$ABCI_PORT" && break
  kill -0 "$VENICED_PID" 2>/dev/null || die "veniced exited; see $HOME_DIR/logs/veniced.log"
  sleep 0.1
done
listening "$ABCI_PORT" || die "veniced did not open $ABCI_ADDR within 30 s"

setsid "$BIN/cometbft" start --home "$HOME_DIR" >>"$HOME_DIR/logs/cometbft.log" 2>&1 &
COMET_PID=$!
echo "$COMET_PID" >"$HOME_DIR/cometbft.pid"

DEMO_ADDR="$("$BIN/venice" keys show demo -a --keyring-backend test --home "$HOME_DIR" 2>/dev/null || true)"

# First start of a home with a demo key: store and instantiate the project's
# contracts with demo's transactions (once: contracts.env marks it done).
CONTRACTS_ENV="$HOME_DIR/contracts.env"
if [[ -n "$DEMO_ADDR" && ! -f "$CONTRACTS_ENV" ]]; then
  if [[ -f "$ROOT/artifacts/model_nft.wasm" ]]; then
    VENICE_BIN_DIR="$BIN" "$ROOT/localnet/deploy-contracts.sh" --home "$HOME_DIR" --node "$RPC_URL" --from demo \
      || echo "localnet/run: contract deployment failed (the chain keeps running); retry with localnet/deploy-contracts.sh --home $HOME_DIR" >&2
  else
    echo "localnet/run: artifacts/*.wasm missing ('make contracts'); contracts not deployed" >&2
  fi
fi
# Dev chains vote quickly (localnet/init.sh --voting-period); show it.
GOV_PERIODS="$(jq -r '.app_state.gov.params | "\(.voting_period // "?") (expedited \(.expedited_voting_period // "?"))"' \
  "$HOME_DIR/config/genesis.json" 2>/dev/null || echo "?")"
CONTRACTS=""
[[ -f "$CONTRACTS_ENV" ]] && CONTRACTS="$(sed -n 's/^export \(VENICE_[A-Z_]*\)=\(.*\)$/  \1=\2/p' "$CONTRACTS_ENV" | grep -v CODE_ID)"
cat <<INFO

Venice chain '$CHAIN_ID' is running (home $HOME_DIR)
  RPC:           $RPC_URL
  gRPC:          ${GRPC_ADDR:-off}
  REST (LCD):    ${API_ADDR:+http://$API_ADDR} (OpenAPI at /swagger/)
  metrics:       http://${METRICS_ADDR:-127.0.0.1:26661}/metrics
  demo address:  ${DEMO_ADDR:-<no demo key>}
  gov voting:    $GOV_PERIODS (dev genesis; mainnet default 172800s)
  logs:          $HOME_DIR/logs/{cometbft,veniced}.log
  contracts:     ${CONTRACTS:+(source $CONTRACTS_ENV)}
${CONTRACTS:-  none deployed}

Try:
  ./build/venice query bank balances ${DEMO_ADDR:-ADDR} --node $RPC_URL
  curl -s http://${API_ADDR:-127.0.0.1:1317}/cosmos/bank/v1beta1/balances/${DEMO_ADDR:-ADDR}
  ./build/venice keys add bob --keyring-backend test --home $HOME_DIR
  source $CONTRACTS_ENV && ./build/venice query wasm contract-state smart \$VENICE_COMPUTE_CREDIT \\
      '{"balance":{"address":"${DEMO_ADDR:-ADDR}"}}' --node $RPC_URL
  ./build/venice tx bank send demo \$(./build/venice keys show bob -a --keyring-backend test --home $HOME_DIR) 1000000uvvv \\
      --chain-id $CHAIN_ID --node $RPC_URL --keyring-backend test --home $HOME_DIR --fees 5000uvvv --yes

Ctrl-C stops the chain; 'make run' resumes it, 'make reset' wipes it.

INFO

# One line per committed block, so it is visible that the chain is live.
tail -n0 -F --pid=$$ "$HOME_DIR/logs/cometbft.log" 2>/dev/null | awk '
  /committed state/ {
    h = ""; a = ""
    for (i = 1; i <= NF; i++) {
      if ($i ~ /^height=/) h = substr($i, 8)
      if ($i ~ /^block_app_hash=/) a = substr($i, 16)
    }
    printf "block %s committed  app_hash %s\n", h, substr(a, 1, 16); fflush()
  }' &
TAIL_PID=$!

# Either process ending on its own is a failure: stop the other and report.
set +e
wait -n "$VENICED_PID" "$COMET_PID"
rc=$?
set -e
if ! kill -0 "$COMET_PID" 2>/dev/null; then who=cometbft; else who=veniced; fi
echo "localnet/run: $who exited (status $rc); see $HOME_DIR/logs/$who.log" >&2
stop
exit 1
