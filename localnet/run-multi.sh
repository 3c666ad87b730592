#!/usr/bin/env bash
# Runs every node of a network made by localnet/init-multi.sh, each through
# localnet/run.sh (its own inference sidecar, veniced, then CometBFT).
# Ctrl-C / SIGTERM stops them all, as does localnet/stop.sh (`make
# localnet-stop`) from another terminal. The inference demo is not run
# here: `localnet/demo-inference.sh --home BASE/node0` runs it by hand.
#
#   localnet/run-multi.sh [--home BASE]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BASE="${VENICE_HOME:-$HOME/.venice}-multi"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --home) BASE="$2"; shift 2 ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) echo "localnet/run-multi: unknown argument: $1" >&2; exit 1 ;;
  esac
done
nodes=("$BASE"/node*)
[[ -d "${nodes[0]}" ]] || { echo "localnet/run-multi: no nodes under $BASE (run init-multi.sh)" >&2; exit 1; }

pids=()
# `make localnet-stop` (localnet/stop.sh) signals this script through it.
PIDFILE="$BASE/run-multi.pid"
echo $$ >"$PIDFILE"
stop() {
  trap - INT TERM EXIT
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -f "$PIDFILE"
}
trap 'echo; echo "stopping ${#pids[@]} nodes..."; stop; echo "stopped."; exit 0' INT TERM HUP
trap stop EXIT
for home in "${nodes[@]}"; do
  mkdir -p "$home/logs"
  "$ROOT/localnet/run.sh" --home "$home" --no-demo >"$home/logs/run.out" 2>&1 &
  pids+=($!)
done
sleep 3
sed -n '/is running/,/^Ctrl-C/p' "${nodes[0]}/logs/run.out"
echo "${#nodes[@]} validators running; each node's output: NODE/logs/run.out"
set +e
wait -n "${pids[@]}"
echo "localnet/run-multi: a node stopped; stopping the others" >&2
stop
exit 1
