#!/usr/bin/env bash
# What building and testing venice-sidecar needs, installed idempotently:
#   protoc        (Debian protobuf-compiler; tonic-build calls it)
#   ONNX Runtime  (scripts/sidecar-onnxruntime.sh)
# Fast when everything is already there.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
if ! command -v protoc >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1 && [[ "$(id -u)" == 0 ]]; then
    echo "sidecar-setup: installing protobuf-compiler with apt-get" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq protobuf-compiler >/dev/null
  else
    echo "sidecar-setup: protoc not found; install Debian's protobuf-compiler (or set PROTOC)" >&2
    exit 1
  fi
fi
bash "$root/scripts/sidecar-onnxruntime.sh" "$@" >/dev/null
