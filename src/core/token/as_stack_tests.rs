//! The presets' arithmetic, case by case: each token (3 s, 60 s, 61 s, 301 s expired; iat
//! +120 s; nbf +30 s; no exp; no aud; typ at+jwt) judged by every stack, against the table
//! the research measured with the real libraries (and read in the sources of the others).

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rstest::rstest;
use serde_json::{Value, json};

use super::*;
use crate::core::model::profile::{Expectations, default_algorithms};
use crate::core::token::check::{Check, CheckName};
use crate::core::token::jwt::decode;
use crate::core::token::verify::JwksAccess;
use crate::core::verifier::presets::rules_of;

const NOW: i64 = 1_800_000_000;
const ISSUER: &str = "https://issuer.example/";

/// A token whose signature is taken as verified (the key checks are not what is tested).
fn token(claims: Value, typ: Option<&str>) -> DecodedToken {
    let mut header = json!({ "alg": "RS256", "kid": "k1" });
    if let Some(typ) = typ {
        header["typ"] = json!(typ);
    }
    let part = |v: &Value| URL_SAFE_NO_PAD.encode(v.to_string());
    decode(&format!("{}.{}.c2ln", part(&header), part(&claims))).expect("decodes")
}

fn claims(changes: Value) -> Value {
    let mut claims = json!({
        "iss": ISSUER, "aud": "demo-app", "sub": "svc", "client_id": "demo-reader", "jti": "j1",
        "scope": "order:read", "iat": NOW - 10, "exp": NOW + 600,
    });
    for (name, value) in changes.as_object().into_iter().flatten() {
        if value.is_null() {
            claims.as_object_mut().map(|c| c.remove(name));
        } else {
            claims[name] = value.clone();
        }
    }
    claims
}

fn verified() -> Verification {
    Verification {
        valid: true,
        checks: vec![
            Check::pass(CheckName::Key, None, Some("k1".into()), "found in the JWKS"),
            Check::pass(CheckName::Signature, None, Some("RS256".into()), "verified"),
        ],
        key: None,
        jwks_error: None,
        jwks_error_kind: None,
        available_kids: Vec::new(),
        jwks_refetched: false,
        jwks_access: JwksAccess::NotUsed,
    }
}

/// What the interop apps configure: issuer, audience and RS256 written, the rest the stack's.
fn written_expectations() -> Expectations {
    let mut expect = Expectations {
        issuer: Some(ISSUER.into()),
        audience: vec!["demo-app".into()],
        algorithms: vec!["RS256".into()],
        ..Expectations::default()
    };
    expect.written.algorithms = true;
    expect
}

fn judged(stack: Stack, token: &DecodedToken) -> StackVerdict {
    let expect = written_expectations().with_stack(Some(stack), &default_algorithms());
    let options = VerifyOptions {
        algorithms: expect.algorithms.clone(),
        issuer: expect.issuer.clone(),
        audience: expect.audience.clone(),
        leeway_secs: expect.leeway_secs,
        now: NOW,
        rules: rules_of(Some(stack)),
        ..VerifyOptions::default()
    };
    judge(&verified(), token, &options, stack)
}

/// The stacks that reject the token (every other one accepts it), and the check that says so.
#[rstest]
#[case::valid(claims(json!({})), None, &[], "")]
#[case::exp_3_s_ago(claims(json!({ "exp": NOW - 3 })), None,
    &["express-jwt", "fastify-jwt", "passport-jwt", "koa-jwt", "pyjwt", "authlib", "golang-jwt", "aws-apigw"], "exp")]
#[case::exp_60_s_ago(claims(json!({ "exp": NOW - 60 })), None,
    &["express-jwt", "express-oauth2-jwt-bearer", "fastify-jwt", "passport-jwt", "koa-jwt", "pyjwt", "authlib", "golang-jwt", "aws-apigw"], "exp")]
#[case::exp_61_s_ago(claims(json!({ "exp": NOW - 61 })), None,
    &["express-jwt", "express-oauth2-jwt-bearer", "fastify-jwt", "passport-jwt", "koa-jwt", "pyjwt", "authlib", "spring", "golang-jwt", "envoy", "aws-apigw"], "exp")]
#[case::exp_301_s_ago(claims(json!({ "exp": NOW - 301 })), None,
    &["express-jwt", "express-oauth2-jwt-bearer", "fastify-jwt", "passport-jwt", "koa-jwt", "pyjwt", "authlib", "spring", "aspnet", "golang-jwt", "envoy", "aws-apigw"], "exp")]
