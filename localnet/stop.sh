#!/usr/bin/env bash
# Stops a network that localnet/run-multi.sh runs (`make localnet`), from any
# terminal: SIGTERM to run-multi.sh (its pid file BASE/run-multi.pid), which
# stops each node as Ctrl-C would (CometBFT first, then veniced). Processes a
# dead run-multi.sh left behind are then stopped from each node's pid files
# (NODE/{cometbft,veniced,sidecar}.pid, written by localnet/run.sh), only if
# that pid still runs a command naming the node's home.
#
#   localnet/stop.sh [--home BASE] [--timeout SECS]
set -euo pipefail
BASE="${VENICE_HOME:-$HOME/.venice}-multi"
TIMEOUT=60
while [[ $# -gt 0 ]]; do
  case "$1" in
    --home) BASE="$2"; shift 2 ;;
    --timeout) TIMEOUT="$2"; shift 2 ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "localnet/stop: unknown argument: $1" >&2; exit 1 ;;
  esac
done
[[ -d "$BASE" ]] || { echo "localnet/stop: no network under $BASE" >&2; exit 1; }

# PIDFILE WORD: the pid in PIDFILE if it is alive and its command line names WORD.
live_pid() {
  [[ -f "$1" ]] || return 1
  local pid
  pid="$(cat "$1" 2>/dev/null | tr -dc 0-9)"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$2" && echo "$pid"
}
wait_gone() {  # PID SECONDS
  local i
  for ((i = 0; i < $2 * 10; i++)); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
  return 1
}

stopped=0
if pid="$(live_pid "$BASE/run-multi.pid" run-multi.sh)"; then
  echo "stopping localnet/run-multi.sh (pid $pid)..."
  kill -TERM "$pid"
  wait_gone "$pid" "$TIMEOUT" || echo "localnet/stop: run-multi.sh still running after ${TIMEOUT}s" >&2
  stopped=1
fi
rm -f "$BASE/run-multi.pid"

# Whatever is left, node by node: CometBFT before its app, the sidecar last.
for home in "$BASE"/node*; do
  [[ -d "$home" ]] || continue
  for proc in cometbft veniced sidecar; do
    if pid="$(live_pid "$home/$proc.pid" "$home")"; then
      echo "stopping $proc of $(basename "$home") (pid $pid)"
      kill -TERM "$pid"
      wait_gone "$pid" 20 || kill -KILL "$pid" 2>/dev/null || true
      stopped=1
    fi
    rm -f "$home/$proc.pid"
  done
done
if [[ $stopped == 1 ]]; then echo "localnet stopped."; else echo "localnet is not running."; fi
