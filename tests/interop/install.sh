#!/usr/bin/env bash
# Installs the interop suite's pinned middleware: npm packages into tests/interop/node_modules
# (from package-lock.json) and FastAPI + PyJWT into a venv at target/interop-venv.
# Skips with one line (exit 0) when node/npm or python3 is missing, so CI without them still passes.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"

. "$here/need-tools.sh"

start=$(date +%s)
cd "$here"
if [ -f package-lock.json ]; then
    npm ci --no-audit --no-fund --loglevel=error
else
    npm install --no-audit --no-fund --loglevel=error
fi

venv="$root/target/interop-venv"
# A venv is reused when its requirements stamp matches, so a rerun costs nothing.
stamp="$venv/.requirements"
if [ ! -x "$venv/bin/python" ] || ! cmp -s "$here/requirements.txt" "$stamp"; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$here/requirements.txt"
    cp "$here/requirements.txt" "$stamp"
fi
echo "interop: installed in $(( $(date +%s) - start ))s (node $(node --version), $("$venv/bin/python" --version))"
