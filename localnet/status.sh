#!/usr/bin/env bash
# For each node of a network made by localnet/init-multi.sh, from its own
# CometBFT RPC: the latest height and app hash, whether it is catching up,
# and the voting power of every validator it sees; then whether the running
# nodes agree on the app hash at the lowest height they all have.
#
#   localnet/status.sh [--home BASE]
#
# Exits 1 when no node answers, 2 when the nodes disagree.
set -euo pipefail
BASE="${VENICE_HOME:-$HOME/.venice}-multi"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --home) BASE="$2"; shift 2 ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "localnet/status: unknown argument: $1" >&2; exit 1 ;;
  esac
done
command -v jq >/dev/null || { echo "localnet/status: jq is required" >&2; exit 1; }
command -v curl >/dev/null || { echo "localnet/status: curl is required" >&2; exit 1; }
nodes=("$BASE"/node*)
[[ -d "${nodes[0]}" ]] || { echo "localnet/status: no nodes under $BASE (run localnet/init-multi.sh)" >&2; exit 1; }

rpc_url() {  # HOME -> http://host:port of config.toml's [rpc] laddr
  local laddr
  laddr="$(awk '/^\[rpc\]/{s=1;next} /^\[/{s=0} s && $1=="laddr"{gsub(/"/,"",$3); print $3; exit}' "$1/config/config.toml")"
  echo "http://${laddr#tcp://}"
}
get() { curl -sf --max-time 3 "$1"; }

up=0 min_height=""
declare -A urls
for home in "${nodes[@]}"; do
  name="$(basename "$home")"
  url="$(rpc_url "$home")"
  if ! status="$(get "$url/status")"; then
    echo "$name  $url  DOWN"
    continue
  fi
  up=$((up + 1))
  urls[$name]="$url"
  height="$(jq -r .result.sync_info.latest_block_height <<<"$status")"
  app_hash="$(jq -r .result.sync_info.latest_app_hash <<<"$status")"
  catching_up="$(jq -r .result.sync_info.catching_up <<<"$status")"
  own="$(jq -r .result.validator_info.address <<<"$status")"
  echo "$name  $url  height $height  app_hash $app_hash  catching_up $catching_up"
  if vals="$(get "$url/validators?height=$height&per_page=100")"; then
    total="$(jq '[.result.validators[].voting_power | tonumber] | add // 0' <<<"$vals")"
    jq -r --arg own "$own" --argjson total "$total" '.result.validators[] |
      "    validator \(.address)  power \(.voting_power)  (\((.voting_power|tonumber) * 10000 / $total | floor / 100)%)\(if .address == $own then "  <- this node" else "" end)"' <<<"$vals"
  fi
  if [[ -z "$min_height" || "$height" -lt "$min_height" ]]; then min_height="$height"; fi
done
[[ $up -gt 0 ]] || { echo "no node answers: is the localnet running? (make localnet)"; exit 1; }

# The app hash each node reports in the header after min_height (the state
# of min_height), so that nodes at different heights are compared fairly.
if [[ $up -gt 1 && "$min_height" -gt 0 ]]; then
  hashes=()
  for name in "${!urls[@]}"; do
    h="$(get "${urls[$name]}/block?height=$min_height" | jq -r .result.block.header.app_hash 2>/dev/null || true)"
    hashes+=("$h")
  done
  distinct="$(printf '%s\n' "${hashes[@]}" | sort -u | wc -l)"
  if [[ "$distinct" == 1 ]]; then
    echo "$up node(s) up; all report app_hash ${hashes[0]} in block $min_height"
  else
    echo "$up node(s) up; APP HASHES DIFFER in block $min_height: ${hashes[*]}"
    exit 2
  fi
else
  echo "$up node(s) up"
fi