#[case::iat_120_s_ahead(claims(json!({ "iat": NOW + 120 })), None, &["pyjwt", "authlib"], "iat")]
#[case::nbf_30_s_ahead(claims(json!({ "nbf": NOW + 30 })), None,
    &["express-jwt", "express-oauth2-jwt-bearer", "fastify-jwt", "passport-jwt", "koa-jwt", "pyjwt", "authlib", "golang-jwt", "aws-apigw"], "nbf")]
#[case::no_exp(claims(json!({ "exp": null })), None, &["express-oauth2-jwt-bearer", "authlib", "aspnet"], "exp")]
#[case::no_aud(claims(json!({ "aud": null })), None,
    &["express-jwt", "express-oauth2-jwt-bearer", "passport-jwt", "koa-jwt", "pyjwt", "authlib", "spring", "aspnet", "golang-jwt", "envoy", "aws-apigw"], "aud")]
#[case::typ_at_jwt(claims(json!({})), Some("at+jwt"), &["spring"], "typ")]
#[case::typ_jwt(claims(json!({})), Some("JWT"), &["authlib"], "typ")]
fn each_stack_judges_as_measured(
    #[case] claims: Value,
    #[case] typ: Option<&str>,
    #[case] rejected_by: &[&str],
    #[case] check: &str,
) {
    let token = token(claims, typ);
    for stack in Stack::ALL {
        let verdict = judged(stack, &token);
        let rejects = rejected_by.contains(&stack.as_str());
        assert_eq!(!verdict.valid, rejects, "{stack}: failed {:?}, notes {:?}", verdict.failed, verdict.notes);
        if rejects {
            assert_eq!(verdict.failed, vec![check], "{stack}");
        }
    }
}

#[test]
fn aws_falls_back_to_client_id_when_there_is_no_aud() {
    let token = token(claims(json!({ "aud": null, "client_id": "demo-app" })), None);
    assert!(judged(Stack::AwsApigw, &token).valid);
    assert!(!judged(Stack::ExpressJwt, &token).valid);
}

#[test]
fn pyjwt_rejects_an_aud_when_given_no_audience() {
    let token = token(claims(json!({})), None);
    let options = VerifyOptions {
        now: NOW,
        rules: rules_of(Some(Stack::Pyjwt)),
        algorithms: vec!["RS256".into()],
        ..VerifyOptions::default()
    };
    assert_eq!(judge(&verified(), &token, &options, Stack::Pyjwt).failed, vec!["aud"]);
    let options = VerifyOptions { rules: rules_of(Some(Stack::ExpressJwt)), ..options };
    assert!(judge(&verified(), &token, &options, Stack::ExpressJwt).valid);
}

#[test]
fn envoy_notes_its_403_for_a_refused_audience() {
    let verdict = judged(Stack::Envoy, &token(claims(json!({ "aud": "other" })), None));
    assert!(verdict.notes.iter().any(|n| n.contains("answers 403")), "{:?}", verdict.notes);
}

#[test]
fn the_summary_says_by_how_much_and_with_which_leeway() {
    let token = token(claims(json!({ "exp": NOW - 61 })), None);
    let verdicts: Vec<StackVerdict> = Stack::ALL.iter().map(|s| judged(*s, &token)).collect();
    let lines = summaries(&token, NOW, &verdicts);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].starts_with("expired 61 s ago: fails express-jwt (0 s)"), "{}", lines[0]);
    assert!(lines[0].contains("spring (60 s)") && lines[0].contains("passes aspnet (300 s)"), "{}", lines[0]);
    assert!(lines[0].ends_with("not checked by kong"), "{}", lines[0]);
}

#[test]
fn without_a_stack_a_future_iat_is_only_pointed_out() {
    let token = token(claims(json!({ "iat": NOW + 120 })), None);
    let options = VerifyOptions { now: NOW, algorithms: vec!["RS256".into()], ..VerifyOptions::default() };
    let verification = rejudge(&verified(), &token, &options);
    let iat = verification.check(CheckName::Iat).expect("an iat line");
    assert_eq!(iat.status, crate::core::token::check::CheckStatus::Skip);
    assert!(iat.detail.contains("dated 120 s in the future"), "{}", iat.detail);
    assert!(verification.valid);
    let fresh = rejudge(&verified(), &self::token(claims(json!({})), None), &options);
    assert!(fresh.check(CheckName::Iat).is_none(), "no line for an ordinary token");
}
