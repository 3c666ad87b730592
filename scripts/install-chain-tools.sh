#!/usr/bin/env bash
# Small system tools the localnet scripts and end-to-end tests use (jq for
# genesis edits). Idempotent: does nothing when they are present.
set -euo pipefail
missing=()
command -v jq >/dev/null 2>&1 || missing+=(jq)
[[ ${#missing[@]} -eq 0 ]] && exit 0
if command -v apt-get >/dev/null 2>&1 && [[ "$(id -u)" == 0 ]]; then
  echo "install-chain-tools: installing ${missing[*]} with apt-get" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
else
  echo "install-chain-tools: please install: ${missing[*]}" >&2
  exit 1
fi
