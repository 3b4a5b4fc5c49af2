//! express-oauth2-jwt-bearer (Auth0's Express middleware, `jose` underneath): its claim validators' messages, which name the claim they reject.

use super::{Answer, Dialect, Kind, Matcher, Rule, Tier, rule};
use crate::core::server_message::{ServerDialect, StackWording};

pub(super) static DIALECT: Dialect = Dialect {
    id: ServerDialect::ExpressOauth2JwtBearer,
    rules: &[
        // claim-check.ts (`claimIncludes`, used by `requiredScopes`): `Missing '${claim}' claim`.
        // The reader hands the claim to the interpreter, which names it (or, for a registered
        // claim such as aud, the claim's own cause).
        Rule { tier: Tier::Scope, matcher: Matcher::Reader(missing_claim) },
        // validate.ts: `unexpected '${property}' value` (older releases quote with `"`), and
        // jose's JWTClaimValidationFailed: `unexpected "aud" claim value`.
        rule(Tier::Algorithm, "unexpected 'alg' value", Kind::InvalidAlgorithm),
        rule(Tier::Algorithm, "unexpected \"alg\" value", Kind::InvalidAlgorithm),
        rule(Tier::Expired, "unexpected 'exp' value", Kind::Expired),
        rule(Tier::Expired, "unexpected \"exp\" value", Kind::Expired),
        rule(Tier::Expired, "\"exp\" claim timestamp check failed", Kind::Expired),
        rule(Tier::NotYetValid, "\"nbf\" claim timestamp check failed", Kind::NotYetValid),
        rule(Tier::ClaimStated(0), "unexpected 'aud' value", Kind::Audience),
        rule(Tier::ClaimStated(0), "unexpected \"aud\" value", Kind::Audience),
        rule(Tier::ClaimStated(0), "unexpected \"aud\" claim value", Kind::Audience),
        rule(Tier::ClaimStated(0), "unexpected 'iss' value", Kind::Issuer),
        rule(Tier::ClaimStated(0), "unexpected \"iss\" value", Kind::Issuer),
        rule(Tier::ClaimStated(0), "unexpected \"iss\" claim value", Kind::Issuer),
        // jose's JWKSInvalid / fetch failure (jwks/remote.ts): `Expected 200 OK from the JSON Web
        // Key Set HTTP response`, when the JWKS URL answers another status.
        rule(Tier::KeyFetch, "expected 200 ok from the json web key set http response", Kind::Jwks),
        // jose's key check (lib/check_key_type.ts) when the API holds a secret (HS256 config) and
        // the token is RS256: `Key for the RS256 algorithm must be one of type KeyObject or
        // CryptoKey. Received an instance of Uint8Array`.
        rule(Tier::Algorithm, "algorithm must be one of type", Kind::InvalidAlgorithm),
        // jose's own claim and key errors, passed through as the description (jose 4/5/6:
        // lib/jwt_claims_set.ts, jwks/local.ts).
        rule(Tier::Expired, "'exp' claim timestamp check failed", Kind::Expired),
        rule(Tier::NotYetValid, "'nbf' claim timestamp check failed", Kind::NotYetValid),
        rule(Tier::Algorithm, "unsupported 'alg' value for a json web key set", Kind::InvalidAlgorithm),
        rule(Tier::KeyForKid, "no applicable key found in the json web key set", Kind::NoVerificationKey),
    ],
    key_outage: &[],
    generic_invalid: &[],
    challenge_codes: &[],
    detect: Some(detect),
    wording: Some(&WORDING),
};

/// `missing 'permissions' claim` (either quote): a claim the API requires and the token lacks.
fn missing_claim(lower: &str) -> Option<Kind> {
    let start = lower.find("missing ")? + "missing ".len();
    let rest = lower.get(start..)?;
    let quote = rest.chars().next().filter(|c| matches!(c, '\'' | '"'))?;
    let inner = rest.get(1..)?;
    let end = inner.find(quote)?;
    inner.get(end + 1..)?.trim_start().starts_with("claim").then_some(Kind::ClaimMissing)
}

/// Express, with the middleware's own challenge: `Bearer realm="api"` (its default realm),
/// which it sends on every refusal.
fn detect(answer: &Answer<'_>) -> bool {
    answer.header("x-powered-by").is_some_and(|v| v.eq_ignore_ascii_case("express"))
        && answer.header("www-authenticate").is_some_and(|v| v.to_ascii_lowercase().starts_with("bearer realm=\"api\""))
}

pub(super) static WORDING: StackWording = StackWording {
    product: "express-oauth2-jwt-bearer",
    issuer: "auth()'s `issuerBaseURL` (or `issuer`)",
    audience: "auth()'s `audience`",
    algorithms: "auth()'s `tokenSigningAlg` (and `secret` for HS256)",
    jwks: "Check auth()'s `issuerBaseURL` / `jwksUri` (reachable from the API host, with the issuer's full path: the middleware reads the JWKS at the discovery document's jwks_uri).",
    scope_claim: "the claim its check names: claimIncludes('{claim}', …) instead of requiredScopes",
    scope_check: "The API's scope check reads another place: requiredScopes reads the `scope` claim; scopeIncludesAny / claimIncludes read the claim they name. Check which the route uses and whether it needs all or any of the scopes.",
    hidden_cause: None,
};
