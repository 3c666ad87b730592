#!/usr/bin/env bash
# Creates (once) the Python venv that scripts/models-make.py runs in, under
# $HOME/.cache/venice/, with the pinned packages of models-requirements.txt.
# Prints the venv's python. Fast when already done: a stamp holds the
# requirements' hash.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
req="$here/models-requirements.txt"
venv="${VENICE_CACHE:-$HOME/.cache/venice}/models-venv"
stamp="$venv/.requirements.sha256"
want="$(sha256sum "$req" | cut -d' ' -f1)"
if [[ -x "$venv/bin/python" && -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
  echo "$venv/bin/python"; exit 0
fi
py="$(command -v python3.11 || command -v python3)"
"$py" -m venv "$venv" >&2
"$venv/bin/pip" install --quiet --disable-pip-version-check -r "$req" >&2
echo "$want" > "$stamp"
echo "$venv/bin/python"
