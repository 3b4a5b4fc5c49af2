//! Envoy's `jwt_authn` filter (jwt_verify_lib's status strings as the plain-text body) and its RBAC filter's "RBAC: access denied".

use super::{Answer, Dialect, Kind, Tier, rule};
use crate::core::server_message::{ServerDialect, StackWording};

pub(super) static DIALECT: Dialect = Dialect {
    id: ServerDialect::Envoy,
    rules: &[
        // jwt_verify_lib src/status.cc, sent by jwt_authn's filter.cc as the 401 body.
        rule(Tier::NoToken, "jwt is missing", Kind::TokenMissing),
        rule(Tier::HeaderShape, "found multiple jwt tokens", Kind::BadScheme),
        // The RBAC filter's 403, after jwt_authn let the token through: a policy (often on
        // the token's scope or roles claims) denied it.
        rule(Tier::Scope, "rbac: access denied", Kind::InsufficientScope),
        rule(Tier::Algorithm, "jwt header [alg] is not supported", Kind::InvalidAlgorithm),
        rule(Tier::Algorithm, "jwt header [alg] field is required", Kind::InvalidAlgorithm),
        // "Jwks doesn't have key to match kid or alg from Jwt": also an ES256 token at a
        // provider whose keys are RSA only.
        rule(Tier::KeyForKid, "jwks doesn't have key to match kid or alg", Kind::NoVerificationKey),
        rule(Tier::KeyFetch, "jwks remote fetch is failed", Kind::Jwks),
        rule(Tier::KeyFetch, "jwks doesn't have any valid public key", Kind::Jwks),
        rule(Tier::KeyFetch, "jwks is an invalid json", Kind::Jwks),
        rule(Tier::Signature, "jwt verification fails", Kind::InvalidSignature),
        rule(Tier::Malformed, "jwt is not in the form of header.payload.signature", Kind::Malformed),
        rule(Tier::Malformed, "jwt header is an invalid", Kind::Malformed),
        rule(Tier::Malformed, "jwt payload is an invalid", Kind::Malformed),
        rule(Tier::Malformed, "jwt signature is an invalid base64url", Kind::Malformed),
        rule(Tier::Expired, "jwt is expired", Kind::Expired),
        rule(Tier::NotYetValid, "jwt not yet valid", Kind::NotYetValid),
        // JwtAudienceNotAllowed, answered with 403.
        rule(Tier::ClaimStated(1), "audiences in jwt are not allowed", Kind::Audience),
        // No provider is configured for the token's iss.
        rule(Tier::ClaimStated(1), "jwt issuer is not configured", Kind::Issuer),
    ],
    key_outage: &["jwks remote fetch is failed"],
    generic_invalid: &[],
    challenge_codes: &[],
    detect: Some(detect),
    wording: Some(&WORDING),
};

/// Envoy's local reply: `server: envoy` (Istio's gateways: `istio-envoy`).
fn detect(answer: &Answer<'_>) -> bool {
    answer.header("server").is_some_and(|v| v.to_ascii_lowercase().contains("envoy"))
}

pub(super) static WORDING: StackWording = StackWording {
    product: "Envoy jwt_authn",
    issuer: "the jwt_authn provider's `issuer` (providers.<name>.issuer)",
    audience: "the jwt_authn provider's `audiences` (providers.<name>.audiences)",
    algorithms: "the keys in the provider's JWKS (jwt_authn accepts the algorithm of the key the kid selects)",
    jwks: "Check the provider's remote_jwks.http_uri (its uri and the cluster it names, reachable from Envoy, with a timeout long enough) and remote_jwks.cache_duration.",
    scope_claim: "the RBAC policy's principal: metadata or a header from the \"{claim}\" claim (jwt_authn's payload_in_metadata / claim_to_headers)",
    scope_check: "The API's scope check reads another place: check the RBAC (or Istio AuthorizationPolicy) rule on the token's claims: which claim it reads (request.auth.claims[scope]), and whether scope is one string or a list.",
    hidden_cause: Some(
        "Envoy hides the reason when jwt_authn's strip_failure_response is set: the access log's response code details (jwt_authn_access_denied{...}) still name it.",
    ),
};
