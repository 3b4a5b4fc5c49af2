//! @fastify/jwt with get-jwks: the key lookup's errors, which reach the client as a 500 unless the app maps them.

use super::{Answer, Dialect, Kind, Tier, rule};
use crate::core::server_message::{ServerDialect, StackWording};

pub(super) static DIALECT: Dialect = Dialect {
    id: ServerDialect::FastifyJwt,
    rules: &[
        // get-jwks src/get-jwks.js `errors.JWK_NOT_FOUND`: no key in the set for the token's kid
        // and alg. Its body is `{"code":"JWK_NOT_FOUND","message":"No matching JWK found in the set."}`.
        rule(Tier::KeyForKid, "no matching jwk found", Kind::NoVerificationKey),
        rule(Tier::KeyForKid, "jwk_not_found", Kind::NoVerificationKey),
    ],
    // get-jwks `errors.NO_JWKS` / `NO_JWKS_URI`: the set itself could not be had.
    key_outage: &["no jwks found in the response", "no valid jwks_uri"],
    generic_invalid: &[],
    challenge_codes: &[],
    detect: Some(detect),
    wording: Some(&WORDING),
};

/// Fastify's error body, `{"statusCode", "error", "message"}`, with a @fastify/jwt or
/// fast-jwt code (`FST_JWT_…`, `FAST_JWT_…`) or get-jwks' `JWK_NOT_FOUND`.
fn detect(answer: &Answer<'_>) -> bool {
    let code = answer.json.as_ref().and_then(|j| j.get("code")).and_then(|c| c.as_str()).unwrap_or("");
    answer.json_has_keys(&["statusCode", "error", "message"])
        && (code.starts_with("FST_JWT_") || code.starts_with("FAST_JWT_") || code == "JWK_NOT_FOUND")
}

pub(super) static WORDING: StackWording = StackWording {
    product: "@fastify/jwt",
    issuer: "@fastify/jwt's `verify.allowedIss`",
    audience: "@fastify/jwt's `verify.allowedAud`",
    algorithms: "@fastify/jwt's `verify.algorithms` (and the secret or key it is given)",
    jwks: "Check the issuer get-jwks is given (it fetches <issuer>/.well-known/jwks.json unless `providerDiscovery` is on): reachable from the API host, with the issuer's full path.",
    scope_claim: "the onRequest hook's scope check: read request.user.{claim}",
    scope_check: "The API's scope check reads another place: check the claim the route's hook reads (request.user.scope or another), its shape (a space-separated string or an array), and whether it needs all or any of the scopes.",
    hidden_cause: None,
};
