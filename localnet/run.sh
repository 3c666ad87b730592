#!/usr/bin/env bash
# Runs an initialised Venice home: the inference sidecar (venice-sidecar, on
# app.toml's [inference] sidecar_address, its store HOME/sidecar/models), then
# veniced (the ABCI app), then CometBFT connected to it. On a home with a demo
# key it then runs localnet/demo-inference.sh once (publish, list and run
# the digits model; --no-demo skips it). Prints where to look; Ctrl-C /
# SIGTERM stops all cleanly (CometBFT first, so it never sees its app vanish
# mid-block).
#
#   localnet/run.sh [--home DIR] [--no-demo]
#
# Logs: HOME/logs/{cometbft,veniced,sidecar,demo}.log.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BIN="${VENICE_BIN_DIR:-$ROOT/build}"
HOME_DIR="${VENICE_HOME:-$HOME/.venice}"
DEMO=1
die() { echo "localnet/run: $*" >&2; exit 1; }
while [[ $# -gt 0 ]]; do
  case "$1" in
    --home) HOME_DIR="$2"; shift 2 ;;
    --no-demo) DEMO=0; shift ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
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
# [inference] sidecar_address; a home made before it existed gets the default.
SIDECAR_ADDR="$(awk '/^\[inference\]/{s=1;next} /^\[/{s=0} s && $1=="sidecar_address"{gsub(/"/,"",$3); print $3; exit}' \
  "$HOME_DIR/config/app.toml" 2>/dev/null || true)"
if [[ -f "$HOME_DIR/config/app.toml" ]] && ! grep -q '^\[inference\]' "$HOME_DIR/config/app.toml"; then
  SIDECAR_ADDR="127.0.0.1:26659"
  printf '\n[inference]\nsidecar_address = "%s"\n' "$SIDECAR_ADDR" >>"$HOME_DIR/config/app.toml"
fi
SIDECAR_METRICS=off
[[ -f "$HOME_DIR/sidecar/sidecar.env" ]] && SIDECAR_METRICS="$(sed -n 's/^SIDECAR_METRICS=//p' "$HOME_DIR/sidecar/sidecar.env")"
mkdir -p "$HOME_DIR/logs" "$HOME_DIR/sidecar/models"

