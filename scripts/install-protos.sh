#!/usr/bin/env bash
# Builds the protobuf descriptor set veniced embeds (its REST gateway routes
# and JSON, gRPC reflection and OpenAPI all come from it): the Cosmos SDK's
# and wasmd's .proto files with their google.api.http annotations, plus
# Venice's own proto/. The sources are the pinned Go modules, fetched with
# `go mod download` into Go's module cache; nothing is copied into the repo.
#
# Prints the descriptor set's path. Idempotent: a set built from the same
# versions and the same proto/ is reused.
set -euo pipefail

SDK_VERSION="${SDK_VERSION:-v0.53.6}"            # the SDK line wasmd v0.61 builds on
WASMD_VERSION="${WASMD_VERSION:-v0.61.14}"
GOGOPROTO_VERSION="${GOGOPROTO_VERSION:-v1.7.2}"
COSMOS_PROTO_VERSION="${COSMOS_PROTO_VERSION:-v1.0.0-beta.5}"
# google/api/{annotations,http}.proto, as vendored by grpc-gateway v1 (the
# gateway the SDK runs).
GATEWAY_VERSION="${GATEWAY_VERSION:-v1.16.0}"

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
CACHE="${VENICE_CACHE:-$HOME/.cache/venice}/protos"

die() { echo "install-protos: $*" >&2; exit 1; }

if ! command -v protoc >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1 && [[ "$(id -u)" == 0 ]]; then
    echo "install-protos: installing protobuf-compiler with apt-get" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq protobuf-compiler >/dev/null
  else
    die "protoc not found; install Debian's protobuf-compiler"
  fi
fi
if ! command -v go >/dev/null 2>&1; then
  for d in /usr/local/go/bin /usr/lib/go/bin; do [[ -x "$d/go" ]] && PATH="$d:$PATH" && break; done
fi
command -v go >/dev/null 2>&1 || die "Go >= 1.22 is required on PATH (https://go.dev/doc/install)"

# The set's name records every input, so a change of version or of proto/ builds a new one.
own_sum="$(cd "$ROOT" && find proto -name '*.proto' -print0 | sort -z | xargs -0 cat | sha256sum | cut -c1-12)"
key="sdk-${SDK_VERSION}_wasmd-${WASMD_VERSION}_gogo-${GOGOPROTO_VERSION}_cp-${COSMOS_PROTO_VERSION}_gw-${GATEWAY_VERSION}_venice-${own_sum}"
OUT="$CACHE/$key.binpb"
LINK="$CACHE/descriptors.binpb"
if [[ -s "$OUT" ]]; then
  ln -sfn "$OUT" "$LINK"
  echo "$LINK"
  exit 0
fi

# go mod download needs no go.mod of ours; run it from a scratch directory.
SCRATCH="$(mktemp -d)"
trap 'rm -rf "$SCRATCH"' EXIT
dir_of() {
  local mod="$1" dir
  dir="$(cd "$SCRATCH" && GOFLAGS=-mod=mod go mod download -json "$mod" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')"
  [[ -n "$dir" && -d "$dir" ]] || die "go mod download $mod failed"
  echo "$dir"
}
echo "install-protos: fetching Cosmos SDK ${SDK_VERSION}, wasmd ${WASMD_VERSION} protos (first time only)" >&2
SDK="$(dir_of "github.com/cosmos/cosmos-sdk@${SDK_VERSION}")/proto"
WASMD="$(dir_of "github.com/CosmWasm/wasmd@${WASMD_VERSION}")/proto"
GOGO="$(dir_of "github.com/cosmos/gogoproto@${GOGOPROTO_VERSION}")"
CPROTO="$(dir_of "github.com/cosmos/cosmos-proto@${COSMOS_PROTO_VERSION}")/proto"
GAPI="$(dir_of "github.com/grpc-ecosystem/grpc-gateway@${GATEWAY_VERSION}")/third_party/googleapis"

mkdir -p "$CACHE"
files=()
while IFS= read -r f; do files+=("$f"); done < <(
  (cd "$SDK" && find cosmos amino -name '*.proto') | sort
  (cd "$WASMD" && find cosmwasm -name '*.proto') | sort
  (cd "$ROOT/proto" && find . -name '*.proto' | sed 's|^\./||') | sort
)
# Source info keeps the comments, which the OpenAPI document shows.
protoc -I"$ROOT/proto" -I"$SDK" -I"$WASMD" -I"$GOGO" -I"$CPROTO" -I"$GAPI" \
  --include_imports --include_source_info -o "$OUT.tmp" "${files[@]}"
mv "$OUT.tmp" "$OUT"
ln -sfn "$OUT" "$LINK"
echo "install-protos: built $OUT (${#files[@]} files)" >&2
echo "$LINK"
