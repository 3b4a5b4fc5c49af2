"""The mTLS (RFC 8705) part of the second-issuer section: oidc-provider over https with client
certificates (apps/oidc_provider_mtls.js) and a resource server that checks certificate-bound
tokens (apps/mtls_api.js), both trusting a test CA made for this run (oidcp_certs.py), called by
the real `tokdbg --json token` / `call`. Each case is one row: expected vs measured.

Cells are (outcome, primary code, detail, exit code). `detail` is a check on the report's
fields against values this run knows (thumbprints computed here from the certificates, the
test CA's name), never on wording: "-" when the case has nothing more to check.
"""

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import oidcp_certs

RESOURCE = "https://mtls-api.interop.example/"

# case → (command, client id, auth method, certificate stem or None, secret or None, ca_file?,
#         token: None (fetched by the command) or the profile whose fetched token is given)
CASES = {
    "token_tls_client_auth": ("token", "oidcp-mtls", "tls_client_auth", "client", None, True, None),
    "token_self_signed_tls_client_auth": (
        "token", "oidcp-mtls-self-signed", "self_signed_tls_client_auth", "self-signed", None, True, None,
    ),
    # A certificate of the same CA whose subject is not the registered tls_client_auth_subject_dn.
    "tls_client_auth_other_subject": ("token", "oidcp-mtls", "tls_client_auth", "other", None, True, None),
    # The same profile without [tls] ca_file: the issuer's certificate is not trusted.
    "no_ca_file": ("call", "oidcp-mtls", "tls_client_auth", "client", None, False, None),
    # A client_secret_basic client whose tokens are certificate-bound, calling the mTLS API.
    "bound_token_call": ("call", "oidcp-mtls-bound", "client_secret_basic", "client", "oidcp-mtls-bound-secret", True, None),
    # Its token, given to a profile that presents another certificate, then none.
    "bound_token_other_certificate": (
        "call", "oidcp-mtls-bound", "client_secret_basic", "other", "oidcp-mtls-bound-secret", True, "bound_token_call",
    ),
    "bound_token_no_certificate": (
        "call", "oidcp-mtls-bound", "client_secret_basic", None, "oidcp-mtls-bound-secret", True, "bound_token_call",
    ),
    # The bound client asking for a token without a certificate: oidc-provider refuses the grant.
    "bound_client_without_certificate": (
        "token", "oidcp-mtls-bound", "client_secret_basic", None, "oidcp-mtls-bound-secret", True, None,
    ),
}

# `token` cases: (valid | invalid | error, first error code or "-", detail, exit);
# `call` cases: (verdict, primary code, detail, exit).
EXPECTED = {
    # detail: the token is not bound (these clients did not ask for bound tokens).
    "token_tls_client_auth": ("valid", "-", "unbound", 0),
    "token_self_signed_tls_client_auth": ("valid", "-", "unbound", 0),
    # detail: tokdbg's finding names the certificate presented (its x5t#S256) as the evidence.
    "tls_client_auth_other_subject": ("invalid", "invalid_client", "evidence=presented x5t#S256", 1),
    # detail: the finding names the test CA as the untrusted issuer.
    "no_ca_file": ("error", "tls_untrusted", "names the test CA", 3),
    # detail: cnf.x5t#S256 = client_certificate.thumbprint = the thumbprint computed here.
    "bound_token_call": ("allowed", "ok", "cnf = presented = client.pem", 0),
    # detail: the evidence has the bound thumbprint (expected) and the presented one (actual).
    "bound_token_other_certificate": ("denied", "token_binding_mismatch", "bound vs other.pem", 1),
    "bound_token_no_certificate": ("denied", "token_binding_mismatch", "bound vs none", 1),
    # detail: a token_binding_mismatch warning naming the discovery member
    # tls_client_certificate_bound_access_tokens; oidc-provider in production says only invalid_grant.
    "bound_client_without_certificate": ("invalid", "token_request_failed", "warns token_binding_mismatch", 1),
}


def profile_toml(name, issuer, api, client, method, cert, secret, ca_file, certs):
    lines = [f'name = "{name}"', "", "[issuer]", f'url = "{issuer}"', "", "[client]", f'id = "{client}"']
    lines.append(f'auth_method = "{method}"')
    if cert:
        lines.append(f'certificate = "file:{certs / (cert + ".pem")}"')
        lines.append(f'private_key = "file:{certs / (cert + ".key")}"')
    if secret:
        lines.append(f'secret = "{secret}"')
    lines += ['scopes = ["order:read"]', f'resource = "{RESOURCE}"', ""]
    if ca_file:
        lines += ["[tls]", f'ca_file = "{certs / "ca.pem"}"', ""]
    lines += [
        "[expect]",
        f'issuer = "{issuer}"',
        f'audience = "{RESOURCE}"',
        'algorithms = ["RS256"]',
        "leeway_secs = 0",
        'scope_claim = "scope"',
        "",
        "[[endpoints]]",
        'name = "route"',
        'method = "GET"',
        f'url = "{api}/api/protected"',
        'required_scopes = ["order:read"]',
    ]
    return "\n".join(lines) + "\n"


def _findings(out, severity=None):
    return [f for f in out.get("findings") or [] if severity is None or f.get("severity") == severity]


def _evidence(finding):
    return finding.get("evidence") or {}


