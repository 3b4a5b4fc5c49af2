//! The interpreter's unit tests: causes, values, sources and messages read from real server texts.

use super::text::MAX_JSON_PARSE;
use super::*;
use crate::core::probe::www_authenticate::bearer;

fn challenge(header: &str) -> Option<BearerChallenge> {
    bearer(&[header.to_owned()])
}

fn with(status: u16, header: Option<&str>, body: &str) -> ServerVerdict {
    let ch = header.and_then(challenge);
    interpret(status, ch.as_ref(), body)
}

fn reason(status: u16, header: Option<&str>, body: &str) -> ServerReason {
    with(status, header, body).reason
}

fn body_reason(body: &str) -> ServerReason {
    reason(401, None, body)
}

fn expired(detail: Option<&str>) -> ServerReason {
    ServerReason::Expired { detail: detail.map(str::to_owned) }
}

fn aud(expected: Option<&str>) -> ServerReason {
    ServerReason::AudienceInvalid { expected: expected.map(str::to_owned) }
}

fn iss(expected: Option<&str>) -> ServerReason {
    ServerReason::IssuerInvalid { expected: expected.map(str::to_owned) }
}

#[test]
fn token_missing_phrases() {
    for text in [
        "UnauthorizedError: No authorization token was found",
        "Full authentication is required to access this resource",
        "no token present in request",
        "Missing Authorization header",
        r#"{"name":"UnauthorizedError","message":"Unauthorized","code":"credentials_required","status":401}"#,
    ] {
        assert_eq!(body_reason(text), ServerReason::TokenMissing, "{text}");
    }
}

