//! hapi-auth-jwt2 on hapi: its few fixed messages (in a `Token error="…"` challenge and a Boom body), which hide jsonwebtoken's reason.

use super::{Answer, Dialect, Kind, Tier, rule};
use crate::core::server_message::{ServerDialect, StackWording};

pub(super) static DIALECT: Dialect = Dialect {
    id: ServerDialect::HapiAuthJwt2,
    rules: &[
        // lib/index.cjs raises every failure with Boom.unauthorized(message, tokenType), so the
        // message is also the challenge's `error` (scheme `Token` unless `tokenType` is set).
        // No token at all: "token is null". hapi's auth layer (@hapi/hapi lib/auth.js) then
        // answers its own Boom.unauthorized('Missing authentication', challenges) for every
        // failure the plugin flags as a missing token (also "Invalid token format"); the
        // challenge, read first, keeps the plugin's words.
        rule(Tier::NoToken, "token is null", Kind::TokenMissing),
        rule(Tier::NoToken, "missing authentication", Kind::TokenMissing),
        // Not three dot-separated parts, or JWT.decode() failed.
        rule(Tier::Malformed, "invalid token format", Kind::Malformed),
        // jsonwebtoken's "jwt expired" becomes "Expired token"; every other verification
        // error (signature, issuer, audience, algorithm) becomes "Invalid token", which
        // names no cause (the generic dialect's wording and RFC 6750's code).
        rule(Tier::Expired, "expired token", Kind::Expired),
    ],
    key_outage: &[],
    // "Invalid token" is the generic dialect's; "Invalid credentials" (the app's `validate`
    // said no) is the app's verdict, not the token's.
    generic_invalid: &[],
    challenge_codes: &[],
    detect: Some(detect),
    wording: Some(&WORDING),
};

/// hapi-auth-jwt2's `Token` challenge, or a Boom error body (`statusCode`, `error`,
/// `message`, maybe `attributes`, nothing else) with hapi's default `cache-control: no-cache`
/// (Fastify's error body has the same three keys but no such header). The 500 it answers
/// when jwks-rsa's hapiJwt2KeyAsync rejects (unknown kid, an HS256 token) is only told
/// this way.
fn detect(answer: &Answer<'_>) -> bool {
    let token_challenge = answer.header("www-authenticate").is_some_and(|v| {
        v.get(..6).is_some_and(|scheme| scheme.eq_ignore_ascii_case("token ")) && v.contains("error=")
    });
    token_challenge || (is_boom_body(answer) && answer.header("cache-control") == Some("no-cache"))
}

/// `{"statusCode": n, "error": "...", "message": "..."}` plus at most Boom's `attributes`.
fn is_boom_body(answer: &Answer<'_>) -> bool {
    let Some(object) = answer.json.as_ref().and_then(|j| j.as_object()) else {
        return false;
    };
    answer.json_has_keys(&["statusCode", "error", "message"])
        && object.keys().all(|k| matches!(k.as_str(), "statusCode" | "error" | "message" | "attributes"))
}

pub(super) static WORDING: StackWording = StackWording {
    product: "hapi-auth-jwt2",
    issuer: "hapi-auth-jwt2's `verifyOptions.issuer`",
    audience: "hapi-auth-jwt2's `verifyOptions.audience`",
    algorithms: "hapi-auth-jwt2's `verifyOptions.algorithms` (and the `key` it is given)",
    jwks: "Check the jwksUri given to jwks-rsa's hapiJwt2KeyAsync (the strategy's `key`): reachable from the API host, with the issuer's full path. hapi answers 500 when that lookup fails, also for a kid the set lacks.",
    scope_claim: "hapi's route `auth.scope`, which reads credentials.scope: return the \"{claim}\" claim as `credentials.scope` from `validate`",
    scope_check: "The API's scope check reads another place: hapi's route `auth.scope` reads credentials.scope (an array, or one string taken whole: a space-separated \"a b\" is one scope), so check what `validate` returns as credentials.",
    hidden_cause: Some(
        "hapi-auth-jwt2 answers \"Invalid token\" to every verification failure but expiry: pass an `errorFunc` to the strategy that copies `errorContext.error.message` (jsonwebtoken's reason) into the message on a development API, and compare its issuer, audience, algorithms and key with the profile's [expect].",
    ),
};

#[cfg(test)]
mod tests {
    use crate::core::server_message::{ServerDialect, ServerReason, interpret_answer};

    fn headers(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(n, v)| ((*n).to_owned(), (*v).to_owned())).collect()
    }

    #[test]
    fn the_token_challenge_outranks_hapis_missing_authentication_body() {
        // A malformed token: the plugin flags it as missing, so hapi's body says "Missing
        // authentication" while the challenge keeps "Invalid token format".
        let h =
            headers(&[("www-authenticate", r#"Token error="Invalid token format""#), ("cache-control", "no-cache")]);
        let body = r#"{"statusCode":401,"error":"Unauthorized","message":"Missing authentication"}"#;
        let v = interpret_answer(401, None, &h, body, true);
        assert_eq!(v.reason, ServerReason::Malformed);
        assert_eq!(v.source.as_deref(), Some("www-authenticate"));
        assert_eq!(v.dialect, Some(ServerDialect::HapiAuthJwt2));
    }

    #[test]
    fn a_boom_500_is_hapis_only_with_its_cache_header() {
        let body =
            r#"{"statusCode":500,"error":"Internal Server Error","message":"An internal server error occurred"}"#;
        let hapi = interpret_answer(500, None, &headers(&[("cache-control", "no-cache")]), body, true);
        assert_eq!(hapi.dialect, Some(ServerDialect::HapiAuthJwt2));
        // Fastify's error body has the same keys and no such header: fastify's, then.
        assert_eq!(interpret_answer(500, None, &[], body, true).dialect, Some(ServerDialect::FastifyJwt));
        // A body with keys Boom never writes is someone else's.
        let other = r#"{"statusCode":401,"error":"Unauthorized","message":"x","code":"FOO"}"#;
        assert_eq!(interpret_answer(401, None, &headers(&[("cache-control", "no-cache")]), other, true).dialect, None);
    }
}
