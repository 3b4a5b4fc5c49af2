//! Unit tests of the node-jsonwebtoken emulation: messages and the order of the checks.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::Algorithm;
use serde_json::{Value, json};

use super::*;
use crate::demo::keys::{DemoKey, published_jwks, sign_hmac_token, sign_token};

const NOW: i64 = 1_800_000_000;
const ISS: &str = "http://127.0.0.1:1/oidc";

fn options() -> VerifyOptions {
    VerifyOptions {
        issuer: ISS.to_owned(),
        audiences: vec!["demo-app".to_owned()],
        algorithms: vec!["RS256".to_owned(), "ES256".to_owned()],
        clock_tolerance: 0,
    }
}

fn good_claims() -> Value {
    json!({ "iss": ISS, "aud": "demo-app", "sub": "demo-reader", "scope": "order:read",
            "iat": NOW - 10, "exp": NOW + 3600 })
}

fn with(changes: Value) -> Value {
    let mut claims = good_claims();
    if let (Some(target), Some(changes)) = (claims.as_object_mut(), changes.as_object()) {
        for (name, value) in changes {
            target.insert(name.clone(), value.clone());
        }
    }
    claims
}

fn rs(claims: &Value) -> String {
    sign_token(claims, Algorithm::RS256, DemoKey::Rsa1, Some("demo-rsa-1"))
}

fn b64(text: &str) -> String {
    URL_SAFE_NO_PAD.encode(text)
}

fn run(token: &str) -> Result<Value, Rejection> {
    let jwks = published_jwks(false, true);
    verify(token, &options(), KeySource::Jwks(&jwks), NOW)
}

fn message(token: &str) -> String {
    match run(token) {
        Ok(_) => "ok".to_owned(),
        Err(Rejection::InvalidToken(message)) => message,
        Err(Rejection::KeyProvider(message)) => format!("JwksError: {message}"),
    }
}

#[test]
fn a_good_token_passes_and_yields_its_payload() {
    let payload = run(&rs(&good_claims()));
    assert_eq!(payload.ok().and_then(|p| p.get("sub").cloned()), Some(json!("demo-reader")));
    let es = sign_token(&good_claims(), Algorithm::ES256, DemoKey::Ec256, Some("demo-ec-1"));
    assert_eq!(message(&es), "ok");
    assert_eq!(message(&rs(&with(json!({ "aud": ["other", "demo-app"] })))), "ok");
}

