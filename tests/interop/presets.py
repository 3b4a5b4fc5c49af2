"""The presets section of the interop suite: the same tokens judged by the real middleware and by `tokdbg verify --as STACK`.

Each case mints a token signed by the demo issuer's own key (src/demo/keys/rsa1.pem, kid
demo-rsa-1, which `tokdbg demo serve` publishes) with chosen times — 3 s and 61 s expired, iat
120 s ahead, nbf 30 s ahead, no exp, no aud — sends it to each real app's /api/protected (its
verifier configured with issuer, audience and RS256 only: every other setting is the library's
default), then runs `tokdbg --json verify TOKEN --issuer … --aud demo-app --alg RS256 --as STACK`.
The real verdict is "accepted" for a 200; tokdbg's is `valid`. A cell that differs fails the run.
Run alone with INTEROP_SECTION=presets.
"""

import json
import os
import subprocess
import tempfile
import time
from pathlib import Path

import jwt

import runner

# runner's stack name → tokdbg's stack (koa_jwt_debug is koa-jwt again: left out).
PRESET_STACKS = {
    "express_jwt": "express-jwt",
    "express_oauth2_jwt_bearer": "express-oauth2-jwt-bearer",
    "fastify_jwt": "fastify-jwt",
    "koa_jwt": "koa-jwt",
    "fastapi_pyjwt": "pyjwt",
    "passport_jwt": "passport-jwt",
}

# Apps only this section starts (the main matrix's STACKS does not list them).
PRESET_ONLY_APPS = {
    "passport_jwt": ["node", "apps/passport_jwt.js"],
}

# case → claim changes: a number is an offset from the second of minting, None removes the claim.
PRESET_CASES = {
    "valid": {},
    "exp_3s_ago": {"exp": -3},
    "exp_61s_ago": {"exp": -61},
    "iat_120s_ahead": {"iat": 120},
    "nbf_30s_ahead": {"nbf": 30},
    "no_exp": {"exp": None},
    "no_aud": {"aud": None},
}

# What the research measured with these libraries (presets-research.md), for the report only:
# the verdict compared is the real app's answer in this run.
MEASURED_STATUS = {
    ("fastify_jwt", "nbf_30s_ahead"): 500,
}


def mint(issuer, changes):
    now = int(time.time())
    claims = {
        "iss": issuer,
        "sub": "demo-reader",
        "aud": "demo-app",
        "client_id": "demo-reader",
        "jti": f"presets-{now}",
        "scope": "order:read",
        "iat": now,
        "exp": now + 600,
    }
    for name, change in changes.items():
        if change is None:
            claims.pop(name, None)
        else:
            claims[name] = now + change
    key = (runner.KEYS / "rsa1.pem").read_text()
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": "demo-rsa-1"})


def presets_main():
    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument("--tokdbg", default=str(runner.ROOT / "target/debug/tokdbg"))
    args, _ = parser.parse_known_args()
    work = Path(tempfile.mkdtemp(prefix="tokdbg-interop-presets-"))
    env = dict(os.environ, NODE_ENV="production")
    procs = []
    try:
        demo, line = runner.start([args.tokdbg, "demo", "serve", "--addr", "127.0.0.1:0"], "demo issuer")
        procs.append(demo)
        issuer = line.split()[-1]
        bases = {}
        for stack in PRESET_STACKS:
            command = PRESET_ONLY_APPS.get(stack) or runner.STACKS[stack][1]
            proc, line = runner.start([*command, issuer, "0"], "listening", env=env)
            procs.append(proc)
            bases[stack] = line.split()[-1]
        cells = {}
        for case, changes in PRESET_CASES.items():
            for stack, name in PRESET_STACKS.items():
                # Minted per cell, just before the request: the time claims are exact to the second.
                token = mint(issuer, changes)
                status, _, _, _ = runner.raw_answer(bases[stack] + "/api/protected", "GET", token)
                done = subprocess.run(
                    [args.tokdbg, "--profiles", str(work), "--json", "verify", token, "--issuer", issuer,
                     "--aud", "demo-app", "--alg", "RS256", "--as", name],
                    capture_output=True, text=True, timeout=60,
                )
                try:
                    out = json.loads(done.stdout)
                    valid = bool(out.get("valid"))
                    failed = (out.get("stacks") or [{}])[0].get("failed") or []
                except json.JSONDecodeError:
                    valid, failed = None, [(done.stderr.strip().splitlines() or ["no output"])[-1][:60]]
                cells[(stack, case)] = (status, valid, failed)
        return presets_report(cells)
    finally:
        runner.stop(procs)


def presets_report(cells):
    print("\npresets: the real middleware's answer vs `tokdbg verify --as STACK` (same token)")
    width = max(len(c) for c in PRESET_CASES) + 2
    print(f"{'case':<{width}}" + "".join(f"{PRESET_STACKS[s]:<27} " for s in PRESET_STACKS))
    mismatches = []
    for case in PRESET_CASES:
        row = f"{case:<{width}}"
        for stack in PRESET_STACKS:
            status, valid, failed = cells[(stack, case)]
            accepted = status == 200
            mark = "" if valid == accepted else " ✗"
            judged = "valid" if valid else "fails " + ",".join(failed) if valid is not None else "?"
            row += f"{f'{status} / {judged}{mark}':<27} "
            if mark:
                mismatches.append((stack, case, status, valid, failed))
        print(row)
    print()
    for stack, case, status, valid, failed in mismatches:
        print(f"MISMATCH presets {PRESET_STACKS[stack]} × {case}: HTTP {status}, tokdbg valid={valid} failed={failed}")
    for (stack, case), want in MEASURED_STATUS.items():
        got = cells.get((stack, case), (None,))[0]
        if got != want:
            print(f"note: {PRESET_STACKS[stack]} × {case} answered {got}, the research measured {want}")
    total = len(cells)
    print(f"\ninterop (presets): {total - len(mismatches)}/{total} cells as expected, {len(mismatches)} mismatches")
    return 1 if mismatches else 0


if __name__ == "__main__":
    raise SystemExit(presets_main())
