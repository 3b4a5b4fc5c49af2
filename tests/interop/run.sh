#!/usr/bin/env bash
# The interop suite: real JWT middleware (pinned, from npm and PyPI) on loopback, each trusting
# `tokdbg demo serve`, called by the real `tokdbg call --json` for every stack × case.
# Prints the measured matrix and the mismatches against the expected one; exits 1 on a mismatch.
# Skips (exit 0, one line) when node, npm or python3 is missing.
#   tests/interop/run.sh [--capture] [--stacks express_jwt,koa_jwt]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"

. "$here/need-tools.sh"

"$here/install.sh"
(cd "$root" && cargo build --locked --quiet)
exec "$root/target/interop-venv/bin/python" "$here/runner.py" --tokdbg "$root/target/debug/tokdbg" "$@"