#[test]
fn bare_bearer_challenge_is_token_missing_only_without_a_token() {
    let ch = challenge("Bearer");
    let sent = interpret_with(401, ch.as_ref(), "", true);
    assert_eq!(sent.reason, ServerReason::Unrecognized);
    let unsent = interpret_with(401, ch.as_ref(), "", false);
    assert_eq!(unsent.reason, ServerReason::TokenMissing);
    let realm = challenge(r#"Bearer realm="api""#);
    assert_eq!(interpret_with(401, realm.as_ref(), "Unauthorized", false).reason, ServerReason::TokenMissing);
    // A 401 with nothing at all.
    assert_eq!(interpret(401, None, ""), verdict(ServerReason::Unrecognized, None, None));
    // A 403 to a request without a token is the same refusal (FastAPI's HTTPBearer answers 403).
    assert_eq!(interpret_with(403, ch.as_ref(), "", false).reason, ServerReason::TokenMissing);
    assert_eq!(
        interpret_with(403, None, r#"{"detail":"Not authenticated"}"#, false).reason,
        ServerReason::TokenMissing
    );
    // With a token sent, a silent 403 stays unrecognised.
    assert_eq!(interpret_with(403, ch.as_ref(), "", true).reason, ServerReason::Unrecognized);
}

#[test]
fn bad_scheme() {
    for text in [
        r#"{"message":"Format is Authorization: Bearer [token]","code":"credentials_bad_format"}"#,
        r#"{"message":"Format is Authorization: Bearer [token]","code":"credentials_bad_scheme"}"#,
        "Authorization header format must be Bearer {token}",
    ] {
        assert_eq!(body_reason(text), ServerReason::BadScheme, "{text}");
    }
}

#[test]
fn malformed() {
    for text in [
        "jwt malformed",
        "token is malformed: could not base64 decode header",
        "An error occurred while attempting to decode the Jwt: Malformed token",
        "Invalid JWT serialization: Missing dot delimiter(s)",
        "IDX12741: JWT: '[PII of type 'System.String' is hidden]' must have three segments (JWS) or five segments (JWE).",
        "token contains an invalid number of segments",
    ] {
        assert_eq!(body_reason(text), ServerReason::Malformed, "{text}");
    }
}

#[test]
fn expired_with_and_without_detail() {
    assert_eq!(body_reason("jwt expired"), expired(None));
    assert_eq!(body_reason("token has invalid claims: token is expired"), expired(None));
    assert_eq!(body_reason("Token has expired"), expired(None));
    assert_eq!(
        reason(
            401,
            Some(r#"Bearer error="invalid_token", error_description="Jwt expired at 2021-04-27T14:40:34Z""#),
            ""
        ),
        expired(Some("2021-04-27T14:40:34Z"))
    );
    assert_eq!(
        reason(
            401,
            Some(r#"Bearer error="invalid_token", error_description="The token expired at '04/27/2021 14:40:34'""#),
            ""
        ),
        expired(Some("04/27/2021 14:40:34"))
    );
    assert_eq!(
        body_reason(
            "IDX10223: Lifetime validation failed. The token is expired. ValidTo (UTC): '4/27/2021 2:40:34 PM', Current time (UTC): '11/23/2026 0:00:00 AM'."
        ),
        expired(Some("4/27/2021 2:40:34 PM"))
    );
    // express-jwt's serialised error carries the instant in `inner.expiredAt`.
    assert_eq!(
        body_reason(
            r#"{"name":"UnauthorizedError","message":"jwt expired","code":"invalid_token","status":401,"inner":{"name":"TokenExpiredError","message":"jwt expired","expiredAt":"2021-04-27T14:40:34.000Z"}}"#
        ),
        expired(Some("2021-04-27T14:40:34.000Z"))
    );
}

#[test]
fn rfc6750_example_reads_as_expired() {
    let v = with(
        401,
        Some(r#"Bearer realm="example", error="invalid_token", error_description="The access token expired""#),
        "",
    );
    assert_eq!(v.reason, expired(None));
    assert_eq!(v.message.as_deref(), Some("The access token expired"));
    assert_eq!(v.source.as_deref(), Some("www-authenticate"));
}

#[test]
fn not_yet_valid() {
    for text in [
        "jwt not active",
        "token is not valid yet",
        "IDX10222: Lifetime validation failed. The token is not yet valid. ValidFrom (UTC): '...'",
        "The token is not valid before '04/27/2031 14:40:34'",
    ] {
        assert_eq!(body_reason(text), ServerReason::NotYetValid, "{text}");
    }
}

#[test]
fn signature_algorithm_and_keys() {
    for text in [
        "invalid signature",
        "token signature is invalid: crypto/rsa: verification error",
        "Invalid signature",
        "IDX10503: Signature validation failed. Token does not have a kid. Keys tried: 'System.Text.StringBuilder'. Exceptions caught: 'IDX10634: Unable to create the SignatureProvider'.",
        "An error occurred while attempting to decode the Jwt: Signed JWT rejected: Invalid signature",
        "IDX10511: Signature validation failed. Keys tried: '...'. kid: 'abc'.",
        "The signature is invalid",
    ] {
        assert_eq!(body_reason(text), ServerReason::InvalidSignature, "{text}");
    }
    for text in [
        "invalid algorithm",
        "token is unverifiable: signing method RS256 is invalid",
        "signing method HS256 is invalid",
        "Signed JWT rejected: Another algorithm expected, or no matching key(s) found",
        "IDX10634: Unable to create the SignatureProvider. Algorithm: 'HS256'",
    ] {
        assert_eq!(body_reason(text), ServerReason::InvalidAlgorithm, "{text}");
    }
    for text in [
        "secret or public key must be provided",
        "SigningKeyNotFoundError: Unable to find a signing key that matches 'TfLOt3Lbn8'",
        "Unable to find a signing key that matches 'abc'",
        "IDX10501: Signature validation failed. Unable to match key: \nkid: 'abc'.",
        "token is unverifiable: error while executing keyfunc",
        "The signature key was not found",
        "kid not found in JWKS",
    ] {
        assert_eq!(body_reason(text), ServerReason::NoVerificationKey, "{text}");
    }
}

#[test]
fn audience_with_expected_values() {
    assert_eq!(
        body_reason("jwt audience invalid. expected: 6050751aed0f29bf7723c7a8"),
        aud(Some("6050751aed0f29bf7723c7a8"))
    );
    assert_eq!(body_reason("jwt audience invalid. expected: app-id or ak-id"), aud(Some("app-id or ak-id")));
    assert_eq!(
        body_reason(
            "IDX10214: Audience validation failed. Audiences: 'x'. Did not match: validationParameters.ValidAudience: 'y' or validationParameters.ValidAudiences: 'null'."
        ),
        aud(Some("y"))
    );
    assert_eq!(
        body_reason(
            "IDX10214: Audience validation failed. Audiences: 'x'. Did not match: validationParameters.ValidAudience: 'null' or validationParameters.ValidAudiences: 'a, b'."
        ),
        aud(Some("a, b"))
    );
    assert_eq!(
        body_reason(
            "IDX10214: Audience validation failed. Audiences: '[PII of type 'System.String' is hidden]'. Did not match: validationParameters.ValidAudience: '[PII of type 'System.String' is hidden]'"
        ),
        aud(None)
    );
    for text in [
        "This aud claim is not equal to the configured audience",
        "The aud claim is not valid",
        "The audience 'x' is invalid",
        "token has invalid claims: token has invalid audience",
    ] {
        assert_eq!(body_reason(text), aud(None), "{text}");
    }
}

#[test]
fn issuer_with_expected_values() {
    assert_eq!(
        body_reason("jwt issuer invalid. expected: https://example.authing.cn/oidc"),
        iss(Some("https://example.authing.cn/oidc"))
    );
    assert_eq!(
        body_reason(
            "IDX10205: Issuer validation failed. Issuer: 'x'. Did not match: validationParameters.ValidIssuer: 'https://a/oidc' or validationParameters.ValidIssuers: 'null'."
        ),
        iss(Some("https://a/oidc"))
    );
    for text in [
        "The iss claim is not valid",
        "The issuer 'https://a' is invalid",
        "token has invalid claims: token has invalid issuer",
    ] {
        assert_eq!(body_reason(text), iss(None), "{text}");
    }
    // An issuer URL containing "audience" is still an issuer problem.
    assert_eq!(
        body_reason("jwt issuer invalid. expected: https://audience.example/"),
        iss(Some("https://audience.example/"))
    );
}

#[test]
fn insufficient_scope() {
    let scopes = ServerReason::InsufficientScope { scopes: vec!["order:read".to_owned()] };
    let v = with(403, Some(r#"Bearer scope="order:read", error="Insufficient scope""#), "Insufficient scope");
    assert_eq!(v.reason, scopes);
    assert_eq!(v.message.as_deref(), Some("Insufficient scope"));
    // Empty body: the header alone says it.
    assert_eq!(reason(403, Some(r#"Bearer scope="order:read", error="Insufficient scope""#), ""), scopes);
    assert_eq!(
        reason(
            403,
            Some(
                r#"Bearer error="insufficient_scope", error_description="The request requires higher privileges than provided by the access token.", error_uri="https://tools.ietf.org/html/rfc6750#section-3.1""#
            ),
            ""
        ),
        ServerReason::InsufficientScope { scopes: vec![] }
    );
    // No challenge: the body alone.
    assert_eq!(
        reason(403, None, r#"{"statusCode":403,"error":"Forbidden","message":"Insufficient scope"}"#),
        ServerReason::InsufficientScope { scopes: vec![] }
    );
    // A structured code with an unhelpful body.
    assert_eq!(
        reason(403, Some(r#"Bearer error="insufficient_scope""#), "Forbidden"),
        ServerReason::InsufficientScope { scopes: vec![] }
    );
}

#[test]
fn generic_invalid_token() {
    let v = with(401, Some(r#"Bearer error="invalid_token", error_description="Something unusual happened""#), "");
    assert_eq!(v.reason, ServerReason::InvalidToken { detail: Some("Something unusual happened".into()) });
    let v = with(401, Some(r#"Bearer error="invalid_token""#), "");
    assert_eq!(v.reason, ServerReason::InvalidToken { detail: None });
    assert_eq!(v.message.as_deref(), Some("invalid_token"));
    assert_eq!(body_reason(r#"{"error":"invalid_token"}"#), ServerReason::InvalidToken { detail: None });
    let v = with(401, None, "Invalid token.");
    assert_eq!(v.reason, ServerReason::InvalidToken { detail: None });
    assert_eq!(v.message.as_deref(), Some("Invalid token."));
    assert_eq!(
        body_reason(r#"{"error":"invalid_token","message":"Token revoked by admin"}"#),
        ServerReason::InvalidToken { detail: Some("Token revoked by admin".into()) }
    );
    let v = with(401, None, r#"{"error":"invalid_token","message":"Token revoked by admin"}"#);
    assert_eq!(v.source.as_deref(), Some("json:message"));
}

#[test]
fn specific_body_beats_generic_challenge() {
    // The challenge says only invalid_token; the body names the cause.
    let v = with(401, Some(r#"Bearer error="invalid_token""#), r#"{"message":"jwt audience invalid. expected: api"}"#);
    assert_eq!(v.reason, aud(Some("api")));
    assert_eq!(v.source.as_deref(), Some("json:message"));
    // The challenge's description outranks the body.
    let v = with(
        401,
        Some(r#"Bearer error="invalid_token", error_description="Jwt expired at 2021-04-27T14:40:34Z""#),
        "invalid signature",
    );
    assert_eq!(v.reason, expired(Some("2021-04-27T14:40:34Z")));
}

#[test]
fn jwks_failures() {
    assert_eq!(
        reason(500, None, "JwksRateLimitError: Too many requests to the JWKS endpoint\n    at ..."),
        ServerReason::JwksFailure { detail: Some("JwksRateLimitError: Too many requests to the JWKS endpoint".into()) }
    );
    assert!(matches!(reason(500, None, r#"{"message":"Unable to fetch JWKS"}"#), ServerReason::JwksFailure { .. }));
    assert!(matches!(reason(503, None, "SigningKeyNotFoundError: no signing key"), ServerReason::JwksFailure { .. }));
    assert!(matches!(
        reason(
            500,
            None,
            "IDX20803: Unable to obtain configuration from: 'https://issuer.example/.well-known/openid-configuration'."
        ),
        ServerReason::JwksFailure { .. }
    ));
    assert!(matches!(reason(401, None, "JwksError: Not Found"), ServerReason::JwksFailure { .. }));
    // Any other 5xx is shown, not interpreted, unless a named stack's words state a
    // verification failure (then it is that failure, mishandled: issue 11's rules of evidence).
    let v = with(500, None, "<html><head><title>500 Internal Server Error</title></head></html>");
    assert_eq!(v.reason, ServerReason::Unrecognized);
    assert_eq!(v.message.as_deref(), Some("500 Internal Server Error"));
    assert_eq!(reason(502, None, "jwt expired"), ServerReason::Expired { detail: None });
    // The generic dialect's loose words are not trusted inside a 5xx.
    assert_eq!(reason(500, None, "Session expired"), ServerReason::Unrecognized);
}

#[test]
fn json_fields_and_sources() {
    let v = with(
        401,
        None,
        r#"{"type":"about:blank","title":"Unauthorized","status":401,"detail":"Jwt expired at 2021-04-27T14:40:34Z"}"#,
    );
    assert_eq!(v.reason, expired(Some("2021-04-27T14:40:34Z")));
    assert_eq!(v.source.as_deref(), Some("json:detail"));
    let v = with(401, None, r#"{"errors":[{"message":"jwt malformed"}]}"#);
    assert_eq!((v.reason, v.source.as_deref()), (ServerReason::Malformed, Some("json:errors[0].message")));
    let v = with(
        401,
        None,
        r#"{"error":{"code":"InvalidAuthenticationToken","message":"Access token has expired or is not yet valid."}}"#,
    );
    assert_eq!(v.reason, expired(None));
    let v = with(401, None, r#"{"error":"invalid_request","error_description":"jwt not active"}"#);
    assert_eq!((v.reason, v.source.as_deref()), (ServerReason::NotYetValid, Some("json:error_description")));
    let v = with(401, None, r#"[{"message":"invalid signature"}]"#);
    assert_eq!(v.reason, ServerReason::InvalidSignature);
    let v = with(401, None, r#""jwt expired""#);
    assert_eq!(v.reason, expired(None));
    // Unrecognised JSON: the prose message is shown, not the code.
    let v = with(401, None, r#"{"code":"E42","message":"Go away"}"#);
    assert_eq!(v.reason, ServerReason::Unrecognized);
    assert_eq!((v.message.as_deref(), v.source.as_deref()), (Some("Go away"), Some("json:message")));
}

#[test]
fn html_bodies() {
    let page = "<!DOCTYPE html><html><head><title>Error</title></head><body><pre>UnauthorizedError: jwt expired<br> &nbsp; &nbsp;at ...</pre></body></html>";
    let v = with(401, None, page);
    assert_eq!(v.reason, expired(None));
    assert_eq!(v.message.as_deref(), Some("UnauthorizedError: jwt expired"));
    assert_eq!(v.source.as_deref(), Some("body"));
    let v = with(
        401,
        None,
        "<html><body><h1>401 &amp; Unauthorized</h1><p>jwt audience invalid. expected: api</p></body></html>",
    );
    assert_eq!(v.reason, ServerReason::Unrecognized);
    assert_eq!(v.message.as_deref(), Some("401 & Unauthorized"));
    let v = with(401, None, "<html><body><p>invalid&#32;signature</p></body></html>");
    assert_eq!(v.reason, ServerReason::InvalidSignature);
    // Unclosed and odd markup.
    assert_eq!(body_reason("<html><pre class=\"x\">jwt malformed"), ServerReason::Malformed);
    let _ = interpret(401, None, "<html><pre");
    let _ = interpret(401, None, "<html>&#xFFFFFFFF; &#99999999999; &; &");
}

#[test]
fn plain_text_uses_first_non_empty_line() {
    let v = with(401, None, "\n\n   \nUnauthorized\njwt expired\n");
    assert_eq!(v.reason, ServerReason::Unrecognized);
    assert_eq!(v.message.as_deref(), Some("Unauthorized"));
}

#[test]
fn messages_are_one_short_line() {
    let long = format!("jwt expired {}", "x".repeat(5000));
    let v = with(401, None, &format!(r#"{{"message":"{long}\nsecond line"}}"#));
    assert_eq!(v.reason, expired(None));
    let msg = v.message.unwrap_or_default();
    assert_eq!(msg.chars().count(), 300);
    assert!(msg.ends_with('…') && !msg.contains('\n'));
    let v = with(401, None, r#"{"message":"a\tb\r\n  c\u0000d"}"#);
    assert_eq!(v.message.as_deref(), Some("a b c d"));
}

#[test]
fn success_has_nothing_to_explain() {
    assert_eq!(interpret(200, None, "jwt expired"), verdict(ServerReason::Unrecognized, None, None));
}

#[test]
fn hostile_bodies_do_not_panic() {
    let mut junk = String::new();
    let mut x: u32 = 7;
    while junk.len() < 200 * 1024 {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        junk.push(char::from_u32((x >> 8) % 0x3000).unwrap_or('\u{fffd}'));
    }
    let ch = challenge(r#"Bearer error="invalid_token", error_description="IDX1""#);
    for status in [0, 100, 301, 400, 401, 403, 404, 500, 599, u16::MAX] {
        for body in [
            junk.as_str(),
            "",
            "{",
            "[]",
            "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
            "\u{feff}<",
            "expired at '",
            "ValidTo '",
            "expected: '",
            "IDX",
            "idx1022",
            "jwt audience invalid. expected:",
            "\u{0}\u{1}\u{7f}",
        ] {
            let _ = interpret(status, ch.as_ref(), body);
            let _ = interpret_with(status, None, body, false);
        }
    }
    // A huge JSON body is skimmed as text, not parsed.
    let big = format!(r#"{{"message":"jwt expired","pad":"{}"}}"#, "x".repeat(2 * MAX_JSON_PARSE));
    let v = interpret(401, None, &big);
    assert!(v.message.is_some_and(|m| m.chars().count() <= 300));
}

#[test]
fn serializes_with_a_kind_tag() {
    let v = with(401, None, "jwt audience invalid. expected: api");
    let json = serde_json::to_value(&v).unwrap_or_default();
    assert_eq!(json["reason"]["kind"], "audience_invalid");
    assert_eq!(json["reason"]["expected"], "api");
    assert_eq!(json["source"], "body");
    assert_eq!(json["dialect"], "express_jwt");
    let missing = serde_json::to_value(verdict(ServerReason::TokenMissing, None, None)).unwrap_or_default();
    assert_eq!(missing["reason"]["kind"], "token_missing");
    assert!(missing["dialect"].is_null());
    let other = ServerDialect::Other("oidc_provider".into());
    assert_eq!(serde_json::to_value(other).unwrap_or_default(), "oidc_provider");
}

#[test]
fn the_dialect_that_words_the_cause_is_recorded() {
    let dialect = |status, header, body| with(status, header, body).dialect.map(|d| d.as_str().to_owned());
    let said = |body| dialect(401, None, body);
    assert_eq!(said(r#"{"error":"invalid_token","message":"jwt expired"}"#).as_deref(), Some("express_jwt"));
    let spring = Some(
        r#"Bearer error="invalid_token", error_description="An error occurred while attempting to decode the Jwt: Signed JWT rejected: Invalid signature""#,
    );
    assert_eq!(dialect(401, spring, "").as_deref(), Some("spring"));
    assert_eq!(said("IDX10214: Audience validation failed.").as_deref(), Some("aspnet"));
    assert_eq!(said("token has invalid claims: token is expired").as_deref(), Some("go"));
    assert_eq!(said("Missing Authorization header").as_deref(), Some("generic"));
    // Structured codes and the no-token baseline are RFC 6750's.
    assert_eq!(dialect(401, Some(r#"Bearer error="invalid_token""#), "").as_deref(), Some("rfc6750"));
    let bare = challenge("Bearer");
    assert_eq!(interpret_with(401, bare.as_ref(), "", false).dialect, Some(ServerDialect::Rfc6750));
    // jwks-rsa behind Express's default 500 page.
    let page = "<html><body><pre>JwksError: Not Found</pre></body></html>";
    assert_eq!(dialect(500, None, page).as_deref(), Some("express_jwt"));
    // Nothing recognised: no dialect.
    assert_eq!(said("Go away"), None);
}

#[test]
fn a_5xx_naming_a_key_lookup_failure_is_that_failure() {
    // get-jwks src/get-jwks.js errors.JWK_NOT_FOUND, as @fastify/jwt lets it through.
    let v = with(500, None, r#"{"code":"JWK_NOT_FOUND","message":"No matching JWK found in the set."}"#);
    assert_eq!(v.reason, ServerReason::NoVerificationKey);
    assert_eq!(v.dialect.as_ref().map(|d| d.as_str()), Some("fastify_jwt"));
    assert_eq!(v.message.as_deref(), Some("No matching JWK found in the set."));
}

#[test]
fn rfc6750_catch_all_description_names_no_cause() {
    // Authlib's ResourceProtector sends RFC 6750's description of invalid_token verbatim.
    let said = "The access token provided is expired, revoked, malformed, or invalid for other reasons.";
    let header = format!(r#"Bearer error="invalid_token", error_description="{said}""#);
    let v = with(401, Some(&header), "");
    assert_eq!(v.reason, ServerReason::InvalidToken { detail: Some(said.to_owned()) });
    let json = format!(r#"{{"error":"invalid_token","error_description":"{said}"}}"#);
    assert!(matches!(reason(401, None, &json), ServerReason::InvalidToken { .. }));
}

#[test]
fn messages_naming_a_claim_map_to_it() {
    // express-oauth2-jwt-bearer: access-token-jwt/src/validate.ts and claim-check.ts.
    let aud = r#"Bearer realm="api", error="invalid_token", error_description="Unexpected 'aud' value""#;
    assert_eq!(with(401, Some(aud), "").reason, ServerReason::AudienceInvalid { expected: None });
    let iss = r#"Bearer error="invalid_token", error_description="Unexpected 'iss' value""#;
    assert_eq!(with(401, Some(iss), "").reason, ServerReason::IssuerInvalid { expected: None });
    let v = with(401, Some(r#"Bearer error="invalid_token", error_description="Missing 'permissions' claim""#), "");
    assert_eq!(v.reason, ServerReason::ClaimMissing { claim: "permissions".to_owned() });
    assert_eq!(v.dialect.as_ref().map(|d| d.as_str()), Some("express_oauth2_jwt_bearer"));
    assert_eq!(reason(401, None, "Missing 'aud' claim"), ServerReason::AudienceInvalid { expected: None });
    // The Auth0 FastAPI samples' VerifyToken._check_claims.
    let v = with(403, None, r#"{"detail":"No claim \"permissions\" found in token"}"#);
    assert_eq!(v.reason, ServerReason::ClaimMissing { claim: "permissions".to_owned() });
    assert_eq!(v.dialect.as_ref().map(|d| d.as_str()), Some("fastapi"));
    // PyJWT's InvalidAlgorithmError inside FastAPI's detail.
    assert_eq!(
        reason(401, None, r#"{"detail":"The specified alg value is not allowed"}"#),
        ServerReason::InvalidAlgorithm
    );
}
