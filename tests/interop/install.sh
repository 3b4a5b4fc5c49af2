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
# npm ci always wipes node_modules: skip it when npm's own record of what is installed
# (node_modules/.package-lock.json) already holds every locked package at its version and integrity.
npm_current() {
    [ -f node_modules/.package-lock.json ] && node -e '
        const locked = require("./package-lock.json").packages, installed = require("./node_modules/.package-lock.json").packages;
        const names = Object.keys(locked).filter((name) => name !== "");
        const same = names.every((n) => installed[n] && installed[n].version === locked[n].version && installed[n].integrity === locked[n].integrity);
        process.exit(same && names.length === Object.keys(installed).length ? 0 : 1);
    ' 2>/dev/null
}
if [ -f package-lock.json ] && npm_current; then
    :
elif [ -f package-lock.json ]; then
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
