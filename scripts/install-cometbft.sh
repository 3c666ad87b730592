#!/usr/bin/env bash
# Installs the pinned CometBFT release with `go install` into a user cache and
# links it to ./build/cometbft. Idempotent: a cached binary of the right
# version is reused, so a second run takes milliseconds.
set -euo pipefail

COMETBFT_VERSION="${COMETBFT_VERSION:-v0.38.26}"   # newest v0.38 patch, pinned
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
CACHE_BIN="${VENICE_CACHE:-$HOME/.cache/venice}/bin/cometbft-${COMETBFT_VERSION}"
BUILD_DIR="$ROOT/build"
WANT="${COMETBFT_VERSION#v}"

version_of() { "$1" version 2>/dev/null | head -n1 || true; }

if [[ -x "$CACHE_BIN/cometbft" && "$(version_of "$CACHE_BIN/cometbft")" == "$WANT" ]]; then
  :
else
  # Go is the only prerequisite; fall back to the usual install locations when
  # it is not on PATH (e.g. a non-login shell).
  if ! command -v go >/dev/null 2>&1; then
    for d in /usr/local/go/bin /usr/lib/go/bin "$HOME/go/bin"; do
      [[ -x "$d/go" ]] && PATH="$d:$PATH" && break
    done
  fi
  if ! command -v go >/dev/null 2>&1; then
    # Debian's golang-go is too old for CometBFT 0.38: no fallback to it.
    echo "install-cometbft: Go >= 1.22 is required on PATH to build CometBFT (https://go.dev/doc/install)" >&2
    exit 1
  fi
  echo "install-cometbft: go install cometbft@${COMETBFT_VERSION} (first time only)" >&2
  mkdir -p "$CACHE_BIN"
  GOBIN="$CACHE_BIN" GOFLAGS="${GOFLAGS:-} -buildvcs=false" \
    go install "github.com/cometbft/cometbft/cmd/cometbft@${COMETBFT_VERSION}"
  got="$(version_of "$CACHE_BIN/cometbft")"
  if [[ "$got" != "$WANT" ]]; then
    echo "install-cometbft: installed binary reports version '$got', expected '$WANT'" >&2
    exit 1
  fi
fi

mkdir -p "$BUILD_DIR"
# A copy, not a link: ./build must keep working if the cache is wiped.
if ! cmp -s "$CACHE_BIN/cometbft" "$BUILD_DIR/cometbft" 2>/dev/null; then
  install -m 0755 "$CACHE_BIN/cometbft" "$BUILD_DIR/cometbft.tmp"
  mv -f "$BUILD_DIR/cometbft.tmp" "$BUILD_DIR/cometbft"
fi
echo "cometbft $(version_of "$BUILD_DIR/cometbft") at $BUILD_DIR/cometbft"
