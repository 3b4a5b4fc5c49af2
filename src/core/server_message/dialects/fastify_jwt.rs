//! @fastify/jwt (fast-jwt underneath) with get-jwks: their messages, and the key lookup's errors, which reach the client as a 500 unless the app maps them.

use super::{Answer, Dialect, Kind, Tier, rule};
use crate::core::server_message::{ServerDialect, StackWording};

pub(super) static DIALECT: Dialect = Dialect {
    id: ServerDialect::FastifyJwt,
    rules: &[
        // get-jwks src/get-jwks.js `errors.JWK_NOT_FOUND`: no key in the set for the token's kid
        // and alg. Its body is `{"code":"JWK_NOT_FOUND","message":"No matching JWK found in the set."}`.
        rule(Tier::KeyForKid, "no matching jwk found", Kind::NoVerificationKey),
        rule(Tier::KeyForKid, "jwk_not_found", Kind::NoVerificationKey),
        // @fastify/jwt 10 index.js `messages` defaults (FST_JWT_* codes).
        rule(Tier::NoToken, "no authorization was found in request.headers", Kind::TokenMissing),
        // (Its `Format is Authorization: Bearer [token]` is express-jwt's sentence too: read there.)
        rule(Tier::Algorithm, "unsigned authorization token", Kind::InvalidAlgorithm),
        rule(Tier::Expired, "authorization token expired", Kind::Expired),
        // fast-jwt src/verifier.js, behind "Authorization token is invalid: " (or alone in a
        // 500 when get-jwks' key callback threw first).
        rule(Tier::Algorithm, "the token algorithm is invalid", Kind::InvalidAlgorithm),
        rule(Tier::Algorithm, "the token signature is missing", Kind::InvalidAlgorithm),
        // The key get-jwks returned does not fit the allowed algorithms (an ES256 token at an
        // RS256 API): `Invalid public key provided for algorithms RS256.`
        rule(Tier::Algorithm, "invalid public key provided for algorithms", Kind::InvalidAlgorithm),
        rule(Tier::KeyVague, "the key option is missing", Kind::NoVerificationKey),
        rule(Tier::Signature, "the token signature is invalid", Kind::InvalidSignature),
        // `The token has expired at <ISO date>.` / `The token will be active at <ISO date>.`
        rule(Tier::Expired, "the token has expired at", Kind::Expired),
        rule(Tier::NotYetValid, "the token will be active at", Kind::NotYetValid),
    ],
    // get-jwks `errors.NO_JWKS` / `NO_JWKS_URI`: the set itself could not be had.
    key_outage: &["no jwks found in the response", "no valid jwks_uri"],
    generic_invalid: &[],
    challenge_codes: &[],
    detect: Some(detect),
    wording: Some(&WORDING),
};

/// Fastify's error body: `{"statusCode", "error", "message"}` (with a `code` such as
/// `FST_JWT_…`, `FAST_JWT_…` or get-jwks' `JWK_NOT_FOUND` when a plugin threw). Boom (hapi)
/// writes the same three keys, but with `attributes` on a 401, hapi's `cache-control:
/// no-cache` and no `code`; an Express app says so in `x-powered-by`.
fn detect(answer: &Answer<'_>) -> bool {
    let code = answer.json.as_ref().and_then(|j| j.get("code")).and_then(|c| c.as_str()).unwrap_or("");
    let plugin_code = code.starts_with("FST_") || code.starts_with("FAST_JWT_") || code == "JWK_NOT_FOUND";
    let other_framework = answer.json_has_keys(&["attributes"])
        || answer.header("x-powered-by").is_some()
        || answer.header("cache-control").is_some_and(|v| v.eq_ignore_ascii_case("no-cache"));
    answer.json_has_keys(&["statusCode", "error", "message"]) && (plugin_code || !other_framework)
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