def detail(case, out, certs):
    """The case's field check, in the words of EXPECTED's third column (or what was seen instead)."""
    claims = (out.get("token") or {}).get("claims") or {}
    bound = (claims.get("cnf") or {}).get("x5t#S256")
    thumb = {stem: oidcp_certs.thumbprint(certs / f"{stem}.pem") for stem in ("client", "other")}
    if case.startswith("token_"):
        return "unbound" if bound is None else f"bound {bound}"
    if case == "tls_client_auth_other_subject":
        first = (_findings(out, "error") or [{}])[0]
        actual = _evidence(first).get("actual") or ""
        return "evidence=presented x5t#S256" if thumb["other"] in actual else f"evidence.actual={actual[:50]!r}"
    if case == "no_ca_file":
        first = (_findings(out, "error") or [{}])[0]
        return "names the test CA" if oidcp_certs.CA_NAME in json.dumps(_evidence(first)) else "CA not named"
    if case == "bound_token_call":
        presented = (out.get("client_certificate") or {}).get("thumbprint")
        return "cnf = presented = client.pem" if bound and bound == presented == thumb["client"] else f"cnf {bound}, presented {presented}"
    if case.startswith("bound_token_"):
        mismatch = [f for f in _findings(out, "error") if f.get("code") == "token_binding_mismatch"]
        evidence = _evidence(mismatch[0]) if mismatch else {}
        want_actual = thumb["other"] if case == "bound_token_other_certificate" else None
        bound_ok = thumb["client"] in (evidence.get("expected") or "")
        actual_ok = want_actual in (evidence.get("actual") or "") if want_actual else thumb["client"] not in (evidence.get("actual") or "")
        if bound_ok and actual_ok:
            return "bound vs other.pem" if want_actual else "bound vs none"
        return f"evidence {evidence}"[:60]
    if case == "bound_client_without_certificate":
        # The certificate half of the warning names the discovery member that says tokens are bound
        # (the DPoP half, dpop_signing_alg_values_supported, may come too: oidc-provider speaks both).
        warned = [
            f for f in _findings(out, "warning")
            if f.get("code") == "token_binding_mismatch" and "tls_client_certificate_bound_access_tokens" in json.dumps(f)
        ]
        return "warns token_binding_mismatch" if warned else f"warnings {[f.get('code') for f in _findings(out, 'warning')]}"
    return "-"


def cell(case, command, out, returncode, certs):
    errors = [f.get("code") for f in _findings(out, "error")]
    if command == "call":
        outcome, code = out.get("verdict"), ((out.get("findings") or [{}])[0]).get("code")
    elif "error" in out and not out.get("findings"):
        outcome, code = "error", out["error"].get("kind")
    else:
        verified = bool(out.get("valid")) and bool((out.get("verification") or {}).get("valid"))
        outcome, code = ("valid" if verified else "invalid"), (errors[0] if errors else "-")
    return (outcome, code, detail(case, out, certs), returncode)


def run(tokdbg, start, stop):
    """Runs the mTLS cases against a fresh oidc-provider and API; prints the rows; returns 0 or 1."""
    work = Path(tempfile.mkdtemp(prefix="tokdbg-interop-mtls-"))
    certs = work / "certs"
    oidcp_certs.make(certs)
    profiles = work / "profiles"
    profiles.mkdir(mode=0o700)
    env = dict(os.environ, NODE_ENV="production")
    procs = []
    try:
        proc, line = start(["node", "apps/oidc_provider_mtls.js", str(certs), "0"], "issuer listening", env=env)
        procs.append(proc)
        issuer = line.split()[-1]
        proc, line = start(["node", "apps/mtls_api.js", issuer, str(certs), "0"], "listening", env=env)
        procs.append(proc)
        api = line.split()[-1]

        def tokdbg_json(*argv):
            done = subprocess.run(
                [tokdbg, "--profiles", str(profiles), "--json", *argv], capture_output=True, text=True, timeout=120
            )
            try:
                return json.loads(done.stdout), done.returncode
            except json.JSONDecodeError:
                return {"error": {"kind": (done.stderr.strip().splitlines() or ["no output"])[-1][:60]}}, done.returncode

        measured = {}
        for case, (command, client, method, cert, secret, ca_file, token_of) in CASES.items():
            name = f"mtls-{case}"
            path = profiles / f"{name}.toml"
            path.write_text(profile_toml(name, issuer, api, client, method, cert, secret, ca_file, certs))
            path.chmod(0o600)
            argv = [command, name]
            if token_of:
                done = subprocess.run(
                    [tokdbg, "--profiles", str(profiles), "token", f"mtls-{token_of}", "--raw"],
                    capture_output=True, text=True, timeout=120,
                )
                argv += ["--token", done.stdout.strip()]
            out, returncode = tokdbg_json(*argv)
            measured[case] = cell(case, command, out, returncode, certs)
        return report(measured)
    finally:
        stop(procs)
        # The run's keys and profiles go with it (test-only, but keys all the same).
        shutil.rmtree(work, ignore_errors=True)


def report(measured):
    print("\nsecond issuer: oidc-provider with mTLS (RFC 8705) over https, and an API checking cnf.x5t#S256")
    mismatches = 0
    for case, got in measured.items():
        want = EXPECTED[case]
        mark = "" if got == want else " ✗"
        mismatches += bool(mark)
        print(f"  {case:<34}{'/'.join(map(str, got)):<70}want {'/'.join(map(str, want))}{mark}")
    total = len(measured)
    print(f"\ninterop (oidc-provider mTLS): {total - mismatches}/{total} cases as expected, {mismatches} mismatches")
    return 1 if mismatches else 0
