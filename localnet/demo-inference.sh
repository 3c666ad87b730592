#!/usr/bin/env bash
# Inference end to end on a running chain, with the demo key's transactions:
# publishes the digits model (models/index.json) as a model NFT in the
# chain's model-NFT collection (HOME/contracts.env, written by
# localnet/deploy-contracts.sh) with a file:// URI to models/<sha256>.onnx,
# from which the validators' sidecars fetch and verify it; lists it with
# `venice tx inference register-model`; then submits one task on the
# model's sample input with `--wait` and prints the finalised result (the
# sidecar's quantised output JSON). Publishing and listing happen once;
# every run submits a new task.
#
#   localnet/demo-inference.sh [--home DIR] [--node URL] [--from KEY] [--input FILE.json] [--result-timeout S]
#                              [--committee-size N]
#
# Exits non-zero when the task expires or no result comes within the timeout.
# Binaries come from $VENICE_BIN_DIR (default ./build).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BIN="${VENICE_BIN_DIR:-$ROOT/build}"
HOME_DIR="${VENICE_HOME:-$HOME/.venice}"
NODE="" FROM=demo INPUT="" RESULT_TIMEOUT=60 COMMITTEE=1
TOKEN=digits-mlp
die() { echo "localnet/demo-inference: $*" >&2; exit 1; }
while [[ $# -gt 0 ]]; do
  case "$1" in
    --home) HOME_DIR="$2"; shift 2 ;;
    --node) NODE="$2"; shift 2 ;;
    --from) FROM="$2"; shift 2 ;;
    --input) INPUT="$2"; shift 2 ;;
    --result-timeout) RESULT_TIMEOUT="$2"; shift 2 ;;
    --committee-size) COMMITTEE="$2"; shift 2 ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) die "unknown argument: $1" ;;
  esac
done
command -v jq >/dev/null || die "jq is required"
[[ -f "$HOME_DIR/contracts.env" ]] || die "$HOME_DIR/contracts.env missing: run localnet/deploy-contracts.sh --home $HOME_DIR first"
# shellcheck disable=SC1091
source "$HOME_DIR/contracts.env"
if [[ -z "$NODE" ]]; then
  laddr="$(awk '/^\[rpc\]/{s=1;next} /^\[/{s=0} s && $1=="laddr"{gsub(/"/,"",$3); print $3; exit}' "$HOME_DIR/config/config.toml")"
  NODE="http://${laddr#tcp://}"
fi
CHAIN_ID="$(jq -r .chain_id "$HOME_DIR/config/genesis.json")"
MODEL="$(jq -c '.models[] | select(.name == "digits-mlp")' "$ROOT/models/index.json")"
[[ -n "$MODEL" ]] || die "digits-mlp not in models/index.json (make models)"
SHA="$(jq -r .sha256 <<<"$MODEL")"
FILE="$ROOT/models/$(jq -r .file <<<"$MODEL")"
[[ -f "$FILE" ]] || die "$FILE missing (make models)"
[[ -n "$INPUT" ]] || INPUT="$ROOT/models/$(jq -r .sample_input <<<"$MODEL")"

common=(--node "$NODE" --home "$HOME_DIR")
txflags=(--from "$FROM" --chain-id "$CHAIN_ID" --keyring-backend test --gas auto --gas-adjustment 1.5 --gas-prices 0.025uvvv --yes)
tx() {  # ARGS... -> TxResponse JSON (fails unless code 0)
  local resp
  resp="$("$BIN/venice" "$@" "${common[@]}" "${txflags[@]}" --output json)" || die "venice $* failed"
  [[ "$(jq -r '.code' <<<"$resp")" == 0 ]] || die "venice $*: $(jq -c '{code, raw_log}' <<<"$resp")"
  echo "$resp"
}

# 1. The model NFT (once; the collection holds one token per sha256).
existing="$("$BIN/venice" query model by-hash "$SHA" --contract "$VENICE_MODEL_NFT" "${common[@]}" --output json 2>/dev/null \
  | jq -r '.token_id // .data.token_id // empty' 2>/dev/null || true)"
if [[ -n "$existing" ]]; then
  TOKEN="$existing"
else
  desc="$(mktemp)"
  trap 'rm -f "$desc"' EXIT
  jq -n --arg sha "$SHA" --arg uri "file://$FILE" --argjson m "$MODEL" '{
      onnx_sha256: $sha, storage_uri: $uri,
      inputs: [$m.inputs[] | {name, dtype, shape: [.shape[] | if . < 0 then null else . end]}],
      outputs: [$m.outputs[] | {name, dtype, shape: [.shape[] | if . < 0 then null else . end]}],
      quant_rule: $m.rule, price_per_call: {denom: "uvvv", amount: "250"},
      royalty_bps: 1000, license: "MIT", agent: false}' >"$desc"
  echo "localnet/demo-inference: minting model NFT $TOKEN (sha256 $SHA, file://$FILE)" >&2
  tx tx model mint "$TOKEN" --descriptor "$desc" --name digits-mlp --description "$(jq -r .description <<<"$MODEL")" \
    --contract "$VENICE_MODEL_NFT" >/dev/null
fi
# 2. The listing (once).
if ! "$BIN/venice" query inference model "$SHA" "${common[@]}" --output json >/dev/null 2>&1; then
  echo "localnet/demo-inference: listing it for inference" >&2
  tx tx inference register-model "$VENICE_MODEL_NFT" "$TOKEN" --max-input-bytes 8192 --max-output-bytes 4096 \
    --committee-size "$COMMITTEE" >/dev/null
fi
# 3. One task, followed until its result is final.
echo "localnet/demo-inference: submitting $INPUT; waiting up to ${RESULT_TIMEOUT}s for the result" >&2
"$BIN/venice" tx inference submit --model "$SHA" --input "$INPUT" --wait --result-timeout "$RESULT_TIMEOUT" \
  "${common[@]}" "${txflags[@]}" --output json | jq .
