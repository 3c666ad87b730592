#!/usr/bin/env bash
# Runs every tool the two commands rely on, once, and names each one that is
# missing or the wrong version, with how to get it. Never trusts a package
# name: a tool counts only if running it works.
#
#   scripts/check-tools.sh          everything `make test` needs
#   scripts/check-tools.sh --run    only what `make run` needs
#
# Exit status 1 when anything is missing (all problems are listed first).
set -uo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
CACHE="${VENICE_CACHE:-$HOME/.cache/venice}"
COMETBFT_VERSION="${COMETBFT_VERSION:-v0.38.26}"
ORT_VERSION="${ORT_VERSION:-1.32.0}"
COSMWASM_CHECK_VERSION=3.0.10
GRPCURL_VERSION="${GRPCURL_VERSION:-v1.9.3}"
mode="${1:-test}"

missing=0
ok() { printf '  ok   %-16s %s\n' "$1" "$2"; }
bad() { printf '  MISSING %-13s %s\n' "$1" "$2" >&2; missing=$((missing + 1)); }

# check NAME HOW-TO-GET COMMAND...: runs COMMAND, shows its first line.
check() {
  local name="$1" how="$2"; shift 2
  local out
  if out="$("$@" 2>&1)"; then ok "$name" "$(head -n1 <<<"$out")"; else bad "$name" "$how"; fi
}

# version_at_least HAVE WANT (dotted numbers)
version_at_least() { [[ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" == "$2" ]]; }

# Go may be installed outside PATH (a non-login shell): look where
# install-cometbft.sh looks.
command -v go >/dev/null 2>&1 || for d in /usr/local/go/bin /usr/lib/go/bin; do [[ -x "$d/go" ]] && PATH="$d:$PATH" && break; done

echo "checking tools (${mode})"

# Preinstalled on the machine (README: "Before the two commands").
check cargo "Rust >= 1.95 by rustup (https://rustup.rs)" cargo --version
if out="$(rustc --version 2>/dev/null)" && version_at_least "$(awk '{print $2}' <<<"$out")" 1.95.0; then ok rustc "$out"; else bad rustc "rustc >= 1.95 by rustup ('rustup update stable')"; fi
check cc "a C compiler (Debian: apt-get install gcc)" cc --version
if out="$(go version 2>/dev/null)" && version_at_least "$(grep -oE 'go[0-9]+\.[0-9]+(\.[0-9]+)?' <<<"$out" | head -n1 | tr -d go)" 1.22; then ok go "$out"; else bad go "Go >= 1.22 on PATH (https://go.dev/doc/install); CometBFT is built with it"; fi
check jq "Debian: apt-get install jq (scripts/install-chain-tools.sh)" jq --version
check setsid "Debian: util-linux" setsid --version
check protoc "Debian: apt-get install protobuf-compiler (scripts/install-protos.sh)" protoc --version
check descriptors "scripts/install-protos.sh (SDK + wasmd protos by go mod download, then protoc)" \
  bash -c "test -s '$CACHE/protos/descriptors.binpb' && echo \"\$(basename \"\$(readlink '$CACHE/protos/descriptors.binpb')\")\""
check cometbft "scripts/install-cometbft.sh (go install, pinned ${COMETBFT_VERSION})" bash -c "[[ \"\$('$ROOT/build/cometbft' version)\" == '${COMETBFT_VERSION#v}' ]] && echo 'cometbft ${COMETBFT_VERSION#v}'"

if [[ "$mode" == "test" ]]; then
  if out="$(python3 --version 2>&1)" && version_at_least "$(awk '{print $2}' <<<"$out")" 3.9; then ok python3 "$out"; else bad python3 "Python >= 3.9 with pip"; fi
  check pip "pip for python3 (Debian: python3-pip)" python3 -m pip --version
  check python3-venv "the venv module (Debian: python3-venv)" python3 -c 'import venv, ensurepip; print("venv + ensurepip")'
  if out="$(node --version 2>/dev/null)" && version_at_least "${out#v}" 20.0.0; then ok node "$out"; else bad node "Node.js >= 20 with npm"; fi
  check npm "npm (comes with Node.js)" npm --version
  check grpcurl "scripts/install-grpcurl.sh (go install, pinned ${GRPCURL_VERSION})" "$CACHE/tools/grpcurl-${GRPCURL_VERSION}/grpcurl" -version
  check rustc-web "Debian: rustc-web 1.96 (scripts/contracts-toolchain.sh)" bash -c '/usr/bin/rustc --version | grep "^rustc 1\.96\.0"'
  check cargo-web "Debian: cargo-web 1.96 (scripts/contracts-toolchain.sh)" /usr/bin/cargo --version
  check rust-web-src "Debian: rust-web-src (scripts/contracts-toolchain.sh)" bash -c 'test -f /usr/lib/rustlib/src/rust/library/std/src/lib.rs && echo "std sources for wasm32"'
  check rust-lld "Debian: rust-web-llvm + lld-22 (scripts/contracts-toolchain.sh)" /usr/bin/rust-lld -flavor wasm --version
  check cosmwasm-check "scripts/install-cosmwasm-check.sh (cargo install, pinned ${COSMWASM_CHECK_VERSION})" bash -c "'$CACHE/tools/bin/cosmwasm-check' --version | grep ' ${COSMWASM_CHECK_VERSION}\$'"
  # The library must load, not just exist: dlopen it and find its entry point.
  lib="$CACHE/onnxruntime/$ORT_VERSION/libonnxruntime.so.$ORT_VERSION"
  check onnxruntime "scripts/sidecar-onnxruntime.sh (from the onnxruntime ${ORT_VERSION} wheel)" \
    python3 -c "import ctypes,sys; ctypes.CDLL(sys.argv[1]).OrtGetApiBase; print('libonnxruntime ${ORT_VERSION} loads')" "$lib"
  check cosmjs "scripts/install-cosmjs-deps.sh (npm ci in tests/cosmjs)" \
    node -e "require('$ROOT/tests/cosmjs/node_modules/@cosmjs/stargate/package.json'); console.log('@cosmjs/stargate ' + require('$ROOT/tests/cosmjs/node_modules/@cosmjs/stargate/package.json').version)"
fi

if ((missing)); then
  echo "check-tools: $missing tool(s) missing or unusable (listed above)" >&2
  exit 1
fi
echo "check-tools: all tools run"
