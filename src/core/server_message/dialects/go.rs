//! Go: golang-jwt (v4/v5 error texts and its `request` package) and the Echo/Fiber JWT middlewares.

use super::{Dialect, Kind, Tier, rule};
use crate::core::server_message::{ServerDialect, StackWording};

pub(super) static DIALECT: Dialect = Dialect {
    id: ServerDialect::Go,
    rules: &[
        rule(Tier::NoToken, "no token present in request", Kind::TokenMissing),
        // echo-jwt / fiber's jwtware when the header is absent or not `Bearer <token>`.
        rule(Tier::NoToken, "missing or malformed jwt", Kind::TokenMissing),
        rule(Tier::HeaderShape, "authorization header format must be bearer", Kind::BadScheme),
        // "token is unverifiable: signing method RS256 is invalid".
        rule(Tier::Algorithm, "signing method", Kind::InvalidAlgorithm),
        rule(Tier::Algorithm, "key is of invalid type", Kind::InvalidAlgorithm),
        // The keyfunc failed (e.g. no key for the kid).
        rule(Tier::KeyVague, "token is unverifiable", Kind::NoVerificationKey),
        rule(Tier::Signature, "token signature is invalid", Kind::InvalidSignature),
        // crypto/rsa's error, wrapped in "token signature is invalid: ...".
        rule(Tier::Signature, "verification error", Kind::InvalidSignature),
        rule(Tier::Malformed, "token is malformed", Kind::Malformed),
        rule(Tier::Malformed, "invalid number of segments", Kind::Malformed),
        rule(Tier::Expired, "token is expired", Kind::Expired),
        rule(Tier::NotYetValid, "not valid yet", Kind::NotYetValid),
        rule(Tier::NotYetValid, "used before issued", Kind::NotYetValid),
    ],
    key_outage: &[],
    generic_invalid: &[],
    challenge_codes: &[],
    detect: None,
    wording: Some(&WORDING),
};

pub(super) static WORDING: StackWording = StackWording {
    product: "golang-jwt",
    issuer: "the issuer the middleware validates (jwt.WithIssuer)",
    audience: "the audience the middleware validates (jwt.WithAudience)",
    algorithms: "the methods the parser accepts (jwt.WithValidMethods)",
    jwks: "Check the JWKS URL the API's keyfunc fetches (reachable from the API host, with the issuer's full path) and its refresh settings.",
    scope_claim: "the claim the middleware reads scopes from: \"{claim}\"",
    scope_check: "The API's scope check reads another place: check which claim its handler reads the scopes from, their shape (a space-separated string or an array), and whether it needs all or any of them.",
    hidden_cause: None,
};
