#!/usr/bin/env bash
# Installs the cosmjs end-to-end test's Node packages (tests/cosmjs) exactly
# as pinned by its package-lock.json. Skips `npm ci` when node_modules already
# matches the lock file, so repeated runs cost nothing.
set -euo pipefail
DIR="$(cd "$(dirname "$0")/../tests/cosmjs" && pwd)"
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1 && [[ "$(id -u)" == 0 ]]; then
    echo "install-cosmjs-deps: installing nodejs and npm with apt-get" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
  else
    echo "install-cosmjs-deps: Node.js >= 20 and npm are required" >&2; exit 1
  fi
fi
major="$(node -p 'process.versions.node.split(".")[0]')"
[[ "$major" -ge 20 ]] || { echo "install-cosmjs-deps: Node.js >= 20 required, found $(node --version)" >&2; exit 1; }
# A stamp of the lock file's hash, written after a successful `npm ci`, says
# the tree is already what the lock asks for.
STAMP="$DIR/node_modules/.venice-lock.sha256"
want="$(sha256sum "$DIR/package-lock.json" | cut -d' ' -f1)"
if [[ -f "$STAMP" && "$(cat "$STAMP")" == "$want" ]]; then
  exit 0
fi
(cd "$DIR" && npm ci --no-audit --no-fund --prefer-offline)
echo "$want" > "$STAMP"
