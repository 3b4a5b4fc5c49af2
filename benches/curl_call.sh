#!/usr/bin/env bash
# The four steps of a call done by hand with curl (for benches/run.sh): discovery, token,
# JWKS, the API request with the token. Usage: benches/curl_call.sh http://127.0.0.1:PORT
set -euo pipefail
base=$1
curl -fsS "$base/oidc/.well-known/openid-configuration" -o /dev/null
token=$(curl -fsS -X POST -d grant_type=client_credentials -d client_id=demo-reader \
  -d client_secret=demo-reader-secret -d scope=order:read "$base/oidc/token" |
  sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p')
curl -fsS "$base/oidc/.well-known/jwks.json" -o /dev/null
curl -fsS -H "Authorization: Bearer $token" "$base/api/protected" -o /dev/null
