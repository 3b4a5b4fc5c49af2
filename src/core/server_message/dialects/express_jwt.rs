//! Node: express-jwt's `UnauthorizedError` codes, node-jsonwebtoken's messages, jwks-rsa's errors, express-jwt-authz and express-jwt-permissions.

use super::{Answer, Dialect, Kind, Tier, rule};
use crate::core::server_message::{ServerDialect, StackWording};

pub(super) static DIALECT: Dialect = Dialect {
    id: ServerDialect::ExpressJwt,
    rules: &[
        rule(Tier::NoToken, "no authorization token was found", Kind::TokenMissing),
        rule(Tier::NoToken, "credentials_required", Kind::TokenMissing),
        rule(Tier::NoToken, "jwt must be provided", Kind::TokenMissing),
        rule(Tier::HeaderShape, "credentials_bad_scheme", Kind::BadScheme),
        rule(Tier::HeaderShape, "credentials_bad_format", Kind::BadScheme),
        rule(Tier::HeaderShape, "format is authorization: bearer", Kind::BadScheme),
        // express-jwt-authz's text; express-jwt-permissions' code.
        rule(Tier::Scope, "insufficient scope", Kind::InsufficientScope),
        rule(Tier::Scope, "permission_denied", Kind::InsufficientScope),
        rule(Tier::Algorithm, "invalid algorithm", Kind::InvalidAlgorithm),
        // jsonwebtoken on an unsigned (`alg: none`) token.
        rule(Tier::Algorithm, "jwt signature is required", Kind::InvalidAlgorithm),
        rule(Tier::Algorithm, "please specify \"none\"", Kind::InvalidAlgorithm),
        // jwks-rsa: no key in the set for the token's kid.
        rule(Tier::KeyForKid, "signingkeynotfounderror", Kind::NoVerificationKey),
        rule(Tier::KeyForKid, "unable to find a signing key", Kind::NoVerificationKey),
        // jwks-rsa: fetching the set failed or was rate limited.
        rule(Tier::KeyFetch, "jwksratelimiterror", Kind::Jwks),
        rule(Tier::KeyFetch, "jwkserror", Kind::Jwks),
        // When jwks-rsa found no key for the kid, or an HS* token met a
        // public-key-only verifier.
        rule(Tier::KeyVague, "secret or public key must be provided", Kind::NoVerificationKey),
        rule(Tier::Signature, "invalid signature", Kind::InvalidSignature),
        rule(Tier::Malformed, "jwt malformed", Kind::Malformed),
        rule(Tier::Expired, "jwt expired", Kind::Expired),
        rule(Tier::NotYetValid, "jwt not active", Kind::NotYetValid),
        rule(Tier::NotYetValid, "notbeforeerror", Kind::NotYetValid),
        rule(Tier::ClaimStated(0), "jwt audience invalid", Kind::Audience),
        rule(Tier::ClaimStated(0), "jwt issuer invalid", Kind::Issuer),
    ],
    key_outage: &["jwksratelimiterror", "jwkserror", "signing key", "signingkey"],
    generic_invalid: &[],
    challenge_codes: &[],
    detect: Some(detect),
    wording: Some(&WORDING),
};

/// An Express app (its default `X-Powered-By` header): express-jwt is the usual verifier there.
fn detect(answer: &Answer<'_>) -> bool {
    answer.header("x-powered-by").is_some_and(|v| v.eq_ignore_ascii_case("express"))
}

pub(super) static WORDING: StackWording = StackWording {
    product: "express-jwt",
    issuer: "express-jwt's `issuer` option",
    audience: "express-jwt's `audience` option",
    algorithms: "express-jwt's `algorithms` option",
    jwks: "Check the API's jwksUri (jwks-rsa's expressJwtSecret: reachable from the API host, with the issuer's full path) and its rate limit (jwksRequestsPerMinute).",
    scope_claim: "express-jwt-authz: customScopeKey: '{claim}'",
    scope_check: "The API's scope check reads another place: check its claim key (express-jwt-authz customScopeKey), where it looks for the decoded token (express-jwt 7+ sets req.auth, older express-jwt-authz reads req.user: pass customUserKey: 'auth'), and any-of vs all-of (checkAllScopes).",
    hidden_cause: None,
};