#[test]
fn shape_errors() {
    assert_eq!(message("garbage"), "jwt malformed");
    assert_eq!(message("a.b"), "jwt malformed");
    assert_eq!(message("a.b.c.d"), "jwt malformed");
    // Three parts that jws.decode rejects: jsonwebtoken says "invalid token".
    assert_eq!(message("a!.b.c"), "invalid token");
    assert_eq!(message(&format!("{}.{}.", b64("not json"), b64("{}"))), "invalid token");
    let typed = format!("{}.{}.sig", b64(r#"{"alg":"RS256","typ":"JWT"}"#), b64("not json"));
    assert!(message(&typed).starts_with("Unexpected token 'o', \"not json\" is not valid JSON"), "{}", message(&typed));
}

#[test]
fn key_lookup_comes_before_the_algorithm_check() {
    let none = format!("{}.{}.", b64(r#"{"alg":"none","typ":"JWT"}"#), b64(&good_claims().to_string()));
    assert_eq!(message(&none), "invalid algorithm");
    let hs = sign_hmac_token(&good_claims(), Algorithm::HS256, b"secret");
    assert_eq!(message(&hs), "secret or public key must be provided");
    let unknown_kid = sign_token(&good_claims(), Algorithm::RS256, DemoKey::RsaStranger, Some("demo-rsa-old"));
    assert_eq!(message(&unknown_kid), "secret or public key must be provided");
    let no_kid = sign_token(&good_claims(), Algorithm::RS256, DemoKey::Rsa1, None);
    assert_eq!(message(&no_kid), "secret or public key must be provided");
    // The key exists, the algorithm is not allowed.
    let es384 = sign_token(&good_claims(), Algorithm::ES384, DemoKey::Ec384, Some("demo-ec-1"));
    assert_eq!(message(&es384), "invalid algorithm");
    // RS256 with a known kid but an empty signature: jsonwebtoken trips on the key.
    let rs_unsigned = format!("{}.{}.", b64(r#"{"alg":"RS256","kid":"demo-rsa-1"}"#), b64("{}"));
    assert_eq!(message(&rs_unsigned), "jwt signature is required");
    let rs_unsigned_unknown = format!("{}.{}.", b64(r#"{"alg":"RS256","kid":"nope"}"#), b64("{}"));
    assert_eq!(message(&rs_unsigned_unknown), "Cannot read properties of undefined (reading 'type')");
}

#[test]
fn key_type_and_signature() {
    let rs_on_ec_key = sign_token(&good_claims(), Algorithm::RS256, DemoKey::Rsa1, Some("demo-ec-1"));
    assert_eq!(message(&rs_on_ec_key), "\"alg\" parameter for \"ec\" key type must be one of: ES256, ES384, ES512.");
    let es_signed_by_rsa = sign_token(&good_claims(), Algorithm::ES256, DemoKey::Rsa1, Some("demo-ec-1"));
    assert_eq!(message(&es_signed_by_rsa), "\"ES256\" signatures must be \"64\" bytes, saw \"256\"");
    let stranger = sign_token(&good_claims(), Algorithm::RS256, DemoKey::RsaStranger, Some("demo-rsa-1"));
    assert_eq!(message(&stranger), "invalid signature");
    // A bad signature wins over an expired, misaddressed token.
    let all_wrong = with(json!({ "exp": NOW - 1, "aud": "x", "iss": "y" }));
    let stranger = sign_token(&all_wrong, Algorithm::RS256, DemoKey::RsaStranger, Some("demo-rsa-1"));
    assert_eq!(message(&stranger), "invalid signature");
}

#[test]
fn claim_checks_run_nbf_exp_aud_iss() {
    let everything = with(json!({ "nbf": NOW + 60, "exp": NOW - 1, "aud": "x", "iss": "y" }));
    assert_eq!(message(&rs(&everything)), "jwt not active");
    let expired = with(json!({ "exp": NOW - 1, "aud": "x", "iss": "y" }));
    assert_eq!(message(&rs(&expired)), "jwt expired");
    // exp is exclusive: a token is dead at the second it names.
    assert_eq!(message(&rs(&with(json!({ "exp": NOW })))), "jwt expired");
    let wrong_aud = with(json!({ "aud": "x", "iss": "y" }));
    assert_eq!(message(&rs(&wrong_aud)), "jwt audience invalid. expected: demo-app");
    let wrong_iss = with(json!({ "iss": format!("{ISS}/") }));
    assert_eq!(message(&rs(&wrong_iss)), format!("jwt issuer invalid. expected: {ISS}"));
    assert_eq!(message(&rs(&with(json!({ "nbf": "soon" })))), "invalid nbf value");
    assert_eq!(message(&rs(&with(json!({ "exp": null })))), "invalid exp value");
}

#[test]
fn several_audiences_are_joined_with_or() {
    let jwks = published_jwks(false, true);
    let options = VerifyOptions { audiences: vec!["a".into(), "b".into()], ..options() };
    let got = verify(&rs(&good_claims()), &options, KeySource::Jwks(&jwks), NOW);
    assert_eq!(got, Err(Rejection::InvalidToken("jwt audience invalid. expected: a or b".into())));
}

#[test]
fn an_unreachable_jwks_only_matters_once_a_key_is_looked_up() {
    let unreachable = KeySource::Unreachable("Not Found");
    let got = verify(&rs(&good_claims()), &options(), unreachable, NOW);
    assert_eq!(got, Err(Rejection::KeyProvider("Not Found".into())));
    let hs = sign_hmac_token(&good_claims(), Algorithm::HS256, b"secret");
    let got = verify(&hs, &options(), unreachable, NOW);
    assert_eq!(got, Err(Rejection::InvalidToken("secret or public key must be provided".into())));
    assert_eq!(verify("garbage", &options(), unreachable, NOW), Err(Rejection::InvalidToken("jwt malformed".into())));
}

#[test]
fn rotation_is_seen_through_the_jwks() {
    let token = sign_token(&good_claims(), Algorithm::RS256, DemoKey::Rsa2, Some("demo-rsa-2"));
    assert_eq!(message(&token), "secret or public key must be provided");
    let rotated = published_jwks(true, false);
    assert!(verify(&token, &options(), KeySource::Jwks(&rotated), NOW).is_ok());
    assert!(verify(&rs(&good_claims()), &options(), KeySource::Jwks(&rotated), NOW).is_err());
}
