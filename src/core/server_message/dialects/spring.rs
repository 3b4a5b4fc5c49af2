//! Spring Security's resource server (Nimbus JOSE + JWT underneath): its descriptions, usually behind "An error occurred while attempting to decode the Jwt: ".

use super::{Answer, Dialect, Kind, Tier, rule};
use crate::core::server_message::{ServerDialect, StackWording};

pub(super) static DIALECT: Dialect = Dialect {
    id: ServerDialect::Spring,
    rules: &[
        rule(Tier::NoToken, "full authentication is required", Kind::TokenMissing),
        // BearerTokenErrors' insufficient_scope description.
        rule(Tier::Scope, "requires higher privileges", Kind::InsufficientScope),
        rule(Tier::Algorithm, "another algorithm expected", Kind::InvalidAlgorithm),
        rule(Tier::Algorithm, "unsupported algorithm of none", Kind::InvalidAlgorithm),
        // "Couldn't retrieve remote JWK set".
        rule(Tier::KeyFetch, "jwk set", Kind::Jwks),
        rule(Tier::Signature, "signed jwt rejected: invalid signature", Kind::InvalidSignature),
        rule(Tier::Malformed, "invalid jwt serialization", Kind::Malformed),
        rule(Tier::Malformed, "invalid serialized", Kind::Malformed),
        // DefaultBearerTokenResolver, before any decoding.
        rule(Tier::Malformed, "bearer token is malformed", Kind::Malformed),
        rule(Tier::Malformed, "decode the jwt: malformed", Kind::Malformed),
        rule(Tier::Expired, "jwt expired at", Kind::Expired),
        // JwtClaimValidator's failures for `aud` and `iss`.
        rule(Tier::ClaimNamed, "aud claim", Kind::Audience),
        rule(Tier::ClaimNamed, "iss claim", Kind::Issuer),
    ],
    key_outage: &["jwk set"],
    generic_invalid: &[],
    challenge_codes: &[],
    detect: Some(detect),
    wording: Some(&WORDING),
};

/// Spring Security's challenge points at RFC 6750 with its `error_uri`, and Spring Boot's
/// error body has `timestamp`, `status`, `error` and `path`.
fn detect(answer: &Answer<'_>) -> bool {
    answer.header("www-authenticate").is_some_and(|v| v.contains("error_uri=\"https://tools.ietf.org/html/rfc6750"))
        || answer.json_has_keys(&["timestamp", "status", "error", "path"])
}

pub(super) static WORDING: StackWording = StackWording {
    product: "Spring Security",
    issuer: "spring.security.oauth2.resourceserver.jwt.issuer-uri",
    audience: "spring.security.oauth2.resourceserver.jwt.audiences",
    algorithms: "spring.security.oauth2.resourceserver.jwt.jws-algorithms",
    jwks: "Check the API's spring.security.oauth2.resourceserver.jwt.jwk-set-uri / issuer-uri (reachable from the API host, with the issuer's full path).",
    scope_claim: "Spring: JwtGrantedAuthoritiesConverter.setAuthoritiesClaimName(\"{claim}\")",
    scope_check: "The API's scope check reads another place: check the authorities claim (JwtGrantedAuthoritiesConverter: claim name and the SCOPE_ prefix) and the hasAuthority / hasAnyAuthority rule of the endpoint.",
    hidden_cause: None,
};