VENICED_PID="" COMET_PID="" TAIL_PID="" SIDECAR_PID="" DEMO_PID=""
stop() {
  trap - INT TERM EXIT
  [[ -n "$TAIL_PID" ]] && kill "$TAIL_PID" 2>/dev/null || true
  [[ -n "$DEMO_PID" ]] && kill "$DEMO_PID" 2>/dev/null || true
  # CometBFT first: it stops consensus, then closes its ABCI connections.
  if [[ -n "$COMET_PID" ]] && kill -0 "$COMET_PID" 2>/dev/null; then
    kill -TERM "$COMET_PID" 2>/dev/null || true
    wait_exit "$COMET_PID" 20 || kill -KILL "$COMET_PID" 2>/dev/null || true
  fi
  if [[ -n "$VENICED_PID" ]] && kill -0 "$VENICED_PID" 2>/dev/null; then
    kill -TERM "$VENICED_PID" 2>/dev/null || true
    wait_exit "$VENICED_PID" 20 || kill -KILL "$VENICED_PID" 2>/dev/null || true
  fi
  if [[ -n "$SIDECAR_PID" ]] && kill -0 "$SIDECAR_PID" 2>/dev/null; then
    kill -TERM "$SIDECAR_PID" 2>/dev/null || true
    wait_exit "$SIDECAR_PID" 20 || kill -KILL "$SIDECAR_PID" 2>/dev/null || true
  fi
  wait 2>/dev/null || true
  rm -f "$HOME_DIR/veniced.pid" "$HOME_DIR/cometbft.pid" "$HOME_DIR/sidecar.pid"
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
wait_listening() {  # PORT PID NAME ADDR LOG: up to 30 s for PID to listen on PORT
  local i
  for ((i = 0; i < 300; i++)); do
    listening "$1" && return 0
    kill -0 "$2" 2>/dev/null || die "$3 exited; see $HOME_DIR/logs/$5"
    sleep 0.1
  done
  die "$3 did not open $4 within 30 s"
}
# The sidecar first: veniced's executor connects to it (and copes if it
# cannot: this validator then simply has no inference results).
if [[ -n "$SIDECAR_ADDR" ]]; then
  if [[ -x "$BIN/venice-sidecar" ]]; then
    SIDECAR_PORT="${SIDECAR_ADDR##*:}"
    listening "$SIDECAR_PORT" && die "port $SIDECAR_PORT (sidecar) is already in use (another node running?)"
    setsid "$BIN/venice-sidecar" serve --model-dir "$HOME_DIR/sidecar/models" --listen "$SIDECAR_ADDR" \
      --metrics-listen "$SIDECAR_METRICS" --deterministic --threads 1 >>"$HOME_DIR/logs/sidecar.log" 2>&1 &
    SIDECAR_PID=$!
    echo "$SIDECAR_PID" >"$HOME_DIR/sidecar.pid"
    wait_listening "$SIDECAR_PORT" "$SIDECAR_PID" venice-sidecar "$SIDECAR_ADDR" sidecar.log
  else
    echo "localnet/run: $BIN/venice-sidecar not found ('make build-sidecar'): this validator runs no inference" >&2
  fi
fi
# setsid: a Ctrl-C in the terminal reaches only this script, which then stops
# CometBFT before veniced (the terminal would otherwise signal all three at once).
setsid "$BIN/veniced" start --home "$HOME_DIR" --abci "$ABCI_ADDR" >>"$HOME_DIR/logs/veniced.log" 2>&1 &
VENICED_PID=$!
# For localnet/stop.sh, should this script die without stopping its children.
echo "$VENICED_PID" >"$HOME_DIR/veniced.pid"
wait_listening "$ABCI_PORT" "$VENICED_PID" veniced "$ABCI_ADDR" veniced.log

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
SIDECAR_INFO="not running (no venice-sidecar, or [inference] sidecar_address empty)"
[[ -n "$SIDECAR_PID" ]] && SIDECAR_INFO="$SIDECAR_ADDR (metrics: $SIDECAR_METRICS, models: $HOME_DIR/sidecar/models)"
CONTRACTS=""
[[ -f "$CONTRACTS_ENV" ]] && CONTRACTS="$(sed -n 's/^export \(VENICE_[A-Z_]*\)=\(.*\)$/  \1=\2/p' "$CONTRACTS_ENV" | grep -v CODE_ID)"
cat <<INFO

Venice chain '$CHAIN_ID' is running (home $HOME_DIR)
  RPC:           $RPC_URL
  gRPC:          ${GRPC_ADDR:-off}
  REST (LCD):    ${API_ADDR:+http://$API_ADDR} (OpenAPI at /swagger/)
  metrics:       http://${METRICS_ADDR:-127.0.0.1:26661}/metrics
  sidecar:       $SIDECAR_INFO
  demo address:  ${DEMO_ADDR:-<no demo key>}
  gov voting:    $GOV_PERIODS (dev genesis; mainnet default 172800s)
  logs:          $HOME_DIR/logs/{cometbft,veniced,sidecar,demo}.log
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

  localnet/demo-inference.sh --home $HOME_DIR      # one inference of the digits model, end to end

Ctrl-C stops the chain; 'make run' resumes it, 'make reset' wipes it.

INFO

# The inference demo: publish and list the digits model (first time), run
# one task and print its finalised result. Its failure leaves the chain up.
if [[ "$DEMO" == 1 && -n "$DEMO_ADDR" && -f "$CONTRACTS_ENV" && -n "$SIDECAR_PID" ]]; then
  (
    if VENICE_BIN_DIR="$BIN" "$ROOT/localnet/demo-inference.sh" --home "$HOME_DIR" --node "$RPC_URL" 2>&1 | tee "$HOME_DIR/logs/demo.log"; then
      echo "localnet/run: inference demo done (localnet/demo-inference.sh --home $HOME_DIR runs another)"
    else
      echo "localnet/run: inference demo failed (the chain keeps running); see $HOME_DIR/logs/demo.log" >&2
    fi
  ) &
  DEMO_PID=$!
fi

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
# (A sidecar that dies only costs this validator its inference results.)
wait -n "$VENICED_PID" "$COMET_PID"
rc=$?
set -e
if ! kill -0 "$COMET_PID" 2>/dev/null; then who=cometbft; else who=veniced; fi
echo "localnet/run: $who exited (status $rc); see $HOME_DIR/logs/$who.log" >&2
stop
exit 1
