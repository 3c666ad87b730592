#!/usr/bin/env bash
# Puts Venice's contracts on a running chain with one key's transactions:
# stores model_nft, data_credential and compute_credit (artifacts/), then
# instantiates a model-NFT collection, a data-credential registry and a
# compute-credit (cw20) token, and writes their addresses to
# HOME/contracts.env (`export VENICE_MODEL_NFT=...`: `source` it and the
# `venice model|credential` commands find them without --contract).
#
#   localnet/deploy-contracts.sh [--home DIR] [--node URL] [--from KEY] [--artifacts DIR]
#
# Idempotent: a home that already has contracts.env is left alone (its
# addresses are printed again). contracts.env is written only once every
# contract answers, so an interrupted deploy is redone from the start.
# Binaries come from $VENICE_BIN_DIR (default ./build).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BIN="${VENICE_BIN_DIR:-$ROOT/build}"
HOME_DIR="${VENICE_HOME:-$HOME/.venice}"
NODE=""
FROM=demo
ARTIFACTS="$ROOT/artifacts"
die() { echo "localnet/deploy-contracts: $*" >&2; exit 1; }
while [[ $# -gt 0 ]]; do
  case "$1" in
    --home) HOME_DIR="$2"; shift 2 ;;
    --node) NODE="$2"; shift 2 ;;
    --from) FROM="$2"; shift 2 ;;
    --artifacts) ARTIFACTS="$2"; shift 2 ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) die "unknown argument: $1" ;;
  esac
done
OUT="$HOME_DIR/contracts.env"
show() { sed -n 's/^export \(VENICE_[A-Z_]*\)=\(.*\)$/  \1=\2/p' "$OUT"; }
if [[ -f "$OUT" ]]; then
  echo "localnet/deploy-contracts: contracts already deployed ($OUT):"
  show
  exit 0
fi
for f in model_nft data_credential compute_credit; do
  [[ -f "$ARTIFACTS/$f.wasm" ]] || die "$ARTIFACTS/$f.wasm not found; run 'make contracts' first"
done
if [[ -z "$NODE" ]]; then  # this home's own RPC address
  laddr="$(awk '/^\[rpc\]/{s=1;next} /^\[/{s=0} s && $1=="laddr"{gsub(/"/,"",$3); print $3; exit}' "$HOME_DIR/config/config.toml")"
  NODE="http://${laddr#tcp://}"
fi
CHAIN_ID="$(jq -r .chain_id "$HOME_DIR/config/genesis.json")"
ADDR="$("$BIN/venice" keys show "$FROM" -a --keyring-backend test --home "$HOME_DIR")"

# Transactions need a committed block (the account must exist in state).
for ((i = 0; i < 600; i++)); do
  h="$("$BIN/venice" status --node "$NODE" --home "$HOME_DIR" --output json 2>/dev/null | jq -r '.sync_info.latest_block_height // 0' 2>/dev/null || echo 0)"
  [[ "${h:-0}" -ge 1 ]] 2>/dev/null && break
  sleep 0.1
done
[[ "${h:-0}" -ge 1 ]] 2>/dev/null || die "no block committed at $NODE within 60 s"

tx() {  # ARGS... -> TxResponse JSON (fails unless code 0)
  local resp
  resp="$("$BIN/venice" "$@" --from "$FROM" --node "$NODE" --chain-id "$CHAIN_ID" --home "$HOME_DIR" \
    --keyring-backend test --gas auto --gas-adjustment 1.5 --gas-prices 0.025uvvv --yes --output json)" \
    || die "venice $* failed"
  [[ "$(jq -r '.code' <<<"$resp")" == 0 ]] || die "venice $*: $(jq -c '{code, raw_log}' <<<"$resp")"
  echo "$resp"
}
attr() {  # TYPE KEY < TxResponse -> value (fails when the event is missing)
  jq -er --arg t "$1" --arg k "$2" '[.events[] | select(.type == $t) | .attributes[] | select(.key == $k) | .value][0]' \
    || die "no $1.$2 event attribute in the tx result"
}
store() { tx tx wasm store "$ARTIFACTS/$1.wasm" | attr store_code code_id; }
instantiate() {  # CODE_ID MSG LABEL -> contract address (admin: the deployer)
  tx tx wasm instantiate "$1" "$2" --label "$3" --admin "$ADDR" | attr instantiate _contract_address
}

echo "localnet/deploy-contracts: storing and instantiating the contracts as $FROM ($ADDR)..."
NFT_CODE="$(store model_nft)"
CRED_CODE="$(store data_credential)"
CREDIT_CODE="$(store compute_credit)"
MODEL_NFT="$(instantiate "$NFT_CODE" \
  "$(jq -nc --arg a "$ADDR" '{name: "Venice models", symbol: "VMODEL", admin: $a, mint_fee: null, fee_collector: $a}')" \
  "venice-models")"
# The inference module account consumes credentials of any dataset here
# (tasks whose input is a dataset spend one use each).
INFERENCE="$("$BIN/venice" debug module-address inference --output json | jq -r .address)"
DATA_CREDENTIAL="$(instantiate "$CRED_CODE" \
  "$(jq -nc --arg a "$ADDR" --arg i "$INFERENCE" '{admin: $a, consumers: [$i]}')" "venice-data-credentials")"
# The demo key holds the initial supply (1,000,000 VCU) and may mint more.
COMPUTE_CREDIT="$(instantiate "$CREDIT_CODE" \
  "$(jq -nc --arg a "$ADDR" '{name: "Venice compute credit", symbol: "VCU", decimals: 6,
      initial_balances: [{address: $a, amount: "1000000000000"}], mint: {minter: $a, cap: null},
      marketing: null, admin: $a}')" \
  "venice-compute-credits")"

# Each contract answers before the addresses are published.
q() { "$BIN/venice" query wasm contract-state smart "$1" "$2" --node "$NODE" --home "$HOME_DIR" --output json; }
q "$MODEL_NFT" '{"num_tokens":{}}' >/dev/null || die "model NFT $MODEL_NFT does not answer"
q "$COMPUTE_CREDIT" '{"token_info":{}}' >/dev/null || die "compute credit $COMPUTE_CREDIT does not answer"

cat >"$OUT.tmp" <<ENV
# Written by localnet/deploy-contracts.sh for chain $CHAIN_ID: source this file.
export VENICE_MODEL_NFT=$MODEL_NFT
export VENICE_DATA_CREDENTIAL=$DATA_CREDENTIAL
export VENICE_COMPUTE_CREDIT=$COMPUTE_CREDIT
export VENICE_MODEL_NFT_CODE_ID=$NFT_CODE
export VENICE_DATA_CREDENTIAL_CODE_ID=$CRED_CODE
export VENICE_COMPUTE_CREDIT_CODE_ID=$CREDIT_CODE
ENV
mv "$OUT.tmp" "$OUT"
echo "localnet/deploy-contracts: deployed ($OUT):"
show
