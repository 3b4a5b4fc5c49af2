//! `GET /api/rfc6750/protected`: a Spring Security resource server (NimbusJwtDecoder),
//! answering in RFC 6750 form: `WWW-Authenticate: Bearer error=...` and an empty body.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use jsonwebtoken::jwk::{AlgorithmParameters, EllipticCurve, Jwk, JwkSet, KeyAlgorithm};
use serde_json::{Map, Value, json};

use super::APP_ID;
use super::jose::{is_signing_key, java_instant, lenient_b64, signature_ok};
use super::state::{DemoState, Kind};

const ERROR_URI: &str = "https://tools.ietf.org/html/rfc6750#section-3.1";
const DECODE_PREFIX: &str = "An error occurred while attempting to decode the Jwt: ";
/// Spring's `JwtTimestampValidator` default clock skew.
const CLOCK_SKEW_SECS: i64 = 60;
const REQUIRED_SCOPE: &str = "order:read";

pub(crate) fn routes() -> Router<Arc<DemoState>> {
    Router::new().route("/api/rfc6750/protected", get(protected))
}

async fn protected(State(state): State<Arc<DemoState>>, headers: HeaderMap) -> Response {
    state.count(Kind::Api);
    let token = match resolve_token(&headers) {
        Ok(Some(token)) => token,
        // No token at all: the entry point's bare challenge.
        Ok(None) => return challenge(StatusCode::UNAUTHORIZED, "Bearer".to_owned()),
        Err(description) => return invalid_token(description),
    };
    let settings = Settings { issuer: &state.issuer, audience: APP_ID, algorithms: &["RS256", "ES256"] };
    let claims = match decode(&token, &settings, &state.jwks(), state.now()) {
        Ok(claims) => claims,
        Err(description) => return invalid_token(&description),
    };
    let scopes = authorities(&claims);
    if !scopes.iter().any(|scope| scope == REQUIRED_SCOPE) {
        let value = format!(
            "Bearer error=\"insufficient_scope\", error_description=\"The request requires higher \
             privileges than provided by the access token.\", error_uri=\"{ERROR_URI}\""
        );
        return challenge(StatusCode::FORBIDDEN, value);
    }
    Json(json!({
        "orders": [{ "id": "ord-1001", "item": "coffee beans", "quantity": 2 }],
        "caller": claims.get("sub"),
        "scopes": scopes,
    }))
    .into_response()
}

fn challenge(status: StatusCode, value: String) -> Response {
    let mut response = status.into_response();
    if let Ok(value) = HeaderValue::from_str(&value) {
        response.headers_mut().insert(header::WWW_AUTHENTICATE, value);
    }
    response
}

fn invalid_token(description: &str) -> Response {
    // Quotes would end the quoted-string early; Spring's own texts have none.
    let description = description.replace(['"', '\\'], "'");
    challenge(
        StatusCode::UNAUTHORIZED,
        format!("Bearer error=\"invalid_token\", error_description=\"{description}\", error_uri=\"{ERROR_URI}\""),
    )
}

/// `DefaultBearerTokenResolver`: a non-bearer header is no token; a malformed one is an error.
fn resolve_token(headers: &HeaderMap) -> Result<Option<String>, &'static str> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let value = String::from_utf8_lossy(value.as_bytes());
    if value.len() < 6 || !value[..6].eq_ignore_ascii_case("bearer") {
        return Ok(None);
    }
    // ^Bearer (?<token>[a-zA-Z0-9-._~+/]+=*)$
    let token = value.get(7..).filter(|_| value.as_bytes().get(6) == Some(&b' ')).unwrap_or_default();
    let body = token.trim_end_matches('=');
    let well_formed = !body.is_empty() && body.chars().all(|c| c.is_ascii_alphanumeric() || "-._~+/".contains(c));
    if well_formed { Ok(Some(token.to_owned())) } else { Err("Bearer token is malformed") }
}

/// The resource server's configuration.
pub(crate) struct Settings<'a> {
    pub issuer: &'a str,
    pub audience: &'a str,
    pub algorithms: &'a [&'a str],
}

