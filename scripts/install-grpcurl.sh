#!/usr/bin/env bash
# Installs the pinned grpcurl with `go install` into the tool cache; the gRPC
# end-to-end test lists the node's services with it, as an operator would.
# Idempotent: a cached binary is reused.
set -euo pipefail

GRPCURL_VERSION="${GRPCURL_VERSION:-v1.9.3}"
BIN_DIR="${VENICE_CACHE:-$HOME/.cache/venice}/tools/grpcurl-${GRPCURL_VERSION}"
[[ -x "$BIN_DIR/grpcurl" ]] && exit 0
if ! command -v go >/dev/null 2>&1; then
  for d in /usr/local/go/bin /usr/lib/go/bin; do [[ -x "$d/go" ]] && PATH="$d:$PATH" && break; done
fi
command -v go >/dev/null 2>&1 || { echo "install-grpcurl: Go >= 1.22 is required on PATH" >&2; exit 1; }
echo "install-grpcurl: go install grpcurl@${GRPCURL_VERSION} (first time only)" >&2
mkdir -p "$BIN_DIR"
GOBIN="$BIN_DIR" GOFLAGS="${GOFLAGS:-} -buildvcs=false" go install "github.com/fullstorydev/grpcurl/cmd/grpcurl@${GRPCURL_VERSION}"
