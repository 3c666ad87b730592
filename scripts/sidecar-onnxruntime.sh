#!/usr/bin/env bash
# Installs the ONNX Runtime shared library the sidecar loads at run time
# (`ort` with load-dynamic), from the registry's `onnxruntime` wheel, into
#   $HOME/.cache/venice/onnxruntime/<version>/libonnxruntime.so.<version>
# and links it as build/lib/libonnxruntime.so (beside build/venice-sidecar),
# two of the places the sidecar looks without any setting.
#
#   --gpu   also fetch `onnxruntime-gpu` (CUDA execution provider) and its
#           CUDA/cuDNN wheels into $HOME/.cache/venice/onnxruntime-gpu/
#           (several GiB; only useful on a machine with an NVIDIA GPU).
# Idempotent: does nothing when the library is already in place.
set -euo pipefail
VERSION="${ORT_VERSION:-1.32.0}"
GPU_VERSION="${ORT_GPU_VERSION:-1.31.1}"
root="$(cd "$(dirname "$0")/.." && pwd)"
cache="${VENICE_CACHE:-$HOME/.cache/venice}"
dest="$cache/onnxruntime/$VERSION"
lib="$dest/libonnxruntime.so.$VERSION"
py="$(command -v python3)"

fetch_wheel() { # package version dir
  local dl; dl="$(mktemp -d)"
  "$py" -m pip download --quiet --disable-pip-version-check "$1==$2" --no-deps \
    --only-binary=:all: --platform manylinux_2_28_x86_64 --python-version 3.11 -d "$dl" >&2
  "$py" -m zipfile -e "$dl"/*.whl "$3"
  rm -rf "$dl"
}

if [[ ! -f "$lib" ]]; then
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  fetch_wheel onnxruntime "$VERSION" "$work"
  mkdir -p "$dest"
  cp "$work/onnxruntime/capi/libonnxruntime.so.$VERSION" "$lib.tmp"
  mv "$lib.tmp" "$lib"
  echo "onnxruntime: installed $lib"
fi
mkdir -p "$root/build/lib"
ln -sfn "$lib" "$root/build/lib/libonnxruntime.so"

if [[ "${1:-}" == "--gpu" ]]; then
  gdest="$cache/onnxruntime-gpu"
  if [[ ! -f "$gdest/lib/libonnxruntime_providers_cuda.so" ]]; then
    work="$(mktemp -d)"
    fetch_wheel onnxruntime-gpu "$GPU_VERSION" "$work"
    mkdir -p "$gdest/lib"
    cp "$work"/onnxruntime/capi/libonnxruntime*.so* "$gdest/lib/"
    # CUDA 13 runtime, cuBLAS, cuFFT, cuRAND, cuDNN: the wheel's [cuda,cudnn] extras.
    "$py" -m pip install --quiet --disable-pip-version-check --target "$gdest/nvidia-site" \
      --only-binary=:all: "onnxruntime-gpu[cuda,cudnn]==$GPU_VERSION" >&2
    rm -rf "$work"
    echo "onnxruntime-gpu: installed in $gdest"
  fi
fi
echo "onnxruntime: $lib"