/// NimbusJwtDecoder + the default validators, in their order; Err is the description.
pub(crate) fn decode(
    token: &str,
    settings: &Settings<'_>,
    jwks: &JwkSet,
    now: i64,
) -> Result<Map<String, Value>, String> {
    let malformed = |why: &str| format!("{DECODE_PREFIX}{why}");
    if !token.contains('.') {
        return Err(malformed("Invalid JWT serialization: Missing dot delimiter(s)"));
    }
    let parts: Vec<&str> = token.split('.').collect();
    let header = match serde_json::from_slice::<Value>(&lenient_b64(parts[0])) {
        Ok(Value::Object(header)) => header,
        _ => {
            return Err(malformed("Invalid unsecured/JWS/JWE header: Invalid JSON object"));
        }
    };
    let Some(alg) = header.get("alg").and_then(Value::as_str) else {
        return Err(malformed("Invalid unsecured/JWS/JWE header: Missing alg in header JSON object"));
    };
    if parts.len() != 3 {
        return Err(malformed("Unexpected number of Base64URL parts, must be three"));
    }
    if alg == "none" {
        return Err("Unsupported algorithm of none".to_owned());
    }
    // The claims set is parsed before any key is chosen; bad JSON or claim types are
    // reported as a malformed payload.
    let claims = match serde_json::from_slice::<Value>(&lenient_b64(parts[1])) {
        Ok(Value::Object(claims)) if claim_types_ok(&claims) => claims,
        _ => return Err(malformed("Malformed payload")),
    };
    let candidates: Vec<&Jwk> = if settings.algorithms.contains(&alg) {
        jwks.keys.iter().filter(|jwk| key_matches(jwk, alg, header.get("kid"))).collect()
    } else {
        Vec::new()
    };
    if candidates.is_empty() {
        return Err(malformed("Signed JWT rejected: Another algorithm expected, or no matching key(s) found"));
    }
    let signing_input = format!("{}.{}", parts[0], parts[1]);
    if !candidates.iter().any(|jwk| signature_ok(jwk, alg, &signing_input, parts[2])) {
        return Err(malformed("Signed JWT rejected: Invalid signature"));
    }
    validate(&claims, settings, now).map_err(|why| malformed(&why))?;
    Ok(claims)
}

/// Nimbus's `JWTClaimsSet.parse` type rules for the registered claims it reads.
fn claim_types_ok(claims: &Map<String, Value>) -> bool {
    let number = |name| claims.get(name).is_none_or(Value::is_number);
    let string = |name| claims.get(name).is_none_or(|v| v.is_string() || v.is_null());
    let aud_ok = match claims.get("aud") {
        Some(Value::Array(items)) => items.iter().all(Value::is_string),
        Some(other) => other.is_string() || other.is_null(),
        None => true,
    };
    number("exp") && number("nbf") && number("iat") && string("iss") && string("sub") && aud_ok
}

/// `JWKMatcher.forJWSHeader`: key type (and curve) from alg, kid if the header has one,
/// use sig or unset, JWK alg equal or unset.
fn key_matches(jwk: &Jwk, alg: &str, kid: Option<&Value>) -> bool {
    let type_ok = match &jwk.algorithm {
        AlgorithmParameters::RSA(_) => alg.starts_with("RS") || alg.starts_with("PS"),
        AlgorithmParameters::EllipticCurve(ec) => match alg {
            "ES256" => ec.curve == EllipticCurve::P256,
            "ES384" => ec.curve == EllipticCurve::P384,
            "ES512" => ec.curve == EllipticCurve::P521,
            _ => false,
        },
        AlgorithmParameters::OctetKeyPair(_) => alg == "EdDSA",
        _ => false,
    };
    let kid_ok = match kid.and_then(Value::as_str) {
        Some(kid) => jwk.common.key_id.as_deref() == Some(kid),
        None => true,
    };
    let alg_ok = jwk.common.key_algorithm.is_none_or(|key_alg| Some(key_alg) == alg_of(alg));
    type_ok && kid_ok && alg_ok && is_signing_key(jwk)
}

fn alg_of(alg: &str) -> Option<KeyAlgorithm> {
    serde_json::from_value(Value::String(alg.to_owned())).ok()
}

