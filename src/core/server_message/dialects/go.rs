//! Go: golang-jwt (v5's wrapped error texts, v4's, its `request` package) and the Echo/Fiber JWT middlewares.

use super::{Dialect, Kind, Tier, rule};
use crate::core::server_message::{ServerDialect, StackWording};

pub(super) static DIALECT: Dialect = Dialect {
    id: ServerDialect::Go,
    rules: &[
        // golang-jwt v5 (errors.go) wraps a sentinel around the detail, "%w: %s": the
        // sentinel names the class, the detail the cause ("token signature is invalid:
        // signing method HS256 is invalid" is an algorithm problem, not a bad signature).
        // request/extractor.go's ErrNoTokenInRequest.
        rule(Tier::NoToken, "no token present in request", Kind::TokenMissing),
        // echo-jwt / fiber's jwtware when the header is absent or not `Bearer <token>`.
        rule(Tier::NoToken, "missing or malformed jwt", Kind::TokenMissing),
        rule(Tier::HeaderShape, "authorization header format must be bearer", Kind::BadScheme),
        // parser.go: "signing method %v is invalid" (not in WithValidMethods; v5 wraps it in
        // ErrTokenSignatureInvalid, v4 in a validation error), "signing method (alg) is
        // unavailable" / "is unspecified" (wrapped in ErrTokenUnverifiable).
        rule(Tier::Algorithm, "signing method", Kind::InvalidAlgorithm),
        // ErrInvalidKeyType: the keyfunc's key does not fit the token's alg ("HMAC verify
        // expects []byte" for an HS256 token at an API holding an RSA key).
        rule(Tier::Algorithm, "key is of invalid type", Kind::InvalidAlgorithm),
        // none.go: an unsigned token, unless the app opts in.
        rule(Tier::Algorithm, "'none' signature type is not allowed", Kind::InvalidAlgorithm),
        rule(Tier::Algorithm, "'none' signing method with non-empty signature", Kind::InvalidAlgorithm),
        // ErrTokenUnverifiable: the keyfunc failed ("error while executing keyfunc: ..."),
        // returned an empty key set, or none was given.
        rule(Tier::KeyVague, "token is unverifiable", Kind::NoVerificationKey),
        rule(Tier::Signature, "token signature is invalid", Kind::InvalidSignature),
        // crypto/rsa's, ecdsa.go's and ed25519.go's errors, wrapped in "token signature is invalid: ...".
        rule(Tier::Signature, "verification error", Kind::InvalidSignature),
        rule(Tier::Malformed, "token is malformed", Kind::Malformed),
        rule(Tier::Malformed, "invalid number of segments", Kind::Malformed),
        // ErrInvalidType from map_claims.go: "invalid type for claim: exp is invalid".
        rule(Tier::Malformed, "invalid type for claim", Kind::Malformed),
        // validator.go, each wrapped in "token has invalid claims: ..." (several joined by ", ").
        rule(Tier::Expired, "token is expired", Kind::Expired),
        rule(Tier::NotYetValid, "not valid yet", Kind::NotYetValid),
        rule(Tier::NotYetValid, "used before issued", Kind::NotYetValid),
        // Beside ASP.NET's (1), after jsonwebtoken's (0), before the generic "invalid audience" (2).
        rule(Tier::ClaimStated(1), "token has invalid audience", Kind::Audience),
        rule(Tier::ClaimStated(1), "token has invalid issuer", Kind::Issuer),
        // ErrTokenRequiredClaimMissing: "token is missing required claim: exp claim is required";
        // the interpreter reads which claim.
        rule(Tier::ClaimStated(1), "claim is required", Kind::ClaimMissing),
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

#[cfg(test)]
mod tests {
    use crate::core::server_message::{ServerDialect, ServerReason, interpret};

    #[test]
    fn v5_wrapped_errors_read_by_their_detail() {
        let read = |text: &str| {
            let v = interpret(401, None, text);
            (v.reason, v.dialect)
        };
        let go = Some(ServerDialect::Go);
        // An alg outside WithValidMethods is wrapped in ErrTokenSignatureInvalid: still the algorithm.
        assert_eq!(
            read("token signature is invalid: signing method HS256 is invalid"),
            (ServerReason::InvalidAlgorithm, go.clone())
        );
        assert_eq!(
            read("token signature is invalid: token is unverifiable: 'none' signature type is not allowed"),
            (ServerReason::InvalidAlgorithm, go.clone())
        );
        assert_eq!(
            read("token has invalid claims: token has invalid audience"),
            (ServerReason::AudienceInvalid { expected: None }, go.clone())
        );
        assert_eq!(
            read("token has invalid claims: token has invalid issuer"),
            (ServerReason::IssuerInvalid { expected: None }, go.clone())
        );
        // A required registered claim that is absent is that claim's failure; another is named.
        assert_eq!(
            read("token has invalid claims: token is missing required claim: exp claim is required").0,
            ServerReason::Expired { detail: None }
        );
        assert_eq!(
            read("token has invalid claims: token is missing required claim: aud claim is required").0,
            ServerReason::AudienceInvalid { expected: None }
        );
        // Joined claim errors: expiry first, as the tiers say.
        assert_eq!(
            read("token has invalid claims: token is expired, token has invalid audience").0,
            ServerReason::Expired { detail: None }
        );
    }
}
