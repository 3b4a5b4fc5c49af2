//! FastAPI (Starlette `{"detail": …}` bodies): its security classes' words, PyJWT's messages as FastAPI apps pass them on, and the claim checks of the common Auth0 FastAPI samples.

use super::{Answer, Dialect, Kind, Matcher, Rule, Tier, rule};
use crate::core::server_message::{ServerDialect, StackWording};

pub(super) static DIALECT: Dialect = Dialect {
    id: ServerDialect::FastApi,
    rules: &[
        // fastapi/security/http.py (HTTPBearer) and oauth2.py (OAuth2PasswordBearer): no usable
        // `Authorization: Bearer` header. HTTPBearer answers it with 403 (401 since 0.115).
        rule(Tier::NoToken, "not authenticated", Kind::TokenMissing),
        // The Auth0 FastAPI samples' `_check_claims` (application/utils.py `VerifyToken`):
        // `No claim "{claim_name}" found in token`.
        Rule { tier: Tier::Scope, matcher: Matcher::Reader(no_claim_found) },
        // FastAPI's "OAuth2 scopes" tutorial (docs/en/docs/advanced/security/oauth2-scopes.md):
        // `HTTPException(401, detail="Not enough permissions", headers={"WWW-Authenticate": …})`.
        rule(Tier::Scope, "not enough permissions", Kind::InsufficientScope),
        // PyJWT's PyJWKClientConnectionError (jwt/jwks_client.py): `Fail to fetch data from the url, err: "…"`.
        rule(Tier::KeyFetch, "fail to fetch data from the url", Kind::Jwks),
        // PyJWKClient when the set has no key for the kid: `Unable to find a signing key that matches: "…"`
        // is read by express-jwt's "unable to find a signing key" (the same words).
        // PyJWT's InvalidAudienceError (jwt/api_jwt.py); its InvalidIssuerError, "Invalid
        // issuer", is the generic dialect's phrase.
        rule(Tier::ClaimStated(0), "audience doesn't match", Kind::Audience),
        // PyJWT's InvalidAlgorithmError (jwt/api_jws.py), shown as the app's `detail`.
        rule(Tier::Algorithm, "the specified alg value is not allowed", Kind::InvalidAlgorithm),
    ],
    key_outage: &[],
    generic_invalid: &[],
    challenge_codes: &[],
    detect: Some(detect),
    wording: Some(&WORDING),
};

/// `no claim "permissions" found in token`.
fn no_claim_found(lower: &str) -> Option<Kind> {
    let start = lower.find("no claim \"")? + "no claim \"".len();
    let rest = lower.get(start..)?;
    let end = rest.find('"')?;
    rest.get(end + 1..)?.trim_start().starts_with("found in token").then_some(Kind::ClaimMissing)
}

/// Uvicorn (FastAPI's usual server) answering Starlette's `{"detail": …}`.
fn detect(answer: &Answer<'_>) -> bool {
    answer.header("server").is_some_and(|v| v.eq_ignore_ascii_case("uvicorn")) && answer.json_has_keys(&["detail"])
}

pub(super) static WORDING: StackWording = StackWording {
    product: "FastAPI with PyJWT",
    issuer: "the `issuer=` passed to jwt.decode",
    audience: "the `audience=` passed to jwt.decode",
    algorithms: "the `algorithms=` passed to jwt.decode",
    jwks: "Check the URL given to PyJWKClient (reachable from the API host, with the issuer's full path).",
    scope_claim: "the dependency's scope check: read payload[\"{claim}\"]",
    scope_check: "The API's scope check reads another place: check the claim the dependency reads from jwt.decode's payload, its shape (a space-separated string or a list), and whether it needs all or any of the scopes.",
    hidden_cause: None,
};