/// JwtTimestampValidator (exp, then nbf, 60 s skew), JwtIssuerValidator, audience.
fn validate(claims: &Map<String, Value>, settings: &Settings<'_>, now: i64) -> Result<(), String> {
    let seconds = |name| claims.get(name).and_then(Value::as_f64).map(|v| v.floor() as i64);
    if let Some(exp) = seconds("exp").filter(|exp| now - CLOCK_SKEW_SECS > *exp) {
        return Err(format!("Jwt expired at {}", java_instant(exp)));
    }
    if let Some(nbf) = seconds("nbf").filter(|nbf| now + CLOCK_SKEW_SECS < *nbf) {
        return Err(format!("Jwt used before {}", java_instant(nbf)));
    }
    if claims.get("iss").and_then(Value::as_str) != Some(settings.issuer) {
        return Err("The iss claim is not valid".to_owned());
    }
    let audience_ok = match claims.get("aud") {
        Some(Value::String(aud)) => aud == settings.audience,
        Some(Value::Array(auds)) => auds.iter().any(|aud| aud.as_str() == Some(settings.audience)),
        _ => false,
    };
    if !audience_ok {
        return Err("This aud claim is not equal to the configured audience".to_owned());
    }
    Ok(())
}

/// `JwtGrantedAuthoritiesConverter`: `scope`, else `scp`; a string splits on spaces.
fn authorities(claims: &Map<String, Value>) -> Vec<String> {
    let claim = claims.get("scope").or_else(|| claims.get("scp"));
    match claim {
        Some(Value::String(text)) => text.split(' ').filter(|s| !s.is_empty()).map(str::to_owned).collect(),
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).map(str::to_owned).collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::keys::{DemoKey, published_jwks, sign_token};
    use jsonwebtoken::Algorithm;

    const NOW: i64 = 1_800_000_000;

    fn check(claims: Value, key: DemoKey, kid: Option<&str>) -> Result<Map<String, Value>, String> {
        let settings = Settings { issuer: "I", audience: "A", algorithms: &["RS256", "ES256"] };
        let token = sign_token(&claims, Algorithm::RS256, key, kid);
        decode(&token, &settings, &published_jwks(false, true), NOW)
    }

    #[test]
    fn order_is_signature_then_time_then_iss_then_aud() {
        let good = json!({ "iss": "I", "aud": "A", "exp": NOW + 10 });
        assert!(check(good.clone(), DemoKey::Rsa1, Some("demo-rsa-1")).is_ok());
        // Nimbus tries every key of the right type when the header has no kid.
        assert!(check(good, DemoKey::Rsa1, None).is_ok());
        let bad = json!({ "iss": "x", "aud": "x", "exp": NOW - 61 });
        let err = |key, kid| check(bad.clone(), key, kid).err().unwrap_or_default();
        assert!(err(DemoKey::RsaStranger, Some("demo-rsa-1")).ends_with("Signed JWT rejected: Invalid signature"));
        assert!(err(DemoKey::Rsa1, Some("nope")).ends_with("no matching key(s) found"));
        assert!(err(DemoKey::Rsa1, Some("demo-rsa-1")).ends_with("Jwt expired at 2027-01-15T07:58:59Z"));
        let in_skew = json!({ "iss": "x", "aud": "x", "exp": NOW - 60 });
        assert!(check(in_skew, DemoKey::Rsa1, None).err().unwrap_or_default().ends_with("The iss claim is not valid"));
        let wrong_aud = json!({ "iss": "I", "aud": ["x"] });
        assert!(check(wrong_aud, DemoKey::Rsa1, None).err().unwrap_or_default().ends_with("configured audience"));
    }

    #[test]
    fn token_resolution() {
        let resolve = |value: &str| {
            let mut headers = HeaderMap::new();
            if let Ok(value) = HeaderValue::from_str(value) {
                headers.insert(header::AUTHORIZATION, value);
            }
            resolve_token(&headers)
        };
        assert_eq!(resolve("Basic abc"), Ok(None));
        assert_eq!(resolve("bearer a.b.c=="), Ok(Some("a.b.c==".to_owned())));
        assert_eq!(resolve("Bearer a b"), Err("Bearer token is malformed"));
        assert_eq!(resolve("Bearer"), Err("Bearer token is malformed"));
        assert_eq!(resolve_token(&HeaderMap::new()), Ok(None));
    }
}
