#!/usr/bin/env bash
# Installs the wasm32 contract toolchain (see DESIGN.md, "Contract toolchain"):
# Debian's Rust 1.96 with its standard-library sources, which builds std for
# wasm32-unknown-unknown itself (rustup cannot fetch that target here), and
# lld-22, the linker its rust-lld points at. Idempotent: a no-op (a dpkg query)
# once installed.
set -euo pipefail

# Pinned: the wasm checksums committed in contracts/checksums.txt depend on
# the exact compiler and linker. rust-web-llvm ships /usr/bin/rust-lld (a
# link to lld-22); rustc-web only *recommends* it, so it is named here.
RUST_VERSION="1.96.0+dfsg1-1~deb12u2"
PKGS=(rustc-web cargo-web rust-web-src rust-web-llvm)
LLD_PKG=lld-22
LLD_VERSION="1:22.1.8-1~deb12u1"

installed_version() { dpkg-query -W -f='${Status} ${Version}\n' "$1" 2>/dev/null | awk '$3=="installed"{print $4}'; }

missing=()
for p in "${PKGS[@]}"; do
  [[ "$(installed_version "$p")" == "$RUST_VERSION" ]] || missing+=("$p=$RUST_VERSION")
done
[[ "$(installed_version "$LLD_PKG")" == "$LLD_VERSION" ]] || missing+=("$LLD_PKG=$LLD_VERSION")

if ((${#missing[@]})); then
  SUDO=()
  [[ "$(id -u)" == 0 ]] || SUDO=(sudo)
  echo "contracts toolchain: installing ${missing[*]}"
  "${SUDO[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq --no-install-recommends --allow-downgrades "${missing[@]}"
fi

/usr/bin/rustc --version | grep -q '^rustc 1\.96\.0' || {
  echo "contracts toolchain: /usr/bin/rustc is $(/usr/bin/rustc --version), expected 1.96.0" >&2
  exit 1
}
/usr/bin/rust-lld -flavor wasm --version >/dev/null 2>&1 || {
  echo "contracts toolchain: /usr/bin/rust-lld does not run (package rust-web-llvm, $LLD_PKG)" >&2
  exit 1
}
[[ -d /usr/lib/rustlib/src/rust/library ]] || {
  echo "contracts toolchain: std sources missing (package rust-web-src)" >&2
  exit 1
}
