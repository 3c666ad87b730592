#!/usr/bin/env bash
# `make models`: the real models under models/ (committed, small, reproducible
# by scripts/models-make.py). Verifies each file against the sha256 recorded in
# models/index.json; rebuilds with the pinned venv only when something is
# missing or does not match. Idempotent.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="$root/models"
ok=1
if [[ -f "$dir/index.json" ]]; then
  while read -r sha file; do
    [[ -f "$dir/$file" ]] && [[ "$(sha256sum "$dir/$file" | cut -d' ' -f1)" == "$sha" ]] || { ok=0; break; }
  done < <(python3 -c 'import json,sys; [print(m["sha256"], m["file"]) for m in json.load(open(sys.argv[1]))["models"]]' "$dir/index.json")
else
  ok=0
fi
if [[ $ok == 1 ]]; then
  echo "models: up to date ($(ls "$dir"/*.onnx | wc -l) models in models/)"
  exit 0
fi
py="$("$root/scripts/models-venv.sh")"
"$py" "$root/scripts/models-make.py" --out "$dir"
