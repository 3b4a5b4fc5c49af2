//! Authlib's resource protector (`ResourceProtector` with the RFC 6750 / RFC 9068 bearer validators): its error codes, and the RFC sentences it sends verbatim.

use super::{Answer, Dialect, Kind, Tier, rule};
use crate::core::server_message::{ServerDialect, StackWording};

pub(super) static DIALECT: Dialect = Dialect {
    id: ServerDialect::Authlib,
    rules: &[
        // authlib/oauth2/rfc6749/errors.py MissingAuthorizationError: no `Authorization` header at all.
        rule(Tier::NoToken, "missing 'authorization' in headers", Kind::TokenMissing),
        rule(Tier::NoToken, "missing_authorization", Kind::TokenMissing),
        // UnsupportedTokenTypeError: a header whose scheme has no registered validator (`Basic ...`).
        rule(Tier::HeaderShape, "unsupported_token_type", Kind::BadScheme),
        // rfc6750/errors.py InsufficientScopeError's description (RFC 6750 §3.1's words). Every
        // other refusal is InvalidTokenError's catch-all sentence, read by the rfc6750 dialect
        // as naming no cause.
        rule(
            Tier::Scope,
            "the request requires higher privileges than provided by the access token",
            Kind::InsufficientScope,
        ),
    ],
    key_outage: &[],
    generic_invalid: &[],
    challenge_codes: &[],
    detect: Some(detect),
    wording: Some(&WORDING),
};

/// Authlib's error response: `Cache-Control: no-store` + `Pragma: no-cache` (from
/// OAuth2Error's headers) around Python's `json.dumps` of `{"error": ...}`, whose
/// `": "` separator node and Java serialisers do not write.
fn detect(answer: &Answer<'_>) -> bool {
    let no_cache = answer.header("pragma").is_some_and(|v| v.eq_ignore_ascii_case("no-cache"))
        && answer.header("cache-control").is_some_and(|v| v.eq_ignore_ascii_case("no-store"));
    no_cache && answer.json_has_keys(&["error"]) && answer.trimmed_body().starts_with("{\"error\": \"")
}

pub(super) static WORDING: StackWording = StackWording {
    product: "Authlib",
    issuer: "the JWTBearerTokenValidator's `issuer` (compared to the token's iss claim)",
    audience: "the JWTBearerTokenValidator's `resource_server` (the aud claim option's value)",
    algorithms: "the keys get_jwks() returns (Authlib accepts any algorithm their key type supports)",
    jwks: "Check what the validator's get_jwks() fetches (the issuer's jwks_uri, reachable from the API host) and how it caches it.",
    scope_claim: "ResourceProtector reads the \"scope\" claim; put the scopes in \"{claim}\" there or override scope_insufficient",
    scope_check: "The API's scope check reads another place: ResourceProtector(scope=...) compares the token's \"scope\" claim (space-separated), needing all of the listed scopes; groups/roles/entitlements are separate options.",
    hidden_cause: Some(
        "Authlib answers the same sentence for every invalid token: its log (the chained JoseError) names the cause.",
    ),
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_json_with_no_cache_headers_is_authlib() {
        let headers =
            vec![("cache-control".to_owned(), "no-store".to_owned()), ("pragma".to_owned(), "no-cache".to_owned())];
        assert!(detect(&Answer::new(401, &headers, r#"{"error": "invalid_token"}"#)));
        // Node's and Java's compact JSON is another stack's, even with the same headers.
        assert!(!detect(&Answer::new(401, &headers, r#"{"error":"invalid_token"}"#)));
        assert!(!detect(&Answer::new(401, &[], r#"{"error": "invalid_token"}"#)));
    }
}
